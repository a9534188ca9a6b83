@testable import BinnacleApp
import BinnacleCore
import Foundation
import Testing
import TerminalUI

/// The drill-down screen: Enter on each Overview tile opens its own KPI's rows, Enter on a domain
/// the sorted column's KPI in that domain; its golden screens.
@Suite struct KPIDrillScreenTests {
    /// The tiles top to bottom and the drill-down each opens.
    static let tiles: [KPIName] = [.impactShare, .builtToValueShare, .value12m, .roi12m, .alertsCritical, .docsCompleteShare,
                                   .medianDaysToProduction, .shelvedShare, .openTasks]

    @Test func enterOnEachOverviewTileOpensItsOwnDrillDownInOneRead() {
        for (n, kpi) in Self.tiles.enumerated() {
            let source = RecordingSource()
            let d = Dashboard(source: source, asOf: source.asOf, today: source.asOf, theme: .monochrome, symbols: .unicode)
            _ = d.render(width: 120, height: 40)
            for _ in 0..<n { _ = d.handle(.down) }
            _ = d.handle(.enter)
            let text = d.render(width: 120, height: 40).text
            #expect(d.page.kind == .drill(kpi, domain: nil), "tile \(n)")
            #expect(source.reads.last == "drill \(kpi.rawValue)" && source.reads.filter { $0.hasPrefix("drill") }.count == 1, "\(source.reads)")
            #expect(text.contains(kpi.title.uppercased()) && text.contains("Model m1"), "tile \(n)")
            _ = d.handle(.escape)
            #expect(d.page.kind == .screen(.overview))
        }
    }

    @Test func enterOnADomainOpensTheSortedColumnsKPIInThatDomain() {
        let source = RecordingSource()
        let d = Dashboard(source: source, asOf: source.asOf, today: source.asOf, theme: .monochrome, symbols: .unicode)
        _ = d.render(width: 120, height: 40)
        for _ in 0..<3 { _ = d.handle(.character("s")) }
        #expect(d.status.hasPrefix("domains sorted by value 12m"))
        #expect(d.render(width: 120, height: 40).text.contains("VALUE 12M▲"))   // widened for its mark
        for _ in Self.tiles { _ = d.handle(.down) }
        _ = d.handle(.enter)
        #expect(d.page.kind == .drill(.value12m, domain: "Lending"))
        #expect(source.reads.last == "drill value_12m Lending")
    }

    @Test func theDomainTableSortsByEachColumn() {
        var counts = KPICounts()
        counts.productionModels = 4
        counts.productionWithImpact = 1
        var more = counts
        more.productionWithImpact = 3
        let domains: [(domain: String, kpis: KPIs)] = [("A", KPIs(more)), ("B", KPIs(counts)), ("C", KPIs(KPICounts()))]
        #expect(Screens.sorted(domains, by: 0, descending: true).map(\.domain) == ["C", "B", "A"])
        #expect(Screens.sorted(domains, by: 2, descending: false).map(\.domain) == ["B", "A", "C"])   // no share: last
        #expect(Screens.sorted(domains, by: 2, descending: true).map(\.domain) == ["A", "B", "C"])
        #expect(Screens.domainKPIs.count == Screens.domainColumns.count)
    }

    /// Golden screens over the dashboard fixture, opened as a reader would: Enter on a tile.
    @Test func goldenDrillDowns() throws {
        for (tile, name) in [(0, "impact"), (6, "median-days")] {
            for (w, h) in DashboardSnapshotTests.sizes {
                let d = try DashboardFixture.dashboard()
                _ = d.render(width: w, height: h)
                for _ in 0..<tile { _ = d.handle(.down) }
                _ = d.handle(.enter)
                let grid = d.render(width: w, height: h)
                #expect(d.page.kind == .drill(Self.tiles[tile], domain: nil))
                try expectSnapshot(grid, "drill-\(name)-\(w)x\(h)")
            }
        }
    }

    /// The footer on screen is the KPI the Overview shows, and Enter on a row opens its model.
    @Test func theFooterIsTheTileAndARowOpensItsModel() throws {
        let d = try DashboardFixture.dashboard()
        let report = try DashboardFixture.inventory.report(asOf: DashboardFixture.asOf, trend: false)
        _ = d.render(width: 120, height: 40)
        _ = d.handle(.enter)
        let text = d.render(width: 120, height: 40).text
        #expect(text.contains("with impact \(report.kpis.productionWithImpact) / production \(report.kpis.productionModels) = "
                              + Format.percent(report.kpis.impactShare)))
        _ = d.handle(.enter)
        guard case .model = d.page.kind else { Issue.record("\(d.page.kind)"); return }
        #expect(d.page.tab == .value)                // where the 90-day value that makes the impact is
        _ = d.handle(.escape)
        #expect(d.page.kind == .drill(.impactShare, domain: nil))
    }
}
