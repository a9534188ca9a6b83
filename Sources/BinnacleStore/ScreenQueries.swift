import BinnacleCore
import GRDB

/// The queries behind the risk, people, tasks, asset and audit screens.
extension Inventory {
    /// Built models (PRODUCT.md: ever entered validation or production by D, as the KPIs count them,
    /// so shelved and retired ones too) × document kinds: what is required and its state, one row at
    /// a time from a cursor.
    static func eachDocumentMatrixRow(_ db: Database, asOf: Day, _ body: (DocumentMatrixRow) throws -> Void) throws {
        // Each kind's best state at D, per model: 3 current beats 2 expired beats 1 draft.
        let rows = try Row.fetchCursor(db, sql: PortfolioSQL.documentMatrix + """

            ORDER BY \(DomainRules.inProduction(stage: "s.stage")) DESC, s.domain, s.name, s.id
            """, arguments: PortfolioSQL.arguments(asOf: asOf, domain: nil))
        while let m = try rows.next() {
            try body(DocumentMatrixRow(modelId: m["id"], name: m["name"], domain: m["domain"], stage: m["stage"],
                                       riskTier: m["risk_tier"], cells: documentCells(tier: m["risk_tier"], kind: m["kind"], best: m["best"])))
        }
    }

    /// One cell per document kind: what the model's tier and kind require, and the best state of each.
    static func documentCells(tier: Int, kind: String, best: String?) -> [DocumentMatrixRow.Cell] {
        var states: [String: DocumentMatrixRow.Cell] = [:]
        for pair in (best ?? "").split(separator: ";") {
            let parts = pair.split(separator: "=")
            states[String(parts[0])] = parts[1] == "3" ? .current : parts[1] == "2" ? .expired : .draft
        }
        let required = Set(RequiredDocuments.kinds(tier: RiskTier(rawValue: tier)!, kind: ModelKind(rawValue: kind)!))
        return DocumentKind.allCases.map { kind -> DocumentMatrixRow.Cell in
            required.contains(kind) ? states[kind.rawValue] ?? .missing : .notRequired
        }
    }

    /// Current documents that expire within `days` after D.
    public func reviewsDue(asOf: Day, within days: Int = Windows.reviewsDue) throws -> [ReviewDue] {
        try read { db in try Inventory.reviewsDue(db, asOf: asOf, within: days) }
    }

    static func reviewsDue(_ db: Database, asOf: Day, within days: Int = Windows.reviewsDue) throws -> [ReviewDue] {
        try Row.fetchAll(db, sql: """
            SELECT d.model_id, m.name, d.kind, d.version, substr(d.expires_at, 1, 10) AS expires FROM documents d
            JOIN models m ON m.id = d.model_id
            WHERE \(DomainRules.currentDocument("d")) AND d.expires_at < :until
            ORDER BY d.expires_at, d.model_id
            """, arguments: ["next": asOf.adding(days: 1).description, "until": asOf.adding(days: days + 1).description]).map {
            ReviewDue(modelId: $0["model_id"], name: $0["name"], kind: $0["kind"], version: $0["version"], expires: Timestamp(storedText: $0["expires"]).day)
        }
    }

    /// Every model existing at D that carries `tag`, or depends at any depth on a model or asset that does.
    public func tagExposure(_ tag: String, asOf: Day) throws -> [TagExposure] {
        try read { db in try Inventory.tagExposure(db, tag, asOf: asOf) }
    }

    static func tagExposure(_ db: Database, _ tag: String, asOf: Day) throws -> [TagExposure] {
        var exposure: [TagExposure] = []
        try eachTagExposure(db, tag, asOf: asOf) { exposure.append($0) }
        return exposure
    }

