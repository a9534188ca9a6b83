/// The report in each output format (`binnacle report --format ...`).
extension PortfolioReport {
    public func json(indent: Int? = 2) -> String {
        func kpiObject(_ k: KPIs, domain: String? = nil) -> JSON {
            var pairs: [(String, JSON)] = domain.map { [("domain", .string($0))] } ?? []
            pairs += k.fields.map { ($0.key, $0.value.json) }
            return .object(pairs)
        }
        var pairs: [(String, JSON)] = [
            ("as_of", .string(asOf.description)),
            ("portfolio", .string(portfolio)),
            ("currency", .string(currency)),
        ]
        if let domainFilter { pairs.append(("domain_filter", .string(domainFilter))) }
        pairs += [
            ("kpis", kpiObject(kpis)),
            ("domains", .array(domains.map { kpiObject($0.kpis, domain: $0.domain) })),
            ("trend", .array(trend.map { .object([("as_of", .string($0.asOf.description)), ("kpis", kpiObject($0.kpis))]) })),
        ]
        return JSON.object(pairs).serialized(indent: indent) + "\n"
    }

    /// One row per domain plus a total row; numbers at full precision, undefined values empty.
    public func csv() -> String {
        let keys = kpis.fields.map(\.key)
        var lines = [(["as_of", "scope", "domain"] + keys).joined(separator: ",")]
        func row(_ scope: String, _ domain: String, _ k: KPIs) -> String {
            let values = k.fields.map { field -> String in
                if case .null = field.value.json { return "" }
                return field.value.json.serialized()
            }
            return ([asOf.description, scope, CSVText.quote(domain)] + values).joined(separator: ",")
        }
        for d in domains { lines.append(row("domain", d.domain, d.kpis)) }
        lines.append(row("total", domainFilter ?? "", kpis))
        return lines.joined(separator: "\n") + "\n"
    }

    /// The headline rows: label, value, target and whether it is met.
    var headline: [(label: String, value: String, target: String, status: String)] {
        let k = kpis
        let met: String
        if !k.valueRecorded90d { met = "no value recorded in 90 days" }
        else if let ok = Targets.impact.isMet(k) { met = ok ? "met" : "BELOW TARGET" } else { met = "no production models" }
        let noValue = "— (no value recorded)"
        func status(_ target: KPITarget, missed: String) -> String { target.isMet(k).map { $0 ? "met" : missed } ?? "" }
        return [
            ("Impact share (production models with value)", k.valueRecorded90d ? Format.percent(k.impactShare) : noValue,
             Targets.impact.label, met),
            ("Built-to-value share", k.valueRecorded90d ? Format.percent(k.builtToValueShare) : noValue, "", ""),
            ("Value, last 12 months", k.valueRecorded12m ? Format.compact(k.value12m) + " " + currency : noValue, "", ""),
            ("Cost, last 12 months", k.valueRecorded12m ? Format.compact(k.cost12m) + " " + currency : noValue, "", ""),
            ("ROI, last 12 months", k.valueRecorded12m ? Format.percent(k.roi12m) : noValue,
             k.valueRecorded12m ? Targets.roi.label : "", k.valueRecorded12m ? status(Targets.roi, missed: "negative") : ""),
            ("Alerts", "\(k.alertsCritical) critical on \(k.modelsWithCritical) models, \(k.alertsWarning) warning",
             Targets.noCriticalAlerts.label, status(Targets.noCriticalAlerts, missed: "BREACHED")),
            ("Documentation complete (production)", Format.percent(k.docsCompleteShare), Targets.docsComplete.label,
             status(Targets.docsComplete, missed: "gaps")),
            ("Median days to production (12 months)", Format.days(k.medianDaysToProduction), "", ""),
            ("Shelved share of built models", Format.percent(k.shelvedShare), "", ""),
            ("Remediation tasks", "\(k.openTasks) open, \(k.overdueTasks) overdue", Targets.noOverdueTasks.label,
             status(Targets.noOverdueTasks, missed: "overdue")),
            ("Models", "\(k.productionModels) in production, \(k.builtModels) built", "", ""),
        ]
    }

    static let domainColumns: [(title: String, value: @Sendable (KPIs) -> String)] = [
        ("Prod", { String($0.productionModels) }),
        ("Impact", { $0.valueRecorded90d ? Format.percent($0.impactShare) : Format.undefined }),
        ("Built→val", { $0.valueRecorded90d ? Format.percent($0.builtToValueShare) : Format.undefined }),
        ("Value 12m", { $0.valueRecorded12m ? Format.compact($0.value12m) : Format.undefined }),
        ("ROI 12m", { $0.valueRecorded12m ? Format.percent($0.roi12m, decimals: 0) : Format.undefined }),
        ("Crit", { String($0.alertsCritical) }),
        ("Warn", { String($0.alertsWarning) }),
        ("Docs", { Format.percent($0.docsCompleteShare, decimals: 0) }),
        ("Median", { Format.days($0.medianDaysToProduction) }),
        ("Shelved", { Format.percent($0.shelvedShare, decimals: 0) }),
        ("Tasks", { "\($0.openTasks)/\($0.overdueTasks)" }),
    ]

