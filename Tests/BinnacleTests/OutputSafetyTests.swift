@testable import BinnacleApp
import BinnacleBundle
@testable import BinnacleCLI
import BinnacleCore
@testable import BinnacleStore
import DisplayText
import Foundation
import GRDB
import Testing
import TerminalUI

/// Text a hostile bundle, store or person could put in any field: escapes (OSC 0 title, OSC 52
/// clipboard, CSI), C1, DEL, line breaks, bidi overrides and isolates, emoji sequences, flags,
/// keycaps, CJK, combining marks, zero-width characters, markup and formulas.
enum Hostile {
    static let title = "X\u{1B}]0;PWNED\u{07}\u{1B}]52;c;cHduZWQ=\u{07}"
    static let pieces = [
        "\u{1B}]0;PWNED\u{07}", "\u{1B}]52;c;cHduZWQ=\u{07}", "\u{1B}[31mred\u{1B}[0m", "\u{9B}2J", "\u{85}", "\u{7F}", "\n", "\r\n", "\t",
        "\u{202E}evil", "\u{2066}", "\u{2069}", "\u{200F}", "\u{200E}", "\u{061C}", "\u{2028}", "👩‍💻", "❤️", "🏳️‍🌈", "🇫🇷", "1️⃣", "👍🏽",
        "信用评分", "Ａ", "e\u{301}", "\u{301}", "\u{200B}", "\u{200D}", "|", "**", "=cmd|' /C calc'!A0", "-", "@", " ", "Risk",
    ]

    /// A random hostile text: empty, a few pieces, or 500 characters of them.
    static func text(_ rng: inout SeededRandom) -> String {
        switch rng.next() % 8 {
        case 0: return ""
        case 1:
            var s = ""
            while s.count < 500 { s += pieces[Int(rng.next() % UInt64(pieces.count))] }
            return String(s.prefix(500))
        default:
            return (0..<Int(1 + rng.next() % 5)).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined()
        }
    }
}

/// A small portfolio with alerts, tasks, documents, lineage and audit entries, imported clean, then
/// given hostile text in every field people read — straight in the database, as any writer could.
func hostileInventory(seed: UInt64, dir: TempDir) throws -> Inventory {
    var f = Fixture()
    for i in 0..<3 {
        let id = "m\(i)"
        f.model(id, tier: 2, created: "2025-01-01", tags: "pii;genai")
        f.stage(id, "production", "2025-02-01")
        f.value(id, "2025-06-01", -12.5, cost: 3)
        f.monitor(id, "auc", "below", warn: 0.7, critical: 0.65)
        f.observation(id, "auc", "2025-06-29T00:00:00Z", 0.5)
        f.task("t\(i)", id, created: "2025-06-01", due: "2025-06-10")
        f.document(id, "model_card", approved: "2025-03-01")
    }
    f.asset("ds1", tags: "pii")
    f.edge("ds1", "m0")
    f.edge("m0", "m1")
    try f.write(to: dir.url.appendingPathComponent("bundle"))
    let inventory = try Inventory(path: dir.path("hostile-\(seed).sqlite"), mode: .create)
    _ = try inventory.importer.importBundle(directory: dir.path("bundle"), replace: false, actor: "test")
    var rng = SeededRandom(seed: seed)
    try inventory.write { db in
        for i in 0..<3 {
            let id = "m\(i)"
            try db.execute(sql: "UPDATE models SET name = ?, domain = ?, tags = ? WHERE id = ?",
                           arguments: [i == 0 ? Hostile.title : Hostile.text(&rng), Hostile.text(&rng), Hostile.text(&rng) + ";pii", id])
            let metric = Hostile.text(&rng) + "#\(i)"   // unique per model, as the key wants
            try db.execute(sql: "UPDATE monitors SET metric = ? WHERE model_id = ?", arguments: [metric, id])
            try db.execute(sql: "UPDATE observations SET metric = ? WHERE model_id = ?", arguments: [metric, id])
            try db.execute(sql: "UPDATE tasks SET title = ? WHERE model_id = ?", arguments: [Hostile.text(&rng), id])
        }
        for login in ["alice", "bob", "carol", "dave"] {
            try db.execute(sql: "UPDATE people SET name = ? WHERE login = ?", arguments: [Hostile.text(&rng), login])
        }
        try db.execute(sql: "UPDATE assets SET name = ?", arguments: [Hostile.text(&rng)])
        try db.execute(sql: "UPDATE portfolio SET value = ? WHERE key = 'portfolio'", arguments: [Hostile.text(&rng)])
        try AuditLog.append(db, actor: Hostile.text(&rng), action: Hostile.text(&rng), entity: "model:m0",
                            detailText: Hostile.title + Hostile.text(&rng), at: Timestamp(parsing: "2025-06-30T00:00:00Z")!)
    }
    return inventory
}

