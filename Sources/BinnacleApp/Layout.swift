import BinnacleCore
import TerminalUI

/// One line of a page body. A line with a target can be selected; Enter goes there.
struct Line {
    var spans: [Span]
    var target: Target?
    /// Which part of a table the line is, if any: a table's header stays on screen while its rows scroll.
    var part: TablePart?
    enum TablePart { case columnHeader, row }
    /// A table line's whole cells before fitting, every column's (the titles on the column header):
    /// what `:export` writes and `d` shows.
    var cells: [String]?
    /// On the column header: the columns shown at this width (what `:export` writes).
    var shown: [Int]?
    /// On the column header: how it was laid out, to lay it out again marking the sort column.
    var layout: (columns: [Column], width: Int, indent: Int)?
    /// On a tab strip: the tabs it draws from column `left` (what a click on it hits).
    var tabStrip: (bar: TabBar, left: Int)?
    init(_ spans: [Span], target: Target? = nil, part: TablePart? = nil, cells: [String]? = nil, shown: [Int]? = nil) {
        self.spans = spans; self.target = target; self.part = part; self.cells = cells; self.shown = shown
    }
    init(_ text: String, _ role: StyleRole = .normal, target: Target? = nil) { self.init([Span(text, role)], target: target) }
    static let blank = Line([])
    var text: String { spans.map(\.text).joined() }

    /// What `/` keeps: the lines whose text contains the (lower-cased) needle.
    static func mentions(_ spans: [Span], _ needle: String) -> Bool { spans.map(\.text).joined().lowercased().contains(needle) }
}

extension TableLayout {
    /// A table as page lines: the laid-out header, then each row with where Enter on it goes.
    static func lines(_ columns: [Column], _ rows: [(cells: [Span], target: Target?)], width: Int, indent: Int = 1,
                      header: Bool = true) -> [Line] {
        // A table laid out whole (its header and rows together) widens columns no more than their widest cell.
        let columns = header && !rows.isEmpty ? TableLayout.grown(columns, rows.map(\.cells)) : columns
        let laid = TableLayout.rows(columns, rows.map(\.cells), width: width, indent: indent, header: header)
        func whole(_ cells: [Span]) -> [String] { columns.indices.map { $0 < cells.count ? cells[$0].text : "" } }
        var head = Line(laid[0], part: .columnHeader, cells: columns.map(\.title), shown: TableLayout.fit(columns, width: width, indent: indent).map(\.column))
        head.layout = (columns, width, indent)
        let heads = header ? [head] : []
        return heads + zip(laid.dropFirst(header ? 1 : 0), rows).map { Line($0, target: $1.target, part: .row, cells: whole($1.cells)) }
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
    /// Every row's whole cells for `:export`: from rows in memory, or from the rows of `list` the loop reads.
    let export: ExportRows
    private var window: (start: Int, lines: [Line]) = (0, [])
    static let windowSize = 200
    /// Whether the page it belongs to is drawn in ASCII: its rows, made later (as the selection moves),
    /// are laid out as the page's other tables were.
    private let ascii = ASCIIText.drawing

    /// Rows in memory.
    init<Row>(_ rows: ArrayWindow<Row>, columns: [Column], width: Int, indent: Int = 1,
              cells: @escaping (Row) -> (cells: [Span], target: Target?)) {
        count = rows.count
        list = nil
        read = 0..<count
        let make = { (range: Range<Int>) in
            TableLayout.lines(columns, rows.rows(range).map(cells), width: width, indent: indent, header: false)
        }
        self.make = make
        export = .ready { [count] in make(0..<count).map { $0.cells ?? [] } }
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
        export = .list(list) { rows in
            TableLayout.lines(columns, rows.map { cells($0 as! Row) }, width: width, indent: indent, header: false).map { $0.cells ?? [] }
        }
    }

    /// Lines already made (a table over rows in memory, sorted).
    init(lines: [Line]) {
        count = lines.count
        list = nil
        read = 0..<count
        make = { Array(lines[$0]) }
        export = .ready { lines.map { $0.cells ?? [] } }
    }

    /// Its rows in the order `before` gives, when they are in memory (nil for a list in the database).
    func sorted(by before: (Line, Line) -> Bool) -> LazyTable? {
        guard list == nil else { return nil }
        return LazyTable(lines: made(0..<count).sorted(by: before))
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

    private func made(_ range: Range<Int>) -> [Line] { ASCIIText.$drawing.withValue(ascii) { make(range) } }

    func line(_ i: Int) -> Line {
        if i < window.start || i >= window.start + window.lines.count {
            // Centred on the row asked for, so paging either way stays inside the window.
            let start = max(0, min(i - LazyTable.windowSize / 2, count - LazyTable.windowSize))
            window = (start, made(start..<min(count, start + LazyTable.windowSize)))
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

    /// The table that line `i` belongs to, as a row or in its heading: the heading's lines (the
    /// column titles and up to two lines of title or count just above them) and its rows. Found
    /// from the parts' shapes, so a long table's rows are never made for it.
    func table(at i: Int) -> (heading: Range<Int>, rows: Range<Int>)? {
        var base = 0
        for (k, part) in parts.enumerated() {
            defer { base += part.count }
            guard i < base + part.count else { continue }
            switch part {
            case .table(let t):
                // Its heading ends the lines just before it.
                guard k > 0, case .lines(let l) = parts[k - 1], let h = l.indices.last, l[h].part == .columnHeader else { return nil }
                return ((base - l.count + Body.headingStart(l, h))..<base, base..<(base + t.count))
            case .lines(let l):
                let j = i - base
                var h = j
                while h >= 0, l[h].part == .row { h -= 1 }
                if h < 0 || l[h].part != .columnHeader {
                    // Above the column titles, in the lines that head them?
                    guard let below = (j..<min(l.count, j + 3)).first(where: { l[$0].part == .columnHeader }),
                          Body.headingStart(l, below) <= j else { return nil }
                    h = below
                }
                var end = h + 1
                while end < l.count, l[end].part == .row { end += 1 }
                let heading = (base + Body.headingStart(l, h))..<(base + h + 1)
                if end == l.count, k + 1 < parts.count, case .table(let t) = parts[k + 1] {
                    return (heading, (base + end)..<(base + end + t.count))
                }
                return (heading, (base + h + 1)..<(base + end))
            }
        }
        return nil
    }

    /// Where the heading of the column titles at `header` starts: the titles and up to two plain
    /// lines just above them (a section title, a count, a legend), not past a blank line.
    private static func headingStart(_ lines: [Line], _ header: Int) -> Int {
        var start = header
        while start > 0, header - start < 2 {
            let above = lines[start - 1]
            guard above.part == nil, above.target == nil, !above.text.allSatisfy({ $0 == " " }) else { break }
            start -= 1
        }
        return start
    }

    /// A window of `height` lines over the body in which a table's heading stays while its rows scroll.
    func viewport(height: Int) -> Viewport {
        Viewport(height: height) { i in
            guard let t = table(at: i), t.heading.lowerBound < i else { return 0..<0 }
            return t.heading.lowerBound..<min(i, t.heading.upperBound)
        }
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

extension Page {
    /// A new result (a filter, a search, another order, another tab) opens at its top with its
    /// heading in view, not wherever the old selection's item now sits.
    mutating func toTop() {
        selection = 0
        scroll = 0
        selectedID = nil
    }
}
