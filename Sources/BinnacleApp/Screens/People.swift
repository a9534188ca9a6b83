import BinnacleCore
import TerminalUI

/// The People screen (5): orphaned models, and people with what they hold (Enter: a person's page).
struct PeopleScreen: DashboardScreen {
    static func load(_ r: LoadRequest, from source: PortfolioSource) throws -> (PageData, PageLists?) {
        let read = try source.peopleScreen(asOf: r.asOf)
        return (.people(read.people, orphans: read.orphans), nil)
    }
}

extension Screens {
    func peopleList(_ people: [PersonSummary], _ orphans: [OrphanedModel], text: String) -> Body {
        var out = Body([heading("ORPHANED MODELS — business owner unknown or inactive (\(orphans.count))")])
        if orphans.isEmpty { out.append(Line("  None.", .muted)) }
        let orphanColumns = [Column(title: "MODEL", width: 26, flexible: true, priority: 9, middle: true), Column(title: "DOMAIN", width: 16, priority: 6, maxWidth: 18),
                             Column(title: "OWNER", width: 12, priority: 8), Column(title: "WHY", width: 14, priority: 7)]
        out += TableLayout.lines(orphanColumns, [], width: width)
        out.append(LazyTable(orphans, text: text, columns: orphanColumns, width: width) { o in
            ([Span(o.name), Span(o.domain), Span(o.owner), Span(o.reason, .warning)], .model(o.modelId, .summary))
        })
        out.append(.blank)
        out.append(heading("PEOPLE (\(people.count)) — Enter: their models and tasks"))
        let columns = [
            Column(title: "NAME", width: 18, flexible: true, priority: 9, middle: true), Column(title: "LOGIN", width: 12, priority: 7),
            Column(title: "ROLE", width: 12, priority: 8), Column(title: "TEAM", width: 16, priority: 3, maxWidth: 18),
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
}