    /// The same, one at a time from a cursor: a common tag reaches tens of thousands of models.
    static func eachTagExposure(_ db: Database, _ tag: String, asOf: Day, _ body: (TagExposure) throws -> Void) throws {
        var arguments = PortfolioSQL.arguments(asOf: asOf, domain: nil)
        _ = arguments.append(contentsOf: ["tag": tag])
        let rows = try Row.fetchCursor(db, sql: """
            WITH RECURSIVE tagged(id) AS (
              SELECT id FROM models WHERE instr(';' || tags || ';', ';' || :tag || ';') > 0
              UNION SELECT id FROM assets WHERE instr(';' || tags || ';', ';' || :tag || ';') > 0
            ),
            reach(id, via, depth) AS (
              SELECT id, id, 0 FROM tagged
              UNION
              SELECT l.downstream, r.via, r.depth + 1 FROM lineage l JOIN reach r ON l.upstream = r.id WHERE r.depth < 64
            ),
            nearest AS (SELECT id, via, MIN(depth) AS depth FROM reach GROUP BY id),
            \(PortfolioSQL.staged)
            SELECT s.id, s.name, s.domain, s.stage, n.via, n.depth FROM nearest n JOIN staged s ON s.id = n.id
            ORDER BY n.depth, s.domain, s.name
            """, arguments: arguments)
        while let r = try rows.next() {
            let depth: Int = r["depth"]
            try body(TagExposure(modelId: r["id"], name: r["name"], domain: r["domain"], stage: r["stage"],
                                 via: depth == 0 ? "" : r["via"], depth: depth))
        }
    }

    /// Every person with what they own, develop and validate among models existing at D, and their tasks.
    /// Everyone, or one login.
    public func peopleSummaries(asOf: Day, login: String? = nil) throws -> [PersonSummary] {
        try read { db in try Inventory.peopleSummaries(db, asOf: asOf, login: login) }
    }

    static func peopleSummaries(_ db: Database, asOf: Day, login: String? = nil) throws -> [PersonSummary] {
        let next = asOf.adding(days: 1).description
        // Each count is a range of an index on (role column, created_at): see schema/0002.
        return try Row.fetchAll(db, sql: """
            SELECT p.*,
              (SELECT COUNT(*) FROM models m WHERE m.business_owner = p.login AND m.created_at < :next) AS owned,
              (SELECT COUNT(*) FROM models m WHERE m.developer = p.login AND m.created_at < :next) AS developed,
              (SELECT COUNT(*) FROM models m WHERE m.validator = p.login AND m.created_at < :next) AS validated,
              (SELECT COUNT(*) FROM tasks t WHERE t.assignee = p.login AND \(DomainRules.openTask("t"))) AS open,
              (SELECT COUNT(*) FROM tasks t WHERE t.assignee = p.login AND \(DomainRules.overdueTask("t"))) AS overdue
            FROM people p WHERE (:login IS NULL OR p.login = :login)
            ORDER BY p.active DESC, owned + developed + validated DESC, p.login
            """, arguments: ["next": next, "asof": asOf.description, "login": login]).map {
            PersonSummary(person: Inventory.person($0), owned: $0["owned"], developed: $0["developed"], validated: $0["validated"],
                          openTasks: $0["open"], overdueTasks: $0["overdue"])
        }
    }

    /// Models existing at D whose business owner is unknown or inactive.
    public func orphanedModels(asOf: Day) throws -> [OrphanedModel] {
        try read { db in try Inventory.orphanedModels(db, asOf: asOf) }
    }

    static func orphanedModels(_ db: Database, asOf: Day) throws -> [OrphanedModel] {
        try Row.fetchAll(db, sql: """
            SELECT * FROM (
              -- The owners first, then their models through models_by_owner: never a scan of every model's row.
              SELECT m.id, m.name, m.domain, m.business_owner, 0 AS unknown FROM people p CROSS JOIN models m
              WHERE m.business_owner = p.login AND p.active = 0 AND m.created_at < :next
              UNION ALL
              SELECT m.id, m.name, m.domain, m.business_owner, 1
              FROM (SELECT o FROM (SELECT DISTINCT business_owner AS o FROM models) WHERE o NOT IN (SELECT login FROM people)) u
              CROSS JOIN models m WHERE m.business_owner = u.o AND m.created_at < :next
            ) ORDER BY domain, name
            """, arguments: ["next": asOf.adding(days: 1).description]).map {
            OrphanedModel(modelId: $0["id"], name: $0["name"], domain: $0["domain"], owner: $0["business_owner"],
                          reason: ($0["unknown"] as Bool) ? "owner unknown" : "owner inactive")
        }
    }

