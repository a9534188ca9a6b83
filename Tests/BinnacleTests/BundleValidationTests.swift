import BinnacleBundle
import BinnacleCore
import BinnacleStore
import Foundation
import Testing

/// Each kind of bundle error is named by file, line and column, and nothing is written.
@Suite struct BundleValidationTests {
    static func valid() -> Fixture {
        var f = Fixture()
        f.model("m1")
        f.stage("m1", "production", "2024-02-01")
        f.asset("ds1", tags: "pii")
        f.edge("ds1", "m1")
        f.monitor("m1", "auc", "below", warn: 0.7, critical: 0.6)
        f.observation("m1", "auc", "2024-03-01", 0.8)
        f.value("m1", "2024-03-31", 10, cost: 1)
        f.task("t1", "m1", created: "2024-03-01", due: "2024-03-10")
        return f
    }

    /// Imports `fixture` into a new database and returns the problems; the database must not exist after.
    func problems(_ fixture: Fixture, edit: ((URL) throws -> Void)? = nil) throws -> [String] {
        let dir = try TempDir()
        let bundle = dir.url.appendingPathComponent("bundle")
        try fixture.write(to: bundle)
        try edit?(bundle)
        let db = dir.path("inv.sqlite")
        let inventory = try Inventory(path: db, mode: .create)
        do {
            _ = try inventory.importer.importBundle(directory: bundle.path, replace: false, actor: "test")
            Issue.record("import succeeded")
            return []
        } catch let e as BundleErrors {
            // Nothing was written: not a model, not an audit entry.
            let counts = try inventory.read { db in
                try [Int.fetchOne(db, sql: "SELECT COUNT(*) FROM models")!, Int.fetchOne(db, sql: "SELECT COUNT(*) FROM audit_log")!,
                     Int.fetchOne(db, sql: "SELECT COUNT(*) FROM people")!]
            }
            #expect(counts == [0, 0, 0])
            return e.problems.map(\.description)
        }
    }

    @Test func theValidFixtureImports() throws {
        let inventory = try Self.valid().inventory()
        #expect(try inventory.modelSummaries(asOf: day("2024-03-05")).map(\.id) == ["m1"])
    }

    @Test func missingRequiredFile() throws {
        let p = try problems(Self.valid()) { try FileManager.default.removeItem(at: $0.appendingPathComponent("monitors.csv")) }
        #expect(p == ["monitors.csv: required file is missing"])
    }

    @Test func missingColumn() throws {
        let p = try problems(Self.valid()) { dir in
            let url = dir.appendingPathComponent("stages.csv")
            let text = try String(contentsOf: url, encoding: .utf8).replacingOccurrences(of: "changed_at,", with: "")
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        #expect(p == ["stages.csv:1: column changed_at: missing from the header"])
    }

    @Test func extraColumnsAreIgnored() throws {
        let dir = try TempDir()
        let bundle = dir.url.appendingPathComponent("b")
        try Self.valid().write(to: bundle)
        let url = bundle.appendingPathComponent("people.csv")
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").enumerated().map { i, l in l + (i == 0 ? ",shoe_size" : ",42") }
        try (lines.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
        let inventory = try Inventory(path: dir.path("db"), mode: .create)
        #expect(try inventory.importer.importBundle(directory: bundle.path, replace: false, actor: "t").rows[.people] == 4)
    }

    @Test func badDate() throws {
        var f = Self.valid()
        f.value("m1", "2024-02-30", 1)
        #expect(try problems(f) == ["value.csv:3: column date: '2024-02-30' is not a date (YYYY-MM-DD)"])
    }

    @Test func badTimestamp() throws {
        var f = Self.valid()
        f.stage("m1", "retired", "yesterday")
        #expect(try problems(f).first?.hasPrefix("stages.csv:3: column changed_at: 'yesterday' is not a date") == true)
    }

    @Test func badNumbers() throws {
        var f = Self.valid()
        f.rows[.observations]!.append(["m1", "auc", "2024-03-02", "NaN"])
        f.rows[.value]!.append(["m1", "2024-04-30", "12", "-3"])
        #expect(try problems(f) == [
            "value.csv:3: column cost: cost -3 is negative (a cost cannot be; record a loss as negative value)",
            "observations.csv:3: column value: 'NaN' is not a finite number",
        ])
    }

