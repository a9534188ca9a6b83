@testable import BinnacleApp
@testable import BinnacleCLI
import BinnacleCore
import BinnacleStore
import Foundation
import GRDB
import Testing
import TerminalUI

/// Actions from the dashboard go through the same code and roles as the command line.
@Suite struct DashboardActionTests {
    func dashboard(as login: String) throws -> (Dashboard, Inventory) {
        var f = GovernanceTests.fixture()
        f.stage("m1", "production", "2024-04-01")
        f.monitor("m1", "auc", "below", warn: 0.7, critical: 0.6)
        f.observation("m1", "auc", "2024-05-30", 0.5)
        let inventory = try f.inventory()
        let d = Dashboard(source: try StoreSource(inventory, login: login), asOf: day("2024-06-01"), today: day("2024-06-01"),
                          theme: .monochrome, symbols: .unicode)
        return (d, inventory)
    }

    func type(_ d: Dashboard, _ text: String) { for c in text { _ = d.handle(.character(c)) } }
    func tasks(_ inventory: Inventory) throws -> [String] {
        try inventory.read { try String.fetchAll($0, sql: "SELECT id || ' ' || assignee || ' ' || due_at || ' ' || priority || ' ' || title FROM tasks ORDER BY id") }
    }

    @Test func fromAnAlertToAnAssignedTaskInAFewKeys() throws {
        let (d, inventory) = try dashboard(as: "alice")
        _ = d.handle(.character("3"))                 // Alerts: m1's auc is critical
        _ = d.handle(.character("a"))
        let form = d.render(width: 100, height: 30).text
        #expect(form.contains("Assign a remediation task on Model m1"))
        #expect(form.contains("Investigate auc critical alert on Model m1"))
        #expect(form.contains("2024-06-08"))            // critical: due in 7 days
        #expect(form.contains("p1"))
        _ = d.handle(.enter)
        #expect(d.render(width: 100, height: 30).text.contains("[y/N]"))
        _ = d.handle(.character("y"))
        #expect(d.status.contains("assigned T-000001 to bob, due 2024-06-08"))
        #expect(try tasks(inventory).contains("T-000001 bob 2024-06-08T00:00:00.000Z p1 Investigate auc critical alert on Model m1"))
        #expect(try inventory.read(AuditLog.verify) != .broken(seq: 0, reason: ""))
    }

    @Test func theAssigneeCompletesAndACancelWritesNothing() throws {
        let (d, inventory) = try dashboard(as: "alice")
        _ = d.handle(.character("3"))
        _ = d.handle(.character("a"))
        for _ in 0..<3 { _ = d.handle(.backspace) }    // "bob" cleared
        type(d, "ca")
        _ = d.handle(.tab)
        #expect(d.form?.fields[0].value == "carol")
        _ = d.handle(.escape)
        #expect(d.form == nil && d.status == "cancelled")
        _ = d.handle(.character("a")); _ = d.handle(.enter); _ = d.handle(.character("n"))
        #expect(d.status.contains("nothing was changed"))
        #expect(try tasks(inventory).count == 2)
    }

    /// The assign form checks as it is typed and keeps what was typed when Enter finds a problem: an
    /// assignee who is not an active person, a due date in the past.
    @Test func theAssignFormChecksAsItIsTypedAndKeepsTheInput() throws {
        let (d, inventory) = try dashboard(as: "alice")
        _ = d.handle(.character("3"))
        _ = d.handle(.character("a"))
        #expect(d.form != nil && d.render(width: 100, height: 30).text.contains("Enter submit"))   // prefilled: nothing wrong
        for _ in 0..<20 { _ = d.handle(.backspace) }
        type(d, "dave")   // inactive
        #expect(d.render(width: 100, height: 30).text.contains("✗ dave is not an active person"))
        _ = d.handle(.enter)
        #expect(d.form?.fields[0].value == "dave" && d.status.contains("dave is not an active person"))
        for _ in 0..<4 { _ = d.handle(.backspace) }
        type(d, "bob"); _ = d.handle(.down)
        for _ in 0..<10 { _ = d.handle(.backspace) }
        type(d, "2024-05-31")   // the day before today
        _ = d.handle(.enter)
        #expect(d.form?.fields[1].value == "2024-05-31" && d.status.contains("due 2024-05-31 is in the past (today is 2024-06-01)"))
        #expect(d.render(width: 100, height: 30).text.contains("✗ due 2024-05-31 is in the past"))
        for _ in 0..<5 { _ = d.handle(.backspace) }
        type(d, "06-01")   // today is fine
        _ = d.handle(.enter); _ = d.handle(.character("y"))
        #expect(d.status.contains("assigned"))
        #expect(try tasks(inventory).count == 3)
    }

