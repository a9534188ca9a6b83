import BinnacleCore
import TerminalUI

/// The dashboard's state and behaviour: keys in, frames out. It never touches a terminal itself,
/// so everything here runs in tests against the in-memory grid.
public final class Dashboard {
    let source: PortfolioSource
    public private(set) var asOf: Day
    let today: Day
    let theme: Theme
    let symbols: Symbols
    var stack: [Page]
    var showHelp = false
    /// An open action form, or the question before a write.
    var form: Form?
    var confirmation: Confirmation?
    /// The `/` or `:` line being typed, with its leading character.
    var prompt: String?
    public private(set) var status = ""
    var statusIsError = false
    private var lastDataVersion: Int?
    /// Models that were critical at the last load, to announce newcomers.
    private var knownCritical: Set<String>?
    /// Slow parts (deriving a date's lists, the 12-month trend) computed off the main thread; nil: all inline.
    private var background: Background?
    /// Lists being derived again after a change: pages keep showing the old ones until then.
    private var updating = false
    /// A date whose lists could not be derived (the error is on the status line): not retried until `r`.
    private var failedDate: Day?

    /// Whether work started in the background has not yet been taken in.
    public var isLoading: Bool { background?.isBusy ?? false }

    public init(source: PortfolioSource, asOf: Day, today: Day, theme: Theme, symbols: Symbols) {
        self.source = source
        self.asOf = asOf
        self.today = today
        self.theme = theme
        self.symbols = symbols
        stack = [Page(.screen(.overview))]
        lastDataVersion = try? source.dataVersion()
    }

    var page: Page { stack[stack.count - 1] }

    /// The interactive dashboard draws its first frame before the slow parts are known — a date's
    /// lists on first sight, the 12-month trend — and fills them in when they are (on second connections).
    /// Tests and snapshots load everything inline.
    public func loadSlowPartsInBackground() {
        background = source.backgroundReader().map(Background.init(reader:))
    }

    /// Takes finished background work into the pages it belongs to; true when something changed.
    @discardableResult
    public func collectBackground() -> Bool {
        guard let background else { return false }
        var changed = false
        for done in background.take() {
            if let error = done.error { say(error, error: true) }
            switch done.job {
            case .prepare(let day, _):
                guard day == asOf else { continue }
                if done.error != nil { failedDate = day }
                updating = false
                for p in stack where p.kind.needsLists { p.data = nil }
                announceNewlyCritical()
                changed = true
            case .trend(let day):
                guard let report = done.report else { continue }
                for p in stack {
                    if case .overview(let old, let alerts)? = p.data, old.trend.isEmpty, old.asOf == day {
                        p.data = .overview(report, alerts: alerts)
                        changed = true
                    }
                }
            }
        }
        return changed
    }

    // MARK: - Navigation used by commands and tests

    /// Opens a screen (as a new root) or a page on top of the current one.
    public func show(screen: ScreenID) { stack = [Page(.screen(screen))] }
    public func openModel(_ id: String, tab: DetailTab = .summary) {
        let p = Page(.model(id))
        p.tab = tab
        stack.append(p)
    }
    public func openAsset(_ id: String) { stack.append(Page(.asset(id))) }
    public func openPerson(_ login: String) { stack.append(Page(.person(login))) }

    public func setAsOf(_ day: Day) {
        asOf = day
        updating = false
        for p in stack { p.data = nil }
        knownCritical = nil
        say("as of \(day)\(day == today ? " (today)" : "")")
    }

    func say(_ message: String, error: Bool = false) {
        status = message
        statusIsError = error
    }

    // MARK: - Keys

