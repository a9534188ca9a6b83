import BinnacleBundle
import BinnacleCore
@testable import BinnacleStore
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
            ["pipe", "Nightly pipeline", "ops@example.com", "service", "Ops", "true"],
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

    /// Each role (erin executive, eve and bob engineers, alice ai_lead, carol validator, rita risk_officer,
    /// pipe service), an inactive person (dave), an unknown login, and a risk officer with --readonly.
    static let logins = ["erin", "eve", "bob", "alice", "carol", "rita", "pipe", "dave", "nobody", "rita --readonly"]

    /// Every write, by each login: allowed exactly where the README's table says; a refusal changes no data
    /// and is itself audited (or, with --readonly, nothing is written at all).
    @Test(arguments: logins)
    func permissionMatrix(argument: String) throws {
        let login = String(argument.prefix { $0 != " " })
        let readOnly = argument.hasSuffix("--readonly")
        let work = try TempDir()
        try Self.fixture().write(to: work.url.appendingPathComponent("replacement"))
        try "model_id,metric,observed_at,value\nm1,auc,2024-03-02T00:00:00Z,0.8\n".write(toFile: work.path("obs.csv"), atomically: true, encoding: .utf8)
        try "model_id,date,value,cost,note\nm1,2024-03-02,10,1,\n".write(toFile: work.path("value.csv"), atomically: true, encoding: .utf8)
        let useCases = try Self.oneUseCase(in: work)
        let expected: [String: Set<String>] = [
            "assign": ["alice", "rita"],
            "progress own": ["bob", "alice", "rita"],     // t-bob is bob's: engineers move only their own
            "progress other's": ["alice", "rita"],
            "review": ["carol", "rita"],
            "approve": ["carol", "rita"],                 // bob developed m1: he may not approve even if he could
            "submit": ["eve", "bob", "alice", "carol", "rita"],
            "stage": ["alice", "rita"],
            "monitor": ["alice", "rita"],
            "ingest observations": ["eve", "bob", "alice", "rita", "pipe"],
            "ingest value": ["eve", "bob", "alice", "rita", "pipe"],
            "ingest samples": ["eve", "bob", "alice", "rita", "pipe"],
            "sync use cases": ["alice", "rita", "pipe"],
            "import --replace": ["rita"],
            "add a person": ["rita"],
            "change a role": ["rita"],
            "deactivate": ["rita"],
            "hand a model over": ["alice", "rita"],
            "reassign a task": ["alice", "rita"],
            "migrate": ["rita"],
        ]
        let drift = Drift.compare(reference: [1, 2, 3, 4, 5], current: [2, 3, 4, 5, 6])
        let actions: [(String, (Inventory) throws -> Void)] = [
            ("assign", { try $0.governance.assignTask(modelId: "m1", to: "eve", due: day("2024-05-01"), priority: .p1, title: "t", note: nil, by: login) }),
            ("progress own", { _ = try $0.governance.setTaskStatus("t-bob", to: .inProgress, note: nil, by: login) }),
            ("progress other's", { _ = try $0.governance.setTaskStatus("t-bob", to: .inProgress, note: nil, by: login == "bob" ? "eve" : login) }),
            ("review", { _ = try $0.governance.setTaskStatus("t-done", to: .verified, note: nil, by: login) }),
            ("approve", { _ = try $0.governance.approveDocument(modelId: "m1", kind: .modelCard, version: nil, expires: nil, by: login) }),
            ("submit", { try $0.governance.addDocument(modelId: "m1", kind: .dataSheet, version: "1", uri: nil, by: login) }),
            ("stage", { try $0.governance.setStage(modelId: "m1", to: .retired, note: nil, override: nil, by: login) }),
            ("monitor", { try $0.governance.setMonitor(modelId: "m1", metric: "auc", direction: .below, warn: 0.7, critical: 0.6, by: login) }),
            ("ingest observations", { _ = try $0.importer.ingestObservations(path: work.path("obs.csv"), name: "obs.csv", format: .csv,
                                                                    skipInvalid: false, replace: false, actor: login) }),
            ("ingest value", { _ = try $0.importer.ingestValue(path: work.path("value.csv"), name: "value.csv", format: .csv, skipInvalid: false,
                                                      actor: login) }),
            ("ingest samples", { try $0.importer.ingestDrift(modelId: "m1", feature: "income", result: drift, at: Timestamp(day: day("2024-03-02")),
                                                    sources: [:], actor: login) }),
            ("sync use cases", { _ = try $0.importer.importUseCases(path: useCases, layout: .omb2025, reported: day("2025-12-31"), strict: false,
                                                           actor: login) }),
            ("import --replace", { _ = try $0.importer.importBundle(directory: work.path("replacement"), replace: true, actor: login) }),
            ("add a person", { try $0.governance.addPerson(Person(login: "zoe", name: "Zoe", email: "", role: .aiLead, team: "", active: true), by: login) }),
            ("change a role", { try $0.governance.changePerson("eve", role: .aiLead, active: nil, by: login) }),
            ("deactivate", { try $0.governance.changePerson("alice", role: nil, active: false, by: login) }),
            ("hand a model over", { try $0.governance.changeModelPeople("m1", .init(businessOwner: "erin"), note: nil, by: login) }),
            ("reassign a task", { try $0.governance.reassignTask("t-bob", to: "eve", note: nil, by: login) }),
            ("migrate", { _ = try Inventory(path: $0.path, mode: .migrate, readOnly: $0.readOnly).migrate(by: login) }),
        ]
        for (name, act) in actions {
            // Opened afresh, as a command would: the fixture's own handle created the file (and so may do anything).
            let inventory = try Inventory(path: try Self.fixture().inventory().path, mode: .read, readOnly: readOnly)
            let before = try snapshot(inventory)
            let entries = try inventory.auditEntries(filter: nil).count
            let actor = name == "progress other's" && login == "bob" ? "eve" : login
            do {
                try act(inventory)
                #expect(!readOnly, "--readonly let \(name) through")
                #expect(expected[name]!.contains(actor), "\(actor) was allowed to \(name)")
                #expect(try snapshot(inventory) != before || name == "migrate")
                #expect(try inventory.read(AuditLog.verify) == .intact(entries: name == "migrate" ? 1 : 2, head: try lastHash(inventory)))
            } catch let refusal as Refusal {
                #expect(!readOnly)
                #expect(!expected[name]!.contains(actor), "\(actor) was refused \(name): \(refusal)")
                #expect(try snapshot(inventory) == before, "a refusal wrote something")
                #expect(refusal.message.contains("you are \(actor)") || refusal.message.contains("developed"))
                // The attempt itself is on record: one `denied` entry naming who and what.
                let denial = try inventory.auditEntries(filter: nil, limit: 1)[0]
                #expect(try inventory.auditEntries(filter: nil).count == entries + 1)
                #expect(denial.action == "denied" && denial.actor == actor && denial.detail.contains(refusal.deniedAction!.rawValue))
            } catch let error as StoreError {
                #expect(readOnly && error == .readOnly(inventory.path), "\(name) by \(actor): \(error)")
                #expect(try snapshot(inventory) == before && inventory.auditEntries(filter: nil).count == entries)
            }
        }
    }

    /// A one-row use-case inventory in the OMB 2025 layout (the first row of the real one).
    static func oneUseCase(in dir: TempDir) throws -> String {
        let reader = try CSVReader(path: UseCaseImportTests.file, name: "use_cases.csv")
        let header = try #require(try reader.next()).fields
        let writer = try CSVWriter(path: dir.path("use_cases.csv"), header: header)
        writer.write(try #require(try reader.next()).fields)
        try writer.close()
        return dir.path("use_cases.csv")
    }

    /// Every row of every table an action can touch, but for audited refusals (checked on their own).
    func snapshot(_ inventory: Inventory) throws -> [String] {
        try inventory.read { db in
            try ["tasks", "documents", "stage_changes", "monitors", "observations", "value_records", "models", "people"].map { table in
                try Row.fetchAll(db, sql: "SELECT * FROM \(table)").map(\.description).joined(separator: "\n")
            } + [Row.fetchAll(db, sql: "SELECT * FROM audit_log WHERE action <> 'denied'").map(\.description).joined(separator: "\n")]
        }
    }

    func lastHash(_ inventory: Inventory) throws -> String {
        try inventory.read { try String.fetchOne($0, sql: "SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1")! }
    }

    @Test func theStageGateNeedsAnIndependentCurrentValidationReport() throws {
        let inventory = try Self.fixture().inventory()
        #expect { try inventory.governance.setStage(modelId: "m1", to: .production, note: nil, override: nil, by: "alice") } throws: {
            String(describing: $0).contains("no current validation report")
        }
        // A report approved by the developer does not count.
        try inventory.write { db in
            try db.execute(sql: "INSERT INTO documents (model_id, kind, version, approved_at, approved_by) VALUES ('m1', 'validation_report', '1', '2024-03-01T00:00:00.000Z', 'bob')")
        }
        #expect { try inventory.governance.setStage(modelId: "m1", to: .production, note: nil, override: nil, by: "alice") } throws: {
            String(describing: $0).contains("approved by its developer bob")
        }
        // Only a risk officer may override, and it is audited as an override.
        #expect { try inventory.governance.setStage(modelId: "m1", to: .production, note: nil, override: "board decision", by: "alice") } throws: {
            String(describing: $0).contains("override the production stage gate needs risk_officer")
        }
        try inventory.governance.setStage(modelId: "m1", to: .production, note: nil, override: "board decision 2024-12", by: "rita")
        let last = try inventory.auditEntries(filter: nil, limit: 1)[0]
        #expect(last.action == "stage.override" && last.detail.contains("board decision 2024-12") && last.entity == "model:m1")
        // An independent, current report opens the gate without an override.
        let other = try Self.fixture().inventory()
        try other.governance.addDocument(modelId: "m1", kind: .validationReport, version: "2", uri: nil, by: "bob")
        _ = try other.governance.approveDocument(modelId: "m1", kind: .validationReport, version: "2", expires: nil, by: "carol")
        let approval = try other.auditEntries(filter: nil, limit: 1)[0]
        #expect(approval.action == "document.approve" && approval.detail.contains(#""before":{"approved_at":null,"approved_by":null"#)
                && approval.detail.contains(#""approved_by":"carol""#))
        try other.governance.setStage(modelId: "m1", to: .production, note: "go", override: nil, by: "alice")
        #expect(try other.auditEntries(filter: nil, limit: 1)[0].action == "stage.set")
    }

    @Test func taskLifecycleSetsAndClearsTheClosedDate() throws {
        let inventory = try Self.fixture().inventory()
        let t = try inventory.governance.assignTask(modelId: "m1", to: "bob", due: day("2024-05-01"), priority: .p1, title: "Fix drift", note: "psi", by: "alice")
        #expect(t.id == "T-000001" && t.status == .open)
        _ = try inventory.governance.setTaskStatus(t.id, to: .inProgress, note: nil, by: "bob")
        let resolved = try inventory.governance.setTaskStatus(t.id, to: .resolved, note: nil, by: "bob")
        #expect(resolved.closedAt != nil)
        #expect { _ = try inventory.governance.setTaskStatus(t.id, to: .wontfix, note: nil, by: "carol") } throws: {
            String(describing: $0).contains("needs a reason")
        }
        let reopened = try inventory.governance.setTaskStatus(t.id, to: .open, note: "not fixed", by: "carol")
        #expect(reopened.closedAt == nil)
        #expect { _ = try inventory.governance.setTaskStatus(t.id, to: .verified, note: nil, by: "carol") } throws: {
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
        // Nothing changed but the record of the two attempts (as CloudTrail records AccessDenied).
        #expect(try binnacle(["audit", "verify", "--db", db]).out.hasPrefix("intact: 3 entries"))
        #expect(try binnacle(["audit", "log", "--db", db, "--format", "csv"]).out.components(separatedBy: ",denied,").count == 3)
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

@Suite struct SharedDeploymentTests {
    /// Real unix users and a group on this host (Tests/e2e/shared-deployment.sh): a reader with read
    /// permission alone reads everything and writes nothing; outsiders are refused with the file
    /// untouched; group members write as their role allows; temporary files stay private. Needs root
    /// (CI runs as root); elsewhere the script says it skipped.
    @Test func aTeamSharesOneInventory() throws {
        let script = packageRoot.appendingPathComponent("Tests/e2e/shared-deployment.sh").path
        let store = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/data/mlflow/mlflow.db").path
        let r = try run(URL(fileURLWithPath: "/usr/bin/timeout"),
                        ["300", "/bin/bash", script, binnacleBinary.path, packageRoot.appendingPathComponent("sample-data").path, store])
        #expect(r.status == 0, "\(r.out)\(r.err)")
        if getuid() == 0 { #expect(r.out.contains("shared deployment: 41 passed, 0 failed"), "\(r.out)") }
    }
}
