import GRDB

/// Why a database could not be used, said so a person knows what to do next.
public enum StoreError: Error, CustomStringConvertible, Equatable {
    case missingFile(String)
    case notSQLite(String)
    case notBinnacle(String)
    case newerSchema(path: String, unknown: [String], known: String)
    case olderSchema(String)
    case notAFile(path: String, what: String)
    case emptyFile(String)
    case busy(String)
    case readOnly(String)
    case notWritable(path: String, reason: String)
    case interruptedWrite(String)
    case walNeedsWriteAccess(String)
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
        case .olderSchema(let p):
            return "\(p): written by an older Binnacle; this binary reads and writes it only once it is upgraded: "
                + "`binnacle migrate --db \(p)` (a risk officer; audited). Nothing was written."
        case .notAFile(let p, let what):
            return "\(p): \(what), not a database file"
        case .emptyFile(let p):
            return "\(p): an empty file, not an inventory yet: create one with `binnacle init --db \(p)` or `binnacle import bundle DIR --db \(p)`"
        case .busy(let p):
            return "\(p): database is busy: another process held its lock too long; try again when it has finished. Nothing was written."
        case .readOnly(let p):
            return "\(p): opened read-only (--readonly); nothing was written"
        case .notWritable(let p, let reason):
            return "\(p): \(reason); nothing was written. Readers need only read permission; writers need to be in the "
                + "inventory's group (see `binnacle share`)"
        case .walNeedsWriteAccess(let p):
            return "\(p): kept in WAL mode by an earlier Binnacle, which readers without write permission on its folder cannot read; "
                + "an administrator makes it readable with `binnacle migrate --db \(p)` (or `binnacle share`)"
        case .interruptedWrite(let p):
            return "\(p): an interrupted write is pending (a writer stopped mid-transaction; the data as last committed is intact). "
                + "The next write rolls it back, or run `binnacle recover --db \(p)` with write permission; until then it cannot be read"
        case .notEmpty(let p, let models):
            return "\(p) already holds an inventory (\(models) models); add --replace to replace it (the audit log is kept)"
        case .notFound(let what):
            return what
        case .other(let message):
            return message
        }
    }

    /// The exit code for a command that fails with this error: 1 when the answer is "no" (not allowed to
    /// write, nothing by that name), 2 when the inventory could not be used at all — so `check` and
    /// `audit verify` say "could not check" for it, never "breached" or "broken".
    public var exitCode: Int32 {
        switch self {
        case .readOnly, .notWritable, .notEmpty, .notFound, .other: return 1
        default: return 2
        }
    }

    /// Translates SQLite's result codes into what they mean for this file.
    static func from(_ error: Error, path: String) -> Error {
        guard let e = error as? DatabaseError else { return error }
        switch e.resultCode {
        case .SQLITE_NOTADB, .SQLITE_CORRUPT: return StoreError.notSQLite(path)
        case .SQLITE_BUSY, .SQLITE_LOCKED: return StoreError.busy(path)
        case .SQLITE_READONLY where e.extendedResultCode == .SQLITE_READONLY_ROLLBACK: return StoreError.interruptedWrite(path)
        case .SQLITE_READONLY: return StoreError.notWritable(path: path, reason: "SQLite could not write it (\(e.message ?? "read-only"))")
        case .SQLITE_CANTOPEN: return StoreError.other("\(path): cannot open (\(e.message ?? "unknown reason"))")
        default: return error
        }
    }
}
