import TerminalUI

/// A piece of text and what it means (the theme picks the look).
public struct Span: Equatable, Sendable {
    public var text: String
    public var role: StyleRole
    public init(_ text: String, _ role: StyleRole = .normal) { self.text = text; self.role = role }
}

/// One line of a page body. A line with a target can be selected; Enter goes there.
struct Line {
    var spans: [Span]
    var target: Target?
    init(_ spans: [Span], target: Target? = nil) { self.spans = spans; self.target = target }
    init(_ text: String, _ role: StyleRole = .normal, target: Target? = nil) { self.init([Span(text, role)], target: target) }
    static let blank = Line([])
    var text: String { spans.map(\.text).joined() }
}

/// A table column. When the screen is too narrow, columns with the lowest priority go first.
struct Column {
    var title: String
    var width: Int
    var right = false
    /// Takes a share of any spare width.
    var flexible = false
    var priority = 5
}

enum TableLayout {
    /// Renders a header and rows into lines that fit `width`, dropping low-priority columns as needed.
    static func lines(_ columns: [Column], _ rows: [(cells: [Span], target: Target?)], width: Int, indent: Int = 1,
                      header: Bool = true) -> [Line] {
        var keep = Array(columns.indices)
        func total(_ idx: [Int]) -> Int { idx.reduce(0) { $0 + columns[$1].width } + max(0, idx.count - 1) * 2 + indent }
        while total(keep) > width, keep.count > 1 {
            let drop = keep.min { (columns[$0].priority, -$0) < (columns[$1].priority, -$1) }!
            keep.removeAll { $0 == drop }
        }
        var widths = Dictionary(uniqueKeysWithValues: keep.map { ($0, columns[$0].width) })
        let flexible = keep.filter { columns[$0].flexible }
        let spare = width - total(keep)
        if spare > 0, !flexible.isEmpty {
            for (n, i) in flexible.enumerated() { widths[i]! += spare / flexible.count + (n < spare % flexible.count ? 1 : 0) }
        }
        func line(_ cells: [Span], role: StyleRole?, target: Target?) -> Line {
            var spans = [Span(String(repeating: " ", count: indent))]
            for (n, i) in keep.enumerated() {
                if n > 0 { spans.append(Span("  ")) }
                let cell = i < cells.count ? cells[i] : Span("")
                spans.append(Span(DisplayWidth.fit(cell.text, widths[i]!, right: columns[i].right), role ?? cell.role))
            }
            return Line(spans, target: target)
        }
        var out: [Line] = []
        if header { out.append(line(columns.map { Span($0.title) }, role: .header, target: nil)) }
        for row in rows { out.append(line(row.cells, role: nil, target: row.target)) }
        return out
    }
}

enum Sparkline {
    /// One character per value, scaled between the series' minimum and maximum; a gap for nil.
    static func render(_ values: [Double?], symbols: Symbols) -> String {
        let known = values.compactMap { $0 }
        guard let lo = known.min(), let hi = known.max() else { return String(repeating: " ", count: values.count) }
        let levels = symbols.spark
        return values.map { v in
            guard let v else { return " " }
            if hi == lo { return levels[levels.count / 2] }
            let i = Int(((v - lo) / (hi - lo) * Double(levels.count - 1)).rounded())
            return levels[max(0, min(levels.count - 1, i))]
        }.joined()
    }
}
