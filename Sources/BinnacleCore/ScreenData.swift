/// What each dashboard screen shows, as one read returns it: every part read in the same read
/// transaction, so a screen is never torn by a write landing between its parts. Long lists are
/// windows (`RowWindow`): their first rows come with the screen, later windows are read when paged to.

/// The Overview: the KPIs (with the 12-month trend when asked) and the first alerts.
public struct OverviewScreenData {
    public var report: PortfolioReport
    public var alertCount: Int
    public var topAlerts: [NamedAlert]
    public init(report: PortfolioReport, alertCount: Int, topAlerts: [NamedAlert]) {
        self.report = report; self.alertCount = alertCount; self.topAlerts = topAlerts
    }
}

/// The Models screen: how many models exist at the date, and those matching the list's query.
public struct ModelsScreenData {
    public var total: Int
    public var models: any RowWindow<ModelSummary>
    public init(total: Int, models: any RowWindow<ModelSummary>) { self.total = total; self.models = models }
}

/// The Risk screen's long lists, for its `/` filter: the document matrix's gaps and the independence breaches.
public struct RiskLists {
    public var documentGaps: any RowWindow<DocumentMatrixRow>
    /// How many models are built (the matrix's "of N").
    public var built: Int
    public var breaches: any RowWindow<ModelSummary>
    public init(documentGaps: any RowWindow<DocumentMatrixRow>, built: Int, breaches: any RowWindow<ModelSummary>) {
        self.documentGaps = documentGaps; self.built = built; self.breaches = breaches
    }
}

/// The Risk screen: reviews due, a tag's exposure (when one is searched for), and its lists.
public struct RiskScreenData {
    public var reviews: [ReviewDue]
    public var exposure: [TagExposure]?
    public var lists: RiskLists
    public init(reviews: [ReviewDue], exposure: [TagExposure]?, lists: RiskLists) {
        self.reviews = reviews; self.exposure = exposure; self.lists = lists
    }
}

/// The People screen: everyone with what they hold, and the models whose owner is unknown or inactive.
public struct PeopleScreenData {
    public var people: [PersonSummary]
    public var orphans: [OrphanedModel]
    public init(people: [PersonSummary], orphans: [OrphanedModel]) { self.people = people; self.orphans = orphans }
}

/// The Tasks screen: every task at the date, and the names of their models.
public struct TasksScreenData {
    public var tasks: [RemediationTask]
    public var modelNames: [String: String]
    public init(tasks: [RemediationTask], modelNames: [String: String]) { self.tasks = tasks; self.modelNames = modelNames }
}

/// The Audit screen: the newest entries and whether the hash chain holds.
public struct AuditScreenData {
    public var entries: [AuditEntry]
    public var chain: ChainStatus
    public init(entries: [AuditEntry], chain: ChainStatus) { self.entries = entries; self.chain = chain }
}

/// A lineage node's kind, name and tags, to label a tree.
public typealias LineageNodeLabel = (kind: String, name: String, tags: [String])

/// A model's page: its detail and its lineage both ways, with the nodes' labels.
public struct ModelScreenData {
    public var detail: ModelDetail
    public var upstream, downstream: [LineageEdge]
    public var nodes: [String: LineageNodeLabel]
    public init(detail: ModelDetail, upstream: [LineageEdge], downstream: [LineageEdge], nodes: [String: LineageNodeLabel]) {
        self.detail = detail; self.upstream = upstream; self.downstream = downstream; self.nodes = nodes
    }
}

/// A person's page: who they are (nil when not in people), their tasks, and the models they are involved in.
public struct PersonScreenData {
    public var summary: PersonSummary?
    public var tasks: [RemediationTask]
    public var models: any RowWindow<ModelSummary>
    public init(summary: PersonSummary?, tasks: [RemediationTask], models: any RowWindow<ModelSummary>) {
        self.summary = summary; self.tasks = tasks; self.models = models
    }
}
