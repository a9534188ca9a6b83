import BinnacleCore
@testable import BinnacleStore
import Foundation
import Testing

/// What an inventory records is read as of the report's date: a report, check or evidence pack for a
/// past date is not labelled with facts recorded after it.
@Suite struct CoverageAsOfTests {
    /// Value from 2025-01-01; a monitor on a model created 2025-01-10; a document submitted 2025-01-05;
    /// the first stage before production dated 2024-09-01, its production 2025-01-15.
    static func fixture() -> Fixture {
        var f = Fixture()
        f.model("m1", created: "2024-06-01")
        f.stage("m1", "validation", "2024-09-01")
        f.stage("m1", "production", "2025-01-15")
        f.model("m2", created: "2025-01-10")
        f.monitor("m2", "auc", "below", warn: 0.7, critical: 0.6)
        f.document("m1", "model_card", approved: "2025-01-20")
        f.rows[.documents]![0][3] = "2025-01-05"
        f.value("m1", "2025-01-01", 100, cost: 10)
        f.value("m1", "2025-03-01", 100, cost: 10)
        return f
    }

    @Test func coverageIsAsOfTheReportsDate() throws {
        let inventory = try Self.fixture().inventory()
        let before = try inventory.report(asOf: day("2024-12-31"))
        #expect(before.coverage == Coverage(value: false, monitors: false, documents: false, development: false))
        #expect(before.json().contains("\"not_recorded\"") && before.text().contains("no value or cost is recorded"))
        #expect(try inventory.health(asOf: day("2024-12-31")).coverage == before.coverage)
        let after = try inventory.report(asOf: day("2025-01-31"))
        #expect(after.coverage == .full)
        #expect(!after.json().contains("not_recorded") && !after.text().contains("Not recorded"))
        #expect(try inventory.health(asOf: day("2025-01-31")).coverage == .full)
        // Each fact counts from its own date: a document once submitted, a monitor once its model exists.
        #expect(try inventory.report(asOf: day("2025-01-05"), trend: false).coverage
                == Coverage(value: true, monitors: false, documents: true, development: false))
        #expect(try inventory.report(asOf: day("2025-01-14"), trend: false).coverage
                == Coverage(value: true, monitors: true, documents: true, development: false))
    }

    /// A pack as of a date before the first value record: its cut bundle has no value, and it verifies.
    @Test func anEvidencePackBeforeTheFirstValueRecordVerifies() throws {
        let inventory = try Self.fixture().inventory()
        let dir = try TempDir()
        _ = try inventory.writeEvidencePack(asOf: day("2024-12-31"), to: dir.path("pack"), version: "t")
        #expect(try EvidencePack.verify(dir.path("pack"), live: inventory).problems == [])
        let report = try String(contentsOfFile: dir.path("pack/report.json"), encoding: .utf8)
        #expect(report.contains("no value or cost is recorded"))
    }
}
