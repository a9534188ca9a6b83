import BinnacleBundle
import BinnacleCore
import BinnacleStore
import Foundation
import Testing

/// An import reads and checks on one thread while the other stores batch after batch: a problem found
/// by either after many good batches still leaves nothing written, and problems come in reading order.
@Suite struct BundlePipelineTests {
    /// Enough observations for several batches (a batch holds at most 4,096 records).
    static let manyRows = 20_000

    /// The valid fixture with `manyRows` good observations of m1, one a minute.
    static func large() -> Fixture {
        var f = BundleValidationTests.valid()
        f.rows[.observations] = (0..<manyRows).map { ["m1", "auc", minute($0), "0.8"] }
        return f
    }

    static func minute(_ i: Int) -> String {
        Timestamp(unixMilliseconds: 1_704_067_200_000 + Int64(i) * 60_000).bundleText
    }

    /// The problems an import of `fixture` into `inventory` reports; what the inventory held must not change.
    func problems(_ fixture: Fixture, into inventory: Inventory? = nil) throws -> BundleErrors {
        let dir = try TempDir()
        try fixture.write(to: dir.url)
        let target = try inventory ?? Inventory(path: dir.path("inv.sqlite"), mode: .create)
        let before = try counts(target)
        do {
            _ = try target.importer.importBundle(directory: dir.url.path, replace: inventory != nil, actor: "test")
            Issue.record("import succeeded")
            return BundleErrors()
        } catch let e as BundleErrors {
            #expect(try counts(target) == before)
            return e
        }
    }

