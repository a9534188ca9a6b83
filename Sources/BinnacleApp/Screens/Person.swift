import BinnacleCore
import TerminalUI

/// A person's page: who they are, the models they own, develop or validate (read a window at a time,
/// `/` filtering in SQL), and their tasks.
struct PersonScreen: DashboardScreen {
    static let hasLists = true

    static func load(_ r: LoadRequest, from source: PortfolioSource) throws -> (PageData, PageLists?) {
        guard case .person(let login) = r.kind else { throw ScreenError.wrongPage }
        let read = try source.personScreen(asOf: r.asOf, login: login, text: r.lists.text)
        return (.person(read.summary, tasks: read.tasks), PageLists(key: r.lists.key, handles: [.models: .models(read.models)]))
    }

    /// The models again, for a new `/` filter.
    static func lists(_ r: ListRequest, from source: PortfolioSource) throws -> PageLists {
        guard case .person(let login) = r.kind else { throw ScreenError.wrongPage }
        let models = try source.models(asOf: r.asOf, ModelQuery(text: r.text, involving: login), count: nil)
        return PageLists(key: r.key, handles: [.models: .models(models)])
    }
}

extension Screens {
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
        let columns = [Column(title: "MODEL", width: 26, flexible: true, priority: 9, middle: true), Column(title: "AS", width: 22, priority: 8),
                       Column(title: "STAGE", width: 11, priority: 7), Column(title: "CRIT·WARN", width: 9, priority: 6)]
        out += TableLayout.lines(columns, [], width: width)
        out.append(LazyTable(.models, count: count, cache: page.rows[.models], columns: columns, width: width) { [self] (m: ModelSummary) in
            let roles = [(m.businessOwner, "owner"), (m.developer, "developer"), (m.validator, "validator")]
                .filter { $0.0 == login }.map(\.1).joined(separator: ", ")
            return ([Span(m.name), Span(roles), Span(m.stage.rawValue), alertCounts(m)], .model(m.id, .summary))
        })
        out.append(.blank)
        out.append(heading("TASKS ASSIGNED (\(tasks.count))"))
        out += taskLines(tasks, [:])
        return out
    }
}
