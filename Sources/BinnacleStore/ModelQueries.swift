import BinnacleBundle
import BinnacleCore
import GRDB

extension Inventory {
    /// The models existing at a date, optionally in one stage or domain, or just one model.
    /// Each model's line at `asOf`, in id order, handed over one at a time from one read transaction.
    public func eachModelSummary(asOf: Day, stage: Stage? = nil, domain: String? = nil, _ body: (ModelSummary) throws -> Void) throws {
        try read { db in try Inventory.eachModelSummary(db, asOf: asOf, stage: stage, domain: domain, body) }
    }

    /// The same rows twice in one read transaction (the same rows both times): `first` to measure them,
    /// e.g. a text table's column widths, `then` to write them, without holding them.
    public func eachModelSummaryTwice(asOf: Day, stage: Stage? = nil, domain: String? = nil, first: (ModelSummary) throws -> Void,
                                      between: () throws -> Void, then: (ModelSummary) throws -> Void) throws {
        try read { db in
            try Inventory.eachModelSummary(db, asOf: asOf, stage: stage, domain: domain, first)
            try between()
            try Inventory.eachModelSummary(db, asOf: asOf, stage: stage, domain: domain, then)
        }
    }

    public func modelSummaries(asOf: Day, stage: Stage? = nil, domain: String? = nil, model: String? = nil) throws -> [ModelSummary] {
        try read { db in
            var all: [ModelSummary] = []
            try Inventory.eachModelSummary(db, asOf: asOf, stage: stage, domain: domain, model: model) { all.append($0) }
            return all
        }
    }

    /// The same, one at a time from a cursor (the dashboard's cache stores 50,000 without holding them).
    static func eachModelSummary(_ db: Database, asOf: Day, stage: Stage? = nil, domain: String? = nil, model: String? = nil,
                                 _ body: (ModelSummary) throws -> Void) throws {
            var arguments = PortfolioSQL.arguments(asOf: asOf, domain: domain, model: model)
            _ = arguments.append(contentsOf: ["stage": stage?.rawValue])
            let sql = PortfolioSQL.modelSummaries + "\nWHERE (:stage IS NULL OR s.stage = :stage) ORDER BY s.domain, s.name, s.id"
            let rows = try Row.fetchCursor(db, sql: sql, arguments: arguments)
            while let r = try rows.next() { try body(modelSummary(r)) }
    }

    /// A model's row of the lists, from `PortfolioSQL.modelSummaries` or the cache's `model_rows` (the same columns).
    static func modelSummary(_ r: Row) -> ModelSummary {
        var m = ModelSummary(id: r["id"], name: r["name"], domain: r["domain"], kind: r["kind"], stage: r["stage"],
                             riskTier: r["risk_tier"], businessOwner: r["business_owner"], developer: r["developer"],
                             validator: r["validator"], alertsCritical: r["alerts_critical"], alertsWarning: r["alerts_warning"],
                             missingDocuments: (r["missing_docs"] as String?)?.tagItems ?? [], value90d: r["value_90d"])
        m.tags = (r["tags"] as String).tagItems
        m.value12m = r["value_12m"]
        m.cost12m = r["cost_12m"]
        m.lastObservedAt = Inventory.stamp(r, "last_observed_at")
        return m
    }

    /// Every alert as of a date, critical first; stale alerts collapse to one per model, as they count.
    public func alerts(asOf: Day, domain: String? = nil, modelId: String? = nil) throws -> [Alert] {
        try read { db in try Inventory.alerts(db, asOf: asOf, domain: domain, modelId: modelId) }
    }

    static func alerts(_ db: Database, asOf: Day, domain: String?, modelId: String?) throws -> [Alert] {
        // The whole portfolio's (or a domain's) in one pass; one model's by its index seeks.
        if modelId == nil, let swept = try KPISweep.alerts(db, asOf: asOf, domain: domain) { return swept }
        return try alertsBySQL(db, asOf: asOf, domain: domain, modelId: modelId)
    }