    /// Handles one key; returns false when the user quits.
    public func handle(_ key: Key) -> Bool {
        if key == .resize { return true }
        if let c = confirmation {
            confirmation = nil
            if key == .character("y") || key == .character("Y") { perform(c) } else { say("cancelled: nothing was changed") }
            return true
        }
        if form != nil { handleForm(key); return true }
        if prompt != nil { return handlePrompt(key) }
        if showHelp { showHelp = false; return true }
        guard let action = KeyMap.action(for: key) else { return true }
        status = ""
        switch action {
        case .quit: return false
        case .back:
            if !page.filterText.isEmpty { page.filterText = ""; page.selection = 0; page.scroll = 0 }
            else if stack.count > 1 { stack.removeLast() }
            else if case .screen(.models) = page.kind, !page.modelFilter.isEmpty { page.modelFilter = ModelFilter() }
            else if key == .character("q") { return false }
        case .up: move(-1)
        case .down: move(1)
        case .pageUp: move(-max(1, lastBodyHeight - 1))
        case .pageDown: move(max(1, lastBodyHeight - 1))
        case .top: move(-Int.max / 2)
        case .bottom: move(Int.max / 2)
        case .enter: drill()
        case .help: showHelp = true
        case .filter: prompt = "/" + page.filterText
        case .command: prompt = ":"
        case .refresh: reload(force: true); say("reloaded")
        case .screen(let s): show(screen: s)
        case .nextTab, .previousTab:
            if case .model = page.kind {
                let tabs = DetailTab.allCases
                let step = action == .nextTab ? 1 : tabs.count - 1
                page.tab = tabs[(page.tab.rawValue + step) % tabs.count]
                page.selection = 0; page.scroll = 0
            }
        case .assign: startAssign()
        case .changePeople: startPeopleChange()
        case .approve:
            if case .document(let id, let kind, let version)? = selectedTarget() { startApprove(modelId: id, kind: kind, version: version) }
            else { say("select a document version (a model's Documents tab) to approve it", error: true) }
        case .sortNext:
            if case .task(let id, _)? = selectedTarget() { startTaskStatus(id) }
            else if case .screen(.models) = page.kind {
                page.sortColumn = (page.sortColumn + 1) % Screens.modelColumns.count
                say("sorted by \(Screens.modelColumns[page.sortColumn].title.lowercased())")
            }
        case .sortReverse:
            if case .screen(.models) = page.kind {
                page.sortDescending.toggle()
                say(page.sortDescending ? "descending" : "ascending")
            }
        case .monthBack: setAsOf(asOf.previousMonthEnd)
        case .monthForward: setAsOf(min(today, asOf.adding(days: 1).monthEnd))
        case .today: setAsOf(today)
        }
        return true
    }

    private func handlePrompt(_ key: Key) -> Bool {
        guard var text = prompt else { return true }
        switch key {
        case .escape:
            if text.first == "/" { page.filterText = "" }
            prompt = nil
        case .enter:
            prompt = nil
            if text.first == ":" { run(command: String(text.dropFirst())) }
        case .backspace, .delete:
            if text.count > 1 { text.removeLast() }
            prompt = text
        case .tab:
            if text.first == ":" { prompt = ":" + complete(String(text.dropFirst())) }
        case .character(let c):
            text.append(c)
            prompt = text
        default: break
        }
        if let prompt, prompt.first == "/" {
            page.filterText = String(prompt.dropFirst())
            page.selection = 0
            page.scroll = 0
        }
        return true
    }

    var lastBodyHeight = 20

    private func move(_ delta: Int) {
        page.selection = max(0, page.selection + delta)
        page.selectedID = nil
        // Clamped when the page is drawn, against its real number of lines.
        if delta < -1_000_000 { page.scroll = 0 }
    }

    private func drill() {
        if let target = selectedTarget() { go(to: target) }
    }

    func go(to target: Target) {
        switch target {
        case .model(let id, let tab): openModel(id, tab: tab)
        case .alert(let id, _, _): openModel(id, tab: .monitoring)
        case .task(_, let modelId): openModel(modelId, tab: .tasks)
        case .document: break
        case .asset(let id): openAsset(id)
        case .person(let login): openPerson(login)
        case .screen(let s): stack.append(Page(.screen(s)))
        case .models(let filter):
            let p = Page(.screen(.models))
            p.modelFilter = filter
            stack.append(p)
        }
    }

    // MARK: - Commands

