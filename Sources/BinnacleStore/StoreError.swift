import GRDB

/// Why a database could not be used, said so a person knows what to do next.
public enum StoreError: Error, CustomStringConvertible, Equatable {
    case missingFile(String)
    case notSQLite(String)
    case notBinnacle(String)
    case newerSchema(path: String, unknown: [String], known: String)
    case olderSchemaReadOnly(String)
    case busy(String)
    case readOnly(String)
    case notEmpty(path: String, models: Int)
    case notFound(String)
    case other(String)

    public var description: String {
        switch self {
        case .missingFile(let p):
            return "\(p): no such database. Create one with `binnacle init --db \(p)`, load a bundle with "
                + "`binnacle import bundle DIR --db \(p)`, or try `binnacle demo`."
        case .notSQLite(let p):
            return "\(p): not a SQLite database (the file is corrupt or of another kind)"
        case .notBinnacle(let p):
            return "\(p): a SQLite database, but not a Binnacle inventory (it has other tables); refusing to touch it"
        case .newerSchema(let p, let unknown, let known):
            return "\(p): written by a newer Binnacle (schema \(unknown.joined(separator: ", ")); this binary knows up to \(known)). "
                + "Upgrade Binnacle to open it; nothing was written."
        case .olderSchemaReadOnly(let p):
            return "\(p): schema is older than this binary and needs an upgrade, which a read-only open cannot do; "
                + "open it once without --readonly"
        case .busy(let p):
            return "\(p): database is busy: another process held its lock for 5 seconds; try again when it has finished"
        case .readOnly(let p):
            return "\(p): the database is read-only (file permissions or --readonly); nothing was written"
        case .notEmpty(let p, let models):
            return "\(p) already holds an inventory (\(models) models); add --replace to replace it (the audit log is kept)"
        case .notFound(let what):
            return what
        case .other(let message):
            return message
        }
    }

    /// Translates SQLite's result codes into what they mean for this file.
    static func from(_ error: Error, path: String) -> Error {
        guard let e = error as? DatabaseError else { return error }
        switch e.resultCode {
        case .SQLITE_NOTADB, .SQLITE_CORRUPT: return StoreError.notSQLite(path)
        case .SQLITE_BUSY, .SQLITE_LOCKED: return StoreError.busy(path)
        case .SQLITE_READONLY: return StoreError.readOnly(path)
        case .SQLITE_CANTOPEN: return StoreError.other("\(path): cannot open (\(e.message ?? "unknown reason"))")
        default: return error
        }
    }
}
