import BinnacleBundle
import BinnacleCore
@testable import BinnacleStore
import Foundation
import GRDB
import Testing

/// The evidence pack is read on two connections at once (the bundle on a second one): every file must still
/// show one state of the inventory, whatever another connection commits while it is written.
@Suite struct EvidenceSnapshotTests {
    static let d = Day("2026-01-10")!
    static let renamed = "Renamed while the pack was read"

    /// A fresh inventory of its own: these tests write to it.
    func inventory(_ dir: TempDir) throws -> Inventory {
        try PortfolioGenerator(models: 60, seed: 5, asOf: Day("2026-01-15")!).write(to: dir.path("generated"))
        let inventory = try Inventory(path: dir.path("live.sqlite"), mode: .create)
        _ = try inventory.importer.importBundle(directory: dir.path("generated"), replace: false, actor: "t")
        return inventory
    }

    /// Another process's write, begun on its own thread: it renames the first model and moves value dated before D
    /// (which changes the KPIs at D). `blocked` is signalled once it waits for the pack's readers.
    final class Writer: @unchecked Sendable {
        let blocked = DispatchSemaphore(value: 0)
        private let done = DispatchSemaphore(value: 0)
        private var failure: Error?
        private var told = false

        init(path: String) {
            Thread { [self] in
                do {
                    var config = Configuration()
                    config.busyMode = .callback { _ in
                        if !self.told { self.told = true; self.blocked.signal() }
                        usleep(1_000)
                        return true
                    }
                    let queue = try DatabaseQueue(path: path, configuration: config)
                    try queue.write { db in
                        try db.execute(sql: "UPDATE models SET name = ? WHERE id = (SELECT MIN(id) FROM models)",
                                       arguments: [EvidenceSnapshotTests.renamed])
                        try db.execute(sql: "UPDATE value_records SET value = value + 1000000 WHERE date <= ?", arguments: [EvidenceSnapshotTests.d.description])
                    }
                } catch { failure = error }
                done.signal()
            }.start()
        }

        func join() throws {
            done.wait()
            if let failure { throw failure }
        }
    }

    func files(_ pack: String) throws -> [String: String] {
        var out: [String: String] = [:]
        for path in try EvidencePack.entries(in: pack).files { out[path] = try String(contentsOfFile: pack + "/" + path, encoding: .utf8) }
        return out
    }

    @Test func aWriteCommittedWhileThePackIsWrittenIsInNoneOfItsFiles() throws {
        let dir = try TempDir()
        let inventory = try inventory(dir)
        let before = try inventory.report(asOf: Self.d).json()
        let pack = dir.path("pack")
        try FileManager.default.createDirectory(atPath: pack, withIntermediateDirectories: false)
        let writer = Box<Writer>()
        // Between two of the bundle's files, on the worker's thread: the write is made and waits for the pack's readers.
        _ = try inventory.writeEvidencePack(asOf: Self.d, into: pack, version: "t", generatedAt: Timestamp(parsing: "2026-02-01T00:00:00Z")!) { step in
            guard step == BundleFile.models.fileName else { return }
            let w = Writer(path: dir.path("live.sqlite"))
            w.blocked.wait()
            writer.value = w
        }
        try #require(writer.value).join()
        // The write is committed now, and changed the KPIs at D; the pack shows the inventory before it, in every file.
        #expect(try inventory.modelSummaries(asOf: Self.d).contains { $0.name == Self.renamed })
        #expect(try inventory.report(asOf: Self.d).json() != before)
        for (path, text) in try files(pack) { #expect(!text.contains(Self.renamed), "\(path)") }
        #expect(try String(contentsOfFile: pack + "/report.json", encoding: .utf8) == before)
        // Its bundle, report and chain agree: it verifies.
        #expect(try EvidencePack.verify(pack).problems == [])
    }

    /// Where the two cannot share a snapshot (a file left in WAL mode) the pack is written on one connection: the same bytes.
    @Test func onOneConnectionThePackIsTheSameByteForByte() throws {
        let dir = try TempDir()
        let inventory = try inventory(dir)
        let at = Timestamp(parsing: "2026-02-01T00:00:00Z")!
        for name in ["one", "two"] { try FileManager.default.createDirectory(atPath: dir.path(name), withIntermediateDirectories: false) }
        _ = try inventory.read { db in try Inventory.writeEvidencePack(db, asOf: Self.d, into: dir.path("one"), version: "t", generatedAt: at) }
        _ = try inventory.writeEvidencePack(asOf: Self.d, into: dir.path("two"), version: "t", generatedAt: at)
        let one = try files(dir.path("one")), two = try files(dir.path("two"))
        #expect(one.count > 10 && one == two)
        for file in [EvidencePack.manifestFile, EvidencePack.sumsFile] {
            #expect(try String(contentsOfFile: dir.path("one/" + file), encoding: .utf8) == String(contentsOfFile: dir.path("two/" + file), encoding: .utf8))
        }
    }

    @Test func aWriteWaitingWhenTheSecondReaderComesIsInEveryFile() throws {
        let dir = try TempDir()
        let inventory = try inventory(dir)
        let before = try inventory.report(asOf: Self.d).json()
        let writer = Box<Writer>()
        // The write waits for the pack's first reader before the second joins it: the second cannot join (the waiting
        // write lets no reader in), so the pack begins again once the write is committed, and shows it everywhere.
        let pack = dir.path("pack")
        try FileManager.default.createDirectory(atPath: pack, withIntermediateDirectories: false)
        _ = try inventory.writeEvidencePack(asOf: Self.d, into: pack, version: "t", generatedAt: Timestamp(parsing: "2026-02-01T00:00:00Z")!) { step in
            guard step == "snapshot", writer.value == nil else { return }
            let w = Writer(path: dir.path("live.sqlite"))
            w.blocked.wait()
            writer.value = w
        }
        try #require(writer.value).join()
        let after = try inventory.report(asOf: Self.d).json()
        #expect(after != before)
        #expect(try String(contentsOfFile: pack + "/report.json", encoding: .utf8) == after)
        let text = try files(pack)
        #expect(text["bundle/models.csv"]?.contains(Self.renamed) == true)
        #expect(text["index.html"]?.contains(Self.renamed) == true)
        #expect(try EvidencePack.verify(pack).problems == [])
    }
}

/// A value set on one thread and read on another after a semaphore or join orders them.
final class Box<T>: @unchecked Sendable {
    var value: T?
}
