import BinnacleBundle
import BinnacleCore
@testable import BinnacleStore
import Foundation
import GRDB
import Testing

/// The bundle's fast writer (`BundleRows`, straight from SQLite into bytes) against the plain one (a GRDB `Row`
/// and a String per value, `writeBundleByRow`): the same bytes in every file, whole and cut at a date, on an
/// inventory holding what no import lets in — hostile text, invalid UTF-8, a NUL, odd time stamps, numbers at
/// every edge and text in a number column.
@Suite struct BundleRowsTests {
    static let folder = try! TempDir()
    static let inventory: Inventory = {
        try! PortfolioGenerator(models: 60, seed: 3, asOf: Day("2026-01-15")!).write(to: folder.path("generated"))
        let inventory = try! Inventory(path: folder.path("live.sqlite"), mode: .create)
        _ = try! inventory.importer.importBundle(directory: folder.path("generated"), replace: false, actor: "t")
        try! DatabaseQueue(path: folder.path("live.sqlite")).write(addHostileRows)
        return inventory
    }()

    static let stamps = [
        "2025-03-01T00:00:00.000Z", "2025-03-01T12:34:56.000Z", "2025-03-01T12:34:56.789Z", "2025-03-01", "2025-03-01 12:00",
        "2025-03-01T00:00:00.000Z\u{301}", "2025-03-01T00:00:00.000Zé", "x\r\n.000Z", "2025-03-02,T00:00:00.000Z", "\"2025\".000Z",
        "2025-03-03T00:00:00.000Z\t", "", ".000Z", "T00:00:00.000Z", "2025-03-04T1\r\n0:00:00.000Z", "日本T00:00:00.000Z",
    ]
    static let texts = [
        "plain", "with, comma", "with \"quotes\"", "line\nfeed", "carriage\rreturn", "crlf\r\n", "=HYPERLINK(\"http://x\")",
        "+1-2", "@SUM(A1)", "\u{1B}[31mred\u{1B}[0m", "<script>alert(1)</script>", "Modèle ✓ 日本 👩‍💻", "\u{202E}evil", "",
        "e\u{301}", "\u{FEFF}bom",
    ]
    static let numbers: [Double] = [
        0, -0.0, 1, -1, 0.1, 0.30000000000000004, 1e15, -1e15, 999_999_999_999_999, 999_999_999_999_999.9, 1e300, -1e-300, .leastNonzeroMagnitude,
        .infinity, -.infinity, 123_456_789.125, -42, 1e14 + 0.5, 2.5e-7, Double(Int64.max), 9_007_199_254_740_992, 1e21, 1e16,
    ]

