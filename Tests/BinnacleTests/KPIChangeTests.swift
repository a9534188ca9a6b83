import BinnacleCore
import BinnacleStore
import Foundation
import Testing
import TerminalUI
@testable import BinnacleApp
@testable import BinnacleCLI

/// Deltas against the previous month-end, judged by each KPI's direction; one status vocabulary for targets.
@Suite struct KPIChangeTests {
    /// A KPI holds its target: the report's `_status` keys, the Overview, the report and the board pack all
    /// read `KPIName.target`, in the KPIs' order (the report JSON's key order is pinned here).
    @Test func eachTargetBelongsToItsKPI() {
        #expect(Targets.byKey.map(\.key) == ["impact_share", "roi_12m", "alerts_critical", "docs_complete_share", "overdue_tasks"])
        #expect(KPIName.impactShare.target?.label == Targets.impact.label && KPIName.overdueTasks.target?.label == "0 overdue")
        #expect(KPIName.allCases.filter { $0.target != nil }.count == 5)
    }

    /// Value delivered is wanted up; waste, delay and risk down.
    @Test func eachKPIHasADirection() {
        let higher: [KPIName] = [.impactShare, .builtToValueShare, .value12m, .roi12m, .docsCompleteShare]
        for m in KPIName.allCases {
            #expect(m.direction == (higher.contains(m) ? .higherIsBetter : .lowerIsBetter), "\(m)")
        }
        #expect(KPIName.impactShare.verdict(from: 0.778, to: 0.8) == .better)
        #expect(KPIName.impactShare.verdict(from: 0.8, to: 0.778) == .worse)
        #expect(KPIName.shelvedShare.verdict(from: 0.3, to: 0.2) == .better)   // falling shelved share is good
        #expect(KPIName.alertsCritical.verdict(from: 0, to: 2) == .worse)
        #expect(KPIName.medianDaysToProduction.verdict(from: 200, to: 90) == .better)
        #expect(KPIName.overdueTasks.verdict(from: 3, to: 3) == .same)
        // A change too small to show (under 0.05 pt) reads as the same; undefined has no verdict.
        #expect(KPIName.docsCompleteShare.verdict(from: 0.5, to: 0.50004) == .same)
        #expect(KPIName.roi12m.verdict(from: nil, to: 0.3) == nil)
        // Compared as shown: 32.5% → 32.6% is a tenth of a point worse, not 0.0.
        let shelved = KPIDelta(.shelvedShare, previous: shares(shelved: 32549), current: shares(shelved: 32558))
        #expect(shelved.change == "+0.1 pt" && shelved.verdict == .worse)
        #expect(KPIName.impactShare.change(0.8 - 0.778) == "+2.2 pt")
        #expect(KPIName.alertsCritical.change(-2) == "-2")
        #expect(KPIName.cost12m.change(-1_200_000) == "-1.2M" && KPIName.cost12m.verdict(from: 2e6, to: 1e6) == .better)
        #expect(KPIName.medianDaysToProduction.change(12) == "+12 d")
    }

    /// Money is compared at the precision the compact display shows: 1.2M → 1.2M is the same, not +3.
    @Test func moneyIsComparedAsShownCompactly() {
        func money(_ v: Double) -> KPIs {
            var c = KPICounts()
            c.value12m = v; c.valueRecords12m = 1
            return KPIs(c)
        }
        let same = KPIDelta(.value12m, previous: money(1_200_000), current: money(1_200_003))
        #expect(same.verdict == .same && same.change == "0", "\(same)")
        let up = KPIDelta(.value12m, previous: money(1_200_000), current: money(1_260_000))
        #expect(up.verdict == .better && up.change == "+100.0k", "\(up)")
        let small = KPIDelta(.value12m, previous: money(9_400), current: money(9_401))
        #expect(small.verdict == .better && small.change == "+1")
        #expect(KPIDelta(.value12m, previous: money(12_340), current: money(12_349)).verdict == .same)   // both 12.3k
    }

    /// KPIs whose shelved share is `shelved` in 100,000 built models.
    func shares(shelved: Int) -> KPIs {
        var c = KPICounts()
        c.builtModels = 100_000; c.shelvedModels = shelved
        return KPIs(c)
    }

