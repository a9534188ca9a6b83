import BinnacleBundle
import BinnacleCore
@testable import BinnacleStore
import Foundation
import GRDB
import Testing

/// The sweep's monitors (`Beside`) and the evidence pack's bundle (`SnapshotWorker`) are read on a second connection
/// only where it shares the first one's state (`SecondReader`); elsewhere on the first alone, with the same output.
@Suite struct SecondReaderTests {
    static let d = Day("2026-01-10")!
    static let at = Timestamp(parsing: "2026-02-01T00:00:00Z")!

    /// A generated inventory at `path`, closed again.
    func makeInventory(_ dir: TempDir, _ path: String, seed: UInt64) throws {
        let bundle = dir.path("generated-\(seed)")
        try PortfolioGenerator(models: 60, seed: seed, asOf: Day("2026-01-15")!).write(to: bundle)
        let inventory = try Inventory(path: path, mode: .create)
        _ = try inventory.importer.importBundle(directory: bundle, replace: false, actor: "t")
    }

    /// What the two users of a second reader do beside a read of `inventory` that has read: whether each got one.
    func secondReaders(_ inventory: Inventory) throws -> (sweep: Bool, bundle: Bool) {
        try inventory.read { db in
            _ = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM models")
            let sweep = Beside(db) { other in try Int.fetchOne(other, sql: "SELECT COUNT(*) FROM models") }.wait() != nil
            let worker = try SnapshotWorker(beside: db) { _ in }
            try worker?.join()
            return (sweep, worker != nil)
        }
    }

    /// Everything the pack holds, by file.
    func pack(_ inventory: Inventory, _ folder: String) throws -> [String: String] {
        try inventory.writeEvidencePack(asOf: Self.d, to: folder, version: "t", generatedAt: Self.at)
        #expect(try EvidencePack.verify(folder).problems == [])
        var out: [String: String] = [:]
        for path in try EvidencePack.entries(in: folder).files { out[path] = try String(contentsOfFile: folder + "/" + path, encoding: .utf8) }
        return out
    }

    /// A file left in WAL mode lets a writer commit while a reader reads: a second connection could see a newer state.
    @Test func anInventoryInWALModeIsReadOnOneConnectionWithTheSameOutput() throws {
        let dir = try TempDir()
        let path = dir.path("live.sqlite")
        try makeInventory(dir, path, seed: 5)
        let (report, alerts, packed): (String, [Alert], [String: String])
        do {
            let inventory = try Inventory(path: path, mode: .read)
            #expect(try secondReaders(inventory) == (true, true))
            (report, alerts, packed) = (try inventory.report(asOf: Self.d).json(), try inventory.alerts(asOf: Self.d), try pack(inventory, dir.path("pack1")))
        }
        let mode = try DatabaseQueue(path: path).writeWithoutTransaction { db in
            try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL")  // as earlier versions left their files
        }
        #expect(mode == "wal")
        let inventory = try Inventory(path: path, mode: .read)
        #expect(try secondReaders(inventory) == (false, false))
        #expect(try inventory.report(asOf: Self.d).json() == report)
        #expect(try inventory.alerts(asOf: Self.d) == alerts)
        #expect(try pack(inventory, dir.path("pack2")) == packed)
    }

    /// A rebuilt inventory moved into place while one is open: the second connection would lock another file.
    @Test func anInventoryReplacedAtItsPathIsReadOnItsOwnFileAlone() throws {
        let dir = try TempDir()
        let path = dir.path("live.sqlite"), rebuilt = dir.path("rebuilt.sqlite")
        try makeInventory(dir, path, seed: 5)
        try makeInventory(dir, rebuilt, seed: 6)
        let other = try Inventory(path: rebuilt, mode: .read).report(asOf: Self.d).json()
        let inventory = try Inventory(path: path, mode: .read)
        let report = try inventory.report(asOf: Self.d).json(), alerts = try inventory.alerts(asOf: Self.d)
        let packed = try pack(inventory, dir.path("pack1"))
        #expect(other != report)

        #expect(rename(rebuilt, path) == 0)
        #expect(try secondReaders(inventory) == (false, false))
        #expect(try inventory.report(asOf: Self.d).json() == report)
        #expect(try inventory.alerts(asOf: Self.d) == alerts)
        #expect(try pack(inventory, dir.path("pack2")) == packed)
        // The file now at the path is the rebuilt one.
        #expect(try Inventory(path: path, mode: .read).report(asOf: Self.d).json() == other)
    }

    /// A named pipe moved to the inventory's path is never opened (opening it would wait for a writer to the pipe).
    @Test func aPipeAtThePathIsNotOpened() throws {
        let dir = try TempDir()
        let path = dir.path("live.sqlite"), pipe = dir.path("pipe")
        try makeInventory(dir, path, seed: 5)
        let inventory = try Inventory(path: path, mode: .read)
        let report = try inventory.report(asOf: Self.d).json()
        #expect(mkfifo(pipe, 0o600) == 0 && rename(pipe, path) == 0)
        #expect(try secondReaders(inventory) == (false, false))
        #expect(try inventory.report(asOf: Self.d).json() == report)
    }
}
