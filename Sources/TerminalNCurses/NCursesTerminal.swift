import CNCurses
import Foundation
import TerminalUI

/// The real terminal, through ncursesw. The only code that touches C; called from one thread.
public final class NCursesTerminal: Terminal {
    public private(set) var supportsColor = false
    public let supportsUnicode: Bool
    private var previous: Grid?
    /// Keys decoded from one event but read one at a time (a double click is two clicks).
    private var pending: [Key] = []
    private var pairs: [Style: (attrs: attr_t, pair: Int16)] = [:]
    private var nextPair: Int16 = 1
    private let useColor: Bool

    /// Takes over the terminal. `color: false` (from --no-color or NO_COLOR) keeps to monochrome.
    /// Why this terminal ($TERM) cannot draw the dashboard, or nil when it can.
    public static func cannotDraw() -> String? {
        let term = ProcessInfo.processInfo.environment["TERM"] ?? ""
        switch binnacle_terminal_problem() {
        case 0: return nil
        case 2: return "the terminal '\(term)' cannot move the cursor, which the dashboard needs"
        default: return term.isEmpty ? "TERM is not set, so the terminal is unknown"
                                     : "the terminal '\(term)' is unknown to this system's terminfo (try TERM=xterm-256color)"
        }
    }

    public init(color: Bool, mouse: Bool) {
        setlocale(LC_ALL, "")
        let codeset = String(cString: nl_langinfo(nl_item(CODESET)))
        supportsUnicode = codeset.uppercased().replacingOccurrences(of: "-", with: "") == "UTF8"
        useColor = color
        initscr()
        cbreak()
        noecho()
        nonl()
        keypad(binnacle_stdscr(), true)
        set_escdelay(25)
        curs_set(0)
        if useColor, has_colors() {
            start_color()
            use_default_colors()
            supportsColor = true
        }
        if mouse {
            mousemask(binnacle_all_mouse_events(), nil)
            // Each press is delivered at once, not held back to see whether a second makes a double click.
            mouseinterval(0)
        } else { mousemask(0, nil) }
        TerminalRestore.install()
    }

    /// Gives the terminal back. Safe to call more than once.
    public func close() { TerminalRestore.restore() }

    /// OSC 52: the terminal puts the text (base64, so nothing in it acts on the terminal) on the clipboard.
    public func copyToClipboard(_ text: String) {
        FileHandle.standardOutput.write(Data("\u{1B}]52;c;\(Data(text.utf8).base64EncodedString())\u{07}".utf8))
    }

    deinit { close() }

    public var size: (width: Int, height: Int) { (Int(binnacle_cols()), Int(binnacle_lines())) }

    private func attributes(for style: Style) -> (attr_t, Int16) {
        if let known = pairs[style] { return known }
        var attrs = binnacle_a_normal()
        if style.bold { attrs |= binnacle_a_bold() }
        if style.reverse { attrs |= binnacle_a_reverse() }
        if style.underline { attrs |= binnacle_a_underline() }
        if style.dim { attrs |= binnacle_a_dim() }
        var pair: Int16 = 0
        if supportsColor, style.foreground != .default || style.background != .default, nextPair < 255 {
            pair = nextPair
            init_pair(pair, Int16(style.foreground.rawValue), Int16(style.background.rawValue))
            nextPair += 1
        }
        pairs[style] = (attrs, pair)
        return (attrs, pair)
    }

    /// Writes only the runs of cells that differ from the last frame, then lets ncurses send them.
    public func draw(_ grid: Grid) {
        let full = previous.map { $0.width != grid.width || $0.height != grid.height } ?? true
        if full { erase() }
        for y in 0..<grid.height {
            var x = 0
            while x < grid.width {
                if !full, let previous, previous[x, y] == grid[x, y] { x += 1; continue }
                // A run of changed cells in one style; a wide character is always written whole.
                let start = grid[x, y].character == nil && x > 0 ? x - 1 : x
                let style = grid[start, y].style
                var text: [wchar_t] = []
                var i = start
                while i < grid.width, grid[i, y].style == style,
                      i == start || full || grid[i, y].character == nil || previous?[i, y] != grid[i, y] {
                    if let c = grid[i, y].character {
                        for s in glyph(c) { text.append(wchar_t(bitPattern: s.value)) }
                    }
                    i += 1
                }
                x = max(i, x + 1)
                if text.isEmpty { continue }
                let (attrs, pair) = attributes(for: style)
                _ = binnacle_put(Int32(y), Int32(start), text, Int32(text.count), attrs, pair)
            }
        }
        previous = grid
        refresh()
    }

