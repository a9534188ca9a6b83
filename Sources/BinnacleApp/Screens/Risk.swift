import BinnacleCore
import TerminalUI

/// The Risk screen (4): which models are sensitive to a risk tag across lineage (`:tag pii`), the
/// document matrix, independence breaches and reviews due. Its state is the page's `tag` and `/`
/// filter; its reads are `load` (everything, in one read) and `lists` (the matrix and the breaches
/// again for a new filter), run by the loop; its lines are made from what they returned.
struct RiskScreen: DashboardScreen {
    let screens: Screens
    var symbols: Symbols { screens.symbols }
    var asOf: Day { screens.asOf }
    var width: Int { screens.width }
    func heading(_ text: String) -> Line { screens.heading(text) }
    static let hasLists = true
    static func listKey(_ page: Page) -> String { page.filterText + page.listOrderKey }

    // MARK: State and keys

    /// The `:` commands the screen answers: `:tag T` opens it searching for T. True when handled.
    static func run(verb: String, argument: String, _ state: inout AppState) -> Bool {
        guard verb == "tag" else { return false }
        guard !argument.isEmpty else {
            state.say("tag needs a risk tag, e.g. :tag pii", error: true)
            return true
        }
        if case .screen(.risk) = state.page.kind {} else { state.show(screen: .risk) }
        state.page.tag = argument
        state.page.data = nil
        state.page.toTop()
        return true
    }

    /// Esc (once no `/` filter is left to clear) ends a `:tag` search before it leaves the screen.
    static func handle(_ action: Action, _ state: inout AppState) -> Bool {
        guard action == .back, state.page.filterText.isEmpty, let tag = state.page.tag else { return false }
        state.page.tag = nil
        state.page.data = nil
        state.page.toTop()
        state.say("search for “\(tag)” cleared")
        return true
    }

    /// How the breadcrumbs name the page.
    static func breadcrumb(_ page: Page) -> String? { page.tag.map { "Risk (tag \($0))" } }

    // MARK: Reads (run by the loop)

    /// The reviews, the tag's exposure and the lists for the `/` filter, in one read.
    static func load(_ r: LoadRequest, from source: PortfolioSource) throws -> (PageData, PageLists?) {
        let read = try source.riskScreen(asOf: r.asOf, tag: r.tag, text: r.lists.text, gapOrder: r.lists.orders[.documentGaps])
        return (.risk(reviews: read.reviews, exposure: read.exposure), lists(read.lists, r.lists))
    }

    /// The long lists again, for a new `/` filter.
    static func lists(_ r: ListRequest, from source: PortfolioSource) throws -> PageLists {
        lists(try source.riskLists(asOf: r.asOf, text: r.text, gapOrder: r.orders[.documentGaps]), r)
    }

    private static func lists(_ lists: RiskLists, _ r: ListRequest) -> PageLists {
        PageLists(key: r.key, handles: [.documentGaps: .documentGaps(lists.documentGaps, built: lists.built), .breaches: .models(lists.breaches)])
    }

    // MARK: View

