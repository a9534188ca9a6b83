import BinnacleCore
import TerminalUI

/// One model's page: a tab strip and the tab's lines. Tab and ←/→ switch tabs; `:setstage S` records a change of stage.
struct ModelDetailScreen: DashboardScreen {
    let screens: Screens
    var symbols: Symbols { screens.symbols }
    var width: Int { screens.width }
    var asOf: Day { screens.asOf }

    // MARK: State and keys

    /// `:setstage S` records a change of the model's stage, with a confirmation: a write is its own verb
    /// (`:stage S` is the Models screen's filter everywhere, a model's page included).
    static func run(verb: String, argument: String, _ state: inout AppState) -> Bool {
        guard verb == "setstage" else { return false }
        guard let id = state.page.modelId else {
            state.say("setstage changes the stage of the model shown: open one first (Enter on a model, or :model ID)", error: true)
            return true
        }
        guard let stage = Stage(rawValue: argument) else {
            state.say("setstage needs a stage: \(Stage.allCases.map(\.rawValue).joined(separator: ", "))", error: true)
            return true
        }
        state.startStage(modelId: id, stage: stage)
        return true
    }

    static func handle(_ action: Action, _ state: inout AppState) -> Bool {
        guard action == .nextTab || action == .previousTab else { return false }
        let tabs = DetailTab.allCases
        let step = action == .nextTab ? 1 : tabs.count - 1
        state.page.tab = tabs[(state.page.tab.rawValue + step) % tabs.count]
        state.page.toTop()
        return true
    }

    // MARK: Reads (run by the loop)

    /// The model's detail and its lineage both ways, in one read.
    static func load(_ r: LoadRequest, from source: PortfolioSource) throws -> (PageData, PageLists?) {
        guard case .model(let id) = r.kind else { throw ScreenError.wrongPage }
        let read = try source.modelScreen(id: id, asOf: r.asOf)
        return (.model(read.detail, upstream: read.upstream, downstream: read.downstream, nodes: read.nodes), nil)
    }

    // MARK: View

    func lines(_ page: Page, _ d: ModelDetail, _ up: [LineageEdge], _ down: [LineageEdge],
               _ nodes: [String: (kind: String, name: String, tags: [String])]) -> [Line] {
        let m = d.model
        var out = [Line([Span(" \(m.name)", .title), Span("  \(m.id) · \(m.domain) · \(m.kind.rawValue) · tier \(m.riskTier.rawValue) · ", .muted),
                         Span(d.stageLabel, d.stage == .production ? .good : .normal)] + alertBadge(d))]
        let tabs = TabBar(DetailTab.allCases.map(\.title), selected: DetailTab.allCases.firstIndex(of: page.tab), gap: " ")
        var strip = Line([Span(" ")] + tabs.spans() + [Span(" "), Span("  Tab/←/→ switch", .muted)])
        strip.tabStrip = (tabs, 1)
        out.append(strip)
        out.append(.blank)
        switch page.tab {
        case .summary: out += summary(d)
        case .value: out += value(d)
        case .monitoring: out += monitoring(d)
        case .documents: out += documents(d)
        case .lineage:
            out.append(screens.heading("UPSTREAM — what it depends on"))
            out += tree(root: m.id, edges: up, upstream: true, nodes: nodes)
            out.append(.blank)
            out.append(screens.heading("DOWNSTREAM — what depends on it"))
            out += tree(root: m.id, edges: down, upstream: false, nodes: nodes)
        case .tasks: out += screens.taskLines(d.tasks, [:])
        case .audit:
            out += d.audit.isEmpty ? [Line("  No audit entries about this model yet.", .muted)] : screens.auditLines(d.audit)
        }
        return out
    }

    func alertBadge(_ d: ModelDetail) -> [Span] {
        let critical = d.alerts.filter { $0.severity == .critical }.count, warning = d.alerts.count - critical
        if critical > 0 { return [Span("  \(symbols.bad) \(critical) critical", .critical)] }
        if warning > 0 { return [Span("  \(symbols.warning) \(warning) warning", .warning)] }
        return []
    }

    func field(_ label: String, _ value: String, _ role: StyleRole = .normal) -> Line {
        Line([Span("  " + DisplayWidth.fit(label, 16), .muted), Span(value, role)])
    }