    /// The comparison date is the month-end strictly before D, whether D is a month-end, mid-month or a first day.
    @Test func deltasCompareWithThePreviousMonthEnd() {
        #expect(PortfolioReport.deltaDate(for: day("2026-09-30")) == day("2026-08-31"))
        #expect(PortfolioReport.deltaDate(for: day("2026-09-15")) == day("2026-08-31"))
        #expect(PortfolioReport.deltaDate(for: day("2026-09-01")) == day("2026-08-31"))
        #expect(PortfolioReport.deltaDate(for: day("2026-03-31")) == day("2026-02-28"))
        #expect(PortfolioReport.deltaDate(for: day("2026-01-01")) == day("2025-12-31"))
    }

    /// At a month-end the trend's last point is D itself: the delta reads the one before, and the
    /// sparkline does not repeat D.
    @Test func aMonthEndComparesWithTheMonthBefore() {
        let d = day("2026-09-30")
        func kpis(_ impact: Int) -> KPIs {
            var c = KPICounts()
            c.productionModels = 100; c.productionWithImpact = impact; c.builtModels = 120; c.valueRecords90d = 1; c.valueRecords12m = 1
            return KPIs(c)
        }
        let trend = d.monthEnds(count: 12).enumerated().map { (asOf: $1, kpis: kpis($0 == 11 ? 80 : 60 + $0)) }
        let report = PortfolioReport(asOf: d, portfolio: "p", currency: "", domainFilter: nil, kpis: kpis(80), domains: [], trend: trend)
        #expect(report.previousMonthEnd?.asOf == day("2026-08-31"))
        let delta = report.delta(.impactShare)
        #expect(delta.previous == 0.7 && delta.current == 0.8 && delta.verdict == .better && delta.change == "+10.0 pt")
        let series = report.series(.impactShare)
        #expect(series.count == 12 && series.last == 0.8 && series[10] == 0.7)
        // Mid-month: the month-ends then D.
        let mid = PortfolioReport(asOf: day("2026-10-15"), portfolio: "p", currency: "", domainFilter: nil, kpis: kpis(75),
                                  domains: [], trend: Array(trend.dropFirst()) + [(asOf: d, kpis: kpis(80))])
        #expect(mid.previousMonthEnd?.asOf == d && mid.delta(.impactShare).verdict == .worse && mid.series(.impactShare).count == 13)
    }

    /// met, missed, or no data — an undefined KPI, or a value KPI with nothing recorded, is never missed.
    @Test func targetsSayMetMissedOrNoData() {
        var c = KPICounts()
        #expect(Targets.impact.status(KPIs(c)) == .noData)             // no production models
        c.productionModels = 10; c.productionWithImpact = 0; c.builtModels = 10
        #expect(Targets.impact.status(KPIs(c)) == .noData)             // nothing recorded: 0% is not a measurement
        #expect(Targets.roi.status(KPIs(c)) == .noData)
        c.valueRecords90d = 5; c.valueRecords12m = 5; c.productionWithImpact = 9; c.value12m = 10; c.cost12m = 5
        #expect(Targets.impact.status(KPIs(c)) == .met && Targets.roi.status(KPIs(c)) == .met)
        c.productionWithImpact = 8
        #expect(Targets.impact.status(KPIs(c)) == .missed && Targets.docsComplete.status(KPIs(c)) == .missed)
        #expect(Targets.docsComplete.status(KPIs(KPICounts())) == .noData && Targets.noOverdueTasks.status(KPIs(c)) == .met)
        #expect([TargetStatus.met, .missed, .noData].map(\.label) == ["✓ met", "✗ missed", "— no data"])
    }

    /// A flat series at 0 lies at the bottom; no data is a gap, never a bar.
    @Test func sparklinesShowZeroAtTheBottomAndNoDataAsAGap() {
        #expect(Sparkline.render(Array(repeating: 0, count: 12), symbols: .unicode) == String(repeating: "▁", count: 12))
        #expect(Sparkline.render([nil, nil, 0.5, 1], symbols: .unicode) == "  ▁█")
        #expect(Sparkline.render([nil, nil], symbols: .unicode) == "  ")
    }

