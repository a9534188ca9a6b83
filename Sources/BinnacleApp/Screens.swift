import BinnacleCore
import TerminalUI

/// One screen of the dashboard, in its own file under `Screens/`: the keys and `:` commands it gives
/// a meaning, its breadcrumb, its reads (run by the loop, never while drawing) and its lines.
protocol DashboardScreen {
    /// All the page shows, in one read of the source: its data and, for a page with long lists, the
    /// lists queried for `r.lists` (their rows are read a window at a time).
    static func load(_ r: LoadRequest, from source: PortfolioSource) throws -> (PageData, PageLists?)
    /// The long lists again, for a new filter or order.
    static func lists(_ r: ListRequest, from source: PortfolioSource) throws -> PageLists
    /// How the breadcrumbs name the page (nil: by its kind).
    static func breadcrumb(_ page: Page) -> String?
    /// The `:` commands the screen answers, from any page (`:tag` opens the Risk screen). True when handled.
    static func run(verb: String, argument: String, _ state: inout AppState) -> Bool
    /// A key on one of the screen's pages. True when handled.
    static func handle(_ action: Action, _ state: inout AppState) -> Bool
    /// Whether its pages are drawn from the portfolio-wide lists, which must be derived for the date first.
    static var needsLists: Bool { get }
    /// Whether its pages have long lists, read a window at a time.
    static var hasLists: Bool { get }
    /// Which of the page's parameters its long lists depend on: when this changes they are queried again.
    static func listKey(_ page: Page) -> String
}

extension DashboardScreen {
    static var needsLists: Bool { hasLists }
    static var hasLists: Bool { false }
    static func listKey(_ page: Page) -> String { hasLists ? page.filterText : "" }
    static func lists(_ r: ListRequest, from source: PortfolioSource) throws -> PageLists { PageLists(key: r.key, handles: [:]) }
    static func breadcrumb(_ page: Page) -> String? { nil }
    static func run(verb: String, argument: String, _ state: inout AppState) -> Bool { false }
    static func handle(_ action: Action, _ state: inout AppState) -> Bool { false }
}

/// A page asked its screen for what another screen shows (never: pages are dispatched by their kind).
enum ScreenError: Error, CustomStringConvertible {
    case wrongPage
    var description: String { "this screen cannot show that page" }
}

extension PageKind {
    /// The screen that shows pages of this kind.
    var screen: any DashboardScreen.Type {
        switch self {
        case .screen(.overview): return OverviewScreen.self
        case .screen(.models): return ModelsScreen.self
        case .screen(.alerts): return AlertsScreen.self
        case .screen(.risk): return RiskScreen.self
        case .screen(.people): return PeopleScreen.self
        case .screen(.tasks): return TasksScreen.self
        case .screen(.audit): return AuditScreen.self
        case .model: return ModelDetailScreen.self
        case .asset: return AssetScreen.self
        case .person: return PersonScreen.self
        case .drill: return KPIDrillScreen.self
        case .detail: return DetailScreen.self
        case .messages: return MessagesScreen.self
        }
    }

    var needsLists: Bool { screen.needsLists }
}

/// What each page shows: the lines drawn from what its screen read. Each screen's lines are in its own
/// file under `Screens/`; this is where they are dispatched.
struct Screens {
    let symbols: Symbols
    let asOf: Day
    let width: Int

    /// Every screen, asked in turn for a `:` command: the Alerts screen before the Models screen, so
    /// that `:domain` and `:alerts` there filter the alerts (a filter stays a filter: a write such as
    /// `:setstage` is a verb of its own).
    static var all: [any DashboardScreen.Type] { [
        ModelDetailScreen.self, MessagesScreen.self, OverviewScreen.self, AlertsScreen.self, ModelsScreen.self, RiskScreen.self, PeopleScreen.self,
        TasksScreen.self, AuditScreen.self, AssetScreen.self, PersonScreen.self, KPIDrillScreen.self,
    ] }

    // MARK: - Lines

