import BinnacleCore
import TerminalUI

enum Layout {
    static let minimumSize = (width: 60, height: 15)
}

extension AppState {
    /// The page's lines, made from what it read (nil: nothing read yet). Reads nothing and changes nothing.
    func body(of page: Page) -> Body? {
        guard let data = page.data else { return nil }
        // Everything the lines depend on (the version counts changes to what was read).
        let key = "\(bodyWidth)|\(asOf)|\(page.filterText)|\(page.modelFilter)|\(page.sortColumn)|\(page.sortDescending)|\(page.tab)|\(page.tag ?? "")|\(page.version)"
        if let cached = page.memo.body, page.memo.key == key { return cached }
        let body = Screens(symbols: env.symbols, asOf: asOf, width: bodyWidth).lines(page, data)
        page.memo.key = key
        page.memo.body = body
        return body
    }
}

/// `view(state) -> Grid`: the frame, drawn from the state alone. It reads nothing and changes nothing;
/// rows not read yet are blank (the loop reads the rows on screen before it draws).
func view(_ state: AppState, width: Int, height: Int) -> Grid {
    var grid = Grid(width: width, height: height)
    var state = state   // a copy, drawn at this size
    state.size = (width, height)
    let theme = state.env.theme
    guard width >= Layout.minimumSize.width, height >= Layout.minimumSize.height else {
        let message = ["Terminal too small", "\(width)×\(height); Binnacle needs at least \(Layout.minimumSize.width)×\(Layout.minimumSize.height)", "Q quits"]
        for (i, m) in message.enumerated() {
            grid.put(DisplayWidth.truncate(m, to: width), x: max(0, (width - DisplayWidth.of(m)) / 2), y: height / 2 - 1 + i,
                     style: theme.style(i == 0 ? .title : .normal))
        }
        return grid
    }
    let frame = Frame(state: state)
    frame.header(&grid)
    let top = 2, bottom = height - 2
    let body = state.body(of: state.page) ?? Body([Line("  Nothing to show: \(state.status)", .muted)])
    frame.body(&grid, lines: body, top: top, height: bottom - top)
    frame.status(&grid, y: height - 2)
    frame.footer(&grid, y: height - 1)
    if state.showHelp { frame.help(&grid) }
    frame.form(&grid)
    return grid
}

/// The parts of a frame.
struct Frame {
    let state: AppState
    var theme: Theme { state.env.theme }
    var symbols: Symbols { state.env.symbols }
    var page: Page { state.page }

    func header(_ grid: inout Grid) {
        let crumbs = state.stack.map { p in p.kind.screen.breadcrumb(p) ?? p.kind.breadcrumb }
        let asOf = state.asOf, today = state.today
        var x = grid.put(" Binnacle \(symbols.arrow) ", x: 0, y: 0, style: theme.style(.title))
        x += grid.put(crumbs.joined(separator: " \(symbols.arrow) "), x: x, y: 0, style: theme.style(.title),
                      limit: max(10, grid.width - x - 34))
        let right = "\(state.updating ? "updating\(symbols.ellipsis)  " : "")as of \(asOf)\(asOf == today ? "" : " \(symbols.warning) past")  "
        grid.put(right, x: grid.width - DisplayWidth.of(right), y: 0, style: theme.style(asOf == today ? .accent : .warning))
        var tx = 1
        let current: ScreenID? = { if case .screen(let s) = state.stack[0].kind { return s } else { return nil } }()
        for s in ScreenID.allCases {
            let label = " \(s.rawValue) \(s.title) "
            if tx + DisplayWidth.of(label) > grid.width { break }
            tx += grid.put(label, x: tx, y: 1, style: theme.style(s == current ? .selected : .muted))
        }
    }

    /// The page's lines from its scroll position, the selected one highlighted. The selection and the
    /// scroll were settled by `update`; a page drawn before that shows them clamped, and keeps them.
    func body(_ grid: inout Grid, lines: Body, top: Int, height: Int) {
        var p = page
        p.settleSelection(in: lines, height: height)
        let count = lines.count
        let selectedLine = lines.selectableCount > 0 ? lines.lineIndex(ofSelectable: p.selection) : nil
        for row in 0..<height {
            let index = p.scroll + row
            guard index < count else { break }
            var x = 0
            let selected = index == selectedLine
            for span in lines[index].spans {
                var style = theme.style(span.role)
                if selected { style = theme.style(.selected) }
                x += grid.put(span.text, x: x, y: top + row, style: style)
            }
            if selected {
                grid.restyle(x: 0, y: top + row, width: grid.width, style: theme.style(.selected))
                grid.put(symbols.arrow, x: 0, y: top + row, style: theme.style(.selected))
            }
        }
        // Where we are in a long page, at the right of the status line.
        if count > height {
            let more = " lines \(p.scroll + 1)-\(min(count, p.scroll + height)) of \(count) "
            grid.put(more, x: grid.width - DisplayWidth.of(more), y: top + height, style: theme.style(.muted))
        }
    }

