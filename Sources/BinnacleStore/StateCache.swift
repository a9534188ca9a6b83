import BinnacleCore
import Crypto
import Foundation
import GRDB
import GRDBSQLite

/// What the dashboard draws from, derived from the inventory once per date: each domain's KPI
/// counts, every model's state, every alert and every document gap. At 50,000 models computing
/// these takes seconds; reading a page of them takes a millisecond.
///
/// It lives in its own SQLite file (never in the inventory, which viewing must not write) and is
/// only a cache: an entry is used while the inventory's revision (see `revision`) is the one it was
/// derived from. Any committed write moves it, raw SQL included, so the dashboard's poll (PRAGMA
/// data_version, which moves on the same commits) and the cache agree on what is current.
public final class StateCache: @unchecked Sendable {
    let db: any DatabaseWriter
    /// The cache file; nil when the cache is in memory (no writable cache directory, and tests).
    public let path: String?

    /// How many ids of a re-sorted list are read at once (the rest when paging reaches them).
    let firstIds: Int

    /// Opens (or creates) the cache at `path`, or one in memory when `path` is nil.
    public init(path: String?, firstIds: Int = 500) throws {
        self.path = path
        self.firstIds = firstIds
        var config = Configuration()
        config.busyMode = .timeout(10)
        config.prepareDatabase { db in
            StateCache.addFunctions(db)
            // A commit is not synced to disk (WAL mode keeps the file whole): what a crash loses is derived again,
            // and the dashboard's first look at a date does not wait for the disk to keep its numbers.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        if let path {
            let pool = try DatabasePool(path: path, configuration: config)
            db = pool
        } else {
            db = try DatabaseQueue(configuration: config)
        }
        // A file written by a Binnacle without migrations (a `meta` table with a format string) or by a
        // newer one (migrations this one does not know) is only a cache: emptied and derived again.
        let foreign = try db.read { db in try db.tableExists("meta") || StateCache.migrator.hasBeenSuperseded(db) }
        if foreign { try db.erase() }
        try StateCache.migrator.migrate(db)
    }

