import BinnacleBundle
import BinnacleCore
@testable import BinnacleStore
import Foundation
import GRDB
import Testing

/// The synthetic portfolio: reproducible, stable by construction, valid, and still telling its stories.
@Suite struct GeneratorTests {
    static let asOf = day("2026-11-21")

    func generate(_ models: Int, seed: UInt64, into dir: TempDir, _ name: String) throws -> String {
        let path = dir.path(name)
        try PortfolioGenerator(models: models, seed: seed, asOf: Self.asOf).write(to: path)
        return path
    }

    func files(_ folder: String) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) {
            files[name] = try Data(contentsOf: URL(fileURLWithPath: folder).appendingPathComponent(name))
        }
        return files
    }

    @Test func theSameSeedGivesTheSameBundleByteForByte() throws {
        let dir = try TempDir()
        let a = try files(generate(60, seed: 9, into: dir, "a"))
        let b = try files(generate(60, seed: 9, into: dir, "b"))
        #expect(a.count == BundleFile.allCases.count)
        #expect(a == b)
        let other = try files(generate(60, seed: 10, into: dir, "c"))
        #expect(other["observations.csv"] != a["observations.csv"])
    }

    /// Ten more models add rows and people but change none: each file of the smaller portfolio is the
    /// start of the larger one's (the roster grows from 40 to 43 people in between), and the audit history,
    /// in order of time, keeps every entry of the smaller one in the same order.
    @Test func tenMoreModelsLeaveTheFirstModelsRowsUntouched() throws {
        let dir = try TempDir()
        let small = try files(generate(150, seed: 4, into: dir, "small"))
        let large = try files(generate(160, seed: 4, into: dir, "large"))
        for (name, data) in small where name != "audit.csv" {
            let larger = try #require(large[name])
            #expect(larger.prefix(data.count) == data, "\(name) changed")
        }
        func lines(_ data: Data?) -> [Substring] { String(decoding: data ?? Data(), as: UTF8.self).split(separator: "\n") }
        var remaining = lines(large["audit.csv"])[...]
        for line in lines(small["audit.csv"]) {
            guard let found = remaining.firstIndex(of: line) else { Issue.record("audit.csv lost or moved: \(line)"); break }
            remaining = remaining[(found + 1)...]
        }
        #expect(lines(large["audit.csv"]).count > lines(small["audit.csv"]).count)
        #expect(large["models.csv"]!.count > small["models.csv"]!.count && large["people.csv"]!.count > small["people.csv"]!.count)
    }

    /// The demo portfolio is exactly what README's command writes, so it can always be regenerated.
    @Test func sampleDataIsWhatTheGeneratorWrites() throws {
        let dir = try TempDir()
        let generated = try files(generate(150, seed: 2, into: dir, "demo"))
        let sample = try files(packageRoot.appendingPathComponent("sample-data").path)
        for (name, data) in generated {
            #expect(sample[name] == data, "sample-data/\(name) is not what `binnacle generate --models 150 --seed 2 --as-of 2026-11-21` writes")
        }
    }

    /// Any seed's portfolio imports and has the shapes the screens are built to show.
    @Test(arguments: [UInt64(1), 2])
    func aGeneratedPortfolioImportsAndTellsItsStories(seed: UInt64) throws {
        let dir = try TempDir()
        let bundle = try generate(300, seed: seed, into: dir, "bundle")
        let inventory = try Inventory(path: dir.path("g.sqlite"), mode: .create)
        let summary = try inventory.importer.importBundle(directory: bundle, replace: false, actor: "t")
        #expect(summary.rows[.models] == 300 && summary.rows[.people] == 81)
        let k = try inventory.report(asOf: Self.asOf).kpis
        #expect(k.alertsCritical > 0 && k.alertsWarning > 0 && k.overdueTasks > 0 && k.openTasks > k.overdueTasks)
        #expect(k.docsCompleteShare! < 1 && k.shelvedShare! > 0.2 && k.impactShare! < Targets.impactShare)
        let shapes = try inventory.read { db in
            try Row.fetchOne(db, sql: """
                SELECT (SELECT COUNT(*) FROM models WHERE validator = developer) AS ownValidated,
                       (SELECT COUNT(*) FROM models m JOIN people p ON p.login = m.business_owner WHERE NOT p.active) AS orphaned,
                       (SELECT COUNT(*) FROM documents WHERE expires_at > ? AND expires_at <= ?) AS expiringIn90Days
                """, arguments: [Timestamp(day: Self.asOf).description, Timestamp(day: Self.asOf.adding(days: 90)).description])!
        }
        let ownValidated: Int = shapes["ownValidated"], orphaned: Int = shapes["orphaned"], expiring: Int = shapes["expiringIn90Days"]
        #expect(ownValidated > 1 && orphaned > 0 && expiring > 0)
        let recommender = try inventory.modelDetail(id: "restaurant-merchant-recommender", asOf: Self.asOf)
        #expect(recommender.alerts.contains { $0.severity == .critical && $0.metric == "psi_score" })
        // The carried history is chained before the import's own entry, and verifies.
        let history = summary.rows[.audit] ?? 0
        #expect(history > 10)
        #expect(try inventory.verifyChain() == .intact(entries: history + 1, head: summary.auditEntry.hash))
        let actions = try inventory.read { try Set(String.fetchAll($0, sql: "SELECT action FROM audit_log")) }
        #expect(actions.isSuperset(of: ["stage.set", "document.approve", "task.assign", "import.bundle"]))
        let recommenderHistory = try inventory.read {
            try String.fetchAll($0, sql: "SELECT action FROM audit_log WHERE entity = 'model:restaurant-merchant-recommender'")
        }
        #expect(recommenderHistory.contains("task.assign"))
    }
}
