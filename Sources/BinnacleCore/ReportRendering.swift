import DisplayText

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
        if !coverage.gaps.isEmpty {
            pairs.append(("not_recorded", .array(coverage.gaps.map { .object([("kpis", .array($0.kpis.map { .string($0.rawValue) })), ("why", .string($0.why))]) })))
        }
        return JSON.object(pairs).serialized(indent: indent) + "\n"
    }

    /// One row per domain plus a total row; numbers at full precision, undefined values empty; then each
    /// target's status (`met`, `missed`, `no data`) under `<key>_status`.
    public func csv() -> String {
        let keys = kpis.fields.map(\.key) + Targets.byKey.map { $0.key + "_status" }
        var lines = [(["as_of", "scope", "domain"] + keys).joined(separator: ",")]
        func row(_ scope: String, _ domain: String, _ k: KPIs) -> String {
            let values = k.fields.map { field -> String in
                if case .null = field.value.json { return "" }
                return field.value.json.serialized()
            } + Targets.byKey.map { $0.target.status(k).rawValue }
            return ([asOf.description, scope, CSVText.cell(domain)] + values).joined(separator: ",")
        }
        for d in domains { lines.append(row("domain", d.domain, d.kpis)) }
        lines.append(row("total", domainFilter ?? "", kpis))
        return lines.joined(separator: "\n") + "\n"
    }

    /// The headline rows: label, value, target, whether it is met (`TargetStatus`) and the change since
    /// the previous month-end (`77.8% → 80.0%  +2.2 pt ▲ better`).
    var headline: [(label: String, value: String, target: String, status: String, change: String)] {
        let k = kpis
        let noValue = "— (no value recorded)"
        let previous = previousMonthEnd?.kpis
        func row(_ label: String, _ measure: KPIName?, unit: String = "", _ shown: (KPIs) -> String)
            -> (label: String, value: String, target: String, status: String, change: String) {
            var change = ""
            if let measure, let previous {
                let delta = delta(measure)
                change = "\(measure.formatted(previous)) → \(measure.formatted(k))\(unit)"
                if let verdict = delta.verdict { change += "  \(delta.change) \(verdict.label)" }
            }
            // A KPI over facts the inventory never records meets or misses nothing (Coverage).
            let recorded = measure.map { coverage.isRecorded($0) } ?? true
            let target = measure?.target
            return (label, shown(k) + (recorded ? "" : " (not recorded)"), target?.label ?? "",
                    target.map { (recorded ? $0.status(k) : .noData).label } ?? "", change)
        }
        func shown(_ m: KPIName) -> (KPIs) -> String { { m.formatted($0) } }
        func measured90d(_ m: KPIName) -> (KPIs) -> String { { $0.valueRecorded90d ? m.formatted($0) : noValue } }
        let money: (KPIs) -> String = { $0.valueRecorded12m ? Format.compact($0.value12m) + " " + self.currency : noValue }
        return [
            row("Impact share (production models with value)", .impactShare, measured90d(.impactShare)),
            row("Built-to-value share", .builtToValueShare, measured90d(.builtToValueShare)),
            row("Value, last 12 months", .value12m, money),
            row("Cost, last 12 months", nil) { $0.valueRecorded12m ? Format.compact($0.cost12m) + " " + self.currency : noValue },
            row("ROI, last 12 months", .roi12m) { $0.valueRecorded12m ? Format.percent($0.roi12m) : noValue },
            row("Alerts", .alertsCritical, unit: " critical") {
                Format.alerts(critical: $0.alertsCritical, models: $0.modelsWithCritical, warning: $0.alertsWarning)
            },
            row("Documentation complete (production)", .docsCompleteShare, shown(.docsCompleteShare)),
            row("Median days to production (12 months)", .medianDaysToProduction, shown(.medianDaysToProduction)),
            row("Shelved share of built models", .shelvedShare, shown(.shelvedShare)),
            row("Remediation tasks", .overdueTasks, unit: " overdue") { "\($0.openTasks) open, \($0.overdueTasks) overdue" },
            row("Models", nil) { "\($0.productionModels) in production, \($0.builtModels) built" },
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
        ("Tasks", { "\($0.openTasks) · \($0.overdueTasks)" }),
    ]

    public func text() -> String {
        var out: SafeText = "\(portfolio) — AI portfolio as of \(asOf)"
        if let domainFilter { out += " — domain \(domainFilter)" }
        out += "\n\n"
        let rows = headline
        func width(_ cell: (String, String, String, String, String) -> String) -> Int {
            rows.map { DisplayWidth.of(cell($0.label, $0.value, $0.target, $0.status, $0.change)) }.max() ?? 0
        }
        let labelWidth = width { l, _, _, _, _ in l }, valueWidth = width { _, v, _, _, _ in v }
        let targetWidth = width { _, _, t, _, _ in t }, statusWidth = width { _, _, _, s, _ in s }
        if let previous = previousMonthEnd { out += "Changes are since the previous month-end, \(previous.asOf).\n\n" }
        for r in rows {
            var line = Format.cell(r.label, labelWidth) + "  " + Format.cell(r.value, valueWidth, right: true)
            line += "   " + Format.cell(r.target.isEmpty ? "" : "target " + r.target, targetWidth + 7)
            line += "  " + Format.cell(r.status, statusWidth) + "   " + r.change
            out += "\(line.trailingSpacesTrimmed)\n"
        }
        // When no value was ever recorded, `notRecorded` says so (once).
        if !kpis.valueRecorded12m && kpis.productionModels > 0 && coverage.value {
            out += "\nNo value or cost has been recorded for the last 12 months: impact share, value and ROI are not measured (—).\n"
        }
        out += notRecorded
        out += "\n\(domainTable())"
        if trend.count > 1 {
            out += "\nImpact share trend (month-ends \(trend.first!.asOf) … \(trend.last!.asOf)): "
            out += "\(trend.map { KPIName.impactShare.value($0.kpis).map { Format.percent($0, decimals: 0) } ?? Format.undefined }.joined(separator: " "))\n"
        }
        return out.description
    }

    /// The inventory's gaps, one line each, so that a zero it cannot measure is not read as a measurement.
    var notRecorded: SafeText {
        var out: SafeText = ""
        if !coverage.gaps.isEmpty { out += "\nNot recorded in this inventory:\n" }
        for gap in coverage.gaps { out += "  \(gap.kpis.keys): \(gap.why).\n" }
        return out
    }

    func domainTable() -> SafeText {
        if domains.isEmpty { return "No models exist as of \(asOf).\n" }
        let columns = PortfolioReport.domainColumns
        let nameWidth = max(6, min(28, domains.map { DisplayWidth.of($0.domain) }.max() ?? 0))
        var widths = columns.map { DisplayWidth.of($0.title) }
        for d in domains + [(domain: "Total", kpis: kpis)] {
            for (i, c) in columns.enumerated() { widths[i] = max(widths[i], DisplayWidth.of(c.value(d.kpis))) }
        }
        // Each cell is cut and sanitised to its width, so a name cannot break the row.
        func line(_ name: String, _ cells: [String]) -> SafeText {
            var s = Format.cell(name, nameWidth)
            for (i, c) in cells.enumerated() { s += "  " + Format.cell(c, widths[i], right: true) }
            return "\(s)\n"
        }
        var out = line("Domain", columns.map(\.title))
        out += "\(String(repeating: "─", count: nameWidth + widths.reduce(0) { $0 + $1 + 2 }))\n"
        for d in domains { out += line(d.domain, columns.map { $0.value(d.kpis) }) }
        out += line("Total", columns.map { $0.value(kpis) })
        return out
    }

    /// A board-pack page.
    public func markdown() -> String {
        let currency = CSVText.markdownCell(currency)
        var out = "# \(CSVText.markdownCell(portfolio)): AI portfolio as of \(asOf)\n\n"
        if let domainFilter { out += "Domain: **\(CSVText.markdownCell(domainFilter))**\n\n" }
        let k = kpis
        out += "**\(KPIName.impactShare.formatted(k)) of production models deliver business value** "
        out += "(target \(Targets.impact.label)). "
        out += "12-month value \(Format.compact(k.value12m)) \(currency) against cost \(Format.compact(k.cost12m)) \(currency) "
        out += "(ROI \(KPIName.roi12m.formatted(k))). "
        out += "Alerts: \(Format.alerts(critical: k.alertsCritical, models: k.modelsWithCritical, warning: k.alertsWarning)); "
        out += "\(k.overdueTasks) of \(k.openTasks) open remediation tasks overdue.\n\n"
        let since = previousMonthEnd.map { "Since \($0.asOf)" } ?? "Change"
        out += "## Key indicators\n\n| Indicator | Value | Target | Status | \(since) |\n| --- | ---: | --- | --- | --- |\n"
        for r in headline {
            out += "| \(r.label) | \(CSVText.markdownCell(r.value)) | \(r.target) | \(r.status) | \(CSVText.markdownCell(r.change)) |\n"
        }
        out += notRecorded.description
        out += "\n## By domain\n\n"
        let columns = PortfolioReport.domainColumns
        out += "| Domain | " + columns.map(\.title).joined(separator: " | ") + " |\n"
        out += "| --- |" + String(repeating: " ---: |", count: columns.count) + "\n"
        for d in domains + [(domain: "**Total**", kpis: kpis)] {
            let name = d.domain == "**Total**" ? d.domain : CSVText.markdownCell(d.domain)
            out += "| \(name) | " + columns.map { $0.value(d.kpis) }.joined(separator: " | ") + " |\n"
        }
        if !trend.isEmpty {
            out += "\n## Twelve-month trend\n\n| Month end | " + PortfolioReport.trendColumns.map(\.title).joined(separator: " | ") + " |\n"
            out += "| --- |" + String(repeating: " ---: |", count: PortfolioReport.trendColumns.count) + "\n"
            for t in trend {
                out += "| \(t.asOf) | " + PortfolioReport.trendColumns.map { $0.value(t.kpis) }.joined(separator: " | ") + " |\n"
            }
        }
        return out
    }

    static let trendColumns: [(title: String, value: @Sendable (KPIs) -> String)] = [
        ("Impact share", { KPIName.impactShare.formatted($0) }),
        ("Value 12m", { KPIName.value12m.formatted($0) }),
        ("ROI 12m", { KPIName.roi12m.formatted($0) }),
        ("Critical alerts", { KPIName.alertsCritical.formatted($0) }),
        ("Docs complete", { KPIName.docsCompleteShare.formatted($0) }),
        ("Open tasks", { KPIName.openTasks.formatted($0) }),
    ]

    /// The report as plain tables (key indicators against targets, domains, the 12-month trend), for the evidence pack.
    public func tables() -> [BoardPack.Table] {
        let domainColumns = PortfolioReport.domainColumns
        return [
            BoardPack.Table(title: "Key indicators", headers: ["Indicator", "Value", "Target", "Status"],
                          rows: headline.map { [$0.label, $0.value, $0.target, $0.status] }),
            BoardPack.Table(title: "By domain", headers: ["Domain"] + domainColumns.map(\.title),
                          rows: (domains + [(domain: "Total", kpis: kpis)]).map { d in [d.domain] + domainColumns.map { $0.value(d.kpis) } }),
            BoardPack.Table(title: "Twelve-month trend", headers: ["Month end"] + PortfolioReport.trendColumns.map(\.title),
                          rows: trend.map { t in [t.asOf.description] + PortfolioReport.trendColumns.map { $0.value(t.kpis) } }),
        ]
    }
}

