/// The board pack as HTML. The whole page is one layout table whose `<thead>` holds the running
/// header (portfolio, date, audit head): Chromium and Firefox repeat a table's heading on every
/// printed page, with no script and no paged-media extension. Each section is a row of that table.
extension BoardPack {
    /// The content security policy: nothing may be fetched or run; only the page's own styles and
    /// `data:` images apply. Written into the page as it is (it holds quotes, no markup).
    public static let contentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

    public func html() -> String {
        var out = ""
        write(to: &out) { _ in }
        return out
    }

    /// Writes the page section by section (a stream need not hold it all); `more` writes further
    /// sections (`writeTable`) after `tables`, before the footer.
    public func write<Out: TextOutputStream>(to out: inout Out, more: (inout Out) throws -> Void = { _ in }) rethrows {
        let r = report
        var scope = "as of \(r.asOf)"
        if let domain = r.domainFilter { scope += " · domain \(domain)" }
        out.write(("""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="\(HTMLText(stringLiteral: BoardPack.contentSecurityPolicy))">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(r.portfolio) — \(title) \(scope)</title>
            <style>\(HTMLText(stringLiteral: BoardPack.style))</style>
            </head><body>
            <table class="layout"><thead><tr><td><header class="running">
            <span class="portfolio">\(r.portfolio)</span> <span class="scope">\(title) \(scope)</span>
            <span class="head">\(auditHeadLine)</span>
            </header></td></tr></thead><tbody>

            """ as HTMLText).description)
        out.write(section("Key indicators", tiles()).description)
        if !r.coverage.gaps.isEmpty { out.write(section("Not recorded in this inventory", notRecorded()).description) }
        out.write(section("By domain", domainBars()).description)
        out.write(section("Top alerts", alertTable()).description)
        out.write(section("Overdue remediation", overdueTable()).description)
        for table in tables { write(table, to: &out) }
        try more(&out)
        out.write(("<tr><td><footer>Binnacle \(BinnacleVersion.current) · KPIs as the README defines them (“What the numbers mean”); “—” is a value that is undefined or not recorded</footer></td></tr>\n</tbody></table></body></html>\n" as HTMLText).description)
    }

    var auditHeadLine: HTMLText {
        guard let head = auditHead else { return "audit log: no entry on or before \(report.asOf)" }
        return "audit head #\(head.seq) <span class=\"hash\">\(head.hash)</span>"
    }

    func section(_ heading: String, _ body: HTMLText) -> HTMLText {
        "<tr><td><section><h2>\(heading)</h2>\(body)</section></td></tr>\n"
    }

    func tiles() -> HTMLText {
        let k = report.kpis
        var s: HTMLText = "<div class=\"tiles\">"
        for indicator in Indicator.all {
            // A KPI over facts the inventory never records is not a measurement: "—", no chart.
            let recorded = indicator.kpi.map(report.coverage.isRecorded) ?? true
            let value = recorded ? indicator.value(k) : nil
            let unit = value.map { if case .money = $0 { return report.currency } else { return "" } } ?? ""
            s += "<div class=\"tile\" data-kpi=\"\(indicator.key)\"><div class=\"label\">\(indicator.label)</div>"
            s += "<div class=\"value\">\(value?.display ?? Format.undefined)</div>"
            if !unit.isEmpty { s += "<div class=\"unit\">\(unit)</div>" }
            var line: HTMLText = indicator.target.map { "target \($0.label)" } ?? ""
            if let status = recorded ? indicator.status(k)?.rawValue : "not recorded" {
                if !line.description.isEmpty { line += " · " }
                line += "<span class=\"status \(status.replacingAll(" ", with: ""))\">\(status)</span>"
            }
            s += "<div class=\"target\">\(line)</div>"
            let points = report.trend.map { t in (label: String(t.asOf.description.prefix(7)), value: indicator.value(t.kpis)?.number) }
            // The axis is labelled as the KPI's kind is shown (shares as percents), known from any defined point.
            let kind = report.trend.lazy.compactMap { indicator.value($0.kpis) }.first
            if recorded, !points.isEmpty {
                s += SVGChart.line(points, title: "\(indicator.label), 12 month-ends") { v in kind?.label(v) ?? Format.number(v) }
            }
            s += "</div>"
        }
        return s + "</div>"
    }

    func notRecorded() -> HTMLText {
        var s: HTMLText = ""
        for gap in report.coverage.gaps { s += "<p class=\"gap\">\(gap.kpis.keys): \(gap.why).</p>" }
        return s
    }

