import Foundation
import GRDB

/// Work done on a second read-only connection (`SecondReader`), on a thread of its own, in the same snapshot as
/// a read transaction the caller holds: an evidence pack writes its bundle there while the caller writes the rest.
///
/// The caller's transaction has read (holds SHARED) before the worker starts, and ends only after the worker is
/// joined; so the worker's transaction, begun meanwhile, sees the very state the caller's sees. A writer already
/// waiting to commit (PENDING) lets no new reader in, and waits for the caller: the worker then fails at once
/// (`Busy`) instead of waiting, and the caller ends its transaction and begins again after that write.
final class SnapshotWorker: @unchecked Sendable {
    /// The worker could not join the caller's snapshot: a write is waiting for the caller's transaction to end.
    typealias Busy = SecondReader.Busy

    private let joined = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    /// Why the worker did not join: written before `joined` is signalled, and only then; `init` reads it after.
    private var joinFailure: Error?
    /// What the body threw: written before `finished` is signalled; `join` reads it after.
    private var failure: Error?
    private var waited = false
    private let queue: DatabaseQueue
    /// Held while the worker closes its connection and while `cancel` interrupts it: SQLite's interrupt is
    /// unsafe on a connection closing. `closed` is read and written under it.
    private let closing = NSLock()
    private var closed = false

    /// Begins a read transaction on a second connection beside `db` (which must have read, and be kept until `join`
    /// returns) on a new thread, and returns once it has read; `body` then runs on that thread. Call `join` to wait
    /// for it. Nil when there is no such connection (`SecondReader`): the caller does the work on `db`.
    /// Throws `Busy` when a writer was waiting.
    init?(beside db: Database, _ body: @escaping @Sendable (Database) throws -> Void) throws {
        guard let queue = try SecondReader.open(beside: db) else { return nil }
        self.queue = queue
        let thread = Thread { [self] in
            var began = false
            do {
                try queue.read { db in
                    // The first read takes the SHARED lock: from here this transaction sees the caller's snapshot.
                    _ = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sqlite_master")
                    began = true
                    joined.signal()
                    try body(db)
                }
            } catch let e as DatabaseError where !began && (e.resultCode == .SQLITE_BUSY || e.resultCode == .SQLITE_LOCKED) {
                joinFailure = Busy()
            } catch where !began {
                joinFailure = error
            } catch {
                failure = error
            }
            closing.withLock {
                closed = true
                try? queue.close()
            }
            if !began { joined.signal() }
            finished.signal()
        }
        thread.stackSize = 1 << 22
        thread.start()
        joined.wait()
        if let joinFailure {
            finished.wait()
            waited = true
            throw joinFailure
        }
    }

    /// Stops the worker's reads (from the caller's thread, when what it does has failed): the statement running
    /// fails, and `join` rethrows the interruption (one begun after this call runs: the work should check why it
    /// goes on, as the KPI sweep's second lane finds its hand-off withdrawn and its claims closed).
    func cancel() { closing.withLock { if !closed { queue.interrupt() } } }

    /// Waits for the worker's body to end; rethrows what it threw.
    func join() throws {
        if !waited { finished.wait(); waited = true }
        if let failure { throw failure }
    }
}