    @Test func badEnumValues() throws {
        var f = Self.valid()
        f.rows[.people]!.append(["eve", "Eve", "e@x", "ceo", "T", "yes"])
        f.rows[.models]![0][5] = "neural"
        #expect(try problems(f) == [
            "people.csv:6: column role: 'ceo' is not one of executive, risk_officer, validator, ai_lead, engineer, service",
            "people.csv:6: column active: 'yes' is not true or false",
            "models.csv:2: column kind: 'neural' is not one of classification, regression, forecasting, recommender, genai, other",
        ])
    }

    @Test func duplicateIds() throws {
        var f = Self.valid()
        f.model("m1")
        f.task("t1", "m1", created: "2024-03-01", due: "2024-03-10")
        f.observation("m1", "auc", "2024-03-01T00:00:00Z", 0.9)   // the same instant as line 2
        #expect(try problems(f) == [
            "models.csv:3: column id: duplicate model id 'm1'",
            "observations.csv:3: column observed_at: duplicate observation: m1 auc at 2024-03-01 is already given",
            "tasks.csv:3: column id: duplicate task id 't1'",
        ])
    }

    @Test func unknownReferences() throws {
        var f = Self.valid()
        f.stage("ghost", "production", "2024-01-01")
        f.rows[.models]![0][7] = "nobody"
        f.edge("ds-missing", "m1")
        #expect(try problems(f) == [
            "models.csv:2: column business_owner: unknown person 'nobody'",
            "stages.csv:3: column model_id: unknown model 'ghost'",
            "lineage.csv:3: column upstream: unknown model or asset 'ds-missing'",
        ])
    }

    @Test func emptyRequiredFieldButEmptyOptionalIsFine() throws {
        var f = Self.valid()
        f.rows[.models]![0][1] = ""     // name: required
        f.rows[.models]![0][9] = ""     // validator: optional
        #expect(try problems(f) == ["models.csv:2: column name: is empty but required"])
    }

    @Test func quotedFieldsWithCommasAndNewlinesCountLines() throws {
        let p = try problems(Self.valid()) { dir in
            let url = dir.appendingPathComponent("tasks.csv")
            var text = try String(contentsOf: url, encoding: .utf8)
            text += "t2,m1,\"Two\nline, title\",bob,alice,p9,2024-03-01,2024-03-02,open,\n"
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        #expect(p == ["tasks.csv:3: column priority: 'p9' is not one of p1, p2, p3"])
    }

    @Test func unclosedQuote() throws {
        let p = try problems(Self.valid()) { dir in
            let url = dir.appendingPathComponent("assets.csv")
            try (String(contentsOf: url, encoding: .utf8) + "ds2,dataset,\"Open quote,alice,\n").write(to: url, atomically: true, encoding: .utf8)
        }
        #expect(p == ["assets.csv:3: a quoted field is never closed"])
    }

    @Test func manifestMustNameTheFormat() throws {
        var f = Self.valid()
        f.rows[.manifest]![0][1] = "binnacle-bundle/9"
        #expect(try problems(f) == ["manifest.csv:2: column value: format 'binnacle-bundle/9' is not binnacle-bundle/1"])
    }

    @Test func errorsStopAtFiftyThenCount() throws {
        var f = Self.valid()
        for i in 0..<60 { f.value("m1", "2024-13-\(i)", 1) }
        let dir = try TempDir()
        try f.write(to: dir.url)
        var sink = CollectingSink()
        do {
            _ = try BundleReader(directory: dir.url.path).read(into: &sink)
            Issue.record("no error")
        } catch let e as BundleErrors {
            #expect(e.problems.count == 50 && e.total == 60)
            #expect(e.description.contains("… and 10 more problems"))
            #expect(e.description.hasSuffix("nothing was written"))
        }
    }
}
