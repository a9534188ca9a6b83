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
        let key = "\(bodyWidth)|\(asOf)|\(page.filterText)|\(page.modelFilter)|\(page.sortColumn)|\(page.sortDescending)|\(page.sortTable ?? "")|\(page.listOrderKey)|\(page.tab)|\(page.tag ?? "")|\(page.version)"
        if let cached = page.memo.body, page.memo.key == key { return cached }
        let body = ASCIIText.$drawing.withValue(env.symbols.isASCII) {
            Screens(symbols: env.symbols, asOf: asOf, width: bodyWidth).lines(page, data)
        }
        page.memo.key = key
        page.memo.body = body
        return body
    }
}

/// `view(state) -> Grid`: the frame, drawn from the state alone. It reads nothing and changes nothing;
/// rows not read yet are blank (the loop reads the rows on screen before it draws).
func view(_ state: AppState, width: Int, height: Int) -> Grid {
    // On a terminal that is not UTF-8 the frame's text is ASCII from the start, so columns are laid out
    // for the text that is drawn (`idea -> production` is a column wider than `idea → production`).
    ASCIIText.$drawing.withValue(state.env.symbols.isASCII) { drawFrame(state, width: width, height: height) }
}

private func drawFrame(_ state: AppState, width: Int, height: Int) -> Grid {
    var grid = Grid(width: width, height: height)
    grid.asciiOnly = state.env.symbols.isASCII
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
    let position = frame.body(&grid, lines: body, top: top, height: bottom - top)
    frame.status(&grid, y: height - 2, right: position)
    frame.completions(&grid, above: height - 2)
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
        // Said in a word: a date other than today is the past or the future, not a warning.
        let when = asOf == today ? "" : asOf < today ? " (past)" : " (future)"
        let right = "\(state.updating ? "updating\(symbols.ellipsis)  " : "")as of \(asOf)\(when)  "
        grid.put(right, x: grid.width - DisplayWidth.of(right), y: 0, style: theme.style(asOf == today ? .accent : .warning))
        state.screenTabs.draw(into: &grid, x: AppState.screenTabsLeft, y: 1, theme: theme)
    }

    /// The page's lines from its scroll position, the selected one highlighted. The selection and the
    /// scroll were settled by `update`; a page drawn before that shows them clamped, and keeps them.
    /// Returns the width of what it drew at the right of the line below (where we are in a long page).
    @discardableResult
    func body(_ grid: inout Grid, lines: Body, top: Int, height: Int) -> Int {
        var p = page
        p.settleSelection(in: lines, height: height)
        let count = lines.count
        let selectedLine = lines.selectableCount > 0 ? lines.lineIndex(ofSelectable: p.selection) : nil
        let shown = lines.viewport(height: height).lines(scroll: p.scroll, count: count)
        for (row, index) in shown.enumerated() {
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
        if count > height, let last = shown.last {
            let more = position(lines, first: p.scroll, last: last)
            grid.put(more, x: grid.width - DisplayWidth.of(more), y: top + height, style: theme.style(.muted))
            return DisplayWidth.of(more)
        }
        return 0
    }

    /// Where we are in a long page, for the right of the status line: in a table longer than the
    /// screen, its rows on screen ("rows 21–40 of 163"), else the page's lines.
    func position(_ lines: Body, first: Int, last: Int) -> String {
        if let t = lines.table(at: first), last >= t.rows.lowerBound, !t.rows.isEmpty {
            let a = max(first, t.rows.lowerBound), b = min(last, t.rows.upperBound - 1)
            if a > t.rows.lowerBound || b < t.rows.upperBound - 1 {
                return " rows \(a - t.rows.lowerBound + 1)–\(b - t.rows.lowerBound + 1) of \(t.rows.count) "
            }
        }
        return " lines \(first + 1)-\(last + 1) of \(lines.count) "
    }

    /// The prompt, a message or the filter. A message shares the line with the `right` columns
    /// drawn at its end when it fits beside them, else takes the whole line, wrapping upwards over
    /// the body's last lines when even that is too short.
    func status(_ grid: inout Grid, y: Int, right: Int) {
        if let prompt = state.prompt {
            grid.put(prompt + "█", x: 0, y: y, style: theme.style(.normal))
        } else if !state.status.isEmpty {
            let style = theme.style(state.statusIsError ? .critical : .accent), text = " " + state.status
            if DisplayWidth.of(text) < grid.width - right { grid.put(text, x: 0, y: y, style: style); return }
            let rows = Wrap.lines(text, width: grid.width - 1).prefix(3)
            for (i, row) in rows.enumerated() {
                let line = y - rows.count + 1 + i
                grid.fill(x: 0, y: line, width: grid.width, height: 1)
                grid.put(row, x: 0, y: line, style: style)
            }
        } else if !page.filterText.isEmpty {
            grid.put(" filter: \(page.filterText)   (/ to edit, Esc to clear)", x: 0, y: y, style: theme.style(.muted))
        }
    }

    /// Tab's candidates for the `:` line, in a list just above it (as many as fit, then how many more).
    func completions(_ grid: inout Grid, above y: Int) {
        let all = state.completions
        guard state.prompt != nil, !all.isEmpty, y > 2 else { return }
        let room = min(10, y - 2)
        var shown = Array(all.prefix(all.count > room ? room - 1 : room))
        if all.count > shown.count { shown.append("\(symbols.ellipsis) \(all.count - shown.count) more: type to narrow") }
        let width = min(grid.width - 2, (shown.map(DisplayWidth.of).max() ?? 0) + 2)
        for (i, text) in shown.enumerated() {
            let row = y - shown.count + i
            grid.fill(x: 0, y: row, width: width, height: 1, style: theme.style(.selected))
            grid.put(" " + text, x: 0, y: row, style: theme.style(.selected), limit: width)
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

    func help(_ grid: inout Grid) { state.helpBox.draw(into: &grid, theme: theme) }

    func form(_ grid: inout Grid) {
        if let f = state.form {
            // What is wrong as it is typed, in place of the keys' hint.
            let hint = f.problem(today: state.today).map { "\(symbols.bad) \($0) · Esc cancel" } ?? "↑↓ field · Tab completes · Enter submit · Esc cancel"
            FormBox(title: f.title, fields: f.fields.map { ($0.label, $0.value) }, focus: f.focus, marker: symbols.arrow,
                    hint: hint, note: f.warning().map { "\(symbols.warning) \($0)" }).draw(into: &grid, theme: theme)
        } else if let c = state.confirmation {
            ConfirmBox(question: c.question).draw(into: &grid, theme: theme)
        }
    }
}
