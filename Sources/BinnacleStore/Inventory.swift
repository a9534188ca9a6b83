import BinnacleCore
import CProcessSetup
import Foundation
import GRDB

/// An open inventory database.
///
/// Reading never writes: every read goes through a read-only connection, which needs nothing but
/// read permission on the file (the inventory uses a rollback journal, so a reader creates no
/// `-wal`/`-shm` files and sees every committed write). A write opens a second, read-write
/// connection at the first write, and only then: the file must be a current-schema inventory that
/// this user may write.
public final class Inventory: @unchecked Sendable {
    public let path: String
    /// Why this process may not write (`--readonly`, or file permissions), said to the person; nil when it may.
    public let readOnlyReason: String?
    public var readOnly: Bool { readOnlyReason != nil }
    /// This open created the inventory (init, or an import into a new file): nobody holds a role in it yet.
    public let isNew: Bool
    /// The connection every read goes through: read-only unless this open created the file.
    public let queue: DatabaseQueue
    let writeTimeout: TimeInterval
    private let lock = NSLock()
    private var writer: DatabaseQueue?

    public enum OpenMode: Sendable {
        /// Read commands, and actions (which write through a second connection when allowed).
        case read
        /// Commands that cannot do anything without writing: fail at once when the file cannot be written.
        case write
        /// `init`, `import`, `demo`: create the file when missing (or empty).
        case create
        /// `migrate`: like read, but an older schema is expected rather than refused.
        case migrate
    }

    /// The migrations this binary knows: exactly the files of schema/, embedded at build time.
    public static var schemaMigrations: [(name: String, sql: String)] { EmbeddedSchema.migrations }

    /// Binnacle's SQLite application_id ('BINN'), set by schema/0001.
    public static let applicationID: Int32 = 1_112_100_430

    static let readOnlyFlag = "opened with --readonly"

    /// `writeTimeout`: how long a write waits for readers to finish (a reader waits 5 s for a writer).
    public init(path: String, mode: OpenMode, readOnly: Bool = false, writeTimeout: TimeInterval = 30) throws {
        self.path = path
        self.writeTimeout = writeTimeout
        let kind = try Inventory.fileKind(path)
        if kind == .missing, mode != .create { throw StoreError.missingFile(path) }
        let reason = readOnly ? Inventory.readOnlyFlag : Inventory.whyNotWritable(path, exists: kind != .missing)
        readOnlyReason = reason
        // An existing inventory is opened for reading even to write to it: the role check comes first.
        if mode == .write || (mode == .create && kind != .file), let reason { throw StoreError.notWritable(path: path, reason: reason) }
        do {
            if kind == .missing || (mode == .create && kind == .empty) {
                // A new inventory: created whole, in one transaction, with the rollback journal readers need.
                queue = try DatabaseQueue(path: path, configuration: Inventory.configuration(readOnly: false, timeout: writeTimeout))
                if kind == .empty { try Inventory.requireEmpty(queue, path: path) }
                try queue.writeWithoutTransaction { db in
                    _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = DELETE")
                    try Inventory.applyMigrations(db, Inventory.schemaMigrations, audit: nil)
                }
                writer = queue
                isNew = true
            } else {
                queue = try DatabaseQueue(path: path, configuration: Inventory.configuration(readOnly: true, timeout: 5))
                try queue.read { db in try Inventory.checkReadable(db, path: path, allowOlder: mode == .migrate) }
                isNew = false
            }
        } catch let e as DatabaseError where kind == .file && Inventory.isInWALMode(path) {
            // Earlier versions left files in WAL mode, which needs write access beside the file even to read.
            throw reason == nil ? StoreError.from(e, path: path) : StoreError.walNeedsWriteAccess(path)
        } catch {
            throw StoreError.from(error, path: path)
        }
    }

