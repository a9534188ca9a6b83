import TerminalUI

/// The help popup: the keys of the page shown, then those that work everywhere, from the key table,
/// scrolled with the keys that move in a list.
extension AppState {
    /// A heading and a line per binding for the page `place` first (the keys it gives a meaning), then
    /// the keys of every page; each line its keys then what it does, a description too long for a
    /// grid `width` columns wide going on under itself rather than being cut.
    static func helpLines(width: Int, on place: Place) -> [[Span]] {
        let here = KeyMap.bindings.filter { $0.on?.contains(place) ?? false }, everywhere = KeyMap.bindings.filter { $0.on == nil }
        let keyWidth = (here + everywhere).map { DisplayWidth.of($0.keys.map(\.label).joined(separator: " ")) }.max() ?? 0
        // The box's margins (2 each side, 2 around the grid) and the gap after the keys.
        let room = max(10, width - 8 - keyWidth - 3)
        func lines(_ bindings: [KeyBinding]) -> [[Span]] {
            bindings.flatMap { b in
                Wrap.lines(b.help, width: room).enumerated().map { n, text in
                    [Span(DisplayWidth.fit(n == 0 ? b.keys.map(\.label).joined(separator: " ") : "", keyWidth), .title), Span("   "), Span(text)]
                }
            }
        }
        let heading = { (text: String) in [Span(text, .header)] }
        return (here.isEmpty ? [] : [heading("On \(place.title)")] + lines(here) + [[]]) + [heading("Everywhere")] + lines(everywhere)
    }

    var helpLines: [[Span]] { AppState.helpLines(width: size.width, on: Place(page.kind)) }

    var helpBox: PopupBox {
        PopupBox(title: "Keys", lines: helpLines, scroll: helpScroll,
                 hint: "↑↓ PgUp PgDn scroll · any other key closes this help")
    }

    /// A key while the help is open: the moving keys scroll it, any other closes it.
    mutating func helpKey(_ key: Key) {
        let count = helpLines.count
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
