@testable import BinnacleApp
import BinnacleBundle
import BinnacleCore
import Foundation
import Testing
import TerminalUI

/// `:export`: the file holds the list as the screen shows it — its shown columns, every row of its
/// filter and order — escaped for its format.
@Suite struct ExportTests {
    func records(_ path: String) throws -> [[String]] {
        let reader = try CSVReader(path: path, name: "export.csv")
        var out: [[String]] = []
        // A cell a spreadsheet would run is written with a leading quote (`CSVText.defused`): it shows without.
        func shown(_ cell: String) -> String {
            cell.first == "'" && cell.dropFirst().first.map { "=+-@".contains($0) } == true ? String(cell.dropFirst()) : cell
        }
        while let r = try reader.next() { out.append(r.fields.map(shown)) }
        return out
    }

    func squeezed<S: StringProtocol>(_ s: S) -> String { s.split(separator: " ").joined(separator: " ") }

    /// Every row of the screen's list on screen equals its exported row (a cell the screen cut
    /// ends in `…`: up to there); the titles line equals the exported titles.
    func expectRowsOnScreen(_ grid: Grid, _ records: [[String]], sourceLocation: SourceLocation = #_sourceLocation) {
        let lines = grid.text.split(separator: "\n", omittingEmptySubsequences: false).map { String($0.dropFirst()) }
        // The header marks the sort column (`NAME▲`): the file names the column alone.
        guard let header = lines.firstIndex(where: { squeezed($0.filter { !"▲▼".contains($0) }) == squeezed(records[0].joined(separator: " ")) }) else {
            Issue.record("no line of the screen shows the titles \(records[0])", sourceLocation: sourceLocation)
            return
        }
        var compared = 0
        for (line, row) in zip(lines[(header + 1)..<(grid.height - 2)], records.dropFirst()) {
            let shown = squeezed(line), written = squeezed(row.joined(separator: " "))
            let cut = shown.firstIndex(of: "…").map { String(shown[..<$0]) }
            #expect(cut.map { written.hasPrefix($0) } ?? (shown == written), "screen: \(shown)\nfile:   \(written)", sourceLocation: sourceLocation)
            compared += 1
        }
        #expect(compared > 0, sourceLocation: sourceLocation)
    }

    @Test(arguments: [ScreenID.models, .alerts, .risk, .people, .tasks, .audit])
    func theFileHoldsTheScreensRows(screen: ScreenID) throws {
        let dir = try TempDir()
        let d = try DashboardFixture.dashboard()
        d.show(screen: screen)
        let grid = d.render(width: 200, height: 60)
        let path = dir.path("\(screen.title).csv")
        d.run(command: "export csv \(path)")
        let records = try records(path)
        #expect(d.status == "wrote \(records.count - 1) row\(records.count == 2 ? "" : "s") to \(path)")
        #expect(records.count > 1)
        expectRowsOnScreen(grid, records)
    }

    @Test(arguments: [DetailTab.documents, .tasks, .audit])
    func aModelsTabExportsItsList(tab: DetailTab) throws {
        let dir = try TempDir()
        let d = try DashboardFixture.dashboard()
        d.openModel("restaurant-merchant-recommender", tab: tab)
        let grid = d.render(width: 200, height: 60)
        d.run(command: "export csv \(dir.path("tab.csv"))")
        let records = try records(dir.path("tab.csv"))
        #expect(d.status.hasPrefix("wrote \(records.count - 1) row"))
        expectRowsOnScreen(grid, records)
    }

    /// A long list read a window at a time: every row of its filter, not the window on screen.
    @Test func everyRowOfTheFilterNotTheWindow() throws {
        let dir = try TempDir()
        let d = try DashboardFixture.dashboard()
        d.show(screen: .models)
        d.run(command: "tier 3")
        var grid = d.render(width: 80, height: 24)
        let count = try #require(grid.text.firstMatch(of: /(\d+) of \d+ models/).map { Int($0.1)! })
        d.run(command: "export csv \(dir.path("m.csv"))")
        var records = try records(dir.path("m.csv"))
        #expect(records.count - 1 == count)
        #expect(records.dropFirst().allSatisfy { $0[records[0].firstIndex(of: "TIER")!] == "3" })
        expectRowsOnScreen(grid, records)
        // Paged down and filtered by `/`: still every row of the filter, from its first.
        for key in [Key.pageDown, .pageDown] { _ = d.handle(key) }
        for c in "/re" { _ = d.handle(.character(c)) }
        _ = d.handle(.enter)
        grid = d.render(width: 80, height: 24)
        let matching = try #require(grid.text.firstMatch(of: /(\d+) of \d+ models/).map { Int($0.1)! })
        d.run(command: "export! csv \(dir.path("m.csv"))")
        records = try self.records(dir.path("m.csv"))
        #expect(records.count - 1 == matching && matching < count)
        expectRowsOnScreen(grid, records)
    }

