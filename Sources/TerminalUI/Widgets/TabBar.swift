/// A row of tab labels, the current one highlighted; labels that do not fit whole are left out.
public struct TabBar: Sendable {
    public var labels: [String]
    public var selected: Int?
    /// What separates two labels.
    public var gap: String

    public init(_ labels: [String], selected: Int?, gap: String = "") {
        self.labels = labels
        self.selected = selected
        self.gap = gap
    }

    /// The labels as spans (for a line that scrolls with a page), each padded by a space.
    public func spans() -> [Span] {
        var out: [Span] = []
        for (i, label) in labels.enumerated() {
            if i > 0, !gap.isEmpty { out.append(Span(gap)) }
            out.append(Span(" \(label) ", i == selected ? .selected : .muted))
        }
        return out
    }

    /// The label drawn under column `x` when the bar is drawn from column `left` (nil: a gap or past the end).
    public func index(at x: Int, left: Int) -> Int? {
        var col = left
        for (i, label) in labels.enumerated() {
            if i > 0 { col += DisplayWidth.of(gap) }
            let w = DisplayWidth.of(" \(label) ")
            if x >= col, x < col + w { return i }
            col += w
        }
        return nil
    }

    /// Draws from (x, y) up to the grid's right edge; returns the columns used.
    @discardableResult
    public func draw(into grid: inout Grid, x: Int, y: Int, theme: Theme) -> Int {
        var col = x
        for span in spans() {
            if col + DisplayWidth.of(span.text) > grid.width { break }
            col += grid.put(span.text, x: col, y: y, style: theme.style(span.role))
        }
        return col - x
    }
}
