import BinnacleCore
import TerminalUI

/// Facts about this session that never change while it runs: how to draw, who acts, on what.
struct AppEnvironment {
    var theme: Theme
    var symbols: Symbols
    /// How the status bar names the database.
    var label: String
    var readOnly: Bool
    var actor: (login: String, person: Person?)
    /// Whether the slow parts (a date's lists, the 12-month trend) are worked out off the main thread.
    var background = false
    /// Whether `y` may put an id on the clipboard through the terminal (OSC 52): off unless asked for.
    var osc52 = false
}

/// Everything the dashboard shows and remembers, as a value: `update` makes the next one, `view`
/// draws one. It holds no database and no terminal.
struct AppState {
    var env: AppEnvironment
    var asOf: Day
    let today: Day
    var stack: [Page]
    var showHelp = false
    /// The first line of the help shown.
    var helpScroll = 0
    /// An open action form, or the question before a write.
    var form: Form?
    var confirmation: Confirmation?
    /// The `/` or `:` line being typed, with its leading character.
    var prompt: String?
    /// What Tab found for the `:` line when more than one thing completes it: listed above the prompt
    /// until the next key.
    var completions: [String] = []
    var status = ""
    var statusIsError = false
    /// Text for the loop to put on the clipboard (`y`), taken once.
    var clipboard: String?
    /// Every message and refusal said, oldest first (the last `messagesKept`): `m` or `:messages` lists them.
    var messages: [Message] = []
    static let messagesKept = 50
    /// Models that were critical when the lists were last derived, to announce newcomers.
    var knownCritical: Set<String>?
    /// Lists being derived again after a change: pages keep showing the old ones until then.
    var updating = false
    /// Moves at every change of the inventory (and `r`): background work started before it is stale.
    var generation = 0
    /// A date whose lists could not be derived (the error is on the status line): not retried until `r`.
    var failedDate: Day?
    /// The size of the last frame (the body's width and height decide selection, paging and which rows to read).
    var size = (width: 80, height: 24)
    var quit = false
    /// Whether a frame was asked for: reads start then.
    var framed = false
    /// Set when background work changed what is shown (the loop redraws), cleared by the loop.
    var redraw = false
    private var nextToken = 1

    init(env: AppEnvironment, asOf: Day, today: Day) {
        self.env = env
        self.asOf = asOf
        self.today = today
        stack = [Page(.screen(.overview), token: 0)]
    }

    var page: Page {
        get { stack[stack.count - 1] }
        set { stack[stack.count - 1] = newValue }
    }

    /// The lines of the body: the width of the last frame, its height less the header and status lines.
    var bodyWidth: Int { size.width }
    var bodyHeight: Int { size.height - 4 }

    mutating func newPage(_ kind: PageKind) -> Page {
        defer { nextToken += 1 }
        return Page(kind, token: nextToken)
    }

    mutating func say(_ message: String, error: Bool = false) {
        status = message
        statusIsError = error
        if !message.isEmpty {
            messages.append(Message(text: message, error: error))
            if messages.count > AppState.messagesKept { messages.removeFirst(messages.count - AppState.messagesKept) }
        }
    }
}

/// One page on the navigation stack with its own selection, scroll, filters and loaded data.
struct Page {
    let kind: PageKind
    /// Names this page to the results of its reads, which arrive after `update` returned.
    let token: Int
    var selection = 0
    var scroll = 0
    /// The selected line's target id, to find it again after a refresh.
    var selectedID: String?
    var filterText = ""
    var modelFilter = ModelFilter()
    var sortColumn = 0
    var sortDescending = false
    /// The table sorted by `sortColumn` on a page whose lists are in memory (its column titles), if any.
    var sortTable: String?
    /// Long lists other than the models sorted in the database by a column (the alerts, the document gaps).
    var listOrders: [ListID: ListOrder] = [:]
    /// `listOrders` in a page's list key (nothing when no list is sorted), the same for the same orders.
    var listOrderKey: String { listOrders.map { "|\($0.key)=\($0.value)" }.sorted().joined() }
    var tab = DetailTab.summary
    /// The risk screen's tag search.
    var tag: String?
    /// What the page was read from; nil: not read yet (the loop reads it before the next frame).
    var data: PageData? { didSet { lists = nil; loadFailed = false; firstLook = nil; changed() } }
    /// The `AppState.generation` at which `data` was read by a first look (the overview before the
    /// lists): while it has not moved, the lists bring the same numbers and the page is not read again.
    var firstLook: Int?
    /// The reading failed (the status line says why): not read again until a reload.
    var loadFailed = false
    /// The long lists, queried for the page's current filter and order, and the rows read from them so far.
    var lists: PageLists? { didSet { rows = [:]; reading = [:]; changed() } }
    var rows: [ListID: RowCache] = [:] { didSet { changed() } }
    /// Rows asked for and not yet read (not asked for again meanwhile; what the lines are made from is unchanged).
    var reading: [ListID: Range<Int>] = [:]
    /// How many models the list's filter matched, whatever the order: a re-sort need not count again.
    var modelCount: (filter: String, count: Int)?
    /// The lines last made and what for (a cache: making them again gives the same lines).
    let memo = BodyMemo()
    /// Counts changes to what the lines are made from.
    private(set) var version = 0