    /// At a month-end reached by `[` the Overview shows each tile's change since the month-end before, in words.
    @Test func aMonthEndOverviewShowsMovement() throws {
        let d = try DashboardFixture.dashboard()
        let monthEnd = day("2026-02-28")
        _ = d.handle(.character("["))                 // time travel lands on a month-end
        #expect(d.asOf == monthEnd)
        let screen = d.render(width: 120, height: 40).text
        let report = try DashboardFixture.inventory.report(asOf: monthEnd, domain: nil)
        let moved = KPIName.allCases.filter { report.delta($0).verdict == .better || report.delta($0).verdict == .worse }
        #expect(!moved.isEmpty)
        #expect(screen.contains("2026-01-31"))
        let impact = report.delta(.impactShare)
        let line = screen.split(separator: "\n").first { $0.contains("Impact share") }.map(String.init) ?? ""
        #expect(line.contains(impact.change) && line.contains(impact.verdict!.rawValue), "\(line)")
        #expect(screen.contains("▲ better") || screen.contains("▼ worse"))
    }

    /// Every mark stays distinct in ASCII.
    @Test func asciiMarksStayDistinct() {
        for s in [Symbols.unicode, .ascii] {
            let marks = [s.ok, s.bad, s.noData, s.better, s.worse, s.same, s.warning]
            #expect(Set(marks).count == marks.count, "\(marks)")
        }
    }

    /// A KPI with no data reads `—` / `no data` in the report text, never missed.
    @Test func noDataInTheReport() {
        var c = KPICounts()
        c.productionModels = 3; c.builtModels = 3
        let report = PortfolioReport(asOf: day("2026-03-15"), portfolio: "p", currency: "EUR", domainFilter: nil, kpis: KPIs(c),
                                     domains: [], trend: [])
        let impact = report.text().split(separator: "\n").first { $0.hasPrefix("Impact share") } ?? ""
        #expect(impact.contains("— (no value recorded)") && impact.contains("— no data") && !impact.contains("missed"), "\(impact)")
        #expect(report.markdown().contains("— no data"))
    }

    /// Production models with no value recorded: the impact share has no data — `—` and `no data` in the
    /// Overview's tile, the report's text and `check`, which does not call it a breach.
    @Test func noDataReadsAsNoDataEverywhere() throws {
        var f = Fixture()
        f.model("m1", created: "2025-01-01")
        f.stage("m1", "production", "2025-02-01")
        f.monitor("m1", "auc", "below", warn: 0.7, critical: 0.6)
        f.observation("m1", "auc", "2025-06-28", 0.8)
        let dir = try TempDir()
        try f.write(to: dir.url.appendingPathComponent("bundle"))
        _ = try binnacle(["import", "bundle", dir.path("bundle"), "--db", dir.path("i.sqlite")])

        let check = try binnacle(["check", "--db", dir.path("i.sqlite"), "--as-of", "2025-06-30"])
        #expect(check.status == 0 && check.out.contains("impact share — no data (not checkable: no value recorded in 90 days)"), "\(check.out)")
        let text = try binnacle(["report", "--db", dir.path("i.sqlite"), "--as-of", "2025-06-30"]).out
        let impact = text.split(separator: "\n").first { $0.hasPrefix("Impact share") } ?? ""
        #expect(impact.contains("— no data") && !impact.contains("missed"), "\(impact)")
        let csv = try binnacle(["report", "--db", dir.path("i.sqlite"), "--as-of", "2025-06-30", "--format", "csv"]).out
            .split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let status = csv[0].firstIndex(of: "impact_share_status")
        #expect(status != nil && csv.last?[status!] == "no data" && csv.last?[csv[0].firstIndex(of: "overdue_tasks_status")!] == "met")
        #expect(text.contains("0 critical (0 models) · 0 warning"), "\(text)")

        let inventory = try Inventory(path: dir.path("i.sqlite"), mode: .read)
        let d = Dashboard(source: try StoreSource(inventory, login: "alice"), asOf: day("2025-06-30"), today: day("2025-06-30"),
                          theme: .monochrome, symbols: .unicode)
        let tile = d.render(width: 120, height: 40).text.split(separator: "\n").first { $0.contains("Impact share") } ?? ""
        #expect(tile.contains("—  ") && tile.contains("— no data") && !tile.contains("missed") && !tile.contains("0.0%"), "\(tile)")
    }
}