    func domainBars() -> HTMLText {
        guard !report.domains.isEmpty else { return "<p class=\"note\">No models exist as of \(report.asOf).</p>" }
        var s: HTMLText = "<table class=\"data bars\"><thead><tr><th>Domain</th><th class=\"num\">Production</th>"
        s += "<th colspan=\"2\">Impact share</th><th colspan=\"2\">Documentation complete</th><th class=\"num\">Critical alerts</th><th class=\"num\">Overdue tasks</th></tr></thead><tbody>"
        func bar(_ share: Double?) -> HTMLText {
            "<td class=\"barcell\">\(SVGChart.bar(share))</td><td class=\"num\">\(Format.percent(share))\(share == nil ? " no data" : "")</td>"
        }
        for d in report.domains {
            let k = d.kpis
            s += "<tr><td class=\"name\">\(d.domain)</td><td class=\"num\">\(k.productionModels)</td>"
            s += bar(k.valueRecorded90d ? k.impactShare : nil) + bar(k.docsCompleteShare)
            s += "<td class=\"num\">\(k.alertsCritical)</td><td class=\"num\">\(k.overdueTasks)</td></tr>"
        }
        return s + "</tbody></table>"
    }

    func alertTable() -> HTMLText {
        let critical = report.kpis.alertsCritical
        var s: HTMLText = "<p class=\"note\">\(alertCount) alert\(alertCount == 1 ? "" : "s") as of \(report.asOf), \(critical) critical"
        s += alerts.count < alertCount ? "; the first \(alerts.count), critical first.</p>" : ".</p>"
        guard !alerts.isEmpty else { return s }
        s += "<table class=\"data\"><thead><tr><th>Severity</th><th>Model</th><th>ID</th><th>Alert</th></tr></thead><tbody>"
        for a in alerts {
            let severity = a.alert.severity.rawValue
            s += "<tr><td class=\"sev \(severity)\">\(severity)</td><td class=\"name\">\(a.modelName)</td><td class=\"id\">\(a.alert.modelId)</td><td>\(a.alert.summary)</td></tr>"
        }
        return s + "</tbody></table>"
    }

    func overdueTable() -> HTMLText {
        var s: HTMLText = "<p class=\"note\">\(overdueCount) open task\(overdueCount == 1 ? "" : "s") past due as of \(report.asOf)"
        s += overdueTasks.count < overdueCount ? "; the \(overdueTasks.count) most overdue.</p>" : ".</p>"
        guard !overdueTasks.isEmpty else { return s }
        s += "<table class=\"data\"><thead><tr><th>Model</th><th>Task</th><th>Assignee</th><th>Due</th><th class=\"num\">Days overdue</th></tr></thead><tbody>"
        for o in overdueTasks {
            let due = o.task.dueAt.day
            s += "<tr><td class=\"name\">\(o.modelName) <span class=\"id\">\(o.task.modelId)</span></td><td class=\"name\">\(o.task.title)</td><td>\(o.task.assignee)</td>"
            s += "<td class=\"date\">\(due)</td><td class=\"num\">\(report.asOf - due)</td></tr>"
        }
        return s + "</tbody></table>"
    }

    /// An extra table.
    public func write<Out: TextOutputStream>(_ table: Table, to out: inout Out) {
        writeTable(title: table.title, note: table.note, headers: table.headers, to: &out) { emit in table.rows.forEach(emit) }
    }

    /// An extra table whose rows are made as they are written: `rows` calls `emit` once per row, so a
    /// table of 50,000 models is never held whole. A table with no row says "None.".
    public func writeTable<Out: TextOutputStream>(title: String, note: String? = nil, headers: [String], to out: inout Out,
                                                  rows: (([String]) -> Void) throws -> Void) rethrows {
        var head: HTMLText = "<tr><td><section><h2>\(title)</h2>"
        if let note { head += "<p class=\"note\">\(note)</p>" }
        var started = false
        var line = ""
        try rows { row in
            if !started {
                started = true
                var columns = head + "<table class=\"data\"><thead><tr>"
                for h in headers { columns += "<th>\(h)</th>" }
                out.write((columns + "</tr></thead><tbody>\n").description)
            }
            // Each cell escaped straight into one reused line, as `<td>\(cell)</td>` would be (an evidence pack writes 160,000 rows).
            line.removeAll(keepingCapacity: true)
            line += "<tr>"
            for i in 0..<max(row.count, headers.count) {
                line += "<td>"
                if i < row.count { HTMLText.escape(row[i], into: &line) }
                line += "</td>"
            }
            line += "</tr>\n"
            out.write(line)
        }
        out.write(started ? "</tbody></table></section></td></tr>\n" : (head + "<p class=\"note\">None.</p></section></td></tr>\n").description)
    }
}

extension KPIValue {
    /// Another value of the same kind, as an axis label or tooltip shows it (shares to whole percents).
    func label(_ v: Double) -> String {
        switch self {
        case .share: return Format.percent(v, decimals: 0)
        case .money: return Format.compact(v)
        case .count: return Format.number(v)
        case .days: return Format.days(v)
        }
    }
}
