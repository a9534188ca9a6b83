import BinnacleBundle
import BinnacleCore
@testable import BinnacleStore
import Foundation
import GRDB
import Testing

/// The one-pass KPI engine (KPISweep) against the per-date SQL it replaces: the same counts for
/// every domain at every date, whatever the dates (month-ends, window edges, before the first model).
@Suite struct KPISweepTests {
    /// Equal counts, amounts up to the rounding of summing in another order, days in any order.
    static func same(_ a: [String: KPICounts], _ b: [String: KPICounts]) -> Bool {
        guard Set(a.keys) == Set(b.keys) else { return false }
        return a.allSatisfy { domain, x in
            var y = b[domain]!, x = x
            guard close(x.value12m, y.value12m), close(x.cost12m, y.cost12m),
                  x.daysToProduction.sorted() == y.daysToProduction.sorted() else { return false }
            (x.value12m, x.cost12m, x.daysToProduction) = (0, 0, [])
            (y.value12m, y.cost12m, y.daysToProduction) = (0, 0, [])
            return x == y
        }
    }

    /// A generated portfolio of `models` models imported into a new inventory in `dir`.
    static func generated(models: Int, seed: UInt64, asOf end: Day, in dir: TempDir) throws -> Inventory {
        try PortfolioGenerator(models: models, seed: seed, asOf: end).write(to: dir.path("bundle"))
        let inventory = try Inventory(path: dir.path("db.sqlite"), mode: .create)
        _ = try inventory.importer.importBundle(directory: dir.path("bundle"), replace: false, actor: "test")
        return inventory
    }

    static func expectSweepAgrees(_ inventory: Inventory, dates: [Day], domain: String? = nil) throws {
        try inventory.read { db in
            let swept = try #require(try KPISweep.counts(db, asOf: dates, domain: domain))
            for (d, counts) in zip(dates, swept) {
                let sql = try Inventory.countsByDomain(db, asOf: d, domain: domain).byDomain
                #expect(same(counts, sql), "as of \(d), domain \(domain ?? "all"): sweep \(counts) vs SQL \(sql)")
                // One date alone: its windows are the only ones read.
                let alone = try #require(try KPISweep.counts(db, asOf: [d], domain: domain))
                #expect(same(alone[0], sql), "as of \(d) alone, domain \(domain ?? "all")")
            }
        }
    }

    @Test(arguments: [5, 17])
    func sweepAgreesWithTheSQLOnGeneratedPortfolios(seed: Int) throws {
        let dir = try TempDir()
        let end = day("2026-03-15")
        let inventory = try KPISweepTests.generated(models: 150, seed: UInt64(seed), asOf: end, in: dir)
        // A report's dates (D and its month-ends), the windows' edges around month-ends, the 14-day
        // window after monitoring stops, and a date before any model.
        let edges = [0, 1, 89, 90, 91, 364, 365, 366].map { day("2025-09-30").adding(days: $0) } + (12...15).map { end.adding(days: $0) }
        try KPISweepTests.expectSweepAgrees(inventory, dates: [end] + end.monthEnds(count: Windows.trendMonths))
        try KPISweepTests.expectSweepAgrees(inventory, dates: edges + [day("2020-01-01")])
        let domain = try inventory.domains().first
        try KPISweepTests.expectSweepAgrees(inventory, dates: [end, day("2025-12-31")], domain: domain)
    }

    @Test func sweepAgreesOnTheHandComputedFixtureAtEveryDayAroundIt() throws {
        let inventory = try KPIFixtureTests.fixture().inventory()
        let dates = (-20...20).map { day("2025-06-30").adding(days: $0) } + [day("2024-06-30"), day("2024-07-01"), day("2023-12-31")]
        try KPISweepTests.expectSweepAgrees(inventory, dates: dates)
        try KPISweepTests.expectSweepAgrees(inventory, dates: dates, domain: "Gamma")
    }

    @Test func anEmptyPortfolioHasNoDomains() throws {
        let inventory = try Fixture().inventory()
        try inventory.read { db in
            let swept = try #require(try KPISweep.counts(db, asOf: [day("2025-06-30")], domain: nil))
            #expect(swept == [[:]])
        }
    }

