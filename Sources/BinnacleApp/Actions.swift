import BinnacleCore
import TerminalUI

/// A small form in an overlay: labelled fields, Up/Down between them, Tab completes, Enter submits.
struct Form {
    struct Field {
        var label: String
        var value: String
        var options: [String] = []
    }
    var title: String
    var fields: [Field]
    var focus = 0
    /// What submitting it does.
    var purpose: Purpose

    enum Purpose {
        /// `metric`: the alert it was opened from; `openTasks`: the model's tasks open now, to warn of a duplicate.
        case assign(modelId: String, metric: String?, openTasks: [OpenTaskRef])
        case approve(modelId: String, kind: DocumentKind, version: String)
        case taskStatus(String)
        case modelPeople(modelId: String, name: String, owner: String, developer: String, validator: String?)
        case person(login: String, role: Role, active: Bool)
        case reassign(String)
    }

    /// What is wrong with the values as they stand, shown under the fields as they are typed.
    func problem(today: Day) -> String? {
        if case .failure(let refusal) = submit(today: today) { return refusal.message }
        return nil
    }

    /// The open task a new one would duplicate: one with the title typed (any case), else one naming the
    /// metric of the alert the form was opened from.
    func duplicate() -> OpenTaskRef? {
        guard case .assign(_, let metric, let open) = purpose else { return nil }
        let title = fields[3].value.trimmingSpaces.lowercased()
        return open.first { $0.title.lowercased() == title }
            ?? metric.flatMap { m in open.first { $0.names(metric: m) } }
    }

    /// What is worth knowing but allowed, shown as it is typed: the open task the new one would
    /// duplicate, else the model's open tasks.
    func warning() -> String? {
        guard case .assign(_, _, let open) = purpose, let first = open.first else { return nil }
        if let duplicate = duplicate() { return "duplicate open task \(Form.named(duplicate))" }
        return "open task on this model: \(Form.named(first))" + (open.count > 1 ? " (+\(open.count - 1) more)" : "")
    }

    static func named(_ t: OpenTaskRef) -> String { "\(t.id) “\(t.title)”, assigned to \(t.assignee)" }

    /// Checks the values: the question to confirm and the write, or a problem to show (the form stays
    /// open with what was typed).
    func submit(today: Day) -> Result<(question: String, write: Write), Refusal> {
        let v = fields.map(\.value)
        switch purpose {
        case .assign(let modelId, _, _):
            guard !v[0].isEmpty else { return .failure(Refusal("an assignee is needed")) }
            // The options are the active people: anyone else could never act on the task.
            guard fields[0].options.isEmpty || fields[0].options.contains(v[0]) else {
                return .failure(Refusal("\(v[0]) is not an active person (Tab lists who is)"))
            }
            guard let due = Day(v[1]) else { return .failure(Refusal("due must be a date, YYYY-MM-DD")) }
            guard due >= today else { return .failure(Refusal("due \(due) is in the past (today is \(today))")) }
            guard let priority = TaskPriority(rawValue: v[2]) else { return .failure(Refusal("priority is p1, p2 or p3")) }
            guard !v[3].isEmpty else { return .failure(Refusal("a title is needed")) }
            let duplicate = duplicate().map { " (duplicate open task \(Form.named($0)))" } ?? ""
            return .success(("Assign “\(v[3])” to \(v[0]), due \(due), \(priority.rawValue)?\(duplicate)",
                             .assignTask(modelId: modelId, to: v[0], due: due, priority: priority, title: v[3])))
        case .approve(let modelId, let kind, let version):
            guard let expires = Day(v[0]) else { return .failure(Refusal("expires must be a date, YYYY-MM-DD")) }
            // A document is current only while its expiry is after the date: expiring today it would never be.
            guard expires > today else {
                return .failure(Refusal("expires \(expires) is not after today (\(today)): the document would not be current"))
            }
            return .success(("Approve \(modelId) \(kind.rawValue) version \(version), expiring \(expires)?",
                             .approveDocument(modelId: modelId, kind: kind, version: version, expires: expires)))
        case .taskStatus(let taskId):
            guard let status = TaskStatus(rawValue: v[0]) else {
                return .failure(Refusal("status is one of \(TaskStatus.allCases.map(\.rawValue).joined(separator: ", "))"))
            }
            return .success(("Move \(taskId) to \(status.rawValue)?", .setTaskStatus(taskId, to: status, note: v[1].isEmpty ? nil : v[1])))
        case .modelPeople(let modelId, let name, let oldOwner, let oldDeveloper, let oldValidator):
            guard !v[0].isEmpty, !v[1].isEmpty else { return .failure(Refusal("a model needs an owner and a developer")) }
            let validator: String? = v[2].isEmpty || v[2] == "-" ? nil : v[2]
            let owner = v[0] == oldOwner ? nil : v[0], developer = v[1] == oldDeveloper ? nil : v[1]
            let newValidator: String?? = validator == oldValidator ? nil : .some(validator)
            guard owner != nil || developer != nil || newValidator != nil else { return .failure(Refusal("nothing changed")) }
            return .success(("Owner \(v[0]), developer \(v[1]), validator \(validator ?? "none") for \(name)?",
                             .changeModelPeople(modelId, name: name, owner: owner, developer: developer, validator: newValidator)))
        case .person(let login, let oldRole, let wasActive):
            guard let role = Role(rawValue: v[0]) else {
                return .failure(Refusal("role is one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))"))
            }
            guard ["yes", "no"].contains(v[1]) else { return .failure(Refusal("active is yes or no")) }
            let active = v[1] == "yes"
            guard role != oldRole || active != wasActive else { return .failure(Refusal("nothing changed")) }
            return .success(("Make \(login) \(role.rawValue)\(active ? "" : ", inactive")?",
                             .changePerson(login, role: role, active: active, roleChanged: role != oldRole, activeChanged: active != wasActive)))
        case .reassign(let taskId):
            guard !v[0].isEmpty else { return .failure(Refusal("an assignee is needed")) }
            return .success(("Reassign \(taskId) to \(v[0])?", .reassignTask(taskId, to: v[0])))
        }
    }
}

