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

/// What comes into the inventory in bulk: a bundle, an MLflow store, a public use-case inventory,
/// observations and value from pipelines, drift results. Each is one transaction with its audit entry,
/// checked against the importer's role (a new inventory is its creator's). Reached as `inventory.importer`.
public struct Importer: Sendable {
    let inventory: Inventory

    func write<T>(_ body: (Database) throws -> T) throws -> T { try inventory.write(body) }
    func bulkWrite<T>(_ body: (Database) throws -> T) throws -> T { try inventory.bulkWrite(body) }
    func read<T>(_ body: (Database) throws -> T) throws -> T { try inventory.read(body) }
    func authorizeImport(_ db: Database, _ login: String, _ action: GovernanceAction) throws {
        try inventory.authorizeImport(db, login, action)
    }
    var path: String { inventory.path }
}

extension Inventory {
    /// Bundles, MLflow stores, use-case inventories, pipelines' observations and value, drift results.
    public var importer: Importer { Importer(inventory: self) }
}

extension Importer {
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
            // An index build sorts in memory as large as the page cache, on top of it: half of it here
            // keeps the import within 64 MB at 50,000 models (the sort spills to a temporary file).
            try db.execute(sql: "PRAGMA cache_size = -8192")
            // The pages the smaller cache let go are handed back: the sort's memory would come on top of them.
            Heap.returnFreed()
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

/// A prepared INSERT bound straight through SQLite's C API. A bulk load binds millions of values: each
/// row's text is copied into one buffer kept for the statement's life and bound without a copy of its
/// own (SQLITE_STATIC), and numbers are bound as they are, so a row costs no allocation.
final class BulkInsert {
    let db: Database
    let statement: Statement
    private var handle: OpaquePointer { statement.sqliteStatement }
    /// The current row's text, laid end to end; bound once the row is complete (the buffer may move while it grows).
    private var bytes: UnsafeMutablePointer<UInt8>
    private var capacity = 4096
    private var used = 0
    private var texts: [(index: Int32, offset: Int, count: Int)] = []

    init(_ db: Database, _ sql: String) throws {
        self.db = db
        statement = try db.makeStatement(sql: sql)
        bytes = .allocate(capacity: capacity)
        texts.reserveCapacity(16)
    }

    deinit { bytes.deallocate() }

    func text(_ index: Int32, _ value: String?) {
        guard var value else { sqlite3_bind_null(handle, index); return }
        value.withUTF8 { utf8 in
            if used + utf8.count > capacity {
                capacity = max(capacity * 2, used + utf8.count)
                let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
                grown.update(from: bytes, count: used)
                bytes.deallocate()
                bytes = grown
            }
            if let base = utf8.baseAddress { (bytes + used).update(from: base, count: utf8.count) }
            texts.append((index, used, utf8.count))
            used += utf8.count
        }
    }
    func real(_ index: Int32, _ value: Double) { sqlite3_bind_double(handle, index, value) }
    func integer(_ index: Int32, _ value: Int) { sqlite3_bind_int64(handle, index, Int64(value)) }
    func bool(_ index: Int32, _ value: Bool) { sqlite3_bind_int64(handle, index, value ? 1 : 0) }

