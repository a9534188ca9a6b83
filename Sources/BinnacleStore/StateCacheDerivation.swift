import BinnacleCore
import Foundation
import GRDB
import GRDBSQLite

/// How the cache derives a date: set-wise, by `INSERT … SELECT` over the same SQL the inventory's own
/// queries use (PortfolioSQL, DomainRules), with the inventory attached read-only to the cache's
/// connection, so that no row crosses into Swift. What SQL cannot say as Swift says it (Unicode
/// lower case, a tag list, an alert's summary) is a Swift function called from the SQL, so the rows
/// are those the row-by-row derivation wrote.
extension StateCache {
    /// Runs `body` in one transaction of the cache, with the inventory attached read-only as `inv`,
    /// and the inventory's revision, read first in the same transaction: the shared lock that read
    /// takes on the inventory is held to the end, so what is derived belongs to that revision.
    func withInventory<T>(_ inventory: Inventory, _ body: (Database, String) throws -> T) throws -> T {
        // What the derivation held (page caches, sorts) is handed back before the caller goes on (the
        // trend's sweep, the screens): freed, it would stay resident and add to their peak.
        defer { Heap.returnFreed() }
        return try db.writeWithoutTransaction { db in
            // A derivation stopped (the dashboard moved to another date) may have left it attached.
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM pragma_database_list WHERE name = 'inv'") == true {
                try db.execute(sql: "DETACH DATABASE inv")
            }
            try db.execute(sql: "ATTACH DATABASE ? AS inv", arguments: [StateCache.readOnlyURI(inventory.path)])
            defer { try? db.execute(sql: "DETACH DATABASE inv") }
            // Viewing must never write the inventory, not even to roll back an interrupted write.
            guard sqlite3_db_readonly(db.sqliteConnection, "inv") == 1 else {
                throw StoreError.other("\(inventory.path): could not be opened read-only for the dashboard's cache")
            }
            // A date's lists write 50,000 rows into a dozen indexes here while reading the inventory: with
            // SQLite's default 2 MB page cache they spill to the file before the commit (as a bulk import
            // would). 8 MB saves most of that (9.3 s → 8.5 s at 50,000 models) within the dashboard's 64 MB
            // (64 MB of page cache saved 2 s more but took the process to 212 MB).
            defer { _ = sqlite3_db_release_memory(db.sqliteConnection) }
            try db.execute(sql: "PRAGMA main.cache_size = -8192")
            defer { try? db.execute(sql: "PRAGMA main.cache_size = -2000") }
            var result: T?
            // Immediate: the cache's write lock at once (the inventory, attached read-only, only ever
            // gets a shared lock, at the first read).
            try db.inTransaction(.immediate) {
                result = try body(db, try StateCache.revision(db, path: inventory.path))
                return .commit
            }
            return result!
        }
    }

    /// A URI that opens the file read-only (SQLite's URI syntax: `%`, `?` and `#` escaped).
    static func readOnlyURI(_ path: String) -> String {
        var escaped = ""
        for c in path {
            switch c {
            case "%": escaped += "%25"
            case "?": escaped += "%3F"
            case "#": escaped += "%23"
            default: escaped.append(c)
            }
        }
        return "file:\(escaped)?mode=ro"
    }

    /// Catches up with the inventory from anywhere but `withInventory` (the counts): nothing to do
    /// when every date is derived from the current revision.
    func bringUpToDate(from inventory: Inventory) throws {
        let revision = try inventory.read { try StateCache.revision($0, path: inventory.path) }
        let stale = try db.read { db in try Bool.fetchOne(db, sql: "SELECT 1 FROM dates WHERE revision <> ? LIMIT 1", arguments: [revision]) }
        if stale == true { try withInventory(inventory) { db, revision in try StateCache.catchUp(db, to: revision) } }
    }

    // MARK: - One date, set-wise

    /// The lists of `asOf` (every model's row, the alerts, the document gaps), or only one model's rows.
    static func deriveLists(_ db: Database, asOf: Day, model: String?) throws {
        let arguments = PortfolioSQL.arguments(asOf: asOf, domain: nil, model: model)
        // The models first: the alerts take their models' names from them.
        for sql in [insertModelRows, insertAlerts, insertGaps] { try db.execute(sql: sql, arguments: arguments) }
    }

    /// The counts of `asOf`, from the model rows just derived (not every model's state a second time);
    /// with the number of built models the gaps are out of.
    static func deriveCounts(_ db: Database, asOf: Day) throws {
        let day = asOf.description
        try insert(try Inventory.countsByDomain(db, asOf: asOf, domain: nil, modelCounts: modelCountsFromRows).byDomain, day: day, into: db)
        try db.execute(sql: "UPDATE dates SET built = (SELECT COUNT(*) FROM model_rows WHERE as_of = :day AND built) WHERE as_of = :day",
                       arguments: ["day": day])
    }

    /// Ends a subquery whose columns the query around it uses more than once: SQLite does not merge a
    /// subquery with an OFFSET into the outer query, which would copy each column's expression (a
    /// correlated subquery per model) into every place that uses it, and evaluate it there again.
    static let once = "LIMIT -1 OFFSET 0"

    /// Each model's row: the summaries' SQL (`PortfolioSQL.modelSummaries`) with the list's sort keys.
    static var insertModelRows: String {
        let stageRank = "CASE stage " + Stage.allCases.enumerated().map { "WHEN '\($1.rawValue)' THEN \($0)" }.joined(separator: " ") + " ELSE 0 END"
        return """
            INSERT INTO model_rows (as_of, id, name, name_key, domain, kind, stage, stage_rank, risk_tier, business_owner, developer,
              validator, tags, alerts_critical, alerts_warning, alert_rank, missing_docs, missing_count, value_90d, value_12m, cost_12m,
              roi_12m, last_observed_at, last_day, built, search)
            SELECT :asof, id, name, binnacle_lower(name), domain, kind, stage, \(stageRank), risk_tier, business_owner, developer,
              validator, binnacle_tags(tags, ';'), alerts_critical, alerts_warning, alerts_critical * 1000 + alerts_warning,
              missing, CASE missing WHEN '' THEN 0 ELSE length(missing) - length(replace(missing, ';', '')) + 1 END,
              value_90d, value_12m, cost_12m, binnacle_roi(value_12m, cost_12m), last_observed_at, binnacle_day_number(last_observed_at),
              built, binnacle_lower(id || char(31) || name || char(31) || business_owner || char(31) || domain || char(31) || binnacle_tags(tags, ' '))
            FROM (SELECT *, binnacle_tags(missing_docs, ';') AS missing FROM (\(PortfolioSQL.modelSummaries) \(once)) \(once))
            """
    }

    /// Every alert (`PortfolioSQL.alertList`) with its model's name and what `/` matches.
    static var insertAlerts: String {
        """
        INSERT INTO alerts (as_of, rank, model_id, model_name, severity, reason, metric, value, threshold, observed_at, search)
        SELECT :asof, rank, model_id, name, severity, reason, metric, last_value, threshold, last_at,
          binnacle_lower(model_id || char(31) || name || char(31) || severity || char(31)
                         || binnacle_alert_summary(severity, reason, metric, last_value, threshold, last_at))
        FROM (SELECT l.*, COALESCE((SELECT r.name FROM model_rows r WHERE r.as_of = :asof AND r.id = l.model_id), l.model_id) AS name
              FROM (\(PortfolioSQL.alertList)) l \(once))
        """
    }

    /// The built models with a required document that is not current (`PortfolioSQL.documentMatrix`).
    static var insertGaps: String {
        """
        INSERT INTO gaps (as_of, in_production, model_id, name, domain, stage, risk_tier, cells, search)
        SELECT :asof, \(DomainRules.inProduction(stage: "stage")), id, name, domain, stage, risk_tier, cells,
          binnacle_lower(id || char(31) || name || char(31) || domain || char(31) || stage)
        FROM (SELECT *, binnacle_document_cells(risk_tier, kind, best) AS cells FROM (\(PortfolioSQL.documentMatrix) \(once)) \(once))
        WHERE binnacle_document_gap(cells)
        """
    }

    /// The counts that need each model's state (`PortfolioSQL.modelCounts`), summed from the model rows:
    /// the same rules, applied once per model when its row was derived.
    static var modelCountsFromRows: String {
        let production = DomainRules.inProduction(stage: "stage")
        return """
            SELECT domain, COUNT(*) AS existing, SUM(\(production)) AS production, SUM(built) AS built,
              SUM(stage = '\(Stage.shelved.rawValue)') AS shelved,
              SUM(\(production) AND \(DomainRules.impact(value90d: "value_90d"))) AS with_impact,
              SUM(\(production) AND missing_count = 0) AS docs_complete,
              SUM(alerts_critical) AS alerts_critical, SUM(alerts_warning) AS alerts_warning,
              SUM(alerts_critical > 0) AS models_with_critical
            FROM model_rows WHERE as_of = :asof AND (:domain IS NULL OR domain = :domain)
            GROUP BY domain
            """
    }

    /// The Swift the set-wise SQL calls, on every connection of the cache.
    static func addFunctions(_ db: Database) {
        let functions = [
            // Unicode lower case, as Swift's (SQLite's lower() knows ASCII only).
            DatabaseFunction("binnacle_lower", argumentCount: 1, pure: true) { v in String.fromDatabaseValue(v[0])?.lowercased() },
            // A `;` list as the summaries read it (trimmed, no empty items), joined by the separator.
            DatabaseFunction("binnacle_tags", argumentCount: 2, pure: true) { v in
                (String.fromDatabaseValue(v[0]) ?? "").tagItems.joined(separator: String.fromDatabaseValue(v[1]) ?? ";")
            },
            DatabaseFunction("binnacle_roi", argumentCount: 2, pure: true) { v in
                let value = Double.fromDatabaseValue(v[0]) ?? 0, cost = Double.fromDatabaseValue(v[1]) ?? 0
                return ModelSummary.roi(value12m: value, cost12m: cost)
            },
            DatabaseFunction("binnacle_day_number", argumentCount: 1, pure: true) { v in
                String.fromDatabaseValue(v[0]).map { Timestamp(storedText: $0).day.daysSinceEpoch }
            },
            DatabaseFunction("binnacle_alert_summary", argumentCount: 6, pure: true) { v in
                guard let severity = String.fromDatabaseValue(v[0]).flatMap(Alert.Severity.init), let reason = String.fromDatabaseValue(v[1]).flatMap(Alert.Reason.init) else { return nil }
                return Alert(modelId: "", severity: severity, reason: reason, metric: String.fromDatabaseValue(v[2]), value: Double.fromDatabaseValue(v[3]), threshold: Double.fromDatabaseValue(v[4]),
                             observedAt: String.fromDatabaseValue(v[5]).map(Timestamp.init(storedText:))).summary
            },
            DatabaseFunction("binnacle_document_cells", argumentCount: 3, pure: true) { v in
                Inventory.documentCells(tier: Int.fromDatabaseValue(v[0]) ?? 0, kind: String.fromDatabaseValue(v[1]) ?? "", best: String.fromDatabaseValue(v[2]))
                    .map(\.rawValue).joined(separator: ";")
            },
            // The state of the k-th kind in a gap's cells as a rank to sort by (not required: NULL, a blank).
            DatabaseFunction("binnacle_cell_rank", argumentCount: 2, pure: true) { v in
                let cells = (String.fromDatabaseValue(v[0]) ?? "").split(separator: ";").map(String.init)
                let k = Int.fromDatabaseValue(v[1]) ?? -1
                guard cells.indices.contains(k) else { return nil }
                let ranked: [DocumentMatrixRow.Cell] = [.current, .expired, .draft, .missing]
                return ranked.firstIndex { $0.rawValue == cells[k] }
            },
            // A gap: a required document that is not current.
            DatabaseFunction("binnacle_document_gap", argumentCount: 1, pure: true) { v in
                (String.fromDatabaseValue(v[0]) ?? "").split(separator: ";").contains {
                    $0 != DocumentMatrixRow.Cell.current.rawValue && $0 != DocumentMatrixRow.Cell.notRequired.rawValue
                }
            },
        ]
        for f in functions { db.add(function: f) }
    }
}

