import Foundation

/// A receiver that stores records in batches while the next batch is being read and checked on another
/// thread. As with `BundleSink`, it is given every valid record in file order, and when `read` throws
/// it must discard everything it was given.
public protocol BundleBatchSink {
    /// On the reading thread: appends the record's tag and values to `batch`, as `store` reads them back.
    static func encode(_ record: BundleRecord, into batch: RecordBatch)
    /// On the calling thread: stores the batch's records in order, passing each refused one to `refuse`
    /// with its index in the batch, and going on with the next.
    mutating func store(_ batch: RecordBatch, refuse: (Int, BundleRejection) -> Void) throws
}

extension BundleReader {
    /// Batches in flight: one being read, one being stored, and room for either to run ahead.
    static let batchesInFlight = 4

    /// Reads and checks on a second thread while this one stores: the files are parsed and checked a
    /// batch ahead of the receiver. Problems are those `read(into:)` reports, in the same order.
    public func read<Sink: BundleBatchSink>(batchingInto sink: inout Sink) throws -> Counts {
        let queue = BatchQueue(batches: BundleReader.batchesInFlight)
        let reading = PipelinedReading(reader: self, queue: queue) { Sink.encode($0, into: $1) }
        Thread.detachNewThread { reading.run() }
        var refusals = Refusals()
        do {
            while let batch = queue.receive() {
                try sink.store(batch) { index, rejection in refusals.add(rejection, ordinal: batch.first + index, place: batch.places[index]) }
                queue.recycle(batch)
            }
        } catch {
            queue.cancel()
            _ = try? reading.outcome()
            throw error
        }
        let (counts, state) = try reading.outcome()
        var errors = refusals.merged(with: state)
        if errors.total == 0, let m = state.manifest() {
            let batch = RecordBatch()
            batch.start(from: (.manifest, 0))
            Sink.encode(.manifest(m), into: batch)
            try sink.store(batch) { _, r in errors.add(BundleProblem(file: BundleFile.manifest.fileName, line: nil, column: r.column, message: r.message)) }
        }
        if errors.total > 0 { throw errors }
        return counts
    }
}

/// The reading thread's work and what it found.
private final class PipelinedReading: @unchecked Sendable {
    // Unchecked: `reader` (its `observeBytes` too) and `encode` run on the reading thread only, which writes
    // `result` before it signals `done`; the calling thread reads `result`, and what `observeBytes` captured,
    // only after waiting for `done`.
    private let reader: BundleReader
    private let queue: BatchQueue
    private let encode: (BundleRecord, RecordBatch) -> Void
    private var result: Result<(BundleReader.Counts, ValidationState), Error>?
    private let done = DispatchSemaphore(value: 0)

    init(reader: BundleReader, queue: BatchQueue, encode: @escaping (BundleRecord, RecordBatch) -> Void) {
        self.reader = reader; self.queue = queue; self.encode = encode
    }

    struct Cancelled: Error {}

    func run() {
        defer { queue.finish(); done.signal() }
        result = Result {
            var state = ValidationState()
            guard var batch = queue.takeFree() else { throw Cancelled() }
            let counts = try reader.scan(&state) { record, place, state in
                if batch.count == 0 { batch.first = state.emitted }
                batch.start(from: place)
                encode(record, batch)
                guard batch.isFull else { return }
                queue.send(batch)
                guard let next = queue.takeFree() else { throw Cancelled() }
                batch = next
            }
            if batch.count > 0 { queue.send(batch) }
            return (counts, state)
        }
    }

    /// Waits for the reading thread to finish (once).
    func outcome() throws -> (BundleReader.Counts, ValidationState) {
        done.wait()
        return try result!.get()
    }
}

/// The receiver's refusals (duplicate keys), kept to be merged with the reader's problems in the order
/// reading alone would have reported them.
struct Refusals {
    private var shown: [(ordinal: Int, problem: BundleProblem)] = []
    private var total = 0
    /// A record refused only because a row it needs was refused is reported only when no problem came
    /// before it, so only the first such can count.
    private var firstDependent: (ordinal: Int, problem: BundleProblem)?

    mutating func add(_ r: BundleRejection, ordinal: Int, place: BundleReader.Place) {
        let problem = BundleProblem(file: place.file.fileName, line: place.line, column: r.column, message: r.message)
        if r.followsEarlierProblem {
            if firstDependent == nil { firstDependent = (ordinal, problem) }
            return
        }
        total += 1
        if shown.count < BundleErrors.shownLimit { shown.append((ordinal, problem)) }
    }

    /// The reader's problems and these, in reading order: a problem the reader found when `k` records
    /// had been handed on comes before the refusal of record `k`.
    func merged(with state: ValidationState) -> BundleErrors {
        var found = zip(state.positions, state.errors.problems).map { (position: $0, side: 0, problem: $1) }
        found += shown.map { (position: $0.ordinal, side: 1, problem: $0.problem) }
        var counted = state.errors.total + total
        if let d = firstDependent, !(state.positions.first.map { $0 <= d.ordinal } ?? false),
           !(shown.first.map { $0.ordinal < d.ordinal } ?? false) {
            found.append((d.ordinal, 1, d.problem))
            counted += 1
        }
        // Stable: the reader's problems at one position keep the order found.
        let ordered = found.enumerated().sorted { a, b in
            (a.element.position, a.element.side, a.offset) < (b.element.position, b.element.side, b.offset)
        }
        var errors = BundleErrors()
        errors.problems = ordered.prefix(BundleErrors.shownLimit).map(\.element.problem)
        errors.total = counted
        return errors
    }
}
