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
    /// Checks the values and returns the question to confirm and the action, or a problem to show.
    var submit: ([String]) -> Result<(question: String, perform: () throws -> String), Refusal>
}

/// A yes/no question before a write.
struct Confirmation {
    var question: String
    var perform: () throws -> String
}

extension Dashboard {
    /// The selected line's target on the current page.
    func selectedTarget() -> Target? {
        let body = content(of: page, width: lastWidth)
        let count = body.selectableCount
        guard count > 0, let line = body.lineIndex(ofSelectable: min(page.selection, count - 1)) else { return nil }
        return body[line].target
    }

    /// Runs a confirmed write: the outcome or the refusal goes to the status line, and the screens reload.
    func perform(_ confirmation: Confirmation) {
        do {
            say(try confirmation.perform())
            dataChanged()
        } catch {
            say(String(describing: error), error: true)
        }
    }

    /// `a`: a remediation task on the selected model or alert, prefilled from it.
    func startAssign() {
        var modelId = page.modelId, metric: String?, critical = false
        switch selectedTarget() {
        case .alert(let id, let m, let c)?: (modelId, metric, critical) = (id, m, c)
        case .model(let id, _)? where modelId == nil: modelId = id
        case .task(_, let id)? where modelId == nil: modelId = id
        default: break
        }
        guard let modelId else { return say("select a model or an alert to assign a task on it", error: true) }
        // The model's line of the list: its name, developer and whether any of its alerts is critical.
        let summary = try? source.modelSummary(id: modelId, asOf: asOf)
        let name = summary?.name ?? modelId
        if metric == nil { critical = (summary?.alertsCritical ?? 0) > 0 }
        let developer = summary?.developer ?? ""
        let logins = (try? source.activeLogins()) ?? []
        let due = today.adding(days: critical ? 7 : 30)
        let title = metric.map { "Investigate \($0) \(critical ? "critical" : "warning") alert on \(name)" } ?? "Remediate \(name)"
        form = Form(title: "Assign a remediation task on \(name)", fields: [
            Form.Field(label: "Assignee", value: developer, options: logins),
            Form.Field(label: "Due", value: due.description),
            Form.Field(label: "Priority", value: critical ? "p1" : "p2", options: TaskPriority.allCases.map(\.rawValue)),
            Form.Field(label: "Title", value: title),
        ], submit: { [unowned self] v in
            guard !v[0].isEmpty else { return .failure(Refusal("an assignee is needed")) }
            guard let due = Day(v[1]) else { return .failure(Refusal("due must be a date, YYYY-MM-DD")) }
            guard let priority = TaskPriority(rawValue: v[2]) else { return .failure(Refusal("priority is p1, p2 or p3")) }
            guard !v[3].isEmpty else { return .failure(Refusal("a title is needed")) }
            return .success(("Assign “\(v[3])” to \(v[0]), due \(due), \(priority.rawValue)?", {
                let id = try self.source.assignTask(modelId: modelId, to: v[0], due: due, priority: priority, title: v[3])
                return "\(self.symbols.ok) assigned \(id) to \(v[0]), due \(due)"
            }))
        })
    }

    /// `s` on a task: move it to another status.
    func startTaskStatus(_ taskId: String) {
        form = Form(title: "Change the status of \(taskId)", fields: [
            Form.Field(label: "Status", value: "", options: TaskStatus.allCases.map(\.rawValue)),
            Form.Field(label: "Note", value: ""),
        ], submit: { [unowned self] v in
            guard let status = TaskStatus(rawValue: v[0]) else {
                return .failure(Refusal("status is one of \(TaskStatus.allCases.map(\.rawValue).joined(separator: ", "))"))
            }
            return .success(("Move \(taskId) to \(status.rawValue)?", {
                try self.source.setTaskStatus(taskId, to: status, note: v[1].isEmpty ? nil : v[1])
                return "\(self.symbols.ok) \(taskId) is \(status.rawValue)"
            }))
        })
    }

    /// `A` on a document version: approve it.
    func startApprove(modelId: String, kind: DocumentKind, version: String) {
        confirmation = Confirmation(question: "Approve \(modelId) \(kind.rawValue) version \(version)?") { [unowned self] in
            try self.source.approveDocument(modelId: modelId, kind: kind, version: version)
            return "\(self.symbols.ok) approved \(modelId) \(kind.rawValue) version \(version)"
        }
    }

    /// `:stage S` on a model page: record a change of stage (the stage gate applies).
    func startStage(modelId: String, stage: Stage) {
        confirmation = Confirmation(question: "Move \(modelId) to \(stage.rawValue)?") { [unowned self] in
            try self.source.setStage(modelId: modelId, to: stage, note: "from the dashboard")
            return "\(self.symbols.ok) \(modelId) is now \(stage.rawValue)"
        }
    }

    /// Whether this person may take the action: said in the status line before any form opens.
    func mayTake(_ action: GovernanceAction) -> Bool {
        if source.readOnly { say("read-only: \(action.rawValue) is not possible here", error: true); return false }
        if let refusal = Permissions.check(source.actor.person, login: source.actor.login, action) {
            say("refused: \(refusal.message)", error: true)
            return false
        }
        return true
    }

    /// `o`: change who — the selected task's assignee, a person's role (on their page or row), or a model's people.
    func startPeopleChange() {
        if case .person(let login) = page.kind { return startPersonChange(login) }
        switch selectedTarget() {
        case .task(let id, _)?: startReassign(id)
        case .person(let login)? where page.modelId == nil: startPersonChange(login)
        case .model(let id, _)?: startModelPeople(id)
        default:
            if let id = page.modelId { startModelPeople(id) } else { say("select a model, a person or a task to change who", error: true) }
        }
    }