/// No cell holds a character that acts on the terminal or reorders text, and every row is exactly
/// the grid's width in display columns: each wide character followed by its continuation, no other.
func expectSafe(_ grid: Grid, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
    for y in 0..<grid.height {
        var x = 0
        while x < grid.width {
            guard let c = grid[x, y].character else {
                Issue.record("\(what): row \(y) column \(x) is half of nothing", sourceLocation: sourceLocation); return
            }
            if c.unicodeScalars.contains(where: DisplayWidth.isHidden) {
                Issue.record("\(what): row \(y) column \(x) holds \(c.unicodeScalars.map { String($0.value, radix: 16) })", sourceLocation: sourceLocation)
                return
            }
            let w = DisplayWidth.of(c)
            if w == 0 || (w == 2 && (x + 1 >= grid.width || grid[x + 1, y].character != nil)) {
                Issue.record("\(what): row \(y) column \(x) '\(c)' of width \(w) is not whole", sourceLocation: sourceLocation); return
            }
            x += w
        }
    }
}

@Suite struct HostileScreenTests {
    /// Every screen, model tab, asset and person page with hostile text everywhere, at random sizes
    /// from 20×5 to 200×60 (the extremes always included).
    @Test(arguments: [UInt64(11), 12])
    func everyScreenStaysInsideItsCells(seed: UInt64) throws {
        let dir = try TempDir()
        let inventory = try hostileInventory(seed: seed, dir: dir)
        var rng = SeededRandom(seed: seed &* 7919)
        var sizes = [(20, 5), (200, 60)]
        for _ in 0..<2 { sizes.append((20 + Int(rng.next() % 181), 5 + Int(rng.next() % 56))) }
        let pages: [(String, (Dashboard) -> Void)] =
            ScreenID.allCases.map { s in ("\(s)", { $0.show(screen: s) }) }
            + DetailTab.allCases.map { t in ("model \(t)", { $0.openModel("m0", tab: t) }) }
            + [("asset", { $0.openAsset("ds1") }), ("person", { $0.openPerson("alice") }), ("help", { _ = $0.handle(.character("?")) })]
        var shownEscapes = 0
        for (name, open) in pages {
            let (w, h) = sizes[Int(rng.next() % UInt64(sizes.count))]
            let d = Dashboard(source: try StoreSource(inventory, login: "alice"), asOf: day("2025-06-30"), today: day("2025-06-30"),
                              theme: .colour, symbols: .unicode)
            open(d)
            let grid = d.render(width: w, height: h)
            expectSafe(grid, "seed \(seed) \(name) at \(w)×\(h)")
            if grid.text.contains("␛") { shownEscapes += 1 }
        }
        #expect(shownEscapes > 0)   // the hostile text was on screen, shown as text
    }
}

@Suite struct HostileCommandLineTests {
    static func raw(_ s: Unicode.Scalar) -> Bool { s.value == 0x1B || s.value == 0x07 || (0x80...0x9F).contains(s.value) || s.value == 0x202E }

    func expectNoRawControls(_ r: (status: Int32, out: String, err: String), _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(!r.out.unicodeScalars.contains(where: Self.raw) && !r.err.unicodeScalars.contains(where: Self.raw),
                "\(what) printed a raw control: \(r.out.debugDescription) \(r.err.debugDescription)", sourceLocation: sourceLocation)
    }

