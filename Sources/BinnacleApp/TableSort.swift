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

extension AppState {
    /// `>` / `<`: sorts the list the selection is in by its next / previous shown column.
    mutating func sortColumn(step: Int) {
        guard let body = body(of: page), body.selectableCount > 0,
              let i = body.lineIndex(ofSelectable: min(page.selection, body.selectableCount - 1)),
              let table = body.exportTable(at: i) else { return say("no list to sort here", error: true) }
        if let list = table.rows.lazy.compactMap({ if case .list(let id, _) = $0 { return id } else { return nil } }).first {
            return sortList(list, titles: table.titles, shown: table.shown, step: step, at: i, in: body)
        }
        let key = table.titles.joined(separator: "|"), shown = table.shown
        if page.sortTable != key {
            page.sortTable = key
            page.sortColumn = step > 0 ? shown.first ?? 0 : shown.last ?? 0
            page.sortDescending = false
        } else {
            let at = shown.firstIndex(of: page.sortColumn) ?? -1
            page.sortColumn = shown[((at + step) % shown.count + shown.count) % shown.count]
        }
        toTopOfSortedTable(at: i, in: body)
        say("sorted by \(table.titles[page.sortColumn].lowercased())\(page.sortDescending ? ", descending" : "")")
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

    /// `>` / `<` on a long list: the database sorts it by its next / previous shown column it can sort by.
    private mutating func sortList(_ list: ListID, titles: [String], shown: [Int], step: Int, at i: Int, in body: Body) {
        let sortable = shown.filter { $0 < (AppState.sortableColumns(list) ?? 0) }
        guard !sortable.isEmpty else { return say("this list keeps its order (it is read from the database a window at a time)", error: true) }
        var order = page.listOrders[list] ?? ListOrder(column: -1)
        if let at = sortable.firstIndex(of: order.column) { order.column = sortable[((at + step) % sortable.count + sortable.count) % sortable.count] }
        else { order = ListOrder(column: step > 0 ? sortable[0] : sortable[sortable.count - 1]) }
        sortList(list, by: order, title: titles[order.column], at: i, in: body)
    }

    /// Sorts a long list in the database by `order`: queried again, it opens at its first row.
    mutating func sortList(_ list: ListID, by order: ListOrder, title: String, at i: Int, in body: Body) {
        page.listOrders[list] = order
        toTopOfSortedTable(at: i, in: body)
        say("sorted by \(title.lowercased())\(order.descending ? ", descending" : "")")
    }

    /// The long list the line at `i` is in or heads, if any.
    func list(at i: Int, in body: Body) -> ListID? {
        body.exportTable(at: i)?.rows.lazy.compactMap { if case .list(let id, _) = $0 { return id } else { return nil } }.first
    }

    /// `S`: reverses the sorted list's order.
    mutating func reverseSort() {
        if let body = body(of: page), body.selectableCount > 0,
           let i = body.lineIndex(ofSelectable: min(page.selection, body.selectableCount - 1)), let list = list(at: i, in: body),
           var order = page.listOrders[list], let title = body.exportTable(at: i)?.titles[order.column] {
            order.descending.toggle()
            return sortList(list, by: order, title: title, at: i, in: body)
        }
        guard page.sortTable != nil else { return say("nothing is sorted here: > sorts by a column", error: true) }
        page.sortDescending.toggle()
        if let body = body(of: page), body.selectableCount > 0, let i = body.lineIndex(ofSelectable: min(page.selection, body.selectableCount - 1)) {
            toTopOfSortedTable(at: i, in: body)
        }
        say(page.sortDescending ? "descending" : "ascending")
    }
}
