import BinnacleCore
import TerminalUI

/// The Overview screen (1): the KPI tiles against their targets with 12-month sparklines, the domains
/// that lag, and the top alerts. Enter on a tile or a domain opens the models behind it.
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
}

extension Screens {
    func overview(_ report: PortfolioReport, _ alertCount: Int, _ topAlerts: [NamedAlert]) -> [Line] {
        var out: [Line] = []
        let k = report.kpis
        if k.productionModels == 0 && report.domains.isEmpty {
            out.append(Line("  No models exist as of \(asOf). Try an earlier or later date (:asof YYYY-MM-DD) or import a bundle.", .muted))
        }
        let trend = report.trend.map(\.kpis) + [k]
        // Without its trend (still being computed) a tile shows that it is coming.
        func spark(_ value: (KPIs) -> Double?) -> String {
            report.trend.isEmpty ? symbols.ellipsis : Sparkline.render(trend.suffix(13).map(value), symbols: symbols)
        }
        func change(_ value: (KPIs) -> Double?) -> Span {
            guard !report.trend.isEmpty, let now = value(k), let before = value(report.trend.last!.kpis) else { return Span("") }
            if now > before { return Span(symbols.up, .muted) }
            if now < before { return Span(symbols.down, .muted) }
            return Span("=", .muted)
        }
        func status(_ ok: Bool?) -> Span {
            guard let ok else { return Span("") }
            return ok ? Span("\(symbols.ok) met", .good) : Span("\(symbols.bad) missed", .critical)
        }
        let noData = "no data"
        typealias Tile = (label: String, value: String, change: Span, status: Span, target: String, spark: String, drill: Target)
        let tiles: [Tile] = [
            ("Impact share (value in 90 days)", k.impactShare == nil || !k.valueRecorded90d ? noData : Format.percent(k.impactShare),
             change { $0.impactShare }, status(Targets.impact.isMet(k)), Targets.impact.label, spark { $0.impactShare },
             .models(ModelFilter(noImpact: true))),
            ("Built-to-value share", k.valueRecorded90d ? Format.percent(k.builtToValueShare) : noData, change { $0.builtToValueShare }, Span(""), "",
             spark { $0.builtToValueShare }, .models(ModelFilter(stage: "production"))),
            ("Value / cost, 12 months" + (report.currency.isEmpty ? "" : " (\(report.currency))"),
             !k.valueRecorded12m ? noData : "\(Format.compact(k.value12m)) / \(Format.compact(k.cost12m))",
             change { $0.value12m }, Span(""), "", spark { $0.value12m }, .models(ModelFilter(stage: "production"))),
            ("ROI, 12 months", k.valueRecorded12m ? Format.percent(k.roi12m) : noData, change { $0.roi12m }, status(Targets.roi.isMet(k)), Targets.roi.label,
             spark { $0.roi12m }, .models(ModelFilter(stage: "production"))),
            ("Alerts: critical (models) / warning", "\(k.alertsCritical) (\(k.modelsWithCritical)) / \(k.alertsWarning)",
             change { Double($0.alertsCritical) }, status(Targets.noCriticalAlerts.isMet(k)), Targets.noCriticalAlerts.label,
             spark { Double($0.alertsCritical) }, .screen(.alerts)),
            ("Documentation complete", Format.percent(k.docsCompleteShare), change { $0.docsCompleteShare },
             status(Targets.docsComplete.isMet(k)), Targets.docsComplete.label, spark { $0.docsCompleteShare },
             .models(ModelFilter(stage: "production", docsMissing: true))),
            ("Median days idea → production", Format.days(k.medianDaysToProduction), change { $0.medianDaysToProduction },
             Span(""), "", spark { $0.medianDaysToProduction }, .models(ModelFilter(stage: "production"))),
            ("Shelved share of built models", Format.percent(k.shelvedShare), change { $0.shelvedShare }, Span(""), "",
             spark { $0.shelvedShare }, .models(ModelFilter(stage: "shelved"))),
            ("Remediation tasks: open / overdue", "\(k.openTasks) / \(k.overdueTasks)", change { Double($0.overdueTasks) },
             status(Targets.noOverdueTasks.isMet(k)), Targets.noOverdueTasks.label, spark { Double($0.overdueTasks) }, .screen(.tasks)),
        ]
        let columns = [
            Column(title: "KEY INDICATOR", width: 26, flexible: true, priority: 9),
            Column(title: "VALUE", width: 14, right: true, priority: 9, maxWidth: 30),
            Column(title: "", width: 1, priority: 4),
            Column(title: "STATUS", width: 8, priority: 8),
            Column(title: "TARGET", width: 10, priority: 3),
            Column(title: "12 MONTHS", width: 13, priority: 6),
        ]
        out += TableLayout.lines(columns, tiles.map { t in
            ([Span(t.label), Span(t.value, .tileValue), t.change, t.status, Span(t.target, .muted), Span(t.spark, .accent)], t.drill)
        }, width: width)
        if !k.valueRecorded12m && k.productionModels > 0 {
            out.append(Line("  No value or cost has been recorded: impact share and ROI cannot be measured until it is.", .warning))
        }

        out.append(.blank)
        out.append(heading("DOMAINS — which business units lag (Enter: their models)"))
        let domainColumns = [
            Column(title: "DOMAIN", width: 16, flexible: true, priority: 9),
            Column(title: "PROD", width: 5, right: true, priority: 8),
            Column(title: "IMPACT", width: 7, right: true, priority: 9),
            Column(title: "VALUE 12M", width: 9, right: true, priority: 6),
            Column(title: "ROI", width: 6, right: true, priority: 5),
            Column(title: "CRIT", width: 4, right: true, priority: 7),
            Column(title: "WARN", width: 4, right: true, priority: 4),
            Column(title: "DOCS", width: 5, right: true, priority: 6),
            Column(title: "SHELVED", width: 7, right: true, priority: 3),
            Column(title: "TASKS", width: 7, right: true, priority: 2),
        ]
        out += TableLayout.lines(domainColumns, report.domains.map { d in
            let m = d.kpis
            let lagging = m.valueRecorded90d && Targets.impact.isMet(m) == false
            return ([Span(d.domain), Span(String(m.productionModels)),
                     m.valueRecorded90d ? Span((lagging ? symbols.down + " " : "") + Format.percent(m.impactShare), lagging ? .warning : .good)
                        : Span("no data", .muted),
                     Span(m.valueRecorded12m ? Format.compact(m.value12m) : "—"),
                     Span(m.valueRecorded12m ? Format.percent(m.roi12m, decimals: 0) : "—"),
                     Span(String(m.alertsCritical), m.alertsCritical > 0 ? .critical : .normal), Span(String(m.alertsWarning)),
                     Span(Format.percent(m.docsCompleteShare, decimals: 0)), Span(Format.percent(m.shelvedShare, decimals: 0)),
                     Span("\(m.openTasks)/\(m.overdueTasks)")], .models(ModelFilter(domain: d.domain)))
        }, width: width)

        out.append(.blank)
        out.append(heading("TOP ALERTS (Enter: the model's monitoring)"))
        out += self.topAlerts(alertCount, topAlerts)
        return out
    }
}