    @Test func everyPrinterShowsTheTitleSettingNameAsText() throws {
        let dir = try TempDir()
        let db = try hostileInventory(seed: 5, dir: dir).path
        try Inventory(path: db, mode: .write).write { db in
            try db.execute(sql: "UPDATE models SET domain = '=HYPERLINK(\"http://x\")' WHERE id = 'm1'")
            try db.execute(sql: "UPDATE monitors SET metric = 'auc' || char(10) || 'BREACH forged' WHERE model_id = 'm2'")
            try db.execute(sql: "UPDATE observations SET metric = 'auc' || char(10) || 'BREACH forged' WHERE model_id = 'm2'")
        }
        let asOf = ["--db", db, "--as-of", "2025-06-30"]
        let show = try binnacle(["show", "m0"] + asOf)
        #expect(show.status == 0 && show.out.hasPrefix("X␛]0;PWNED␇␛]52;c;cHduZWQ=␇ (m0)"))
        expectNoRawControls(show, "show")
        for args in [["models"], ["models", "--format", "csv"], ["models", "--format", "json"], ["report"],
                     ["report", "--format", "markdown"], ["report", "--format", "csv"], ["report", "--format", "json"], ["report", "--format", "html"], ["check"],
                     ["check", "--fail-on", "warning"]] {
            expectNoRawControls(try binnacle(args + asOf), args.joined(separator: " "))
        }
        for args in [["audit", "log"], ["audit", "log", "--format", "csv"], ["audit", "log", "--format", "json"]] {
            let r = try binnacle(args + ["--db", db])
            #expect(r.status == 0)
            expectNoRawControls(r, args.joined(separator: " "))
        }
        // A line break inside a metric's name does not start a line of its own.
        let check = try binnacle(["check"] + asOf)
        #expect(check.status == 1 && !check.out.contains("\nBREACH forged") && check.out.contains("auc␊BREACH forged"))
        // Spreadsheets get text, not formulas.
        let csv = try binnacle(["models", "--format", "csv"] + asOf).out
        #expect(csv.contains("\"'=HYPERLINK(\"\"http://x\"\")\"") && !csv.contains(",=HYPERLINK"))
        #expect(try binnacle(["report", "--format", "csv"] + asOf).out.contains("\"'=HYPERLINK("))
    }

    @Test func aRefusedBundleQuotesItsContentAsText() throws {
        let dir = try TempDir()
        var f = BundleValidationTests.valid()
        f.value("m1", "\u{1B}]52;c;cHduZWQ=\u{07}\nforged: everything is fine", 1)
        try f.write(to: dir.url.appendingPathComponent("bad"))
        let r = try binnacle(["import", "bundle", dir.path("bad"), "--db", dir.path("x.sqlite")])
        #expect(r.status != 0 && r.err.contains("refused"))
        expectNoRawControls(r, "import bundle")
        #expect(!r.err.contains("\nforged"))
    }

    @Test func tablesPadByDisplayWidth() throws {
        let models = ["👩‍💻 coder", "❤️ love", "🇫🇷 France", "1️⃣ one", "信用评分", "plain"].enumerated().map { i, name in
            ModelSummary(id: "m\(i)", name: name, domain: "D", kind: .classification, stage: .production, riskTier: .low,
                         businessOwner: "alice", developer: "bob", validator: nil, alertsCritical: 0, alertsWarning: 0,
                         missingDocuments: [], value90d: 0)
        }
        let rows = ModelsTable.render(models, asOf: day("2025-06-30")).split(separator: "\n").dropFirst().prefix(models.count)
        let domainColumns = Set(rows.map { DisplayWidth.of(String($0[..<$0.range(of: " D ")!.lowerBound])) })
        #expect(domainColumns.count == 1)
    }
}

@Suite struct OutputLayerTests {
    @Test func graphemeClustersTakeTheColumnsTheTerminalGivesThem() {
        for emoji in ["👩‍💻", "❤️", "🏳️‍🌈", "🇫🇷", "1️⃣", "👍🏽", "☝🏻", "🚨"] {
            #expect(DisplayWidth.of(Character(emoji)) == 2, "\(emoji)")
        }
        #expect(DisplayWidth.of("\u{301}") == 0 && DisplayWidth.of("❤") == 1 && DisplayWidth.of("🏳") == 1 && DisplayWidth.of("1") == 1)
        #expect(DisplayWidth.of("a👩‍💻b") == 4 && DisplayWidth.of("\u{1B}]0;x\u{07}") == 6)
    }