    /// Runs the statement once with the values `bind` gave (every parameter, each row).
    func run(_ bind: (BulkInsert) -> Void) throws {
        used = 0
        texts.removeAll(keepingCapacity: true)
        bind(self)
        for t in texts {
            // SQLITE_STATIC: the bytes stay put until the statement is reset below and rebound for the next row.
            sqlite3_bind_text(handle, t.index, UnsafeRawPointer(bytes + t.offset).assumingMemoryBound(to: CChar.self), Int32(t.count), nil)
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
    private func run(_ insert: BulkInsert, duplicate: @autoclosure () -> (column: String, message: String)? = nil,
                     _ bind: (BulkInsert) -> Void) throws {
        do {
            try insert.run(bind)
        } catch let e as DatabaseError where e.resultCode == .SQLITE_CONSTRAINT {
            if let duplicate = duplicate(), e.extendedResultCode == .SQLITE_CONSTRAINT_PRIMARYKEY || e.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
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
            try run(portfolio) { $0.text(1, "portfolio"); $0.text(2, m.portfolio) }
            try run(portfolio) { $0.text(1, "currency"); $0.text(2, m.currency) }
            if let asOf = m.asOf { try run(portfolio) { $0.text(1, "as_of"); $0.text(2, asOf.description) } }
        case .person(let p):
            try run(person) { s in
                s.text(1, p.login); s.text(2, p.name); s.text(3, p.email); s.text(4, p.role.rawValue); s.text(5, p.team); s.bool(6, p.active)
            }
        case .model(let m):
            try run(model) { s in
                s.text(1, m.id); s.text(2, m.name); s.text(3, m.domain); s.text(4, m.description ?? ""); s.text(5, m.useCase ?? "")
                s.text(6, m.kind.rawValue); s.integer(7, m.riskTier.rawValue); s.text(8, m.businessOwner); s.text(9, m.developer)
                s.text(10, m.validator); s.text(11, m.vendor); s.text(12, m.tags.tagList); s.text(13, m.createdAt.text)
            }
        case .asset(let a):
            try run(asset) { s in s.text(1, a.id); s.text(2, a.kind.rawValue); s.text(3, a.name); s.text(4, a.owner); s.text(5, a.tags.tagList) }
        case .stage(let c):
            try run(stage) { s in s.text(1, c.modelId); s.text(2, c.stage.rawValue); s.text(3, c.changedAt.text); s.text(4, c.changedBy); s.text(5, c.note) }
        case .value(let v):
            try run(value) { s in s.text(1, v.modelId); s.text(2, v.date.description); s.real(3, v.value); s.real(4, v.cost); s.text(5, v.note) }
        case .document(let d):
            try run(document, duplicate: ("version", "duplicate document: \(d.modelId) already has \(d.kind.rawValue) version \(d.version)")) { s in
                s.text(1, d.modelId); s.text(2, d.kind.rawValue); s.text(3, d.version); s.text(4, d.submittedAt?.text); s.text(5, d.approvedAt?.text)
                s.text(6, d.approvedBy); s.text(7, d.expiresAt?.text); s.text(8, d.uri)
            }
        case .monitor(let m):
            try run(monitor, duplicate: ("metric", "duplicate monitor: \(m.modelId) already has a monitor for \(m.metric)")) { s in
                s.text(1, m.modelId); s.text(2, m.metric); s.text(3, m.direction.rawValue); s.real(4, m.warn); s.real(5, m.critical)
            }
        case .observation(let o):
            try run(observation, duplicate: ("observed_at", "duplicate observation: \(o.modelId) \(o.metric) at \(o.observedAt.bundleText) is already given")) { s in
                s.text(1, o.modelId); s.text(2, o.metric); s.text(3, o.observedAt.text); s.real(4, o.value)
            }
        case .lineage(let e):
            try run(lineage, duplicate: ("downstream", "duplicate edge \(e.upstream) → \(e.downstream)")) { s in s.text(1, e.upstream); s.text(2, e.downstream) }
        case .task(let t):
            try run(task) { s in
                s.text(1, t.id); s.text(2, t.modelId); s.text(3, t.title); s.text(4, t.assignee); s.text(5, t.assignedBy)
                s.text(6, t.priority.rawValue); s.text(7, t.createdAt.text); s.text(8, t.dueAt.text); s.text(9, t.status.rawValue); s.text(10, t.closedAt?.text)
            }
        case .audit(let a):
            try AuditLog.append(db, actor: a.actor, action: a.action, entity: a.entity, detailText: a.detail, at: a.at)
        }
    }
}