    /// The cache's schema. A migration that changes what a derived date holds (a new KPI column, a
    /// rule deriving the lists differently) ends with `forgetEveryDate`: old entries are derived
    /// again, never misread.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("dates, counts and lists") { db in
            try db.execute(sql: """
                -- One row per date derived: the inventory revision it was derived from, and whether the
                -- lists (models, alerts, gaps) were derived too (month-ends of the trend need only counts).
                CREATE TABLE dates (as_of TEXT PRIMARY KEY, revision TEXT NOT NULL, lists INTEGER NOT NULL,
                                    built INTEGER NOT NULL DEFAULT 0);
                -- Each domain's KPI counts at the date, one column per count of KPICounts (`countColumns`).
                CREATE TABLE domain_counts (as_of TEXT NOT NULL REFERENCES dates ON DELETE CASCADE, domain TEXT NOT NULL,
                  existing_models INTEGER NOT NULL, production_models INTEGER NOT NULL, production_with_impact INTEGER NOT NULL,
                  built_models INTEGER NOT NULL, shelved_models INTEGER NOT NULL, production_docs_complete INTEGER NOT NULL,
                  value_12m REAL NOT NULL, cost_12m REAL NOT NULL, value_records_90d INTEGER NOT NULL,
                  value_records_12m INTEGER NOT NULL, alerts_critical INTEGER NOT NULL, alerts_warning INTEGER NOT NULL,
                  models_with_critical INTEGER NOT NULL, open_tasks INTEGER NOT NULL, overdue_tasks INTEGER NOT NULL,
                  PRIMARY KEY (as_of, domain));
                -- Days from idea to first production, one row per model counted (KPICounts.daysToProduction).
                CREATE TABLE production_days (as_of TEXT NOT NULL REFERENCES dates ON DELETE CASCADE, domain TEXT NOT NULL,
                  days INTEGER NOT NULL);
                CREATE INDEX production_days_by_date ON production_days(as_of);
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
        migrator.registerMigration("lists derived set-wise") { db in
            try db.execute(sql: """
                DROP TABLE models; DROP TABLE alerts; DROP TABLE gaps;
                -- Every model at the date with its sort keys, as before; `built` for the counts. Named model_rows:
                -- while deriving, the inventory is attached to this connection and the domain rules' SQL names
                -- its tables unqualified, so no table here may share a name with one of the inventory's.
                CREATE TABLE model_rows (as_of TEXT NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL, name_key TEXT NOT NULL,
                  domain TEXT NOT NULL, kind TEXT NOT NULL, stage TEXT NOT NULL, stage_rank INTEGER NOT NULL, risk_tier INTEGER NOT NULL,
                  business_owner TEXT NOT NULL, developer TEXT NOT NULL, validator TEXT, tags TEXT NOT NULL,
                  alerts_critical INTEGER NOT NULL, alerts_warning INTEGER NOT NULL, alert_rank INTEGER NOT NULL,
                  missing_docs TEXT NOT NULL, missing_count INTEGER NOT NULL,
                  value_90d REAL NOT NULL, value_12m REAL NOT NULL, cost_12m REAL NOT NULL, roi_12m REAL,
                  last_observed_at TEXT, last_day INTEGER, built INTEGER NOT NULL, search TEXT NOT NULL);
                CREATE UNIQUE INDEX model_rows_by_id ON model_rows(as_of, id);
                \(ModelSort.allCases.map { "CREATE INDEX model_rows_by_\($0) ON model_rows(as_of, \(sortColumn($0)), id);" }.joined(separator: "\n"))
                CREATE INDEX model_rows_search ON model_rows(as_of, search);
                -- Lists are kept in their order by columns, not by a position: one model's rows can then be
                -- derived again without renumbering the others. rank: critical, warning, stale, unmonitored.
                CREATE TABLE alerts (as_of TEXT NOT NULL, rank INTEGER NOT NULL, model_id TEXT NOT NULL, model_name TEXT NOT NULL,
                  severity TEXT NOT NULL, reason TEXT NOT NULL, metric TEXT, value REAL, threshold REAL, observed_at TEXT,
                  search TEXT NOT NULL);
                CREATE INDEX alerts_in_order ON alerts(as_of, rank, model_id, metric);
                CREATE TABLE gaps (as_of TEXT NOT NULL, in_production INTEGER NOT NULL, model_id TEXT NOT NULL, name TEXT NOT NULL,
                  domain TEXT NOT NULL, stage TEXT NOT NULL, risk_tier INTEGER NOT NULL, cells TEXT NOT NULL, search TEXT NOT NULL);
                CREATE INDEX gaps_in_order ON gaps(as_of, in_production DESC, domain, name, model_id);
                """)
            try forgetEveryDate(db)
        }
        return migrator
    }

    /// Drops every derived date (a migration that changes what a date holds ends with it).
    static func forgetEveryDate(_ db: Database) throws {
        for table in ["model_rows", "alerts", "gaps", "dates"] { try db.execute(sql: "DELETE FROM \(table)") }
    }

    /// Each count of KPICounts and its column in `domain_counts`. Adding a KPI adds a line here and a
    /// migration adding the column (then `forgetEveryDate`); a test checks every count has a column.
    static var countColumns: [(column: String, count: WritableKeyPath<KPICounts, Int>)] {
        [("existing_models", \.existingModels), ("production_models", \.productionModels),
         ("production_with_impact", \.productionWithImpact), ("built_models", \.builtModels), ("shelved_models", \.shelvedModels),
         ("production_docs_complete", \.productionDocsComplete), ("value_records_90d", \.valueRecords90d),
         ("value_records_12m", \.valueRecords12m), ("alerts_critical", \.alertsCritical), ("alerts_warning", \.alertsWarning),
         ("models_with_critical", \.modelsWithCritical), ("open_tasks", \.openTasks), ("overdue_tasks", \.overdueTasks)]
    }
    /// The amounts of KPICounts (money) and their columns.
    static var amountColumns: [(column: String, amount: WritableKeyPath<KPICounts, Double>)] {
        [("value_12m", \.value12m), ("cost_12m", \.cost12m)]
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

    /// The inventory's revision, which a cache entry must have been derived from to be used: the
    /// file change counter (4 bytes at offset 24 of the database header) and the audit head.
    ///
    /// The counter is what SQLite itself increments on every committed write transaction in
    /// rollback-journal mode (which the inventory always uses), whoever writes: Binnacle, another
    /// tool, the sqlite3 CLI. It costs writers nothing and readers one 4-byte read. The alternative, a
    /// counter table kept by triggers, would need a row trigger on every table, which slows bulk
    /// imports of millions of rows (about a third more time for a 1M-row insert measured with the
    /// sqlite3 CLI), and a schema migration of the inventory. The audit head is kept beside it so
    /// that an inventory replaced by another file whose counter happens to match is not mistaken.
    ///
    /// Read inside `inventory.read`, after the audit query has taken the shared lock: no write can
    /// commit until the transaction ends, so the counter belongs to the snapshot the entry is derived from.
    static func revision(_ db: Database, path: String) throws -> String {
        let head = try Row.fetchOne(db, sql: "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
        let audit = head.map { "\($0["seq"] as Int):\($0["hash"] as String)" } ?? "0:"
        return "\(try Inventory.changeCounter(path))/\(audit)"
    }

    // MARK: - Deriving

    /// Whether the lists for `asOf` are derived from the inventory as it is now.
    public func isPrepared(asOf: Day, from inventory: Inventory) throws -> Bool {
        let revision = try inventory.read { try StateCache.revision($0, path: inventory.path) }
        return try hasLists(asOf.description, revision: revision)
    }

    private func hasLists(_ day: String, revision: String) throws -> Bool {
        try db.read { db in
            try Bool.fetchOne(db, sql: "SELECT lists FROM dates WHERE as_of = ? AND revision = ?", arguments: [day, revision]) ?? false
        }
    }

    /// Stops, from another thread, the derivation running on the cache (it throws and rolls back).
    public func interrupt() { db.interrupt() }

    /// Derives everything for `asOf` (unless it is already derived from the current inventory, or
    /// `force`), from one read transaction of the inventory, written in one transaction here.
    /// Entries derived from another revision are brought up to date first (see `catchUp`).
    public func prepare(asOf: Day, from inventory: Inventory, force: Bool = false) throws {
        let day = asOf.description
        try withInventory(inventory) { db, revision in
            try StateCache.catchUp(db, to: revision)
            if !force, try Bool.fetchOne(db, sql: "SELECT lists FROM dates WHERE as_of = ? AND revision = ?",
                                         arguments: [day, revision]) == true { return }
            try StateCache.forget(db, except: revision, date: day)
            try db.execute(sql: "INSERT INTO dates (as_of, revision, lists) VALUES (?, ?, 1)", arguments: [day, revision])
            try StateCache.deriveLists(db, asOf: asOf, model: nil)
            // The counts read, and write a few rows: the lists' 8 MB page cache would only let each of
            // their sorts hold 8 MB too (SQLite sizes a sort's memory by the main page cache). What the
            // lists held goes back first.
            try db.execute(sql: "PRAGMA main.cache_size = -2000")
            _ = sqlite3_db_release_memory(db.sqliteConnection)
            Heap.returnFreed()
            try StateCache.deriveCounts(db, asOf: asOf)
            try StateCache.pruneLists(db)
        }
    }

    /// Each domain's counts at `asOf`: from the cache, or derived (and kept) now.
    public func counts(asOf: Day, from inventory: Inventory) throws -> [String: KPICounts] {
        try counts(asOf: [asOf], from: inventory)[0]
    }

    /// Each domain's counts at each of `days` (the 12-month trend), read in one go; the dates not yet
    /// derived are derived together, in one pass over the inventory's facts (KPISweep), and kept.
    public func counts(asOf days: [Day], from inventory: Inventory) throws -> [[String: KPICounts]] {
        try bringUpToDate(from: inventory)
        return try inventory.read { idb in
            let revision = try StateCache.revision(idb, path: inventory.path)
            var counts = try db.read { db in try days.map { try StateCache.counts(db, day: $0.description, revision: revision) } }
            let missing = days.indices.filter { counts[$0] == nil }
            guard !missing.isEmpty else { return counts.map { $0! } }
            let derived = try Inventory.counts(idb, asOf: missing.map { days[$0] }, domain: nil)
            try db.write { db in
                try StateCache.forget(db, except: revision, date: nil)
                for (i, c) in zip(missing, derived) { try StateCache.keepCounts(c, day: days[i].description, revision: revision, in: db) }
            }
            for (i, c) in zip(missing, derived) { counts[i] = c }
            return counts.map { $0! }
        }
    }

    /// Keeps a date's counts derived elsewhere (the dashboard's first look) from `revision`, read in
    /// the same read of the inventory — unless the date has counts already, or the cache holds dates of
    /// another revision (the lists' derivation brings those up to date first, see `catchUp`).
    func keep(_ counts: [String: KPICounts], asOf: Day, revision: String) throws {
        let day = asOf.description
        try db.write { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM dates WHERE as_of = ? OR revision <> ? LIMIT 1", arguments: [day, revision]) == nil
            else { return }
            try StateCache.keepCounts(counts, day: day, revision: revision, in: db)
        }
    }

    /// Records a date's counts (without its lists) from `revision`, unless the date is there already.
    private static func keepCounts(_ counts: [String: KPICounts], day: String, revision: String, in db: Database) throws {
        guard try Bool.fetchOne(db, sql: "SELECT 1 FROM dates WHERE as_of = ?", arguments: [day]) == nil else { return }
        try db.execute(sql: "INSERT INTO dates (as_of, revision, lists) VALUES (?, ?, 0)", arguments: [day, revision])
        try insert(counts, day: day, into: db)
    }

    /// The counts of a date derived from `revision`, by domain; nil when there are none.
    private static func counts(_ db: Database, day: String, revision: String) throws -> [String: KPICounts]? {
        guard try Bool.fetchOne(db, sql: "SELECT 1 FROM dates WHERE as_of = ? AND revision = ?", arguments: [day, revision]) != nil
        else { return nil }
        return try storedCounts(db, day: day)
    }

    /// The counts of a date as stored, by domain.
    static func storedCounts(_ db: Database, day: String) throws -> [String: KPICounts] {
        var byDomain: [String: KPICounts] = [:]
        for r in try Row.fetchAll(db, sql: "SELECT * FROM domain_counts WHERE as_of = ?", arguments: [day]) {
            var c = KPICounts()
            for (column, count) in countColumns { c[keyPath: count] = r[column] }
            for (column, amount) in amountColumns { c[keyPath: amount] = r[column] }
            byDomain[r["domain"]] = c
        }
        // In the order the inventory lists them, so that the median is taken over the same list.
        for r in try Row.fetchAll(db, sql: "SELECT domain, days FROM production_days WHERE as_of = ? ORDER BY rowid", arguments: [day]) {
            byDomain[r["domain"], default: KPICounts()].daysToProduction.append(r["days"])
        }
        return byDomain
    }

    /// Writes each domain's counts of `day` (whose row in `dates` is written already), by column name.
    static func insert(_ counts: [String: KPICounts], day: String, into db: Database) throws {
        let columns = countColumns.map(\.column) + amountColumns.map(\.column)
        let insert = try db.makeStatement(sql: """
            INSERT INTO domain_counts (as_of, domain, \(columns.joined(separator: ", ")))
            VALUES (?, ?, \(columns.map { _ in "?" }.joined(separator: ", ")))
            """)
        // A domain's days in one statement (thousands of them at 50,000 models, one execution each took longer
        // than the rest of keeping a date).
        let insertDays = try db.makeStatement(sql: "INSERT INTO production_days (as_of, domain, days) SELECT ?, ?, value FROM json_each(?)")
        for (domain, c) in counts {
            let values: [any DatabaseValueConvertible] = [day, domain] + countColumns.map { c[keyPath: $0.count] }
                + amountColumns.map { c[keyPath: $0.amount] }
            try insert.execute(arguments: StatementArguments(values))
            if !c.daysToProduction.isEmpty {
                try insertDays.execute(arguments: [day, domain, "[" + c.daysToProduction.map(String.init).joined(separator: ",") + "]"])
            }
        }
    }

    /// Drops what was derived from another revision, and the date about to be derived again.
    static func forget(_ db: Database, except revision: String, date: String?) throws {
        let stale = try String.fetchAll(db, sql: "SELECT as_of FROM dates WHERE revision <> ? OR as_of = ?", arguments: [revision, date])
        for day in stale {
            // The counts go with the date's row (ON DELETE CASCADE); the lists are deleted here.
            for table in ["dates", "model_rows", "alerts", "gaps"] {
                try db.execute(sql: "DELETE FROM \(table) WHERE as_of = ?", arguments: [day])
            }
        }
    }

    /// Lists are kept for the few dates derived last (each is about 15 MB at 50,000 models); older
    /// dates keep only their counts, which the trend needs.
    static let datesWithLists = 6

    static func pruneLists(_ db: Database) throws {
        let old = try String.fetchAll(db, sql: "SELECT as_of FROM dates WHERE lists = 1 ORDER BY rowid DESC LIMIT -1 OFFSET ?",
                                      arguments: [datesWithLists])
        for day in old {
            for table in ["model_rows", "alerts", "gaps"] { try db.execute(sql: "DELETE FROM \(table) WHERE as_of = ?", arguments: [day]) }
            try db.execute(sql: "UPDATE dates SET lists = 0 WHERE as_of = ?", arguments: [day])
        }
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
            conditions.append("rowid IN (SELECT rowid FROM model_rows INDEXED BY model_rows_search WHERE as_of = :asof AND instr(search, :text) > 0)")
        }
        if query.involving != nil { conditions.append(":person IN (business_owner, developer, validator)") }
        if let extra { conditions.append(extra) }
        let sql = "SELECT rowid FROM model_rows WHERE \(conditions.joined(separator: " AND ")) ORDER BY \(order)"
        let arguments: StatementArguments = ["asof": asOf.description, "stage": f.stage, "tier": f.tier, "domain": f.domain,
                                             "text": query.text.lowercased(), "person": query.involving]
        return try CachedRows(db, order: sql, arguments: arguments, table: "model_rows", count: count, first: firstIds,
                              make: Inventory.modelSummary)
    }

    /// Every alert at `asOf` (critical first, then by model), optionally those matching `text`.
    /// With `domain`, those of its models; with `severity`, those of that severity.
    /// `order`: by a column (`AlertSort`), a blank last either way, ties critical first.
    public func alerts(asOf: Day, text: String = "", domain: String? = nil, severity: Alert.Severity? = nil,
                       order: ListOrder? = nil) throws -> CachedRows<NamedAlert> {
        try CachedRows(db, order: """
            SELECT rowid FROM alerts WHERE as_of = :asof AND (:text = '' OR instr(search, :text) > 0)
              AND (:severity IS NULL OR severity = :severity)
              AND (:domain IS NULL OR model_id IN (SELECT id FROM model_rows WHERE as_of = :asof AND domain = :domain))
            ORDER BY \(StateCache.orderBy(StateCache.alertKey(order), order))rank, model_id, metric
            """,
                       arguments: ["asof": asOf.description, "text": text.lowercased(), "domain": domain, "severity": severity?.rawValue],
                       table: "alerts") { r in
            NamedAlert(Inventory.alert(r, value: "value", observedAt: "observed_at"), modelName: r["model_name"])
        }
    }

    /// The leading ORDER BY terms for a sort key (nil: the list's own order): blanks (NULL) last whichever
    /// the direction, then the key.
    static func orderBy(_ key: String?, _ order: ListOrder?) -> String {
        guard let key, let order else { return "" }
        return "(\(key)) IS NULL, \(key) \(order.descending ? "DESC" : "ASC"), "
    }

    /// What an alert's column sorts by, as shown: the severity's rank, the name (any case), what it says,
    /// when it was observed (its age: the other way round).
    static func alertKey(_ order: ListOrder?) -> String? {
        switch order.flatMap({ AlertSort(rawValue: $0.column) }) {
        case .severity?: return "rank"
        case .model?: return "binnacle_lower(model_name)"
        case .what?: return "binnacle_lower(binnacle_alert_summary(severity, reason, metric, value, threshold, observed_at))"
        case .observed?: return "observed_at"
        case .age?: return "-binnacle_day_number(observed_at)"
        case nil: return nil
        }
    }

    /// What a document gap's column sorts by: the name (any case), the stage in its order, the tier, a
    /// kind's state (current, expired, draft, missing; not required is blank).
    static func gapKey(_ order: ListOrder?) -> String? {
        switch order.flatMap({ GapSort(column: $0.column) }) {
        case .model?: return "binnacle_lower(name)"
        case .stage?: return "CASE stage " + Stage.allCases.enumerated().map { "WHEN '\($1.rawValue)' THEN \($0)" }.joined(separator: " ") + " END"
        case .tier?: return "risk_tier"
        case .kind(let k)?: return "binnacle_cell_rank(cells, \(k))"
        case nil: return nil
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
    /// `order`: by a column (`GapSort`), a blank last either way, ties in the list's own order.
    public func documentGaps(asOf: Day, text: String = "", order: ListOrder? = nil) throws -> (rows: CachedRows<DocumentMatrixRow>, built: Int) {
        let built = try db.read { db in try Int.fetchOne(db, sql: "SELECT built FROM dates WHERE as_of = ?", arguments: [asOf.description]) } ?? 0
        let key = StateCache.orderBy(StateCache.gapKey(order), order)
        let rows = try CachedRows(db, order: "SELECT rowid FROM gaps WHERE as_of = :asof AND (:text = '' OR instr(search, :text) > 0) ORDER BY \(key)in_production DESC, domain, name, model_id",
                                  arguments: ["asof": asOf.description, "text": text.lowercased()], table: "gaps") { r in
            DocumentMatrixRow(modelId: r["model_id"], name: r["name"], domain: r["domain"], stage: r["stage"], riskTier: r["risk_tier"],
                              cells: (r["cells"] as String).split(separator: ";").map { DocumentMatrixRow.Cell(rawValue: String($0))! })
        }
        return (rows, built)
    }

    /// How many models exist at `asOf` (the list's "of N").
    public func modelCount(asOf: Day) throws -> Int {
        try db.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM model_rows WHERE as_of = ?", arguments: [asOf.description]) ?? 0 }
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
