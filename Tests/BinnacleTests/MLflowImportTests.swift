import BinnacleCore
@testable import BinnacleStore
import Foundation
import GRDB
import Testing

/// Against the real MLflow 3 store in ../shared/data (a copy where a test changes it).
@Suite struct MLflowImportTests {
    static let store = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/data/mlflow/mlflow.db").path

    func copyOfStore(_ dir: TempDir) throws -> String {
        let copy = dir.path("mlflow-copy.db")
        try FileManager.default.copyItem(atPath: Self.store, toPath: copy)
        return copy
    }

    /// What the store says each model's serving run holds, asked of the store directly.
    func expectedObservations(_ store: String) throws -> [String: Int] {
        try DatabaseQueue(path: store, configuration: { var c = Configuration(); c.readonly = true; return c }()).read { db in
            var out: [String: Int] = [:]
            for r in try Row.fetchAll(db, sql: """
                SELECT v.name, COUNT(DISTINCT m.key || '@' || m.timestamp) AS n FROM registered_model_aliases a
                JOIN model_versions v ON v.name = a.name AND v.version = a.version
                JOIN runs r ON r.run_uuid = v.run_id AND r.lifecycle_stage = 'active' AND r.status <> 'FAILED'
                JOIN metrics m ON m.run_uuid = r.run_uuid AND m.is_nan = 0
                WHERE a.alias = 'champion' GROUP BY v.name
                """) { out[r["name"]] = r["n"] }
            return out
        }
    }

    @Test func importsTheRegistryAsTheStoreHoldsItAndNeverWritesIt() throws {
        let before = try sha256(Self.store)
        let dir = try TempDir()
        let inventory = try Inventory(path: dir.path("inv.sqlite"), mode: .create)
        let summary = try inventory.importer.importMLflow(path: Self.store, domain: nil, owner: nil, actor: "test")
        #expect(try sha256(Self.store) == before)
        #expect(summary.mlflowVersion.hasPrefix("3.x"))
        #expect(try inventory.portfolioInfo().currency == "")  // MLflow records no money: no currency is invented
        // Everyone MLflow names is added inactive: an import grants no one a role.
        #expect(try inventory.allPeople().allSatisfy { !$0.active } && summary.peopleAdded > 0)

        let registered = try DatabaseQueue(path: Self.store, configuration: { var c = Configuration(); c.readonly = true; return c }())
            .read { try String.fetchAll($0, sql: "SELECT name FROM registered_models ORDER BY name") }
        let today = Day.today()
        let models = try inventory.modelSummaries(asOf: today.adding(days: 400))
        #expect(models.map(\.id).sorted() == registered.sorted())
        #expect(Set(models.map(\.domain)) == ["Consumer Lending", "Retail Marketing", "Payments"])
        #expect(models.allSatisfy { $0.stage == .production })   // each has a champion / Production version
        #expect(models.first { $0.id == "credit_risk_pd" }?.riskTier == .high)
        #expect(models.first { $0.id == "churn_propensity" }?.businessOwner == "bob.okafor")

        let expected = try expectedObservations(Self.store)
        let stored = try inventory.read { db in
            Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT model_id, COUNT(*) AS n FROM observations GROUP BY model_id")
                .map { ($0["model_id"] as String, $0["n"] as Int) })
        }
        #expect(stored == expected)
        #expect(summary.observationsAdded == expected.values.reduce(0, +))
        // Drift metrics arrive with their weekly history, not only the latest value.
        let psi = try inventory.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM observations WHERE model_id = 'credit_risk_pd' AND metric = 'psi_f0'") }
        #expect(psi == 8)

