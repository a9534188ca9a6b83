import BinnacleCore
import Crypto
import Foundation
import GRDB

/// What an MLflow import did, and what it skipped and why.
public struct MLflowImportSummary: Sendable {
    public var mlflowVersion = ""
    public var registeredModels = 0
    public var modelsAdded = 0, modelsUpdated = 0, peopleAdded = 0, stageChangesAdded = 0
    public var observationsAdded = 0, assetsAdded = 0, edgesAdded = 0
    public var skipped: [String: Int] = [:]
    /// Registered models whose name's slug another model already has (names differing only by case or
    /// punctuation): each keeps a distinct id, the slug with a number (`m1-2`).
    public var numbered: [(name: String, id: String)] = []
    public var sha256 = ""
    /// Nil when nothing changed (a re-import of the same store writes nothing, not even an audit entry).
    public var auditEntry: AuditEntry?

    public var changed: Bool { modelsAdded + modelsUpdated + peopleAdded + stageChangesAdded + observationsAdded + assetsAdded + edgesAdded > 0 }
}

/// Reads an MLflow tracking + registry store (SQLite) without ever writing to it, and maps it onto
/// the inventory (mapping documented in the README, "Importing from MLflow").
struct MLflowStore {
    struct Version {
        var model: String, version: Int, created: Int64, updated: Int64, stage: String, source: String, runId: String?, userId: String?
    }
    struct Run { var id: String, experiment: String, status: String, lifecycle: String, user: String? }

    let path: String
    let queue: DatabaseQueue
    var major = 2
    var alembic = ""

    init(path: String) throws {
        self.path = path
        guard FileManager.default.fileExists(atPath: path) else { throw StoreError.other("\(path): no such file") }
        var config = Configuration()
        config.readonly = true
        config.busyMode = .timeout(5)
        do {
            queue = try DatabaseQueue(path: path, configuration: config)
            let tables = try queue.read { try String.fetchSet($0, sql: "SELECT name FROM sqlite_master WHERE type = 'table'") }
            for required in ["registered_models", "model_versions", "runs", "metrics", "experiments"] where !tables.contains(required) {
                throw StoreError.other("\(path): not an MLflow tracking/registry store (no \(required) table)")
            }
            major = tables.contains("logged_models") ? 3 : 2
            if tables.contains("alembic_version") {
                alembic = try queue.read { try String.fetchOne($0, sql: "SELECT version_num FROM alembic_version") } ?? ""
            }
        } catch let e as DatabaseError where [.SQLITE_NOTADB, .SQLITE_CORRUPT].contains(e.resultCode) {
            throw StoreError.other("\(path): not a readable SQLite database (corrupt or truncated): \(e.message ?? "")")
        } catch let e as DatabaseError {
            throw StoreError.other("\(path): cannot read the MLflow store: \(e.message ?? String(describing: e))")
        }
    }

    func read<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try queue.read(body) } catch let e as DatabaseError {
            throw StoreError.other("\(path): cannot read the MLflow store: \(e.message ?? String(describing: e))")
        }
    }

    /// The rows of a query on the store, each read through `StoreRow` (never trusted).
    func rows(_ db: Database, _ table: String, _ sql: String, arguments: StatementArguments = []) throws -> [StoreRow] {
        try Row.fetchAll(db, sql: sql, arguments: arguments).enumerated().map { StoreRow(row: $1, store: path, table: table, number: $0 + 1) }
    }
}

/// One row of a foreign store, read without trusting its types: a NULL or wrongly typed value where
/// the import needs one refuses the store, naming table, row and column, instead of stopping the program.
struct StoreRow {
    let row: Row, store: String, table: String, number: Int

    private func refuse(_ column: String, _ what: String) -> StoreError {
        StoreError.other("\(store): table \(table), row \(number): column \(column): \(what); nothing was imported")
    }

    private func value<T: DatabaseValueConvertible>(_ column: String, _ type: String) throws -> T? {
        let raw = row[column] as DatabaseValue
        if raw.isNull { return nil }
        guard let v = T.fromDatabaseValue(raw) else { throw refuse(column, "\(raw) is not \(type)") }
        if let s = v as? String, s.utf8.contains(0) { throw refuse(column, "contains a NUL character") }
        return v
    }

    private func required<T>(_ column: String, _ v: T?, _ type: String) throws -> T {
        guard let v else { throw refuse(column, "is NULL, \(type) needed") }
        return v
    }

