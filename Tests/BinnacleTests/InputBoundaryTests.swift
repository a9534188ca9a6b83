import BinnacleBundle
import BinnacleCore
import BinnacleStore
import Foundation
import Testing

/// Every reader accepts only what the inventory can hold and print back, and refuses the rest with
/// `FILE:LINE: column: what is wrong`, writing nothing (issue 11).
@Suite struct InputBoundaryTests {
    @Test func instantsOutsideTheYearsOneToNineThousandNineHundredNinetyNineAreRefused() {
        #expect(Timestamp(parsing: "0000-01-01T00:00:00+00:01") == nil)   // 0000-12-31T23:59 UTC
        #expect(Timestamp(parsing: "9999-12-31T23:30:00-01:00") == nil)   // 10000-01-01 UTC
        #expect(Timestamp(parsing: "0001-01-01T00:30:00+01:00") == nil)
        #expect(Timestamp(parsing: "0000-01-01") == nil && Day("0000-01-01") == nil)
        #expect(Timestamp(parsing: "0001-01-01T00:00:00Z")?.text == "0001-01-01T00:00:00.000Z")
        #expect(Timestamp(parsing: "9999-12-31T22:59:59.999-01:00")?.text == "9999-12-31T23:59:59.999Z")
        #expect(Timestamp.problem("0000-01-01T00:00:00+00:01") == "'0000-01-01T00:00:00+00:01' is outside the years 0001–9999 (in UTC)")
        #expect(Day.problem("0000-01-01") == "'0000-01-01' is outside the years 0001–9999")
        #expect(Day.problem("someday") == "'someday' is not a date (YYYY-MM-DD)")
        #expect(Timestamp(checkedUnixMilliseconds: .min) == nil && Timestamp(checkedUnixMilliseconds: .max) == nil)
        #expect(UseCaseLayout.parseDate("1/1/0000") == nil)
    }

    @Test func nothingStoredMakesAReadCrash() {
        #expect(Timestamp(storedText: "000/-12-31T23:59:00.000Z").day.description == "0001-01-01")
        #expect(Timestamp(storedText: "").day.description == "0001-01-01")
    }

    @Test func anObservationBeforeTheYearOneIsRefusedAndNothingWritten() throws {
        let (dir, db) = try inventoryWithModel()
        try "model_id,metric,observed_at,value\nm1,psi,0000-01-01T00:00:00+00:01,0.5\n".write(toFile: dir.path("o.csv"), atomically: true, encoding: .utf8)
        let r = try binnacle(["ingest", "observations", dir.path("o.csv"), "--db", db, "--as", "alice"])
        #expect(r.status != 0 && r.err.contains("o.csv:2: observed_at: '0000-01-01T00:00:00+00:01' is outside the years 0001–9999 (in UTC)"))
        #expect(try binnacle(["audit", "verify", "--db", db]).out.hasPrefix("intact: 1 entries"))
        #expect(try binnacle(["show", "m1", "--db", db, "--as-of", "2025-06-01"]).status == 0)
    }

    @Test func jsonValuesMustHaveTheTypeTheirColumnNeeds() throws {
        let (dir, db) = try inventoryWithModel()
        try """
            {"model_id": "m1", "metric": "psi", "observed_at": "2025-06-01T10:00:00Z", "value": true}
            {"model_id": "m1", "metric": 7, "observed_at": "2025-06-01T10:00:00Z", "value": 0.5}
            {"model_id": "m1", "metric": "psi\\u0000x", "observed_at": "2025-06-01T10:00:00Z", "value": 0.5}
            {"model_id": "m1", "metric": "psi", "observed_at": "2025-06-01T10:00:00Z", "value": 1e999}
            {"model_id": "m1", "metric": "psi", "observed_at": "2025-06-01T10:00:00Z", "value": "0.5"}

            """.write(toFile: dir.path("o.jsonl"), atomically: true, encoding: .utf8)
        let r = try binnacle(["ingest", "observations", dir.path("o.jsonl"), "--db", db, "--as", "alice"])
        #expect(r.status != 0)
        #expect(r.err.contains("o.jsonl:1: value: a boolean is not a number"))
        #expect(r.err.contains("o.jsonl:2: metric: the number 7.0 is not a string"))
        #expect(r.err.contains("o.jsonl:3: metric: contains a NUL character"))
        #expect(r.err.contains("o.jsonl:4:"))
        #expect(!r.err.contains("o.jsonl:5:"))
        #expect(try binnacle(["audit", "verify", "--db", db]).out.hasPrefix("intact: 1 entries"))
    }

    @Test func aNulByteInABundleFieldIsRefusedNotCut() throws {
        var f = Fixture()
        f.model("m1")
        f.rows[.audit] = [["2024-01-01T00:00:00Z", "alice", "note", "inventory", "before\u{0}after"]]
        let dir = try TempDir()
        try f.write(to: dir.url.appendingPathComponent("b"))
        let r = try binnacle(["import", "bundle", dir.path("b"), "--db", dir.path("n.sqlite")])
        #expect(r.status != 0 && r.err.contains("audit.csv:2: column detail: contains a NUL byte"))
        #expect(!FileManager.default.fileExists(atPath: dir.path("n.sqlite")))
    }

    @Test func aTaskCreatedBeforeTheYearOneIsRefusedLeavingNoDatabase() throws {
        var f = Fixture()
        f.model("m1")
        f.task("t1", "m1", created: "0000-01-01T00:30:00+01:00", due: "2025-01-01")
        let dir = try TempDir()
        try f.write(to: dir.url.appendingPathComponent("b"))
        let r = try binnacle(["import", "bundle", dir.path("b"), "--db", dir.path("n.sqlite")])
        #expect(r.status != 0 && r.err.contains("tasks.csv:2: column created_at: '0000-01-01T00:30:00+01:00' is outside the years 0001–9999 (in UTC)"))
        let left = try FileManager.default.contentsOfDirectory(atPath: dir.url.path).filter { $0.hasPrefix("n.sqlite") }
        #expect(left.isEmpty)
    }

    func inventoryWithModel() throws -> (TempDir, String) {
        let dir = try TempDir()
        var f = Fixture()
        f.model("m1", created: "2025-01-01")
        try f.write(to: dir.url.appendingPathComponent("b"))
        let db = dir.path("db.sqlite")
        let r = try binnacle(["import", "bundle", dir.path("b"), "--db", db])
        #expect(r.status == 0, "\(r.err)")
        return (dir, db)
    }
}
