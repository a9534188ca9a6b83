import BinnacleCore
import TerminalUI

/// The Overview screen (1): the KPI tiles against their targets with 12-month sparklines, the domains
/// that lag, and the top alerts. Enter on a tile opens its KPI's drill-down; on a domain, the
/// drill-down of the sorted column's KPI in that domain (`s` picks the column, `S` reverses).
struct OverviewScreen: DashboardScreen {
    static let topAlerts = 8
    /// Its counts and top alerts come from the date's lists.
    static let needsLists = true

    /// The report and the first alerts; working in the background, without the 12-month trend (the
    /// loop works it out there and brings it in when done).
    static func load(_ r: LoadRequest, from source: PortfolioSource) throws -> (PageData, PageLists?) {
        let o = try source.overviewScreen(asOf: r.asOf, trend: !r.background, top: topAlerts)
        return (.overview(o.report, alerts: o.alertCount, topAlerts: o.topAlerts), nil)
    }

    /// `s` sorts the domain table by its next column, whose KPI Enter on a domain opens; `S` reverses.
    static func handle(_ action: Action, _ state: inout AppState) -> Bool {
        switch action {
        case .sortNext:
            state.page.sortColumn = (state.page.sortColumn + 1) % Screens.domainColumns.count
            state.say("domains sorted by \(Screens.domainColumns[state.page.sortColumn].title.lowercased()) (Enter: its drill-down)")
        case .sortReverse:
            state.page.sortDescending.toggle()
            state.say(state.page.sortDescending ? "descending" : "ascending")
        default: return false
        }
        return true
    }
}

extension Screens {
    func overview(_ page: Page, _ report: PortfolioReport, _ alertCount: Int, _ topAlerts: [NamedAlert]) -> [Line] {
        var out: [Line] = []
        let k = report.kpis
        if k.productionModels == 0 && report.domains.isEmpty {
            out.append(Line("  No models exist as of \(asOf). Try an earlier or later date (:asof YYYY-MM-DD) or import a bundle.", .muted))
        }
        // Each tile: the KPI it shows (its direction, change and target), how its value reads, where Enter goes.
        typealias Tile = (label: String, measure: KPIName, shown: (KPIs) -> String, drill: Target)
        func shown(_ m: KPIName) -> (KPIs) -> String { { m.formatted($0) } }
        let tiles: [Tile] = [
            ("Impact share (value, 90 days)", .impactShare, shown(.impactShare), .drill(.impactShare, domain: nil)),
            ("Built-to-value share", .builtToValueShare, shown(.builtToValueShare), .drill(.builtToValueShare, domain: nil)),
            ("Value / cost, 12 months" + (report.currency.isEmpty ? "" : " (\(report.currency))"), .value12m,
             { $0.valueRecorded12m ? "\(Format.compact($0.value12m)) / \(Format.compact($0.cost12m))" : Format.undefined },
             .drill(.value12m, domain: nil)),
            ("ROI, 12 months", .roi12m, shown(.roi12m), .drill(.roi12m, domain: nil)),
            ("Alerts: crit (models) · warn", .alertsCritical, { "\($0.alertsCritical) (\($0.modelsWithCritical)) · \($0.alertsWarning)" },
             .drill(.alertsCritical, domain: nil)),
            ("Documentation complete", .docsCompleteShare, shown(.docsCompleteShare),
             .drill(.docsCompleteShare, domain: nil)),
            ("Median days idea → production", .medianDaysToProduction, shown(.medianDaysToProduction),
             .drill(.medianDaysToProduction, domain: nil)),
            ("Shelved share of built models", .shelvedShare, shown(.shelvedShare), .drill(.shelvedShare, domain: nil)),
            ("Remediation: open · overdue", .overdueTasks, { "\($0.openTasks) · \($0.overdueTasks)" },
             .drill(.openTasks, domain: nil)),
        ]
        // Against the previous month-end (strictly before the date, so stepping month-end to month-end
        // moves); without the trend (still being computed) the change and the sparkline say it is coming.
        let previous = report.previousMonthEnd
        let before = tiles.map { t in previous.map { t.shown($0.kpis) + " " + symbols.to } ?? "" }
        let columns = [
            Column(title: "KEY INDICATOR", width: 24, flexible: true, priority: 9),
            Column(title: previous.map { "\($0.asOf)  " } ?? "", width: max(12, before.map(DisplayWidth.of).max() ?? 0), right: true, priority: 4),
            Column(title: "VALUE", width: 12, right: true, priority: 9, maxWidth: 30),
            Column(title: "CHANGE", width: 9, right: true, priority: 5),
            Column(title: "", width: 8, priority: 8),
            Column(title: "STATUS", width: 9, priority: 8),
            Column(title: "TARGET", width: 10, priority: 3),
            Column(title: "12 MONTHS", width: 13, priority: 6),
        ]
        out += TableLayout.lines(columns, zip(tiles, before).map { t, before in
            let delta = report.delta(t.measure)
            let spark = report.trend.isEmpty ? symbols.ellipsis : Sparkline.render(report.series(t.measure), symbols: symbols)
            return ([Span(t.label), Span(before, .muted), Span(t.shown(k), .tileValue), Span(delta.change, .muted), verdict(delta.verdict),
                     t.measure.target.map { status(report.coverage.isRecorded(t.measure) ? $0.status(k) : .noData) } ?? Span(""),
                     Span(t.measure.target?.label ?? "", .muted), Span(spark, .accent)], t.drill)
        }, width: width)
        // What the inventory never records (a public use-case inventory, an MLflow registry), said under
        // the numbers it makes meaningless.
        let gaps = report.coverage.gaps
        if !k.valueRecorded12m && k.productionModels > 0 && report.coverage.value {
            out.append(Line("  No value or cost has been recorded: impact share and ROI cannot be measured until it is.", .warning))
        }
        if !gaps.isEmpty { out.append(Line("  Not recorded in this inventory:", .warning)) }
        for gap in gaps { out.append(Line("    \(gap.kpis.keys): \(gap.why).", .muted)) }

        out.append(.blank)
        out.append(heading("DOMAINS — which business units lag (s sorts; Enter: the column's rows)"))
        var domainColumns = Screens.domainColumns
        domainColumns[page.sortColumn].title += page.sortDescending ? symbols.down : symbols.up
        // The sorted column widens for its mark rather than cut its title.
        domainColumns[page.sortColumn].width = max(domainColumns[page.sortColumn].width, domainColumns[page.sortColumn].title.count)
        let drill = Screens.domainKPIs[page.sortColumn]
        out += TableLayout.lines(domainColumns, Screens.sorted(report.domains, by: page.sortColumn, descending: page.sortDescending).map { d in
            let m = d.kpis
            let impact = Targets.impact.status(m)
            return ([Span(d.domain), Span(String(m.productionModels)),
                     impact == .noData ? Span(symbols.noData, .muted)
                        : Span("\(impact == .missed ? symbols.bad : symbols.ok) \(Format.percent(m.impactShare))", impact == .missed ? .warning : .good),
                     Span(m.valueRecorded12m ? Format.compact(m.value12m) : "—"),
                     Span(m.valueRecorded12m ? Format.percent(m.roi12m, decimals: 0) : "—"),
                     Span(String(m.alertsCritical), m.alertsCritical > 0 ? .critical : .normal), Span(String(m.alertsWarning)),
                     Span(Format.percent(m.docsCompleteShare, decimals: 0)), Span(Format.percent(m.shelvedShare, decimals: 0)),
                     Span("\(m.openTasks) · \(m.overdueTasks)")], .drill(drill, domain: d.domain))
        }, width: width)

        out.append(.blank)
        out.append(heading("TOP ALERTS (Enter: the model's monitoring)"))
        out += self.topAlerts(alertCount, topAlerts)
        return out
    }
}