    func text(_ column: String) throws -> String { try required(column, try optionalText(column), "text") }
    func optionalText(_ column: String) throws -> String? { try value(column, "text") }
    func integer(_ column: String) throws -> Int64 { try required(column, try optionalInteger(column), "an integer") }
    func optionalInteger(_ column: String) throws -> Int64? { try value(column, "an integer") }
    func number(_ column: String) throws -> Double { try required(column, try value(column, "a number") as Double?, "a number") }
    func flag(_ column: String) throws -> Bool { try required(column, try value(column, "0 or 1") as Bool?, "0 or 1") }

    /// An id MLflow stores as text or as an integer (experiment ids), as text; nil when NULL.
    func key(_ column: String) throws -> String? {
        if case .int64(let i) = (row[column] as DatabaseValue).storage { return String(i) }
        return try optionalText(column)
    }

    /// Milliseconds since the epoch, as an instant the inventory can hold (years 0001–9999).
    func time(_ column: String) throws -> Int64? {
        guard let ms = try optionalInteger(column) else { return nil }
        guard Timestamp(checkedUnixMilliseconds: ms) != nil else { throw refuse(column, "\(ms) ms is outside the years 0001–9999") }
        return ms
    }
}

extension Importer {
    /// `currency`: what value and cost are counted in, for a new inventory; MLflow records neither, so
    /// none is assumed (empty) unless given.
    public func importMLflow(path: String, domain: String?, owner: String?, currency: String = "", actor: String) throws -> MLflowImportSummary {
        let store = try MLflowStore(path: path)
        var summary = MLflowImportSummary()
        summary.mlflowVersion = "\(store.major).x (alembic \(store.alembic.isEmpty ? "unknown" : store.alembic))"
        summary.sha256 = try Data(contentsOf: URL(fileURLWithPath: path)).sha256Hex

        // Everything is read from the store first, in one read transaction.
        let source = try store.read { db in try MLflowSnapshot(db, store: store) }
        summary.registeredModels = source.models.count

        return try write { db in
            try authorizeImport(db, actor, .sync)
            if let owner, try Row.fetchOne(db, sql: "SELECT 1 FROM people WHERE login = ?", arguments: [owner]) == nil {
                throw StoreError.other("--owner \(owner): no such person in the inventory")
            }
            var people = try String.fetchSet(db, sql: "SELECT login FROM people")
            // People MLflow names are added inactive: an import grants no one a role (an administrator
            // activates them), and people already here are never changed.
            func person(_ identity: String, team: String) throws -> String {
                let login = MLflowSnapshot.login(identity)
                if people.insert(login).inserted {
                    let email = identity.contains("@") ? identity : "\(login)@unknown.invalid"
                    let name = login.split(whereSeparator: { $0 == "." || $0 == "_" }).map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: " ")
                    try db.execute(sql: "INSERT INTO people (login, name, email, role, team, active) VALUES (?, ?, ?, 'engineer', ?, 0)",
                                   arguments: [login, name, email, team])
                    summary.peopleAdded += 1
                }
                return login
            }
            if try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM portfolio") == 0 {
                try db.execute(sql: "INSERT INTO portfolio (key, value) VALUES ('portfolio', 'MLflow registry'), ('currency', ?)",
                               arguments: [currency])
            }

