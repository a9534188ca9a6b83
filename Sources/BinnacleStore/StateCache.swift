import BinnacleCore
import Crypto
import Foundation
import GRDB

/// What the dashboard draws from, derived from the inventory once per date: each domain's KPI
/// counts, every model's state, every alert and every document gap. At 50,000 models computing
/// these takes seconds; reading a page of them takes a millisecond.
///
/// It lives in its own SQLite file (never in the inventory, which viewing must not write) and is
/// only a cache: an entry is used when it was derived from the inventory's current audit head.
/// Every write through Binnacle appends to the audit log in the same transaction, so any such
/// write makes the old entries unusable; a write that bypasses Binnacle is seen on refresh (`r`),
/// which derives again.
public final class StateCache: @unchecked Sendable {
    let db: any DatabaseWriter
    /// The cache file; nil when the cache is in memory (no writable cache directory, and tests).
    public let path: String?
    /// Bumped when the tables below, or the rules deriving them, change: an older cache file is
    /// emptied, not misread (6: the document gaps count built models as the KPIs do).
    static let format = "6"

    /// How many ids of a re-sorted list are read at once (the rest when paging reaches them).
    let firstIds: Int

    /// Opens (or creates) the cache at `path`, or one in memory when `path` is nil.
    public init(path: String?, firstIds: Int = 500) throws {
        self.path = path
        self.firstIds = firstIds
        var config = Configuration()
        config.busyMode = .timeout(10)
        if let path {
            let pool = try DatabasePool(path: path, configuration: config)
            db = pool
        } else {
            db = try DatabaseQueue(configuration: config)
        }
        try db.write { db in
            let format = try db.tableExists("meta") ? try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'format'") : nil
            if format != StateCache.format { try StateCache.create(db) }
        }
    }

