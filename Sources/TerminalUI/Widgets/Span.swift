/// A piece of text and what it means (the theme picks the look).
public struct Span: Equatable, Sendable {
    public var text: String
    public var role: StyleRole
    public init(_ text: String, _ role: StyleRole = .normal) { self.text = text; self.role = role }
}

extension Grid {
    /// Writes spans one after another from (x, y), each in its role's style, clipped to `limit`
    /// columns. Returns the columns used.
    @discardableResult
    public mutating func put(_ spans: [Span], x: Int, y: Int, theme: Theme, limit: Int? = nil) -> Int {
        let end = x + (limit ?? (width - x))
        var col = x
        for span in spans where col < end {
            col += put(span.text, x: col, y: y, style: theme.style(span.role), limit: end - col)
        }
        return col - x
    }
}
