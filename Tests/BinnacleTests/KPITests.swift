import BinnacleBundle
import BinnacleCore
import BinnacleStore
import Testing

/// Every KPI against a portfolio computed by hand (see the comments), as of D = 2025-06-30.
/// Windows at D: impact 2025-04-02…06-30, year 2024-07-01…2025-06-30, fresh 2025-06-17…06-30.
@Suite struct KPIFixtureTests {
    static func fixture() -> Fixture {
        var f = Fixture()
        // Domain Alpha
        f.model("m1", created: "2024-01-01")
        f.stage("m1", "development", "2024-02-01"); f.stage("m1", "validation", "2024-04-01"); f.stage("m1", "production", "2024-06-01")
        f.value("m1", "2025-04-02", 100, cost: 10)                          // first day of the 90-day window: impact
        f.document("m1", "model_card", approved: "2024-05-01")
        f.monitor("m1", "auc", "below", warn: 0.7, critical: 0.6)
        f.observation("m1", "auc", "2025-06-01", 0.9)
        f.observation("m1", "auc", "2025-06-17T00:00:00Z", 0.65)            // first day of the 14-day window: warning

        f.model("m2", tier: 2, created: "2024-01-01")
        f.stage("m2", "development", "2024-02-01"); f.stage("m2", "production", "2024-09-01")
        f.value("m2", "2025-04-01", 500, cost: 20)                          // a day before the 90-day window: no impact
        f.document("m2", "model_card", approved: "2024-08-01")
        f.document("m2", "validation_report", approved: "2024-08-01", expires: "2025-06-30")  // expires on D: not current
        f.document("m2", "monitoring_plan", approved: "2024-08-01", expires: "2025-07-01")
        f.monitor("m2", "psi_score", "above", warn: 0.1, critical: 0.25)
        f.observation("m2", "psi_score", "2025-06-16T23:59:59Z", 0.5)       // a day before the 14-day window: stale
        f.observation("m2", "psi_score", "2025-07-01", 0.0)                 // after D: ignored
        f.monitor("m2", "null_rate", "above", warn: 0.02, critical: 0.05)
        f.observation("m2", "null_rate", "2025-06-20", 0.3)                 // critical
        f.monitor("m2", "p95_latency_ms", "above", warn: 800, critical: 1500) // never observed: stale (still one per model)

        f.model("m8", created: "2024-01-01")
        f.stage("m8", "production", "2024-06-30T12:00:00Z")                 // first production a day before the year window
        f.document("m8", "model_card", approved: "2024-06-01", expires: "2025-07-01")
        f.monitor("m8", "auc", "below", warn: 0.7, critical: 0.6)
        f.observation("m8", "auc", "2025-06-30T23:00:00Z", 0.59)            // late on D: counts; critical
        f.observation("m8", "auc", "2025-07-01T00:00:00Z", 0.99)            // after D: ignored

        f.model("m9", created: "2024-06-01")
        f.stage("m9", "production", "2024-07-01T08:00:00Z")                 // first day of the year window: 30 days
        f.value("m9", "2025-06-30", 0, cost: 0)
        f.value("m9", "2025-05-01", -50, cost: 5)                           // value sums to −50: no impact
        f.monitor("m9", "mape", "above", warn: 0.15, critical: 0.25)
        f.observation("m9", "mape", "2025-06-25", 0.25)                     // exactly the critical threshold

        // Domain Beta: created after D, so absent.
        f.model("m5", domain: "Beta", created: "2025-07-01")
        f.stage("m5", "production", "2025-07-02")

        // Domain Gamma
        f.model("m3", domain: "Gamma", created: "2024-03-01")
        f.stage("m3", "production", "2025-01-10T09:00:00Z")                 // same day: the later time stamp wins
        f.stage("m3", "shelved", "2025-01-10T15:00:00Z")

        f.model("m4", domain: "Gamma", kind: "genai", created: "2024-03-01")
        f.stage("m4", "validation", "2025-02-01T10:00:00Z")                 // same time stamp: the later row wins
        f.stage("m4", "production", "2025-02-01T10:00:00Z")
        f.value("m4", "2025-06-30", 50, cost: 10)
        f.document("m4", "model_card", approved: "2025-01-01")
        f.document("m4", "risk_assessment", approved: "2025-07-01")         // approved after D: not current

        f.model("m6", domain: "Gamma", tier: 1, created: "2023-01-01")
        f.stage("m6", "development", "2023-02-01"); f.stage("m6", "validation", "2023-05-01")
        f.value("m6", "2024-07-01", 0, cost: 200)                           // first day of the year window
        f.value("m6", "2024-06-30", 0, cost: 999)                           // a day before it

        f.model("m7", domain: "Gamma", created: "2023-01-01")               // no stage changes: idea

        f.task("t1", "m1", created: "2025-06-01", due: "2025-06-29")                          // open, overdue
        f.task("t2", "m2", created: "2025-06-01", due: "2025-06-30")                          // open, due on D: not overdue
        f.task("t3", "m3", created: "2025-06-01", due: "2025-06-10", closed: "2025-06-30", status: "resolved") // closed on D
        f.task("t4", "m4", created: "2025-06-01", due: "2025-06-01", closed: "2025-07-01", status: "resolved") // closed after D
        f.task("t5", "m6", created: "2025-07-01", due: "2025-07-10")                          // created after D
        return f
    }

