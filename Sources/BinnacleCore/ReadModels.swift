/// What the store reads for the screens and commands: one model's line, one model in full.

/// One line of the inventory list as of a date.
public struct ModelSummary: Sendable, Equatable {
    public var id, name, domain: String
    public var kind: ModelKind
    public var stage: Stage
    public var riskTier: RiskTier
    public var businessOwner, developer: String
    public var validator: String?
    public var alertsCritical, alertsWarning: Int
    /// Required document kinds with no current version at the date.
    public var missingDocuments: [String]
    public var value90d: Double
    public var tags: [String] = []
    public var value12m = 0.0, cost12m = 0.0
    /// The latest observation of any metric on or before the date.
    public var lastObservedAt: Timestamp?

    public var roi12m: Double? { ModelSummary.roi(value12m: value12m, cost12m: cost12m) }
    public static func roi(value12m: Double, cost12m: Double) -> Double? { KPIs.ratio(value12m - cost12m, cost12m) }

    public init(id: String, name: String, domain: String, kind: ModelKind, stage: Stage, riskTier: RiskTier, businessOwner: String,
                developer: String, validator: String?, alertsCritical: Int, alertsWarning: Int, missingDocuments: [String],
                value90d: Double) {
        self.id = id; self.name = name; self.domain = domain; self.kind = kind; self.stage = stage; self.riskTier = riskTier
        self.businessOwner = businessOwner; self.developer = developer; self.validator = validator
        self.alertsCritical = alertsCritical; self.alertsWarning = alertsWarning; self.missingDocuments = missingDocuments
        self.value90d = value90d
    }
}

/// A lineage neighbour at some depth (1 = direct).
public struct LineageNode: Sendable, Equatable {
    public var id, kind, name: String
    public var tags: [String]
    public var depth: Int

    public init(id: String, kind: String, name: String, tags: [String], depth: Int) {
        self.id = id; self.kind = kind; self.name = name; self.tags = tags; self.depth = depth
    }
}

/// A document version and what it counts as at the date.
public struct DocumentStatus: Sendable, Equatable {
    public enum State: String, Sendable { case current, expired, draft, future }
    public var document: Document
    public var state: State

    public init(document: Document, state: State) { self.document = document; self.state = state }
}

/// A monitor with its latest observation dated on or before the date.
public struct MonitorStatus: Sendable, Equatable {
    public var monitor: Monitor
    public var lastAt: Timestamp?
    public var lastValue: Double?
    /// The most recent observations on or before the date, oldest first (for sparklines).
    public var recent: [Double]
    /// "critical", "warning", "stale", or nil when fine (or when the model is not in production).
    public var state: String?

    public init(monitor: Monitor, lastAt: Timestamp?, lastValue: Double?, recent: [Double], state: String?) {
        self.monitor = monitor; self.lastAt = lastAt; self.lastValue = lastValue; self.recent = recent; self.state = state
    }
}

/// A metric observed for a model that no monitor watches (an MLflow run's metrics, say): shown so that
/// every observation is visible, but with no thresholds it raises no alert.
public struct ObservedMetric: Sendable, Equatable {
    public var metric: String
    /// Observations on or before the date.
    public var count: Int
    public var lastAt: Timestamp
    public var lastValue: Double
    /// The most recent observations on or before the date, oldest first (for sparklines).
    public var recent: [Double]

    public init(metric: String, count: Int, lastAt: Timestamp, lastValue: Double, recent: [Double]) {
        self.metric = metric; self.count = count; self.lastAt = lastAt; self.lastValue = lastValue; self.recent = recent
    }
}

/// Everything known about one model as of a date.
public struct ModelDetail: Sendable {
    public var model: Model
    /// The stage at the date; nil when the model was not yet created then.
    public var stage: Stage?
    /// How the stage reads on screen and in reports.
    public var stageLabel: String { stage?.rawValue ?? "not yet created" }
    public var people: [(role: String, login: String?, person: Person?)]
    public var stageHistory: [StageChange]
    public var value90d, value12m, cost12m: Double
    public var monthly: [(month: String, value: Double, cost: Double)]
    public var monitors: [MonitorStatus]
    public var alerts: [Alert]
    public var requiredDocuments: [(kind: String, current: Bool)]
    public var documents: [DocumentStatus]
    public var upstream, downstream: [LineageNode]
    public var tasks: [RemediationTask]
    /// Audit entries about this model, newest first.
    public var audit: [AuditEntry]
    /// The latest drift statistics per feature (observations psi:F, js:F, wasserstein:F, ks_pvalue:F).
    public var drift: [DriftFeature] = []
    /// Metrics with observations on or before the date that no monitor watches (drift statistics aside).
    public var observed: [ObservedMetric] = []