/// Cells of the formats meant for other programs that people open: spreadsheets and markdown.
public enum CSVText {
    /// One CSV cell for a spreadsheet: control characters shown (line feeds kept, inside quotes), a
    /// formula defused (`defused`), and quoted (RFC 4180) when it holds a comma, semicolon (the
    /// separator in many locales), quote or line break.
    public static func cell(_ field: String) -> String {
        let text = defused(DisplayWidth.sanitize(field, keepingLineBreaks: true))
        guard text.contains(where: { $0 == "," || $0 == ";" || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingAll("\"", with: "\"\"") + "\""
    }

    /// A cell a spreadsheet would run as a formula — one beginning with = + - @, tab or carriage
    /// return (OWASP's list) — gets a leading single quote, so it shows as text. A plain number such
    /// as -12.5, +3 or -1e-5 stays a number.
    public static func defused(_ text: String) -> String {
        guard let first = text.first, "=+-@\t\r".contains(first), !isPlainNumber(text) else { return text }
        return "'" + text
    }

    /// Optional sign, digits, optional decimals, optional exponent: nothing a spreadsheet evaluates.
    static func isPlainNumber(_ text: String) -> Bool {
        var rest = Substring(text)
        func digits() -> Int {
            let n = rest.prefix(while: { $0.isASCII && $0.isNumber }).count
            rest = rest.dropFirst(n)
            return n
        }
        if rest.first == "-" || rest.first == "+" { rest = rest.dropFirst() }
        var n = digits()
        if rest.first == "." { rest = rest.dropFirst(); n += digits() }
        guard n > 0 else { return false }
        if rest.first == "e" || rest.first == "E" {
            rest = rest.dropFirst()
            if rest.first == "-" || rest.first == "+" { rest = rest.dropFirst() }
            guard digits() > 0 else { return false }
        }
        return rest.isEmpty
    }

    /// Text inside a markdown table cell or line: control characters and line breaks shown, and the
    /// characters that would end the cell or start markup (emphasis, code, links, HTML) backslash-escaped.
    public static func markdownCell(_ text: String) -> String {
        var out = ""
        for c in DisplayWidth.sanitize(text) {
            if "\\|*_`[]<>~".contains(c) { out.append("\\") }
            out.append(c)
        }
        return out
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