    func status(_ grid: inout Grid, y: Int) {
        if let prompt = state.prompt {
            grid.put(prompt + "█", x: 0, y: y, style: theme.style(.normal))
        } else if !state.status.isEmpty {
            grid.put(" " + state.status, x: 0, y: y, style: theme.style(state.statusIsError ? .critical : .accent), limit: grid.width - 24)
        } else if !page.filterText.isEmpty {
            grid.put(" filter: \(page.filterText)   (/ to edit, Esc to clear)", x: 0, y: y, style: theme.style(.muted))
        }
    }

    func footer(_ grid: inout Grid, y: Int) {
        grid.fill(x: 0, y: y, width: grid.width, height: 1, style: theme.style(.statusBar))
        let env = state.env
        let who: String
        if let person = env.actor.person {
            who = "\(person.login) (\(person.role.rawValue)\(person.active ? "" : ", inactive"))"
        } else {
            who = "\(env.actor.login) (not in people: read-only)"
        }
        var x = grid.put(" \(env.label)  \(symbols.separator) \(state.asOf)  \(symbols.separator) \(who) ", x: 0, y: y, style: theme.style(.statusBar))
        if env.readOnly { x += grid.put(" READ-ONLY ", x: x, y: y, style: theme.style(.badge)) }
        x += 1
        grid.put(KeyMap.hints, x: x, y: y, style: theme.style(.statusBar), limit: grid.width - x)
    }

    func help(_ grid: inout Grid) {
        let rows = KeyMap.bindings.map { b in (b.keys.map(\.label).joined(separator: " "), b.help) }
        let keyWidth = rows.map { DisplayWidth.of($0.0) }.max() ?? 0
        let width = min(grid.width - 4, keyWidth + 3 + (rows.map { DisplayWidth.of($0.1) }.max() ?? 0) + 4)
        let height = min(grid.height - 2, rows.count + 4)
        let x0 = (grid.width - width) / 2, y0 = max(1, (grid.height - height) / 2)
        grid.fill(x: x0, y: y0, width: width, height: height, style: theme.style(.normal))
        grid.put(DisplayWidth.fit(" Keys — any key closes this help", width), x: x0, y: y0, style: theme.style(.selected))
        for (i, r) in rows.prefix(height - 3).enumerated() {
            grid.put(DisplayWidth.fit(r.0, keyWidth), x: x0 + 2, y: y0 + 2 + i, style: theme.style(.title))
            grid.put(r.1, x: x0 + 2 + keyWidth + 3, y: y0 + 2 + i, limit: width - keyWidth - 6)
        }
    }

    func form(_ grid: inout Grid) {
        if let f = state.form {
            let width = min(grid.width - 4, 76), height = f.fields.count + 5
            let x0 = (grid.width - width) / 2, y0 = max(2, (grid.height - height) / 2)
            grid.fill(x: x0, y: y0, width: width, height: height)
            grid.put(DisplayWidth.fit(" " + f.title, width), x: x0, y: y0, style: theme.style(.selected))
            for (i, field) in f.fields.enumerated() {
                let focused = i == f.focus
                grid.put((focused ? symbols.arrow : " ") + " " + DisplayWidth.fit(field.label, 9), x: x0 + 1, y: y0 + 2 + i,
                         style: theme.style(focused ? .title : .muted))
                grid.put(field.value + (focused ? "█" : ""), x: x0 + 13, y: y0 + 2 + i, limit: width - 14)
            }
            grid.put(" ↑↓ field · Tab completes · Enter submit · Esc cancel", x: x0, y: y0 + height - 1, style: theme.style(.muted), limit: width)
        } else if let c = state.confirmation {
            // The question is cut if it must be; the answer keys never are.
            let width = min(grid.width - 4, DisplayWidth.of(c.question) + 12)
            let text = " " + DisplayWidth.truncate(c.question, to: width - 12) + "  [y/N] "
            let x0 = (grid.width - width) / 2, y0 = grid.height / 2 - 1
            grid.fill(x: x0, y: y0, width: width, height: 3, style: theme.style(.selected))
            grid.put(text, x: x0 + 1, y: y0 + 1, style: theme.style(.selected), limit: width - 2)
        }
    }
}
