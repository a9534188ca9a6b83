import BinnacleCore

/// The inventory's records, typed as a bundle row holds them. Optional fields are nil when empty.

public struct Manifest: Sendable, Equatable {
    public var portfolio: String
    public var currency: String
    /// When the data was extracted; the demo opens as of this date. Optional.
    public var asOf: Day?
    public init(portfolio: String, currency: String, asOf: Day? = nil) {
        self.portfolio = portfolio; self.currency = currency; self.asOf = asOf
    }
}

public struct Person: Sendable, Equatable {
    public var login, name, email: String
    public var role: Role
    public var team: String
    public var active: Bool
    public init(login: String, name: String, email: String, role: Role, team: String, active: Bool) {
        self.login = login; self.name = name; self.email = email; self.role = role; self.team = team; self.active = active
    }
}

public struct Model: Sendable, Equatable {
    public var id, name, domain: String
    public var description, useCase: String?
    public var kind: ModelKind
    public var riskTier: RiskTier
    public var businessOwner, developer: String
    public var validator, vendor: String?
    public var tags: [String]
    public var createdAt: Timestamp
    public init(id: String, name: String, domain: String, description: String? = nil, useCase: String? = nil,
                kind: ModelKind, riskTier: RiskTier, businessOwner: String, developer: String,
                validator: String? = nil, vendor: String? = nil, tags: [String] = [], createdAt: Timestamp) {
        self.id = id; self.name = name; self.domain = domain; self.description = description; self.useCase = useCase
        self.kind = kind; self.riskTier = riskTier; self.businessOwner = businessOwner; self.developer = developer
        self.validator = validator; self.vendor = vendor; self.tags = tags; self.createdAt = createdAt
    }
}

public struct StageChange: Sendable, Equatable {
    public var modelId: String
    public var stage: Stage
    public var changedAt: Timestamp
    public var changedBy, note: String?
    public init(modelId: String, stage: Stage, changedAt: Timestamp, changedBy: String? = nil, note: String? = nil) {
        self.modelId = modelId; self.stage = stage; self.changedAt = changedAt; self.changedBy = changedBy; self.note = note
    }
}

public struct ValueRecord: Sendable, Equatable {
    public var modelId: String
    public var date: Day
    public var value, cost: Double
    public var note: String?
    public init(modelId: String, date: Day, value: Double, cost: Double, note: String? = nil) {
        self.modelId = modelId; self.date = date; self.value = value; self.cost = cost; self.note = note
    }
}

public struct Document: Sendable, Equatable {
    public var modelId: String
    public var kind: DocumentKind
    public var version: String
    public var submittedAt, approvedAt: Timestamp?
    public var approvedBy: String?
    public var expiresAt: Timestamp?
    public var uri: String?
    public init(modelId: String, kind: DocumentKind, version: String, submittedAt: Timestamp? = nil,
                approvedAt: Timestamp? = nil, approvedBy: String? = nil, expiresAt: Timestamp? = nil, uri: String? = nil) {
        self.modelId = modelId; self.kind = kind; self.version = version; self.submittedAt = submittedAt
        self.approvedAt = approvedAt; self.approvedBy = approvedBy; self.expiresAt = expiresAt; self.uri = uri
    }
}

public struct Monitor: Sendable, Equatable {
    public var modelId, metric: String
    public var direction: MonitorDirection
    public var warn, critical: Double
    public init(modelId: String, metric: String, direction: MonitorDirection, warn: Double, critical: Double) {
        self.modelId = modelId; self.metric = metric; self.direction = direction; self.warn = warn; self.critical = critical
    }
}

public struct Observation: Sendable, Equatable {
    public var modelId, metric: String
    public var observedAt: Timestamp
    public var value: Double
    public init(modelId: String, metric: String, observedAt: Timestamp, value: Double) {
        self.modelId = modelId; self.metric = metric; self.observedAt = observedAt; self.value = value
    }
}

public struct Asset: Sendable, Equatable {
    public var id: String
    public var kind: AssetKind
    public var name: String
    public var owner: String?
    public var tags: [String]
    public init(id: String, kind: AssetKind, name: String, owner: String? = nil, tags: [String] = []) {
        self.id = id; self.kind = kind; self.name = name; self.owner = owner; self.tags = tags
    }
}

public struct RemediationTask: Sendable, Equatable {
    public var id, modelId, title, assignee, assignedBy: String
    public var priority: TaskPriority
    public var createdAt, dueAt: Timestamp
    public var status: TaskStatus
    public var closedAt: Timestamp?
    public init(id: String, modelId: String, title: String, assignee: String, assignedBy: String,
                priority: TaskPriority, createdAt: Timestamp, dueAt: Timestamp, status: TaskStatus, closedAt: Timestamp? = nil) {
        self.id = id; self.modelId = modelId; self.title = title; self.assignee = assignee; self.assignedBy = assignedBy
        self.priority = priority; self.createdAt = createdAt; self.dueAt = dueAt; self.status = status; self.closedAt = closedAt
    }
}

/// An audit entry carried in from another system's history (audit.csv).
public struct AuditRecord: Sendable, Equatable {
    public var at: Timestamp
    public var actor, action, entity, detail: String
    public init(at: Timestamp, actor: String, action: String, entity: String, detail: String) {
        self.at = at; self.actor = actor; self.action = action; self.entity = entity; self.detail = detail
    }
}

extension Array where Element == String {
    /// Tags as stored and written: `;`-separated.
    public var tagList: String { joined(separator: ";") }
}

extension String {
    public var tagItems: [String] {
        split(separator: ";", omittingEmptySubsequences: true).map { String($0).trimmedSpaces }.filter { !$0.isEmpty }
    }

    public var trimmedSpaces: String {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