/// A yes/no question before a write.
struct Confirmation {
    var question: String
    var write: Write
}

/// A write the dashboard asks for, as a value: the loop takes it as the acting person, through the
/// same code as the command line (roles are checked there).
enum Write {
    case assignTask(modelId: String, to: String, due: Day, priority: TaskPriority, title: String)
    case setTaskStatus(String, to: TaskStatus, note: String?)
    case approveDocument(modelId: String, kind: DocumentKind, version: String, expires: Day)
    case setStage(modelId: String, to: Stage)
    case changeModelPeople(String, name: String, owner: String?, developer: String?, validator: String??)
    case changePerson(String, role: Role, active: Bool, roleChanged: Bool, activeChanged: Bool)
    case reassignTask(String, to: String)
    /// Not a change to the inventory: a new folder holding the evidence pack as of a date (`:evidence PACK`).
    case evidencePack(asOf: Day, path: String)

    /// Whether the inventory changed (the pages are read again).
    var changesInventory: Bool {
        if case .evidencePack = self { return false }
        return true
    }

    /// What the status line says once it is done (`id`: what the write created, e.g. a task's id).
    func outcome(id: String, symbols: Symbols) -> String {
        let ok = symbols.ok
        switch self {
        case .assignTask(_, let to, let due, _, _): return "\(ok) assigned \(id) to \(to), due \(due)"
        case .setTaskStatus(let taskId, let status, _): return "\(ok) \(taskId) is \(status.rawValue)"
        case .approveDocument(let modelId, let kind, let version, let expires):
            return "\(ok) approved \(modelId) \(kind.rawValue) version \(version), expires \(expires)"
        case .setStage(let modelId, let stage): return "\(ok) \(modelId) is now \(stage.rawValue)"
        case .changeModelPeople(_, let name, _, _, _): return "\(ok) \(name): people changed"
        case .changePerson(let login, let role, let active, _, _): return "\(ok) \(login) is \(role.rawValue)\(active ? "" : ", inactive")"
        case .reassignTask(let taskId, let to): return "\(ok) \(taskId) is assigned to \(to)"
        case .evidencePack(let asOf, let path): return "\(ok) wrote the evidence pack as of \(asOf) to \(path) (\(id))"
        }
    }
}

