/// A box drawn over the screen, centred: a title bar, lines that scroll when they outnumber the
/// rows, and a hint line at the bottom saying how to scroll and close, and where it is.
public struct PopupBox {
    public var title: String
    public var lines: [[Span]]
    /// The first line shown; clamped when drawn.
    public var scroll: Int
    public var hint: String

    public init(title: String, lines: [[Span]], scroll: Int = 0, hint: String) {
        self.title = title; self.lines = lines; self.scroll = scroll; self.hint = hint
    }

    /// Title, a blank row and the hint around the lines.
    static let chrome = 3

    /// How many lines fit in a box on a grid `gridHeight` rows high (a row of margin above and below).
    public static func visibleLines(_ count: Int, gridHeight: Int) -> Int { max(1, min(count, gridHeight - 2 - chrome)) }

    /// The last useful scroll position: the last line at the bottom of the box.
    public static func maxScroll(_ count: Int, gridHeight: Int) -> Int { max(0, count - visibleLines(count, gridHeight: gridHeight)) }

    public func draw(into grid: inout Grid, theme: Theme) {
        let shown = PopupBox.visibleLines(lines.count, gridHeight: grid.height)
        let top = max(0, min(scroll, PopupBox.maxScroll(lines.count, gridHeight: grid.height)))
        let widest = lines.map { $0.reduce(0) { $0 + DisplayWidth.of($1.text) } }.max() ?? 0
        let where_ = lines.count > shown ? "  \(top + 1)–\(top + shown) of \(lines.count)" : ""
        let width = min(grid.width - 4, max(widest + 4, DisplayWidth.of(title) + 2, DisplayWidth.of(hint + where_) + 2))
        let height = shown + PopupBox.chrome
        let x0 = (grid.width - width) / 2, y0 = max(1, (grid.height - height) / 2)
        grid.fill(x: x0, y: y0, width: width, height: height, style: theme.style(.normal))
        grid.put(DisplayWidth.fit(" " + title, width), x: x0, y: y0, style: theme.style(.selected))
        for (i, line) in lines[top..<(top + shown)].enumerated() {
            grid.put(line, x: x0 + 2, y: y0 + 2 + i, theme: theme, limit: width - 4)
        }
        grid.put(" " + hint + where_, x: x0, y: y0 + height - 1, style: theme.style(.muted), limit: width)
    }
}

/// A form over the screen: a title bar, one row per field (label, value, the focused one marked
/// and showing a cursor), a note (a warning, wrapped) and a hint line.
public struct FormBox {
    public var title: String
    public var fields: [(label: String, value: String)]
    public var focus: Int
    /// What marks the focused field.
    public var marker: String
    public var hint: String
    /// A line worth reading before submitting (e.g. a duplicate), wrapped over as many rows as it needs.
    public var note: String?

    public init(title: String, fields: [(label: String, value: String)], focus: Int, marker: String, hint: String, note: String? = nil) {
        self.title = title; self.fields = fields; self.focus = focus; self.marker = marker; self.hint = hint; self.note = note
    }

    static let labelWidth = 9

    public func draw(into grid: inout Grid, theme: Theme) {
        let width = min(grid.width - 4, 76)
        let noteLines = note.map { Wrap.lines($0, width: width - 2) } ?? []
        let height = fields.count + 4 + max(1, noteLines.count)
        let x0 = (grid.width - width) / 2, y0 = max(2, (grid.height - height) / 2)
        let valueX = x0 + 4 + FormBox.labelWidth
        grid.fill(x: x0, y: y0, width: width, height: height)
        grid.put(DisplayWidth.fit(" " + title, width), x: x0, y: y0, style: theme.style(.selected))
        for (i, field) in fields.enumerated() {
            let focused = i == focus
            grid.put((focused ? marker : " ") + " " + DisplayWidth.fit(field.label, FormBox.labelWidth), x: x0 + 1, y: y0 + 2 + i,
                     style: theme.style(focused ? .title : .muted))
            grid.put(field.value + (focused ? "█" : ""), x: valueX, y: y0 + 2 + i, limit: x0 + width - 1 - valueX)
        }
        for (i, line) in noteLines.enumerated() {
            grid.put(" " + line, x: x0, y: y0 + 3 + fields.count + i, style: theme.style(.warning), limit: width)
        }
        grid.put(" " + hint, x: x0, y: y0 + height - 1, style: theme.style(.muted), limit: width)
    }
}

/// A yes/no question over the screen. The question is cut if it must be; the answer keys never are.
public struct ConfirmBox {
    public var question: String
    public var answers: String

    public init(question: String, answers: String = "[y/N]") { self.question = question; self.answers = answers }

    public func draw(into grid: inout Grid, theme: Theme) {
        let room = DisplayWidth.of(answers) + 5
        let width = min(grid.width - 4, DisplayWidth.of(question) + room + 2)
        let text = " " + DisplayWidth.truncate(question, to: width - room - 2) + "  \(answers) "
        let x0 = (grid.width - width) / 2, y0 = grid.height / 2 - 1
        grid.fill(x: x0, y: y0, width: width, height: 3, style: theme.style(.selected))
        grid.put(text, x: x0 + 1, y: y0 + 1, style: theme.style(.selected), limit: width - 2)
    }
}
