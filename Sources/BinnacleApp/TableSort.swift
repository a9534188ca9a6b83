import BinnacleCore
import TerminalUI

/// Sorting any list in memory by any shown column (`>` `<` choose the column, `S` reverses), the
/// header marking it (`NAME▲`). Lists read from the database a window at a time sort there: the
/// Models screen by its own columns, the alerts and the document gaps by theirs (`Page.listOrders`);
/// the independence breaches keep their order.
extension Line {
    /// Names a table by its column titles, for the page to remember which one is sorted.
    var tableKey: String? { part == .columnHeader ? cells?.joined(separator: "|") : nil }
}

enum TableSort {
    /// Numbers (with a unit: 12%, 56d, -3.5, 1,200) as numbers, before text; text ignoring case.
    static func before(_ a: String, _ b: String) -> Bool {
        switch (number(a), number(b)) {
        case let (x?, y?): return x < y
        case (_?, nil): return true
        case (nil, _?): return false
        default: return a.lowercased() < b.lowercased()
        }
    }

    static func isBlank(_ text: String) -> Bool { let t = text.trimmingSpaces; return t.isEmpty || t == "—" }

    static func number(_ text: String) -> Double? {
        var t = text.trimmingSpaces.filter { $0 != "," }
        while let last = t.last, "%d".contains(last) { t.removeLast() }
        return Double(t)
    }
}

extension Body {
    /// How many selectable lines come before line `line`.
    func selectableCount(before line: Int) -> Int {
        var n = 0, base = 0
        for part in parts where base < line {
            let upto = min(part.count, line - base)
            switch part {
            case .lines(let l): n += l[0..<upto].filter { $0.target != nil }.count
            case .table: n += upto
            }
            base += part.count
        }
        return n
    }

    /// The body with the table named `key` sorted by column `column` (its header marked `mark`).
    func sorted(table key: String, column: Int, descending: Bool, mark: String) -> Body {
        func before(_ a: Line, _ b: Line) -> Bool {
            let x = a.cells.map { column < $0.count ? $0[column] : "" } ?? "", y = b.cells.map { column < $0.count ? $0[column] : "" } ?? ""
            // A blank cell goes last either way.
            if TableSort.isBlank(x) != TableSort.isBlank(y) { return TableSort.isBlank(y) }
            return descending ? TableSort.before(y, x) : TableSort.before(x, y)
        }
        var out = Body()
        var headed = false   // the last lines were the sorted table's header: a table part after them is its rows
        for part in parts {
            switch part {
            case .lines(var l):
                headed = false
                var i = 0
                while i < l.count {
                    defer { i += 1 }
                    guard l[i].tableKey == key, let layout = l[i].layout else { continue }
                    var columns = layout.columns
                    if column < columns.count { columns[column].mark = mark }
                    l[i].spans = TableLayout.rows(columns, [], width: layout.width, indent: layout.indent)[0]
                    var end = i + 1
                    while end < l.count, l[end].part == .row { end += 1 }
                    l.replaceSubrange((i + 1)..<end, with: l[(i + 1)..<end].sorted(by: before))
                    headed = end == l.count
                    i = end - 1
                }
                out.append(l)
            case .table(let t):
                out.append(headed ? (t.sorted(by: before) ?? t) : t)
                headed = false
            }
        }
        return out
    }
}

/// What a sort applies to: a long list the database sorts, or a table sorted in memory (named by its titles).
enum SortedTable: Equatable {
    case list(ListID)
    case table(key: String)
}

extension AppState {
    /// The list or table the line at `i` is in or heads, its column titles and the columns shown.
    func sortedTable(at i: Int, in body: Body) -> (SortedTable, titles: [String], shown: [Int])? {
        guard let table = body.exportTable(at: i) else { return nil }
        if let list = list(at: i, in: body) { return (.list(list), table.titles, table.shown) }
        return (.table(key: table.titles.joined(separator: "|")), table.titles, table.shown)
    }