        let detail = try inventory.modelDetail(id: "credit_risk_pd", asOf: today.adding(days: 400))
        #expect(detail.upstream.map(\.id) == ["ds-credit-risk-scoring-holdout", "ds-credit-risk-scoring-train"])
        #expect(detail.stageHistory.map(\.stage) == [.development, .production])
        // Every metric with observations is on the model's page: monitored, observed without a monitor, or drift.
        let metrics = try inventory.read { try String.fetchAll($0, sql: "SELECT DISTINCT metric FROM observations WHERE model_id = 'credit_risk_pd'") }
        let shown = Set(detail.monitors.map(\.monitor.metric) + detail.observed.map(\.metric))
        #expect(!detail.observed.isEmpty && Set(metrics.filter { DriftMetric.parse($0) == nil }) == shown)
        #expect(detail.observed.first { $0.metric == "psi_f0" }?.count == 8)
        #expect(try inventory.read(AuditLog.verify) == .intact(entries: 1, head: summary.auditEntry!.hash))
        #expect(summary.auditEntry!.detail.contains(before))
    }

    @Test func reimportingTheSameStoreChangesNothing() throws {
        let dir = try TempDir()
        let inventory = try Inventory(path: dir.path("inv.sqlite"), mode: .create)
        _ = try inventory.importer.importMLflow(path: Self.store, domain: nil, owner: nil, actor: "test")
        let counts = { try inventory.read { db in
            try ["models", "people", "stage_changes", "observations", "assets", "lineage", "audit_log"].map {
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \($0)")!
            }
        } }
        let before = try counts()
        let again = try inventory.importer.importMLflow(path: Self.store, domain: nil, owner: nil, actor: "test")
        #expect(!again.changed && again.auditEntry == nil)
        #expect(try counts() == before)
    }

    @Test func aNewerCopyAddsWhatIsNewAndKeepsEditsMadeInBinnacle() throws {
        let dir = try TempDir()
        let copy = try copyOfStore(dir)
        let inventory = try Inventory(path: dir.path("inv.sqlite"), mode: .create)
        _ = try inventory.importer.importMLflow(path: copy, domain: nil, owner: nil, actor: "test")
        // A Binnacle user retires the fraud model by hand.
        try inventory.write { db in
            try db.execute(sql: "INSERT INTO stage_changes (model_id, stage, changed_at, changed_by, note) VALUES ('fraud_detector', 'retired', '2030-01-01T00:00:00.000Z', NULL, 'by hand')")
        }
        // The registry moves on: a new metric point for the credit model's serving run.
        try DatabaseQueue(path: copy).write { db in
            try db.execute(sql: """
                INSERT INTO metrics (key, value, timestamp, run_uuid, step, is_nan)
                SELECT 'psi_f0', 0.31, MAX(timestamp) + 604800000, run_uuid, 8, 0 FROM metrics
                WHERE run_uuid = (SELECT v.run_id FROM registered_model_aliases a JOIN model_versions v ON v.name = a.name AND v.version = a.version
                                  WHERE a.name = 'credit_risk_pd' AND a.alias = 'champion') AND key = 'psi_f0'
                """)
        }
        let sync = try inventory.importer.importMLflow(path: copy, domain: nil, owner: nil, actor: "test")
        #expect(sync.observationsAdded == 1 && sync.modelsAdded == 0 && sync.stageChangesAdded == 0)
        #expect(sync.auditEntry?.seq == 2)
        #expect(try inventory.modelDetail(id: "fraud_detector", asOf: day("2030-06-01")).stage == .retired)
    }

    @Test func deletedAndFailedServingRunsAreSkippedWithAReason() throws {
        let dir = try TempDir()
        let copy = try copyOfStore(dir)
        try DatabaseQueue(path: copy).write { db in
            let run = { (name: String) in """
                (SELECT v.run_id FROM registered_model_aliases a JOIN model_versions v ON v.name = a.name AND v.version = a.version
                 WHERE a.name = '\(name)' AND a.alias = 'champion')
                """ }
            try db.execute(sql: "UPDATE runs SET lifecycle_stage = 'deleted' WHERE run_uuid = \(run("churn_propensity"))")
            try db.execute(sql: "UPDATE runs SET status = 'FAILED' WHERE run_uuid = \(run("fraud_detector"))")
        }
        let inventory = try Inventory(path: dir.path("inv.sqlite"), mode: .create)
        let summary = try inventory.importer.importMLflow(path: copy, domain: "Risk", owner: nil, actor: "test")
        #expect(summary.skipped["serving run deleted: its metrics and datasets skipped"] == 1)
        #expect(summary.skipped["serving run failed: its metrics and datasets skipped"] == 1)
        let observed = try inventory.read { try String.fetchAll($0, sql: "SELECT DISTINCT model_id FROM observations") }
        #expect(observed == ["credit_risk_pd"])
        #expect(try inventory.modelSummaries(asOf: Day.today().adding(days: 400)).allSatisfy { $0.domain == "Risk" })
    }

    @Test func filesThatAreNotMLflowStoresGetClearErrors() throws {
        let dir = try TempDir()
        let inventory = try Inventory(path: dir.path("inv.sqlite"), mode: .create)
        let other = dir.path("other.db")
        try DatabaseQueue(path: other).write { try $0.execute(sql: "CREATE TABLE things (id INTEGER)") }
        #expect { _ = try inventory.importer.importMLflow(path: other, domain: nil, owner: nil, actor: "t") } throws: {
            String(describing: $0).contains("not an MLflow tracking/registry store (no registered_models table)")
        }
        let truncated = dir.path("truncated.db")
        try Data(try Data(contentsOf: URL(fileURLWithPath: Self.store)).prefix(20_000)).write(to: URL(fileURLWithPath: truncated))
        #expect { _ = try inventory.importer.importMLflow(path: truncated, domain: nil, owner: nil, actor: "t") } throws: {
            let s = String(describing: $0)
            return s.contains("truncated.db") && (s.contains("corrupt or truncated") || s.contains("not an MLflow") || s.contains("cannot read"))
        }
        #expect(try inventory.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM models") } == 0)
        #expect { _ = try inventory.importer.importMLflow(path: dir.path("missing.db"), domain: nil, owner: nil, actor: "t") } throws: {
            String(describing: $0).contains("no such file")
        }
    }
}

@Suite struct MLflow2StoreTests {
    /// An MLflow 2.x store has no logged-model tables: the importer must decide by what exists.
    @Test func aStoreWithoutLoggedModelsImportsAs2x() throws {
        let dir = try TempDir()
        let copy = dir.path("mlflow2.db")
        try FileManager.default.copyItem(atPath: MLflowImportTests.store, toPath: copy)
        try DatabaseQueue(path: copy).writeWithoutTransaction { db in
            for table in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'logged_model%'") {
                try db.execute(sql: "DROP TABLE \(table)")
            }
        }
        let inventory = try Inventory(path: dir.path("inv.sqlite"), mode: .create)
        let summary = try inventory.importer.importMLflow(path: copy, domain: nil, owner: nil, actor: "t")
        #expect(summary.mlflowVersion.hasPrefix("2.x") && summary.modelsAdded == 3)
        #expect(summary.observationsAdded == (try MLflowImportTests().expectedObservations(copy)).values.reduce(0, +))
    }
}