    let report: PortfolioReport

    init() throws {
        report = try Self.fixture().inventory().report(asOf: day("2025-06-30"))
    }

    @Test func portfolioKPIs() {
        let k = report.kpis
        #expect(k.productionModels == 5)          // m1 m2 m8 m9 m4
        #expect(k.builtModels == 7)               // those + m3 (production, then shelved) + m6 (validation)
        #expect(k.productionWithImpact == 2)      // m1, m4
        #expect(k.impactShare == 2.0 / 5)
        #expect(k.builtToValueShare == 2.0 / 7)
        #expect(k.value12m == 600)                // 100 + 500 + 0 − 50 + 50 + 0
        #expect(k.cost12m == 245)                 // 10 + 20 + 0 + 5 + 10 + 200
        #expect(k.roi12m == (600.0 - 245) / 245)
        #expect(k.alertsCritical == 3)            // m2 null_rate, m8 auc, m9 mape
        #expect(k.alertsWarning == 3)             // m1 auc, m2 stale (once), m4 unmonitored
        #expect(k.modelsWithCritical == 3)
        #expect(k.docsCompleteShare == 2.0 / 5)   // m1, m8
        #expect(k.medianDaysToProduction == 279.5) // m9 30, m2 244, m3 315, m4 337
        #expect(k.shelvedShare == 1.0 / 7)
        #expect(k.openTasks == 3)                 // t1 t2 t4
        #expect(k.overdueTasks == 2)              // t1 t4
    }

    @Test func domainsExistingAtTheDateSortedByName() {
        #expect(report.domains.map(\.domain) == ["Alpha", "Gamma"])
        let a = report.domains[0].kpis
        #expect(a.productionModels == 4 && a.builtModels == 4 && a.productionWithImpact == 1)
        #expect(a.impactShare == 0.25 && a.builtToValueShare == 0.25)
        #expect(a.value12m == 550 && a.cost12m == 35 && a.roi12m == 515.0 / 35)
        #expect(a.alertsCritical == 3 && a.alertsWarning == 2 && a.modelsWithCritical == 3)
        #expect(a.docsCompleteShare == 0.5)
        #expect(a.medianDaysToProduction == 137)  // 30 and 244
        #expect(a.shelvedShare == 0)
        #expect(a.openTasks == 2 && a.overdueTasks == 1)
        let g = report.domains[1].kpis
        #expect(g.productionModels == 1 && g.builtModels == 3 && g.productionWithImpact == 1)
        #expect(g.impactShare == 1 && g.builtToValueShare == 1.0 / 3)
        #expect(g.value12m == 50 && g.cost12m == 210 && g.roi12m == -160.0 / 210)
        #expect(g.alertsCritical == 0 && g.alertsWarning == 1 && g.modelsWithCritical == 0)
        #expect(g.docsCompleteShare == 0)
        #expect(g.medianDaysToProduction == 326)
        #expect(g.shelvedShare == 1.0 / 3)
        #expect(g.openTasks == 1 && g.overdueTasks == 1)
    }

