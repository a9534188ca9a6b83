import ArgumentParser
import BinnacleBundle
@testable import BinnacleCLI
@testable import BinnacleCore
@testable import BinnacleStore
import DisplayText
import Foundation
import GRDB
import Testing

/// The board pack (`report --format html`): self-contained, every figure the report's, every text escaped.
@Suite struct BoardPackTests {
    static let asOf = day("2025-06-30")

    static func generated(models: Int = 60, seed: UInt64 = 7) throws -> Inventory {
        let dir = try TempDir()
        _ = try PortfolioGenerator(models: models, seed: seed, asOf: asOf).write(to: dir.path("bundle"))
        let inventory = try Inventory(path: dir.path("inv.sqlite"), mode: .create)
        _ = try inventory.importer.importBundle(directory: dir.path("bundle"), replace: false, actor: "test")
        return inventory
    }

    /// Every element of the page, as (name, attributes). Text is escaped, so each `<` in the page
    /// starts real markup.
    static func tags(_ html: String) -> [(name: String, attributes: [(String, String)])] {
        let tag = try! NSRegularExpression(pattern: "<([a-zA-Z][a-zA-Z0-9]*)([^>]*)>")
        let attribute = try! NSRegularExpression(pattern: "([^\\s=/]+)(?:=\"([^\"]*)\")?")
        let ns = html as NSString
        return tag.matches(in: html, range: NSRange(location: 0, length: ns.length)).map { m in
            let rest = ns.substring(with: m.range(at: 2))
            let attributes = attribute.matches(in: rest, range: NSRange(location: 0, length: (rest as NSString).length)).map { a in
                ((rest as NSString).substring(with: a.range(at: 1)).lowercased(),
                 a.range(at: 2).location == NSNotFound ? "" : (rest as NSString).substring(with: a.range(at: 2)))
            }
            return (ns.substring(with: m.range(at: 1)).lowercased(), attributes)
        }
    }

