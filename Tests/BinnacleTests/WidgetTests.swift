import Testing
import TerminalUI

/// The TerminalUI widgets alone: drawn into a grid, compared as text.
@Suite struct WidgetTests {
    let theme = Theme.monochrome

    func text(_ rows: [[Span]]) -> [String] { rows.map { $0.map(\.text).joined() } }

    @Test func tableFitsItsWidthDroppingTheLowestPriorityAndSharingSpareWidth() {
        let columns = [Column(title: "NAME", width: 6, flexible: true, priority: 9), Column(title: "N", width: 3, right: true, priority: 8),
                       Column(title: "NOTE", width: 6, priority: 1)]
        let rows: [[Span]] = [[Span("alpha"), Span("7"), Span("hello")], [Span("a very long name"), Span("12")]]
        #expect(text(TableLayout.rows(columns, rows, width: 21)) == [" NAME       N  NOTE  ", " alpha      7  hello ", " a very…   12        "])
        // Too narrow for NOTE: it goes, and NAME takes the spare width.
        #expect(text(TableLayout.rows(columns, rows, width: 16)) == [" NAME          N", " alpha         7", " a very lo…   12"])
        let header = TableLayout.rows(columns, [], width: 21)[0]
        #expect(header.filter { $0.role == .header }.map(\.text) == ["NAME   ", "  N", "NOTE  "])
        #expect(TableLayout.rows(columns, rows, width: 21, header: false).count == 2)
    }

    @Test func sparklineScalesBetweenMinimumAndMaximum() {
        #expect(Sparkline.render([0, 7, nil, 3.5], symbols: .unicode) == "▁█ ▅")
        #expect(Sparkline.render([2, 2], symbols: .ascii) == "++")
        #expect(Sparkline.render([nil, nil], symbols: .unicode) == "  ")
    }

    @Test func tabBarHighlightsTheCurrentTabAndLeavesOutWhatDoesNotFit() {
        var grid = Grid(width: 16, height: 1)
        TabBar(["one", "two", "three"], selected: 1).draw(into: &grid, x: 1, y: 0, theme: theme)
        #expect(grid.lines == ["  one  two"])
        #expect(grid[6, 0].style == theme.style(.selected) && grid[1, 0].style == theme.style(.muted))
    }

    @Test func popupScrollsItsLinesAndSaysWhereItIs() {
        let lines = (1...20).map { [Span("line \($0)")] }
        var grid = Grid(width: 30, height: 10)
        PopupBox(title: "Keys", lines: lines, scroll: 0, hint: "Esc closes").draw(into: &grid, theme: theme)
        #expect(PopupBox.visibleLines(20, gridHeight: 10) == 5 && PopupBox.maxScroll(20, gridHeight: 10) == 15)
        #expect(grid.text.contains("line 5") && !grid.text.contains("line 6"))
        #expect(grid.text.contains("Esc closes  1–5 of 20"))
        var end = Grid(width: 30, height: 10)
        PopupBox(title: "Keys", lines: lines, scroll: 99, hint: "Esc closes").draw(into: &end, theme: theme)  // clamped
        #expect(end.text.contains("line 20") && !end.text.contains("line 15\n"))
        #expect(end.text.contains("16–20 of 20"))
        var short = Grid(width: 30, height: 10)
        PopupBox(title: "Keys", lines: Array(lines.prefix(2)), hint: "Esc closes").draw(into: &short, theme: theme)
        #expect(short.lines[2...6] == ["          Keys", "", "           line 1", "           line 2", "          Esc closes"])
    }

    @Test func formMarksTheFocusedFieldAndConfirmationKeepsItsAnswerKeys() {
        var grid = Grid(width: 40, height: 10)
        FormBox(title: "Assign", fields: [("Who", "ana"), ("Due", "")], focus: 1, marker: ">", hint: "Enter submit")
            .draw(into: &grid, theme: theme)
        #expect(grid.lines.contains { $0.hasSuffix("  Who       ana") })
        #expect(grid.lines.contains { $0.hasSuffix("> Due       █") })
        #expect(grid.lines.contains { $0.hasSuffix(" Enter submit") })
        var ask = Grid(width: 30, height: 5)
        ConfirmBox(question: "Record a very long change of stage for this model?").draw(into: &ask, theme: theme)
        #expect(ask.lines[2].hasSuffix("…  [y/N]"))
    }
}