    func lines(_ page: Page, _ data: PageData) -> Body {
        var out: Body
        let text = page.filterText.lowercased()
        if let error = page.lists?.error { return Body([Line("  \(error)", .critical)]) }
        if page.hasLists, page.lists == nil, !isPreparing(data) { return Body() }
        do {
            switch data {
            case .preparing:
                out = Body([Line("  Working out the portfolio as of \(asOf)\(symbols.ellipsis)", .title), .blank,
                            Line("  Every model's stage, value, alerts and documents at this date are derived once and kept;", .muted),
                            Line("  on a large inventory the first look at a date takes a few seconds, later ones are instant.", .muted),
                            Line("  Other screens (5 People, 6 Tasks, 7 Audit) and keys work meanwhile.", .muted)])
            case .overview(let report, let count, let top): out = Body(overview(page, report, count, top))
            case .models(let total): out = try modelList(page, total: total)
            case .alerts: out = alertList(page)
            case .risk(let reviews, let exposure): out = RiskScreen(screens: self).lines(page, reviews, exposure)
            case .people(let people, let orphans): out = peopleList(people, orphans, text: text)
            case .tasks(let tasks, let names): out = taskList(tasks, names, text: text)
            case .audit(let entries, let chain): out = Body(auditList(entries, chain))
            case .model(let detail, let up, let down, let nodes): out = Body(ModelDetailScreen(screens: self).lines(page, detail, up, down, nodes))
            case .asset(let detail): out = asset(detail, text: text)
            case .person(let summary, let tasks): out = try person(page, summary, tasks)
            case .drill(let drill): out = KPIDrillScreen(screens: self).lines(page, drill)
            case .detail(let history): out = Body(detail(page, history: history))
            case .messages: out = Body(messageList(page))
            }
        } catch {
            return Body([Line("  \(error)", .critical)])
        }
        // `/` filters any list: keep headings and the selectable lines that match (long lists filter in SQL).
        if !text.isEmpty, !isModels(page) { out = out.filtered(text) }
        if let table = page.sortTable {
            out = out.sorted(table: table, column: page.sortColumn, descending: page.sortDescending,
                             mark: page.sortDescending ? symbols.down : symbols.up)
        }
        return out
    }

    func isModels(_ page: Page) -> Bool { if case .screen(.models) = page.kind { return true } else { return false } }
    func isPreparing(_ data: PageData) -> Bool { if case .preparing = data { return true } else { return false } }

    func heading(_ text: String) -> Line { Line(" " + text, .title) }

    /// A target's status, in words with a mark of its own: `✓ met`, `✗ missed`, `— no data`.
    func status(_ s: TargetStatus) -> Span {
        switch s {
        case .met: return Span("\(symbols.ok) met", .good)
        case .missed: return Span("\(symbols.bad) missed", .critical)
        case .noData: return Span("\(symbols.noData) no data", .muted)
        }
    }

    /// A change judged by its KPI's direction, in words: `▲ better`, `▼ worse`, `= same`; nothing when
    /// either side is undefined.
    func verdict(_ v: Verdict?) -> Span {
        switch v {
        case .better?: return Span("\(symbols.better) better", .good)
        case .worse?: return Span("\(symbols.worse) worse", .warning)
        case .same?: return Span("\(symbols.same) same", .muted)
        case nil: return Span("")
        }
    }

    /// One model's alert counts, as the Overview's tile counts them: critical · warning, marked by the worst.
    func alertCounts(_ m: ModelSummary) -> Span {
        let counts = "\(m.alertsCritical) · \(m.alertsWarning)"
        if m.alertsCritical > 0 { return Span("\(symbols.bad) \(counts)", .critical) }
        if m.alertsWarning > 0 { return Span("\(symbols.warning) \(counts)", .warning) }
        return Span(m.stage == .production ? symbols.ok : "·", .muted)
    }

    func severity(_ a: Alert) -> Span {
        a.severity == .critical ? Span("\(symbols.bad) critical", .critical) : Span("\(symbols.warning) warning", .warning)
    }
}