    /// What the dashboard's `:` line offers after `command`: the ids, names or tags it takes that start
    /// with `prefix`, sorted, at most `limit`; nil for a command whose argument is not in the inventory.
    public func completions(for command: String, prefix: String, limit: Int) throws -> [String]? {
        let from: (column: String, table: String)
        switch command {
        case "model", "open": from = ("id", "models")
        case "domain": from = ("domain", "models")
        case "person": from = ("login", "people")
        case "asset": from = ("id", "assets")
        case "tag":
            // Tags are `;`-separated lists on models and assets: split here (a few thousand distinct lists at most).
            return try read { db in
                var tags = Set<String>()
                for list in try String.fetchAll(db, sql: "SELECT tags FROM models WHERE tags <> '' UNION SELECT tags FROM assets WHERE tags <> ''") {
                    for tag in list.split(separator: ";") where tag.hasPrefix(prefix) { tags.insert(String(tag)) }
                }
                return Array(tags.sorted().prefix(limit))
            }
        default: return nil
        }
        return try read { db in
            try String.fetchAll(db, sql: """
                SELECT DISTINCT \(from.column) FROM \(from.table) WHERE substr(\(from.column), 1, length(:p)) = :p ORDER BY 1 LIMIT :n
                """, arguments: ["p": prefix, "n": limit])
        }
    }

    /// The logins a task can be assigned to.
    public func activeLogins() throws -> [String] {
        try read { db in try String.fetchAll(db, sql: "SELECT login FROM people WHERE active = 1 ORDER BY login") }
    }

    public func person(login: String) throws -> Person? {
        try read { db in try Row.fetchOne(db, sql: "SELECT * FROM people WHERE login = ?", arguments: [login]).map(Inventory.person) }
    }

    /// Tasks created on or before D, open ones first (overdue first), then by due date.
    public func tasks(asOf: Day, assignee: String? = nil, modelId: String? = nil) throws -> [RemediationTask] {
        try read { db in try Inventory.tasks(db, asOf: asOf, assignee: assignee, modelId: modelId) }
    }

    static func tasks(_ db: Database, asOf: Day, assignee: String? = nil, modelId: String? = nil) throws -> [RemediationTask] {
        try Row.fetchAll(db, sql: """
            SELECT * FROM tasks t WHERE t.created_at < :next AND (:assignee IS NULL OR t.assignee = :assignee)
              AND (:model IS NULL OR t.model_id = :model)
            ORDER BY \(DomainRules.openTask("t")) DESC, t.due_at < :asof DESC, t.due_at, t.id
            """, arguments: ["next": asOf.adding(days: 1).description, "asof": asOf.description,
                             "assignee": assignee, "model": modelId]).map(Inventory.task)
    }

    /// The open tasks of each of `modelIds` at `asOf` (as `open_tasks` counts them; today for the tasks open
    /// now), oldest first.
    public func openTasks(modelIds: [String], asOf: Day) throws -> [String: [OpenTaskRef]] {
        try read { db in try Inventory.openTasks(db, modelIds: modelIds, asOf: asOf) }
    }

    static func openTasks(_ db: Database, modelIds: [String], asOf: Day) throws -> [String: [OpenTaskRef]] {
        guard !modelIds.isEmpty else { return [:] }
        let ids = Array(Set(modelIds)).sorted()
        var arguments: [String: (any DatabaseValueConvertible)?] = ["next": asOf.adding(days: 1).description]
        for (i, id) in ids.enumerated() { arguments["m\(i)"] = id }
        var out: [String: [OpenTaskRef]] = [:]
        for r in try Row.fetchAll(db, sql: """
            SELECT t.id, t.model_id, t.title, t.assignee FROM tasks t
            WHERE t.model_id IN (\(ids.indices.map { ":m\($0)" }.joined(separator: ","))) AND \(DomainRules.openTask("t"))
            ORDER BY t.created_at, t.id
            """, arguments: StatementArguments(arguments)) {
            out[r["model_id"], default: []].append(OpenTaskRef(id: r["id"], title: r["title"], assignee: r["assignee"]))
        }
        return out
    }