    public func text() -> String {
        var out = "\(portfolio) — AI portfolio as of \(asOf)"
        if let domainFilter { out += " — domain \(domainFilter)" }
        out += "\n\n"
        let rows = headline
        let labelWidth = rows.map(\.label.count).max() ?? 0
        let valueWidth = rows.map(\.value.count).max() ?? 0
        for r in rows {
            var line = Format.cell(r.label, labelWidth) + "  " + Format.cell(r.value, valueWidth, right: true)
            if !r.target.isEmpty { line += "   target " + r.target + "  " + r.status }
            out += line.trailingSpacesTrimmed + "\n"
        }
        if !kpis.valueRecorded12m && kpis.productionModels > 0 {
            out += "\nNo value or cost has been recorded for the last 12 months: impact share, value and ROI are not measured (—).\n"
        }
        out += "\n" + domainTable()
        if trend.count > 1 {
            out += "\nImpact share trend (month-ends \(trend.first!.asOf) … \(trend.last!.asOf)): "
            out += trend.map { Format.percent($0.kpis.impactShare, decimals: 0) }.joined(separator: " ") + "\n"
        }
        return out
    }

    func domainTable() -> String {
        if domains.isEmpty { return "No models exist as of \(asOf).\n" }
        let columns = PortfolioReport.domainColumns
        let nameWidth = max(6, min(28, domains.map(\.domain.count).max() ?? 0))
        var widths = columns.map(\.title.count)
        for d in domains + [(domain: "Total", kpis: kpis)] {
            for (i, c) in columns.enumerated() { widths[i] = max(widths[i], c.value(d.kpis).count) }
        }
        func line(_ name: String, _ cells: [String]) -> String {
            var s = Format.cell(name, nameWidth)
            for (i, c) in cells.enumerated() { s += "  " + Format.cell(c, widths[i], right: true) }
            return s + "\n"
        }
        var out = line("Domain", columns.map(\.title))
        out += String(repeating: "─", count: nameWidth + widths.reduce(0) { $0 + $1 + 2 }) + "\n"
        for d in domains { out += line(d.domain, columns.map { $0.value(d.kpis) }) }
        out += line("Total", columns.map { $0.value(kpis) })
        return out
    }

    /// A board-pack page.
    public func markdown() -> String {
        var out = "# \(portfolio): AI portfolio as of \(asOf)\n\n"
        if let domainFilter { out += "Domain: **\(CSVText.markdownCell(domainFilter))**\n\n" }
        let k = kpis
        out += "**\(Format.percent(k.impactShare)) of production models deliver business value** "
        out += "(target \(Targets.impact.label)). "
        out += "12-month value \(Format.compact(k.value12m)) \(currency) against cost \(Format.compact(k.cost12m)) \(currency) "
        out += "(ROI \(Format.percent(k.roi12m))). "
        out += "\(k.alertsCritical) critical alerts on \(k.modelsWithCritical) models; "
        out += "\(k.overdueTasks) of \(k.openTasks) open remediation tasks overdue.\n\n"
        out += "## Key indicators\n\n| Indicator | Value | Target | Status |\n| --- | ---: | --- | --- |\n"
        for r in headline { out += "| \(r.label) | \(r.value) | \(r.target) | \(r.status) |\n" }
        out += "\n## By domain\n\n"
        let columns = PortfolioReport.domainColumns
        out += "| Domain | " + columns.map(\.title).joined(separator: " | ") + " |\n"
        out += "| --- |" + String(repeating: " ---: |", count: columns.count) + "\n"
        for d in domains + [(domain: "**Total**", kpis: kpis)] {
            let name = d.domain == "**Total**" ? d.domain : CSVText.markdownCell(d.domain)
            out += "| \(name) | " + columns.map { $0.value(d.kpis) }.joined(separator: " | ") + " |\n"
        }
        if !trend.isEmpty {
            out += "\n## Twelve-month trend\n\n| Month end | Impact share | Value 12m | ROI 12m | Critical alerts | Docs complete | Open tasks |\n"
            out += "| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n"
            for t in trend {
                let k = t.kpis
                out += "| \(t.asOf) | \(Format.percent(k.impactShare)) | \(Format.compact(k.value12m)) | \(Format.percent(k.roi12m)) | \(k.alertsCritical) | \(Format.percent(k.docsCompleteShare)) | \(k.openTasks) |\n"
            }
        }
        return out
    }
}

/// Quoting for the text formats the core writes.
public enum CSVText {
    /// RFC 4180: quote a field holding a comma, quote, CR or LF; double inner quotes.
    public static func quote(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingAll("\"", with: "\"\"") + "\""
    }

    public static func markdownCell(_ text: String) -> String {
        text.replacingAll("|", with: "\\|").replacingAll("\n", with: " ")
    }
}

extension String {
    /// Replace without Foundation.
    public func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        for c in self { if c == target { out += replacement } else { out.append(c) } }
        return out
    }

    var trailingSpacesTrimmed: String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
