/// The eight ANSI colours plus the terminal's own default; ncurses maps them to colour pairs.
public enum Color: Int, Sendable, CaseIterable {
    case `default` = -1, black = 0, red, green, yellow, blue, magenta, cyan, white
}

public struct Style: Hashable, Sendable {
    public var foreground: Color = .default
    public var background: Color = .default
    public var bold = false
    public var reverse = false
    public var underline = false
    public var dim = false

    public init(foreground: Color = .default, background: Color = .default, bold: Bool = false,
                reverse: Bool = false, underline: Bool = false, dim: Bool = false) {
        self.foreground = foreground; self.background = background
        self.bold = bold; self.reverse = reverse; self.underline = underline; self.dim = dim
    }

    public static let plain = Style()
}

/// What a piece of the screen means; the theme decides how it looks.
public enum StyleRole: Sendable, CaseIterable {
    case normal, title, header, selected, critical, warning, good, muted, accent, statusBar, badge, tileTitle, tileValue
}

/// A theme maps roles to styles. The monochrome one uses only bold, dim, underline and reverse, so a
/// state is never carried by colour alone (symbols carry it everywhere).
public struct Theme: Sendable {
    public var name: String
    public var styles: [StyleRole: Style]

    public func style(_ role: StyleRole) -> Style { styles[role] ?? .plain }

    public static let colour = Theme(name: "colour", styles: [
        .normal: .plain,
        .title: Style(foreground: .cyan, bold: true),
        .header: Style(bold: true, underline: true),
        .selected: Style(reverse: true),
        .critical: Style(foreground: .red, bold: true),
        .warning: Style(foreground: .yellow),
        .good: Style(foreground: .green),
        .muted: Style(dim: true),
        .accent: Style(foreground: .cyan),
        .statusBar: Style(foreground: .black, background: .cyan),
        .badge: Style(foreground: .white, background: .red, bold: true),
        .tileTitle: Style(dim: true),
        .tileValue: Style(bold: true),
    ])

    public static let monochrome = Theme(name: "monochrome", styles: [
        .normal: .plain,
        .title: Style(bold: true),
        .header: Style(bold: true, underline: true),
        .selected: Style(reverse: true),
        .critical: Style(bold: true),
        .warning: Style(underline: true),
        .good: .plain,
        .muted: Style(dim: true),
        .accent: .plain,
        .statusBar: Style(reverse: true),
        .badge: Style(bold: true, reverse: true),
        .tileTitle: Style(dim: true),
        .tileValue: Style(bold: true),
    ])
}

/// Symbols with ASCII stand-ins for terminals whose locale is not UTF-8.
public struct Symbols: Sendable {
    public var ok, bad, up, down, dot, ellipsis, arrow, separator, branch, lastBranch, vertical, warning, cycle: String
    /// A change that is better, worse or the same (always beside the word: never a mark alone), and a
    /// value with no data (neither met nor missed).
    public var better, worse, same, noData: String
    /// From a previous value to the current one.
    public var to: String
    public var spark: [String]
    /// Whether these are the ASCII stand-ins: then every text drawn is made ASCII too (`Grid.asciiOnly`).
    public var isASCII = false

    /// A warning is `!`, never the `▲` of a better change.
    public static let unicode = Symbols(ok: "✓", bad: "✗", up: "▲", down: "▼", dot: "●", ellipsis: "…", arrow: "›", separator: "│",
                                        branch: "├─", lastBranch: "└─", vertical: "│ ", warning: "!", cycle: "↻",
                                        better: "▲", worse: "▼", same: "=", noData: "—", to: "→",
                                        spark: ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"])
    /// Every state keeps a symbol of its own (ok is `+`, never the `v` of down or worse).
    public static let ascii = Symbols(ok: "+", bad: "x", up: "^", down: "v", dot: "*", ellipsis: "~", arrow: ">", separator: "|",
                                      branch: "|-", lastBranch: "`-", vertical: "| ", warning: "!", cycle: "@",
                                      better: "^", worse: "v", same: "=", noData: "-", to: "->",
                                      spark: ["_", ".", "-", "=", "+", "*", "#", "@"], isASCII: true)
}