    public func run(command line: String) {
        let words = line.split(separator: " ", maxSplits: 1).map(String.init)
        guard let verb = words.first?.lowercased() else { return }
        let argument = words.count > 1 ? words[1].trimmingSpaces : ""
        func modelsFiltered(_ change: (inout ModelFilter) -> Void) {
            if case .screen(.models) = page.kind {} else { show(screen: .models) }
            change(&page.modelFilter)
            page.selection = 0; page.scroll = 0
            say("models: " + (page.modelFilter.isEmpty ? "all" : page.modelFilter.summary))
        }
        switch verb {
        case "asof":
            guard let d = Day(argument) else { return say("asof needs a date, YYYY-MM-DD", error: true) }
            setAsOf(d)
        case "today": setAsOf(today)
        case "stage":
            guard let stage = Stage(rawValue: argument) else {
                return say("stage is one of \(Stage.allCases.map(\.rawValue).joined(separator: ", "))", error: true)
            }
            // On a model's page, :stage records a change of stage; elsewhere it filters the list.
            if let id = page.modelId { return startStage(modelId: id, stage: stage) }
            modelsFiltered { $0.stage = argument }
        case "tier":
            guard let t = Int(argument), (1...3).contains(t) else { return say("tier is 1, 2 or 3", error: true) }
            modelsFiltered { $0.tier = t }
        case "domain":
            guard !argument.isEmpty else { return say("domain needs a name", error: true) }
            modelsFiltered { $0.domain = argument }
        case "alerts":
            guard ["critical", "warning", "any"].contains(argument) else { return say("alerts critical or alerts warning", error: true) }
            modelsFiltered { $0.alerts = argument == "critical" ? "critical" : "warning" }
        case "docs": modelsFiltered { $0.docsMissing = true }
        case "clear":
            page.filterText = ""
            page.modelFilter = ModelFilter()
            page.tag = nil
            page.data = nil
            say("filters cleared")
        case "tag":
            guard !argument.isEmpty else { return say("tag needs a risk tag, e.g. :tag pii", error: true) }
            if case .screen(.risk) = page.kind {} else { show(screen: .risk) }
            page.tag = argument
            page.data = nil
            page.selection = 0; page.scroll = 0
        case "model", "open":
            guard !argument.isEmpty else { return say("model needs an id", error: true) }
            openModel(argument)
        case "asset": openAsset(argument)
        case "person": openPerson(argument)
        case "screen":
            guard let s = ScreenID(name: argument) else { return say("no screen '\(argument)'", error: true) }
            show(screen: s)
        case "refresh": reload(force: true)
        case "help": showHelp = true
        case "quit", "q": stack = []
        default:
            say("unknown command '\(verb)'; commands: \(KeyMap.commands.joined(separator: ", "))", error: true)
        }
    }

    /// Completes a command name, or a model id / domain / screen after the command.
    func complete(_ text: String) -> String {
        let parts = text.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        func extend(_ prefix: String, _ options: [String]) -> String {
            let matches = options.filter { $0.hasPrefix(prefix) }
            guard let first = matches.first else { return prefix }
            if matches.count == 1 { return first }
            say(matches.prefix(8).joined(separator: "  ") + (matches.count > 8 ? "  …" : ""))
            var common = first
            for m in matches { while !m.hasPrefix(common) { common.removeLast() } }
            return common
        }
        if parts.count < 2 {
            let word = extend(parts.first ?? "", KeyMap.commands)
            return KeyMap.commands.contains(word) ? word + " " : word
        }
        let options: [String]
        switch parts[0] {
        case "model", "open": options = (try? source.modelIds(prefix: parts[1], limit: 200)) ?? []
        case "domain": options = (try? source.domains()) ?? []
        case "stage": options = Stage.allCases.map(\.rawValue)
        case "screen": options = ScreenID.allCases.map { $0.title.lowercased() }
        case "alerts": options = ["critical", "warning"]
        default: options = []
        }
        return parts[0] + " " + extend(parts[1], options)
    }

    // MARK: - Data

    /// Drops every page's data so it is read again; `force` derives the date's lists again too (a
    /// write that bypassed Binnacle is not in the audit log, so the cache cannot notice it).
    public func reload(force: Bool = false) {
        if force {
            failedDate = nil
            prepareLists(force: true)
        }
        for p in stack where !(updating && p.kind.needsLists) { p.data = nil }
    }