    /// A model's business owner, developer and validator (`-`: no validator).
    func startModelPeople(_ modelId: String) {
        guard mayTake(.changeOwnership), let m = try? source.modelSummary(id: modelId, asOf: asOf) else { return }
        let logins = (try? source.activeLogins()) ?? []
        form = Form(title: "People of \(m.name)", fields: [
            Form.Field(label: "Owner", value: m.businessOwner, options: logins),
            Form.Field(label: "Developer", value: m.developer, options: logins),
            Form.Field(label: "Validator", value: m.validator ?? "-", options: ["-"] + logins),
        ], submit: { [unowned self] v in
            guard !v[0].isEmpty, !v[1].isEmpty else { return .failure(Refusal("a model needs an owner and a developer")) }
            let validator: String? = v[2].isEmpty || v[2] == "-" ? nil : v[2]
            let owner = v[0] == m.businessOwner ? nil : v[0], developer = v[1] == m.developer ? nil : v[1]
            let newValidator: String?? = validator == m.validator ? nil : .some(validator)
            guard owner != nil || developer != nil || newValidator != nil else { return .failure(Refusal("nothing changed")) }
            return .success(("Owner \(v[0]), developer \(v[1]), validator \(validator ?? "none") for \(m.name)?", {
                try self.source.changeModelPeople(modelId, businessOwner: owner, developer: developer, validator: newValidator)
                return "\(self.symbols.ok) \(m.name): people changed"
            }))
        })
    }

    /// A person's role and whether they may act (administrators).
    func startPersonChange(_ login: String) {
        guard mayTake(.administer), let p = (try? source.person(asOf: asOf, login: login))??.person else { return }
        form = Form(title: "Role of \(p.name) (\(login))", fields: [
            Form.Field(label: "Role", value: p.role.rawValue, options: Role.allCases.map(\.rawValue)),
            Form.Field(label: "Active", value: p.active ? "yes" : "no", options: ["yes", "no"]),
        ], submit: { [unowned self] v in
            guard let role = Role(rawValue: v[0]) else {
                return .failure(Refusal("role is one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))"))
            }
            guard ["yes", "no"].contains(v[1]) else { return .failure(Refusal("active is yes or no")) }
            let active = v[1] == "yes"
            guard role != p.role || active != p.active else { return .failure(Refusal("nothing changed")) }
            return .success(("Make \(login) \(role.rawValue)\(active ? "" : ", inactive")?", {
                try self.source.changePerson(login, role: role == p.role ? nil : role, active: active == p.active ? nil : active)
                return "\(self.symbols.ok) \(login) is \(role.rawValue)\(active ? "" : ", inactive")"
            }))
        })
    }

    /// An open task's assignee.
    func startReassign(_ taskId: String) {
        guard mayTake(.assignTask) else { return }
        form = Form(title: "Reassign \(taskId)", fields: [
            Form.Field(label: "Assignee", value: "", options: (try? source.activeLogins()) ?? []),
        ], submit: { [unowned self] v in
            guard !v[0].isEmpty else { return .failure(Refusal("an assignee is needed")) }
            return .success(("Reassign \(taskId) to \(v[0])?", {
                try self.source.reassignTask(taskId, to: v[0])
                return "\(self.symbols.ok) \(taskId) is assigned to \(v[0])"
            }))
        })
    }

    /// Keys while a form is open.
    func handleForm(_ key: Key) {
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
            switch f.submit(f.fields.map(\.value)) {
            case .failure(let problem): say(problem.message, error: true)
            case .success(let next):
                form = nil
                confirmation = Confirmation(question: next.question, perform: next.perform)
                return
            }
        default: break
        }
        form = f
    }

    func drawForm(_ grid: inout Grid) {
        if let f = form {
            let width = min(grid.width - 4, 76), height = f.fields.count + 5
            let x0 = (grid.width - width) / 2, y0 = max(2, (grid.height - height) / 2)
            grid.fill(x: x0, y: y0, width: width, height: height)
            grid.put(DisplayWidth.fit(" " + f.title, width), x: x0, y: y0, style: theme.style(.selected))
            for (i, field) in f.fields.enumerated() {
                let focused = i == f.focus
                grid.put((focused ? symbols.arrow : " ") + " " + DisplayWidth.fit(field.label, 9), x: x0 + 1, y: y0 + 2 + i,
                         style: theme.style(focused ? .title : .muted))
                grid.put(field.value + (focused ? "█" : ""), x: x0 + 13, y: y0 + 2 + i, limit: width - 14)
            }
            grid.put(" ↑↓ field · Tab completes · Enter submit · Esc cancel", x: x0, y: y0 + height - 1, style: theme.style(.muted), limit: width)
        } else if let c = confirmation {
            // The question is cut if it must be; the answer keys never are.
            let width = min(grid.width - 4, DisplayWidth.of(c.question) + 12)
            let text = " " + DisplayWidth.truncate(c.question, to: width - 12) + "  [y/N] "
            let x0 = (grid.width - width) / 2, y0 = grid.height / 2 - 1
            grid.fill(x: x0, y: y0, width: width, height: 3, style: theme.style(.selected))
            grid.put(text, x: x0 + 1, y: y0 + 1, style: theme.style(.selected), limit: width - 2)
        }
    }
}
