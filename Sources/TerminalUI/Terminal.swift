/// A key press (or a resize), as the app sees it.
public enum Key: Hashable, Sendable {
    case character(Character)
    case up, down, left, right, pageUp, pageDown, home, end
    case enter, escape, tab, backTab, backspace, delete
    case resize
    case ctrl(Character)
    /// A click of the first mouse button at a cell (only with the mouse enabled).
    case click(x: Int, y: Int)

    /// How the key is written in help and hints.
    public var label: String {
        switch self {
        case .character(" "): return "Space"
        case .character(let c): return String(c)
        case .up: return "↑"
        case .down: return "↓"
        case .left: return "←"
        case .right: return "→"
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        case .home: return "Home"
        case .end: return "End"
        case .enter: return "Enter"
        case .escape: return "Esc"
        case .tab: return "Tab"
        case .backTab: return "S-Tab"
        case .backspace: return "Bksp"
        case .delete: return "Del"
        case .resize: return "resize"
        case .ctrl(let c): return "^" + String(c).uppercased()
        case .click: return "click"
        }
    }
}

/// Where frames go and keys come from: ncurses in the binary, memory in tests.
public protocol Terminal: AnyObject {
    /// Columns and rows.
    var size: (width: Int, height: Int) { get }
    var supportsColor: Bool { get }
    var supportsUnicode: Bool { get }
    /// Shows `grid`, sending only what changed since the last frame.
    func draw(_ grid: Grid)
    /// The next key, or nil when none came within `timeoutMilliseconds`.
    func readKey(timeoutMilliseconds: Int) -> Key?
    /// Puts `text` on the system clipboard through the terminal (OSC 52), where it allows that.
    func copyToClipboard(_ text: String)
}

/// A terminal in memory: it keeps the last frame and hands out scripted keys.
public final class MemoryTerminal: Terminal {
    public var size: (width: Int, height: Int)
    public var supportsColor: Bool
    public var supportsUnicode: Bool
    public private(set) var frame: Grid
    public private(set) var framesDrawn = 0
    public var keys: [Key] = []
    /// What was put on the clipboard, in order.
    public private(set) var copied: [String] = []

    public init(width: Int, height: Int, color: Bool = true, unicode: Bool = true) {
        size = (width, height)
        supportsColor = color
        supportsUnicode = unicode
        frame = Grid(width: width, height: height)
    }

    public func draw(_ grid: Grid) {
        frame = grid
        framesDrawn += 1
    }

    public func readKey(timeoutMilliseconds: Int) -> Key? { keys.isEmpty ? nil : keys.removeFirst() }
    public func copyToClipboard(_ text: String) { copied.append(text) }
}