    func summary(_ d: ModelDetail) -> [Line] {
        let m = d.model
        var out = [field("Description", m.description?.isEmpty == false ? m.description! : "—"),
                   field("Use case", m.useCase?.isEmpty == false ? m.useCase! : "—"),
                   field("Kind", m.kind.rawValue), field("Risk tier", "\(m.riskTier.rawValue) (\(["high", "medium", "low"][m.riskTier.rawValue - 1]))"),
                   field("Tags", m.tags.isEmpty ? "—" : m.tags.joined(separator: ", "), m.tags.isEmpty ? .normal : .warning),
                   field("Vendor", m.vendor ?? "— (built in-house)"),
                   field("Created (idea)", m.createdAt.day.description), .blank]
        for p in d.people {
            var text = p.person.map { "\($0.name) <\($0.email)> · \($0.role.rawValue)" } ?? (p.login.map { "\($0) (not in people)" } ?? "— none —")
            var role: StyleRole = .normal
            if p.person?.active == false { text += " · INACTIVE"; role = .warning }
            if p.role == "validator" {
                if p.login == nil { text += "  \(symbols.bad) no independent validation"; role = .critical }
                else if !Independence.holds(p.login, developer: m.developer) {
                    text += "  \(symbols.bad) validator is the developer (not independent)"; role = .critical
                }
            }
            out.append(Line([Span("  " + DisplayWidth.fit(p.role.prefix(1).uppercased() + p.role.dropFirst(), 16), .muted), Span(text, role)],
                            target: p.login.map { .person($0) }))
        }
        out.append(.blank)
        out.append(screens.heading("STAGE TIMELINE"))
        if d.stageHistory.isEmpty { out.append(Line("  No stage changes: still an idea.", .muted)) }
        for (i, s) in d.stageHistory.enumerated() {
            let previous = i > 0 ? d.stageHistory[i - 1].changedAt.day : m.createdAt.day
            out.append(Line([Span("  \(s.changedAt.day)  "), Span(DisplayWidth.fit(s.stage.rawValue, 12), s.stage == .production ? .good : .normal),
                             Span(DisplayWidth.fit("+\(s.changedAt.day - previous)d", 7), .muted),
                             Span("\(s.changedBy ?? "")\(s.note.map { "  " + $0 } ?? "")", .muted)]))
        }
        return out
    }

    func value(_ d: ModelDetail) -> [Line] {
        var out = [field("Value, 90 days", Format.compact(d.value90d), Impact.holds(value90d: d.value90d) ? .good : .warning),
                   field("Value, 12 months", Format.compact(d.value12m)), field("Cost, 12 months", Format.compact(d.cost12m)),
                   field("ROI, 12 months", Format.percent(KPIs.ratio(d.value12m - d.cost12m, d.cost12m))), .blank,
                   screens.heading("BY MONTH (value ■, cost □)")]
        if d.monthly.isEmpty { out.append(Line("  No value or cost recorded in the last 12 months.", .muted)) }
        // Sums of huge records can overflow to infinity: then no bar is drawn rather than a NaN length.
        let top = d.monthly.map { max(abs($0.value), $0.cost) }.filter(\.isFinite).max() ?? 0
        let barWidth = max(10, (width - 34) / 2)
        let full = symbols.spark.last!, empty = symbols.ok == "✓" ? "□" : "o"
        for month in d.monthly {
            let v = top > 0 && month.value.isFinite ? Int((abs(month.value) / top * Double(barWidth)).rounded()) : 0
            let c = top > 0 && month.cost.isFinite ? Int((month.cost / top * Double(barWidth)).rounded()) : 0
            out.append(Line([Span("  \(month.month)  "), Span(DisplayWidth.fit(Format.compact(month.value), 7, right: true) + " "),
                             Span(DisplayWidth.fit(String(repeating: full, count: v), barWidth), month.value < 0 ? .critical : .good),
                             Span(" " + DisplayWidth.fit(Format.compact(month.cost), 7, right: true) + " "),
                             Span(String(repeating: empty, count: c), .muted)]))
        }
        return out
    }