    /// The column a table is sorted by, and whether descending (nil: it is in its own order).
    func order(of t: SortedTable) -> ListOrder? {
        switch t {
        case .list(let list): return page.listOrders[list]
        case .table(let key): return page.sortTable == key ? ListOrder(column: page.sortColumn, descending: page.sortDescending) : nil
        }
    }

    /// The columns a table can be sorted by, of those shown (none: `refusal` says why).
    func sortable(_ t: SortedTable, shown: [Int]) -> (columns: [Int], refusal: String) {
        let refusal = "this list keeps its order (it is read from the database a window at a time)"
        guard case .list(let list) = t else { return (shown, refusal) }
        return (shown.filter { $0 < (AppState.sortableColumns(list) ?? 0) }, refusal)
    }

    /// Every way of sorting ends here: `>` `<` `S` and a click on a column title. The new order opens at its first row.
    mutating func sort(_ t: SortedTable, by order: ListOrder, title: String, at i: Int, in body: Body) {
        switch t {
        case .list(let list): page.listOrders[list] = order
        case .table(let key): (page.sortTable, page.sortColumn, page.sortDescending) = (key, order.column, order.descending)
        }
        toTopOfSortedTable(at: i, in: body)
        say("sorted by \(title.lowercased())\(order.descending ? ", descending" : "")")
    }

    /// The line the selection is on, in the page's body.
    private func selectedLine() -> (body: Body, index: Int)? {
        guard let body = body(of: page), body.selectableCount > 0,
              let i = body.lineIndex(ofSelectable: min(page.selection, body.selectableCount - 1)) else { return nil }
        return (body, i)
    }

    /// `>` / `<`: sorts the list the selection is in by its next / previous shown column it can be sorted by
    /// (keeping the direction).
    mutating func sortColumn(step: Int) {
        guard let (body, i) = selectedLine(), let (t, titles, shown) = sortedTable(at: i, in: body) else {
            return say("no list to sort here", error: true)
        }
        let (columns, refusal) = sortable(t, shown: shown)
        guard !columns.isEmpty else { return say(refusal, error: true) }
        var order = self.order(of: t) ?? ListOrder(column: -1)
        if let at = columns.firstIndex(of: order.column) { order.column = columns[((at + step) % columns.count + columns.count) % columns.count] }
        else { order = ListOrder(column: step > 0 ? columns[0] : columns[columns.count - 1]) }
        sort(t, by: order, title: titles[order.column], at: i, in: body)
    }

    /// `S`: reverses the sorted list's order.
    mutating func reverseSort() {
        guard let (body, i) = selectedLine(), let (t, titles, _) = sortedTable(at: i, in: body), var order = order(of: t),
              order.column < titles.count else { return say("nothing is sorted here: > sorts by a column", error: true) }
        order.descending.toggle()
        sort(t, by: order, title: titles[order.column], at: i, in: body)
    }

    /// The new order opens at its first row, its heading in view (the table keeps its place on the page).
    mutating func toTopOfSortedTable(at line: Int, in body: Body) {
        guard let t = body.table(at: line) else { return page.toTop() }
        page.selection = body.selectableCount(before: t.rows.lowerBound)
        page.scroll = t.heading.lowerBound
        page.selectedID = nil
    }

    /// How many of a long list's first columns the database sorts it by (nil: it keeps its order).
    static func sortableColumns(_ list: ListID) -> Int? {
        switch list {
        case .alerts: return AlertSort.allCases.count
        case .documentGaps: return 3 + DocumentKind.allCases.count
        case .models, .breaches: return nil
        }
    }

    /// The long list the line at `i` is in or heads, if any.
    func list(at i: Int, in body: Body) -> ListID? {
        body.exportTable(at: i)?.rows.lazy.compactMap { if case .list(let id, _) = $0 { return id } else { return nil } }.first
    }
}