    /// The cache file for an inventory: under $BINNACLE_CACHE_DIR, else $XDG_CACHE_HOME/binnacle,
    /// else ~/.cache/binnacle, named by the inventory's absolute path. Nil when none can be made
    /// (the dashboard then keeps its cache in memory); BINNACLE_CACHE_DIR=none asks for that.
    public static func defaultPath(for inventoryPath: String) -> String? {
        let env = ProcessInfo.processInfo.environment
        let dir: String
        if let d = env["BINNACLE_CACHE_DIR"], !d.isEmpty {
            if d == "none" { return nil }
            dir = d
        } else if let x = env["XDG_CACHE_HOME"], x.hasPrefix("/") {
            dir = x + "/binnacle"
        } else if let home = env["HOME"], home.hasPrefix("/") {
            dir = home + "/.cache/binnacle"
        } else {
            return nil
        }
        guard (try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)) != nil,
              FileManager.default.isWritableFile(atPath: dir) else { return nil }
        let absolute = URL(fileURLWithPath: inventoryPath).standardizedFileURL.resolvingSymlinksInPath().path
        let digest = SHA256.hash(data: Data(absolute.utf8)).map { String(format: "%02x", $0) }.joined()
        return "\(dir)/\(digest.prefix(24)).sqlite"
    }

    private static func create(_ db: Database) throws {
        for table in ["meta", "dates", "models", "alerts", "gaps"] { try db.execute(sql: "DROP TABLE IF EXISTS \(table)") }
        try db.execute(sql: """
            CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            INSERT INTO meta VALUES ('format', '\(format)');
            -- One row per date derived: the audit head it was derived from, each domain's counts (JSON),
            -- and whether the lists (models, alerts, gaps) were derived too (month-ends of the trend need only counts).
            CREATE TABLE dates (as_of TEXT PRIMARY KEY, source TEXT NOT NULL, counts TEXT NOT NULL, lists INTEGER NOT NULL,
                                built INTEGER NOT NULL DEFAULT 0);
            -- Every model at the date with its sort keys: name_key is the lower-cased name, search what `/` matches.
            CREATE TABLE models (as_of TEXT NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL, name_key TEXT NOT NULL,
              domain TEXT NOT NULL, kind TEXT NOT NULL, stage TEXT NOT NULL, stage_rank INTEGER NOT NULL, risk_tier INTEGER NOT NULL,
              business_owner TEXT NOT NULL, developer TEXT NOT NULL, validator TEXT, tags TEXT NOT NULL,
              alerts_critical INTEGER NOT NULL, alerts_warning INTEGER NOT NULL, alert_rank INTEGER NOT NULL,
              missing_docs TEXT NOT NULL, missing_count INTEGER NOT NULL,
              value_90d REAL NOT NULL, value_12m REAL NOT NULL, cost_12m REAL NOT NULL, roi_12m REAL,
              last_observed_at TEXT, last_day INTEGER, search TEXT NOT NULL);
            -- One index per sort column (and one for `/`), so that ordering 50,000 rows reads an index, not the rows.
            \(ModelSort.allCases.map { "CREATE INDEX models_by_\($0) ON models(as_of, \(sortColumn($0)), id);" }.joined(separator: "\n"))
            CREATE INDEX models_search ON models(as_of, search);
            CREATE TABLE alerts (as_of TEXT NOT NULL, ord INTEGER NOT NULL, model_id TEXT NOT NULL, model_name TEXT NOT NULL,
              severity TEXT NOT NULL, reason TEXT NOT NULL, metric TEXT, value REAL, threshold REAL, observed_at TEXT,
              search TEXT NOT NULL, PRIMARY KEY (as_of, ord));
            CREATE TABLE gaps (as_of TEXT NOT NULL, ord INTEGER NOT NULL, model_id TEXT NOT NULL, name TEXT NOT NULL,
              domain TEXT NOT NULL, stage TEXT NOT NULL, risk_tier INTEGER NOT NULL, cells TEXT NOT NULL, search TEXT NOT NULL,
              PRIMARY KEY (as_of, ord));
            """)
    }

    /// The inventory's audit head: what a cache entry must have been derived from to be used.
    static func source(_ db: Database) throws -> String {
        let head = try Row.fetchOne(db, sql: "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
        return head.map { "\($0["seq"] as Int):\($0["hash"] as String)" } ?? "0:"
    }

    // MARK: - Deriving

    /// Whether the lists for `asOf` are derived from the inventory as it is now.
    public func isPrepared(asOf: Day, from inventory: Inventory) throws -> Bool {
        let source = try inventory.read(StateCache.source)
        return try hasLists(asOf.description, source: source)
    }

    private func hasLists(_ day: String, source: String) throws -> Bool {
        try db.read { db in
            try Bool.fetchOne(db, sql: "SELECT lists FROM dates WHERE as_of = ? AND source = ?", arguments: [day, source]) ?? false
        }
    }

    /// Derives everything for `asOf` (unless it is already derived from the current inventory, or
    /// `force`), from one read transaction of the inventory, written in one transaction here.
    /// Entries derived from an older audit head are removed at the same time.
    public func prepare(asOf: Day, from inventory: Inventory, force: Bool = false) throws {
        let day = asOf.description
        try inventory.read { idb in
            let source = try StateCache.source(idb)
            if try hasLists(day, source: source), !force { return }
            let counts = try Inventory.countsByDomain(idb, asOf: asOf, domain: nil).byDomain
            let alerts = try Inventory.alerts(idb, asOf: asOf, domain: nil, modelId: nil)
            try db.write { db in
                try StateCache.forget(db, except: source, date: day)
                try db.execute(sql: "INSERT INTO dates VALUES (?, ?, ?, 1, 0)", arguments: [day, source, try StateCache.encode(counts)])
                let insertModel = try db.makeStatement(sql: """
                    INSERT INTO models VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
                var names: [String: String] = [:]
                try Inventory.eachModelSummary(idb, asOf: asOf) { m in
                    if m.alertsCritical + m.alertsWarning > 0 { names[m.id] = m.name }
                    let stageRank = Stage.allCases.firstIndex { $0.rawValue == m.stage } ?? 0
                    let search = [m.id, m.name, m.businessOwner, m.domain, m.tags.joined(separator: " ")].joined(separator: "\u{1F}").lowercased()
                    let values: [(any DatabaseValueConvertible)?] = [
                        day, m.id, m.name, m.name.lowercased(), m.domain, m.kind, m.stage, stageRank, m.riskTier,
                        m.businessOwner, m.developer, m.validator, m.tags.joined(separator: ";"),
                        m.alertsCritical, m.alertsWarning, m.alertsCritical * 1000 + m.alertsWarning,
                        m.missingDocuments.joined(separator: ";"), m.missingDocuments.count,
                        m.value90d, m.value12m, m.cost12m, m.roi12m, m.lastObservedAt?.description,
                        m.lastObservedAt?.day.daysSinceEpoch, search,
                    ]
                    try insertModel.execute(arguments: StatementArguments(values))
                }
                let insertAlert = try db.makeStatement(sql: "INSERT INTO alerts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                for (n, a) in alerts.enumerated() {
                    let name = names[a.modelId] ?? a.modelId
                    let values: [(any DatabaseValueConvertible)?] = [
                        day, n, a.modelId, name, a.severity.rawValue, a.reason.rawValue, a.metric, a.value, a.threshold,
                        a.observedAt?.description, [a.modelId, name, a.severity.rawValue, a.summary].joined(separator: "\u{1F}").lowercased(),
                    ]
                    try insertAlert.execute(arguments: StatementArguments(values))
                }
                let insertGap = try db.makeStatement(sql: "INSERT INTO gaps VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
                var gaps = 0, built = 0
                try Inventory.eachDocumentMatrixRow(idb, asOf: asOf) { r in
                    built += 1
                    guard r.cells.contains(where: { $0 != .current && $0 != .notRequired }) else { return }
                    try insertGap.execute(arguments: [day, gaps, r.modelId, r.name, r.domain, r.stage, r.riskTier,
                                                      r.cells.map(\.rawValue).joined(separator: ";"),
                                                      [r.modelId, r.name, r.domain, r.stage].joined(separator: "\u{1F}").lowercased()])
                    gaps += 1
                }
                try db.execute(sql: "UPDATE dates SET built = ? WHERE as_of = ?", arguments: [built, day])
                try StateCache.pruneLists(db)
            }
        }
    }

    /// Each domain's counts at `asOf`: from the cache, or derived (and kept) now.
    public func counts(asOf: Day, from inventory: Inventory) throws -> [String: KPICounts] {
        let day = asOf.description
        return try inventory.read { idb in
            let source = try StateCache.source(idb)
            if let json = try db.read({ db in
                try String.fetchOne(db, sql: "SELECT counts FROM dates WHERE as_of = ? AND source = ?", arguments: [day, source])
            }) {
                return try JSONDecoder().decode([String: KPICounts].self, from: Data(json.utf8))
            }
            let counts = try Inventory.countsByDomain(idb, asOf: asOf, domain: nil).byDomain
            try db.write { db in
                try StateCache.forget(db, except: source, date: nil)
                try db.execute(sql: "INSERT OR IGNORE INTO dates VALUES (?, ?, ?, 0, 0)", arguments: [day, source, try StateCache.encode(counts)])
            }
            return counts
        }
    }

    /// Each domain's counts at each of `days` (the 12-month trend). The dates not yet derived are
    /// split between this connection and a second one, so that they take both cores.
    public func counts(asOf days: [Day], from inventory: Inventory) throws -> [[String: KPICounts]] {
        let source = try inventory.read(StateCache.source)
        let missing = try db.read { db in
            try days.filter { d in
                try Bool.fetchOne(db, sql: "SELECT 1 FROM dates WHERE as_of = ? AND source = ?", arguments: [d.description, source]) == nil
            }
        }
        if missing.count > 1, let second = try? Inventory(path: inventory.path, mode: .read, readOnly: true) {
            let half = missing.count / 2
            let failure = Failure()
            let group = DispatchGroup()
            DispatchQueue.global().async(group: group) { [self] in
                do { for d in missing[half...] { _ = try counts(asOf: d, from: second) } } catch { failure.error = error }
            }
            do {
                // Never return (even by throwing) while the other half is still at work.
                defer { group.wait() }
                for d in missing[..<half] { _ = try counts(asOf: d, from: inventory) }
            }
            if let error = failure.error { throw error }
        }
        return try days.map { try counts(asOf: $0, from: inventory) }
    }

    private final class Failure: @unchecked Sendable { var error: (any Error)? }

    /// Drops what was derived from another audit head, and the lists of `date` about to be derived again.
    private static func forget(_ db: Database, except source: String, date: String?) throws {
        let stale = try String.fetchAll(db, sql: "SELECT as_of FROM dates WHERE source <> ? OR as_of = ?", arguments: [source, date])
        for day in stale {
            for table in ["dates", "models", "alerts", "gaps"] {
                try db.execute(sql: "DELETE FROM \(table) WHERE as_of = ?", arguments: [day])
            }
        }
    }

    /// Lists are kept for the few dates derived last (each is about 15 MB at 50,000 models); older
    /// dates keep only their counts, which the trend needs.
    static let datesWithLists = 6

    private static func pruneLists(_ db: Database) throws {
        let old = try String.fetchAll(db, sql: "SELECT as_of FROM dates WHERE lists = 1 ORDER BY rowid DESC LIMIT -1 OFFSET ?",
                                      arguments: [datesWithLists])
        for day in old {
            for table in ["models", "alerts", "gaps"] { try db.execute(sql: "DELETE FROM \(table) WHERE as_of = ?", arguments: [day]) }
            try db.execute(sql: "UPDATE dates SET lists = 0 WHERE as_of = ?", arguments: [day])
        }
    }

    private static func encode(_ counts: [String: KPICounts]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(counts), as: UTF8.self)
    }

    // MARK: - Reading the lists

    /// Models at `asOf` matching `query`, in its order.
    /// `count`: how many models match, when the caller knows it already (the same query sorted another way).
    public func models(asOf: Day, _ query: ModelQuery, count: Int? = nil) throws -> CachedRows<ModelSummary> {
        try models(asOf: asOf, query, order: "\(StateCache.sortColumn(query.sort)) \(query.descending ? "DESC" : "ASC"), id", count: count)
    }

    static func sortColumn(_ sort: ModelSort) -> String {
        switch sort {
        case .name: return "name_key"
        case .domain: return "domain"
        case .stage: return "stage_rank"
        case .tier: return "risk_tier"
        case .owner: return "business_owner"
        case .value90d: return "value_90d"
        case .roi12m: return "roi_12m"
        case .alerts: return "alert_rank"
        case .docs: return "missing_count"
        case .lastObserved: return "last_day"
        }
    }

    /// Models past the idea stage without an independent validator (SR 11-7), by domain and name.
    public func breaches(asOf: Day, text: String = "") throws -> CachedRows<ModelSummary> {
        try models(asOf: asOf, ModelQuery(text: text), order: "domain, name, id",
                   extra: "stage <> 'idea' AND NOT \(DomainRules.independent("validator", ofDeveloper: "developer"))")
    }

    private func models(asOf: Day, _ query: ModelQuery, order: String, extra: String? = nil, count: Int? = nil) throws -> CachedRows<ModelSummary> {
        var conditions = ["as_of = :asof"]
        let f = query.filter
        if f.stage != nil { conditions.append("stage = :stage") }
        if f.tier != nil { conditions.append("risk_tier = :tier") }
        if f.domain != nil { conditions.append("domain = :domain") }
        if f.alerts == "critical" { conditions.append("alerts_critical > 0") }
        if f.alerts == "warning" { conditions.append("alerts_critical + alerts_warning > 0") }
        if f.docsMissing { conditions.append("missing_count > 0") }
        if f.noImpact { conditions.append("\(DomainRules.inProduction(stage: "stage")) AND NOT \(DomainRules.impact(value90d: "value_90d"))") }
        // Matched in the search index alone, so the rows are read only for the models that match.
        if !query.text.isEmpty {
            conditions.append("rowid IN (SELECT rowid FROM models INDEXED BY models_search WHERE as_of = :asof AND instr(search, :text) > 0)")
        }
        if query.involving != nil { conditions.append(":person IN (business_owner, developer, validator)") }
        if let extra { conditions.append(extra) }
        let sql = "SELECT rowid FROM models WHERE \(conditions.joined(separator: " AND ")) ORDER BY \(order)"
        let arguments: StatementArguments = ["asof": asOf.description, "stage": f.stage, "tier": f.tier, "domain": f.domain,
                                             "text": query.text.lowercased(), "person": query.involving]
        return try CachedRows(db, order: sql, arguments: arguments, table: "models", count: count, first: firstIds) { r in
            var m = ModelSummary(id: r["id"], name: r["name"], domain: r["domain"], kind: r["kind"], stage: r["stage"],
                                 riskTier: r["risk_tier"], businessOwner: r["business_owner"], developer: r["developer"],
                                 validator: r["validator"], alertsCritical: r["alerts_critical"], alertsWarning: r["alerts_warning"],
                                 missingDocuments: (r["missing_docs"] as String).tagItems, value90d: r["value_90d"])
            m.tags = (r["tags"] as String).tagItems
            m.value12m = r["value_12m"]
            m.cost12m = r["cost_12m"]
            m.lastObservedAt = Inventory.stamp(r, "last_observed_at")
            return m
        }
    }

    /// Every alert at `asOf` (critical first, then by model), optionally those matching `text`.
    public func alerts(asOf: Day, text: String = "") throws -> CachedRows<NamedAlert> {
        try CachedRows(db, order: "SELECT rowid FROM alerts WHERE as_of = :asof AND (:text = '' OR instr(search, :text) > 0) ORDER BY ord",
                       arguments: ["asof": asOf.description, "text": text.lowercased()], table: "alerts") { r in
            NamedAlert(Alert(modelId: r["model_id"], severity: Alert.Severity(rawValue: r["severity"])!,
                             reason: Alert.Reason(rawValue: r["reason"])!, metric: r["metric"], value: r["value"],
                             threshold: r["threshold"], observedAt: Inventory.stamp(r, "observed_at")), modelName: r["model_name"])
        }
    }

    /// The models with a critical alert at `asOf`.
    public func criticalModels(asOf: Day) throws -> Set<String> {
        try db.read { db in
            try String.fetchSet(db, sql: "SELECT DISTINCT model_id FROM alerts WHERE as_of = ? AND severity = 'critical'",
                                arguments: [asOf.description])
        }
    }

    /// Built models with a required document that is not current, and how many built models there are.
    public func documentGaps(asOf: Day, text: String = "") throws -> (rows: CachedRows<DocumentMatrixRow>, built: Int) {
        let built = try db.read { db in try Int.fetchOne(db, sql: "SELECT built FROM dates WHERE as_of = ?", arguments: [asOf.description]) } ?? 0
        let rows = try CachedRows(db, order: "SELECT rowid FROM gaps WHERE as_of = :asof AND (:text = '' OR instr(search, :text) > 0) ORDER BY ord",
                                  arguments: ["asof": asOf.description, "text": text.lowercased()], table: "gaps") { r in
            DocumentMatrixRow(modelId: r["model_id"], name: r["name"], domain: r["domain"], stage: r["stage"], riskTier: r["risk_tier"],
                              cells: (r["cells"] as String).split(separator: ";").map { DocumentMatrixRow.Cell(rawValue: String($0))! })
        }
        return (rows, built)
    }

    /// How many models exist at `asOf` (the list's "of N").
    public func modelCount(asOf: Day) throws -> Int {
        try db.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM models WHERE as_of = ?", arguments: [asOf.description]) ?? 0 }
    }
}

/// A list in the cache: the row ids in order (8 bytes a row) are read at once, the rows themselves a
/// window at a time.
/// When the count is already known (the same models in another order), only the first ids are read
/// at once and the rest when a window reaches past them: re-sorting 50,000 rows then reads a few
/// hundred index entries, not all of them.
public final class CachedRows<Row>: RowWindow {
    let db: any DatabaseReader
    let table: String
    let order: String
    let arguments: StatementArguments
    private var ids: [Int64]
    private var complete: Bool
    public let count: Int
    let make: (GRDB.Row) -> Row

    init(_ db: any DatabaseReader, order sql: String, arguments: StatementArguments, table: String, count known: Int? = nil,
         first: Int = 0, make: @escaping (GRDB.Row) -> Row) throws {
        self.db = db
        self.table = table
        self.make = make
        order = sql
        self.arguments = arguments
        if let known {
            ids = try db.read { db in try Int64.fetchAll(db, sql: sql + " LIMIT \(first)", arguments: arguments) }
            complete = ids.count < first
            count = complete ? ids.count : known
        } else {
            ids = try db.read { db in try Int64.fetchAll(db, sql: sql, arguments: arguments) }
            complete = true
            count = ids.count
        }
    }

    public func rows(_ range: Range<Int>) throws -> [Row] {
        if !complete, range.upperBound > ids.count {
            ids = try db.read { db in try Int64.fetchAll(db, sql: order, arguments: arguments) }
            complete = true
        }
        let wanted = Array(ids[range.clamped(to: ids.indices)])
        guard !wanted.isEmpty else { return [] }
        let byId = try db.read { db in
            var out: [Int64: Row] = [:]
            let list = wanted.map(String.init).joined(separator: ",")
            for r in try GRDB.Row.fetchAll(db, sql: "SELECT rowid AS rid, * FROM \(table) WHERE rowid IN (\(list))") {
                out[r["rid"]] = make(r)
            }
            return out
        }
        return wanted.compactMap { byId[$0] }
    }
}