    func monitoring(_ d: ModelDetail) -> [Line] {
        var out: [Line] = []
        if d.monitors.isEmpty {
            out.append(Line("  No monitors.\(d.stage == .production ? " A production model without monitoring is an alert in itself." : "")",
                            d.stage == .production ? .warning : .muted))
        }
        let sparkWidth = max(10, min(40, width - 84))
        out += TableLayout.lines([
            Column(title: "METRIC", width: 18, flexible: true, priority: 9), Column(title: "STATE", width: 11, priority: 9),
            Column(title: "LATEST", width: 9, right: true, priority: 9), Column(title: "WARN", width: 7, right: true, priority: 7),
            Column(title: "CRITICAL", width: 8, right: true, priority: 8), Column(title: "BAD IF", width: 6, priority: 5),
            Column(title: "OBSERVED", width: 16, priority: 6), Column(title: "TREND", width: sparkWidth, priority: 4),
        ], d.monitors.map { s in
            let state: Span
            switch s.state {
            case "critical": state = Span("\(symbols.bad) critical", .critical)
            case "warning": state = Span("\(symbols.warning) warning", .warning)
            case "stale": state = Span("\(symbols.warning) stale", .warning)
            default: state = d.stage == .production ? Span("\(symbols.ok) ok", .good) : Span("—", .muted)
            }
            let spark = Sparkline.render(s.recent.suffix(sparkWidth).map { Optional($0) }, symbols: symbols)
            return ([Span(s.monitor.metric), state, Span(Format.number(s.lastValue)), Span(Format.number(s.monitor.warn)),
                     Span(Format.number(s.monitor.critical)), Span(s.monitor.direction == .above ? "≥" : "≤"),
                     Span(s.lastAt.map { "\($0.day) (\(asOf - $0.day)d)" } ?? "never"), Span(spark, .accent)], nil)
        }, width: width)
        if !d.observed.isEmpty {
            out.append(.blank)
            out.append(screens.heading("OBSERVED, NOT MONITORED — no thresholds, so no alerts"))
            out += TableLayout.lines([
                Column(title: "METRIC", width: 18, flexible: true, priority: 9), Column(title: "LATEST", width: 9, right: true, priority: 9),
                Column(title: "OBSERVED", width: 16, priority: 6), Column(title: "COUNT", width: 6, right: true, priority: 5),
                Column(title: "TREND", width: sparkWidth, priority: 4),
            ], d.observed.map { o in
                ([Span(o.metric), Span(Format.number(o.lastValue)), Span("\(o.lastAt.day) (\(asOf - o.lastAt.day)d)"), Span(String(o.count)),
                  Span(Sparkline.render(o.recent.suffix(sparkWidth).map { Optional($0) }, symbols: symbols), .accent)], nil)
            }, width: width)
        }
        if !d.drift.isEmpty {
            out.append(.blank)
            out.append(screens.heading("DRIFT BY FEATURE — latest; drift at PSI \(DriftMetric.psi.rule), JS \(DriftMetric.js.rule), "
                                       + "Wasserstein \(DriftMetric.wasserstein.rule), KS p \(DriftMetric.ksPValue.rule)"))
            func cell(_ v: Double?, _ statistic: DriftMetric) -> Span {
                guard let v else { return Span("—", .muted) }
                return statistic.isDrift(v) ? Span("\(symbols.bad) \(Format.fixed(v, decimals: 4))", .warning) : Span(Format.fixed(v, decimals: 4))
            }
            out += TableLayout.lines([
                Column(title: "FEATURE", width: 16, flexible: true, priority: 9), Column(title: "PSI", width: 9, right: true, priority: 9),
                Column(title: "JS", width: 9, right: true, priority: 7), Column(title: "WASSERSTEIN", width: 11, right: true, priority: 6),
                Column(title: "KS P", width: 9, right: true, priority: 8), Column(title: "WHEN", width: 10, priority: 5),
            ], d.drift.map { f in
                ([Span(f.feature), cell(f.psi, .psi), cell(f.jensenShannon, .js), cell(f.wasserstein, .wasserstein), cell(f.ksPValue, .ksPValue),
                  Span(f.at.map { $0.day.description } ?? "—")], nil)
            }, width: width)
        }
        if !d.alerts.isEmpty {
            out.append(.blank)
            out.append(screens.heading("ALERTS"))
            for a in d.alerts { out.append(Line([Span("  "), screens.severity(a), Span("  " + a.summary)])) }
        }
        return out
    }