    @Test func aRefusalSaysWhoYouAreAndWhatItNeeds() throws {
        let (d, inventory) = try dashboard(as: "erin")  // an executive reads only
        _ = d.handle(.character("3"))
        _ = d.handle(.character("a"))   // refused as the key is pressed, before the form
        #expect(d.form == nil && d.status.contains("you are erin (executive)") && d.status.contains("needs ai_lead or risk_officer"))
        #expect(d.render(width: 100, height: 30).text.contains("you are erin (executive)"))
        #expect(try tasks(inventory).count == 2)
    }

    @Test func taskStatusDocumentApprovalAndStageFromTheDashboard() throws {
        let (d, inventory) = try dashboard(as: "rita")
        _ = d.handle(.character("6"))                 // Tasks: t-bob is open and first
        _ = d.handle(.character("s"))
        type(d, "in_p"); _ = d.handle(.tab)
        #expect(d.form?.fields[0].value == "in_progress")
        _ = d.handle(.enter); _ = d.handle(.character("y"))
        #expect(d.status.contains("is in_progress"))

        d.openModel("m1", tab: .documents)
        _ = d.handle(.character("A")); _ = d.handle(.enter); _ = d.handle(.character("y"))   // the expiry as offered
        #expect(d.status.contains("approved m1 model_card version 1"))
        let approvedBy = try inventory.read { try String.fetchOne($0, sql: "SELECT approved_by FROM documents WHERE model_id = 'm1' AND kind = 'model_card'") }
        #expect(approvedBy == "rita")

        d.run(command: "setstage retired")
        _ = d.handle(.character("y"))
        #expect(d.status.contains("m1 is now retired"))
        #expect(try inventory.modelDetail(id: "m1", asOf: Day.today()).stage == .retired)
        d.run(command: "setstage production")
        _ = d.handle(.character("y"))
        #expect(d.status.contains("cannot enter production: no current validation report"))
    }

    /// `:stage S` is a filter everywhere, a model's page included; the write is `:setstage S`, on a model's page only.
    @Test func stageFiltersEverywhereAndSetstageIsTheWrite() throws {
        let (d, inventory) = try dashboard(as: "rita")
        d.openModel("m1", tab: .summary)
        d.run(command: "stage retired")
        #expect(d.confirmation == nil && d.page.kind == .screen(.models) && d.page.modelFilter.stage == "retired")
        #expect(try inventory.modelDetail(id: "m1", asOf: Day.today()).stage == .production)
        d.run(command: "setstage retired")   // not on a model's page
        #expect(d.confirmation == nil && d.status.contains("open one first"))
        d.openModel("m1", tab: .summary)
        d.run(command: "setstage gone")
        #expect(d.confirmation == nil && d.status.contains("setstage needs a stage: idea, development"))
        _ = d.handle(.character(":")); type(d, "setst"); _ = d.handle(.tab); type(d, "ret"); _ = d.handle(.tab)
        #expect(d.prompt == ":setstage retired")
        _ = d.handle(.enter)
        #expect(d.confirmation?.question == "Move m1 to retired?")
        _ = d.handle(.character("n"))
        #expect(try inventory.modelDetail(id: "m1", asOf: Day.today()).stage == .production)
    }