    /// The alerts by the SQL of `PortfolioSQL.monitorStates` (KPISweepTests checks the sweep against it).
    static func alertsBySQL(_ db: Database, asOf: Day, domain: String?, modelId: String?) throws -> [Alert] {
        let arguments = PortfolioSQL.arguments(asOf: asOf, domain: domain, model: modelId)
        let sql = PortfolioSQL.alertList + "\nORDER BY rank, model_id, metric"
        return try Row.fetchAll(db, sql: sql, arguments: arguments).map { alert($0) }
    }

    /// An alert from a row of `PortfolioSQL.alertList`.
    /// An alert from a row of `PortfolioSQL.alertList`, or of the cache's `alerts` (which names its value and
    /// time `value` and `observed_at`).
    static func alert(_ r: Row, value: String = "last_value", observedAt: String = "last_at") -> Alert {
        Alert(modelId: r["model_id"], severity: Alert.Severity(rawValue: r["severity"])!, reason: Alert.Reason(rawValue: r["reason"])!,
              metric: r["metric"], value: r[value], threshold: r["threshold"], observedAt: Inventory.stamp(r, observedAt))
    }

    public func modelDetail(id: String, asOf: Day) throws -> ModelDetail {
        try read { db in try Inventory.modelDetail(db, id: id, asOf: asOf) }
    }