    /// A cell's character as curses can hold and measure it, taking exactly the cell's columns.
    private func glyph(_ c: Character) -> [Unicode.Scalar] {
        if c.isASCII { return Array(c.unicodeScalars) }
        return Glyph.scalars(for: c, terminalWidth: { Int(binnacle_wcwidth(wchar_t(bitPattern: $0.value))) },
                             maxScalars: Int(binnacle_ccharw_max()), replacement: supportsUnicode ? "\u{FFFD}" : "?")
    }

    public func readKey(timeoutMilliseconds: Int) -> Key? {
        if !pending.isEmpty { return pending.removeFirst() }
        timeout(Int32(timeoutMilliseconds))
        var ch: wint_t = 0
        let kind = get_wch(&ch)
        if kind == ERR { return nil }
        if kind == binnacle_key_code_yes() {
            switch Int32(ch) {
            case KEY_UP: return .up
            case KEY_DOWN: return .down
            case KEY_LEFT: return .left
            case KEY_RIGHT: return .right
            case KEY_NPAGE: return .pageDown
            case KEY_PPAGE: return .pageUp
            case KEY_HOME: return .home
            case KEY_END: return .end
            case KEY_ENTER: return .enter
            case KEY_BTAB: return .backTab
            case KEY_BACKSPACE: return .backspace
            case KEY_DC: return .delete
            case KEY_MOUSE:
                // The wheel scrolls like the arrow keys; a click selects what is under it (see `AppState.click`).
                var x: Int32 = 0, y: Int32 = 0
                switch binnacle_mouse_event(&x, &y) {
                case -1: return .up
                case 1: return .down
                case 2: return .click(x: Int(x), y: Int(y))
                case 3:
                    pending.append(.click(x: Int(x), y: Int(y)))
                    return .click(x: Int(x), y: Int(y))
                default: return nil
                }
            case KEY_RESIZE:
                previous = nil
                return .resize
            default: return nil
            }
        }
        switch ch {
        case 10, 13: return .enter
        case 27: return .escape
        case 9: return .tab
        case 127, 8: return .backspace
        case 1...26: return .ctrl(Character(Unicode.Scalar(ch + 96)!))
        default: return Unicode.Scalar(ch).map { .character(Character($0)) }
        }
    }
}

/// Restores the terminal on every way out: normal exit, SIGINT/SIGTERM/SIGHUP (which end the
/// program after restoring), and crashes that raise a signal (a Swift trap raises SIGILL or SIGTRAP).
public enum TerminalRestore {
    nonisolated(unsafe) private static var active = false
    /// Set by SIGINT, SIGTERM and SIGHUP: the event loop notices it and quits cleanly.
    nonisolated(unsafe) public static var stopRequested: sig_atomic_t = 0

    static func install() {
        active = true
        atexit { TerminalRestore.restore() }
        // A parent may have started us with these blocked (thread pools block signals, and children
        // inherit the mask): unblock them, or SIGTERM would leave the terminal in raw mode forever.
        var set = sigset_t()
        sigemptyset(&set)
        for sig in [SIGINT, SIGTERM, SIGHUP] { sigaddset(&set, sig) }
        sigprocmask(SIG_UNBLOCK, &set, nil)
        for sig in [SIGINT, SIGTERM, SIGHUP] {
            signal(sig) { _ in TerminalRestore.stopRequested = 1 }
        }
        for sig in [SIGILL, SIGTRAP, SIGSEGV, SIGBUS, SIGABRT, SIGFPE] {
            signal(sig) { sig in
                TerminalRestore.restore()
                signal(sig, SIG_DFL)
                raise(sig)
            }
        }
    }

    public static func restore() {
        guard active else { return }
        active = false
        endwin()
    }
}
