/// A table column. When the screen is too narrow, columns with the lowest priority go first.
public struct Column: Sendable {
    public var title: String
    public var width: Int
    public var right: Bool
    /// Takes a share of any spare width.
    public var flexible: Bool
    public var priority: Int
    /// Drawn after the title in the header only (the sort's direction): not part of the column's name.
    public var mark = ""

    public init(title: String, width: Int, right: Bool = false, flexible: Bool = false, priority: Int = 5) {
        self.title = title; self.width = width; self.right = right; self.flexible = flexible; self.priority = priority
    }
}

/// Lays cells out in columns that fit a width: each row becomes spans (an indent, then each kept
/// cell fitted to its column, two spaces apart). It knows nothing of what a row means or where it leads.
public enum TableLayout {
    /// The columns kept at `width` (in order) and how wide each is: the lowest priority goes first
    /// (the rightmost of equals), and spare width is shared among the flexible ones.
    public static func fit(_ columns: [Column], width: Int, indent: Int = 1) -> [(column: Int, width: Int)] {
        var keep = Array(columns.indices)
        func total(_ idx: [Int]) -> Int { idx.reduce(0) { $0 + columns[$1].width } + max(0, idx.count - 1) * 2 + indent }
        while total(keep) > width, keep.count > 1 {
            let drop = keep.min { (columns[$0].priority, -$0) < (columns[$1].priority, -$1) }!
            keep.removeAll { $0 == drop }
        }
        var widths = keep.map { columns[$0].width }
        let flexible = keep.indices.filter { columns[keep[$0]].flexible }
        let spare = width - total(keep)
        if spare > 0, !flexible.isEmpty {
            for (n, k) in flexible.enumerated() { widths[k] += spare / flexible.count + (n < spare % flexible.count ? 1 : 0) }
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
                spans.append(Span(DisplayWidth.fit(cell.text, f.width, right: columns[f.column].right), role ?? cell.role))
            }
            return spans
        }
        return (header ? [line(columns.map { Span($0.title + $0.mark) }, role: .header)] : []) + rows.map { line($0, role: nil) }
    }
}
