import BinnacleCore
import TerminalUI

/// The Models screen (2): every model at the date, filtered (`:stage`, `:tier`, `:domain`, `:alerts`,
/// `:docs`, `/`) and sorted (`s`, `S`) in SQL, read a window at a time. Its state is the page's
/// `modelFilter`, `filterText` and sort.
struct ModelsScreen: DashboardScreen {
    static let hasLists = true
    static func listKey(_ page: Page) -> String { "\(page.modelFilter)|\(page.filterText)|\(page.sortColumn)|\(page.sortDescending)" }

    // MARK: State and keys

    /// The quick filters, from any page: they open the Models screen filtered so.
    static func run(verb: String, argument: String, _ state: inout AppState) -> Bool {
        switch verb {
        case "stage":
            guard Stage(rawValue: argument) != nil else {
                state.say("stage is one of \(Stage.allCases.map(\.rawValue).joined(separator: ", "))", error: true)
                return true
            }
            filter(&state) { $0.stage = argument }
        case "tier":
            guard let t = Int(argument), (1...3).contains(t) else { state.say("tier is 1, 2 or 3", error: true); return true }
            filter(&state) { $0.tier = t }
        case "domain":
            guard !argument.isEmpty else { state.say("domain needs a name", error: true); return true }
            filter(&state) { $0.domain = argument }
        case "alerts":
            guard ["critical", "warning", "any"].contains(argument) else { state.say("alerts critical or alerts warning", error: true); return true }
            filter(&state) { $0.alerts = argument == "any" ? nil : argument }
        case "docs":
            // The one docs filter there is: saying so beats reading `:docs complete` as its opposite.
            guard argument.isEmpty || argument == "missing" else {
                state.say("docs missing: the models lacking a current required document (there is no other docs filter)", error: true)
                return true
            }
            filter(&state) { $0.docsMissing = true }
        default: return false
        }
        return true
    }

    private static func filter(_ state: inout AppState, _ change: (inout ModelFilter) -> Void) {
        if case .screen(.models) = state.page.kind {} else { state.show(screen: .models) }
        change(&state.page.modelFilter)
        state.page.toTop()
        state.say("models: " + (state.page.modelFilter.isEmpty ? "all" : state.page.modelFilter.summary))
    }

    /// `s` sorts by the next column, `S` reverses; Esc on the first page clears the quick filters.
    static func handle(_ action: Action, _ state: inout AppState) -> Bool {
        switch action {
        case .sortNext, .sortColumnNext, .sortColumnPrevious:
            let n = Screens.modelColumns.count
            state.page.sortColumn = (state.page.sortColumn + (action == .sortColumnPrevious ? n - 1 : 1)) % n
            state.page.toTop()
            state.say("sorted by \(Screens.modelColumns[state.page.sortColumn].title.lowercased())")
        case .sortReverse:
            state.page.sortDescending.toggle()
            state.page.toTop()
            state.say(state.page.sortDescending ? "descending" : "ascending")
        case .back where state.page.filterText.isEmpty && state.stack.count == 1 && !state.page.modelFilter.isEmpty:
            state.page.modelFilter = ModelFilter()
            state.page.toTop()
        default: return false
        }
        return true
    }

    static func breadcrumb(_ page: Page) -> String? { page.modelFilter.isEmpty ? nil : "Models (\(page.modelFilter.summary))" }

    // MARK: Reads (run by the loop)

    static func load(_ r: LoadRequest, from source: PortfolioSource) throws -> (PageData, PageLists?) {
        let read = try source.modelsScreen(asOf: r.asOf, r.lists.query, count: r.lists.knownCount)
        return (.models(total: read.total), lists(read.models, r.lists))
    }

    static func lists(_ r: ListRequest, from source: PortfolioSource) throws -> PageLists {
        lists(try source.models(asOf: r.asOf, r.query, count: r.knownCount), r)
    }

    /// The list, and how many its filter matched (whatever the order).
    private static func lists(_ models: any RowWindow<ModelSummary>, _ r: ListRequest) -> PageLists {
        PageLists(key: r.key, handles: [.models: .models(models)], modelCount: ("\(r.query.filter)|\(r.query.text)", models.count))
    }
}

extension Screens {
    static let modelColumns: [Column] = [
        Column(title: "NAME", width: 24, flexible: true, priority: 9, middle: true),
        Column(title: "DOMAIN", width: 16, priority: 7, maxWidth: 18),
        Column(title: "STAGE", width: 11, priority: 8),
        Column(title: "TIER", width: 4, right: true, priority: 6),
        Column(title: "OWNER", width: 12, priority: 4),
        Column(title: "VALUE 90D", width: 9, right: true, priority: 5),
        Column(title: "ROI 12M", width: 7, right: true, priority: 3),
        Column(title: "CRIT·WARN", width: 9, priority: 8),
        Column(title: "DOCS", width: 4, priority: 6),
        Column(title: "LAST OBS", width: 8, right: true, priority: 2),
    ]

    func modelList(_ page: Page, total: Int) throws -> Body {
        let count = page.lists?.handles[.models]?.count ?? 0
        var columns = Screens.modelColumns
        columns[page.sortColumn].mark = page.sortDescending ? symbols.down : symbols.up
        var out = Body([Line(" \(count) of \(total) models as of \(asOf)"
                             + (page.modelFilter.isEmpty ? "" : " · \(page.modelFilter.summary)")
                             + (page.filterText.isEmpty ? "" : " · matching “\(page.filterText)”"), .muted)])
        if count == 0 { out.append(Line("  No model matches. Esc clears the filter; :clear clears everything.", .muted)) }
        out.append(TableLayout.lines(columns, [], width: width))
        out.append(LazyTable(.models, count: count, cache: page.rows[.models], columns: columns, width: width) { [self, symbols, asOf] (m: ModelSummary) in
            let alerts = alertCounts(m)
            let docs = m.missingDocuments.isEmpty ? Span(symbols.ok, .good) : Span("\(symbols.bad) \(m.missingDocuments.count)", .warning)
            let age = m.lastObservedAt.map { "\(asOf - $0.day)d" } ?? "—"
            return ([Span(m.name), Span(m.domain), Span(m.stage.rawValue), Span(String(m.riskTier.rawValue)), Span(m.businessOwner),
                     Span(Format.compact(m.value90d)), Span(Format.percent(m.roi12m, decimals: 0)), alerts, docs, Span(age)],
                    .model(m.id, .summary))
        })
        return out
    }
}
