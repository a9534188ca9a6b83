/// A table column. When the screen is too narrow, columns with the lowest priority go first.
public struct Column: Sendable {
    public var title: String
    public var width: Int
    public var right: Bool
    /// Takes a share of any spare width.
    public var flexible: Bool
    public var priority: Int
    /// Cut in the middle rather than at the end (names, whose tail tells them apart).
    public var middle: Bool
    /// How wide it may grow: it takes spare width up to this before the flexible columns share the
    /// rest; a table laid out whole grows it no wider than its widest cell (`TableLayout.grown`).
    public var maxWidth: Int?
    /// Drawn after the title in the header only (the sort's direction): not part of the column's name.
    public var mark = ""

    public init(title: String, width: Int, right: Bool = false, flexible: Bool = false, priority: Int = 5, middle: Bool = false,
                maxWidth: Int? = nil) {
        self.title = title; self.width = width; self.right = right; self.flexible = flexible; self.priority = priority
        self.middle = middle; self.maxWidth = maxWidth
    }
}

/// Lays cells out in columns that fit a width: each row becomes spans (an indent, then each kept
/// cell fitted to its column, two spaces apart). It knows nothing of what a row means or where it leads.
public enum TableLayout {
    /// The columns kept at `width` (in order) and how wide each is: the lowest priority goes first
    /// (the rightmost of equals), and spare width is shared among the flexible ones in proportion to
    /// their priority (what is left over by rounding going to the highest first).
    public static func fit(_ columns: [Column], width: Int, indent: Int = 1) -> [(column: Int, width: Int)] {
        var keep = Array(columns.indices)
        func total(_ idx: [Int]) -> Int { idx.reduce(0) { $0 + columns[$1].width } + max(0, idx.count - 1) * 2 + indent }
        while total(keep) > width, keep.count > 1 {
            let drop = keep.min { (columns[$0].priority, -$0) < (columns[$1].priority, -$1) }!
            keep.removeAll { $0 == drop }
        }
        var widths = keep.map { columns[$0].width }
        let flexible = keep.indices.filter { columns[keep[$0]].flexible }
        var spare = width - total(keep)
        // Columns with room to grow (a maximum above their width) take spare width first, the highest priority first.
        for k in keep.indices.sorted(by: { (-columns[keep[$0]].priority, $0) < (-columns[keep[$1]].priority, $1) }) where spare > 0 {
            guard let most = columns[keep[k]].maxWidth, most > widths[k] else { continue }
            let add = min(spare, most - widths[k])
            widths[k] += add
            spare -= add
        }
        if spare > 0, !flexible.isEmpty {
            let weight = flexible.reduce(0) { $0 + max(1, columns[keep[$1]].priority) }
            var left = spare
            for k in flexible {
                let share = spare * max(1, columns[keep[k]].priority) / weight
                widths[k] += share
                left -= share
            }
            for k in flexible.sorted(by: { (-columns[keep[$0]].priority, $0) < (-columns[keep[$1]].priority, $1) }) where left > 0 {
                widths[k] += 1
                left -= 1
            }
        }
        return Array(zip(keep, widths)).map { (column: $0.0, width: $0.1) }
    }

    /// The header (titles in the `.header` role) when asked, then one line of spans per row. A
    /// missing cell is blank.
    public static func rows(_ columns: [Column], _ rows: [[Span]], width: Int, indent: Int = 1, header: Bool = true) -> [[Span]] {
        let fitted = fit(columns, width: width, indent: indent)
        func line(_ cells: [Span], role: StyleRole?) -> [Span] {
            var spans = [Span(String(repeating: " ", count: indent))]
            for (n, f) in fitted.enumerated() {
                if n > 0 { spans.append(Span("  ")) }
                let cell = f.column < cells.count ? cells[f.column] : Span("")
                let c = columns[f.column]
                spans.append(Span(DisplayWidth.fit(ASCIIText.shown(cell.text), f.width, right: c.right, middle: c.middle && role == nil), role ?? cell.role))
            }
            return spans
        }
        return (header ? [line(columns.map { Span($0.title + $0.mark) }, role: .header)] : []) + rows.map { line($0, role: nil) }
    }

    /// The columns' maximum brought down to the widest of `rows`' cells, so spare width widens them
    /// only as far as their cells need (a table laid out whole: a long one's windows would differ).
    public static func grown(_ columns: [Column], _ rows: [[Span]]) -> [Column] {
        columns.enumerated().map { k, column in
            guard let most = column.maxWidth, most > column.width else { return column }
            var c = column
            let widest = rows.map { k < $0.count ? DisplayWidth.of(ASCIIText.shown($0[k].text)) : 0 }.max() ?? 0
            c.maxWidth = min(most, max(column.width, widest))   // as wide as its cells (when there is room), no wider
            return c
        }
    }
}
