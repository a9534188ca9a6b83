import BinnacleCore
import TerminalUI

/// The Alerts screen (3): every alert, critical first, `/`, `:domain` and `:alerts critical|warning|any`
/// filtering in SQL, read a window at a time. Its filter is the page's `modelFilter` (domain, alerts).
struct AlertsScreen: DashboardScreen {
    static let hasLists = true
    static func listKey(_ page: Page) -> String { "\(page.modelFilter)|\(page.filterText)\(page.listOrderKey)" }

    /// `:domain` and `:alerts` on the Alerts screen filter it (elsewhere they open the Models screen).
    static func run(verb: String, argument: String, _ state: inout AppState) -> Bool {
        guard case .screen(.alerts) = state.page.kind, ["domain", "alerts"].contains(verb) else { return false }
        if verb == "domain" {
            guard !argument.isEmpty else { state.say("domain needs a name", error: true); return true }
            state.page.modelFilter.domain = argument
        } else {
            guard ["critical", "warning", "any"].contains(argument) else { state.say("alerts critical, warning or any", error: true); return true }
            state.page.modelFilter.alerts = argument == "any" ? nil : argument
        }
        state.page.toTop()
        state.say("alerts: " + (state.page.modelFilter.isEmpty ? "all" : state.page.modelFilter.summary))
        return true
    }

    /// Esc on the first page (no `/` filter left) clears the `:` filters.
    static func handle(_ action: Action, _ state: inout AppState) -> Bool {
        guard action == .back, state.page.filterText.isEmpty, state.stack.count == 1, !state.page.modelFilter.isEmpty else { return false }
        state.page.modelFilter = ModelFilter()
        state.page.toTop()
        state.say("alerts: all")
        return true
    }

    static func breadcrumb(_ page: Page) -> String? { page.modelFilter.isEmpty ? nil : "Alerts (\(page.modelFilter.summary))" }

    static func load(_ r: LoadRequest, from source: PortfolioSource) throws -> (PageData, PageLists?) {
        (.alerts, try lists(r.lists, from: source))
    }

    static func lists(_ r: ListRequest, from source: PortfolioSource) throws -> PageLists {
        let filter = r.query.filter
        return PageLists(key: r.key, handles: [.alerts: .alerts(try source.alerts(asOf: r.asOf, text: r.text, domain: filter.domain,
                                                                                   severity: filter.alerts.flatMap(Alert.Severity.init),
                                                                                   order: r.orders[.alerts]))])
    }
}

extension Screens {
    func alertList(_ page: Page) -> Body {
        var out = Body()
        let count = page.lists?.handles[.alerts]?.count ?? 0
        if count == 0 {
            out.append(Line(page.filterText.isEmpty && page.modelFilter.isEmpty ? "  No alerts as of \(asOf)."
                            : "  No alert matches \(([page.modelFilter.summary] + (page.filterText.isEmpty ? [] : ["“\(page.filterText)”"])).filter { !$0.isEmpty }.joined(separator: ", ")). Esc clears.", .good))
        } else {
            var columns = Screens.alertScreenColumns
            if let o = page.listOrders[.alerts] { columns[o.column].mark = o.descending ? symbols.down : symbols.up }
            out.append(TableLayout.lines(columns, [], width: width))
            out.append(LazyTable(.alerts, count: count, cache: page.rows[.alerts], columns: columns, width: width) { [self, symbols] (a: NamedAlert) in
                let line = alertCells(a)
                // Who is on it: the open task on the alert's model (one naming its metric first).
                let task = a.openTask.map { Span("\($0.assignee) \($0.id)") } ?? Span("\(symbols.noData) none", .muted)
                return (line.cells + [task], line.target)
            })
        }
        return out
    }

    var alertColumns: [Column] {
        [Column(title: "SEVERITY", width: 10, priority: 9),
         Column(title: "MODEL", width: 22, flexible: true, priority: 9, middle: true),
         Column(title: "WHAT", width: 30, flexible: true, priority: 8),
         Column(title: "OBSERVED", width: 10, priority: 5),
         Column(title: "AGE", width: 4, right: true, priority: 4)]
    }

    /// The Alerts screen's columns: the Overview's, then who is on the alert (the open task on its model:
    /// its assignee, then its id). The model's name and what the alert says share the spare width
    /// equally; at 80 columns the date and age give way first.
    static let alertScreenColumns: [Column] = [
        Column(title: "SEVERITY", width: 10, priority: 9),
        Column(title: "MODEL", width: 18, flexible: true, priority: 9, middle: true),
        Column(title: "WHAT", width: 30, flexible: true, priority: 9),
        Column(title: "OBSERVED", width: 10, priority: 5),
        Column(title: "AGE", width: 4, right: true, priority: 4),
        Column(title: "OPEN TASK", width: 14, priority: 7),
    ]

    func alertCells(_ named: NamedAlert) -> (cells: [Span], target: Target?) {
        let a = named.alert
        return ([severity(a), Span(named.modelName), Span(a.summary), Span(a.observedAt.map { $0.day.description } ?? "—"),
                 Span(a.observedAt.map { "\(asOf - $0.day)d" } ?? "—")], .alert(modelId: a.modelId, metric: a.metric, critical: a.severity == .critical))
    }

    /// The first alerts, and a line to the Alerts screen for the rest.
    func topAlerts(_ count: Int, _ top: [NamedAlert]) -> [Line] {
        if count == 0 { return [Line("  No alerts as of \(asOf).", .good)] }
        var lines = TableLayout.lines(alertColumns, top.map(alertCells), width: width)
        if count > top.count {
            lines.append(Line("   … \(count - top.count) more on the Alerts screen (3)", .muted, target: .screen(.alerts)))
        }
        return lines
    }
}
