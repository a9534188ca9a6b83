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
        if case .model = page.kind, let strip = line.tabStrip, let i = strip.bar.index(at: x, left: strip.left) {
            page.tab = DetailTab.allCases[i]
            page.toTop()
            return
        }
        let n = body.selectableCount(before: index)
        guard body.lineIndex(ofSelectable: n) == index else { return }
        if n == page.selection, let target = selectedTarget() { return go(to: target) }
        page.selection = n
        page.selectedID = nil
    }

    /// The screens' tab bar: where `Frame.header` draws it, and what a click on line 1 hits.
    static let screenTabsLeft = 1
    var screenTabs: TabBar {
        let current: ScreenID? = { if case .screen(let s) = stack[0].kind { return s } else { return nil } }()
        return TabBar(ScreenID.allCases.map { "\($0.rawValue) \($0.title)" }, selected: ScreenID.allCases.firstIndex { $0 == current })
    }

    private mutating func clickScreenTab(_ x: Int) {
        if let i = screenTabs.index(at: x, left: AppState.screenTabsLeft) { show(screen: ScreenID.allCases[i]) }
    }

    /// A click on a column title: sorts by it as the sort keys do (the Models screen by its own columns,
    /// other lists through `sort`); a second click on the sorted column reverses.
    private mutating func sort(byColumn column: Int, header: Line, at index: Int, in body: Body) {
        if case .screen(.models) = page.kind {
            if page.sortColumn == column { page.sortDescending.toggle() } else { (page.sortColumn, page.sortDescending) = (column, false) }
            page.toTop()
            let title = header.cells.map { column < $0.count ? $0[column] : "" } ?? ""
            return say("sorted by \(title.lowercased())\(page.sortDescending ? ", descending" : "")")
        }
        guard let (t, titles, _) = sortedTable(at: index, in: body), column < titles.count else { return }
        let (columns, refusal) = sortable(t, shown: Array(titles.indices))
        if columns.isEmpty { return say(refusal, error: true) }
        guard columns.contains(column) else {
            return say("this list does not sort by \(titles[column].lowercased()) (it is read with each window of rows)", error: true)
        }
        let current = order(of: t)
        sort(t, by: ListOrder(column: column, descending: current?.column == column && !(current?.descending ?? true)), title: titles[column],
             at: index, in: body)
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