    /// A date written around Binnacle in another form is compared as SQL compares text: the sweep
    /// steps aside and the report is the SQL's.
    @Test func aDateInAnotherFormFallsBackToTheSQL() throws {
        let inventory = try KPIFixtureTests.fixture().inventory()
        let writer = try DatabaseQueue(path: inventory.path)
        try writer.write { db in try db.execute(sql: "UPDATE stage_changes SET changed_at = '2024/06/01' WHERE model_id = 'm1' AND stage = 'production'") }
        try writer.close()
        let swept = try inventory.read { db in try KPISweep.counts(db, asOf: [day("2025-06-30")], domain: nil) }
        #expect(swept == nil)
        let report = try inventory.report(asOf: day("2025-06-30"), trend: false)
        let sql = try inventory.read { db in try Inventory.countsByDomain(db, asOf: day("2025-06-30"), domain: nil).total }
        #expect(report.kpis == KPIs(sql))
    }
}

extension KPISweepTests {
    /// The alert list (check, the dashboard's alerts) from the sweep is the SQL's, row for row.
    @Test func alertsAgreeWithTheSQL() throws {
        let dir = try TempDir()
        let end = day("2026-03-15")
        let generated = try KPISweepTests.generated(models: 150, seed: 5, asOf: end, in: dir)
        let fixture = try KPIFixtureTests.fixture().inventory()
        for (inventory, dates) in [(generated, [end, end.adding(days: 13), end.adding(days: 14), day("2025-09-30")]),
                                   (fixture, (-16...2).map { day("2025-06-30").adding(days: $0) })] {
            try inventory.read { db in
                for d in dates {
                    let swept = try #require(try KPISweep.alerts(db, asOf: d, domain: nil))
                    let sql = try Inventory.alertsBySQL(db, asOf: d, domain: nil, modelId: nil)
                    #expect(swept.count == sql.count && !sql.isEmpty, "as of \(d)")
                    #expect("\(swept)" == "\(sql)", "as of \(d)")
                }
            }
        }
    }
}

/// The sweep's two lanes (this connection and one beside it) share the monitors' seeks a run of models at a time.
extension KPISweepTests {
    /// More models than two runs: both lanes take runs (which ones depends on timing); counts and alerts are the SQL's.
    @Test func lanesSharingTheMonitorsAgreeWithTheSQL() throws {
        let dir = try TempDir()
        let end = day("2026-03-15")
        let inventory = try KPISweepTests.generated(models: 2 * MonitorClaims.run + 100, seed: 11, asOf: end, in: dir)
        try KPISweepTests.expectSweepAgrees(inventory, dates: [end] + end.monthEnds(count: 3))
        try KPISweepTests.expectSweepAgrees(inventory, dates: [end], domain: try inventory.domains().first)
        try inventory.read { db in
            let swept = try #require(try KPISweep.alerts(db, asOf: end, domain: nil))
            let sql = try Inventory.alertsBySQL(db, asOf: end, domain: nil, modelId: nil)
            #expect(swept.count == sql.count && !sql.isEmpty)
            #expect("\(swept)" == "\(sql)")
        }
    }

    /// Several dates' value records come from the index by model with their cost (schema 4); a file whose index
    /// lacks the cost (read as it is until `migrate`) gives the same counts, planned another way.
    @Test func valueRecordsByModelWithoutTheCostInTheIndexAgree() throws {
        let dir = try TempDir()
        let end = day("2026-03-15")
        let inventory = try KPISweepTests.generated(models: 150, seed: 7, asOf: end, in: dir)
        let dates = [end] + end.monthEnds(count: Windows.trendMonths)
        let withCost = try inventory.read { db in try KPISweep.counts(db, asOf: dates, domain: nil) }
        let writer = try DatabaseQueue(path: inventory.path)
        try writer.write { db in
            try db.execute(sql: "DROP INDEX value_by_model")
            try db.execute(sql: "CREATE INDEX value_by_model ON value_records(model_id, date, value)")
        }
        try writer.close()
        let without = try inventory.read { db in try KPISweep.counts(db, asOf: dates, domain: nil) }
        #expect(withCost != nil && without == withCost)
        try KPISweepTests.expectSweepAgrees(inventory, dates: dates)
    }