    static func modelDetail(_ db: Database, id: String, asOf: Day) throws -> ModelDetail {
        guard let m = try Row.fetchOne(db, sql: "SELECT * FROM models WHERE id = ?", arguments: [id]) else {
            var message = "no model '\(id)'"
            let like = try String.fetchAll(db, sql: "SELECT id FROM models WHERE id LIKE ? ORDER BY id LIMIT 5", arguments: ["%\(id)%"])
            if !like.isEmpty { message += "; did you mean: \(like.joined(separator: ", "))?" }
            throw StoreError.notFound(message)
        }
        let model = Inventory.model(m)
        let next = asOf.adding(days: 1).description
        let arguments = PortfolioSQL.arguments(asOf: asOf, domain: nil, model: id)

        let history = try Row.fetchAll(db, sql: """
            SELECT * FROM stage_changes WHERE model_id = ? AND changed_at < ? ORDER BY changed_at, id
            """, arguments: [id, next]).map { r in
            StageChange(modelId: id, stage: Stage(rawValue: r["stage"])!, changedAt: Timestamp(storedText: r["changed_at"]),
                        changedBy: r["changed_by"], note: r["note"])
        }
        let stage = model.createdAt.day > asOf ? nil : (history.last?.stage ?? Stage.idea)

        var people: [(role: String, login: String?, person: Person?)] = []
        for (role, login) in [("business owner", model.businessOwner), ("developer", model.developer), ("validator", model.validator)] {
            let person = try login.flatMap { try Row.fetchOne(db, sql: "SELECT * FROM people WHERE login = ?", arguments: [$0]) }.map(Inventory.person)
            people.append((role, login, person))
        }

        func sum(_ column: String, from: Day) throws -> Double {
            try Double.fetchOne(db, sql: """
                SELECT COALESCE(SUM(\(column)), 0) FROM value_records WHERE model_id = ? AND date BETWEEN ? AND ?
                """, arguments: [id, from.description, asOf.description]) ?? 0
        }
        let monthly = try Row.fetchAll(db, sql: """
            SELECT substr(date, 1, 7) AS month, SUM(value) AS value, SUM(cost) AS cost FROM value_records
            WHERE model_id = ? AND date BETWEEN ? AND ? GROUP BY month ORDER BY month
            """, arguments: [id, asOf.adding(months: -12).adding(days: 1).description, asOf.description]).map {
            (month: $0["month"] as String, value: $0["value"] as Double, cost: $0["cost"] as Double)
        }

        let states = try Row.fetchAll(db, sql: """
            \(PortfolioSQL.modelCTEs) SELECT metric, state FROM monitor_states
            """, arguments: arguments)
        var stateByMetric: [String: String] = [:]
        for r in states { stateByMetric[r["metric"]] = r["state"] }
        // A metric's last 60 observations on or before D, newest first from the index, then reversed.
        func recent(_ metric: String) throws -> [Double] {
            try Double.fetchAll(db, sql: """
                SELECT value FROM observations WHERE model_id = ? AND metric = ? AND observed_at < ?
                ORDER BY observed_at DESC LIMIT 60
                """, arguments: [id, metric, next]).reversed()
        }
        let monitors = try Row.fetchAll(db, sql: """
            SELECT mo.*, (SELECT MAX(observed_at) FROM observations o
                          WHERE o.model_id = mo.model_id AND o.metric = mo.metric AND o.observed_at < ?) AS last_at
            FROM monitors mo WHERE mo.model_id = ? ORDER BY metric
            """, arguments: [next, id]).map { r -> MonitorStatus in
            let monitor = Monitor(modelId: id, metric: r["metric"], direction: MonitorDirection(rawValue: r["direction"])!,
                                  warn: r["warn"], critical: r["critical"])
            let lastAt = (r["last_at"] as String?).map(Timestamp.init(storedText:))
            let values = try recent(monitor.metric)
            return MonitorStatus(monitor: monitor, lastAt: lastAt, lastValue: lastAt == nil ? nil : values.last,
                                 recent: values, state: stateByMetric[monitor.metric] ?? nil)
        }

        // Every other metric observed by D: visible, though with no thresholds it raises nothing.
        let observed = try Row.fetchAll(db, sql: """
            SELECT metric, COUNT(*) AS n, MAX(observed_at) AS last_at FROM observations
            WHERE model_id = ? AND observed_at < ? AND metric NOT IN (SELECT metric FROM monitors WHERE model_id = ?)
            GROUP BY metric ORDER BY metric
            """, arguments: [id, next, id]).compactMap { r -> ObservedMetric? in
            let metric: String = r["metric"]
            guard DriftMetric.parse(metric) == nil else { return nil }
            let values = try recent(metric)
            return ObservedMetric(metric: metric, count: r["n"], lastAt: Timestamp(storedText: r["last_at"]),
                                  lastValue: values.last ?? 0, recent: values)
        }

        let documents = try Row.fetchAll(db, sql: "SELECT * FROM documents WHERE model_id = ? ORDER BY kind, id", arguments: [id]).map { r in
            let d = Document(modelId: id, kind: DocumentKind(rawValue: r["kind"])!, version: r["version"],
                             submittedAt: Inventory.stamp(r, "submitted_at"), approvedAt: Inventory.stamp(r, "approved_at"),
                             approvedBy: r["approved_by"], expiresAt: Inventory.stamp(r, "expires_at"), uri: r["uri"])
            let state: DocumentStatus.State
            if d.isApproved(at: asOf) {
                state = d.isCurrent(at: asOf) ? .current : .expired
            } else if let submitted = d.submittedAt, submitted.day > asOf {
                state = .future
            } else {
                state = .draft
            }
            return DocumentStatus(document: d, state: state)
        }
        let required = RequiredDocuments.kinds(tier: model.riskTier, kind: model.kind).map { kind in
            (kind: kind.rawValue, current: documents.contains { $0.document.kind == kind && $0.state == .current })
        }

        let tasks = try Row.fetchAll(db, sql: "SELECT * FROM tasks WHERE model_id = ? ORDER BY created_at, id", arguments: [id])
            .map(Inventory.task)

        // Each drift statistic's latest observation on or before D, grouped by feature.
        var drift: [String: DriftFeature] = [:]
        for r in try Row.fetchAll(db, sql: """
            SELECT o.metric, o.value, o.observed_at FROM observations o
            WHERE o.model_id = :id AND (\(DriftMetric.allCases.map { "o.metric LIKE '\($0.rawValue):%'" }.joined(separator: " OR ")))
              AND o.observed_at = (SELECT MAX(observed_at) FROM observations p
                                   WHERE p.model_id = o.model_id AND p.metric = o.metric AND p.observed_at < :next)
            """, arguments: ["id": id, "next": next]) {
            guard let (statistic, feature) = DriftMetric.parse(r["metric"]) else { continue }
            var f = drift[feature] ?? DriftFeature(feature: feature)
            f.set(statistic, r["value"])
            let at = Timestamp(storedText: r["observed_at"])
            f.at = max(f.at ?? at, at)
            drift[feature] = f
        }

        var detail = ModelDetail(
            model: model, stage: stage, people: people, stageHistory: history,
            value90d: try Double.fetchOne(db, sql: "SELECT \(DomainRules.value90d("m")) FROM models m WHERE m.id = :model",
                                          arguments: arguments) ?? 0,
            value12m: try sum("value", from: asOf.windowStart(days: Windows.year)),
            cost12m: try sum("cost", from: asOf.windowStart(days: Windows.year)),
            monthly: monthly, monitors: monitors,
            alerts: try Inventory.alerts(db, asOf: asOf, domain: nil, modelId: id),
            requiredDocuments: required, documents: documents,
            upstream: try Inventory.lineage(db, of: id, upstream: true),
            downstream: try Inventory.lineage(db, of: id, upstream: false),
            tasks: tasks,
            audit: try AuditLog.entries(db, entity: "model:\(id)", limit: 200))
        detail.drift = drift.values.sorted { $0.feature < $1.feature }
        detail.observed = observed
        return detail
    }