    /// The page loads nothing and runs nothing: the policy forbids it, and no element, attribute or
    /// style asks for it.
    func expectSelfContained(_ html: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(html.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">"),
                sourceLocation: sourceLocation)
        #expect(!html.lowercased().contains("<script") && !html.contains("url(") && !html.contains("@import"), sourceLocation: sourceLocation)
        let allowed: Set<String> = ["html", "head", "meta", "title", "style", "body", "table", "thead", "tbody", "tr", "td", "th", "header",
                                    "footer", "section", "h2", "p", "div", "span", "svg", "line", "text", "polyline", "circle", "rect"]
        for (name, attributes) in Self.tags(html) {
            #expect(allowed.contains(name), "unexpected element <\(name)>", sourceLocation: sourceLocation)
            for (key, value) in attributes {
                #expect(!key.hasPrefix("on"), "<\(name) \(key)=…>", sourceLocation: sourceLocation)
                if key == "src" || key == "href" || key.hasSuffix(":href") {
                    #expect(value.hasPrefix("data:") || value.hasPrefix("#"), "<\(name) \(key)=\"\(value)\">", sourceLocation: sourceLocation)
                }
            }
        }
        // Nothing that acts on a terminal or reorders text: the page's own line breaks only.
        #expect(!html.unicodeScalars.contains { $0 != "\n" && DisplayWidth.isHidden($0) }, sourceLocation: sourceLocation)
    }

    /// Each tile's shown value, by report key.
    static func tileValues(_ html: String) -> [String: String] {
        let tile = try! NSRegularExpression(pattern: "<div class=\"tile\" data-kpi=\"([a-z_0-9]+)\">.*?<div class=\"value\">([^<]*)</div>")
        let ns = html as NSString
        var out: [String: String] = [:]
        for m in tile.matches(in: html, range: NSRange(location: 0, length: ns.length)) {
            out[ns.substring(with: m.range(at: 1))] = ns.substring(with: m.range(at: 2))
        }
        return out
    }

    /// A tile, from its opening to the next tile (or the end of the tiles).
    static func tile(_ key: String, in html: String) -> Substring {
        guard let start = html.range(of: "<div class=\"tile\" data-kpi=\"\(key)\">") else { return "" }
        let rest = html[start.upperBound...]
        let end = rest.range(of: "<div class=\"tile\"")?.lowerBound ?? rest.range(of: "</section>")?.lowerBound ?? rest.endIndex
        return rest[..<end]
    }

    static func count(_ needle: String, in text: Substring) -> Int { text.components(separatedBy: needle).count - 1 }

    @Test func aGeneratedPortfolioIsSelfContainedAndShowsTheReportsFigures() throws {
        let inventory = try Self.generated()
        let pack = try inventory.boardPack(asOf: Self.asOf)
        let html = pack.html()
        expectSelfContained(html)

        let json = try #require(try JSONSerialization.jsonObject(with: Data(try inventory.report(asOf: Self.asOf).json().utf8)) as? [String: Any])
        let kpis = try #require(json["kpis"] as? [String: Any])
        let report = pack.report
        #expect(report == (try inventory.report(asOf: Self.asOf)))
        let tiles = Self.tileValues(html)
        #expect(tiles.count == Indicator.all.count)
        for indicator in Indicator.all {
            let shown = try #require(tiles[indicator.key], "no tile for \(indicator.key)")
            let measured = ["impact_share", "built_to_value_share"].contains(indicator.key) ? report.kpis.valueRecorded90d
                : ["value_12m", "cost_12m", "roi_12m"].contains(indicator.key) ? report.kpis.valueRecorded12m : true
            let number = kpis[indicator.key] as? Double
            let expected: String
            switch indicator.key {
            case _ where !measured || number == nil: expected = Format.undefined
            case "value_12m", "cost_12m": expected = Format.compact(number)
            case "median_days_to_production": expected = Format.days(number)
            case "alerts_critical", "overdue_tasks", "production_models": expected = String(Int(number!))
            default: expected = Format.percent(number)
            }
            #expect(shown == expected, "\(indicator.key): tile \(shown), report \(String(describing: kpis[indicator.key]))")
        }

        // One chart per tile, a point for each month-end the KPI is defined at: 12 for one always defined.
        #expect(report.trend.count == 12)
        #expect(Self.count("<circle class=\"pt\"", in: Self.tile("production_models", in: html)) == 12)
        for indicator in Indicator.all {
            let defined = report.trend.filter { indicator.value($0.kpis) != nil }.count
            let tile = Self.tile(indicator.key, in: html)
            #expect(Self.count("<svg class=\"chart\"", in: tile) == 1)
            #expect(Self.count("<circle class=\"pt\"", in: tile) == defined, "\(indicator.key)")
        }

        // Domain bars, alerts critical first, overdue tasks, and the audit head at the date.
        for d in report.domains { #expect(html.contains("<tr><td class=\"name\">\(HTMLText.escape(d.domain))</td>")) }
        let alerts = try inventory.alerts(asOf: Self.asOf)
        #expect(pack.alertCount == alerts.count && !pack.alerts.isEmpty && pack.alerts.map(\.alert) == Array(alerts.prefix(25)))
        let severities = pack.alerts.map(\.alert.severity)
        #expect(severities == severities.filter { $0 == .critical } + severities.filter { $0 == .warning })
        #expect(Self.count("<td class=\"sev ", in: html[...]) == pack.alerts.count)
        #expect(pack.overdueCount == report.kpis.overdueTasks && pack.overdueTasks.count == min(25, pack.overdueCount))
        for o in pack.overdueTasks {
            #expect(o.task.dueAt.day < Self.asOf && html.contains("<td class=\"num\">\(Self.asOf - o.task.dueAt.day)</td>"))
        }
        let latest = try inventory.auditLog(model: nil, actor: nil, since: nil).last { $0.at < "2025-07-01" }
        #expect(pack.auditHead?.hash == latest?.hash && pack.auditHead?.seq == latest?.seq)
        if let latest { #expect(html.contains("audit head #\(latest.seq) <span class=\"hash\">\(latest.hash)</span>")) }
    }

    /// With `--domain`, every part is that domain's: its report, its alerts, its overdue tasks.
    @Test func aDomainsPackIsThatDomainsReport() throws {
        let inventory = try Self.generated()
        let domain = try #require(try inventory.domains().first)
        let pack = try inventory.boardPack(asOf: Self.asOf, domain: domain)
        #expect(pack.report == (try inventory.report(asOf: Self.asOf, domain: domain)) && pack.report.domainFilter == domain)
        #expect(pack.alerts.map(\.alert) == Array((try inventory.alerts(asOf: Self.asOf, domain: domain)).prefix(25)))
        #expect(pack.overdueCount == pack.report.kpis.overdueTasks && pack.overdueTasks.count == min(25, pack.overdueCount))
        #expect(pack.html().contains("Board pack as of 2025-06-30 · domain \(HTMLText.escape(domain))"))
    }

    @Test func theAuditHeadIsTheLatestEntryOnOrBeforeTheDate() throws {
        var f = Fixture()
        f.model("m1", created: "2025-01-01")
        let inventory = try f.inventory()
        try inventory.write { db in
            try AuditLog.append(db, actor: "alice", action: "note", entity: "model:m1", detailText: "{}", at: Timestamp(parsing: "2025-03-01T10:00:00Z")!)
            try AuditLog.append(db, actor: "alice", action: "note", entity: "model:m1", detailText: "{}", at: Timestamp(parsing: "2025-03-02T23:59:59Z")!)
        }
        let entries = try inventory.auditLog(model: nil, actor: nil, since: nil)
        let onTheDay = try #require(entries.first { $0.at.hasPrefix("2025-03-02") })
        #expect(try inventory.boardPack(asOf: day("2025-03-02")).auditHead == BoardPack.AuditHead(seq: onTheDay.seq, hash: onTheDay.hash))
        let before = try #require(entries.first { $0.at.hasPrefix("2025-03-01") })
        #expect(try inventory.boardPack(asOf: day("2025-03-01")).auditHead?.seq == before.seq)
        let earlier = try inventory.boardPack(asOf: day("2020-01-01"))
        #expect(earlier.auditHead == nil && earlier.html().contains("audit log: no entry on or before 2020-01-01"))
    }

    /// A KPI with nothing to measure is "—" and "no data", never a miss, and its chart leaves the
    /// month-ends it is undefined at as a gap.
    @Test func anUndefinedKPIIsNoDataAndAGapInItsChart() throws {
        var f = Fixture()
        f.model("m1", created: "2024-01-01")
        f.stage("m1", "production", "2025-03-15")   // in production for the last 4 month-ends only
        f.document("m1", "model_card", approved: nil)   // a draft: documentation is recorded, and incomplete
        f.value("m1", "2024-02-01", 5)   // value is recorded, but not in any window of the last year
        let inventory = try f.inventory()
        let html = try inventory.boardPack(asOf: Self.asOf).html()
        expectSelfContained(html)
        let impact = Self.tile("impact_share", in: html)   // no value recorded in 90 days
        #expect(impact.contains("<div class=\"value\">—</div>") && impact.contains("<span class=\"status nodata\">no data</span>"))
        #expect(!impact.contains("missed") && Self.count("<circle", in: impact) == 0 && Self.count("<polyline", in: impact) == 0)
        #expect(impact.contains(">no data</text>"))
        let docs = Self.tile("docs_complete_share", in: html)   // defined once the model is in production
        #expect(docs.contains("<div class=\"value\">0.0%</div>") && docs.contains("status missed"))
        #expect(Self.count("<circle class=\"pt\"", in: docs) == 4 && Self.count("<polyline", in: docs) == 1)
    }

    /// An inventory with no monitors and no stage before production (a public use-case inventory):
    /// its alert and days-to-production tiles say "not recorded", not 0, and a section says why.
    @Test func whatTheInventoryNeverRecordsIsSaidNotShownAsZero() throws {
        var f = Fixture()
        f.model("m1", created: "2024-01-01")
        f.stage("m1", "production", "2025-03-15")
        f.value("m1", "2025-06-01", 10)
        f.document("m1", "model_card", approved: "2025-03-01")
        let html = try f.inventory().boardPack(asOf: Self.asOf).html()
        expectSelfContained(html)
        for key in ["alerts_critical", "median_days_to_production"] {
            let tile = Self.tile(key, in: html)
            #expect(tile.contains("<div class=\"value\">—</div>") && tile.contains("<span class=\"status notrecorded\">not recorded</span>"))
            #expect(Self.count("<polyline", in: tile) == 0 && !tile.contains("met"))
        }
        #expect(Self.tile("docs_complete_share", in: html).contains("100.0%"))
        #expect(html.contains("<h2>Not recorded in this inventory</h2>") && html.contains("alerts_critical, alerts_warning, models_with_critical: no monitors"))
    }

    @Test func interpolatedTextIsEscapedAndShownSafely() {
        #expect(HTMLText.escape("a&<b>\"c\"'d'\u{1B}[31m\n\u{202E}") == "a&amp;&lt;b&gt;&quot;c&quot;&#39;d&#39;␛[31m␊\u{FFFD}")
        let name = "<i>x</i>", markup: HTMLText = "<b>kept</b>"
        #expect(("<td title=\"\(name)\">\(name)\(markup)</td>" as HTMLText).description
                == "<td title=\"&lt;i&gt;x&lt;/i&gt;\">&lt;i&gt;x&lt;/i&gt;<b>kept</b></td>")
    }

    @Test func aLineStopsAtAGapAndStartsAgainAfterIt() {
        let points: [(label: String, value: Double?)] = [("a", 1), (label: "b", value: nil), ("c", 2), ("d", 3), (label: "e", value: nil), ("f", 4)]
        let svg = SVGChart.line(points, title: "t") { Format.number($0) }.description[...]
        #expect(Self.count("<circle class=\"pt\"", in: svg) == 4)
        #expect(Self.count("<polyline", in: svg) == 1)   // only c–d is a run of two; a and f stand alone
        #expect(SVGChart.bar(nil).description.isEmpty && SVGChart.bar(1.7).description.contains("width=\"100.0\""))
    }

    @Test func anEmptyPortfolioRenders() throws {
        let html = try Fixture().inventory().boardPack(asOf: Self.asOf).html()
        expectSelfContained(html)
        #expect(html.contains("No models exist as of 2025-06-30.") && html.contains("0 alerts as of 2025-06-30")
                && html.contains("0 open tasks past due") && html.hasSuffix("</html>\n"))
        #expect(Self.tileValues(html)["impact_share"] == "—" && Self.tileValues(html)["production_models"] == "0")
    }

    /// Names that are markup or terminal escapes, in every field the page shows, render as text.
    @Test func hostileNamesRenderAsText() throws {
        let dir = try TempDir()
        let inventory = try hostileInventory(seed: 3, dir: dir)
        let script = "<script>alert(1)</script>", image = "\"><img src=x onerror=alert(1)>"
        try inventory.write { db in
            try db.execute(sql: "UPDATE models SET name = ? WHERE id = 'm1'", arguments: [script])
            try db.execute(sql: "UPDATE models SET name = ?, domain = ? WHERE id = 'm2'", arguments: [image, "'" + script])
            try db.execute(sql: "UPDATE portfolio SET value = ? WHERE key = 'portfolio'", arguments: [image + Hostile.title])
        }
        var pack = try inventory.boardPack(asOf: day("2025-06-30"))
        pack.tables = [BoardPack.Table(title: script, note: image, headers: ["Name", Hostile.title], rows: [[script, image], [Hostile.title]])]
        let html = pack.html()
        expectSelfContained(html)
        #expect(!html.contains(script) && !html.contains(image) && !html.contains("\u{1B}"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && html.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"))
        #expect(html.contains("X␛]0;PWNED␇"))   // the escape sequence, shown
        #expect(Self.count(">&lt;script&gt;alert(1)&lt;/script&gt;</td>", in: html[...]) >= 2)   // the alert row and the extra table
        #expect(html.contains("<td>X␛]0;PWNED␇␛]52;c;cHduZWQ=␇</td><td></td></tr>"))   // a short row padded
    }

    @Test func extraTablesFollowTheStandardSections() throws {
        var pack = try Fixture().inventory().boardPack(asOf: Self.asOf)
        pack.title = "Evidence pack"
        pack.tables = [BoardPack.Table(title: "Inventory", note: "Every model.", headers: ["Model", "Stage"], rows: [["a & b", "idea"]]),
                       BoardPack.Table(title: "Breaches", headers: ["Model"], rows: [])]
        let html = pack.html()
        expectSelfContained(html)
        let overdue = try #require(html.range(of: "<h2>Overdue remediation</h2>"))
        let inventory = try #require(html.range(of: "<h2>Inventory</h2><p class=\"note\">Every model.</p><table class=\"data\"><thead><tr><th>Model</th><th>Stage</th></tr></thead>"))
        #expect(overdue.upperBound < inventory.lowerBound && html.contains("<tr><td>a &amp; b</td><td>idea</td></tr>"))
        #expect(html.contains("<h2>Breaches</h2><p class=\"note\">None.</p>") && html.contains("Evidence pack as of 2025-06-30"))
    }

    /// `report --format html` prints the board pack; only `report` offers html.
    @Test func theCommandLinePrintsItAndOnlyReportOffersHTML() throws {
        let dir = try TempDir()
        var f = Fixture()
        f.model("m1", created: "2025-01-01")
        try f.write(to: dir.url.appendingPathComponent("bundle"))
        let db = dir.path("inv.sqlite")
        #expect(try binnacle(["import", "bundle", "--db", db, dir.path("bundle")]).status == 0)
        let r = try binnacle(["report", "--db", db, "--as-of", "2025-06-30", "--format", "html"])
        let expected = try Inventory(path: db, mode: .read, readOnly: true).boardPack(asOf: Self.asOf).html()
        #expect(r.status == 0 && r.out == expected)
        #expect(Binnacle.helpMessage(for: Report.self).contains("html"))
        for command in [["models"], ["show", "m1"], ["audit", "log"]] {
            #expect(throws: (any Error).self) { try Binnacle.parseAsRoot(command + ["--format", "html"]) }
        }
        #expect(try binnacle(["report", "--db", db, "--as-of", "2025-06-30", "--domain", "Nowhere", "--format", "html"]).status != 0)
    }
}
