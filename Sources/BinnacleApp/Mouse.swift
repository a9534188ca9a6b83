import BinnacleCore
import TerminalUI

/// The mouse, when enabled (`--mouse`): a click on a screen's tab shows it, on a model page's tab
/// switches to it, on a column title sorts by that column (again: reverses), on a line selects it
/// (on the selected line: opens it, as Enter). Positions are worked out from the frame `view` draws.
extension AppState {
    mutating func click(x: Int, y: Int) {
        status = ""
        if y == 1 { return clickScreenTab(x) }
        guard let body = body(of: page), y >= 2, y < 2 + bodyHeight else { return }
        let shown = body.viewport(height: bodyHeight).lines(scroll: page.scroll, count: body.count)
        guard y - 2 < shown.count else { return }
        let index = shown[y - 2], line = body[index]
        if line.part == .columnHeader, let layout = line.layout {
            guard let column = TableLayout.column(at: x, layout.columns, width: layout.width, indent: layout.indent) else { return }
            return sort(byColumn: column, header: line, at: index, in: body)
        }
        if case .model = page.kind, let tab = DetailTab.allCases.first(where: { clickedTab(line, x) == $0.title }) {
            page.tab = tab
            page.toTop()
            return
        }
        let n = body.selectableCount(before: index)
        guard body.lineIndex(ofSelectable: n) == index else { return }
        if n == page.selection, let target = selectedTarget() { return go(to: target) }
        page.selection = n
        page.selectedID = nil
    }

    /// The screens' tab bar, drawn from column 1 by `Frame.header`.
    private mutating func clickScreenTab(_ x: Int) {
        var left = 1
        for s in ScreenID.allCases {
            let w = DisplayWidth.of(" \(s.rawValue) \(s.title) ")
            if x >= left, x < left + w { return show(screen: s) }
            left += w
        }
    }

    /// The label of the tab under column `x` on a tab strip line (its tabs are the spans padded by a space).
    private func clickedTab(_ line: Line, _ x: Int) -> String? {
        var left = 0
        for span in line.spans {
            let w = DisplayWidth.of(span.text)
            if x >= left, x < left + w, span.text.hasPrefix(" "), span.text.hasSuffix(" ") { return span.text.trimmingSpaces }
            left += w
        }
        return nil
    }

    /// A click on a column title: sorts by it as the sort keys do (the Models screen, the alerts and the
    /// document gaps in the database, other lists in memory); a second click on the sorted column reverses.
    private mutating func sort(byColumn column: Int, header: Line, at index: Int, in body: Body) {
        let title = header.cells.map { column < $0.count ? $0[column] : "" } ?? ""
        if case .screen(.models) = page.kind {
            if page.sortColumn == column { page.sortDescending.toggle() } else { (page.sortColumn, page.sortDescending) = (column, false) }
            page.toTop()
        } else {
            guard let key = header.tableKey else { return }
            if let list = list(at: index, in: body) {
                guard let sortable = AppState.sortableColumns(list) else {
                    return say("this list keeps its order (it is read from the database a window at a time)", error: true)
                }
                guard column < sortable else {
                    return say("this list does not sort by \(title.lowercased()) (it is read with each window of rows)", error: true)
                }
                let current = page.listOrders[list]
                let order = ListOrder(column: column, descending: current?.column == column && !(current?.descending ?? true))
                return sortList(list, by: order, title: title, at: index, in: body)
            }
            if page.sortTable == key, page.sortColumn == column { page.sortDescending.toggle() }
            else { (page.sortTable, page.sortColumn, page.sortDescending) = (key, column, false) }
            toTopOfSortedTable(at: index, in: body)
        }
        say("sorted by \(title.lowercased())\(page.sortDescending ? ", descending" : "")")
    }
}

extension TableLayout {
    /// The column (its index in `columns`) drawn under cell `x` of a table laid out at `width`.
    static func column(at x: Int, _ columns: [Column], width: Int, indent: Int) -> Int? {
        var left = indent
        for f in fit(columns, width: width, indent: indent) {
            if x >= left, x < left + f.width + 2 { return f.column }
            left += f.width + 2
        }
        return nil
    }
}