    public init(model: Model, stage: Stage?, people: [(role: String, login: String?, person: Person?)], stageHistory: [StageChange],
                value90d: Double, value12m: Double, cost12m: Double, monthly: [(month: String, value: Double, cost: Double)],
                monitors: [MonitorStatus], alerts: [Alert], requiredDocuments: [(kind: String, current: Bool)],
                documents: [DocumentStatus], upstream: [LineageNode], downstream: [LineageNode], tasks: [RemediationTask],
                audit: [AuditEntry]) {
        self.model = model; self.stage = stage; self.people = people; self.stageHistory = stageHistory
        self.value90d = value90d; self.value12m = value12m; self.cost12m = cost12m; self.monthly = monthly
        self.monitors = monitors; self.alerts = alerts; self.requiredDocuments = requiredDocuments; self.documents = documents
        self.upstream = upstream; self.downstream = downstream; self.tasks = tasks; self.audit = audit
    }
}

/// One entry of the append-only, hash-chained audit log.
public struct AuditEntry: Sendable, Equatable {
    public var seq: Int
    public var at: String
    public var actor, action, entity, detail: String
    public var prevHash, hash: String

    public init(seq: Int, at: String, actor: String, action: String, entity: String, detail: String, prevHash: String, hash: String) {
        self.seq = seq; self.at = at; self.actor = actor; self.action = action; self.entity = entity; self.detail = detail
        self.prevHash = prevHash; self.hash = hash
    }

    /// Every field, under the names `audit log --format json` and an evidence pack's audit.jsonl use.
    public var json: JSON {
        .object([("seq", .int(seq)), ("at", .string(at)), ("actor", .string(actor)), ("action", .string(action)), ("entity", .string(entity)),
                 ("detail", .string(detail)), ("prev_hash", .string(prevHash)), ("hash", .string(hash))])
    }
}


/// Whether the audit chain recomputes.
public enum ChainStatus: Equatable, Sendable {
    case intact(entries: Int, head: String)
    case broken(seq: Int, reason: String)
}

/// One model's required documents at a date, for the risk screen's matrix.
public struct DocumentMatrixRow: Sendable, Equatable {
    public enum Cell: String, Sendable { case current, expired, draft, missing, notRequired = "not_required" }
    public var modelId, name, domain: String
    public var stage: Stage
    public var riskTier: RiskTier
    /// One cell per `DocumentKind.allCases`, in order.
    public var cells: [Cell]
    public init(modelId: String, name: String, domain: String, stage: Stage, riskTier: RiskTier, cells: [Cell]) {
        self.modelId = modelId; self.name = name; self.domain = domain; self.stage = stage; self.riskTier = riskTier; self.cells = cells
    }
}

/// A document that expires soon.
public struct ReviewDue: Sendable, Equatable {
    public var modelId, name, kind, version: String
    public var expires: Day
    public init(modelId: String, name: String, kind: String, version: String, expires: Day) {
        self.modelId = modelId; self.name = name; self.kind = kind; self.version = version; self.expires = expires
    }
}

/// A person's load in the portfolio at a date.
public struct PersonSummary: Sendable, Equatable {
    public var person: Person
    public var owned, developed, validated, openTasks, overdueTasks: Int
    public init(person: Person, owned: Int, developed: Int, validated: Int, openTasks: Int, overdueTasks: Int) {
        self.person = person; self.owned = owned; self.developed = developed; self.validated = validated
        self.openTasks = openTasks; self.overdueTasks = overdueTasks
    }
}

/// A model whose business owner is missing or inactive.
public struct OrphanedModel: Sendable, Equatable {
    public var modelId, name, domain, owner, reason: String
    public init(modelId: String, name: String, domain: String, owner: String, reason: String) {
        self.modelId = modelId; self.name = name; self.domain = domain; self.owner = owner; self.reason = reason
    }
}

/// A model exposed to a risk tag, directly or through what it depends on.
public struct TagExposure: Sendable, Equatable {
    public var modelId, name, domain: String
    public var stage: Stage
    /// Empty when the model carries the tag itself; else the nearest tagged upstream id.
    public var via: String
    public var depth: Int
    public init(modelId: String, name: String, domain: String, stage: Stage, via: String, depth: Int) {
        self.modelId = modelId; self.name = name; self.domain = domain; self.stage = stage; self.via = via; self.depth = depth
    }
}

/// An asset and everything that depends on it.
public struct AssetDetail: Sendable {
    public var asset: Asset
    public var ownerName: String?
    public var upstream, downstream: [LineageNode]
    public init(asset: Asset, ownerName: String?, upstream: [LineageNode], downstream: [LineageNode]) {
        self.asset = asset; self.ownerName = ownerName; self.upstream = upstream; self.downstream = downstream
    }
}

/// A lineage edge, for drawing trees.
public struct LineageEdge: Sendable, Equatable, Hashable {
    public var upstream, downstream: String
    public init(upstream: String, downstream: String) { self.upstream = upstream; self.downstream = downstream }
}

/// One feature's latest drift statistics for a model.
public struct DriftFeature: Sendable, Equatable {
    public var feature: String
    public var psi, jensenShannon, wasserstein, ksPValue: Double?
    public var at: Timestamp?
    public init(feature: String) { self.feature = feature }

    public mutating func set(_ statistic: DriftMetric, _ value: Double) {
        switch statistic {
        case .psi: psi = value
        case .js: jensenShannon = value
        case .wasserstein: wasserstein = value
        case .ksPValue: ksPValue = value
        }
    }
}