            let ids = try MLflowSnapshot.modelIds(db, names: source.models.map(\.name))
            for m in source.models {
                let id = ids[m.name] ?? MLflowSnapshot.slug(m.name)
                if id != MLflowSnapshot.slug(m.name) { summary.numbered.append((m.name, id)) }
                let serving = source.servingVersion(of: m.name)
                let servingRun = serving.flatMap { source.run(of: $0) }
                let latestRun = source.versions[m.name]?.last.flatMap { source.run(of: $0) }
                let modelDomain = domain ?? m.tags["domain"] ?? m.tags["business_unit"]
                    ?? latestRun.flatMap { source.experiments[$0.experiment] } ?? "MLflow"
                let fallbackUser = serving?.userId.flatMap { $0.isEmpty ? nil : $0 } ?? servingRun?.user ?? latestRun?.user ?? "mlflow"
                let ownerLogin = try owner ?? person(m.tags["owner"] ?? fallbackUser, team: modelDomain)
                let developer = try person(m.tags["developer"] ?? fallbackUser, team: modelDomain)
                let tier = ["high": 1, "medium": 2, "low": 3, "1": 1, "2": 2, "3": 3][m.tags["risk_tier"]?.lowercased() ?? ""] ?? 2
                let mapped: Set<String> = ["owner", "developer", "domain", "business_unit", "risk_tier"]
                let tags = m.tags.filter { !mapped.contains($0.key) }.sorted { $0.key < $1.key }
                    .map { "\($0.key):\($0.value)".replacingOccurrences(of: ";", with: ",") }.joined(separator: ";")
                let created = Timestamp(checkedUnixMilliseconds: m.created)?.text ?? Timestamp(unixMilliseconds: 0).text

                if let existing = try Row.fetchOne(db, sql: "SELECT description, tags FROM models WHERE id = ?", arguments: [id]) {
                    // Sync: the registry's description and tags follow MLflow; people, domain, tier and
                    // anything set in Binnacle stay as they are.
                    if existing["description"] as String != m.description || existing["tags"] as String != tags {
                        try db.execute(sql: "UPDATE models SET description = ?, tags = ? WHERE id = ?", arguments: [m.description, tags, id])
                        summary.modelsUpdated += 1
                    }
                } else {
                    try db.execute(sql: """
                        INSERT INTO models (id, name, domain, description, use_case, kind, risk_tier, business_owner, developer,
                                            validator, vendor, tags, created_at)
                        VALUES (?, ?, ?, ?, '', 'other', ?, ?, ?, NULL, NULL, ?, ?)
                        """, arguments: [id, m.name, modelDomain, m.description, tier, ownerLogin, developer, tags, created])
                    summary.modelsAdded += 1
                    if m.tags["risk_tier"] == nil { summary.skipped["no risk_tier tag: tier 2 assumed", default: 0] += 1 }
                }

                for change in source.stageHistory(of: m.name) {
                    let at = (Timestamp(checkedUnixMilliseconds: change.at) ?? Timestamp(unixMilliseconds: 0)).text
                    if try Row.fetchOne(db, sql: "SELECT 1 FROM stage_changes WHERE model_id = ? AND stage = ? AND changed_at = ?",
                                        arguments: [id, change.stage.rawValue, at]) == nil {
                        try db.execute(sql: "INSERT INTO stage_changes (model_id, stage, changed_at, changed_by, note) VALUES (?, ?, ?, NULL, ?)",
                                       arguments: [id, change.stage.rawValue, at, "mlflow: " + change.note])
                        summary.stageChangesAdded += 1
                    }
                }

                guard serving != nil else { summary.skipped["no serving version (no champion alias, none in Production)", default: 0] += 1; continue }
                guard let run = servingRun else { summary.skipped["serving version has no run", default: 0] += 1; continue }
                if run.lifecycle == "deleted" { summary.skipped["serving run deleted: its metrics and datasets skipped", default: 0] += 1; continue }
                if run.status == "FAILED" { summary.skipped["serving run failed: its metrics and datasets skipped", default: 0] += 1; continue }

                // The serving run's whole metric history; two points at one instant keep the later step.
                let points = try store.read { mdb in
                    try store.rows(mdb, "metrics", """
                        SELECT key, value, timestamp, step, is_nan FROM metrics WHERE run_uuid = ? ORDER BY key, timestamp, step
                        """, arguments: [run.id])
                }
                struct Point: Hashable, Comparable {
                    var metric: String, at: String
                    static func < (a: Point, b: Point) -> Bool { (a.metric, a.at) < (b.metric, b.at) }
                }
                var latest: [Point: Double] = [:]
                for p in points {
                    let metric = try p.text("key"), at = try p.time("timestamp") ?? 0, value = try p.number("value")
                    if try p.flag("is_nan") || !value.isFinite { summary.skipped["NaN metric values", default: 0] += 1; continue }
                    let point = Point(metric: metric, at: (Timestamp(checkedUnixMilliseconds: at) ?? Timestamp(unixMilliseconds: 0)).text)
                    if latest[point] != nil { summary.skipped["metric points at an instant already seen (later step kept)", default: 0] += 1 }
                    latest[point] = value
                }
                for (point, value) in latest.sorted(by: { $0.key < $1.key }) {
                    try db.execute(sql: "INSERT OR IGNORE INTO observations (model_id, metric, observed_at, value) VALUES (?, ?, ?, ?)",
                                   arguments: [id, point.metric, point.at, value])
                    summary.observationsAdded += db.changesCount
                }

                for dataset in source.datasets[run.id] ?? [] {
                    let assetId = "ds-" + MLflowSnapshot.slug(dataset.name)
                    if try Row.fetchOne(db, sql: "SELECT 1 FROM models WHERE id = ?", arguments: [assetId]) != nil { continue }
                    try db.execute(sql: "INSERT OR IGNORE INTO assets (id, kind, name, owner, tags) VALUES (?, 'dataset', ?, NULL, '')",
                                   arguments: [assetId, dataset.name + (dataset.uri.map { " (\($0))" } ?? "")])
                    summary.assetsAdded += db.changesCount
                    try db.execute(sql: "INSERT OR IGNORE INTO lineage (upstream, downstream) VALUES (?, ?)", arguments: [assetId, id])
                    summary.edgesAdded += db.changesCount
                }
            }
            for (reason, count) in source.skipped { summary.skipped[reason, default: 0] += count }