    /// `A` asks for the expiry (a year on), checked as it is typed (a date after today); it is recorded
    /// with the approval and in the audit entry's after.
    @Test func approvingAsksForAnExpiryCheckedAsItIsTyped() throws {
        let (d, inventory) = try dashboard(as: "rita")
        d.openModel("m1", tab: .documents)
        _ = d.handle(.character("A"))
        #expect(d.form?.title == "Approve m1 model_card version 1" && d.form?.fields[0].value == "2025-06-01")
        #expect(d.render(width: 100, height: 30).text.contains("Expires"))
        for _ in 0..<10 { _ = d.handle(.backspace) }
        type(d, "2024-06-01")   // today: the document would never be current
        #expect(d.render(width: 100, height: 30).text.contains("✗ expires 2024-06-01 is not after today (2024-06-01)"))
        _ = d.handle(.enter)
        #expect(d.form?.fields[0].value == "2024-06-01" && d.confirmation == nil && d.status.contains("would not be current"))
        for _ in 0..<10 { _ = d.handle(.backspace) }
        type(d, "2025-02-30")
        #expect(d.render(width: 100, height: 30).text.contains("✗ expires must be a date, YYYY-MM-DD"))
        for _ in 0..<2 { _ = d.handle(.backspace) }
        type(d, "28")
        _ = d.handle(.enter)
        #expect(d.confirmation?.question == "Approve m1 model_card version 1, expiring 2025-02-28?")
        _ = d.handle(.character("y"))
        #expect(d.status.contains("approved m1 model_card version 1, expires 2025-02-28"))
        let expires = try inventory.read { try String.fetchOne($0, sql: "SELECT expires_at FROM documents WHERE model_id = 'm1' AND kind = 'model_card'") }
        #expect(expires?.hasPrefix("2025-02-28") == true)
        let detail = try #require(try inventory.read { try String.fetchOne($0, sql: "SELECT detail FROM audit_log WHERE action = 'document.approve' ORDER BY seq DESC") })
        let json = try #require(try JSONSerialization.jsonObject(with: Data(detail.utf8)) as? [String: Any])
        #expect((json["after"] as? [String: Any])?["expires_at"] as? String == "2025-02-28", "\(detail)")
        #expect((json["before"] as? [String: Any])?["expires_at"] is NSNull, "\(detail)")
        // Approved now: a second A says so, before any form.
        d.openModel("m1", tab: .documents)
        _ = d.handle(.character("A"))
        #expect(d.form == nil && d.status.contains("m1 model_card version 1 is already approved"))
    }

    /// The model's developer may not approve its documents: refused as `A` is pressed, as the store would.
    @Test func theDeveloperIsRefusedBeforeTheApprovalFormOpens() throws {
        var f = GovernanceTests.fixture()
        f.model("m2", tier: 1, created: "2024-01-01", developer: "rita", validator: "carol")   // a risk officer's own model
        f.document("m2", "model_card", version: "1", approved: nil)
        let inventory = try f.inventory()
        let d = Dashboard(source: try StoreSource(inventory, login: "rita"), asOf: day("2024-06-01"), today: day("2024-06-01"),
                          theme: .monochrome, symbols: .unicode)
        d.openModel("m2", tab: .documents)
        _ = d.handle(.character("A"))
        #expect(d.form == nil && d.status.hasPrefix("refused:"), "\(d.status)")
        d.openModel("m1", tab: .documents)                    // bob's model: rita may approve it
        _ = d.handle(.character("A"))
        #expect(d.form?.title == "Approve m1 model_card version 1")
    }

    /// One rule for "this task is about that metric", for the Alerts screen and the form: a word of its own.
    @Test func aTaskNamesAMetricAsAWordOfItsOwn() {
        func task(_ title: String) -> OpenTaskRef { OpenTaskRef(id: "T-1", title: title, assignee: "bob") }
        #expect(task("Recalibrate: AUC below 0.6").names(metric: "auc"))
        #expect(task("psi_score drift").names(metric: "psi_score") && task("fix auc").names(metric: "auc"))
        #expect(!task("Retrain because of drift").names(metric: "auc") && !task("aucs").names(metric: "auc"))
        #expect(!task("psi_score_v2 drift").names(metric: "psi_score") && !task("").names(metric: "auc"))
        let alert = Alert(modelId: "m1", severity: .critical, reason: .threshold, metric: "auc")
        let tasks = [task("Retrain because of drift"), OpenTaskRef(id: "T-2", title: "AUC fell", assignee: "eve")]
        #expect(OpenTaskRef.forAlert(alert, among: tasks)?.id == "T-2")
    }

