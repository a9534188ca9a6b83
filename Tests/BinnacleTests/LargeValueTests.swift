import BinnacleCore
@testable import BinnacleStore
import Foundation
import Testing
import TerminalUI
@testable import BinnacleApp
@testable import BinnacleCLI

/// Numbers too large for an integer (value 1e30, ROI ~1e21) and non-finite ones are shown, never a crash.
@Suite struct LargeValueTests {
    @Test func everyFormatIsTotal() {
        #expect(Format.fixed(1e30, decimals: 1) == "1.0e30")
        #expect(Format.fixed(-1.5e20, decimals: 0) == "-1.5e20")
        #expect(Format.compact(1e30) == "1.0e30" && Format.compact(-2.5e18) == "-2.5e18")
        #expect(Format.compact(1.2e9) == "1.2B" && Format.compact(999) == "999")
        #expect(Format.percent(1e21) == "1.0e23%")
        #expect(Format.days(1e30) == "1.0e30 d")
        for v in [Double.nan, .infinity, -.infinity] {
            #expect(Format.fixed(v, decimals: 1) == Format.undefined && Format.compact(v) == Format.undefined)
        }
        #expect(Format.fixed(Double.greatestFiniteMagnitude, decimals: 0) == "1.8e308")
        // The range of a chart whose values span more than a Double holds is still drawn.
        let svg = SVGChart.line([("a", 1e308), ("b", -1e308), ("c", 1e30)], title: "t") { Format.compact($0) }.description
        #expect(!svg.contains("nan") && !svg.contains("inf") && svg.contains("<circle"))
        #expect(!Sparkline.render([1e308, -1e308, nil, 0], symbols: .unicode).isEmpty)
    }

    /// Sums of huge records can overflow to infinity: that is no number, so no change, verdict or target met.
    @Test func anOverflowedSumIsNoData() {
        var c = KPICounts()
        c.value12m = .infinity; c.cost12m = 1; c.valueRecords12m = 1
        let k = KPIs(c)
        #expect(KPIName.value12m.value(k) == nil && KPIName.roi12m.value(k) == nil)
        #expect(Targets.roi.status(k) == .noData)
        c.value12m = 1_000
        let delta = KPIDelta(.value12m, previous: KPIs(c), current: k)
        #expect(delta.verdict == nil && delta.change == "")
    }

    /// One production model whose value (and cost) in June 2025 is huge, or whose ROI is.
    static func portfolio(value: Double, cost: Double) throws -> Inventory {
        var f = Fixture()
        f.model("m1", created: "2025-01-01")
        f.model("m2", created: "2025-01-01")
        f.stage("m1", "production", "2025-02-01")
        f.stage("m2", "production", "2025-02-01")
        f.value("m1", "2025-06-01", value, cost: cost)
        if value == 1e30 { f.rows[.value]![0][2] = "1e30" }   // as a bundle writes it by hand
        return try f.inventory()
    }

    @Test(arguments: [(1e30, 0.0), (1e12, 1e-9)]) func hugeNumbersRenderInEveryFormatScreenAndDrill(value: Double, cost: Double) throws {
        let inventory = try Self.portfolio(value: value, cost: cost)
        let d = day("2025-06-30")
        let report = try inventory.report(asOf: d)
        let html = try inventory.boardPack(asOf: d).html()
        for text in [report.text(), report.csv(), report.markdown(), html] {
            #expect(!text.contains("nan") && !text.contains("inf"))
        }
        #expect(report.text().contains(Format.compact(value)))
        // JSON keeps every number exact.
        let json = try #require(try JSONSerialization.jsonObject(with: Data(report.json().utf8)) as? [String: Any])
        let kpis = try #require(json["kpis"] as? [String: Any])
        #expect((kpis["value_12m"] as? Double) == value)
        #expect((kpis["roi_12m"] as? Double) == KPIs.ratio(value - cost, cost))
        // The drills of value and ROI, on the command line and on the dashboard.
        for kpi in [KPIName.value12m, .roi12m] {
            let drill = try inventory.kpiDrill(kpi, asOf: d)
            #expect(KPIDrillOutput.text(drill).contains(Format.compact(value)))
        }
        let dashboard = Dashboard(source: try StoreSource(inventory, login: "alice"), asOf: d, today: d, theme: .monochrome, symbols: .unicode)
        #expect(dashboard.render(width: 120, height: 40).text.contains(Format.compact(value)))
        for tile in [2, 3] {
            for _ in 0..<tile { _ = dashboard.handle(.down) }
            _ = dashboard.handle(.enter)
            #expect(dashboard.render(width: 120, height: 40).text.contains(Format.compact(value)), "tile \(tile)")
            _ = dashboard.handle(.escape)
            for _ in 0..<tile { _ = dashboard.handle(.up) }
        }
    }
}