extension Screens {
    static let domainColumns = [
        Column(title: "DOMAIN", width: 16, flexible: true, priority: 9),
        Column(title: "PROD", width: 5, right: true, priority: 8),
        Column(title: "IMPACT", width: 8, right: true, priority: 9),
        Column(title: "VALUE 12M", width: 9, right: true, priority: 6),
        Column(title: "ROI", width: 6, right: true, priority: 5),
        Column(title: "CRIT", width: 4, right: true, priority: 7),
        Column(title: "WARN", width: 4, right: true, priority: 4),
        Column(title: "DOCS", width: 5, right: true, priority: 6),
        Column(title: "SHELVED", width: 7, right: true, priority: 3),
        Column(title: "TASKS", width: 7, right: true, priority: 2),
    ]
    /// The KPI behind each column of the domain table: Enter on a domain opens it (the name and the
    /// production count: the impact share, which says whether the domain lags).
    static let domainKPIs: [KPIName] = [.impactShare, .impactShare, .impactShare, .value12m, .roi12m, .alertsCritical, .alertsWarning,
                                        .docsCompleteShare, .shelvedShare, .openTasks]

    /// The domains by column `column`: undefined values last either way, then by name.
    static func sorted(_ domains: [(domain: String, kpis: KPIs)], by column: Int, descending: Bool) -> [(domain: String, kpis: KPIs)] {
        func key(_ k: KPIs) -> Double? {
            switch column {
            case 1: return Double(k.productionModels)
            case 2: return k.impactShare
            case 3: return k.value12m
            case 4: return k.roi12m
            case 5: return Double(k.alertsCritical)
            case 6: return Double(k.alertsWarning)
            case 7: return k.docsCompleteShare
            case 8: return k.shelvedShare
            case 9: return Double(k.overdueTasks) * 1e9 + Double(k.openTasks)
            default: return 0
            }
        }
        return domains.sorted { a, b in
            switch (key(a.kpis), key(b.kpis)) {
            case let (x?, y?) where x != y: return descending ? x > y : x < y
            case (nil, _?): return false
            case (_?, nil): return true
            default: return descending && column == 0 ? a.domain > b.domain : a.domain < b.domain
            }
        }
    }
}