    /// The Alerts screen says who is on each alert (the open task naming its metric before the model's
    /// older ones); the assign form names a duplicate open task as it is typed (the same title, or one
    /// naming the alert's metric), else the model's open tasks — a warning, not a refusal.
    @Test func theAssignFormNamesADuplicateOpenTaskAsItIsTyped() throws {
        var f = GovernanceTests.fixture()
        f.stage("m1", "production", "2024-04-01")
        f.monitor("m1", "auc", "below", warn: 0.7, critical: 0.6)
        f.observation("m1", "auc", "2024-05-30", 0.5)
        f.task("t-auc", "m1", created: "2024-05-31", due: "2024-06-10")
        f.rows[.tasks]![2][2] = "Check auc drift on m1"
        f.rows[.tasks]![2][3] = "carol"
        let inventory = try f.inventory()
        let d = Dashboard(source: try StoreSource(inventory, login: "alice"), asOf: day("2024-06-01"), today: day("2024-06-01"),
                          theme: .monochrome, symbols: .unicode)
        func form() -> String { d.render(width: 100, height: 30).text }
        _ = d.handle(.character("3"))
        let alerts = d.render(width: 120, height: 30).text
        #expect(alerts.contains("OPEN TASK") && alerts.contains("carol t-auc") && !alerts.contains("t-bob"), "\(alerts)")
        _ = d.handle(.character("a"))   // titled "Investigate auc critical alert on Model m1"
        #expect(form().contains("! duplicate open task t-auc “Check auc drift on m1”, assigned to carol"))
        _ = d.handle(.up)               // from the assignee up to the title
        for _ in 0..<60 { _ = d.handle(.backspace) }
        type(d, "fix M1")               // the same title as another open task: that one is named
        #expect(form().contains("! duplicate open task t-bob “Fix m1”, assigned to bob"))
        for _ in 0..<6 { _ = d.handle(.backspace) }
        type(d, "Retrain")              // still on the alert: its task
        #expect(form().contains("! duplicate open task t-auc “Check auc drift on m1”"))
        _ = d.handle(.escape)
        // On the model's page (no alert): its open tasks are named, then a duplicate of a title.
        d.openModel("m1", tab: .summary)
        _ = d.handle(.character("a"))
        #expect(form().contains("! open task on this model: t-bob “Fix m1”, assigned to bob (+1 more)"))
        _ = d.handle(.enter)
        #expect(d.confirmation?.question == "Assign “Remediate Model m1” to bob, due 2024-06-08, p1?")
        _ = d.handle(.character("y"))
        #expect(d.status.contains("assigned T-000001 to bob"))
        _ = d.handle(.character("a"))
        #expect(form().contains("! duplicate open task T-000001 “Remediate Model m1”, assigned to bob"))
        _ = d.handle(.enter)
        #expect(d.confirmation?.question.hasSuffix("(duplicate open task T-000001 “Remediate Model m1”, assigned to bob)") == true)
        _ = d.handle(.character("y"))
        #expect(d.status.contains("assigned T-000002"))
        #expect(try tasks(inventory).count == 5)
    }
}

extension DashboardActionTests {
    func clear(_ d: Dashboard) { for _ in 0..<40 { _ = d.handle(.backspace) } }

    @Test func peopleOwnershipAndAssigneesFromTheDashboard() throws {
        let (d, inventory) = try dashboard(as: "rita")
        // A model's validator: the developer is refused (independence), another person is accepted.
        d.openModel("m1", tab: .summary)
        _ = d.handle(.character("o"))
        #expect(d.render(width: 100, height: 30).text.contains("People of Model m1"))
        _ = d.handle(.down); _ = d.handle(.down); clear(d); type(d, "bob")
        _ = d.handle(.enter); _ = d.handle(.character("y"))
        #expect(d.status.contains("bob cannot validate m1, which they develop"))
        _ = d.handle(.character("o")); _ = d.handle(.down); _ = d.handle(.down); clear(d); type(d, "eve")
        _ = d.handle(.enter); _ = d.handle(.character("y"))
        #expect(d.status.contains("people changed"))
        #expect(try inventory.read { try String.fetchOne($0, sql: "SELECT validator FROM models WHERE id = 'm1'") } == "eve")
        // A person's role.
        d.openPerson("eve")
        _ = d.handle(.character("o")); clear(d); type(d, "ai_"); _ = d.handle(.tab)
        _ = d.handle(.enter); _ = d.handle(.character("y"))
        #expect(d.status.contains("eve is ai_lead"))
        #expect(try inventory.person(login: "eve")?.role == .aiLead)
        // A task's assignee.
        _ = d.handle(.character("6"))
        _ = d.handle(.character("o")); type(d, "eve"); _ = d.handle(.enter); _ = d.handle(.character("y"))
        #expect(d.status.contains("is assigned to eve"))
        let actions = try inventory.auditEntries(filter: nil).map(\.action)
        #expect(Array(actions.prefix(3)) == ["task.reassign", "people.change", "model.people"])
    }

