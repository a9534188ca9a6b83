import BinnacleCore
import BinnacleStore
import Foundation
import GRDB
import Testing

/// The permission matrix, the stage gate, and many writers at once.
@Suite struct GovernanceTests {
    /// One person per role, plus an inactive one; m1 is developed by bob (an engineer) and is tier 1.
    static func fixture() -> Fixture {
        var f = Fixture()
        f.rows[.people]! += [
            ["erin", "Erin Exec", "erin@example.com", "executive", "Board", "true"],
            ["rita", "Rita Risk", "rita@example.com", "risk_officer", "Risk", "true"],
            ["eve", "Eve Engineer", "eve@example.com", "engineer", "AI", "true"],
        ]
        f.model("m1", tier: 1, created: "2024-01-01", developer: "bob", validator: "carol")
        f.stage("m1", "validation", "2024-03-01")
        f.document("m1", "model_card", version: "1", approved: nil)
        f.rows[.documents]![0][3] = "2024-02-01"  // submitted, awaiting approval
        f.task("t-bob", "m1", created: "2024-03-01", due: "2024-04-01")              // assigned to bob
        f.task("t-done", "m1", created: "2024-03-01", due: "2024-04-01", closed: "2024-03-10", status: "resolved")
        f.rows[.tasks]![1][3] = "eve"
        return f
    }

    static let logins = ["erin", "eve", "bob", "alice", "carol", "rita", "dave", "nobody"]

    /// Each action by each login: allowed exactly where the table says, and a refusal writes nothing.
    @Test(arguments: logins)
    func permissionMatrix(login: String) throws {
        let expected: [String: Set<String>] = [
            "assign": ["alice", "rita"],
            "progress own": ["bob", "alice", "rita"],     // t-bob is bob's: engineers move only their own
            "progress other's": ["alice", "rita"],
            "review": ["carol", "rita"],
            "approve": ["carol", "rita"],                 // bob developed m1: he may not approve even if he could
            "submit": ["eve", "bob", "alice", "carol", "rita"],
            "stage": ["alice", "rita"],
            "monitor": ["alice", "rita"],
        ]
        let actions: [(String, (Inventory) throws -> Void)] = [
            ("assign", { try $0.assignTask(modelId: "m1", to: "eve", due: day("2024-05-01"), priority: .p1, title: "t", note: nil, by: login) }),
            ("progress own", { _ = try $0.setTaskStatus("t-bob", to: .inProgress, note: nil, by: login) }),
            ("progress other's", { _ = try $0.setTaskStatus("t-bob", to: .inProgress, note: nil, by: login == "bob" ? "eve" : login) }),
            ("review", { _ = try $0.setTaskStatus("t-done", to: .verified, note: nil, by: login) }),
            ("approve", { _ = try $0.approveDocument(modelId: "m1", kind: .modelCard, version: nil, expires: nil, by: login) }),
            ("submit", { try $0.addDocument(modelId: "m1", kind: .dataSheet, version: "1", uri: nil, by: login) }),
            ("stage", { try $0.setStage(modelId: "m1", to: .retired, note: nil, override: nil, by: login) }),
            ("monitor", { try $0.setMonitor(modelId: "m1", metric: "auc", direction: .below, warn: 0.7, critical: 0.6, by: login) }),
        ]
        for (name, act) in actions {
            let inventory = try Self.fixture().inventory()
            let before = try snapshot(inventory)
            let actor = name == "progress other's" && login == "bob" ? "eve" : login
            do {
                try act(inventory)
                #expect(expected[name]!.contains(actor), "\(actor) was allowed to \(name)")
                #expect(try snapshot(inventory) != before)
                #expect(try inventory.read(AuditLog.verify) == .intact(entries: 2, head: try lastHash(inventory)))
            } catch let refusal as Refusal {
                #expect(!expected[name]!.contains(actor), "\(actor) was refused \(name): \(refusal)")
                #expect(try snapshot(inventory) == before, "a refusal wrote something")
                #expect(refusal.message.contains("you are \(actor)") || refusal.message.contains("developed"))
            }
        }
    }

    /// Every row of every table an action can touch.
    func snapshot(_ inventory: Inventory) throws -> [String] {
        try inventory.read { db in
            try ["tasks", "documents", "stage_changes", "monitors", "audit_log"].map { table in
                try Row.fetchAll(db, sql: "SELECT * FROM \(table)").map(\.description).joined(separator: "\n")
            }
        }
    }

    func lastHash(_ inventory: Inventory) throws -> String {
        try inventory.read { try String.fetchOne($0, sql: "SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1")! }
    }