    @Test func bidiControlsAreShownAndSanitisingTwiceChangesNothing() {
        let s = DisplayWidth.sanitize("a\u{202E}b\u{2066}c\u{200F}\u{2028}d")
        #expect(s == "a\u{FFFD}b\u{FFFD}c\u{FFFD}\u{FFFD}d")
        #expect(DisplayWidth.sanitize(s) == s)
        #expect(DisplayWidth.sanitize("a\nb\u{1B}", keepingLineBreaks: true) == "a\nb␛")
    }

    @Test func safeTextShowsEachValueOnItsLine() {
        let name = "evil\nforged line\u{1B}[2J"
        let text: SafeText = "name: \(name)\nnext\n"
        #expect(text.description == "name: evil␊forged line␛[2J\nnext\n")
    }

    @Test func aZeroWidthClusterTakesNoCellAndWideCharactersStayWhole() {
        var g = Grid(width: 8, height: 1)
        g.put("a\u{200B}b\u{301}c👩‍💻", x: 0, y: 0)   // once a trap: a mark joined to a cell as a second cluster
        #expect(g.lines == ["ab\u{301}c👩‍💻"])
        g.fill(x: 4, y: 0, width: 1, height: 1)        // half of the emoji: the other half goes too
        expectSafe(g, "fill")
        g.fill(x: 20, y: 3, width: 2, height: 2)       // off the grid: nothing
    }

    /// glibc's idea of the columns: emoji presentation 2, text-default emoji 1, marks and joiners 0.
    static func wcwidth(_ s: Unicode.Scalar) -> Int {
        if s.properties.generalCategory == .nonspacingMark || s.properties.generalCategory == .enclosingMark || s.value == 0x200D { return 0 }
        if (0x1F1E6...0x1F1FF).contains(s.value) { return 1 }
        return s.properties.isEmojiPresentation || DisplayWidth.scalarWidth(s) == 2 ? 2 : 1
    }

    @Test func aClusterCursesCannotHoldIsDrawnAsAStandInOfTheSameWidth() {
        func glyph(_ c: Character) -> String {
            String(String.UnicodeScalarView(Glyph.scalars(for: c, terminalWidth: Self.wcwidth, maxScalars: 5)))
        }
        #expect(glyph("信") == "信" && glyph("e\u{301}") == "e\u{301}" && glyph("🚨") == "🚨")
        #expect(glyph("👩‍💻") == "👩" && glyph("❤️") == "❤ " && glyph("🇫🇷") == "FR" && glyph("1️⃣") == "1 ")
        #expect(glyph("🏳️‍🌈") == "🏳 " && glyph("e\u{301}\u{302}\u{303}\u{304}\u{305}") == "e")
    }

    @Test func csvCellsAreDefusedButNumbersStayNumbers() {
        #expect(CSVText.cell("=1+2") == "'=1+2" && CSVText.cell("+cmd") == "'+cmd" && CSVText.cell("@SUM(A1)") == "'@SUM(A1)")
        #expect(CSVText.cell("-") == "'-" && CSVText.cell("-1+1") == "'-1+1" && CSVText.cell("\tx") == "␉x")
        #expect(CSVText.cell("-12.5") == "-12.5" && CSVText.cell("+3") == "+3" && CSVText.cell("-1e-5") == "-1e-5")
        #expect(CSVText.cell("a,b") == "\"a,b\"" && CSVText.cell("a;=b") == "\"a;=b\"" && CSVText.cell("x\u{1B}") == "x␛")
        #expect(CSVText.cell("=HYPERLINK(\"u\")") == "\"'=HYPERLINK(\"\"u\"\")\"")
    }

    @Test func markdownCellsCannotBreakTheTableOrAddMarkup() {
        #expect(CSVText.markdownCell("a|b\n**c** [x](javascript:y) <img>") == "a\\|b␊\\*\\*c\\*\\* \\[x\\](javascript:y) \\<img\\>")
    }

    @Test func jsonEscapesEveryControlAndBidiCharacter() {
        #expect(JSON.string("a\u{1B}\u{7F}\u{9B}\u{202E}\u{2028}").serialized() == "\"a\\u001b\\u007f\\u009b\\u202e\\u2028\"")
    }
}