    /// Rows written past the import's checks, as a file changed by another tool could hold them.
    static func addHostileRows(_ db: Database) throws {
        let login = try String.fetchOne(db, sql: "SELECT login FROM people ORDER BY login")!
        // Text in a cell as SQLite may hold it: invalid UTF-8, a NUL inside, a number in a text column.
        let odd = ["CAST(X'C328' AS TEXT)", "CAST(X'41004200' AS TEXT)", "CAST(X'FF' AS TEXT)", "42", "4.5"]
        for (n, stamp) in stamps.enumerated() {
            let id = "hostile-\(n)"
            let text = texts[n % texts.count]
            try db.execute(sql: """
                INSERT INTO models (id, name, domain, description, use_case, kind, risk_tier, business_owner, developer, validator, vendor, tags, created_at)
                VALUES (?, ?, ?, \(odd[n % odd.count]), ?, 'other', ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [id, text, texts[(n + 1) % texts.count], texts[(n + 2) % texts.count], n % 3 + 1, login, login,
                                 n % 2 == 0 ? nil : login, n % 3 == 0 ? nil : text, text, stamp])
            try db.execute(sql: "INSERT INTO stage_changes (model_id, stage, changed_at, changed_by, note) VALUES (?, 'production', ?, ?, ?)",
                           arguments: [id, stamp, n % 2 == 0 ? nil : login, text])
            try db.execute(sql: "INSERT INTO value_records (model_id, date, value, cost, note) VALUES (?, ?, ?, ?, ?)",
                           arguments: [id, stamp, numbers[n % numbers.count], abs(numbers[(n + 3) % numbers.count]), text])
            try db.execute(sql: """
                INSERT INTO documents (model_id, kind, version, submitted_at, approved_at, approved_by, expires_at, uri)
                VALUES (?, 'model_card', ?, ?, ?, ?, ?, ?)
                """, arguments: [id, text, stamp, n % 2 == 0 ? "2025-12-31T10:00:00.000Z" : "2026-01-05T10:00:00.000Z", login,
                                 stamps[(n + 1) % stamps.count], text])
            try db.execute(sql: "INSERT INTO monitors (model_id, metric, direction, warn, critical) VALUES (?, ?, 'above', ?, ?)",
                           arguments: [id, text, numbers[(n + 5) % numbers.count], numbers[(n + 7) % numbers.count]])
            for (k, value) in numbers.enumerated() {
                try db.execute(sql: "INSERT INTO observations (model_id, metric, observed_at, value) VALUES (?, ?, ?, ?)",
                               arguments: [id, text, "\(stamps[(n + k) % stamps.count])#\(k)", value])
            }
            try db.execute(sql: "INSERT INTO observations (model_id, metric, observed_at, value) VALUES (?, 'text value', ?, 'not a number')",
                           arguments: [id, stamp])
            try db.execute(sql: """
                INSERT INTO tasks (id, model_id, title, assignee, assigned_by, priority, created_at, due_at, status, closed_at)
                VALUES (?, ?, ?, ?, ?, 'p1', ?, ?, ?, ?)
                """, arguments: ["T-hostile-\(n)", id, text, login, login, stamp, stamps[(n + 2) % stamps.count],
                                 ["resolved", "open", "wontfix", "in_progress"][n % 4],
                                 [nil, "2026-01-02T00:00:00.000Z", "2025-06-01T08:00:00.000Z", "x"][n % 4]])
        }
        // Fields longer than the writer's 1 MB buffer, plain and to be quoted.
        for (n, text) in [String(repeating: "a", count: 1_200_000), String(repeating: "b,\"", count: 400_000)].enumerated() {
            try db.execute(sql: """
                INSERT INTO models (id, name, domain, description, kind, risk_tier, business_owner, developer, created_at)
                VALUES (?, 'long', 'Alpha', ?, 'other', 2, ?, ?, '2025-01-01T00:00:00.000Z')
                """, arguments: ["long-\(n)", text, login, login])
        }
        // Many numbers drawn from all of Double's bit patterns (a fixed seed), every finite one written as a fraction would be.
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for k in 0..<3000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            var value = Double(bitPattern: state)
            if !value.isFinite { value = Double(Int64(bitPattern: state) >> 11) }
            if k % 3 == 0 { value = (value.truncatingRemainder(dividingBy: 1e6) * 1000).rounded() / 1000 }
            try db.execute(sql: "INSERT INTO observations (model_id, metric, observed_at, value) VALUES ('hostile-0', 'drawn', ?, ?)",
                           arguments: [String(format: "2025-02-01T00:00:%05d.000Z", k), value])
        }
    }

    /// Every file of the two writers, read back.
    func bundles(_ cut: BundleCut) throws -> (fast: [BundleFile: Data], byRow: [BundleFile: Data], counts: [BundleFile: Int], reference: [BundleFile: Int]) {
        let dir = try TempDir()
        for name in ["fast", "byRow"] { try FileManager.default.createDirectory(atPath: dir.path(name), withIntermediateDirectories: true) }
        let (counts, reference) = try Self.inventory.read { db in
            (try Inventory.writeBundle(db, into: dir.path("fast"), cut: cut), try Inventory.writeBundleByRow(db, into: dir.path("byRow"), cut: cut))
        }
        func files(_ name: String) throws -> [BundleFile: Data] {
            Dictionary(uniqueKeysWithValues: try BundleFile.allCases.map { ($0, try Data(contentsOf: URL(fileURLWithPath: dir.path("\(name)/\($0.fileName)")))) })
        }
        return (try files("fast"), try files("byRow"), counts, reference)
    }

    @Test(arguments: [BundleCut.whole, BundleCut(asOf: Day("2025-12-31")!, lastAuditSeq: 3), BundleCut(asOf: Day("2025-03-01")!, lastAuditSeq: nil)])
    func theFastWriterWritesTheBytesOfTheReference(_ cut: BundleCut) throws {
        let (fast, byRow, counts, reference) = try bundles(cut)
        #expect(counts == reference)
        for file in BundleFile.allCases {
            #expect(fast[file] == byRow[file], "\(file.fileName) as of \(cut.asOf?.description ?? "the whole inventory")")
        }
        // The hostile rows were written (not left out by the cut), quoted and odd.
        let observations = String(decoding: fast[.observations]!, as: UTF8.self)
        #expect(observations.contains("\"with, comma\"") && observations.contains("—") && observations.contains("text value"))
        #expect(counts[.observations]! > 3000)
        let models = String(decoding: fast[.models]!, as: UTF8.self)
        #expect(models.contains("\u{FFFD}") && models.contains("\"with \"\"quotes\"\"\""))
    }
}
