/// A row of tab labels, the current one highlighted; labels that do not fit whole are left out.
public struct TabBar {
    public var labels: [String]
    public var selected: Int?

    public init(_ labels: [String], selected: Int?) { self.labels = labels; self.selected = selected }

    /// Draws from (x, y) up to the grid's right edge; returns the columns used.
    @discardableResult
    public func draw(into grid: inout Grid, x: Int, y: Int, theme: Theme) -> Int {
        var col = x
        for (i, label) in labels.enumerated() {
            let text = " \(label) "
            if col + DisplayWidth.of(text) > grid.width { break }
            col += grid.put(text, x: col, y: y, style: theme.style(i == selected ? .selected : .muted))
        }
        return col - x
    }
}