    init(_ kind: PageKind, token: Int) {
        self.kind = kind
        self.token = token
    }

    private mutating func changed() { version += 1 }

    /// The model this page is about, for actions (a model page, or the selected line's model).
    var modelId: String? { if case .model(let id) = kind { return id } else { return nil } }
    var modelQuery: ModelQuery {
        ModelQuery(filter: modelFilter, text: filterText, sort: ModelSort(rawValue: sortColumn) ?? .name, descending: sortDescending)
    }

    /// Which of the page's parameters its long lists depend on: when this changes they are queried again.
    var listKey: String { kind.screen.listKey(self) }

    /// Whether the page has long lists read a window at a time.
    var hasLists: Bool { kind.screen.hasLists }
}

/// A cache of a page's lines (pure memoisation: the key holds everything they are made from).
final class BodyMemo {
    var key: String?
    var body: Body?
}

/// The data a page was drawn from, read in one go and kept until the date or the database changes.
/// Long lists are not here: they are `PageLists`, read a window at a time.
enum PageData {
    /// The portfolio-wide lists for the date are being derived in the background.
    case preparing
    case overview(PortfolioReport, alerts: Int, topAlerts: [NamedAlert])
    case models(total: Int)
    case alerts
    case risk(reviews: [ReviewDue], exposure: [TagExposure]?)
    case people([PersonSummary], orphans: [OrphanedModel])
    case tasks([RemediationTask], names: [String: String])
    case audit([AuditEntry], ChainStatus)
    case model(ModelDetail, upstream: [LineageEdge], downstream: [LineageEdge], nodes: [String: (kind: String, name: String, tags: [String])])
    case asset(AssetDetail)
    case person(PersonSummary?, tasks: [RemediationTask])
    case drill(KPIDrill)
    /// A line in full, with a task's history (the audit entries about it).
    case detail(history: [AuditEntry])
    /// The message log (what it lists is the page's kind: the messages when it was opened).
    case messages
}

/// The long lists of a page.
enum ListID: Hashable {
    case models, alerts, documentGaps, breaches
}

/// A long list queried for a page: its rows are read by the loop a window at a time (`Effect.readRows`),
/// never while drawing.
enum ListHandle {
    case alerts(any RowWindow<NamedAlert>)
    case models(any RowWindow<ModelSummary>)
    case documentGaps(any RowWindow<DocumentMatrixRow>, built: Int)

    var count: Int {
        switch self {
        case .alerts(let w): return w.count
        case .models(let w): return w.count
        case .documentGaps(let w, _): return w.count
        }
    }

    func rows(_ range: Range<Int>) throws -> [Any] {
        switch self {
        case .alerts(let w): return try w.rows(range)
        case .models(let w): return try w.rows(range)
        case .documentGaps(let w, _): return try w.rows(range)
        }
    }
}

struct PageLists {
    /// The `Page.listKey` they were queried for.
    var key: String
    var handles: [ListID: ListHandle]
    /// Why they could not be queried.
    var error: String?
    /// How many models the list's filter matched, whatever the order (a re-sort need not count again).
    var modelCount: (filter: String, count: Int)?
}

/// Rows of a long list read so far: `range` was asked for (rows past the list's end are simply absent).
struct RowCache {
    var range: Range<Int>
    var rows: [Any]
}
