/// One screen cell: a character (a grapheme) and its style. A wide character fills its cell and
/// the next, which holds `continuation`.
public struct Cell: Equatable, Sendable {
    public var character: Character?
    public var style: Style
    public static let blank = Cell(character: " ", style: .plain)
    public static let continuation = Cell(character: nil, style: .plain)
}

/// An in-memory screen: what a frame looks like, drawn by widgets and handed to a terminal.
public struct Grid: Equatable, Sendable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]
    /// For a terminal that is not UTF-8: text is written with ASCII stand-ins (`ASCIIText`), each
    /// symbol still its own, instead of leaving curses to draw them all as `?`.
    public var asciiOnly = false

    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    public subscript(x: Int, y: Int) -> Cell { cells[y * width + x] }

    /// Writes sanitised text at (x, y), clipped to `limit` columns (default: to the right edge), one
    /// grapheme cluster per cell (two for a wide one). Returns the columns used. A wide character that
    /// would straddle the limit is not written.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, style: Style = .plain, limit: Int? = nil) -> Int {
        guard y >= 0, y < height, x < width else { return 0 }
        let end = min(width, x + (limit ?? width))
        var col = x
        let safe = DisplayWidth.sanitize(text)
        for c in asciiOnly ? ASCIIText.standIn(safe) : safe {
            let w = DisplayWidth.of(c)
            // A zero-width cluster here is a lone combining mark or format character (a mark after a
            // base is inside the base's cluster already): it takes no cell, so it is not drawn.
            if w == 0 { continue }
            if col + w > end { break }
            if col >= 0 {
                clearWide(at: col, y: y)
                cells[y * width + col] = Cell(character: c, style: style)
                if w == 2 {
                    clearWide(at: col + 1, y: y)
                    cells[y * width + col + 1] = Cell(character: nil, style: style)
                }
            }
            col += w
        }
        return col - x
    }

    /// Overwriting half of a wide character blanks its other half.
    private mutating func clearWide(at x: Int, y: Int) {
        let i = y * width + x
        if cells[i].character == nil, x > 0 { cells[i - 1] = Cell(character: " ", style: cells[i - 1].style) }
        if x + 1 < width, cells[i + 1].character == nil, cells[i].character.map({ DisplayWidth.of($0) == 2 }) == true {
            cells[i + 1] = Cell(character: " ", style: cells[i + 1].style)
        }
    }

    /// Fills a rectangle with spaces in `style`.
    public mutating func fill(x: Int, y: Int, width w: Int, height h: Int, style: Style = .plain) {
        let left = max(0, x), right = min(width, x + w), top = max(0, y), bottom = min(height, y + h)
        guard left < right, top < bottom else { return }   // off the grid: nothing to fill
        let cols = left..<right
        for row in top..<bottom {
            // A wide character cut by either edge goes whole, or its other half would be orphaned.
            clearWide(at: cols.lowerBound, y: row)
            clearWide(at: cols.upperBound - 1, y: row)
            for col in cols { cells[row * width + col] = Cell(character: " ", style: style) }
        }
    }

    /// Applies `style` to existing cells (e.g. to highlight a selected row).
    public mutating func restyle(x: Int, y: Int, width w: Int, style: Style) {
        guard y >= 0, y < height, max(0, x) < min(width, x + w) else { return }
        for col in max(0, x)..<min(width, x + w) { cells[y * width + col].style = style }
    }

    /// The text of each row, trailing spaces removed: what snapshot tests compare.
    public var lines: [String] {
        (0..<height).map { y in
            var line = ""
            for x in 0..<width { if let c = cells[y * width + x].character { line.append(c) } }
            while line.last == " " { line.removeLast() }
            return line
        }
    }

    public var text: String { lines.joined(separator: "\n") }
}