/// What an action form needs read before it opens.
enum Gather {
    case assign(modelId: String, metric: String?, critical: Bool)
    case modelPeople(String)
    case person(String)
    case reassign(String)
}

/// What was read for it.
enum Gathered {
    case assign(modelId: String, metric: String?, critical: Bool, summary: ModelSummary?, logins: [String], openTasks: [OpenTaskRef])
    case modelPeople(ModelSummary?, logins: [String])
    case person(login: String, Person?)
    case reassign(String, logins: [String])
}

extension AppState {
    /// `a`: a remediation task on the selected model or alert, prefilled from it.
    mutating func startAssign(_ effects: inout [Effect]) {
        var modelId = page.modelId, metric: String?, critical = false
        switch selectedTarget() {
        case .alert(let id, let m, let c)?: (modelId, metric, critical) = (id, m, c)
        case .model(let id, _)? where modelId == nil: modelId = id
        case .task(_, let id)? where modelId == nil: modelId = id
        default: break
        }
        guard let modelId else { return say("select a model or an alert to assign a task on it", error: true) }
        guard mayTake(.assignTask) else { return }
        effects.append(.gather(.assign(modelId: modelId, metric: metric, critical: critical), asOf: asOf))
    }

    /// `s` on a task: move it to another status — offered only the statuses this person's role can
    /// move a task to (an engineer's own task is checked again when written).
    mutating func startTaskStatus(_ taskId: String) {
        guard !env.readOnly else { return say("read-only: changing a task's status is not possible here", error: true) }
        let person = env.actor.person, login = env.actor.login
        let progress = Permissions.check(person, login: login, .progressTask, ownTask: true)
        let review = Permissions.check(person, login: login, .reviewTask)
        var statuses: [TaskStatus] = []
        if progress == nil { statuses += [.open, .inProgress, .resolved] }
        if review == nil { statuses += [.open, .verified, .wontfix].filter { !statuses.contains($0) } }
        guard !statuses.isEmpty else { return say("refused: \((progress ?? review)!.message)", error: true) }
        form = Form(title: "Change the status of \(taskId)", fields: [
            Form.Field(label: "Status", value: "", options: TaskStatus.allCases.filter(statuses.contains).map(\.rawValue)),
            Form.Field(label: "Note", value: ""),
        ], purpose: .taskStatus(taskId))
    }

    /// `A` on a document version: approve it, with its expiry (a year on: the product sets no term per kind).
    /// Refused before the form opens, as the store would refuse it: by the model's developer (no one approves
    /// their own work), or a version already approved.
    mutating func startApprove(modelId: String, kind: DocumentKind, version: String) {
        var developed = false
        if case .model(let detail, _, _, _)? = page.data, detail.model.id == modelId {
            developed = detail.model.developer == env.actor.login
            let doc = detail.documents.map(\.document).first { $0.kind == kind && $0.version == version }
            if let approved = doc?.approvedAt {
                return say("\(modelId) \(kind.rawValue) version \(version) is already approved (\(approved.day))", error: true)
            }
        }
        guard mayTake(.approveDocument, developedModel: developed) else { return }
        form = Form(title: "Approve \(modelId) \(kind.rawValue) version \(version)", fields: [
            Form.Field(label: "Expires", value: today.adding(months: 12).description),
        ], purpose: .approve(modelId: modelId, kind: kind, version: version))
    }

    /// `:setstage S` on a model page: record a change of stage (the stage gate applies).
    mutating func startStage(modelId: String, stage: Stage) {
        guard mayTake(.changeStage) else { return }
        confirmation = Confirmation(question: "Move \(modelId) to \(stage.rawValue)?", write: .setStage(modelId: modelId, to: stage))
    }

    /// Whether this person may take the action: said in the status line before any form opens.
    mutating func mayTake(_ action: GovernanceAction, developedModel: Bool = false) -> Bool {
        if env.readOnly { say("read-only: \(action.rawValue) is not possible here", error: true); return false }
        if let refusal = Permissions.check(env.actor.person, login: env.actor.login, action, developedModel: developedModel) {
            say("refused: \(refusal.message)", error: true)
            return false
        }
        return true
    }