    /// Derives the date's lists: in the background (pages keep what they show until it is done), or now.
    private func prepareLists(force: Bool) {
        if let background {
            updating = true
            background.start(.prepare(asOf, force: force))
        } else {
            do { try source.prepare(asOf: asOf, force: force) } catch { say(String(describing: error), error: true) }
        }
    }

    /// Notices writes from other processes (PRAGMA data_version) and reloads in place, keeping each
    /// page's selection by id. Returns true when something changed.
    @discardableResult
    public func pollForChanges() -> Bool {
        guard let version = try? source.dataVersion(), version != lastDataVersion else { return false }
        lastDataVersion = version
        dataChanged()
        return true
    }

    /// After a write (ours or another process's): derive the lists again and read every page again;
    /// list pages keep what they show until the new lists are ready.
    func dataChanged() {
        prepareLists(force: false)
        reload()
        if background == nil { announceNewlyCritical() }
    }

    /// Says which models turned critical since the lists were last derived.
    private func announceNewlyCritical() {
        guard source.isPrepared(asOf: asOf), let now = try? source.criticalModels(asOf: asOf) else { return }
        defer { knownCritical = now }
        guard let before = knownCritical else { return }
        let new = now.subtracting(before).sorted()
        if !new.isEmpty { say("\(symbols.bad) newly critical: \(new.joined(separator: ", "))", error: true) }
    }

    func load(_ page: Page) -> PageData? {
        if let data = page.data { return data }
        do {
            if page.kind.needsLists, !source.isPrepared(asOf: asOf) {
                if failedDate == asOf { return nil }
                if let background {
                    background.start(.prepare(asOf, force: false))
                    return .preparing
                }
                try source.prepare(asOf: asOf, force: false)
            }
            if let background, case .screen(.overview) = page.kind {
                page.data = .overview(try source.report(asOf: asOf, trend: false), alerts: try source.alerts(asOf: asOf, text: ""))
                background.start(.trend(asOf))
            } else {
                page.data = try Screens.load(page, from: source, asOf: asOf)
            }
            if knownCritical == nil, page.kind.needsLists { knownCritical = try? source.criticalModels(asOf: asOf) }
        } catch {
            say(String(describing: error), error: true)
        }
        return page.data
    }

    var lastWidth = 80

    func content(of page: Page, width: Int) -> Body {
        guard let data = load(page) else { return Body([Line("  Nothing to show: \(status)", .muted)]) }
        // Everything the lines depend on but the data (which clears the cache when it changes).
        let key = "\(width)|\(asOf)|\(page.filterText)|\(page.modelFilter)|\(page.sortColumn)|\(page.sortDescending)|\(page.tab)|\(page.tag ?? "")"
        if let cached = page.lines, cached.key == key { return cached.body }
        let body = Screens(dashboard: self, width: width).lines(page, data)
        if case .preparing = data { return body }
        page.lines = (key, body)
        return body
    }

    // MARK: - Drawing

    public static let minimumSize = (width: 60, height: 15)

    /// Draws the whole frame.
    public func render(width: Int, height: Int) -> Grid {
        var grid = Grid(width: width, height: height)
        guard width >= Dashboard.minimumSize.width, height >= Dashboard.minimumSize.height else {
            let message = ["Terminal too small", "\(width)×\(height); Binnacle needs at least \(Dashboard.minimumSize.width)×\(Dashboard.minimumSize.height)", "Q quits"]
            for (i, m) in message.enumerated() {
                grid.put(DisplayWidth.truncate(m, to: width), x: max(0, (width - DisplayWidth.of(m)) / 2), y: height / 2 - 1 + i,
                         style: theme.style(i == 0 ? .title : .normal))
            }
            return grid
        }
        lastWidth = width
        drawHeader(&grid)
        let top = 2, bottom = height - 2
        lastBodyHeight = bottom - top
        let lines = content(of: page, width: width)
        drawBody(&grid, lines: lines, top: top, height: bottom - top)
        drawStatus(&grid, y: height - 2)
        drawFooter(&grid, y: height - 1)
        if showHelp { drawHelp(&grid) }
        drawForm(&grid)
        return grid
    }