    func documents(_ d: ModelDetail) -> [Line] {
        var out = [screens.heading("REQUIRED FOR TIER \(d.model.riskTier.rawValue)\(d.model.kind == .genai ? " + GEN-AI" : "")")]
        for r in d.requiredDocuments {
            out.append(Line([Span("  "), r.current ? Span("\(symbols.ok) ", .good) : Span("\(symbols.bad) ", .critical),
                             Span(DisplayWidth.fit(r.kind, 20)), Span(r.current ? "current" : "not current", r.current ? .good : .critical)]))
        }
        out.append(.blank)
        out.append(screens.heading("VERSIONS"))
        if d.documents.isEmpty { out.append(Line("  No documents.", .muted)) }
        out += TableLayout.lines([
            Column(title: "KIND", width: 18, priority: 9), Column(title: "VER", width: 5, priority: 7),
            Column(title: "STATUS", width: 9, priority: 9), Column(title: "APPROVED", width: 10, priority: 8),
            Column(title: "BY", width: 10, priority: 6), Column(title: "EXPIRES", width: 10, priority: 8),
            Column(title: "LINK", width: 16, flexible: true, priority: 3),
        ], d.documents.map { s in
            let doc = s.document
            let role: StyleRole = s.state == .current ? .good : s.state == .expired ? .warning : .muted
            // An approval by the developer is marked; an unapproved draft is not.
            let byDeveloper = doc.approvedBy != nil && !Independence.holds(doc.approvedBy, developer: d.model.developer)
            return ([Span(doc.kind.rawValue), Span(doc.version), Span(s.state.rawValue, role),
                     Span(doc.approvedAt.map { $0.day.description } ?? "—"),
                     Span((doc.approvedBy ?? "—") + (byDeveloper ? " (dev!)" : ""), byDeveloper ? .critical : .normal),
                     Span(doc.expiresAt.map { $0.day.description } ?? "never"), Span(doc.uri ?? "", .muted)],
                    .document(modelId: doc.modelId, kind: doc.kind, version: doc.version))
        }, width: width)
        return out
    }

    /// The lineage as a tree from `root`, every depth. A node already on the path is a cycle (marked,
    /// not followed); a node already drawn elsewhere is named but not expanded again.
    func tree(root: String, edges: [LineageEdge], upstream: Bool,
              nodes: [String: (kind: String, name: String, tags: [String])]) -> [Line] {
        var children: [String: [String]] = [:]
        for e in edges {
            if upstream { children[e.downstream, default: []].append(e.upstream) } else { children[e.upstream, default: []].append(e.downstream) }
        }
        if children[root] == nil { return [Line("  Nothing.", .muted)] }
        var out: [Line] = []
        var expanded: Set<String> = [root]
        func walk(_ id: String, prefix: String, path: Set<String>) {
            let kids = (children[id] ?? []).sorted()
            for (i, kid) in kids.enumerated() {
                let last = i == kids.count - 1
                let info = nodes[kid]
                let kind = info?.kind ?? "?"
                var spans = [Span("  " + prefix + (last ? symbols.lastBranch : symbols.branch) + " "),
                             Span(DisplayWidth.fit(kind, 13), .muted), Span(kid, kind == "model" ? .accent : .normal),
                             Span(info.map { "  " + $0.name } ?? "", .muted)]
                if let tags = info?.tags, !tags.isEmpty { spans.append(Span("  [\(tags.joined(separator: ","))]", .warning)) }
                let target: Target = kind == "model" ? .model(kid, .lineage) : .asset(kid)
                if path.contains(kid) {
                    spans.append(Span("  \(symbols.cycle) cycle", .critical))
                    out.append(Line(spans, target: target))
                } else if expanded.contains(kid) && children[kid] != nil {
                    spans.append(Span("  (shown above)", .muted))
                    out.append(Line(spans, target: target))
                } else {
                    expanded.insert(kid)
                    out.append(Line(spans, target: target))
                    walk(kid, prefix: prefix + (last ? "   " : symbols.vertical + " "), path: path.union([kid]))
                }
            }
        }
        walk(root, prefix: "", path: [root])
        return out
    }
}
