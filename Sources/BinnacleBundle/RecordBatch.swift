import Foundation

/// Valid records on their way from the reading thread to the storing one, as the values the receiver
/// binds: one byte buffer, reused batch after batch, so that millions of rows cost no allocation and
/// what is in flight stays a few batches. A record is a tag (what the receiver does with it) and values,
/// each a kind byte then its bytes: text as a length and UTF-8, numbers as 8 bytes.
public final class RecordBatch: @unchecked Sendable {
    // Unchecked: a batch is filled by one thread, then handed through `BatchQueue`, whose lock orders
    // every access, to the other; never touched by both at once.

    /// A batch is sent when it holds this many bytes or records; one record larger than that still fits.
    static let byteLimit = 512 << 10
    static let recordLimit = 4096

    private var bytes: UnsafeMutableRawPointer
    private var capacity: Int
    private var used = 0
    /// Where each record came from, to name it in a problem.
    public private(set) var places: [(file: BundleFile, line: Int)] = []
    /// Where each record's bytes begin: the receiver checks it read each record whole.
    public private(set) var starts: [Int] = []
    /// The ordinal of the first record among all the reader sent (problems are merged in that order).
    var first = 0

    public var count: Int { places.count }
    var isFull: Bool { used >= RecordBatch.byteLimit || places.count >= RecordBatch.recordLimit }

    init() {
        capacity = RecordBatch.byteLimit + 4096
        bytes = .allocate(byteCount: capacity, alignment: 8)
        places.reserveCapacity(RecordBatch.recordLimit)
        starts.reserveCapacity(RecordBatch.recordLimit)
    }

    deinit { bytes.deallocate() }

    /// Empties the batch for reuse; a buffer grown far past its usual size (by an outsized record) is given back.
    func clear() {
        used = 0
        places.removeAll(keepingCapacity: true)
        starts.removeAll(keepingCapacity: true)
        if capacity > 2 * (RecordBatch.byteLimit + 4096) {
            bytes.deallocate()
            capacity = RecordBatch.byteLimit + 4096
            bytes = .allocate(byteCount: capacity, alignment: 8)
        }
    }

    private func reserve(_ n: Int) {
        guard used + n > capacity else { return }
        capacity = max(2 * capacity, used + n)
        let grown = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 8)
        grown.copyMemory(from: bytes, byteCount: used)
        bytes.deallocate()
        bytes = grown
    }

    private func put<T>(_ value: T) {
        reserve(MemoryLayout<T>.size)
        bytes.storeBytes(of: value, toByteOffset: used, as: T.self)
        used += MemoryLayout<T>.size
    }

    enum Kind: UInt8 { case null, text, real, integer }

    /// Starts a record read at `place`; the receiver's tag and values follow.
    func start(from place: (file: BundleFile, line: Int)) {
        places.append(place)
        starts.append(used)
    }

    /// What the receiver does with the record: the first byte of each.
    public func tag(_ tag: UInt8) { put(tag) }

    /// Text (NULL for nil).
    public func text(_ value: String?) {
        guard var value else { put(Kind.null.rawValue); return }
        value.withUTF8 { utf8 in
            reserve(5 + utf8.count)
            put(Kind.text.rawValue)
            put(UInt32(utf8.count))
            if let base = utf8.baseAddress { (bytes + used).copyMemory(from: base, byteCount: utf8.count) }
            used += utf8.count
        }
    }

    public func real(_ value: Double) { put(Kind.real.rawValue); put(value) }
    public func integer(_ value: Int64) { put(Kind.integer.rawValue); put(value) }

    /// Reads the records back, in order.
    public func cursor() -> Cursor { Cursor(base: UnsafeRawPointer(bytes)) }

    public enum Value {
        case null
        /// Bytes inside the batch: valid while the batch is neither cleared nor written.
        case text(UnsafeRawBufferPointer)
        case real(Double)
        case integer(Int64)

        /// The value as text, as it was given (nil for NULL; a number in Swift's form, for messages).
        public var string: String? {
            switch self {
            case .null: return nil
            case .text(let b): return String(decoding: b, as: UTF8.self)
            case .real(let d): return d.description
            case .integer(let i): return String(i)
            }
        }
    }

    public struct Cursor {
        let base: UnsafeRawPointer
        public private(set) var offset = 0

        private mutating func take<T>(_: T.Type) -> T {
            let value = base.loadUnaligned(fromByteOffset: offset, as: T.self)
            offset += MemoryLayout<T>.size
            return value
        }

        public mutating func tag() -> UInt8 { take(UInt8.self) }

        public mutating func value() -> Value {
            switch Kind(rawValue: take(UInt8.self))! {
            case .null: return .null
            case .real: return .real(take(Double.self))
            case .integer: return .integer(take(Int64.self))
            case .text:
                let n = Int(take(UInt32.self))
                defer { offset += n }
                return .text(UnsafeRawBufferPointer(start: base + offset, count: n))
            }
        }

        /// `n` values read again from `offset` (a record's start after its tag), e.g. to word a problem.
        public func values(at offset: Int, _ n: Int) -> [Value] {
            var again = Cursor(base: base, offset: offset)
            return (0..<n).map { _ in again.value() }
        }
    }
}

/// The batches between the reading thread and the storing one: a fixed set, each either free (the
/// reader fills it) or full (the receiver stores it), so memory stays bounded whichever is slower.
final class BatchQueue: @unchecked Sendable {
    // Unchecked: every field is read and written under `condition`'s lock.
    private let condition = NSCondition()
    private var free: [RecordBatch]
    private var full: [RecordBatch] = []
    private var finished = false
    private var cancelled = false

    init(batches: Int) { free = (0..<batches).map { _ in RecordBatch() } }

    /// A free batch to fill; nil when the receiver gave up.
    func takeFree() -> RecordBatch? {
        condition.lock()
        defer { condition.unlock() }
        while free.isEmpty, !cancelled { condition.wait() }
        return cancelled ? nil : free.removeLast()
    }

    func send(_ batch: RecordBatch) {
        condition.lock()
        full.append(batch)
        condition.broadcast()
        condition.unlock()
    }

    /// The reader sent its last batch (or stopped).
    func finish() {
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    /// The next full batch in the order sent; nil once the reader finished and every batch was taken.
    func receive() -> RecordBatch? {
        condition.lock()
        defer { condition.unlock() }
        while full.isEmpty, !finished { condition.wait() }
        return full.isEmpty ? nil : full.removeFirst()
    }

    func recycle(_ batch: RecordBatch) {
        batch.clear()
        condition.lock()
        free.append(batch)
        condition.broadcast()
        condition.unlock()
    }

    /// The receiver stopped: the reader stops at its next batch.
    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }
}
