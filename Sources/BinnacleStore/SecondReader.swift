import Foundation
import GRDB
import GRDBSQLite

/// A second read-only connection to the inventory in the same state as a read transaction of the first, or
/// nil: `SnapshotWorker` reads on it beside the first, for the KPI sweep's second lane (`Beside`) and the evidence pack's bundle.
///
/// The two see one state only by the rollback journal's locks: the first connection's transaction has read, so
/// it holds SQLite's SHARED lock and no write can commit until it ends. So nil when the first has not read, when
/// the file is in WAL mode (left by earlier versions: a reader there never holds a writer back), and when the
/// file at the path is no longer the first connection's (an inventory rebuilt and moved into place): the caller
/// then reads on its one connection. A writer already waiting to commit (PENDING) lets no new reader in and waits
/// for the first: the open fails at once with `Busy` rather than wait for a lock the caller holds.
enum SecondReader {
    /// A write is waiting for the first connection's transaction to end: the second cannot join it.
    struct Busy: Error {}

    static func open(beside db: Database) throws -> DatabaseQueue? {
        let first = db.sqliteConnection
        // Only beside a read transaction that holds its lock (not autocommit, not a write the other could not see).
        guard sqlite3_txn_state(first, "main") == SQLITE_TXN_READ,
              let path = sqlite3_db_filename(first, "main").map({ String(cString: $0) }), !path.isEmpty,
              try String.fetchOne(db, sql: "PRAGMA journal_mode")?.lowercased() != "wal",
              // Stat-ed before anything opens it: a regular file (a FIFO would hang the open), the first one's.
              let before = FileIdentity(path), !hasMoved(first) else { return nil }
        var config = Inventory.configuration(readOnly: true, timeout: 0)
        config.busyMode = .immediateError
        // Its reads go forward through the file: a small page cache serves them, and leaves the memory to the first.
        config.prepareDatabase { db in try db.execute(sql: "PRAGMA cache_size = -512") }
        let second: DatabaseQueue
        do {
            // Opening reads the schema: a waiting writer fails it here.
            second = try DatabaseQueue(path: path, configuration: config)
        } catch let e as DatabaseError where e.resultCode == .SQLITE_BUSY || e.resultCode == .SQLITE_LOCKED {
            throw Busy()
        } catch {
            return nil
        }
        // The same file at the path before and after the open is the file the second opened: the first's.
        guard FileIdentity(path) == before, !(second.inDatabase { hasMoved($0.sqliteConnection) }) else {
            try? second.close()
            return nil
        }
        return second
    }

    /// Whether the file at the connection's path is no longer the one it opened (SQLite compares the inode);
    /// true when it cannot tell.
    private static func hasMoved(_ connection: OpaquePointer?) -> Bool {
        var moved: Int32 = 0
        return sqlite3_file_control(connection, "main", SQLITE_FCNTL_HAS_MOVED, &moved) != SQLITE_OK || moved != 0
    }
}

/// Which file a path names (device and inode); nil unless it names a regular file.
struct FileIdentity: Equatable {
    let device: UInt64, inode: UInt64

    init?(_ path: String) {
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
    }
}
