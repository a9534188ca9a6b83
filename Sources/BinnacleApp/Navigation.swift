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
    /// The rows a KPI is computed from (in one domain, or all).
    case drill(KPIName, domain: String?)
    /// An audit entry: Enter opens its model (from elsewhere than the model's page), `d` the entry in full.
    case audit(AuditEntry)
    /// A line of the message log: Enter shows it in full.
    case message(Int)

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
        case .drill(let kpi, let domain): return "drill:\(kpi.rawValue):\(domain ?? "")"
        case .audit(let e): return "audit:\(e.seq)"
        case .message(let n): return "message:\(n)"
        }
    }
}

/// What a page shows.
enum PageKind: Equatable {
    case screen(ScreenID)
    case model(String)
    case asset(String)
    case person(String)
    case drill(KPIName, domain: String?)
    /// One line of a list in full (`d`, or Enter where there is nothing to drill into).
    case detail(RowDetail)
    /// The messages said so far, newest first.
    case messages([Message])

    var breadcrumb: String {
        switch self {
        case .screen(let s): return s.title
        case .model(let id): return id
        case .asset(let id): return "asset " + id
        case .person(let login): return login
        case .drill(let kpi, let domain): return kpi.title + (domain.map { " (\($0))" } ?? "")
        case .detail: return "detail"
        case .messages: return "Messages"
        }
    }
}
