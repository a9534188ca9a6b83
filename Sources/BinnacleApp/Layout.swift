import BinnacleCore
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

    /// What `/` keeps: the lines whose text contains the (lower-cased) needle.
    static func mentions(_ spans: [Span], _ needle: String) -> Bool { spans.map(\.text).joined().lowercased().contains(needle) }
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

/// The rows of a long table, made into lines a window at a time: a list of 50,000 models costs
/// the lines on screen, not 50,000 of them.
///
/// A table over a list in the database makes its lines from the rows the loop has read (`RowCache`),
/// never reading itself: a row not read yet is a blank line (the loop reads the rows on screen before
/// drawing). A table over rows in memory makes them from those.
final class LazyTable {
    let count: Int
    /// The page's long list this table shows, and which of its rows are read.
    let list: ListID?
    private let read: Range<Int>
    private let make: (Range<Int>) -> [Line]
    private var window: (start: Int, lines: [Line]) = (0, [])
    static let windowSize = 200

    /// Rows in memory.
    init<Row>(_ rows: ArrayWindow<Row>, columns: [Column], width: Int, indent: Int = 1,
              cells: @escaping (Row) -> (cells: [Span], target: Target?)) {
        count = rows.count
        list = nil
        read = 0..<count
        make = { range in
            TableLayout.lines(columns, rows.rows(range).map(cells), width: width, indent: indent, header: false)
        }
    }

    /// A long list of `count` rows, of which `cache` holds those read.
    init<Row>(_ list: ListID, count: Int, cache: RowCache?, columns: [Column], width: Int, indent: Int = 1,
              cells: @escaping (Row) -> (cells: [Span], target: Target?)) {
        self.count = count
        self.list = list
        let rows = cache?.rows ?? []
        let start = cache?.range.lowerBound ?? 0
        read = cache?.range ?? 0..<0
        make = { range in
            var lines = [Line](repeating: .blank, count: range.count)
            let lo = max(range.lowerBound, start), hi = min(range.upperBound, start + rows.count)
            guard lo < hi else { return lines }
            let made = TableLayout.lines(columns, rows[(lo - start)..<(hi - start)].map { cells($0 as! Row) }, width: width,
                                         indent: indent, header: false)
            for (k, line) in made.enumerated() { lines[lo - range.lowerBound + k] = line }
            return lines
        }
    }

    /// Whether the rows `range` are read (or past the end).
    func covers(_ range: Range<Int>) -> Bool {
        range.isEmpty || (read.lowerBound <= range.lowerBound && range.upperBound <= read.upperBound)
    }

    /// A table over rows in memory; with `text`, only the rows whose cells mention it (as `/` keeps
    /// the lines that contain it).
    convenience init<R>(_ rows: [R], text: String, columns: [Column], width: Int,
                        cells: @escaping (R) -> (cells: [Span], target: Target?)) {
        let kept = text.isEmpty ? rows : rows.filter { Line.mentions(cells($0).cells, text) }
        self.init(ArrayWindow(kept), columns: columns, width: width, cells: cells)
    }

    func line(_ i: Int) -> Line {
        if i < window.start || i >= window.start + window.lines.count {
            // Centred on the row asked for, so paging either way stays inside the window.
            let start = max(0, min(i - LazyTable.windowSize / 2, count - LazyTable.windowSize))
            window = (start, make(start..<min(count, start + LazyTable.windowSize)))
        }
        let k = i - window.start
        return k < window.lines.count ? window.lines[k] : .blank
    }
}

/// A page's lines: short parts hold their lines, long tables make theirs on demand. Every row of
/// a long table can be selected.
struct Body {
    enum Part {
        case lines([Line])
        case table(LazyTable)
    }
    private(set) var parts: [Part] = []

    init(_ lines: [Line] = []) { if !lines.isEmpty { parts = [.lines(lines)] } }

    mutating func append(_ lines: [Line]) {
        if case .lines(let last)? = parts.last { parts[parts.count - 1] = .lines(last + lines) } else { parts.append(.lines(lines)) }
    }
    mutating func append(_ line: Line) { append([line]) }
    mutating func append(_ table: LazyTable) { parts.append(.table(table)) }
    static func += (body: inout Body, lines: [Line]) { body.append(lines) }

    var count: Int { parts.reduce(0) { $0 + $1.count } }

    subscript(i: Int) -> Line {
        var i = i
        for part in parts {
            if i < part.count { return part.line(i) }
            i -= part.count
        }
        return .blank
    }

    /// How many lines can be selected, and where the n-th one is.
    var selectableCount: Int { parts.reduce(0) { $0 + $1.selectableCount } }
    func lineIndex(ofSelectable n: Int) -> Int? {
        var n = n, offset = 0
        for part in parts {
            let c = part.selectableCount
            if n < c { return offset + part.selectablePosition(n) }
            n -= c
            offset += part.count
        }
        return nil
    }

    /// The selectable index of the line whose target has `id`, looking through the short parts and
    /// near `near` in long tables (a refresh keeps the selection by id without reading every row).
    func selectableIndex(of id: String, near: Int) -> Int? {
        // Most often the item has not moved: no table need be looked through.
        if let line = lineIndex(ofSelectable: near), self[line].target?.id == id { return near }
        var base = 0
        for part in parts {
            switch part {
            case .lines(let lines):
                let s = lines.indices.filter { lines[$0].target != nil }
                if let k = s.firstIndex(where: { lines[$0].target?.id == id }) { return base + k }
            case .table(let t):
                let local = near - base
                let low = max(0, local - 100), high = min(t.count, local + 100)
                if low < high { for k in low..<high where t.line(k).target?.id == id { return base + k } }
            }
            base += part.selectableCount
        }
        return nil
    }

    /// Keeps headings and the lines of the short parts that contain `needle` (long tables filter at
    /// their source).
    func filtered(_ needle: String) -> Body {
        var out = Body()
        for part in parts {
            switch part {
            case .lines(let lines): out.append(lines.filter { $0.target == nil || Line.mentions($0.spans, needle) })
            case .table(let t): out.append(t)
            }
        }
        return out
    }
}

extension Body.Part {
    var count: Int {
        switch self {
        case .lines(let l): return l.count
        case .table(let t): return t.count
        }
    }
    func line(_ i: Int) -> Line {
        switch self {
        case .lines(let l): return l[i]
        case .table(let t): return t.line(i)
        }
    }
    var selectableCount: Int {
        switch self {
        case .lines(let l): return l.reduce(0) { $0 + ($1.target == nil ? 0 : 1) }
        case .table(let t): return t.count
        }
    }
    /// Where the n-th selectable line of the part is.
    func selectablePosition(_ n: Int) -> Int {
        switch self {
        case .lines(let l): return l.indices.filter { l[$0].target != nil }[n]
        case .table: return n
        }
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
