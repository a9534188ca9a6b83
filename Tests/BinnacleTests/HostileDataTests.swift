@testable import BinnacleApp
@testable import BinnacleCLI
import BinnacleCore
import Foundation
import Testing
import TerminalUI

@Suite struct DisplayWidthTests {
    @Test func widthsPerCharacter() {
        #expect(DisplayWidth.of("abc") == 3)
        #expect(DisplayWidth.of("信用") == 4)
        #expect(DisplayWidth.of("🚨") == 2)
        #expect(DisplayWidth.of("e\u{301}") == 1)
        #expect(DisplayWidth.of("Ａ") == 2)
    }

    @Test func sanitiseShowsControlsNeverSendsThem() {
        let s = DisplayWidth.sanitize("a\u{1B}]2;x\u{07}b\u{9B}c\u{7F}\n")
        #expect(!s.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) })
        #expect(s == "a␛]2;x␇b\u{FFFD}c␡␊")
    }

    @Test func truncationEndsWithAnEllipsisInsideTheColumn() {
        #expect(DisplayWidth.truncate("abcdef", to: 4) == "abc…")
        #expect(DisplayWidth.truncate("信用评分", to: 5) == "信用…")
        #expect(DisplayWidth.of(DisplayWidth.fit("信用评分模型", 7)) == 7)
        #expect(DisplayWidth.fit("ab", 4, right: true) == "  ab")
    }

    @Test func gridKeepsWideCharactersWholeAndClipsAtTheLimit() {
        var g = Grid(width: 6, height: 1)
        g.put("a信b", x: 0, y: 0)
        #expect(g.lines == ["a信b"])
        g.put("用用用", x: 1, y: 0, limit: 3)   // only one fits in 3 columns
        #expect(g.lines == ["a用b"])
        var h = Grid(width: 3, height: 1)
        h.put("ab信", x: 0, y: 0)                 // the wide character would straddle the edge
        #expect(h.lines == ["ab"])
    }
}

@Suite struct HostileDataTests {
    static let names = [
        "\u{1B}]2;pwned\u{07}Evil title",
        "CSI \u{1B}[31mred\u{1B}[0m text",
        "信用评分模型",
        "Fraud 🚨 model",
        "Cafe\u{301} recommender",
        String(repeating: "x", count: 500),
    ]

    @Test func hostileNamesAreSanitisedAlignedAndTruncated() throws {
        var f = Fixture()
        for (i, name) in Self.names.enumerated() {
            f.model("h\(i)", domain: "Alpha", created: "2025-01-01")
            f.rows[.models]![i][1] = name
            f.stage("h\(i)", "production", "2025-02-01")
        }
        f.value("h0", "2025-06-01", 1e30)   // a number no integer holds
        let inventory = try f.inventory()
        let dashboard = Dashboard(source: try StoreSource(inventory, login: "alice"), asOf: Day("2025-06-30")!, today: Day("2025-06-30")!,
                                  theme: .colour, symbols: .unicode)
        dashboard.show(screen: .models)
        let grid = dashboard.render(width: 120, height: 40)
        // No control character reaches a cell.
        #expect(!grid.cells.contains { c in c.character.map { $0.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) } } ?? false })
        let text = grid.text
        #expect(text.contains("␛]2;pwned␇Evil title") && text.contains("␛[31mred"))
        // Every model row puts its domain in the same column, whatever the name's characters.
        let rows = grid.lines.filter { $0.contains("Alpha") }
        #expect(rows.count == 6)
        let columns = Set(rows.map { row -> Int in DisplayWidth.of(String(row[..<row.range(of: "Alpha")!.lowerBound])) })
        #expect(columns.count == 1)
        #expect(rows.contains { $0.contains("xxx…") })
        #expect(rows.contains { $0.contains("1.0e30") })
        #expect(grid.lines.allSatisfy { DisplayWidth.of($0) <= 120 })
        // The detail page of the title-setting model shows the escape as text too.
        dashboard.openModel("h0")
        #expect(dashboard.render(width: 80, height: 24).text.contains("␛]2;pwned"))
    }
}
