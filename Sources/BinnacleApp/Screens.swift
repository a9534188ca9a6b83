import BinnacleCore
import TerminalUI

/// What each page shows: the reads it needs (run by the loop) and the lines drawn from what they returned.
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
            case .alerts:
                out = Body()
                let count = page.lists?.handles[.alerts]?.count ?? 0
                if count == 0 {
                    out.append(Line(text.isEmpty ? "  No alerts as of \(asOf)." : "  No alert matches “\(page.filterText)”.", .good))
                } else {
                    out.append(TableLayout.lines(alertColumns, [], width: width))
                    out.append(LazyTable(.alerts, count: count, cache: page.rows[.alerts], columns: alertColumns, width: width, cells: alertCells))
                }
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

    // MARK: Overview

    func overview(_ report: PortfolioReport, _ alertCount: Int, _ topAlerts: [NamedAlert]) -> [Line] {
        var out: [Line] = []
        let k = report.kpis
        if k.productionModels == 0 && report.domains.isEmpty {
            out.append(Line("  No models exist as of \(asOf). Try an earlier or later date (:asof YYYY-MM-DD) or import a bundle.", .muted))
        }
        let trend = report.trend.map(\.kpis) + [k]
        // Without its trend (still being computed) a tile shows that it is coming.
        func spark(_ value: (KPIs) -> Double?) -> String {
            report.trend.isEmpty ? symbols.ellipsis : Sparkline.render(trend.suffix(13).map(value), symbols: symbols)
        }
        func change(_ value: (KPIs) -> Double?) -> Span {
            guard !report.trend.isEmpty, let now = value(k), let before = value(report.trend.last!.kpis) else { return Span("") }
            if now > before { return Span(symbols.up, .muted) }
            if now < before { return Span(symbols.down, .muted) }
            return Span("=", .muted)
        }
        func status(_ ok: Bool?) -> Span {
            guard let ok else { return Span("") }
            return ok ? Span("\(symbols.ok) met", .good) : Span("\(symbols.bad) missed", .critical)
        }
        let noData = "no data"
        typealias Tile = (label: String, value: String, change: Span, status: Span, target: String, spark: String, drill: Target)
        let tiles: [Tile] = [
            ("Impact share (value in 90 days)", k.impactShare == nil || !k.valueRecorded90d ? noData : Format.percent(k.impactShare),
             change { $0.impactShare }, status(Targets.impact.isMet(k)), Targets.impact.label, spark { $0.impactShare },
             .models(ModelFilter(noImpact: true))),
            ("Built-to-value share", k.valueRecorded90d ? Format.percent(k.builtToValueShare) : noData, change { $0.builtToValueShare }, Span(""), "",
             spark { $0.builtToValueShare }, .models(ModelFilter(stage: "production"))),
            ("Value / cost, 12 months (\(report.currency))",
             !k.valueRecorded12m ? noData : "\(Format.compact(k.value12m)) / \(Format.compact(k.cost12m))",
             change { $0.value12m }, Span(""), "", spark { $0.value12m }, .models(ModelFilter(stage: "production"))),
            ("ROI, 12 months", k.valueRecorded12m ? Format.percent(k.roi12m) : noData, change { $0.roi12m }, status(Targets.roi.isMet(k)), Targets.roi.label,
             spark { $0.roi12m }, .models(ModelFilter(stage: "production"))),
            ("Alerts: critical (models) / warning", "\(k.alertsCritical) (\(k.modelsWithCritical)) / \(k.alertsWarning)",
             change { Double($0.alertsCritical) }, status(Targets.noCriticalAlerts.isMet(k)), Targets.noCriticalAlerts.label,
             spark { Double($0.alertsCritical) }, .screen(.alerts)),
            ("Documentation complete", Format.percent(k.docsCompleteShare), change { $0.docsCompleteShare },
             status(Targets.docsComplete.isMet(k)), Targets.docsComplete.label, spark { $0.docsCompleteShare },
             .models(ModelFilter(stage: "production", docsMissing: true))),
            ("Median days idea → production", Format.days(k.medianDaysToProduction), change { $0.medianDaysToProduction },
             Span(""), "", spark { $0.medianDaysToProduction }, .models(ModelFilter(stage: "production"))),
            ("Shelved share of built models", Format.percent(k.shelvedShare), change { $0.shelvedShare }, Span(""), "",
             spark { $0.shelvedShare }, .models(ModelFilter(stage: "shelved"))),
            ("Remediation tasks: open / overdue", "\(k.openTasks) / \(k.overdueTasks)", change { Double($0.overdueTasks) },
             status(Targets.noOverdueTasks.isMet(k)), Targets.noOverdueTasks.label, spark { Double($0.overdueTasks) }, .screen(.tasks)),
        ]
        let columns = [
            Column(title: "KEY INDICATOR", width: 26, flexible: true, priority: 9),
            Column(title: "VALUE", width: 14, right: true, priority: 9),
            Column(title: "", width: 1, priority: 4),
            Column(title: "STATUS", width: 8, priority: 8),
            Column(title: "TARGET", width: 10, priority: 3),
            Column(title: "12 MONTHS", width: 13, priority: 6),
        ]
        out += TableLayout.lines(columns, tiles.map { t in
            ([Span(t.label), Span(t.value, .tileValue), t.change, t.status, Span(t.target, .muted), Span(t.spark, .accent)], t.drill)
        }, width: width)
        if !k.valueRecorded12m && k.productionModels > 0 {
            out.append(Line("  No value or cost has been recorded: impact share and ROI cannot be measured until it is.", .warning))
        }

        out.append(.blank)
        out.append(heading("DOMAINS — which business units lag (Enter: their models)"))
        let domainColumns = [
            Column(title: "DOMAIN", width: 16, flexible: true, priority: 9),
            Column(title: "PROD", width: 5, right: true, priority: 8),
            Column(title: "IMPACT", width: 7, right: true, priority: 9),
            Column(title: "VALUE 12M", width: 9, right: true, priority: 6),
            Column(title: "ROI", width: 6, right: true, priority: 5),
            Column(title: "CRIT", width: 4, right: true, priority: 7),
            Column(title: "WARN", width: 4, right: true, priority: 4),
            Column(title: "DOCS", width: 5, right: true, priority: 6),
            Column(title: "SHELVED", width: 7, right: true, priority: 3),
            Column(title: "TASKS", width: 7, right: true, priority: 2),
        ]
        out += TableLayout.lines(domainColumns, report.domains.map { d in
            let m = d.kpis
            let lagging = m.valueRecorded90d && Targets.impact.isMet(m) == false
            return ([Span(d.domain), Span(String(m.productionModels)),
                     m.valueRecorded90d ? Span((lagging ? symbols.down + " " : "") + Format.percent(m.impactShare), lagging ? .warning : .good)
                        : Span("no data", .muted),
                     Span(m.valueRecorded12m ? Format.compact(m.value12m) : "—"),
                     Span(m.valueRecorded12m ? Format.percent(m.roi12m, decimals: 0) : "—"),
                     Span(String(m.alertsCritical), m.alertsCritical > 0 ? .critical : .normal), Span(String(m.alertsWarning)),
                     Span(Format.percent(m.docsCompleteShare, decimals: 0)), Span(Format.percent(m.shelvedShare, decimals: 0)),
                     Span("\(m.openTasks)/\(m.overdueTasks)")], .models(ModelFilter(domain: d.domain)))
        }, width: width)

        out.append(.blank)
        out.append(heading("TOP ALERTS (Enter: the model's monitoring)"))
        out += self.topAlerts(alertCount, topAlerts)
        return out
    }

    // MARK: Models

    static let modelColumns: [Column] = [
        Column(title: "NAME", width: 24, flexible: true, priority: 9),
        Column(title: "DOMAIN", width: 16, priority: 7),
        Column(title: "STAGE", width: 11, priority: 8),
        Column(title: "TIER", width: 4, right: true, priority: 6),
        Column(title: "OWNER", width: 12, priority: 4),
        Column(title: "VALUE 90D", width: 9, right: true, priority: 5),
        Column(title: "ROI 12M", width: 7, right: true, priority: 3),
        Column(title: "ALERTS", width: 7, priority: 8),
        Column(title: "DOCS", width: 4, priority: 6),
        Column(title: "LAST OBS", width: 8, right: true, priority: 2),
    ]

    func modelList(_ page: Page, total: Int) throws -> Body {
        let count = page.lists?.handles[.models]?.count ?? 0
        var columns = Screens.modelColumns
        columns[page.sortColumn].title += page.sortDescending ? symbols.down : symbols.up
        var out = Body([Line(" \(count) of \(total) models as of \(asOf)"
                             + (page.modelFilter.isEmpty ? "" : " · \(page.modelFilter.summary)")
                             + (page.filterText.isEmpty ? "" : " · matching “\(page.filterText)”"), .muted)])
        if count == 0 { out.append(Line("  No model matches. Esc clears the filter; :clear clears everything.", .muted)) }
        out.append(TableLayout.lines(columns, [], width: width))
        out.append(LazyTable(.models, count: count, cache: page.rows[.models], columns: columns, width: width) { [symbols, asOf] (m: ModelSummary) in
            let alerts: Span = m.alertsCritical > 0 ? Span("\(symbols.bad) \(m.alertsCritical)/\(m.alertsWarning)", .critical)
                : m.alertsWarning > 0 ? Span("\(symbols.warning) \(m.alertsWarning)", .warning) : Span(m.stage == "production" ? "\(symbols.ok)" : "·", .muted)
            let docs = m.missingDocuments.isEmpty ? Span(symbols.ok, .good) : Span("\(symbols.bad) \(m.missingDocuments.count)", .warning)
            let age = m.lastObservedAt.map { "\(asOf - $0.day)d" } ?? "—"
            return ([Span(m.name), Span(m.domain), Span(m.stage), Span(String(m.riskTier)), Span(m.businessOwner),
                     Span(Format.compact(m.value90d)), Span(Format.percent(m.roi12m, decimals: 0)), alerts, docs, Span(age)],
                    .model(m.id, .summary))
        })
        return out
    }

    // MARK: Alerts

    var alertColumns: [Column] {
        [Column(title: "SEVERITY", width: 10, priority: 9),
         Column(title: "MODEL", width: 22, flexible: true, priority: 9),
         Column(title: "WHAT", width: 30, flexible: true, priority: 8),
         Column(title: "OBSERVED", width: 10, priority: 5),
         Column(title: "AGE", width: 4, right: true, priority: 4)]
    }

    func alertCells(_ named: NamedAlert) -> (cells: [Span], target: Target?) {
        let a = named.alert
        return ([severity(a), Span(named.modelName), Span(a.summary), Span(a.observedAt.map { $0.day.description } ?? "—"),
                 Span(a.observedAt.map { "\(asOf - $0.day)d" } ?? "—")], .alert(modelId: a.modelId, metric: a.metric, critical: a.severity == .critical))
    }

    /// The first alerts, and a line to the Alerts screen for the rest.
    func topAlerts(_ count: Int, _ top: [NamedAlert]) -> [Line] {
        if count == 0 { return [Line("  No alerts as of \(asOf).", .good)] }
        var lines = TableLayout.lines(alertColumns, top.map(alertCells), width: width)
        if count > top.count {
            lines.append(Line("   … \(count - top.count) more on the Alerts screen (3)", .muted, target: .screen(.alerts)))
        }
        return lines
    }

    // MARK: People

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

    // MARK: Tasks

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
         Column(title: "STATUS", width: 13, priority: 9), Column(title: "TITLE", width: 24, flexible: true, priority: 8),
         Column(title: "MODEL", width: 18, flexible: true, priority: 7), Column(title: "ASSIGNEE", width: 10, priority: 6),
         Column(title: "DUE", width: 10, priority: 8), Column(title: "LATE", width: 5, right: true, priority: 7)]
    }

    func taskCells(_ t: RemediationTask, _ names: [String: String]) -> (cells: [Span], target: Target?) {
        let open = t.isOpen(at: asOf)
        let late = t.isOverdue(at: asOf)
        let status = open ? (late ? Span("\(symbols.bad) \(t.status.rawValue)", .critical) : Span(t.status.rawValue))
            : Span("\(symbols.ok) \(t.status.rawValue)", .muted)
        return ([Span(t.id), Span(t.priority.rawValue), status, Span(t.title), Span(names[t.modelId] ?? t.modelId),
                 Span(t.assignee), Span(t.dueAt.day.description), Span(late ? "\(asOf - t.dueAt.day)d" : "", .critical)],
                .task(id: t.id, modelId: t.modelId))
    }

    func taskLines(_ tasks: [RemediationTask], _ names: [String: String]) -> [Line] {
        if tasks.isEmpty { return [Line("  No tasks.", .muted)] }
        return TableLayout.lines(taskColumns, tasks.map { taskCells($0, names) }, width: width)
    }

    // MARK: Audit

    func auditList(_ entries: [AuditEntry], _ chain: ChainStatus) -> [Line] {
        var out: [Line] = []
        switch chain {
        case .intact(let n, let head):
            out.append(Line(" \(symbols.ok) Chain intact through entry \(n) · head \(head)", .good))
        case .broken(let seq, let reason):
            out.append(Line(" \(symbols.bad) Chain BROKEN at entry \(seq): \(reason)", .critical))
        }
        out.append(Line(" Newest first. / filters by model, actor or action.", .muted))
        out += auditLines(entries)
        return out
    }

    func auditLines(_ entries: [AuditEntry]) -> [Line] {
        if entries.isEmpty { return [Line("  No entries.", .muted)] }
        return TableLayout.lines([
            Column(title: "#", width: 5, right: true, priority: 7), Column(title: "WHEN (UTC)", width: 19, priority: 8),
            Column(title: "ACTOR", width: 10, priority: 8), Column(title: "ACTION", width: 16, priority: 9),
            Column(title: "ENTITY", width: 18, priority: 7), Column(title: "DETAIL", width: 20, flexible: true, priority: 5),
        ], entries.map { e in
            let target: Target? = e.entity.hasPrefix("model:") ? .model(String(e.entity.dropFirst(6)), .audit) : nil
            return ([Span(String(e.seq)), Span(String(e.at.prefix(19)).replacingAll("T", with: " ")), Span(e.actor), Span(e.action),
                     Span(e.entity), Span(e.detail, .muted)], target ?? .screen(.audit))
        }, width: width)
    }

    // MARK: Asset

    func asset(_ d: AssetDetail, text: String) -> Body {
        let a = d.asset
        var out = Body([Line(" \(a.name) (\(a.id)) · \(a.kind.rawValue)", .title),
                        Line("  Owner: \(a.owner.map { "\($0)\(d.ownerName.map { " — " + $0 } ?? "")" } ?? "— none —")"),
                        Line("  Tags: \(a.tags.isEmpty ? "none" : a.tags.joined(separator: ", "))", a.tags.isEmpty ? .normal : .warning),
                        .blank])
        let models = d.downstream.filter { $0.kind == "model" }.count
        let apps = d.downstream.filter { $0.kind == "application" || $0.kind == "process" }.count
        out.append(heading("DEPENDS ON IT — \(models) models, \(apps) applications and processes, at any depth"))
        appendNodes(d.downstream, to: &out, text: text)
        out.append(.blank)
        out.append(heading("IT DEPENDS ON (\(d.upstream.count))"))
        appendNodes(d.upstream, to: &out, text: text)
        return out
    }

    /// A lineage node table (a widely used dataset has thousands of dependants: made a window at a time).
    func appendNodes(_ nodes: [LineageNode], to out: inout Body, text: String) {
        if nodes.isEmpty { return out.append(Line("  Nothing.", .muted)) }
        let columns = [
            Column(title: "KIND", width: 13, priority: 8), Column(title: "ID", width: 22, priority: 7),
            Column(title: "NAME", width: 24, flexible: true, priority: 9), Column(title: "DEPTH", width: 5, right: true, priority: 6),
            Column(title: "TAGS", width: 16, priority: 5),
        ]
        out += TableLayout.lines(columns, [], width: width)
        out.append(LazyTable(nodes, text: text, columns: columns, width: width) { n in
            ([Span(n.kind), Span(n.id), Span(n.name), Span(String(n.depth)), Span(n.tags.joined(separator: ","), .warning)],
             n.kind == "model" ? .model(n.id, .lineage) : .asset(n.id))
        })
    }
}