    func lines(_ page: Page, _ reviews: [ReviewDue], _ exposure: [TagExposure]?) -> Body {
        var out = Body()
        let text = page.filterText.lowercased()
        // A section's count is of the rows it shows: under a `/` filter, those matching it of how many.
        func counted(_ shown: Int, of all: Int) -> String { text.isEmpty || shown == all ? "(\(all))" : "(\(shown) of \(all) matching)" }
        if let tag = page.tag, let exposure {
            let columns = [
                Column(title: "MODEL", width: 26, flexible: true, priority: 9, middle: true),
                Column(title: "DOMAIN", width: 16, priority: 6, maxWidth: 18),
                Column(title: "STAGE", width: 11, priority: 7),
                Column(title: "HOW", width: 30, flexible: true, priority: 8),
            ]
            let table = LazyTable(exposure, text: text, columns: columns, width: width) { e in
                ([Span(e.name), Span(e.domain), Span(e.stage.rawValue),
                  Span(e.via.isEmpty ? "carries the tag" : "via \(e.via) (\(e.depth) step\(e.depth == 1 ? "" : "s") up)")],
                 .model(e.modelId, e.via.isEmpty ? .summary : .lineage))
            }
            out.append(heading("MODELS SENSITIVE TO “\(tag)” — carrying the tag or depending on it at any depth \(counted(table.count, of: exposure.count))"))
            if exposure.isEmpty { out.append(Line("  No model carries or depends on “\(tag)”.", .muted)) }
            out += TableLayout.lines(columns, [], width: width)
            out.append(table)
            out.append(.blank)
        } else {
            out.append(Line(" Which models are sensitive to a risk? Type :tag pii (or any tag) to search across lineage.", .muted))
            out.append(.blank)
        }
        let kinds = DocumentKind.allCases
        let gaps = page.lists?.handles[.documentGaps]
        let gapCount = gaps?.count ?? 0, built: Int = { if case .documentGaps(_, let built)? = gaps { return built } else { return 0 } }()
        out.append(heading("DOCUMENT MATRIX — \(gapCount) of the \(built) built models have a required document not current"))
        out.append(Line("  \(symbols.ok) current  E expired  D draft  \(symbols.bad) missing  · not required", .muted))
        // Four letters at most: the column's five cells hold the title and the sort's mark.
        let short = ["CARD", "VAL", "DATA", "RISK", "MON"]
        var matrixColumns = [Column(title: "MODEL", width: 24, flexible: true, priority: 9, middle: true), Column(title: "STAGE", width: 10, priority: 5),
                             Column(title: "T", width: 1, priority: 6)] + kinds.indices.map { Column(title: short[$0], width: 5, priority: 8) }
        if let o = page.listOrders[.documentGaps] { matrixColumns[o.column].mark = o.descending ? symbols.down : symbols.up }
        out += TableLayout.lines(matrixColumns, [], width: width)
        out.append(LazyTable(.documentGaps, count: gapCount, cache: page.rows[.documentGaps], columns: matrixColumns,
                             width: width) { [symbols] (r: DocumentMatrixRow) in
            ([Span(r.name), Span(r.stage.rawValue), Span(String(r.riskTier.rawValue))] + r.cells.map { c in
                switch c {
                case .current: return Span(symbols.ok, .good)
                case .expired: return Span("E", .warning)
                case .draft: return Span("D", .warning)
                case .missing: return Span(symbols.bad, .critical)
                case .notRequired: return Span("·", .muted)
                }
            }, .model(r.modelId, .documents))
        })
        out.append(.blank)
        let breaches = page.lists?.handles[.breaches]?.count ?? 0
        out.append(heading("INDEPENDENCE BREACHES — validator missing or the developer (\(breaches))"))
        let breachColumns = [Column(title: "MODEL", width: 26, flexible: true, priority: 9, middle: true), Column(title: "STAGE", width: 11, priority: 6),
                             Column(title: "DEVELOPER", width: 12, priority: 7), Column(title: "VALIDATOR", width: 12, priority: 8)]
        out += TableLayout.lines(breachColumns, [], width: width)
        out.append(LazyTable(.breaches, count: breaches, cache: page.rows[.breaches], columns: breachColumns,
                             width: width) { (m: ModelSummary) in
            ([Span(m.name), Span(m.stage.rawValue), Span(m.developer), Span(m.validator ?? "— none —", .critical)], .model(m.id, .summary))
        })
        out.append(.blank)
        let reviewColumns = [Column(title: "MODEL", width: 26, flexible: true, priority: 9, middle: true), Column(title: "DOCUMENT", width: 18, priority: 8),
                             Column(title: "VERSION", width: 7, priority: 4), Column(title: "EXPIRES", width: 10, priority: 9),
                             Column(title: "IN", width: 5, right: true, priority: 7)]
        // Made a window at a time: thousands of reviews fall due in a large portfolio, and the page's
        // lines are made again whenever rows of its other tables arrive.
        let reviewTable = LazyTable(reviews, text: text, columns: reviewColumns, width: width) { [asOf] r in
            ([Span(r.name), Span(r.kind), Span(r.version), Span(r.expires.description), Span("\(r.expires - asOf)d")],
             .model(r.modelId, .documents))
        }
        out.append(heading("REVIEWS DUE — current documents expiring within \(Windows.reviewsDue) days \(counted(reviewTable.count, of: reviews.count))"))
        if reviews.isEmpty { out.append(Line("  None.", .muted)) }
        out += TableLayout.lines(reviewColumns, [], width: width)
        out.append(reviewTable)
        return out
    }
}
