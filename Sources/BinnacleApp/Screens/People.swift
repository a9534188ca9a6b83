import BinnacleCore
import TerminalUI

/// The People screen (5) — orphaned models and people — and a person's page (their models and tasks).
extension Screens {
    func peopleList(_ people: [PersonSummary], _ orphans: [OrphanedModel], text: String) -> Body {
        var out = Body([heading("ORPHANED MODELS — business owner unknown or inactive (\(orphans.count))")])
        if orphans.isEmpty { out.append(Line("  None.", .muted)) }
        let orphanColumns = [Column(title: "MODEL", width: 26, flexible: true, priority: 9), Column(title: "DOMAIN", width: 16, priority: 6),
                             Column(title: "OWNER", width: 12, priority: 8), Column(title: "WHY", width: 14, priority: 7)]
        out += TableLayout.lines(orphanColumns, [], width: width)
        out.append(LazyTable(orphans, text: text, columns: orphanColumns, width: width) { o in
            ([Span(o.name), Span(o.domain), Span(o.owner), Span(o.reason, .warning)], .model(o.modelId, .summary))
        })
        out.append(.blank)
        out.append(heading("PEOPLE (\(people.count)) — Enter: their models and tasks"))
        let columns = [
            Column(title: "NAME", width: 18, flexible: true, priority: 9), Column(title: "LOGIN", width: 12, priority: 7),
            Column(title: "ROLE", width: 12, priority: 8), Column(title: "TEAM", width: 16, priority: 3),
            Column(title: "OWNS", width: 4, right: true, priority: 6), Column(title: "DEVS", width: 4, right: true, priority: 5),
            Column(title: "VALS", width: 4, right: true, priority: 5), Column(title: "TASKS", width: 5, right: true, priority: 6),
            Column(title: "LATE", width: 4, right: true, priority: 7),
        ]
        out += TableLayout.lines(columns, [], width: width)
        out.append(LazyTable(people, text: text, columns: columns, width: width) { s in
            let p = s.person
            return ([Span(p.name + (p.active ? "" : " (inactive)"), p.active ? .normal : .muted), Span(p.login), Span(p.role.rawValue),
                     Span(p.team), Span(String(s.owned)), Span(String(s.developed)), Span(String(s.validated)),
                     Span(String(s.openTasks)), Span(String(s.overdueTasks), s.overdueTasks > 0 ? .critical : .normal)],
                    .person(p.login))
        })
        return out
    }

    func person(_ page: Page, _ summary: PersonSummary?, _ tasks: [RemediationTask]) throws -> Body {
        guard case .person(let login) = page.kind else { return Body() }
        var out = Body()
        if let p = summary?.person {
            out.append(Line(" \(p.name) <\(p.email)> · \(p.role.rawValue) · \(p.team)\(p.active ? "" : " · INACTIVE")", .title))
        } else {
            out.append(Line(" \(login): not in people", .warning))
        }
        out.append(.blank)
        let count = page.lists?.handles[.models]?.count ?? 0
        out.append(heading("MODELS (\(count))"))
        let columns = [Column(title: "MODEL", width: 26, flexible: true, priority: 9), Column(title: "AS", width: 22, priority: 8),
                       Column(title: "STAGE", width: 11, priority: 7), Column(title: "ALERTS", width: 7, priority: 6)]
        out += TableLayout.lines(columns, [], width: width)
        out.append(LazyTable(.models, count: count, cache: page.rows[.models], columns: columns, width: width) { (m: ModelSummary) in
            let roles = [(m.businessOwner, "owner"), (m.developer, "developer"), (m.validator, "validator")]
                .filter { $0.0 == login }.map(\.1).joined(separator: ", ")
            return ([Span(m.name), Span(roles), Span(m.stage), Span("\(m.alertsCritical)/\(m.alertsWarning)")], .model(m.id, .summary))
        })
        out.append(.blank)
        out.append(heading("TASKS ASSIGNED (\(tasks.count))"))
        out += taskLines(tasks, [:])
        return out
    }
}