    /// The first bytes of SQLite's database header, read as a file (not opened as a database); nil when unreadable.
    static func header(_ path: String) -> [UInt8]? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let bytes = try? handle.read(upToCount: 28), bytes.count == 28 else { return nil }
        return Array(bytes)
    }

    /// Whether the header says WAL mode (bytes 18 and 19 are 2).
    static func isInWALMode(_ path: String) -> Bool {
        guard let h = header(path) else { return false }
        return h[18] == 2 && h[19] == 2
    }

    /// The file change counter (bytes 24–27, big-endian): SQLite moves it on every committed write in
    /// rollback-journal mode, whoever writes.
    static func changeCounter(_ path: String) throws -> UInt32 {
        guard let h = header(path) else { throw StoreError.missingFile(path) }
        return h[24..<28].reduce(0) { $0 << 8 | UInt32($1) }
    }

    static func configuration(readOnly: Bool, timeout: TimeInterval) -> Configuration {
        _ = withoutMemoryStatistics
        var config = Configuration()
        config.readonly = readOnly
        config.busyMode = .timeout(timeout)
        config.foreignKeysEnabled = true
        return config
    }

    /// SQLite's memory statistics off, once, before the first connection (see CProcessSetup): they serialise the
    /// allocations of connections reading on two threads at once (the KPI sweep's lanes). Nothing here reads them.
    private static let withoutMemoryStatistics: Int32 = binnacle_sqlite_without_memory_statistics()

    enum FileKind { case missing, empty, file }

    /// Only regular files are databases: a FIFO would hang the open and a directory gives SQLite's bare error.
    static func fileKind(_ path: String) throws -> FileKind {
        var info = stat()
        guard stat(path, &info) == 0 else {
            if errno == ENOENT { return .missing }
            throw StoreError.other("\(path): cannot be read (\(String(cString: strerror(errno))))")
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return info.st_size == 0 ? .empty : .file
        case S_IFDIR: throw StoreError.notAFile(path: path, what: "a directory")
        case S_IFIFO: throw StoreError.notAFile(path: path, what: "a named pipe (FIFO)")
        case S_IFSOCK: throw StoreError.notAFile(path: path, what: "a socket")
        default: throw StoreError.notAFile(path: path, what: "a device")
        }
    }

    /// Nil when this user can write the file and create its rollback journal beside it.
    static func whyNotWritable(_ path: String, exists: Bool) -> String? {
        let folder = (path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent
        if exists, access(path, W_OK) != 0 { return "you cannot write \(path) (file permissions)" }
        if access(folder, W_OK | X_OK) != 0 {
            return "you cannot create files in \(folder), where a write keeps its rollback journal (folder permissions)"
        }
        return nil
    }

    /// What a reader checks: a Binnacle inventory, of this binary's schema or one it can read as it is.
    static func checkReadable(_ db: Database, path: String, allowOlder: Bool = false) throws {
        let appID = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
        if appID != applicationID {
            let objects = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sqlite_master") ?? 0
            throw objects == 0 && appID == 0 ? StoreError.emptyFile(path) : StoreError.notBinnacle(path)
        }
        let missing = try missingMigrations(db, path: path)
        // A missing migration that older readers can skip (indexes, a wider CHECK) leaves the file readable as it is.
        if !allowOlder, !missing.allSatisfy({ readCompatible($0.sql) }) { throw StoreError.olderSchema(path) }
    }

    /// The file exists but holds nothing yet (zero bytes, or SQLite with no schema): it may become an inventory.
    static func requireEmpty(_ queue: DatabaseQueue, path: String) throws {
        try queue.read { db in
            let appID = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
            let objects = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sqlite_master") ?? 0
            if appID != 0 || objects > 0 { throw StoreError.notBinnacle(path) }
        }
    }

    /// The migrations of this binary not yet applied to the file; a file with migrations this binary
    /// does not know was written by a newer Binnacle and is refused.
    static func missingMigrations(_ db: Database, path: String) throws -> [(name: String, sql: String)] {
        let applied = try db.tableExists("grdb_migrations")
            ? Set(try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")) : []
        let known = Set(schemaMigrations.map(\.name))
        let unknown = applied.subtracting(known)
        if !unknown.isEmpty {
            throw StoreError.newerSchema(path: path, unknown: unknown.sorted(), known: schemaMigrations.last?.name ?? "none")
        }
        return schemaMigrations.filter { !applied.contains($0.name) }
    }

    /// Applies migrations in one transaction (with the audit entry, when given), foreign keys checked at the end.
    static func applyMigrations(_ db: Database, _ migrations: [(name: String, sql: String)], audit: (actor: String, from: String)?) throws {
        try db.execute(sql: "PRAGMA foreign_keys = OFF")  // a table rebuild drops a referenced table; checked below
        defer { try? db.execute(sql: "PRAGMA foreign_keys = ON") }
        try db.inTransaction(.immediate) {
            try db.execute(sql: "CREATE TABLE IF NOT EXISTS grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)")
            for migration in migrations {
                try db.execute(sql: migration.sql)
                try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES (?)", arguments: [migration.name])
            }
            if let violation = try Row.fetchOne(db, sql: "PRAGMA foreign_key_check") {
                throw StoreError.other("the migration would break a reference in table \(violation[0] as String)")
            }
            if let audit, let last = migrations.last {
                try AuditLog.append(db, actor: audit.actor, action: "inventory.migrate", entity: "inventory", detail: .object([
                    ("before", .object([("schema", .string(audit.from))])), ("after", .object([("schema", .string(last.name))])),
                ]))
            }
            return .commit
        }
    }

    /// Whether older readers may read a file still missing this migration: it only adds indexes, or its
    /// first line says `-- read-compatible` (it only widens what may be stored).
    public static func readCompatible(_ sql: String) -> Bool {
        if sql.hasPrefix("-- read-compatible") { return true }
        return addsOnlyIndexes(sql)
    }

    /// Whether every statement of a migration creates an index (comments aside).
    public static func addsOnlyIndexes(_ sql: String) -> Bool {
        let code = sql.split(separator: "\n").map { line in line.range(of: "--").map { String(line[..<$0.lowerBound]) } ?? String(line) }
            .joined(separator: "\n")
        let statements = code.split(separator: ";").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
        return !statements.isEmpty && statements.allSatisfy { $0.uppercased().hasPrefix("CREATE INDEX") }
    }

    public func read<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try queue.read(body) } catch { throw StoreError.from(error, path: path) }
    }

    /// The read-write connection, opened at the first write: only for a current-schema file this user may write.
    func writerQueue() throws -> DatabaseQueue {
        lock.lock()
        defer { lock.unlock() }
        if let writer { return writer }
        if let readOnlyReason {
            throw readOnlyReason == Inventory.readOnlyFlag ? StoreError.readOnly(path) : StoreError.notWritable(path: path, reason: readOnlyReason)
        }
        do {
            let opened = try DatabaseQueue(path: path, configuration: Inventory.configuration(readOnly: false, timeout: writeTimeout))
            try opened.read { db in
                if try !Inventory.missingMigrations(db, path: path).isEmpty { throw StoreError.olderSchema(path) }
            }
            writer = opened
            return opened
        } catch {
            throw StoreError.from(error, path: path)
        }
    }

    /// One IMMEDIATE transaction: the change and its audit entry land together or not at all. Internal:
    /// outside the store a change is made through `Governance` or `Importer`, which check the role and audit it.
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        try writing(body, bulk: false)
    }

    /// How every write runs. With `--readonly` nothing is tried. Where file permissions forbid writing,
    /// the body runs on the reader: its role checks refuse exactly as they would for a writer, and its
    /// first change fails as "cannot write". Otherwise it runs on the writer, and a refusal by the roles
    /// is itself audited, in a transaction of its own (the refused change was rolled back).
    /// `bulk`: a load of many rows, with a larger page cache.
    func writing<T>(_ body: (Database) throws -> T, bulk: Bool) throws -> T {
        if readOnlyReason == Inventory.readOnlyFlag { throw StoreError.readOnly(path) }
        if let readOnlyReason {
            do { return try queue.read(body) } catch let e as DatabaseError where e.resultCode == .SQLITE_READONLY {
                throw StoreError.notWritable(path: path, reason: readOnlyReason)
            } catch { throw StoreError.from(error, path: path) }
        }
        let writer = try writerQueue()
        do {
            guard bulk else { return try writer.write(body) }
            return try writer.writeWithoutTransaction { db in
                // 16 MB: every table but the observations is appended to, and the observations' insertion
                // points move on model by model, so more cache hardly saves a write; the index builds at
                // the end sort within it too. 64 MB took an import of 50,000 models to 169 MB.
                try db.execute(sql: "PRAGMA cache_size = -16384")
                defer { try? db.execute(sql: "PRAGMA cache_size = -2000") }
                var result: T?
                try db.inTransaction(.immediate) {
                    result = try body(db)
                    return .commit
                }
                return result!
            }
        } catch let refusal as Refusal where refusal.deniedAction != nil {
            recordDenial(refusal, on: writer)
            throw refusal
        } catch {
            throw StoreError.from(error, path: path)
        }
    }

    /// Records an access denial in the audit log, as CloudTrail records AccessDenied: who tried what.
    func recordDenial(_ refusal: Refusal, on writer: DatabaseQueue) {
        guard let action = refusal.deniedAction else { return }
        _ = try? writer.write { db in
            try AuditLog.append(db, actor: refusal.login, action: "denied", entity: refusal.entity ?? "inventory",
                                detail: .object([("attempted", .string(action.rawValue)), ("reason", .string(refusal.message))]))
        }
    }

    /// A role check outside any write (migrate): refused where the role does not allow it, audited where possible.
    func checkRole(_ login: String, _ action: GovernanceAction) throws {
        guard let refusal = Permissions.check(try person(login: login), login: login, action) else { return }
        if !readOnly, let writer = try? writerQueue() { recordDenial(refusal, on: writer) }
        throw refusal
    }

    /// Upgrades an older inventory to this binary's schema, audited; nil when it is already current.
    public func migrate(by login: String) throws -> (from: String, to: String)? {
        if readOnlyReason == Inventory.readOnlyFlag { throw StoreError.readOnly(path) }
        try checkRole(login, .administer)
        if let readOnlyReason { throw StoreError.notWritable(path: path, reason: readOnlyReason) }
        do {
            let upgrader = try DatabaseQueue(path: path, configuration: Inventory.configuration(readOnly: false, timeout: writeTimeout))
            return try upgrader.writeWithoutTransaction { db in
                let missing = try Inventory.missingMigrations(db, path: path)
                guard let last = missing.last else { return nil }
                let applied = try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier")
                let from = applied.last ?? "none"
                try Inventory.applyMigrations(db, missing, audit: (login, from))
                return (from, last.name)
            }
        } catch {
            throw StoreError.from(error, path: path)
        }
    }

    /// Switches a file that earlier versions left in WAL mode to the rollback journal, which readers
    /// without write permission can read. It needs the file to itself: call it before opening the
    /// inventory (`migrate` and `share` do). Returns whether it switched; a foreign file is left alone.
    @discardableResult
    public static func useRollbackJournal(path: String) throws -> Bool {
        guard try fileKind(path) == .file, whyNotWritable(path, exists: true) == nil else { return false }
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration(readOnly: false, timeout: 5))
            return try queue.writeWithoutTransaction { db in
                guard try Int32.fetchOne(db, sql: "PRAGMA application_id") == applicationID,
                      try String.fetchOne(db, sql: "PRAGMA journal_mode") == "wal" else { return false }
                guard try String.fetchOne(db, sql: "PRAGMA journal_mode = DELETE") == "delete" else {
                    throw StoreError.other("\(path): still in WAL mode, which readers without write permission cannot read: "
                        + "another process has it open; run this again when it is closed")
                }
                return true
            }
        } catch {
            throw StoreError.from(error, path: path)
        }
    }

    /// Rolls back a write that was interrupted (its hot journal), as SQLite does on a writer's first read.
    /// It changes no committed data, so it needs write permission on the file but no role.
    public static func rollBackInterruptedWrite(path: String) throws {
        guard try fileKind(path) != .missing else { throw StoreError.missingFile(path) }
        if let reason = whyNotWritable(path, exists: true) { throw StoreError.notWritable(path: path, reason: reason) }
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration(readOnly: false, timeout: 30))
            try queue.read { db in try checkReadable(db, path: path, allowOlder: true) }
        } catch {
            throw StoreError.from(error, path: path)
        }
    }

    /// The manifest values (portfolio name, currency, extract date).
    public func portfolioInfo() throws -> (portfolio: String, currency: String, asOf: Day?) {
        try read { db in try Inventory.portfolioInfo(db) }
    }

    static func portfolioInfo(_ db: Database) throws -> (portfolio: String, currency: String, asOf: Day?) {
        var values: [String: String] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT key, value FROM portfolio") { values[row["key"]] = row["value"] }
        return (values["portfolio"] ?? "Portfolio", values["currency"] ?? "", values["as_of"].flatMap { Day($0) })
    }
}

extension Inventory {
    /// Every domain that has a model, sorted.
    public func domains() throws -> [String] {
        try read { db in try String.fetchAll(db, sql: "SELECT DISTINCT domain FROM models ORDER BY domain") }
    }

    /// Removes a database file and its journal (used when a command created it and then failed).
    public static func removeFiles(_ path: String) {
        for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }
}
