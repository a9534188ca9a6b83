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

    /// What a click hits is where `draw` put the label: its padding included, a gap between labels not.
    @Test func tabBarNamesTheLabelUnderAColumn() {
        let bar = TabBar(["one", "two"], selected: nil, gap: "|")
        var grid = Grid(width: 16, height: 1)
        bar.draw(into: &grid, x: 2, y: 0, theme: theme)
        #expect(grid.lines == ["   one | two"])
        #expect((0..<16).map { bar.index(at: $0, left: 2).map(String.init) ?? "." }.joined() == "..00000.11111...")
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

/// Names cut in the middle keep their distinguishing tail; widths are display cells.
/// A terminal that is not UTF-8 gets ASCII in which no two symbols look alike.
@Suite struct ASCIITextTests {
    @Test func eachSymbolKeepsAStandInOfItsOwn() {
        #expect(ASCIIText.standIn("≥ 90%") == ">= 90%" && ASCIIText.standIn("› a → b") == "> a -> b")
        #expect(ASCIIText.standIn("Alerts: crit · warn — none…") == "Alerts: crit . warn - none~")
        #expect(ASCIIText.standIn("Zürich Ångström façade") == "Zurich Angstrom facade")
        #expect(ASCIIText.standIn("a\u{241B}[2Jb") == "a^[[2Jb")               // a control picture in caret form
        #expect(ASCIIText.standIn("模型 ß") == "???? ?")                        // one ? per column it took
        #expect(ASCIIText.standIn("plain ascii") == "plain ascii")
        var grid = Grid(width: 12, height: 1)
        grid.asciiOnly = true
        grid.put("≥ 1 ✓ ▲ ▼ ✗", x: 0, y: 0)
        #expect(grid.lines == [">= 1 + ^ v x"])
    }
}

@Suite struct MiddleEllipsisTests {
    @Test func keepsTheTail() {
        #expect(DisplayWidth.middle("Agent-assist answer drafter v2", to: 24) == "Agent-assist… drafter v2")
        #expect(DisplayWidth.middle("short", to: 24) == "short")
        #expect(DisplayWidth.middle("abcdef", to: 1) == "…")
        #expect(DisplayWidth.middle("abcdef", to: 0) == "")
    }

    @Test func countsDisplayWidth() {
        // CJK: two cells each, never split; the result may be a cell short, never over.
        let cjk = DisplayWidth.middle("顧客離反予測モデル第二版", to: 11)
        #expect(DisplayWidth.of(cjk) <= 11 && cjk.hasPrefix("顧客") && cjk.hasSuffix("二版") && cjk.contains("…"))
        // Emoji sequences (ZWJ, flags, skin tones) stay whole.
        let emoji = DisplayWidth.middle("👩‍👩‍👧 family 🇫🇷 model 👍🏽", to: 12)
        #expect(DisplayWidth.of(emoji) <= 12 && emoji.hasPrefix("👩‍👩‍👧") && emoji.hasSuffix("👍🏽"))
        // A combining mark stays with its letter.
        let combining = DisplayWidth.middle("Cafe\u{301} de\u{301}tection re\u{301}s", to: 9)
        #expect(combining == "Cafe\u{301}… re\u{301}s" && DisplayWidth.of(combining) == 9)
        for text in ["Agent-assist answer drafter v2", "顧客離反予測モデル第二版", "👩‍👩‍👧 family 🇫🇷 model 👍🏽", "\u{1B}]2;x\u{7}evil name"] {
            for w in 0...20 {
                let cut = DisplayWidth.middle(text, to: w)
                #expect(DisplayWidth.of(cut) <= w && !cut.unicodeScalars.contains { DisplayWidth.isHidden($0) })
                #expect(DisplayWidth.of(DisplayWidth.fit(text, w, middle: true)) == w)
            }
        }
    }

    @Test func spareWidthByPriorityAndColumnsGrownToTheirCells() {
        let columns = [Column(title: "A", width: 10, flexible: true, priority: 9), Column(title: "B", width: 10, flexible: true, priority: 3),
                       Column(title: "V", width: 4, right: true, priority: 8, maxWidth: 12)]
        // 1 indent + 24 + 2 gaps of 2 = 29; 41 leaves 12 spare: V takes 8 to its maximum, then 3 to A (9/12), 1 to B.
        #expect(TableLayout.fit(columns, width: 41).map(\.width) == [13, 11, 12])
        #expect(TableLayout.fit(Array(columns.prefix(2)), width: 35).map(\.width) == [19, 13])   // 12 spare: 9/12 to A, 3/12 to B
        // Laid out whole: V grows only as far as its widest cell (the KPI VALUE column on a large portfolio).
        let grown = TableLayout.grown(columns, [[Span("x"), Span("y"), Span("137.9M / 16")], [Span("z"), Span("w"), Span("1")]])
        #expect(TableLayout.fit(grown, width: 41).map(\.width) == [14, 11, 11])
        #expect(TableLayout.fit(TableLayout.grown(columns, [[Span("x"), Span("y"), Span("12")]]), width: 41).map(\.width) == [19, 13, 4])
    }
}

@Suite struct ColumnMaximumTests {
    @Test func aColumnWithAMaximumTakesSpareFirst() {
        let columns = [Column(title: "NAME", width: 10, flexible: true, priority: 9), Column(title: "DOMAIN", width: 8, priority: 7, maxWidth: 12)]
        #expect(TableLayout.fit(columns, width: 21).map(\.width) == [10, 8])     // no spare: as given
        #expect(TableLayout.fit(columns, width: 25).map(\.width) == [10, 12])    // 4 spare: DOMAIN to its maximum
        #expect(TableLayout.fit(columns, width: 40).map(\.width) == [25, 12])    // the rest to the flexible NAME
        // Laid out whole, it grows no wider than its widest cell.
        #expect(TableLayout.fit(TableLayout.grown(columns, [[Span("a"), Span("Lending")]]), width: 25).map(\.width) == [14, 8])
    }
}
