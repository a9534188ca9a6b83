import BinnacleBundle
import BinnacleCore
import Crypto
import Foundation
import GRDB
import GRDBSQLite

/// What an import did.
public struct ImportSummary: Sendable {
    public var rows: [BundleFile: Int]
    public var digests: [BundleFile: String]
    public var totalRows: Int { rows.values.reduce(0, +) }
    /// People the bundle named with another role or active flag than the inventory gave them: kept as they were.
    public var keptRoles: [String]
    public var auditEntry: AuditEntry
}

/// The tables that hold the inventory (everything but the audit log), children first.
let inventoryTables = ["observations", "monitors", "value_records", "documents", "stage_changes", "lineage", "tasks",
                       "assets", "models", "people", "portfolio"]

extension Inventory {
    /// Loads a bundle in one transaction. With `replace`, the current inventory is replaced and the
    /// audit log kept. Any problem in any file rolls everything back and throws `BundleErrors`.
    public func importBundle(directory: String, replace: Bool, actor: String, at: Timestamp = .now()) throws -> ImportSummary {
        try bulkWrite { db in
            // A new inventory is its creator's; into an existing one only an administrator loads or replaces.
            try authorizeImport(db, actor, .administer)
            let models = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM models") ?? 0
            if models > 0, !replace { throw StoreError.notEmpty(path: path, models: models) }
            // People already here keep their role and active flag: a bundle's people.csv grants nobody anything.
            try db.execute(sql: "CREATE TEMP TABLE kept_people AS SELECT * FROM people")
            defer { try? db.execute(sql: "DROP TABLE IF EXISTS temp.kept_people") }
            for table in inventoryTables { try db.execute(sql: "DELETE FROM \(table)") }
            // Building secondary indexes once at the end is far faster than updating them row by row.
            let indexes = try Row.fetchAll(db, sql: """
                SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name <> 'audit_log'
                """)
            for index in indexes { try db.execute(sql: "DROP INDEX \(index["name"] as String)") }
            var hashers: [BundleFile: SHA256] = [:]
            var reader = BundleReader(directory: directory)
            reader.observeBytes = { file, bytes in hashers[file, default: SHA256()].update(bufferPointer: bytes) }
            var sink = try InsertingSink(db)
            let counts = try reader.read(into: &sink)
            for index in indexes { try db.execute(sql: index["sql"]) }
            let keptRoles = try Inventory.restoreKeptPeople(db)
            var digests: [BundleFile: String] = [:]
            for file in BundleFile.allCases where counts[file] != nil {
                // An empty file never reaches the observer; its digest is that of no bytes.
                digests[file] = (hashers[file] ?? SHA256()).finalize().hex
            }
            let files: [(String, JSON)] = BundleFile.allCases.compactMap { file in
                guard let rows = counts[file] else { return nil }
                return (file.fileName, .object([("rows", .int(rows)), ("sha256", .string(digests[file]!))]))
            }
            var detail: [(String, JSON)] = [("source", .string(directory)), ("replace", .bool(models > 0)), ("files", .object(files))]
            if !keptRoles.isEmpty { detail.append(("kept_roles", .array(keptRoles.map { .string($0) }))) }
            let entry = try AuditLog.append(db, actor: actor, action: models > 0 ? "import.replace" : "import.bundle",
                                            entity: "inventory", detail: .object(detail), at: at)
            return ImportSummary(rows: counts, digests: digests, keptRoles: keptRoles, auditEntry: entry)
        }
    }
}

extension Inventory {
    /// Puts back the people an import found (in `temp.kept_people`): those the bundle left out as they
    /// were, those it names with their role and active flag unchanged. Returns the logins whose role or
    /// flag the bundle tried to change.
    static func restoreKeptPeople(_ db: Database) throws -> [String] {
        let changed = try String.fetchAll(db, sql: """
            SELECT k.login FROM temp.kept_people k JOIN people p ON p.login = k.login
            WHERE p.role <> k.role OR p.active <> k.active ORDER BY k.login
            """)
        try db.execute(sql: """
            UPDATE people SET role = k.role, active = k.active FROM temp.kept_people k WHERE people.login = k.login;
            INSERT INTO people SELECT * FROM temp.kept_people WHERE login NOT IN (SELECT login FROM people);
            """)
        return changed
    }