    private func drawHeader(_ grid: inout Grid) {
        let crumbs = stack.map { p -> String in
            if case .screen(.models) = p.kind, !p.modelFilter.isEmpty { return "Models (\(p.modelFilter.summary))" }
            if case .screen(.risk) = p.kind, let tag = p.tag { return "Risk (tag \(tag))" }
            return p.kind.breadcrumb
        }
        var x = grid.put(" Binnacle \(symbols.arrow) ", x: 0, y: 0, style: theme.style(.title))
        x += grid.put(crumbs.joined(separator: " \(symbols.arrow) "), x: x, y: 0, style: theme.style(.title),
                      limit: max(10, grid.width - x - 34))
        let right = "\(updating ? "updating\(symbols.ellipsis)  " : "")as of \(asOf)\(asOf == today ? "" : " \(symbols.warning) past")  "
        grid.put(right, x: grid.width - DisplayWidth.of(right), y: 0, style: theme.style(asOf == today ? .accent : .warning))
        var tx = 1
        let current: ScreenID? = { if case .screen(let s) = stack[0].kind { return s } else { return nil } }()
        for s in ScreenID.allCases {
            let label = " \(s.rawValue) \(s.title) "
            if tx + DisplayWidth.of(label) > grid.width { break }
            tx += grid.put(label, x: tx, y: 1, style: theme.style(s == current ? .selected : .muted))
        }
    }

    private func drawBody(_ grid: inout Grid, lines: Body, top: Int, height: Int) {
        let p = page
        let selectable = lines.selectableCount
        let count = lines.count
        var selectedLine: Int?
        if selectable > 0 {
            // Keep the selection on the same item across reloads when we can.
            if let id = p.selectedID, let i = lines.selectableIndex(of: id, near: p.selection) { p.selection = i }
            p.selection = min(max(0, p.selection), selectable - 1)
            selectedLine = lines.lineIndex(ofSelectable: p.selection)
            if let s = selectedLine {
                p.selectedID = lines[s].target?.id
                if s < p.scroll { p.scroll = s }
                if s >= p.scroll + height { p.scroll = s - height + 1 }
                // Show the header lines above the first selectable one.
                if p.selection == 0 { p.scroll = 0 }
            }
        } else {
            p.scroll = min(max(0, p.selection), max(0, count - height))
            p.selection = p.scroll
        }
        p.scroll = max(0, min(p.scroll, max(0, count - 1)))
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

    private func drawStatus(_ grid: inout Grid, y: Int) {
        if let prompt {
            grid.put(prompt + "█", x: 0, y: y, style: theme.style(.normal))
        } else if !status.isEmpty {
            grid.put(" " + status, x: 0, y: y, style: theme.style(statusIsError ? .critical : .accent), limit: grid.width - 24)
        } else if !page.filterText.isEmpty {
            grid.put(" filter: \(page.filterText)   (/ to edit, Esc to clear)", x: 0, y: y, style: theme.style(.muted))
        }
    }

    private func drawFooter(_ grid: inout Grid, y: Int) {
        grid.fill(x: 0, y: y, width: grid.width, height: 1, style: theme.style(.statusBar))
        let who: String
        if let person = source.actor.person {
            who = "\(person.login) (\(person.role.rawValue)\(person.active ? "" : ", inactive"))"
        } else {
            who = "\(source.actor.login) (not in people: read-only)"
        }
        var x = grid.put(" \(source.label)  \(symbols.separator) \(asOf)  \(symbols.separator) \(who) ", x: 0, y: y, style: theme.style(.statusBar))
        if source.readOnly { x += grid.put(" READ-ONLY ", x: x, y: y, style: theme.style(.badge)) }
        x += 1
        grid.put(KeyMap.hints, x: x, y: y, style: theme.style(.statusBar), limit: grid.width - x)
    }

    private func drawHelp(_ grid: inout Grid) {
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
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
