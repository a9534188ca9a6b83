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
            let counts = try reader.read(batchingInto: &sink)
            try Importer.shrinkForIndexBuilds(db)
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

extension Importer {
    /// An index build sorts in memory as large as the page cache, on top of it. The rows loaded so far
    /// are written out first (inside the transaction: the commit still decides), so that the cache can
    /// shrink at once to a quarter: the import stays well within 64 MB at 50,000 models (the sort
    /// spills to a temporary file).
    static func shrinkForIndexBuilds(_ db: Database) throws {
        let smallerCache = 4 << 20   // bytes
        // A small import whose pages fit in the smaller cache writes nothing before its commit: the file
        // is locked for no longer, and a kill during the index builds leaves no journal to roll back.
        var used: Int32 = 0, highest: Int32 = 0
        sqlite3_db_status(db.sqliteConnection, SQLITE_DBSTATUS_CACHE_USED, &used, &highest, 0)
        if used > smallerCache {
            let code = sqlite3_db_cacheflush(db.sqliteConnection)
            // Busy (a reader still held the file after the busy timeout): the pages are then written at the
            // commit, which waits for the reader again.
            if code != SQLITE_OK, code != SQLITE_BUSY {
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
            }
        }
        try db.execute(sql: "PRAGMA cache_size = -\(smallerCache >> 10)")   // in KiB
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
/// row's text is bound without a copy of its own (SQLITE_STATIC) — where it lies in an import's batch,
/// or copied into one buffer kept for the statement's life — and numbers are bound as they are, so a
/// row costs no allocation.
final class BulkInsert {
    let db: Database
    let statement: Statement
    private var handle: OpaquePointer { statement.sqliteStatement }
    let parameters: Int
    /// The current row's text, laid end to end; bound once the row is complete (the buffer may move while it grows).
    private var bytes: UnsafeMutablePointer<UInt8>
    private var capacity = 4096
    private var used = 0
    private var texts: [(index: Int32, offset: Int, count: Int)] = []

    init(_ db: Database, _ sql: String) throws {
        self.db = db
        statement = try db.makeStatement(sql: sql)
        parameters = Int(sqlite3_bind_parameter_count(statement.sqliteStatement))
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
        try step()
    }

    /// Runs the statement once with the next values of `cursor`, one per parameter.
    func run(_ cursor: inout RecordBatch.Cursor) throws {
        for index in 1...Int32(parameters) {
            switch cursor.value() {
            case .null: sqlite3_bind_null(handle, index)
            // SQLITE_STATIC: the batch is neither written nor cleared until its rows are stored.
            case .text(let b): sqlite3_bind_text(handle, index, b.baseAddress!.assumingMemoryBound(to: CChar.self), Int32(b.count), nil)
            case .real(let d): sqlite3_bind_double(handle, index, d)
            case .integer(let i): sqlite3_bind_int64(handle, index, i)
            }
        }
        try step()
    }

    private func step() throws {
        let code = sqlite3_step(handle)
        if code != SQLITE_DONE {
            let error = DatabaseError(resultCode: ResultCode(rawValue: sqlite3_extended_errcode(db.sqliteConnection)),
                                      message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
            sqlite3_reset(handle)
            throw error
        }
        sqlite3_reset(handle)
    }

    /// Forgets the values bound, once a batch is stored (they point into it).
    func unbind() { sqlite3_clear_bindings(handle) }
}

/// Inserts each valid record through prepared statements; duplicate keys come back as refusals. Records
/// are encoded on the reading thread as the values of their INSERT, in parameter order.
struct InsertingSink: BundleBatchSink {
    /// Each record's tag: the table it goes to.
    enum Target: UInt8, CaseIterable {
        case person, model, asset, stage, value, document, monitor, observation, lineage, task, audit, manifest
    }

    let db: Database
    /// The INSERT for each target but the audit log and the manifest, by tag.
    private let inserts: [BulkInsert?]

    init(_ db: Database) throws {
        self.db = db
        func insert(_ target: Target) throws -> BulkInsert? {
            switch target {
            case .person: return try BulkInsert(db, "INSERT INTO people (login, name, email, role, team, active) VALUES (?, ?, ?, ?, ?, ?)")
            case .model:
                return try BulkInsert(db, """
                    INSERT INTO models (id, name, domain, description, use_case, kind, risk_tier, business_owner, developer,
                    validator, vendor, tags, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            case .asset: return try BulkInsert(db, "INSERT INTO assets (id, kind, name, owner, tags) VALUES (?, ?, ?, ?, ?)")
            case .stage: return try BulkInsert(db, "INSERT INTO stage_changes (model_id, stage, changed_at, changed_by, note) VALUES (?, ?, ?, ?, ?)")
            case .value: return try BulkInsert(db, "INSERT INTO value_records (model_id, date, value, cost, note) VALUES (?, ?, ?, ?, ?)")
            case .document:
                return try BulkInsert(db, """
                    INSERT INTO documents (model_id, kind, version, submitted_at, approved_at, approved_by, expires_at, uri)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            case .monitor: return try BulkInsert(db, "INSERT INTO monitors (model_id, metric, direction, warn, critical) VALUES (?, ?, ?, ?, ?)")
            case .observation: return try BulkInsert(db, "INSERT INTO observations (model_id, metric, observed_at, value) VALUES (?, ?, ?, ?)")
            case .lineage: return try BulkInsert(db, "INSERT INTO lineage (upstream, downstream) VALUES (?, ?)")
            case .task:
                return try BulkInsert(db, """
                    INSERT INTO tasks (id, model_id, title, assignee, assigned_by, priority, created_at, due_at, status, closed_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            case .audit, .manifest: return nil
            }
        }
        inserts = try Target.allCases.map(insert)
    }

    static func encode(_ record: BundleRecord, into b: RecordBatch) {
        func tag(_ t: Target) { b.tag(t.rawValue) }
        switch record {
        case .manifest(let m):
            tag(.manifest); b.text(m.portfolio); b.text(m.currency); b.text(m.asOf?.description)
        case .person(let p):
            tag(.person); b.text(p.login); b.text(p.name); b.text(p.email); b.text(p.role.rawValue); b.text(p.team); b.integer(p.active ? 1 : 0)
        case .model(let m):
            tag(.model); b.text(m.id); b.text(m.name); b.text(m.domain); b.text(m.description ?? ""); b.text(m.useCase ?? "")
            b.text(m.kind.rawValue); b.integer(Int64(m.riskTier.rawValue)); b.text(m.businessOwner); b.text(m.developer)
            b.text(m.validator); b.text(m.vendor); b.text(m.tags.tagList); b.text(m.createdAt.text)
        case .asset(let a):
            tag(.asset); b.text(a.id); b.text(a.kind.rawValue); b.text(a.name); b.text(a.owner); b.text(a.tags.tagList)
        case .stage(let c):
            tag(.stage); b.text(c.modelId); b.text(c.stage.rawValue); b.text(c.changedAt.text); b.text(c.changedBy); b.text(c.note)
        case .value(let v):
            tag(.value); b.text(v.modelId); b.text(v.date.description); b.real(v.value); b.real(v.cost); b.text(v.note)
        case .document(let d):
            tag(.document); b.text(d.modelId); b.text(d.kind.rawValue); b.text(d.version); b.text(d.submittedAt?.text)
            b.text(d.approvedAt?.text); b.text(d.approvedBy); b.text(d.expiresAt?.text); b.text(d.uri)
        case .monitor(let m):
            tag(.monitor); b.text(m.modelId); b.text(m.metric); b.text(m.direction.rawValue); b.real(m.warn); b.real(m.critical)
        case .observation(let o):
            tag(.observation); b.text(o.modelId); b.text(o.metric); b.text(o.observedAt.text); b.real(o.value)
        case .lineage(let e):
            tag(.lineage); b.text(e.upstream); b.text(e.downstream)
        case .task(let t):
            tag(.task); b.text(t.id); b.text(t.modelId); b.text(t.title); b.text(t.assignee); b.text(t.assignedBy)
            b.text(t.priority.rawValue); b.text(t.createdAt.text); b.text(t.dueAt.text); b.text(t.status.rawValue); b.text(t.closedAt?.text)
        case .audit(let a):
            tag(.audit); b.text(a.at.text); b.text(a.actor); b.text(a.action); b.text(a.entity); b.text(a.detail)
        }
    }

    func store(_ batch: RecordBatch, refuse: (Int, BundleRejection) -> Void) throws {
        // The statements point into the batch, which is reused (or freed) once this returns, thrown or not.
        defer { for insert in inserts { insert?.unbind() } }
        var cursor = batch.cursor()
        for index in 0..<batch.count {
            assert(cursor.offset == batch.starts[index], "record \(index) was not read whole: its encoding and its INSERT disagree")
            let target = Target(rawValue: cursor.tag())!
            let start = cursor.offset
            switch target {
            case .audit:
                let v = (0..<5).map { _ in cursor.value().string ?? "" }
                try AuditLog.append(db, actor: v[1], action: v[2], entity: v[3], detailText: v[4], at: Timestamp(storedText: v[0]))
            case .manifest:
                let v = (0..<3).map { _ in cursor.value().string }
                for case let (key, value?) in zip(["portfolio", "currency", "as_of"], v) {
                    try db.execute(sql: "INSERT OR REPLACE INTO portfolio (key, value) VALUES (?, ?)", arguments: [key, value])
                }
            default:
                let insert = inserts[Int(target.rawValue)]!
                do {
                    try insert.run(&cursor)
                } catch let e as DatabaseError where e.resultCode == .SQLITE_CONSTRAINT {
                    refuse(index, InsertingSink.refusal(e, target, cursor.values(at: start, insert.parameters).map { $0.string ?? "" }))
                }
            }
        }
    }

    /// Why a constraint refused a row (`values`: its parameters as text): a duplicate key where one is
    /// possible, otherwise the database's own words.
    static func refusal(_ e: DatabaseError, _ target: Target, _ values: [String]) -> BundleRejection {
        if e.extendedResultCode == .SQLITE_CONSTRAINT_PRIMARYKEY || e.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE,
           let duplicate = duplicate(target, values) {
            return BundleRejection(column: duplicate.column, message: duplicate.message)
        }
        // A missing referent here means its own row was refused (and reported) earlier.
        let dependent = e.extendedResultCode == .SQLITE_CONSTRAINT_FOREIGNKEY || e.extendedResultCode == .SQLITE_CONSTRAINT_TRIGGER
        return BundleRejection(column: nil, message: "refused by the database: \(e.message ?? "constraint failed")",
                               followsEarlierProblem: dependent)
    }

    /// The duplicate keys only the database sees (the reader checks ids itself).
    private static func duplicate(_ target: Target, _ v: [String]) -> (column: String, message: String)? {
        switch target {
        case .document: return ("version", "duplicate document: \(v[0]) already has \(v[1]) version \(v[2])")
        case .monitor: return ("metric", "duplicate monitor: \(v[0]) already has a monitor for \(v[1])")
        case .observation:
            return ("observed_at", "duplicate observation: \(v[0]) \(v[1]) at \(Timestamp(storedText: v[2]).bundleText) is already given")
        case .lineage: return ("downstream", "duplicate edge \(v[0]) → \(v[1])")
        default: return nil
        }
    }
}