    @Test func theStageGateNeedsAnIndependentCurrentValidationReport() throws {
        let inventory = try Self.fixture().inventory()
        #expect { try inventory.setStage(modelId: "m1", to: .production, note: nil, override: nil, by: "alice") } throws: {
            String(describing: $0).contains("no current validation report")
        }
        // A report approved by the developer does not count.
        try inventory.write { db in
            try db.execute(sql: "INSERT INTO documents (model_id, kind, version, approved_at, approved_by) VALUES ('m1', 'validation_report', '1', '2024-03-01T00:00:00.000Z', 'bob')")
        }
        #expect { try inventory.setStage(modelId: "m1", to: .production, note: nil, override: nil, by: "alice") } throws: {
            String(describing: $0).contains("approved by its developer bob")
        }
        // Only a risk officer may override, and it is audited as an override.
        #expect { try inventory.setStage(modelId: "m1", to: .production, note: nil, override: "board decision", by: "alice") } throws: {
            String(describing: $0).contains("override the production stage gate needs risk_officer")
        }
        try inventory.setStage(modelId: "m1", to: .production, note: nil, override: "board decision 2024-12", by: "rita")
        let last = try inventory.auditEntries(filter: nil, limit: 1)[0]
        #expect(last.action == "stage.override" && last.detail.contains("board decision 2024-12") && last.entity == "model:m1")
        // An independent, current report opens the gate without an override.
        let other = try Self.fixture().inventory()
        try other.addDocument(modelId: "m1", kind: .validationReport, version: "2", uri: nil, by: "bob")
        _ = try other.approveDocument(modelId: "m1", kind: .validationReport, version: "2", expires: nil, by: "carol")
        try other.setStage(modelId: "m1", to: .production, note: "go", override: nil, by: "alice")
        #expect(try other.auditEntries(filter: nil, limit: 1)[0].action == "stage.set")
    }

    @Test func taskLifecycleSetsAndClearsTheClosedDate() throws {
        let inventory = try Self.fixture().inventory()
        let t = try inventory.assignTask(modelId: "m1", to: "bob", due: day("2024-05-01"), priority: .p1, title: "Fix drift", note: "psi", by: "alice")
        #expect(t.id == "T-000001" && t.status == .open)
        _ = try inventory.setTaskStatus(t.id, to: .inProgress, note: nil, by: "bob")
        let resolved = try inventory.setTaskStatus(t.id, to: .resolved, note: nil, by: "bob")
        #expect(resolved.closedAt != nil)
        #expect { _ = try inventory.setTaskStatus(t.id, to: .wontfix, note: nil, by: "carol") } throws: {
            String(describing: $0).contains("needs a reason")
        }
        let reopened = try inventory.setTaskStatus(t.id, to: .open, note: "not fixed", by: "carol")
        #expect(reopened.closedAt == nil)
        #expect { _ = try inventory.setTaskStatus(t.id, to: .verified, note: nil, by: "carol") } throws: {
            String(describing: $0).contains("cannot move to verified")
        }
        let entries = try inventory.read { try String.fetchAll($0, sql: "SELECT action FROM audit_log ORDER BY seq") }
        #expect(entries == ["import.bundle", "task.assign", "task.in_progress", "task.resolved", "task.open"])
    }

    @Test func sixteenParallelWritersAllLandAndTheChainVerifies() throws {
        let dir = try TempDir()
        try Self.fixture().write(to: dir.url.appendingPathComponent("b"))
        let db = dir.path("p.sqlite")
        #expect(try binnacle(["import", "bundle", dir.path("b"), "--db", db]).status == 0)
        let processes = (0..<16).map { i -> (Process, Pipe) in
            let p = Process()
            p.executableURL = binnacleBinary
            p.arguments = ["task", "assign", "m1", "--to", "eve", "--due", "2024-06-01", "--title", "parallel \(i)", "--db", db, "--as", "alice"]
            let out = Pipe()
            p.standardOutput = out
            p.standardError = out
            return (p, out)
        }
        for (p, _) in processes { try p.run() }
        var ids: [String] = []
        for (p, out) in processes {
            let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            p.waitUntilExit()
            #expect(p.terminationStatus == 0, "\(text)")
            ids.append(text.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        #expect(Set(ids).count == 16)
        let verify = try binnacle(["audit", "verify", "--db", db])
        #expect(verify.status == 0 && verify.out.hasPrefix("intact: 17 entries"))
    }

    @Test func readOnlyAndForeignActorsChangeNothing() throws {
        let dir = try TempDir()
        try Self.fixture().write(to: dir.url.appendingPathComponent("b"))
        let db = dir.path("r.sqlite")
        #expect(try binnacle(["import", "bundle", dir.path("b"), "--db", db]).status == 0)
        let unknown = try binnacle(["stage", "set", "m1", "retired", "--db", db, "--as", "nobody"])
        #expect(unknown.status == 1 && unknown.err.contains("you are nobody, who is not in people: read-only"))
        let inactive = try binnacle(["stage", "set", "m1", "retired", "--db", db, "--as", "dave"])
        #expect(inactive.status == 1 && inactive.err.contains("inactive: read-only"))
        #expect(try binnacle(["audit", "verify", "--db", db]).out.hasPrefix("intact: 1 entries"))
        // --as only from root (the suite runs as root in CI; a plain user is refused before anything opens).
        let runuser = URL(fileURLWithPath: "/usr/sbin/runuser")
        if getuid() == 0, FileManager.default.isExecutableFile(atPath: runuser.path),
           try run(runuser, ["-u", "nobody", "--", "/usr/bin/test", "-x", binnacleBinary.path]).status == 0 {
            let r = try run(runuser,
                            ["-u", "nobody", "--", binnacleBinary.path, "stage", "set", "m1", "retired", "--db", db, "--as", "alice"])
            #expect(r.status == 1 && r.err.contains("--as is accepted only from root"))
        }
    }
}