            if summary.changed {
                summary.auditEntry = try AuditLog.append(db, actor: actor, action: "import.mlflow", entity: "inventory", detail: .object([
                    ("source", .string(path)), ("sha256", .string(summary.sha256)), ("mlflow", .string(summary.mlflowVersion)),
                    ("registered_models", .int(summary.registeredModels)), ("models_added", .int(summary.modelsAdded)),
                    ("models_updated", .int(summary.modelsUpdated)), ("people_added", .int(summary.peopleAdded)),
                    ("stage_changes_added", .int(summary.stageChangesAdded)), ("observations_added", .int(summary.observationsAdded)),
                    ("assets_added", .int(summary.assetsAdded)), ("edges_added", .int(summary.edgesAdded)),
                    ("skipped", .object(summary.skipped.sorted { $0.key < $1.key }.map { ($0.key, .int($0.value)) })),
                ]))
            }
            return summary
        }
    }
}

/// The parts of an MLflow store the import needs, read in one go.
struct MLflowSnapshot {
    struct RegisteredModel { var name: String, description: String, created: Int64, tags: [String: String] }
    struct Dataset { var name: String, uri: String? }

    var models: [RegisteredModel] = []
    var versions: [String: [MLflowStore.Version]] = [:]
    var aliases: [String: [String: Int]] = [:]
    var runs: [String: MLflowStore.Run] = [:]
    var experiments: [String: String] = [:]
    var loggedModelRuns: [String: String] = [:]
    var datasets: [String: [Dataset]] = [:]
    var skipped: [String: Int] = [:]

    init(_ db: Database, store: MLflowStore) throws {
        var tags: [String: [String: String]] = [:]
        for r in try store.rows(db, "registered_model_tags", "SELECT name, key, value FROM registered_model_tags") {
            tags[try r.text("name"), default: [:]][try r.text("key")] = try r.optionalText("value") ?? ""
        }
        models = try store.rows(db, "registered_models", "SELECT name, description, creation_time FROM registered_models ORDER BY name").map {
            let name = try $0.text("name")
            return RegisteredModel(name: name, description: try $0.optionalText("description") ?? "",
                                   created: try $0.time("creation_time") ?? 0, tags: tags[name] ?? [:])
        }
        for r in try store.rows(db, "model_versions", """
            SELECT name, version, creation_time, last_updated_time, current_stage, source, run_id, user_id FROM model_versions
            ORDER BY name, version
            """) {
            let created = try r.time("creation_time") ?? 0
            let v = MLflowStore.Version(model: try r.text("name"), version: Int(try r.integer("version")), created: created,
                                        updated: try r.time("last_updated_time") ?? created,
                                        stage: try r.optionalText("current_stage") ?? "None", source: try r.optionalText("source") ?? "",
                                        runId: try r.optionalText("run_id"), userId: try r.optionalText("user_id"))
            versions[v.model, default: []].append(v)
        }
        if try db.tableExists("registered_model_aliases") {
            for r in try store.rows(db, "registered_model_aliases", "SELECT name, alias, version FROM registered_model_aliases") {
                aliases[try r.text("name"), default: [:]][try r.text("alias")] = Int(try r.integer("version"))
            }
        }
        for r in try store.rows(db, "runs", "SELECT run_uuid, experiment_id, status, lifecycle_stage, user_id FROM runs") {
            let id = try r.text("run_uuid")
            runs[id] = MLflowStore.Run(id: id, experiment: try r.key("experiment_id") ?? "",
                                       status: try r.optionalText("status") ?? "", lifecycle: try r.optionalText("lifecycle_stage") ?? "active",
                                       user: try r.optionalText("user_id"))
        }
        for r in try store.rows(db, "experiments", "SELECT experiment_id, name FROM experiments") {
            if let id = try r.key("experiment_id") { experiments[id] = try r.text("name") }
        }
        if store.major >= 3 {
            for r in try store.rows(db, "logged_models", "SELECT model_id, source_run_id FROM logged_models WHERE source_run_id IS NOT NULL") {
                loggedModelRuns[try r.text("model_id")] = try r.text("source_run_id")
            }
        }
        if try db.tableExists("inputs"), try db.tableExists("datasets") {
            for r in try store.rows(db, "datasets", """
                SELECT i.destination_id AS run, d.name, d.dataset_source FROM inputs i
                JOIN datasets d ON d.dataset_uuid = i.source_id
                WHERE i.source_type = 'DATASET' AND i.destination_type = 'RUN' ORDER BY d.name
                """) {
                let source = try r.optionalText("dataset_source") ?? ""
                let uri = (try? JSONSerialization.jsonObject(with: Data(source.utf8)) as? [String: Any])?["uri"] as? String
                datasets[try r.text("run"), default: []].append(Dataset(name: try r.text("name"), uri: uri))
            }
        }
    }