    @Test func trendIsTheTwelveMonthEndsOldestFirst() {
        #expect(report.trend.map(\.asOf.description) == [
            "2024-07-31", "2024-08-31", "2024-09-30", "2024-10-31", "2024-11-30", "2024-12-31",
            "2025-01-31", "2025-02-28", "2025-03-31", "2025-04-30", "2025-05-31", "2025-06-30",
        ])
        #expect(report.trend.last!.kpis == report.kpis)   // D is itself a month-end
        #expect(report.trend[6].kpis.productionModels == 4) // Jan 2025: m1 m2 m8 m9 (m3 shelved, m4 not yet)
        #expect(report.trend[0].kpis.productionModels == 3) // Jul 2024: m1 m8 m9
    }

    @Test func alertListMatchesTheCounts() throws {
        let alerts = try Self.fixture().inventory().alerts(asOf: day("2025-06-30"))
        #expect(alerts.filter { $0.severity == .critical }.map(\.modelId).sorted() == ["m2", "m8", "m9"])
        #expect(alerts.filter { $0.severity == .warning }.map { "\($0.modelId):\($0.reason.rawValue)" }.sorted()
                == ["m1:threshold", "m2:stale", "m4:unmonitored"])
        let m8 = try #require(alerts.first { $0.modelId == "m8" })
        #expect(m8.value == 0.59 && m8.threshold == 0.6 && m8.metric == "auc")
    }

    @Test func modelListShowsStageAlertsAndDocuments() throws {
        let models = try Self.fixture().inventory().modelSummaries(asOf: day("2025-06-30"))
        #expect(models.map(\.id) == ["m1", "m2", "m8", "m9", "m3", "m4", "m6", "m7"])
        let byId = Dictionary(uniqueKeysWithValues: models.map { ($0.id, $0) })
        #expect(byId["m3"]!.stage == .shelved && byId["m4"]!.stage == .production && byId["m7"]!.stage == .idea)
        #expect(byId["m2"]!.missingDocuments == ["validation_report"])
        #expect(byId["m4"]!.missingDocuments == ["risk_assessment"])
        #expect(byId["m2"]!.alertsCritical == 1 && byId["m2"]!.alertsWarning == 1)
        let production = try Self.fixture().inventory().modelSummaries(asOf: day("2025-06-30"), stage: .production, domain: "Gamma")
        #expect(production.map(\.id) == ["m4"])
    }
}

@Suite struct KPIEdgeTests {
    @Test func emptyPortfolioHasNullSharesAndZeroCounts() throws {
        let report = try Fixture().inventory().report(asOf: day("2025-06-30"))
        let k = report.kpis
        #expect(k.impactShare == nil && k.builtToValueShare == nil && k.roi12m == nil)
        #expect(k.docsCompleteShare == nil && k.medianDaysToProduction == nil && k.shelvedShare == nil)
        #expect(k.value12m == 0 && k.cost12m == 0 && k.alertsCritical == 0 && k.openTasks == 0)
        #expect(report.domains.isEmpty)
        #expect(report.trend.count == 12)
        let json = report.json()
        #expect(json.contains("\"impact_share\": null"))
        #expect(json.contains("\"roi_12m\": null"))
        #expect(!json.contains("nan") && !json.contains("inf"))
    }

    @Test func zeroDenominatorsAreNullNotZero() throws {
        // Built but nothing in production: the production shares are undefined; built ones are not.
        var f = Fixture()
        f.model("v", created: "2025-01-01")
        f.stage("v", "validation", "2025-02-01")
        let k = try f.inventory().report(asOf: day("2025-06-30")).kpis
        #expect(k.productionModels == 0 && k.builtModels == 1)
        #expect(k.impactShare == nil && k.docsCompleteShare == nil)
        #expect(k.builtToValueShare == 0 && k.shelvedShare == 0)
        #expect(k.roi12m == nil)
    }

    @Test func modelCreatedOnTheDateExistsAndAfterItDoesNot() throws {
        var f = Fixture()
        f.model("a", domain: "On", created: "2025-06-30T23:59:59Z")
        f.model("b", domain: "After", created: "2025-07-01")
        let report = try f.inventory().report(asOf: day("2025-06-30"))
        #expect(report.domains.map(\.domain) == ["On"])
    }

    @Test func reportForOneDomain() throws {
        let report = try KPIFixtureTests.fixture().inventory().report(asOf: day("2025-06-30"), domain: "Gamma")
        #expect(report.domains.map(\.domain) == ["Gamma"])
        #expect(report.kpis == report.domains[0].kpis)
        #expect(report.kpis.productionModels == 1)
    }

    @Test func medianOfAnOddCountIsTheMiddle() {
        #expect(KPIs.median([5, 1, 3]) == 3)
        #expect(KPIs.median([4, 1, 3, 2]) == 2.5)
        #expect(KPIs.median([]) == nil)
    }
}
