import BinnacleBundle
import BinnacleCore
import BinnacleStore
import Foundation
import Testing

@Suite struct IngestTests {
    func setUp() throws -> (TempDir, Inventory) {
        let dir = try TempDir()
        var f = Fixture()
        f.model("m1", created: "2025-01-01")
        f.stage("m1", "production", "2025-02-01")
        f.monitor("m1", "psi", "above", warn: 0.1, critical: 0.25)
        f.rows[.people]!.append(["cron", "Nightly ingest", "ops@example.com", "service", "Ops", "true"])
        let inventory = try Inventory(path: dir.path("db.sqlite"), mode: .create)
        try f.write(to: dir.url.appendingPathComponent("b"))
        _ = try inventory.importer.importBundle(directory: dir.path("b"), replace: false, actor: "t")
        return (dir, inventory)
    }

    func file(_ dir: TempDir, _ name: String, _ text: String) throws -> String {
        try Data(text.utf8).write(to: URL(fileURLWithPath: dir.path(name)))
        return dir.path(name)
    }

    func count(_ inventory: Inventory, _ table: String) throws -> Int {
        try inventory.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM \(table)")! }
    }

    @Test func badRowsRefuseTheWholeFileWithTheirLines() throws {
        let (dir, inventory) = try setUp()
        let path = try file(dir, "obs.csv", """
            model_id,metric,observed_at,value,extra
            m1,psi,2025-06-01T10:00:00Z,0.05,ignored
            ghost,psi,2025-06-01T10:00:00Z,0.05,
            m1,psi,last tuesday,0.05,
            m1,psi,2025-06-02T10:00:00Z,NaN,
            m1,psi,2025-06-03T10:00:00Z,inf,
            m1,,2025-06-04T10:00:00Z,1,

            """)
        #expect { _ = try inventory.importer.ingestObservations(path: path, name: "obs.csv", format: .csv, skipInvalid: false, replace: false, actor: "cron") }
            throws: { error in
                let text = String(describing: error)
                return text.contains("obs.csv:3: model_id: unknown model 'ghost'") && text.contains("obs.csv:4: observed_at: 'last tuesday'")
                    && text.contains("obs.csv:5: value: 'NaN' is not a finite number") && text.contains("obs.csv:6: value: 'inf'")
                    && text.contains("obs.csv:7: metric: missing") && text.hasSuffix("nothing was written")
            }
        #expect(try count(inventory, "observations") == 0 && count(inventory, "audit_log") == 1)

        let s = try inventory.importer.ingestObservations(path: path, name: "obs.csv", format: .csv, skipInvalid: true, replace: false, actor: "cron")
        #expect(s.rows == 6 && s.inserted == 1 && s.rejected.count == 5)
        #expect(try count(inventory, "observations") == 1)
        #expect(s.auditEntry?.detail.contains(try sha256(path)) == true && s.auditEntry?.action == "ingest.observations")
    }

    @Test func ingestingTwiceStoresOnceAndAChangedValueNeedsReplace() throws {
        let (dir, inventory) = try setUp()
        let first = try file(dir, "a.jsonl", """
            {"model_id": "m1", "metric": "psi", "observed_at": "2025-06-01T10:00:00Z", "value": 0.05}
            {"model_id": "m1", "metric": "psi", "observed_at": "2025-06-02T10:00:00Z", "value": 0.30}
            """)
        _ = try inventory.importer.ingestObservations(path: first, name: "a.jsonl", format: .jsonl, skipInvalid: false, replace: false, actor: "cron")
        let again = try inventory.importer.ingestObservations(path: first, name: "a.jsonl", format: .jsonl, skipInvalid: false, replace: false, actor: "cron")
        #expect(again.inserted == 0 && again.unchanged == 2)
        #expect(try count(inventory, "observations") == 2)
        let changed = try file(dir, "b.csv", "model_id,metric,observed_at,value\nm1,psi,2025-06-02T10:00:00.000Z,0.31\n")
        #expect { _ = try inventory.importer.ingestObservations(path: changed, name: "b.csv", format: .csv, skipInvalid: false, replace: false, actor: "cron") }
            throws: { String(describing: $0).contains("is already 0.3, not 0.31 (--replace to overwrite)") }
        let replaced = try inventory.importer.ingestObservations(path: changed, name: "b.csv", format: .csv, skipInvalid: false, replace: true, actor: "cron")
        #expect(replaced.replaced == 1)
        // The newest value is critical now, and the alerts (and `check`) see it.
        let alerts = try inventory.alerts(asOf: day("2025-06-05"))
        #expect(alerts.map(\.severity) == [.critical] && alerts[0].value == 0.31)
    }