    /// Every model or asset upstream (or downstream) of `id`, at any depth, each at its shortest depth.
    /// Cycles end because each step must reach a node not yet at a smaller depth, within a depth cap.
    static func lineage(_ db: Database, of id: String, upstream: Bool) throws -> [LineageNode] {
        let (from, to) = upstream ? ("upstream", "downstream") : ("downstream", "upstream")
        let sql = """
            WITH RECURSIVE walk(id, depth) AS (
              SELECT \(from), 1 FROM lineage WHERE \(to) = :id
              UNION
              SELECT l.\(from), w.depth + 1 FROM lineage l JOIN walk w ON l.\(to) = w.id WHERE w.depth < 64
            ),
            nearest AS (SELECT id, MIN(depth) AS depth FROM walk WHERE id <> :id GROUP BY id)
            SELECT n.id, n.depth,
                   COALESCE(a.kind, 'model') AS kind, COALESCE(a.name, m.name, n.id) AS name, COALESCE(a.tags, m.tags, '') AS tags
            FROM nearest n LEFT JOIN assets a ON a.id = n.id LEFT JOIN models m ON m.id = n.id
            ORDER BY n.depth, n.id
            """
        return try Row.fetchAll(db, sql: sql, arguments: ["id": id]).map {
            LineageNode(id: $0["id"], kind: $0["kind"], name: $0["name"], tags: ($0["tags"] as String).tagItems, depth: $0["depth"])
        }
    }

    static func stamp(_ r: Row, _ column: String) -> Timestamp? { (r[column] as String?).map(Timestamp.init(storedText:)) }

    static func model(_ r: Row) -> Model {
        Model(id: r["id"], name: r["name"], domain: r["domain"], description: r["description"], useCase: r["use_case"],
              kind: ModelKind(rawValue: r["kind"])!, riskTier: RiskTier(rawValue: r["risk_tier"])!,
              businessOwner: r["business_owner"], developer: r["developer"], validator: r["validator"], vendor: r["vendor"],
              tags: (r["tags"] as String).tagItems, createdAt: Timestamp(storedText: r["created_at"]))
    }

    static func person(_ r: Row) -> Person {
        Person(login: r["login"], name: r["name"], email: r["email"], role: Role(rawValue: r["role"])!, team: r["team"], active: r["active"])
    }

    static func task(_ r: Row) -> RemediationTask {
        RemediationTask(id: r["id"], modelId: r["model_id"], title: r["title"], assignee: r["assignee"], assignedBy: r["assigned_by"],
                        priority: TaskPriority(rawValue: r["priority"])!, createdAt: Timestamp(storedText: r["created_at"]),
                        dueAt: Timestamp(storedText: r["due_at"]), status: TaskStatus(rawValue: r["status"])!,
                        closedAt: stamp(r, "closed_at"))
    }
}

// The domain's enums read and bound as their stored text (or number): the schema's CHECK
// constraints hold every stored value to one of their cases.
extension Stage: DatabaseValueConvertible {}
extension ModelKind: DatabaseValueConvertible {}
extension RiskTier: DatabaseValueConvertible {}