    /// Every model is handed out once, whichever lane asks.
    @Test func claimsHandOutEveryModelOnce() {
        let claims = MonitorClaims(models: 10 * MonitorClaims.run + 7)
        final class Taken: @unchecked Sendable {   // written under `lock` only
            let lock = NSLock()
            var runs: [Range<Int>] = []
        }
        let taken = Taken()
        DispatchQueue.concurrentPerform(iterations: 2) { lane in
            while let run = claims.take(beside: lane == 1) { taken.lock.withLock { taken.runs.append(run) } }
        }
        let models = taken.runs.flatMap { Array($0) }.sorted()
        #expect(models == Array(0..<(10 * MonitorClaims.run + 7)))
        // The second lane's runs are known (sought again if it fails), and a closed claim hands out no more.
        let again = MonitorClaims(runs: claims.takenBeside)
        #expect(Set(claims.takenBeside).isSubset(of: Set(taken.runs)) && again.take(beside: false) == claims.takenBeside.first)
        again.close()
        #expect(again.take(beside: false) == nil)
    }

    /// A date in another form (written around Binnacle) makes the sweep step aside for the SQL, one date or
    /// several; unless only another domain's model has it and the sweep counts one domain. Each case: the row
    /// spoiled (its key, its model's domain, another domain), and how.
    @Test(arguments: [
        // A value record: within the windows as SQL compares text, but not a plain date.
        ("""
         SELECT v.model_id, m.domain, (SELECT domain FROM models WHERE domain <> m.domain LIMIT 1)
         FROM value_records v JOIN models m ON m.id = v.model_id WHERE v.date > '2025-12-31' LIMIT 1
         """, "UPDATE value_records SET date = date || 'T00:00' WHERE model_id = ? AND date > '2025-12-31'"),
        // A document's approval (read by the second lane for every model before the stages are known), of a
        // model in production at the dates: only there does it count.
        ("""
         SELECT d.id, m.domain, (SELECT domain FROM models WHERE domain <> m.domain LIMIT 1)
         FROM documents d JOIN models m ON m.id = d.model_id JOIN stage_changes s ON s.model_id = m.id AND s.stage = 'production'
         WHERE d.approved_at IS NOT NULL AND s.changed_at < '2026-01-01' LIMIT 1
         """, "UPDATE documents SET approved_at = 'approved' WHERE id = ?"),
    ])
    func aDateInAnotherFormStepsAsideOnlyWhereItCounts(spoiled: String, spoil: String) throws {
        let dir = try TempDir()
        let end = day("2026-03-15"), dates = [end, day("2026-02-28")]
        let inventory = try KPISweepTests.generated(models: 150, seed: 5, asOf: end, in: dir)
        let row = try #require(try inventory.read { db in try Row.fetchOne(db, sql: spoiled) })
        let (domain, other) = (row[1] as String, row[2] as String)
        let writer = try DatabaseQueue(path: inventory.path)
        try writer.write { db in try db.execute(sql: spoil, arguments: [row[0] as DatabaseValue]) }
        try writer.close()
        try inventory.read { db throws in
            for (asOf, filter) in [([end], nil), (dates, nil), ([end], domain), (dates, domain)] as [([Day], String?)] {
                #expect(try KPISweep.counts(db, asOf: asOf, domain: filter) == nil, "as of \(asOf), domain \(filter ?? "all")")
            }
            #expect(try KPISweep.counts(db, asOf: [end], domain: other) != nil)
        }
        try KPISweepTests.expectSweepAgrees(inventory, dates: dates, domain: other)
    }

    /// The lane waiting for the stages gets the first value given, or nil when the giver failed first.
    @Test func aHandoffGivesOnce() {
        let given = Handoff<Int>()
        given.give(3)
        given.give(nil)
        #expect(given.wait() == 3 && given.wait() == 3)
        let failed = Handoff<Int>()
        failed.give(nil)
        failed.give(4)
        #expect(failed.wait() == nil)
    }
}