    @Test func valueRecordsAreValidatedAndNotDoubled() throws {
        let (dir, inventory) = try setUp()
        let path = try file(dir, "v.csv", "model_id,date,value,cost,note\nm1,2025-05-31,1000,200,May\nm1,2025-06-30,-50,-1,\n")
        #expect { _ = try inventory.importer.ingestValue(path: path, name: "v.csv", format: .csv, skipInvalid: false, actor: "cron") } throws: {
            String(describing: $0).contains("v.csv:3: cost: -1 is negative")
        }
        let ok = try file(dir, "v2.csv", "model_id,date,value,cost,note\nm1,2025-05-31,1000,200,May\n")
        _ = try inventory.importer.ingestValue(path: ok, name: "v2.csv", format: .csv, skipInvalid: false, actor: "cron")
        let again = try inventory.importer.ingestValue(path: ok, name: "v2.csv", format: .csv, skipInvalid: false, actor: "cron")
        #expect(try again.unchanged == 1 && count(inventory, "value_records") == 1)
        #expect(try inventory.report(asOf: day("2025-06-30")).kpis.impactShare == 1)
    }

    @Test func standardInputThroughTheBinary() throws {
        let (dir, _) = try setUp()
        let p = Process()
        p.executableURL = binnacleBinary
        p.arguments = ["ingest", "observations", "-", "--db", dir.path("db.sqlite"), "--as", "cron"]
        let input = Pipe(), output = Pipe()
        p.standardInput = input
        p.standardOutput = output
        try p.run()
        input.fileHandleForWriting.write(Data("model_id,metric,observed_at,value\nm1,psi,2025-06-01T10:00:00Z,0.5\n".utf8))
        try input.fileHandleForWriting.close()
        let out = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0 && out.hasPrefix("stdin: 1 rows: 1 added"))
        let check = try binnacle(["check", "--db", dir.path("db.sqlite"), "--as-of", "2025-06-05", "--min-impact-share", "0"])
        #expect(check.status == 1 && check.out.contains("critical alert on m1: psi = 0.5"))
    }
}

@Suite struct IngestSamplesTests {
    @Test func samplesBecomeDriftObservationsAMonitorAndAnAlert() throws {
        let dir = try TempDir()
        var f = Fixture()
        f.model("m1", created: "2025-01-01")
        f.stage("m1", "production", "2025-02-01")
        try f.write(to: dir.url.appendingPathComponent("b"))
        let db = dir.path("s.sqlite")
        #expect(try binnacle(["import", "bundle", dir.path("b"), "--db", db]).status == 0)
        try ("income\n" + (0..<400).map { String(Double($0) / 4) }.joined(separator: "\n") + "\n").write(toFile: dir.path("ref.csv"), atomically: true, encoding: .utf8)
        try ("income\n" + (0..<300).map { String(Double($0) / 4 + 40) }.joined(separator: "\n") + "\n").write(toFile: dir.path("cur.csv"), atomically: true, encoding: .utf8)

        let drift = try binnacle(["drift", "--reference", dir.path("ref.csv"), "--current", dir.path("cur.csv"), "--format", "json"])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(drift.out.utf8)) as? [String: Any])
        for key in ["psi", "jensenshannon", "wasserstein_norm", "ks_statistic", "ks_pvalue", "bins", "drift"] { #expect(json[key] != nil, "\(key)") }

        let r = try binnacle(["ingest", "samples", "m1", "income", "--reference", dir.path("ref.csv"), "--current", dir.path("cur.csv"),
                              "--at", "2025-06-01T06:00:00Z", "--db", db, "--as", "alice"])
        #expect(r.status == 0 && r.out.contains("added monitor psi:income"))
        let inventory = try Inventory(path: db, mode: .read, readOnly: true)
        let detail = try inventory.modelDetail(id: "m1", asOf: day("2025-06-02"))
        #expect(detail.drift.map(\.feature) == ["income"] && detail.drift[0].psi == json["psi"] as? Double)
        #expect(detail.drift[0].ksPValue == json["ks_pvalue"] as? Double)
        #expect(detail.alerts.contains { $0.severity == .critical && $0.metric == "psi:income" })
        // Twice at the same instant is refused, writing nothing.
        let again = try binnacle(["ingest", "samples", "m1", "income", "--reference", dir.path("ref.csv"), "--current", dir.path("cur.csv"),
                                  "--at", "2025-06-01T06:00:00Z", "--db", db, "--as", "alice"])
        #expect(again.status == 1 && again.err.contains("already has psi:income at 2025-06-01T06:00:00Z"))
        #expect(try binnacle(["audit", "verify", "--db", db]).out.hasPrefix("intact: 2 entries"))
        let screen = try binnacle(["snapshot", "--db", db, "--screen", "model", "--model", "m1", "--tab", "monitoring", "--as-of", "2025-06-02"])
        #expect(screen.out.contains("DRIFT BY FEATURE") && screen.out.contains("income"))
    }
}