    /// `o`: change who — the selected task's assignee, a person's role (on their page or row), or a model's people.
    mutating func startPeopleChange(_ effects: inout [Effect]) {
        func gather(_ g: Gather, _ action: GovernanceAction) { if mayTake(action) { effects.append(.gather(g, asOf: asOf)) } }
        if case .person(let login) = page.kind { return gather(.person(login), .administer) }
        switch selectedTarget() {
        case .task(let id, _)?: gather(.reassign(id), .assignTask)
        case .person(let login)? where page.modelId == nil: gather(.person(login), .administer)
        case .model(let id, _)?: gather(.modelPeople(id), .changeOwnership)
        default:
            if let id = page.modelId { gather(.modelPeople(id), .changeOwnership) }
            else { say("select a model, a person or a task to change who", error: true) }
        }
    }

    /// Opens the form for what was read.
    mutating func openForm(_ gathered: Gathered) {
        switch gathered {
        case .assign(let modelId, let metric, var critical, let summary, let logins, let openTasks):
            // The model's line of the list: its name, developer and whether any of its alerts is critical.
            let name = summary?.name ?? modelId
            if metric == nil { critical = (summary?.alertsCritical ?? 0) > 0 }
            let due = today.adding(days: critical ? 7 : 30)
            let title = metric.map { "Investigate \($0) \(critical ? "critical" : "warning") alert on \(name)" } ?? "Remediate \(name)"
            form = Form(title: "Assign a remediation task on \(name)", fields: [
                Form.Field(label: "Assignee", value: summary?.developer ?? "", options: logins),
                Form.Field(label: "Due", value: due.description),
                Form.Field(label: "Priority", value: critical ? "p1" : "p2", options: TaskPriority.allCases.map(\.rawValue)),
                Form.Field(label: "Title", value: title),
            ], purpose: .assign(modelId: modelId, metric: metric, openTasks: openTasks))
        case .modelPeople(let m, let logins):
            guard let m else { return }
            form = Form(title: "People of \(m.name)", fields: [
                Form.Field(label: "Owner", value: m.businessOwner, options: logins),
                Form.Field(label: "Developer", value: m.developer, options: logins),
                Form.Field(label: "Validator", value: m.validator ?? "-", options: ["-"] + logins),
            ], purpose: .modelPeople(modelId: m.id, name: m.name, owner: m.businessOwner, developer: m.developer, validator: m.validator))
        case .person(let login, let p):
            guard let p else { return }
            form = Form(title: "Role of \(p.name) (\(login))", fields: [
                Form.Field(label: "Role", value: p.role.rawValue, options: Role.allCases.map(\.rawValue)),
                Form.Field(label: "Active", value: p.active ? "yes" : "no", options: ["yes", "no"]),
            ], purpose: .person(login: login, role: p.role, active: p.active))
        case .reassign(let taskId, let logins):
            form = Form(title: "Reassign \(taskId)", fields: [Form.Field(label: "Assignee", value: "", options: logins)],
                        purpose: .reassign(taskId))
        }
    }

    /// Keys while a form is open.
    mutating func handleForm(_ key: Key) {
        guard var f = form else { return }
        switch key {
        case .escape: form = nil; say("cancelled"); return
        case .up, .backTab: f.focus = (f.focus + f.fields.count - 1) % f.fields.count
        case .down: f.focus = (f.focus + 1) % f.fields.count
        case .tab:
            let field = f.fields[f.focus]
            let matches = field.options.filter { $0.hasPrefix(field.value) }
            if matches.count == 1 { f.fields[f.focus].value = matches[0] }
            else if !matches.isEmpty { say(matches.prefix(10).joined(separator: "  ")) }
            else { f.focus = (f.focus + 1) % f.fields.count }
        case .backspace, .delete: if !f.fields[f.focus].value.isEmpty { f.fields[f.focus].value.removeLast() }
        case .character(let c): f.fields[f.focus].value.append(c)
        case .enter:
            switch f.submit(today: today) {
            case .failure(let problem): say(problem.message, error: true)
            case .success(let next):
                form = nil
                confirmation = Confirmation(question: next.question, write: next.write)
                return
            }
        default: break
        }
        form = f
    }
}