    /// Each registered model's id: its name as a slug; names with the same slug (`M1`, `m1`) keep
    /// distinct ids. A name imported before keeps its id; the others, in name order, take the slug
    /// or else the first free `slug-2`, `slug-3`… — so ids are stable across re-imports.
    static func modelIds(_ db: Database, names: [String]) throws -> [String: String] {
        var ids: [String: String] = [:]
        for group in Dictionary(grouping: names, by: slug).values where group.count > 1 {
            let base = slug(group[0])
            let held = try Row.fetchAll(db, sql: "SELECT id, name FROM models WHERE id = ? OR id GLOB ?",
                                        arguments: [base, base + "-[0-9]*"])
            var taken: Set<String> = []
            for r in held where group.contains(r["name"]) {
                ids[r["name"]] = r["id"]
                taken.insert(r["id"])
            }
            // Ids held by models of other names are taken, except the plain slug: that one is synced as before.
            let others = Set(held.map { $0["id"] as String }).subtracting(taken)
            var n = 1
            for name in group.sorted() where ids[name] == nil {
                var id = base
                while taken.contains(id) || (id != base && others.contains(id)) { n += 1; id = "\(base)-\(n)" }
                ids[name] = id
                taken.insert(id)
            }
        }
        return ids
    }

    /// The version's run: its run_id, else (MLflow 3) the logged model its source names.
    func run(of v: MLflowStore.Version) -> MLflowStore.Run? {
        if let id = v.runId, !id.isEmpty, let run = runs[id] { return run }
        if v.source.hasPrefix("models:/"), let id = loggedModelRuns[String(v.source.dropFirst(8))] { return runs[id] }
        return nil
    }

    /// The version that serves: the `champion` alias, else the newest version in Production.
    func servingVersion(of model: String) -> MLflowStore.Version? {
        let all = versions[model] ?? []
        if let n = aliases[model]?["champion"], let v = all.first(where: { $0.version == n }) { return v }
        return all.last { $0.stage == "Production" }
    }

    /// The model's stage over time, merged from its versions: each version is in development from its
    /// creation and in its current stage from its last update (the store keeps no older transitions);
    /// the champion counts as production. The model is in the most advanced stage any version is in,
    /// and retired once every version is archived.
    func stageHistory(of model: String) -> [(stage: Stage, at: Int64, note: String)] {
        let all = versions[model] ?? []
        let champion = aliases[model]?["champion"]
        var events: [(at: Int64, version: Int, state: String)] = []
        for v in all {
            events.append((v.created, v.version, "None"))
            var state = v.stage
            if v.version == champion, state == "None" || state == "Staging" { state = "Production" }
            if state != "None" { events.append((max(v.updated, v.created), v.version, state)) }
        }
        events.sort { ($0.at, $0.version) < ($1.at, $1.version) }
        var current: [Int: String] = [:]
        var out: [(stage: Stage, at: Int64, note: String)] = []
        for e in events {
            current[e.version] = e.state
            let states = Set(current.values)
            let stage: Stage = states.contains("Production") ? .production : states.contains("Staging") ? .validation
                : states.allSatisfy({ $0 == "Archived" }) ? .retired : .development
            if out.last?.stage != stage {
                out.append((stage, e.at, "version \(e.version) \(e.state == "None" ? "registered" : e.state)"))
            }
        }
        return out
    }

    /// MLflow names keep their underscores and dots (valid in Binnacle ids).
    static func slug(_ name: String) -> String {
        let s = Slug.make(name, keeping: ["-", "_", "."])
        return s.isEmpty ? "model" : s
    }

    /// A person's login from an MLflow user: the local part of an e-mail address, as a slug.
    static func login(_ identity: String) -> String {
        slug(String(identity.split(separator: "@").first ?? Substring(identity)))
    }
}

extension Data {
    var sha256Hex: String { SHA256.hash(data: self).hex }
}

extension Sequence where Element == UInt8 {
    /// Lower-case hexadecimal, as digests are written everywhere in Binnacle.
    var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for b in self { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 15)]) }
        return String(decoding: out, as: UTF8.self)
    }
}
