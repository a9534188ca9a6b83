import BinnacleCore
import Foundation
import GRDB

/// An open inventory database. Owns the GRDB queue; applies schema/ migrations on open.
public final class Inventory: Sendable {
    public let path: String
    public let readOnly: Bool
    public let queue: DatabaseQueue

    public enum OpenMode: Sendable {
        /// Read commands: the file must exist.
        case read
        /// Write commands on an existing file.
        case write
        /// `init`, `import`, `demo`: create the file when missing.
        case create
    }

    /// The migrations this binary knows: exactly the files of schema/, embedded at build time.
    public static var schemaMigrations: [(name: String, sql: String)] { EmbeddedSchema.migrations }

    /// Binnacle's SQLite application_id ('BINN'), set by schema/0001.
    public static let applicationID: Int32 = 1_112_100_430

    public init(path: String, mode: OpenMode, readOnly: Bool = false) throws {
        self.path = path
        let exists = FileManager.default.fileExists(atPath: path)
        if !exists, mode != .create { throw StoreError.missingFile(path) }
        // A file the user cannot write is opened read-only rather than failing.
        let writable = !exists || FileManager.default.isWritableFile(atPath: path)
        self.readOnly = readOnly || (exists && !writable)
        if mode != .read, self.readOnly { throw StoreError.readOnly(path) }

        var config = Configuration()
        config.readonly = self.readOnly
        config.busyMode = .timeout(5)
        config.foreignKeysEnabled = true
        do {
            queue = try DatabaseQueue(path: path, configuration: config)
            try Inventory.checkAndMigrate(queue, path: path, readOnly: self.readOnly)
        } catch {
            throw StoreError.from(error, path: path)
        }
    }

    static func migrator() -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for migration in schemaMigrations {
            migrator.registerMigration(migration.name) { db in try db.execute(sql: migration.sql) }
        }
        return migrator
    }

    private static func checkAndMigrate(_ queue: DatabaseQueue, path: String, readOnly: Bool) throws {
        let migrator = Inventory.migrator()
        try queue.read { db in
            let appID = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
            let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
            if appID != applicationID, !tables.isEmpty { throw StoreError.notBinnacle(path) }
            if try migrator.hasBeenSuperseded(db) {
                let known = Set(schemaMigrations.map(\.name))
                let applied = try migrator.appliedIdentifiers(db)
                throw StoreError.newerSchema(path: path, unknown: applied.filter { !known.contains($0) }.sorted(),
                                             known: schemaMigrations.last?.name ?? "none")
            }
            if readOnly, try !migrator.hasCompletedMigrations(db) {
                // Missing indexes only make reads slower; anything else could make them wrong.
                let applied = try migrator.appliedIdentifiers(db)
                let missing = schemaMigrations.filter { !applied.contains($0.name) }
                if !missing.allSatisfy({ addsOnlyIndexes($0.sql) }) { throw StoreError.olderSchemaReadOnly(path) }
            }
        }
        // Only now that the file is known to be ours, and not from a newer Binnacle, may it change.
        if !readOnly {
            try queue.writeWithoutTransaction { db in _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL") }
            try migrator.migrate(queue)
        }
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

    /// One IMMEDIATE transaction: the change and its audit entry land together or not at all.
    public func write<T>(_ body: (Database) throws -> T) throws -> T {
        if readOnly { throw StoreError.readOnly(path) }
        do { return try queue.write(body) } catch { throw StoreError.from(error, path: path) }
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

    /// Removes a database file and its WAL companions (used when a command created it and then failed).
    public static func removeFiles(_ path: String) {
        for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }
}