    public func asset(id: String) throws -> AssetDetail {
        try read { db in try Inventory.asset(db, id: id) }
    }

    static func asset(_ db: Database, id: String) throws -> AssetDetail {
        guard let r = try Row.fetchOne(db, sql: """
            SELECT a.*, p.name AS owner_name FROM assets a LEFT JOIN people p ON p.login = a.owner WHERE a.id = ?
            """, arguments: [id]) else { throw StoreError.notFound("no asset '\(id)'") }
        let asset = Asset(id: r["id"], kind: AssetKind(rawValue: r["kind"])!, name: r["name"], owner: r["owner"],
                          tags: (r["tags"] as String).tagItems)
        return AssetDetail(asset: asset, ownerName: r["owner_name"],
                           upstream: try Inventory.lineage(db, of: id, upstream: true),
                           downstream: try Inventory.lineage(db, of: id, upstream: false))
    }

    /// The edges reachable from `id` going upstream (or downstream), for drawing the tree.
    public func lineageEdges(of id: String, upstream: Bool) throws -> [LineageEdge] {
        try read { db in try Inventory.lineageEdges(db, of: id, upstream: upstream) }
    }

    static func lineageEdges(_ db: Database, of id: String, upstream: Bool) throws -> [LineageEdge] {
        let (from, to) = upstream ? ("upstream", "downstream") : ("downstream", "upstream")
        return try Row.fetchAll(db, sql: """
            WITH RECURSIVE walk(id) AS (SELECT :id UNION SELECT l.\(from) FROM lineage l JOIN walk w ON l.\(to) = w.id)
            SELECT DISTINCT l.upstream, l.downstream FROM lineage l JOIN walk w ON l.\(to) = w.id
            ORDER BY l.upstream, l.downstream
            """, arguments: ["id": id]).map { LineageEdge(upstream: $0["upstream"], downstream: $0["downstream"]) }
    }

    /// Names and kinds of lineage nodes (models and assets), in one query.
    public func lineageNodes(_ ids: [String]) throws -> [String: LineageNodeLabel] {
        try read { db in try Inventory.lineageNodes(db, ids) }
    }

    /// The names of the models `ids` (those in the inventory).
    static func modelNames(_ db: Database, _ ids: [String]) throws -> [String: String] {
        let wanted = JSON.array(ids.map { .string($0) }).serialized()
        var out: [String: String] = [:]
        for r in try Row.fetchAll(db, sql: "SELECT id, name FROM models WHERE id IN (SELECT value FROM json_each(?))", arguments: [wanted]) {
            out[r["id"]] = r["name"]
        }
        return out
    }

    static func lineageNodes(_ db: Database, _ ids: [String]) throws -> [String: LineageNodeLabel] {
        let wanted = JSON.array(ids.map { .string($0) }).serialized()
        var out: [String: LineageNodeLabel] = [:]
        for r in try Row.fetchAll(db, sql: """
            WITH wanted(id) AS (SELECT value FROM json_each(?))
            SELECT m.id, 'model' AS kind, m.name, m.tags FROM models m JOIN wanted w ON w.id = m.id
            UNION ALL SELECT a.id, a.kind, a.name, a.tags FROM assets a JOIN wanted w ON w.id = a.id
            """, arguments: [wanted]) {
            out[r["id"]] = (r["kind"], r["name"], (r["tags"] as String).tagItems)
        }
        return out
    }

    public func auditEntries(filter: String?, limit: Int = 1000) throws -> [AuditEntry] {
        try read { db in try AuditLog.entries(db, filter: filter, limit: limit) }
    }

    public func verifyChain() throws -> ChainStatus { try read(AuditLog.verify) }

    /// SQLite's counter of changes made by other connections: polled to notice writes from other processes.
    public func dataVersion() throws -> Int {
        try queue.read { db in try Int.fetchOne(db, sql: "PRAGMA data_version") ?? 0 }
    }
}
