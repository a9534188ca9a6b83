import BinnacleCore
import TerminalUI

/// What each page shows: the reads it needs (run by the loop) and the lines drawn from what they returned.
/// Each screen's lines are in its own file under `Screens/`; this is where they are dispatched.
struct Screens {
    let symbols: Symbols
    let asOf: Day
    let width: Int

    // MARK: - Reading (run by the loop, never while drawing)

    static func load(_ r: LoadRequest, from source: PortfolioSource) throws -> PageData {
        let asOf = r.asOf
        switch r.kind {
        case .screen(.overview): return try overviewData(source, asOf: asOf, trend: true)
        case .screen(.models): return .models(total: try source.modelCount(asOf: asOf))
        case .screen(.alerts): return .alerts
        case .screen(.risk): return try RiskScreen.load(source, asOf: asOf, tag: r.tag)
        case .screen(.people): return .people(try source.people(asOf: asOf), orphans: try source.orphanedModels(asOf: asOf))
        case .screen(.tasks):
            let tasks = try source.tasks(asOf: asOf, assignee: nil)
            return .tasks(tasks, names: try source.modelNames(Array(Set(tasks.map(\.modelId)))))
        case .screen(.audit): return .audit(try source.audit(filter: nil), try source.chainStatus())
        case .model(let id):
            let detail = try source.model(id: id, asOf: asOf)
            let up = try source.lineageEdges(of: id, upstream: true), down = try source.lineageEdges(of: id, upstream: false)
            let ids = Set(up.flatMap { [$0.upstream, $0.downstream] } + down.flatMap { [$0.upstream, $0.downstream] })
            return .model(detail, upstream: up, downstream: down, nodes: try source.lineageNodes(Array(ids)))
        case .asset(let id): return .asset(try source.asset(id: id))
        case .person(let login):
            return .person(try source.person(asOf: asOf, login: login), tasks: try source.tasks(asOf: asOf, assignee: login))
        }
    }

    /// The overview's report and the first alerts.
    static func overviewData(_ source: PortfolioSource, asOf: Day, trend: Bool) throws -> PageData {
        let report = try source.report(asOf: asOf, trend: trend)
        let alerts = try source.alerts(asOf: asOf, text: "")
        return .overview(report, alerts: alerts.count, topAlerts: try alerts.rows(0..<min(alerts.count, Screens.topAlerts)))
    }

    static let topAlerts = 8

    // MARK: - Lines

    func lines(_ page: Page, _ data: PageData) -> Body {
        var out: Body
        let text = page.filterText.lowercased()
        if let error = page.lists?.error { return Body([Line("  \(error)", .critical)]) }
        if page.hasLists, page.lists == nil, !isPreparing(data) { return Body() }
        do {
            switch data {
            case .preparing:
                out = Body([Line("  Working out the portfolio as of \(asOf)\(symbols.ellipsis)", .title), .blank,
                            Line("  Every model's stage, value, alerts and documents at this date are derived once and kept;", .muted),
                            Line("  on a large inventory the first look at a date takes a few seconds, later ones are instant.", .muted),
                            Line("  Other screens (5 People, 6 Tasks, 7 Audit) and keys work meanwhile.", .muted)])
            case .overview(let report, let count, let top): out = Body(overview(report, count, top))
            case .models(let total): out = try modelList(page, total: total)
            case .alerts: out = alertList(page)
            case .risk(let reviews, let exposure): out = RiskScreen(screens: self).lines(page, reviews, exposure)
            case .people(let people, let orphans): out = peopleList(people, orphans, text: text)
            case .tasks(let tasks, let names): out = taskList(tasks, names, text: text)
            case .audit(let entries, let chain): out = Body(auditList(entries, chain))
            case .model(let detail, let up, let down, let nodes): out = Body(ModelDetailScreen(screens: self).lines(page, detail, up, down, nodes))
            case .asset(let detail): out = asset(detail, text: text)
            case .person(let summary, let tasks): out = try person(page, summary, tasks)
            }
        } catch {
            return Body([Line("  \(error)", .critical)])
        }
        // `/` filters any list: keep headings and the selectable lines that match (long lists filter in SQL).
        if !text.isEmpty, !isModels(page) { out = out.filtered(text) }
        return out
    }

    func isModels(_ page: Page) -> Bool { if case .screen(.models) = page.kind { return true } else { return false } }
    func isPreparing(_ data: PageData) -> Bool { if case .preparing = data { return true } else { return false } }

    func heading(_ text: String) -> Line { Line(" " + text, .title) }

    func severity(_ a: Alert) -> Span {
        a.severity == .critical ? Span("\(symbols.bad) critical", .critical) : Span("\(symbols.warning) warning", .warning)
    }
}
