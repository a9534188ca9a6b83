import BinnacleCore
import TerminalUI

/// The Models screen (2): every model at the date, filtered (`:stage`, `:tier`, `:domain`, `:alerts`,
/// `:docs`, `/`) and sorted (`s`, `S`) in SQL, read a window at a time.
extension Screens {
    static let modelColumns: [Column] = [
        Column(title: "NAME", width: 24, flexible: true, priority: 9),
        Column(title: "DOMAIN", width: 16, priority: 7),
        Column(title: "STAGE", width: 11, priority: 8),
        Column(title: "TIER", width: 4, right: true, priority: 6),
        Column(title: "OWNER", width: 12, priority: 4),
        Column(title: "VALUE 90D", width: 9, right: true, priority: 5),
        Column(title: "ROI 12M", width: 7, right: true, priority: 3),
        Column(title: "ALERTS", width: 7, priority: 8),
        Column(title: "DOCS", width: 4, priority: 6),
        Column(title: "LAST OBS", width: 8, right: true, priority: 2),
    ]

    func modelList(_ page: Page, total: Int) throws -> Body {
        let count = page.lists?.handles[.models]?.count ?? 0
        var columns = Screens.modelColumns
        columns[page.sortColumn].title += page.sortDescending ? symbols.down : symbols.up
        var out = Body([Line(" \(count) of \(total) models as of \(asOf)"
                             + (page.modelFilter.isEmpty ? "" : " · \(page.modelFilter.summary)")
                             + (page.filterText.isEmpty ? "" : " · matching “\(page.filterText)”"), .muted)])
        if count == 0 { out.append(Line("  No model matches. Esc clears the filter; :clear clears everything.", .muted)) }
        out.append(TableLayout.lines(columns, [], width: width))
        out.append(LazyTable(.models, count: count, cache: page.rows[.models], columns: columns, width: width) { [symbols, asOf] (m: ModelSummary) in
            let alerts: Span = m.alertsCritical > 0 ? Span("\(symbols.bad) \(m.alertsCritical)/\(m.alertsWarning)", .critical)
                : m.alertsWarning > 0 ? Span("\(symbols.warning) \(m.alertsWarning)", .warning) : Span(m.stage == "production" ? "\(symbols.ok)" : "·", .muted)
            let docs = m.missingDocuments.isEmpty ? Span(symbols.ok, .good) : Span("\(symbols.bad) \(m.missingDocuments.count)", .warning)
            let age = m.lastObservedAt.map { "\(asOf - $0.day)d" } ?? "—"
            return ([Span(m.name), Span(m.domain), Span(m.stage), Span(String(m.riskTier)), Span(m.businessOwner),
                     Span(Format.compact(m.value90d)), Span(Format.percent(m.roi12m, decimals: 0)), alerts, docs, Span(age)],
                    .model(m.id, .summary))
        })
        return out
    }
}
