import BinnacleBundle
import BinnacleCore
import BinnacleStore
@testable import BinnacleApp
@testable import BinnacleCLI
import TerminalUI
import Foundation
import Testing

@Suite struct UseCaseImportTests {
    static let file = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/data/us-federal-ai-inventory-2025/use_cases.csv").path
    static let reported = Day("2025-12-31")!

    @Test(arguments: [
        ("2024-10-01 00:00:00", "2024-10-01"), ("2024-10-01", "2024-10-01"), ("01/2024", "2024-01-01"), ("Jul-25", "2025-07-01"),
        ("2025", "2025-01-01"), ("10/1/2023", "2023-10-01"), ("1/30/2026", "2026-01-30"), ("9/1/2019 0:00", "2019-09-01"),
        ("09/24/2024 12:00:00 AM", "2024-09-24"), ("01/01/2018 00:00:00", "2018-01-01"),
    ])
    func everyDateFormatInTheInventoryParses(text: String, expected: String) {
        #expect(UseCaseLayout.parseDate(text)?.description == expected)
    }

    @Test(arguments: ["soon", "13/2024", "Foo-25", "2/30/2024", "99"])
    func nonsenseIsNotADate(text: String) {
        #expect(UseCaseLayout.parseDate(text) == nil)
    }

    @Test func theFederalInventoryIsAllAccountedForAndMatchesTheFileByAgency() throws {
        let dir = try TempDir()
        let inventory = try Inventory(path: dir.path("fed.sqlite"), mode: .create)
        let s = try inventory.importer.importUseCases(path: Self.file, layout: .omb2025, reported: Self.reported, strict: false, actor: "t")
        #expect(s.rows == 3611)
        #expect(s.imported + s.rejected.count + s.alreadyPresent == s.rows)
        #expect(s.badDates.isEmpty)
        #expect(s.collisions.count == s.flags["same agency and name as another row: id numbered"])

        // Stage counts by agency, straight from the CSV, against the inventory's stage at the report date.
        let reader = try CSVReader(path: Self.file, name: "use_cases.csv")
        let header = try #require(try reader.next()).fields
        let agency = header.firstIndex(of: "agency_name")!, stage = header.firstIndex(of: "development_stage")!
        let purpose = header.firstIndex(of: "problem_solved")!, outputs = header.firstIndex(of: "system_outputs")!
        let data = header.firstIndex(of: "data_description")!
        let mapping = ["Pre-deployment": "development", "Pilot": "validation", "Deployed": "production", "Retired": "retired", "": "idea"]
        var expected: [String: Int] = [:], cards = 0, sheets = 0
        func given(_ row: (line: Int, fields: [String]), _ i: Int) -> Bool { !row.fields[i].trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
        while let row = try reader.next() {
            expected["\(row.fields[agency])/\(mapping[row.fields[stage]]!)", default: 0] += 1
            // Rows the import rejects (no agency; no name and no id) carry no documents.
            guard given(row, header.firstIndex(of: "agency")!), given(row, header.firstIndex(of: "use_case_name")!) || given(row, header.firstIndex(of: "id")!) else { continue }
            if given(row, purpose) && given(row, outputs) { cards += 1 }
            if given(row, data) { sheets += 1 }
        }
        var actual: [String: Int] = [:]
        for m in try inventory.modelSummaries(asOf: Self.reported) { actual["\(m.domain)/\(m.stage)", default: 0] += 1 }
        #expect(actual == expected)
        #expect(Set(actual.keys.map { $0.split(separator: "/")[0] }).count == 41)

        #expect(actual.keys.contains("Department of Energy/production"))

        // High-impact practices become documents, as far as they honestly go; a published purpose and
        // outputs are a model card, a description of the data a data sheet.
        func approved(_ kind: String) throws -> Int? {
            try inventory.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM documents WHERE approved_at IS NOT NULL AND kind = ?", arguments: [kind]) }
        }
        #expect(try approved("risk_assessment") == 69)
        #expect(try approved("model_card") == cards && cards > 2000)
        #expect(try approved("data_sheet") == sheets && sheets > 1000)
        // No value was recorded: the report says so instead of showing zeros.
        let report = try inventory.report(asOf: Self.reported)
        #expect(!report.kpis.valueRecorded90d && report.text().contains("no value recorded"))
        // Nor monitors, nor any stage before deployment: the alert counts and days to production are
        // said to be unmeasured, beside the numbers the definitions give (every deployed use case an
        // unmonitored warning; 0 days).
        #expect(report.coverage == Coverage(value: false, monitors: false, documents: true, development: false))
        #expect(report.kpis.alertsWarning == report.kpis.productionModels && report.kpis.medianDaysToProduction == 0)
        #expect(report.text().contains("Not recorded in this inventory:\n  impact_share, built_to_value_share, value_12m, cost_12m, roi_12m: no value"))
        #expect(report.text().contains("  median_days_to_production: no stage before production is recorded"))
        #expect(!report.text().contains("No value or cost has been recorded for the last 12 months"))   // said once, above
        // 0 critical alerts with no monitor meets no target: no data, not met.
        let alerts = try #require(report.text().split(separator: "\n").first { $0.hasPrefix("Alerts ") })
        #expect(alerts.contains("(not recorded)") && alerts.contains("— no data") && !alerts.contains("met"))
        #expect(report.json().contains("\"not_recorded\": [") && report.markdown().contains("alerts_critical, alerts_warning"))
        // A portfolio that records everything says nothing of it.
        let full = try DashboardFixture.inventory.report(asOf: DashboardFixture.asOf)
        #expect(full.coverage == .full && !full.json().contains("not_recorded") && !full.text().contains("Not recorded"))
    }

    func write(_ lines: [String], _ dir: TempDir) throws -> String {
        let header = "agency,agency_name,id,use_case_name,development_stage,is_high_impact,operational_date,classification,has_pii,topic_area,problem_solved,vendor_name,hi_independent_review,hi_ongoing_monitoring,hi_assessment_completed,system_outputs,data_description,link_to_data"
        let path = dir.path("cases.csv")
        try Data(("\u{FEFF}" + ([header] + lines).joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func messyRowsAreMappedFlaggedOrRejectedWithTheirLines() throws {
        let dir = try TempDir()
        let path = try write([
            "ABC,Agency B C,ABC-1,Claims triage,Deployed,HIGH-IMPACT,10/1/2023,Generative AI,Yes,Benefits Processing,Sorts claims,Acme,CAIO Review,In-progress,Yes,A queue,Claims history,https://catalog.data.gov/x",
            "ABC,Agency B C,,Claims triage,Pilot,\"Presumed High-Impact, but Not High-impact\",Jul-25,Classical ML,No,,,,,,",
            "ABC,Agency B C,ABC-3,Fraud scoring,Pre-deployment,,soon,NLP,,,,,,,",
            "ABC,Agency B C,,,Retired,Not High-impact,2020,,,,,,,,",
            "XYZ,Agency X,XYZ-9,Chat helper,,Not High-impact,,Agentic AI,,,,,,,",
        ], dir)
        let inventory = try Inventory(path: dir.path("db.sqlite"), mode: .create)
        let s = try inventory.importer.importUseCases(path: path, layout: .omb2025, reported: Self.reported, strict: false, actor: "t")
        #expect(s.rows == 5 && s.imported == 4 && s.rejected.map(\.line) == [5])
        #expect(s.badDates.map(\.line) == [4] && s.badDates[0].text == "soon")
        #expect(s.collisions.map(\.line) == [3])
        let models = Dictionary(uniqueKeysWithValues: try inventory.modelSummaries(asOf: Self.reported).map { ($0.id, $0) })
        let first = try #require(models["abc-claims-triage"])
        #expect(first.stage == .production && first.riskTier == .high && first.kind == .genai && first.tags == ["pii", "topic-benefits-processing"])
        // "Presumed high-impact, but determined not": the agency determined it is not high impact.
        #expect(models["abc-claims-triage-2"]?.riskTier == .low && models["abc-claims-triage-2"]?.stage == .validation)
        #expect(first.domain == "Agency B C")
        #expect(models["abc-fraud-scoring"]?.riskTier == .medium && models["abc-fraud-scoring"]?.stage == .development)
        #expect(models["xyz-chat-helper"]?.stage == .idea && models["xyz-chat-helper"]?.kind == .genai)
        let detail = try inventory.modelDetail(id: "abc-claims-triage", asOf: Self.reported)
        #expect(detail.stageHistory.first?.changedAt.day == Day("2023-10-01"))
        #expect(detail.documents.map { "\($0.document.kind.rawValue):\($0.state.rawValue)" }.sorted()
                == ["data_sheet:current", "model_card:current", "monitoring_plan:draft", "risk_assessment:current", "validation_report:current"])
        #expect(detail.documents.first { $0.document.kind == .dataSheet }?.document.uri == "https://catalog.data.gov/x")
        #expect(detail.model.vendor == "Acme")
    }

    @Test func strictRefusesTheWholeFileAndWritesNothing() throws {
        let dir = try TempDir()
        let path = try write(["ABC,Agency,ABC-1,Claims,Deployed,High-impact,someday,,,,,,,,"], dir)
        let inventory = try Inventory(path: dir.path("db.sqlite"), mode: .create)
        #expect { _ = try inventory.importer.importUseCases(path: path, layout: .omb2025, reported: Self.reported, strict: true, actor: "t") } throws: {
            String(describing: $0).contains("cases.csv:2: column operational_date: 'someday' is not a date")
        }
        #expect(try inventory.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM models") } == 0)
        #expect(try inventory.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM audit_log") } == 0)
    }

    @Test func aFileOfAnotherLayoutIsRefused() throws {
        let dir = try TempDir()
        let path = dir.path("other.csv")
        try Data("name,stage\nx,y\n".utf8).write(to: URL(fileURLWithPath: path))
        let inventory = try Inventory(path: dir.path("db.sqlite"), mode: .create)
        #expect { _ = try inventory.importer.importUseCases(path: path, layout: .omb2025, reported: Self.reported, strict: false, actor: "t") } throws: {
            String(describing: $0).contains("other.csv:1: column id: missing from the header (is this a omb-2025 file?)")
        }
    }
}

@Suite struct CoverageOnScreenTests {
    /// An inventory with no monitors and no stage before production: the Overview says which of its
    /// numbers measure nothing, under them.
    @Test func theOverviewSaysWhatTheInventoryNeverRecords() throws {
        var f = Fixture()
        f.model("m1", created: "2024-01-01")
        f.stage("m1", "production", "2025-03-15")
        f.value("m1", "2025-06-01", 10)
        f.document("m1", "model_card", approved: "2025-03-01")
        let d = Dashboard(source: try StoreSource(try f.inventory(), login: "nobody"), asOf: Day("2025-06-30")!, today: Day("2025-06-30")!,
                          theme: .monochrome, symbols: .unicode)
        d.show(screen: .overview)
        let text = d.render(width: 160, height: 40).text
        #expect(text.contains("Not recorded in this inventory:"))
        #expect(text.contains("alerts_critical, alerts_warning, models_with_critical: no monitors are recorded"))
        #expect(text.contains("median_days_to_production: no stage before production is recorded"))
        #expect(!text.contains("value_12m"))
        let alerts = try #require(text.split(separator: "\n").first { $0.hasPrefix(" Alerts") })
        #expect(alerts.contains("no data") && !alerts.contains("met"))
    }
}
