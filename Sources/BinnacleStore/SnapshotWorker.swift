import Foundation
import GRDB

/// Work done on a second read-only connection, on a thread of its own, in the same snapshot as a read
/// transaction the caller holds: an evidence pack writes its bundle there while the caller writes the rest.
///
/// The inventory uses a rollback journal: a reader holds SQLite's SHARED lock from its first read to its
/// end, and no write can commit while any SHARED lock is held. The caller's transaction has read (holds
/// SHARED) before the worker starts, and ends only after the worker is joined; so the worker's transaction,
/// begun meanwhile, sees the very state the caller's sees. A writer already waiting to commit (PENDING)
/// lets no new reader in, and waits for the caller: the worker then fails at once (`Busy`) instead of waiting,
/// and the caller ends its transaction and begins again after that write.
final class SnapshotWorker: @unchecked Sendable {
    /// The worker could not join the caller's snapshot: a write is waiting for the caller's transaction to end.
    struct Busy: Error {}

    private let joined = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    private var failure: Error?
    private var waited = false

    /// Opens a read-only connection to `path` on a new thread, begins a read transaction there and returns once it
    /// has read (throws `Busy` when a writer was waiting); `body` then runs on that thread. Call `join` to wait for it.
    /// The caller must hold a read transaction on the same file that has read, and keep it until `join` returns.
    init(path: String, _ body: @escaping @Sendable (Database) throws -> Void) throws {
        let thread = Thread { [self] in
            var began = false
            do {
                var config = Inventory.configuration(readOnly: true, timeout: 0)
                config.busyMode = .immediateError
                // Its reads go forward through the file: a small page cache serves them, and leaves the memory to the caller.
                config.prepareDatabase { db in try db.execute(sql: "PRAGMA cache_size = -512") }
                let queue = try DatabaseQueue(path: path, configuration: config)
                try queue.read { db in
                    // The first read takes the SHARED lock: from here this transaction sees the caller's snapshot.
                    _ = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sqlite_master")
                    began = true
                    joined.signal()
                    try body(db)
                }
            } catch let e as DatabaseError where !began && (e.resultCode == .SQLITE_BUSY || e.resultCode == .SQLITE_LOCKED) {
                failure = Busy()
            } catch {
                failure = error
            }
            if !began { joined.signal() }
            finished.signal()
        }
        thread.stackSize = 1 << 22
        thread.start()
        joined.wait()
        if failure != nil { try join() }
    }

    /// Waits for the worker's body to end; rethrows what it threw.
    func join() throws {
        if !waited { finished.wait(); waited = true }
        if let failure { throw failure }
    }

    /// Whether the caller's connection shares a snapshot with a worker by the rollback journal's locks (not in WAL
    /// mode, where a reader never blocks a writer: there the work is done on the caller's connection instead).
    static func canShare(_ db: Database) throws -> Bool {
        try String.fetchOne(db, sql: "PRAGMA journal_mode")?.lowercased() != "wal"
    }
}
