import BinnacleCore
import TerminalUI

/// A KPI's drill-down: the rows it is computed from as of the date (in one domain, or all), with
/// the columns that compute it, and the KPI worked out from them. Opened by Enter on an Overview
/// tile or domain cell; Enter on a row opens its model; `/` filters the rows (the sum stays the KPI's).
struct KPIDrillScreen: DashboardScreen {
    let screens: Screens
    var width: Int { screens.width }

    static func load(_ r: LoadRequest, from source: PortfolioSource) throws -> (PageData, PageLists?) {
        guard case .drill(let kpi, let domain) = r.kind else { throw ScreenError.wrongPage }
        return (.drill(try source.kpiDrillScreen(kpi, asOf: r.asOf, domain: domain)), nil)
    }

    /// The heading says what the rows are; the line under it (kept on screen with the column titles
    /// while the rows scroll) is the KPI's arithmetic over them, and it ends the table too.
    func lines(_ page: Page, _ drill: KPIDrill) -> Body {
        let where_ = drill.domain.map { " in \($0)" } ?? ""
        var out = Body([Line(" \(drill.kpi.title.uppercased()) — \(drill.rows.count) \(drill.kpi.list.rowsAre)\(where_) as of \(drill.asOf)", .title),
                        Line(" = " + drill.footer, .tileValue)])
        if drill.rows.isEmpty {
            out.append(Line("  No rows: nothing counts towards this KPI at this date.", .muted))
            return out
        }
        let titles = drill.columns
        let columns = titles.enumerated().map { k, c in
            Column(title: c.title, width: c.width, right: c.numeric, flexible: k == 0, priority: k == 0 ? 9 : k == 1 ? 3 : 10 - k / 2)
        }
        let medians = drill.medianRows
        out.append(TableLayout.lines(columns, [], width: width))
        let text = page.filterText.lowercased()
        let indices = Array(drill.rows.indices)
        out.append(LazyTable(indices, text: text, columns: columns, width: width) { [severity = screens.severity] i in
            let cells = drill.cells(i, medians: medians)
            let row = drill.rows[i]
            let marked = row.counts || medians.contains(i)
            var spans = cells.map { Span($0) }
            if let a = row.alert {
                spans[3] = severity(a)
            } else if drill.kpi.list != .value {
                // The last column says whether the row counts in the numerator (or holds the median).
                spans[spans.count - 1] = Span(cells[cells.count - 1], marked ? (drill.kpi.list == .tasks ? .warning : .good) : .muted)
            }
            return (spans, KPIDrillScreen.target(row, drill.kpi.list))
        })
        out.append(Line(" = " + drill.footer, .tileValue))
        return out
    }

    /// Enter on a row: its model, on the tab that shows what the KPI counts.
    static func target(_ row: DrillRow, _ list: DrillList) -> Target {
        if let a = row.alert { return .alert(modelId: a.modelId, metric: a.metric, critical: a.severity == .critical) }
        if let t = row.task { return .task(id: t.id, modelId: row.modelId) }
        switch list {
        case .impact, .builtToValue, .value: return .model(row.modelId, .value)
        case .documents: return .model(row.modelId, .documents)
        default: return .model(row.modelId, .summary)
        }
    }
}