// MARK: - Catching up with Binnacle's own writes

extension StateCache {
    /// A revision's parts (see `revision`): the file change counter, and the audit head's sequence
    /// number and hash.
    struct Revision {
        var counter: UInt32, seq: Int, hash: String

        init?(_ text: String) {
            let parts = text.split(separator: "/", maxSplits: 1)
            guard parts.count == 2, let counter = UInt32(parts[0]) else { return nil }
            let head = parts[1].split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            guard head.count == 2, let seq = Int(head[0]) else { return nil }
            self.counter = counter; self.seq = seq; hash = String(head[1])
        }
    }

    /// Brings the dates derived from an older revision up to `revision`. When the only writes since
    /// were Binnacle's own audited actions, the models they name are derived again at every date
    /// (their rows, and the counts of their domains those actions change) and the dates re-keyed;
    /// after any other write (raw SQL, an import, an action not known here) every date is dropped,
    /// to be derived again in full.
    static func catchUp(_ db: Database, to revision: String) throws {
        let older = try String.fetchAll(db, sql: "SELECT DISTINCT revision FROM dates WHERE revision <> ?", arguments: [revision])
        guard !older.isEmpty else { return }
        if older.count == 1, let written = try writtenByActions(db, from: older[0], to: revision),
           let domains = try domains(db, of: written.models) {
            try deriveAgain(db, models: written.models, domains: domains, counts: written.counts)
            try db.execute(sql: "UPDATE dates SET revision = ?", arguments: [revision])
        } else {
            try forget(db, except: revision, date: nil)
        }
    }

