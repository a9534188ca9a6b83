/// A window of `height` rows over numbered lines, scrolled so that line `scroll` is the first row
/// below any pinned heading: a table's heading and column titles stay at the top while its rows
/// scroll under them, as in k9s or htop. What to pin is the caller's: `pinned(i)` names the heading
/// lines (all before `i`) kept above line `i` when it is the first one scrolled to.
public struct Viewport {
    public var height: Int
    public var pinned: (Int) -> Range<Int>

    public init(height: Int, pinned: @escaping (Int) -> Range<Int> = { _ in 0..<0 }) {
        self.height = height
        self.pinned = pinned
    }

    /// The heading kept above `scroll`, unless it would leave no room for a row.
    func heading(_ scroll: Int) -> Range<Int> {
        let p = pinned(scroll)
        return p.count < height && p.upperBound <= scroll ? p : 0..<0
    }

    /// The lines drawn, top to bottom: the pinned heading, then lines from `scroll` to the bottom.
    public func lines(scroll: Int, count: Int) -> [Int] {
        let head = heading(scroll)
        let rest = height - head.count
        return Array(head) + Array(scroll..<max(scroll, min(count, scroll + rest)))
    }

    /// The scroll closest to `scroll` that shows `line` below its heading.
    public func scroll(toShow line: Int, from scroll: Int) -> Int {
        func shows(_ top: Int) -> Bool { top <= line && line < top + height - heading(top).count }
        if shows(scroll) { return scroll }
        if line < scroll { return line }
        var top = max(0, line - height + 1)
        while !shows(top), top < line { top += 1 }
        return top
    }
}