    /// On a terminal that is not UTF-8 the screen shows ASCII stand-ins (`—` as `-`); the file holds the
    /// data as it is (only the marks of a state follow the symbols, as on screen: `✓` or `+`).
    @Test func anASCIIScreenExportsTheTextItself() throws {
        let dir = try TempDir()
        var files: [[[String]]] = []
        for symbols in [Symbols.unicode, .ascii] {
            let d = try DashboardFixture.dashboard(symbols: symbols)
            d.show(screen: .models)
            _ = d.render(width: 200, height: 60)
            _ = d.handle(.character(">"))                        // sorted: rows remade from lines in memory too
            let grid = d.render(width: 200, height: 60)
            #expect(grid.text.unicodeScalars.allSatisfy(\.isASCII) == (symbols.isASCII))
            d.run(command: "export csv \(dir.path("\(files.count).csv"))")
            files.append(try records(dir.path("\(files.count).csv")))
        }
        let (unicode, ascii) = (files[0], files[1])
        let dataColumns = ["NAME", "DOMAIN", "STAGE", "TIER", "OWNER", "VALUE 90D", "ROI 12M", "LAST OBS"].compactMap(unicode[0].firstIndex(of:))
        #expect(dataColumns.count == 8 && unicode.count == ascii.count && unicode.count > 2)
        for (u, a) in zip(unicode, ascii) { #expect(dataColumns.map { u[$0] } == dataColumns.map { a[$0] }) }
        #expect(ascii.contains { $0.contains("—") })                // no data is written as itself, not as `-`
    }

    @Test func anExistingFileIsRefusedUnlessReplaced() throws {
        let dir = try TempDir()
        let path = dir.path("a.json")
        try Data("keep".utf8).write(to: URL(fileURLWithPath: path))
        let d = try DashboardFixture.dashboard()
        d.show(screen: .alerts)
        _ = d.render(width: 120, height: 40)
        d.run(command: "export json \(path)")
        #expect(d.status.contains("exists") && d.status.contains(":export!"))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "keep")
        d.run(command: "export! json \(path)")
        #expect(d.status.hasPrefix("wrote "))
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [[String: String]]
        #expect(json?.first?["SEVERITY"] != nil)
        // Nothing is left beside it, and bad input names what is wrong.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.url.path) == ["a.json"])
        d.run(command: "export xls \(dir.path("b"))")
        #expect(d.status.contains("'xls' is not csv, json or md"))
        d.run(command: "export md")
        #expect(d.status.contains("no file given"))
        d.run(command: "export md \(dir.path("no/such/folder.md"))")
        #expect(d.status.contains("no folder"))
    }

    /// Exporting is a read: a role that may change nothing (an executive) exports too.
    @Test func everyRoleMayExport() throws {
        let dir = try TempDir()
        let (d, _) = try DashboardActionTests().dashboard(as: "erin")
        d.show(screen: .alerts)
        _ = d.render(width: 100, height: 30)
        d.run(command: "export md \(dir.path("alerts.md"))")
        #expect(d.status == "wrote 1 row to \(dir.path("alerts.md"))")
        let text = try String(contentsOfFile: dir.path("alerts.md"), encoding: .utf8)
        #expect(text.hasPrefix("| SEVERITY | MODEL | WHAT |") && text.contains("Model m1"))
    }

    @Test func cellsAreEscapedForTheirFormat() {
        let titles = ["NAME", "NOTE"], rows = [["=HYPERLINK(\"x\")", "a|b *c* <i>"], ["-12.5", "line\nbreak"]]
        #expect(ExportFormat.csv.render(titles: titles, rows: rows)
                == "NAME,NOTE\n\"'=HYPERLINK(\"\"x\"\")\",a|b *c* <i>\n-12.5,\"line\nbreak\"\n")
        #expect(ExportFormat.md.render(titles: titles, rows: rows)
                == "| NAME | NOTE |\n| --- | --- |\n| =HYPERLINK(\"x\") | a\\|b \\*c\\* \\<i\\> |\n| -12.5 | line␊break |\n")
        #expect(ExportFormat.json.render(titles: titles, rows: [["\u{1B}]2;x", "y"]])
                == "[\n  {\n    \"NAME\": \"\\u001b]2;x\",\n    \"NOTE\": \"y\"\n  }\n]\n")
    }
}