    func counts(_ inventory: Inventory) throws -> [Int] {
        try inventory.read { db in
            try ["models", "observations", "people", "audit_log"].map { try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \($0)")! }
        }
    }

    @Test func aBadValueOnTheLastLineLeavesNothingWritten() throws {
        var f = Self.large()
        f.rows[.observations]!.append(["m1", "auc", "2030-01-01", "NaN"])
        let e = try problems(f)
        #expect(e.problems.map(\.description) == ["observations.csv:\(Self.manyRows + 2): column value: 'NaN' is not a finite number"])
    }

    @Test func aDuplicateTheDatabaseFindsLateIsNamedInLineOrder() throws {
        var f = Self.large()
        f.observation("m1", "auc", Self.minute(5), 0.9)          // the same instant as line 7: only the database sees it
        f.observation("m1", "auc", "not a time", 0.9)             // a problem of reading, after it
        f.task("t1", "m1", created: "2024-03-01", due: "2024-03-10")  // a duplicate id, in a later file
        let n = Self.manyRows + 2
        #expect(try problems(f).problems.map(\.description) == [
            "observations.csv:\(n): column observed_at: duplicate observation: m1 auc at \(Self.minute(5)) is already given",
            "observations.csv:\(n + 1): column observed_at: 'not a time' is not a date (YYYY-MM-DD) or UTC date-time (YYYY-MM-DDTHH:MM:SSZ)",
            "tasks.csv:3: column id: duplicate task id 't1'",
        ])
    }

    @Test func aReadingProblemBeforeALateDuplicateComesFirst() throws {
        var f = Self.large()
        f.rows[.observations]![10][3] = "ten"
        f.observation("m1", "auc", Self.minute(5), 0.9)
        #expect(try problems(f).problems.map(\.description) == [
            "observations.csv:12: column value: 'ten' is not a finite number",
            "observations.csv:\(Self.manyRows + 2): column observed_at: duplicate observation: m1 auc at \(Self.minute(5)) is already given",
        ])
    }

    @Test func rowsRefusedOnlyBecauseTheirModelWasAreNotReportedAgain() throws {
        var f = Self.large()
        f.model("m2", kind: "neural")
        f.rows[.observations]! += (0..<Self.manyRows).map { ["m2", "auc", Self.minute($0), "0.7"] }
        let e = try problems(f)
        #expect(e.total == 1)
        #expect(e.problems.map(\.description) == [
            "models.csv:3: column kind: 'neural' is not one of classification, regression, forecasting, recommender, genai, other",
        ])
    }

    @Test func duplicatesAcrossBatchesStopAtFiftyThenCount() throws {
        var f = Self.large()
        for k in 0..<60 { f.observation("m1", "auc", Self.minute(k * 300), 1) }
        let e = try problems(f)
        #expect(e.problems.count == 50 && e.total == 60)
        #expect(e.problems.first?.line == Self.manyRows + 2)
        #expect(e.description.hasSuffix("refused: 60 problems; nothing was written"))
    }

    @Test func aLateProblemLeavesAReplacedInventoryAsItWas() throws {
        let inventory = try BundleValidationTests.valid().inventory()
        var f = Self.large()
        f.rows[.observations]!.append(["m1", "auc", "2030-01-01", "Infinity"])
        let e = try problems(f, into: inventory)
        #expect(e.total == 1 && e.problems.first?.line == Self.manyRows + 2)
        #expect(try counts(inventory) == [1, 1, 4, 1])
    }

    @Test func aLargeBundleImportsWhole() throws {
        let inventory = try Self.large().inventory()
        #expect(try counts(inventory) == [1, Self.manyRows, 4, 1])
        let last = try inventory.read { db in
            try String.fetchOne(db, sql: "SELECT observed_at FROM observations ORDER BY observed_at DESC LIMIT 1")
        }
        #expect(last == Timestamp(parsing: Self.minute(Self.manyRows - 1))?.text)
    }

    /// Stores nothing; fails when handed its `failAt`th batch.
    struct CountingSink: BundleBatchSink {
        struct Failed: Error {}
        static func encode(_ record: BundleRecord, into batch: RecordBatch) { batch.tag(0) }
        var batches = 0
        var failAt: Int?
        mutating func store(_ batch: RecordBatch, refuse: (Int, BundleRejection) -> Void) throws {
            batches += 1
            if batches == failAt { throw Failed() }
        }
    }

    /// The storing side failing mid-way stops the reading thread and returns its error (no wait for a batch
    /// that never comes, no hang on a full queue).
    @Test func aStoreThatFailsMidwayEndsTheRead() throws {
        let dir = try TempDir()
        try Self.large().write(to: dir.url)
        var sink = CountingSink(failAt: 2)
        #expect(throws: CountingSink.Failed.self) { try BundleReader(directory: dir.url.path).read(batchingInto: &sink) }
        #expect(sink.batches == 2)
        var whole = CountingSink()
        _ = try BundleReader(directory: dir.url.path).read(batchingInto: &whole)
        #expect(whole.batches > 3)
    }

    /// Reading alone (`read(into:)`, what the fuzzers drive) and the two threads find the same problems,
    /// in the same order, with the rows of a refused model left out alike.
    @Test func bothWaysOfReadingReportTheSameProblems() throws {
        var f = Self.large()
        f.model("m2", kind: "neural")
        f.rows[.observations]! += (0..<5_000).map { ["m2", "auc", Self.minute($0), "0.7"] }
        f.rows[.observations]![10][3] = "ten"
        f.rows[.observations]![9_000][2] = "yesterday"
        f.rows[.observations]!.append(["m1", "auc", "2030-01-01", "NaN"])
        let dir = try TempDir()
        try f.write(to: dir.url)
        func problems(_ read: () throws -> Void) -> [String] {
            do { try read(); return [] } catch let e as BundleErrors { return e.problems.map(\.description) + ["total \(e.total)"] } catch { return ["\(error)"] }
        }
        var collecting = CollectingSink(), counting = CountingSink()
        let alone = problems { _ = try BundleReader(directory: dir.url.path).read(into: &collecting) }
        let pipelined = problems { _ = try BundleReader(directory: dir.url.path).read(batchingInto: &counting) }
        #expect(alone.count == 5 && alone == pipelined, "\(alone)\n\(pipelined)")
    }
}