    /// What each of Binnacle's own actions changes: rows of the model its entry names (`model:ID`)
    /// and, of its domain's counts, these parts (none writes value records). Each action is one
    /// transaction appending one entry.
    static let actionEffects: [String: [Inventory.CountPart]] = {
        var effects: [String: [Inventory.CountPart]] = [
            "task.assign": [.tasks], "task.reassign": [.tasks], "document.approve": [.states], "document.submit": [.states],
            "stage.set": [.states], "stage.override": [.states], "monitor.set": [.states], "model.people": [],
        ]
        for status in TaskStatus.allCases { effects["task.\(status.rawValue)"] = [.tasks] }
        return effects
    }()
    /// The actions that change nothing the cache holds (people, refused attempts).
    static let actionsOutsideTheCache: Set<String> = ["people.add", "people.change", "people.bootstrap", "denied"]

    /// The models written since revision `old` and the parts of their domains' counts that may have
    /// changed, when every write since was one of those actions; nil when anything else may have
    /// written. The file change counter moves once per committed write transaction, whoever writes;
    /// each action is one transaction with one audit entry. So the counter must have moved by exactly
    /// the number of new entries, which must follow the old head.
    static func writtenByActions(_ db: Database, from old: String, to new: String)
        throws -> (models: Set<String>, counts: Set<Inventory.CountPart>)?
    {
        guard let a = Revision(old), let b = Revision(new), a.seq > 0, b.seq > a.seq,
              b.counter &- a.counter == UInt32(truncatingIfNeeded: b.seq - a.seq),
              try String.fetchOne(db, sql: "SELECT hash FROM inv.audit_log WHERE seq = ?", arguments: [a.seq]) == a.hash
        else { return nil }
        let entries = try Row.fetchAll(db, sql: "SELECT action, entity FROM inv.audit_log WHERE seq > ? AND seq <= ?", arguments: [a.seq, b.seq])
        guard entries.count == b.seq - a.seq else { return nil }
        var models: Set<String> = [], counts: Set<Inventory.CountPart> = []
        for e in entries {
            let action: String = e["action"], entity: String = e["entity"]
            if actionsOutsideTheCache.contains(action) { continue }
            guard let effects = actionEffects[action], entity.hasPrefix("model:") else { return nil }
            models.insert(String(entity.dropFirst("model:".count)))
            counts.formUnion(effects)
        }
        return (models, counts)
    }

