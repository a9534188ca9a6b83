import BinnacleCore

/// The screens the number keys switch between.
public enum ScreenID: Int, CaseIterable, Sendable {
    case overview = 1, models, alerts, risk, people, tasks, audit

    public var title: String {
        switch self {
        case .overview: return "Overview"
        case .models: return "Models"
        case .alerts: return "Alerts"
        case .risk: return "Risk"
        case .people: return "People"
        case .tasks: return "Tasks"
        case .audit: return "Audit"
        }
    }

    public init?(name: String) {
        guard let s = ScreenID.allCases.first(where: { $0.title.lowercased() == name.lowercased() }) else { return nil }
        self = s
    }
}

/// The tabs of a model's detail page.
public enum DetailTab: Int, CaseIterable, Sendable {
    case summary, value, monitoring, documents, lineage, tasks, audit

    public var title: String {
        ["Summary", "Value", "Monitoring", "Documents", "Lineage", "Tasks", "Audit"][rawValue]
    }

    public init?(name: String) {
        guard let t = DetailTab.allCases.first(where: { $0.title.lowercased() == name.lowercased() }) else { return nil }
        self = t
    }
}

/// Where Enter on a line goes.
enum Target: Equatable {
    case model(String, DetailTab)
    /// An alert: Enter opens the model's monitoring; `a` assigns a task prefilled from it.
    case alert(modelId: String, metric: String?, critical: Bool)
    /// A task: Enter opens its model's tasks; `s` changes its status.
    case task(id: String, modelId: String)
    /// A document version: `A` approves it.
    case document(modelId: String, kind: DocumentKind, version: String)
    case asset(String)
    case person(String)
    case models(ModelFilter)
    case screen(ScreenID)

    /// A stable id, so a selection survives a refresh.
    var id: String {
        switch self {
        case .model(let id, _): return "model:" + id
        case .alert(let id, let metric, _): return "alert:\(id):\(metric ?? "")"
        case .task(let id, _): return "task:" + id
        case .document(let id, let kind, let version): return "document:\(id):\(kind.rawValue):\(version)"
        case .asset(let id): return "asset:" + id
        case .person(let login): return "person:" + login
        case .models(let f): return "models:" + f.summary
        case .screen(let s): return "screen:\(s.rawValue)"
        }
    }
}

/// What a page shows.
enum PageKind: Equatable {
    case screen(ScreenID)
    case model(String)
    case asset(String)
    case person(String)

    var breadcrumb: String {
        switch self {
        case .screen(let s): return s.title
        case .model(let id): return id
        case .asset(let id): return "asset " + id
        case .person(let login): return login
        }
    }
}

/// One page on the navigation stack with its own selection, scroll, filters and loaded data.
final class Page {
    let kind: PageKind
    var selection = 0
    var scroll = 0
    /// The selected line's target id, to find it again after a refresh.
    var selectedID: String?
    var filterText = ""
    var modelFilter = ModelFilter()
    var sortColumn = 0
    var sortDescending = false
    var tab = DetailTab.summary
    /// The risk screen's tag search.
    var tag: String?
    var data: PageData? { didSet { lines = nil; modelCount = nil } }
    /// How many models the list's filter matched, whatever the order: a re-sort need not count again.
    var modelCount: (filter: String, count: Int)?
    /// The model this page is about, for actions (a model page, or the selected line's model).
    var modelId: String? { if case .model(let id) = kind { return id } else { return nil } }
    /// The lines last drawn and what they were drawn for: moving the selection only redraws them.
    var lines: (key: String, body: Body)?
    var modelQuery: ModelQuery {
        ModelQuery(filter: modelFilter, text: filterText, sort: ModelSort(rawValue: sortColumn) ?? .name, descending: sortDescending)
    }

    init(_ kind: PageKind) { self.kind = kind }
}

/// The data a page was drawn from, loaded in one go and kept until the date or the database changes.
/// Long lists are not here: the page's lines read them a window at a time.
enum PageData {
    /// The portfolio-wide lists for the date are being derived in the background.
    case preparing
    case overview(PortfolioReport, alerts: any RowWindow<NamedAlert>)
    case models(total: Int)
    case alerts
    case risk(reviews: [ReviewDue], exposure: [TagExposure]?)
    case people([PersonSummary], orphans: [OrphanedModel])
    case tasks([RemediationTask], names: [String: String])
    case audit([AuditEntry], ChainStatus)
    case model(ModelDetail, upstream: [LineageEdge], downstream: [LineageEdge], nodes: [String: (kind: String, name: String, tags: [String])])
    case asset(AssetDetail)
    case person(PersonSummary?, tasks: [RemediationTask])
}

extension PageKind {
    /// Pages drawn from the portfolio-wide lists, which must be derived for the date first.
    var needsLists: Bool {
        switch self {
        case .screen(.overview), .screen(.models), .screen(.alerts), .screen(.risk), .person: return true
        default: return false
        }
    }
}