    /// One IMMEDIATE transaction for a bulk load, with a larger page cache.
    func bulkWrite<T>(_ body: (Database) throws -> T) throws -> T { try writing(body, bulk: true) }
}

/// A prepared INSERT bound straight through SQLite's C API. A bulk load binds millions of values;
/// skipping the boxing of each one into GRDB's StatementArguments makes it markedly faster.
struct BulkInsert {
    let db: Database
    let statement: Statement
    private var handle: OpaquePointer { statement.sqliteStatement }
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    init(_ db: Database, _ sql: String) throws {
        self.db = db
        statement = try db.makeStatement(sql: sql)
    }

    func text(_ index: Int32, _ value: String?) {
        guard var value else { sqlite3_bind_null(handle, index); return }
        value.withUTF8 { bytes in
            if bytes.isEmpty { sqlite3_bind_text(handle, index, "", 0, nil) }
            else { sqlite3_bind_text(handle, index, bytes.baseAddress, Int32(bytes.count), BulkInsert.transient) }
        }
    }
    func real(_ index: Int32, _ value: Double) { sqlite3_bind_double(handle, index, value) }
    func integer(_ index: Int32, _ value: Int) { sqlite3_bind_int64(handle, index, Int64(value)) }

    /// Binds `values` in order (String?, Double, Int or Bool) and runs the statement once.
    func run(_ values: [Any?]) throws {
        for (i, value) in values.enumerated() {
            let index = Int32(i + 1)
            switch value {
            case let s as String: text(index, s)
            case let d as Double: real(index, d)
            case let n as Int: integer(index, n)
            case let b as Bool: integer(index, b ? 1 : 0)
            default: sqlite3_bind_null(handle, index)
            }
        }
        let code = sqlite3_step(handle)
        if code != SQLITE_DONE {
            let error = DatabaseError(resultCode: ResultCode(rawValue: sqlite3_extended_errcode(db.sqliteConnection)),
                                      message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
            sqlite3_reset(handle)
            throw error
        }
        sqlite3_reset(handle)
    }
}

/// Inserts each valid record through prepared statements; duplicate keys come back as rejections.
struct InsertingSink: BundleSink {
    let db: Database
    let person, model, asset, stage, value, document, monitor, observation, lineage, task, portfolio: BulkInsert

