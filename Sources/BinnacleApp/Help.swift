import TerminalUI

/// The help popup: every binding of the key table, scrolled with the keys that move in a list.
extension AppState {
    /// A line per binding, its keys then what it does; a description too long for a grid `width`
    /// columns wide goes on under itself rather than being cut.
    static func helpLines(width: Int) -> [[Span]] {
        let rows = KeyMap.bindings.map { b in (b.keys.map(\.label).joined(separator: " "), b.help) }
        let keyWidth = rows.map { DisplayWidth.of($0.0) }.max() ?? 0
        // The box's margins (2 each side, 2 around the grid) and the gap after the keys.
        let room = max(10, width - 8 - keyWidth - 3)
        return rows.flatMap { keys, help in
            Wrap.lines(help, width: room).enumerated().map { n, text in
                [Span(DisplayWidth.fit(n == 0 ? keys : "", keyWidth), .title), Span("   "), Span(text)]
            }
        }
    }

    var helpBox: PopupBox {
        PopupBox(title: "Keys", lines: AppState.helpLines(width: size.width), scroll: helpScroll,
                 hint: "↑↓ PgUp PgDn scroll · any other key closes this help")
    }

    /// A key while the help is open: the moving keys scroll it, any other closes it.
    mutating func helpKey(_ key: Key) {
        let count = AppState.helpLines(width: size.width).count
        let last = PopupBox.maxScroll(count, gridHeight: size.height)
        let page = max(1, PopupBox.visibleLines(count, gridHeight: size.height) - 1)
        switch KeyMap.action(for: key) {
        case .up?: helpScroll -= 1
        case .down?: helpScroll += 1
        case .pageUp?: helpScroll -= page
        case .pageDown?: helpScroll += page
        case .top?: helpScroll = 0
        case .bottom?: helpScroll = last
        default:
            showHelp = false
            helpScroll = 0
        }
        helpScroll = max(0, min(helpScroll, last))
    }
}
