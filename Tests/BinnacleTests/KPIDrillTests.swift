import BinnacleBundle
import BinnacleCore
@testable import BinnacleStore
import Foundation
import Testing

/// Every KPI's drill-down recomputes the report's number from its rows: on a generated portfolio at
/// two dates, in one domain, on the sample data, and where the denominators are 0.
@Suite struct KPIDrillTests {
    /// The report's value of `kpi` in `kpis`.
    static func reported(_ kpi: KPIName, _ kpis: KPIs) -> KPIValue { kpis.fields.first { $0.key == kpi.rawValue }!.value }

    static func same(_ a: KPIValue, _ b: KPIValue) -> Bool {
        switch (a, b) {
        // Sums of money differ only by the order they were added in.
        case (.money(let x), .money(let y)): return abs(x - y) <= 1e-9 * max(1, abs(y))
        case (.share(let x?), .share(let y?)): return abs(x - y) <= 1e-12
        default: return a == b
        }
    }

    static func expectDrillsReproduce(_ inventory: Inventory, asOf: Day, domain: String? = nil) throws {
        let report = try inventory.report(asOf: asOf, domain: nil, trend: false)
        let kpis = try domain.map { d in try #require(report.domains.first { $0.domain == d }).kpis } ?? report.kpis
        for kpi in KPIName.allCases {
            let drill = try inventory.kpiDrill(kpi, asOf: asOf, domain: domain)
            #expect(same(drill.value, reported(kpi, kpis)), "\(kpi.rawValue) as of \(asOf) in \(domain ?? "all"): \(drill.value) vs \(reported(kpi, kpis))")
            #expect(drill.rows.allSatisfy { domain == nil || $0.domain == domain })
        }
    }

    static func generated() throws -> Inventory {
        let dir = try TempDir()
        try PortfolioGenerator(models: 150, seed: 9, asOf: day("2026-03-15")).write(to: dir.path("bundle"))
        let inventory = try Inventory(path: dir.path("db.sqlite"), mode: .create)
        _ = try inventory.importer.importBundle(directory: dir.path("bundle"), replace: false, actor: "test")
        return inventory
    }

    @Test func everyDrillReproducesItsKPIOnAGeneratedPortfolio() throws {
        let inventory = try Self.generated()
        for d in [day("2026-03-15"), day("2025-09-30")] { try Self.expectDrillsReproduce(inventory, asOf: d) }
        let domain = try #require(try inventory.domains().first)
        try Self.expectDrillsReproduce(inventory, asOf: day("2026-03-15"), domain: domain)
    }

    @Test func everyDrillReproducesItsKPIOnTheSampleData() throws {
        let dir = try TempDir()
        let inventory = try Inventory(path: dir.path("db.sqlite"), mode: .create)
        _ = try inventory.importer.importBundle(directory: packageRoot.appendingPathComponent("sample-data").path, replace: false, actor: "test")
        let asOf = try #require(try inventory.portfolioInfo().asOf)
        try Self.expectDrillsReproduce(inventory, asOf: asOf)
        try Self.expectDrillsReproduce(inventory, asOf: asOf.monthEnds(count: 1)[0])
    }

    @Test func theDrillsOfTheHandComputedFixtureAddUp() throws {
        let inventory = try KPIFixtureTests.fixture().inventory()
        try Self.expectDrillsReproduce(inventory, asOf: day("2025-06-30"))
        try Self.expectDrillsReproduce(inventory, asOf: day("2025-06-30"), domain: "Gamma")
    }

    @Test func aZeroDenominatorIsADashInTheFooter() throws {
        let inventory = try Self.generated()
        let before = day("2000-01-01")
        try Self.expectDrillsReproduce(inventory, asOf: before)
        for kpi in [KPIName.impactShare, .builtToValueShare, .roi12m, .docsCompleteShare, .medianDaysToProduction, .shelvedShare] {
            let drill = try inventory.kpiDrill(kpi, asOf: before)
            #expect(drill.rows.isEmpty || kpi == .roi12m)
            #expect(drill.footer.hasSuffix("= \(Format.undefined)"), "\(kpi.rawValue): \(drill.footer)")
        }
    }

    @Test func theFooterSaysTheArithmeticAndMarksTheMedian() {
        func row(_ id: String, days: Int? = nil, counts: Bool = false) -> DrillRow {
            var r = DrillRow(modelId: id, modelName: id, domain: "A")
            r.days = days
            r.counts = counts
            return r
        }
        let impact = KPIDrill(kpi: .impactShare, asOf: day("2025-01-01"), domain: nil, currency: "EUR",
                              rows: [row("a", counts: true), row("b", counts: true), row("c")])
        #expect(impact.footer == "with impact 2 / production 3 = 66.7%")
        let median = KPIDrill(kpi: .medianDaysToProduction, asOf: day("2025-01-01"), domain: nil, currency: "",
                              rows: [row("a", days: 40), row("b", days: 10), row("c", days: 30), row("d", days: 20)])
        #expect(median.value == .days(25))
        #expect(median.medianRows == [2, 3])
        #expect(median.footer == "median of 4 = 25 d")
    }

    /// Production models with no value in the window: the footer and the value say "no data", as the tile does.
    @Test func noValueRecordedIsNoDataNotZero() throws {
        var f = Fixture()
        f.model("m1", created: "2025-01-01")
        f.model("m2", created: "2025-01-01")
        f.stage("m1", "production", "2025-02-01")
        f.stage("m2", "validation", "2025-02-01")
        f.value("m1", "2024-03-01", 500, cost: 100)   // older than 12 months at D
        let inventory = try f.inventory()
        let d = day("2025-06-30")
        let report = try inventory.report(asOf: d, trend: false)
        for (kpi, window) in [(KPIName.impactShare, 90), (.builtToValueShare, 90), (.value12m, 365), (.cost12m, 365), (.roi12m, 365)] {
            let drill = try inventory.kpiDrill(kpi, asOf: d)
            #expect(drill.shown == nil, "\(kpi.rawValue)")
            #expect(drill.footer.hasPrefix("no value recorded in \(window) days"), "\(kpi.rawValue): \(drill.footer)")
            #expect(drill.footer.hasSuffix("= \(Format.undefined)") || kpi.list == .value, "\(kpi.rawValue): \(drill.footer)")
            #expect(!drill.footer.contains("0.0%"), "\(kpi.rawValue): \(drill.footer)")
            // The recomputation still equals the report's number, by the definitions.
            #expect(Self.same(drill.value, Self.reported(kpi, report.kpis)))
        }
        #expect(KPIName.impactShare.value(report.kpis) == nil)
        // A KPI outside the value windows is shown as recomputed.
        #expect(try inventory.kpiDrill(.shelvedShare, asOf: d).shown == .share(0))
        // With value recorded, the footer is the arithmetic alone.
        let recorded = try inventory.kpiDrill(.impactShare, asOf: day("2024-03-31"))
        #expect(recorded.footer == "with impact 0 / production 0 = \(Format.undefined)" && recorded.shown == .share(nil))
    }
}
