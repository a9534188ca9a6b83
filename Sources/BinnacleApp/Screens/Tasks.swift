import BinnacleCore
import TerminalUI

/// The Tasks screen (6): remediation tasks, open and overdue first; `s` on a task changes its status
/// (on any page that lists tasks: see `AppState.handle`).
struct TasksScreen: DashboardScreen {
    static func load(_ r: LoadRequest, from source: PortfolioSource) throws -> (PageData, PageLists?) {
        let read = try source.tasksScreen(asOf: r.asOf)
        return (.tasks(read.tasks, names: read.modelNames), nil)
    }
}

extension Screens {
    func taskList(_ tasks: [RemediationTask], _ names: [String: String], text: String) -> Body {
        let open = tasks.filter { $0.isOpen(at: asOf) }
        var out = Body([Line(" \(open.count) open (\(open.filter { $0.isOverdue(at: asOf) }.count) overdue), \(tasks.count - open.count) closed, as of \(asOf)", .muted)])
        if tasks.isEmpty { out.append(Line("  No tasks.", .muted)); return out }
        out += TableLayout.lines(taskColumns, [], width: width)
        out.append(LazyTable(tasks, text: text, columns: taskColumns, width: width) { taskCells($0, names) })
        return out
    }

    var taskColumns: [Column] {
        [Column(title: "ID", width: 8, priority: 5), Column(title: "P", width: 2, priority: 6),
         Column(title: "STATUS", width: 21, priority: 9), Column(title: "TITLE", width: 24, flexible: true, priority: 8, middle: true),
         Column(title: "MODEL", width: 18, flexible: true, priority: 7, middle: true), Column(title: "ASSIGNEE", width: 10, priority: 6),
         Column(title: "DUE", width: 10, priority: 8), Column(title: "LATE", width: 5, right: true, priority: 7)]
    }

    func taskCells(_ t: RemediationTask, _ names: [String: String]) -> (cells: [Span], target: Target?) {
        let open = t.isOpen(at: asOf)
        let late = t.isOverdue(at: asOf)
        // Overdue is said in a word, not by a mark on the task's own status.
        let status = open ? (late ? Span("\(t.status.rawValue) \(symbols.bad) overdue", .critical) : Span(t.status.rawValue))
            : Span("\(symbols.ok) \(t.status.rawValue)", .muted)
        return ([Span(t.id), Span(t.priority.rawValue), status, Span(t.title), Span(names[t.modelId] ?? t.modelId),
                 Span(t.assignee), Span(t.dueAt.day.description), Span(late ? "\(asOf - t.dueAt.day)d" : "", .critical)],
                .task(id: t.id, modelId: t.modelId))
    }

    func taskLines(_ tasks: [RemediationTask], _ names: [String: String]) -> [Line] {
        if tasks.isEmpty { return [Line("  No tasks.", .muted)] }
        return TableLayout.lines(taskColumns, tasks.map { taskCells($0, names) }, width: width)
    }
}