    @Test func aFormTheRoleDoesNotAllowNeverOpens() throws {
        let (d, _) = try dashboard(as: "erin")
        d.openModel("m1", tab: .summary)
        _ = d.handle(.character("o"))
        #expect(d.form == nil && d.status.contains("you are erin (executive)"))
        // Assigning, approving, a stage change and a task's status: each refused before any form or question.
        _ = d.handle(.character("a"))
        #expect(d.form == nil && d.status.contains("you are erin (executive)") && d.status.contains("assign"))
        d.run(command: "setstage retired")
        #expect(d.state.confirmation == nil && d.status.contains("change a model's stage"))
        d.openModel("m1", tab: .tasks)
        _ = d.handle(.character("s"))
        #expect(d.form == nil && d.status.contains("you are erin (executive)") && d.status.contains("move a task"))
    }

    /// The status form offers only what the role can move a task to: a validator reviews (verify,
    /// wontfix, reopen) and does not progress.
    @Test func theStatusFormOffersWhatTheRoleCanReach() throws {
        let (d, _) = try dashboard(as: "carol")
        d.openModel("m1", tab: .tasks)
        _ = d.handle(.character("s"))
        let options = try #require(d.form?.fields.first?.options)
        #expect(options == ["open", "verified", "wontfix"])
    }
}

@Suite struct ReadOnlyActionTests {
    /// The governance fixture imported, then opened read-only in a dashboard as alice on 2024-06-01.
    static func readOnlyDashboard(_ dir: TempDir) throws -> (Inventory, Dashboard) {
        try GovernanceTests.fixture().write(to: dir.url.appendingPathComponent("b"))
        let path = dir.path("ro.sqlite")
        _ = try Inventory(path: path, mode: .create).importer.importBundle(directory: dir.path("b"), replace: false, actor: "t")
        let inventory = try Inventory(path: path, mode: .read, readOnly: true)
        return (inventory, Dashboard(source: try StoreSource(inventory, login: "alice"), asOf: day("2024-06-01"), today: day("2024-06-01"),
                                     theme: .monochrome, symbols: .unicode))
    }

    @Test func aReadOnlyDatabaseRefusesEveryActionAndSaysSo() throws {
        let dir = try TempDir()
        let (inventory, d) = try Self.readOnlyDashboard(dir)
        d.show(screen: .models)
        // Refused as the key is pressed: no form to fill in first.
        _ = d.handle(.character("a"))
        #expect(d.form == nil && d.status.contains("read-only") && d.status.contains("not possible here"))
        #expect(d.render(width: 100, height: 30).text.contains("READ-ONLY"))
        #expect(try inventory.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM audit_log") } == 1)
    }

    /// `:evidence PACK` only reads: a read-only dashboard writes the pack as of its date, and never over a folder.
    @Test func aReadOnlyDashboardWritesAnEvidencePack() throws {
        let dir = try TempDir()
        let (inventory, d) = try Self.readOnlyDashboard(dir)
        d.run(command: "evidence \(dir.path("pack"))")
        #expect(d.status.contains("wrote the evidence pack as of 2024-06-01"), "\(d.status)")
        let verdict = try EvidencePack.verify(dir.path("pack"), live: inventory)
        #expect(verdict.problems == [] && verdict.manifest?.asOf == day("2024-06-01"))
        d.run(command: "evidence \(dir.path("pack"))")
        #expect(d.status.contains("already exists"), "\(d.status)")
        d.run(command: "evidence")
        #expect(d.status.contains("evidence needs a new folder"))
    }
}