    init(_ db: Database) throws {
        self.db = db
        person = try BulkInsert(db, "INSERT INTO people (login, name, email, role, team, active) VALUES (?, ?, ?, ?, ?, ?)")
        model = try BulkInsert(db, """
            INSERT INTO models (id, name, domain, description, use_case, kind, risk_tier, business_owner, developer,
            validator, vendor, tags, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        asset = try BulkInsert(db, "INSERT INTO assets (id, kind, name, owner, tags) VALUES (?, ?, ?, ?, ?)")
        stage = try BulkInsert(db, "INSERT INTO stage_changes (model_id, stage, changed_at, changed_by, note) VALUES (?, ?, ?, ?, ?)")
        value = try BulkInsert(db, "INSERT INTO value_records (model_id, date, value, cost, note) VALUES (?, ?, ?, ?, ?)")
        document = try BulkInsert(db, """
            INSERT INTO documents (model_id, kind, version, submitted_at, approved_at, approved_by, expires_at, uri)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        monitor = try BulkInsert(db, "INSERT INTO monitors (model_id, metric, direction, warn, critical) VALUES (?, ?, ?, ?, ?)")
        observation = try BulkInsert(db, "INSERT INTO observations (model_id, metric, observed_at, value) VALUES (?, ?, ?, ?)")
        lineage = try BulkInsert(db, "INSERT INTO lineage (upstream, downstream) VALUES (?, ?)")
        task = try BulkInsert(db, """
            INSERT INTO tasks (id, model_id, title, assignee, assigned_by, priority, created_at, due_at, status, closed_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        portfolio = try BulkInsert(db, "INSERT OR REPLACE INTO portfolio (key, value) VALUES (?, ?)")
    }

    /// Runs an insert, turning a constraint failure into a rejection of the record.
    private func run(_ insert: BulkInsert, _ values: [Any?], duplicate: (column: String, message: String)? = nil) throws {
        do {
            try insert.run(values)
        } catch let e as DatabaseError where e.resultCode == .SQLITE_CONSTRAINT {
            if let duplicate, e.extendedResultCode == .SQLITE_CONSTRAINT_PRIMARYKEY || e.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
                throw BundleRejection(column: duplicate.column, message: duplicate.message)
            }
            // A missing referent here means its own row was refused (and reported) earlier.
            let dependent = e.extendedResultCode == .SQLITE_CONSTRAINT_FOREIGNKEY || e.extendedResultCode == .SQLITE_CONSTRAINT_TRIGGER
            throw BundleRejection(column: nil, message: "refused by the database: \(e.message ?? "constraint failed")",
                                  followsEarlierProblem: dependent)
        }
    }

    mutating func accept(_ record: BundleRecord) throws {
        switch record {
        case .manifest(let m):
            try run(portfolio, ["portfolio", m.portfolio])
            try run(portfolio, ["currency", m.currency])
            if let asOf = m.asOf { try run(portfolio, ["as_of", asOf.description]) }
        case .person(let p):
            try run(person, [p.login, p.name, p.email, p.role.rawValue, p.team, p.active])
        case .model(let m):
            try run(model, [m.id, m.name, m.domain, m.description ?? "", m.useCase ?? "", m.kind.rawValue, m.riskTier.rawValue,
                            m.businessOwner, m.developer, m.validator, m.vendor, m.tags.tagList, m.createdAt.text])
        case .asset(let a):
            try run(asset, [a.id, a.kind.rawValue, a.name, a.owner, a.tags.tagList])
        case .stage(let s):
            try run(stage, [s.modelId, s.stage.rawValue, s.changedAt.text, s.changedBy, s.note])
        case .value(let v):
            try run(value, [v.modelId, v.date.description, v.value, v.cost, v.note])
        case .document(let d):
            try run(document, [d.modelId, d.kind.rawValue, d.version, d.submittedAt?.text, d.approvedAt?.text, d.approvedBy,
                               d.expiresAt?.text, d.uri],
                    duplicate: ("version", "duplicate document: \(d.modelId) already has \(d.kind.rawValue) version \(d.version)"))
        case .monitor(let m):
            try run(monitor, [m.modelId, m.metric, m.direction.rawValue, m.warn, m.critical],
                    duplicate: ("metric", "duplicate monitor: \(m.modelId) already has a monitor for \(m.metric)"))
        case .observation(let o):
            try run(observation, [o.modelId, o.metric, o.observedAt.text, o.value],
                    duplicate: ("observed_at", "duplicate observation: \(o.modelId) \(o.metric) at \(o.observedAt.bundleText) is already given"))
        case .lineage(let e):
            try run(lineage, [e.upstream, e.downstream], duplicate: ("downstream", "duplicate edge \(e.upstream) → \(e.downstream)"))
        case .task(let t):
            try run(task, [t.id, t.modelId, t.title, t.assignee, t.assignedBy, t.priority.rawValue, t.createdAt.text,
                           t.dueAt.text, t.status.rawValue, t.closedAt?.text])
        case .audit(let a):
            try AuditLog.append(db, actor: a.actor, action: a.action, entity: a.entity, detailText: a.detail, at: a.at)
        }
    }
}