    /// The domains of `models` (none of the actions moves a model to another domain); nil when one is
    /// not in the inventory.
    static func domains(_ db: Database, of models: Set<String>) throws -> Set<String>? {
        let ids = JSON.array(models.sorted().map { .string($0) }).serialized()
        let rows = try Row.fetchAll(db, sql: "SELECT id, domain FROM inv.models WHERE id IN (SELECT value FROM json_each(?))", arguments: [ids])
        return rows.count == models.count ? Set(rows.map { $0["domain"] as String }) : nil
    }

    /// Derives again, at every date, the rows of `models` (dates with lists) and the `counts` parts of `domains`.
    static func deriveAgain(_ db: Database, models: Set<String>, domains: Set<String>, counts: Set<Inventory.CountPart>) throws {
        for date in try Row.fetchAll(db, sql: "SELECT as_of, lists FROM dates") {
            let day: String = date["as_of"], lists: Bool = date["lists"]
            guard let asOf = Day(day) else { continue }
            if lists {
                for model in models.sorted() {
                    for (table, column) in [("model_rows", "id"), ("alerts", "model_id"), ("gaps", "model_id")] {
                        try db.execute(sql: "DELETE FROM \(table) WHERE as_of = ? AND \(column) = ?", arguments: [day, model])
                    }
                    try deriveLists(db, asOf: asOf, model: model)
                }
                try db.execute(sql: "UPDATE dates SET built = (SELECT COUNT(*) FROM model_rows WHERE as_of = :day AND built) WHERE as_of = :day",
                               arguments: ["day": day])
            }
            guard !counts.isEmpty else { continue }
            for domain in domains.sorted() {
                var byDomain = try storedCounts(db, day: day).filter { $0.key == domain }
                try Inventory.count(Inventory.CountPart.allCases.filter(counts.contains), db, asOf: asOf, domain: domain,
                                    modelCounts: lists ? modelCountsFromRows : PortfolioSQL.modelCounts, into: &byDomain)
                for table in ["domain_counts", "production_days"] {
                    try db.execute(sql: "DELETE FROM \(table) WHERE as_of = ? AND domain = ?", arguments: [day, domain])
                }
                try insert(byDomain, day: day, into: db)
            }
        }
    }
}
