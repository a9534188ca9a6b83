import BinnacleCore
import Foundation
import Testing

/// `binnacle kpi`: the drill-down's rows and footer on the command line, equal to the report.
@Suite struct KPICommandTests {
    @Test func theRowsAndFooterInEachFormatAddUpToTheReport() throws {
        let dir = try TempDir()
        let db = dir.path("k.sqlite")
        #expect(try binnacle(["import", "bundle", packageRoot.appendingPathComponent("sample-data").path, "--db", db]).status == 0)
        let asOf = "2026-10-31"
        let report = try binnacle(["report", "--db", db, "--as-of", asOf, "--format", "json"])
        let kpis = try #require(try JSONSerialization.jsonObject(with: Data(report.out.utf8)) as? [String: Any])
        let reported = try #require(kpis["kpis"] as? [String: Any])

        for kpi in ["impact_share", "roi_12m", "alerts_warning", "median_days_to_production"] {
            let json = try binnacle(["kpi", kpi, "--db", db, "--as-of", asOf, "--format", "json"])
            #expect(json.status == 0, "\(json.err)")
            let drill = try #require(try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any])
            let value = drill["value"] as? Double, expected = reported[kpi] as? Double
            #expect(value != nil && expected != nil && abs(value! - expected!) < 1e-9, "\(kpi): \(String(describing: value)) vs \(String(describing: expected))")
            let rows = try #require(drill["rows"] as? [[String: Any]])
            #expect(rows.allSatisfy { $0["model_id"] is String })
            let csv = try binnacle(["kpi", kpi, "--db", db, "--as-of", asOf, "--format", "csv"])
            let lines = csv.out.split(separator: "\n")
            #expect(lines.count == rows.count + 2 && lines.first?.hasPrefix("model_id,model,domain") == true
                    && lines.last?.hasPrefix(",total: ") == true, "\(kpi)")
        }
        let text = try binnacle(["kpi", "impact_share", "--db", db, "--as-of", asOf])
        let production = try #require(reported["production_models"] as? Int), withImpact = try #require(reported["production_with_impact"] as? Int)
        #expect(text.out.contains("= with impact \(withImpact) / production \(production) = "), "\(text.out)")
    }

    @Test func aWrongKPIOrDomainIsSaid() throws {
        let dir = try TempDir()
        let db = dir.path("k.sqlite")
        #expect(try binnacle(["import", "bundle", packageRoot.appendingPathComponent("sample-data").path, "--db", db]).status == 0)
        let wrong = try binnacle(["kpi", "happiness", "--db", db])
        #expect(wrong.status != 0 && wrong.err.contains("happiness") && wrong.err.contains("impact_share"), "\(wrong.err)")
        let domain = try binnacle(["kpi", "shelved_share", "--db", db, "--domain", "Nowhere"])
        #expect(domain.status == 1 && domain.err.contains("no domain 'Nowhere'"))
    }
}
