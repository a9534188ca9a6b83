import BinnacleCore
@testable import BinnacleStore
import Foundation
import GRDB
import Testing

/// `import mlflow` is total: any SQLite file either imports or is refused with a clear message, never
/// a crash; names that differ only by case stay distinct models (issue 11).
@Suite struct MLflowHostileStoreTests {
    /// A minimal MLflow store: columns without declared types, so a test can put any value anywhere.
    func store(_ dir: TempDir, _ name: String = "s.db", names: [String] = ["churn"], change: String = "") throws -> String {
        let path = dir.path(name)
        let q = try DatabaseQueue(path: path)
        try q.write { db in
            try db.execute(sql: """
                CREATE TABLE registered_models (name, description, creation_time);
                CREATE TABLE registered_model_tags (name, key, value);
                CREATE TABLE model_versions (name, version, creation_time, last_updated_time, current_stage, source, run_id, user_id);
                CREATE TABLE runs (run_uuid, experiment_id, status, lifecycle_stage, user_id);
                CREATE TABLE metrics (key, value, timestamp, step, is_nan, run_uuid);
                CREATE TABLE experiments (experiment_id, name);
                INSERT INTO experiments VALUES (1, 'Retail');
                """)
            for (i, n) in names.enumerated() {
                let run = "run\(i)"
                try db.execute(sql: """
                    INSERT INTO registered_models VALUES (?, 'a model', 1735689600000);
                    INSERT INTO registered_model_tags VALUES (?, 'risk_tier', 'low');
                    INSERT INTO model_versions VALUES (?, 1, 1735689600000, 1738368000000, 'Production', '', ?, 'ann@example.com');
                    INSERT INTO runs VALUES (?, 1, 'FINISHED', 'active', 'ann');
                    INSERT INTO metrics VALUES ('auc', 0.8, 1738368000000, 0, 0, ?), ('auc', 0.7, 1738972800000, 1, 0, ?);
                    """, arguments: [n, n, n, run, run, run, run])
            }
            if !change.isEmpty { try db.execute(sql: change) }
        }
        try q.close()
        return path
    }

    @Test func namesDifferingOnlyByCaseStayDistinctAndReimportChangesNothing() throws {
        let dir = try TempDir()
        let path = try store(dir, names: ["M1", "m1"])
        let inventory = try Inventory(path: dir.path("inv.sqlite"), mode: .create)
        let first = try inventory.importer.importMLflow(path: path, domain: nil, owner: nil, actor: "t")
        #expect(first.modelsAdded == 2 && first.numbered.map(\.id) == ["m1-2"])
        let models = try inventory.read { try Row.fetchAll($0, sql: "SELECT id, name FROM models ORDER BY id").map { "\($0["id"] as String)=\($0["name"] as String)" } }
        #expect(models == ["m1=M1", "m1-2=m1"])
        #expect(try inventory.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM observations") } == 4)

        let head = try inventory.read { try String.fetchOne($0, sql: "SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1") }
        let again = try inventory.importer.importMLflow(path: path, domain: nil, owner: nil, actor: "t")
        #expect(again.modelsUpdated == 0 && again.modelsAdded == 0 && !again.changed && again.auditEntry == nil)
        #expect(try inventory.read { try String.fetchOne($0, sql: "SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1") } == head)
        // The same ids the second time, whichever name comes first.
        #expect(again.numbered.map(\.id) == ["m1-2"])
    }

    @Test(arguments: [
        ("UPDATE registered_models SET name = NULL", "table registered_models, row 1: column name: is NULL, text needed"),
        ("UPDATE registered_models SET name = 7", "table registered_models, row 1: column name: 7 is not text"),
        ("UPDATE model_versions SET version = NULL", "table model_versions, row 1: column version: is NULL, an integer needed"),
        ("UPDATE model_versions SET version = 'one'", "table model_versions, row 1: column version: \"one\" is not an integer"),
        ("UPDATE metrics SET value = NULL", "table metrics, row 1: column value: is NULL, a number needed"),
        ("UPDATE metrics SET value = 'high'", "table metrics, row 1: column value: \"high\" is not a number"),
        ("UPDATE metrics SET is_nan = NULL", "table metrics, row 1: column is_nan: is NULL, 0 or 1 needed"),
        ("UPDATE metrics SET is_nan = 'no'", "table metrics, row 1: column is_nan: \"no\" is not 0 or 1"),
        ("UPDATE runs SET run_uuid = NULL", "table runs, row 1: column run_uuid: is NULL, text needed"),
        ("UPDATE registered_models SET creation_time = -9223372036854775808",
         "table registered_models, row 1: column creation_time: -9223372036854775808 ms is outside the years 0001–9999"),
        ("UPDATE model_versions SET last_updated_time = 9223372036854775807",
         "table model_versions, row 1: column last_updated_time: 9223372036854775807 ms is outside the years 0001–9999"),
        ("UPDATE metrics SET timestamp = -9223372036854775808", "table metrics, row 1: column timestamp: -9223372036854775808 ms is outside"),
        ("DROP TABLE registered_model_tags", "no such table: registered_model_tags"),
    ])
    func aHostileStoreIsRefusedWithItsTableRowAndColumn(_ change: String, _ message: String) throws {
        let dir = try TempDir()
        let path = try store(dir, change: change)
        let inventory = try Inventory(path: dir.path("inv.sqlite"), mode: .create)
        #expect { _ = try inventory.importer.importMLflow(path: path, domain: nil, owner: nil, actor: "t") } throws: {
            String(describing: $0).contains(message)
        }
        #expect(try inventory.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM models") } == 0)
    }

    @Test func theBinaryRefusesAHostileStoreWithExitOne() throws {
        let dir = try TempDir()
        let path = try store(dir, change: "UPDATE metrics SET value = NULL")
        let r = try binnacle(["import", "mlflow", path, "--db", dir.path("inv.sqlite")])
        #expect(r.status == 1 && r.err.contains("table metrics, row 1: column value: is NULL"))
    }
}
