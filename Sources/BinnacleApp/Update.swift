import BinnacleCore
import TerminalUI

/// What happens to the dashboard: a key, a command, a frame of a new size, or the result of a read or
/// write the loop ran for it.
enum Msg {
    case key(Key)
    case command(String)
    /// The terminal is this size: the next frame is drawn at it.
    case frame(width: Int, height: Int)
    case show(ScreenID)
    case open(PageKind, tab: DetailTab)
    case setAsOf(Day)
    /// `r`: read everything again, deriving the date's lists again too.
    case reload(force: Bool)
    /// Another process (or we) wrote the database.
    case dataChanged

    // Results of effects.
    case pageLoaded(token: Int, asOf: Day, PageLoad)
    case listsQueried(token: Int, key: String, PageLists, modelCount: (filter: String, count: Int)?)
    case rowsRead(token: Int, key: String, ListID, RowCache)
    case completed(text: String, options: [String])
    case gathered(Gathered)
    /// A write was taken (with what it created, e.g. a task's id) or refused (with why).
    case written(Write, done: String?, refusal: String?)
    case criticalModels(asOf: Day, Set<String>)
    /// An export was written.
    case exported(rows: Int, path: String)
    case background(Background.Done)
    case failed(String)
}

/// How reading a page went.
enum PageLoad {
    /// With the page's long lists when they were read with it.
    case data(PageData, critical: Set<String>?, lists: PageLists? = nil)
    /// The date's lists could not be derived (said before): nothing to show until `r`.
    case unavailable
    case failed(String)
}

/// What `update` asks the loop to do: reads, writes and background work. The loop runs them and feeds
/// what comes back to `update` as messages.
enum Effect {
    /// Read a page's data (deriving the date's lists first when they are not, inline or in the background).
    case load(token: Int, LoadRequest)
    /// Query a page's long lists for its current filter and order.
    case queryLists(token: Int, ListRequest)
    /// Read rows `range` of a page's long list.
    case readRows(token: Int, key: String, ListID, ListHandle, Range<Int>)
    /// Derive the date's lists (in the background when the dashboard works so).
    case prepare(Day, force: Bool)
    /// Which models are critical now, to announce newcomers.
    case checkCritical(Day)
    /// Options to complete the `:` line with (model ids, domains).
    case complete(String)
    /// What an action form needs to open.
    case gather(Gather, asOf: Day)
    case write(Write)
    /// Write a list to a file (`:export`): a read of the inventory, open to every role.
    case export(ExportJob)
}

struct LoadRequest {
    var kind: PageKind
    var asOf: Day
    var tag: String?
    /// The page's long lists, for its current filter and order (read with the page, when it has any).
    var lists: ListRequest
    /// The date's lists could not be derived: do not try again.
    var skipPrepare: Bool
    /// Read the critical models too (none are known for this date yet).
    var wantCritical: Bool
    var background: Bool
    /// The state's `generation` when asked: background work started for it is dropped if it moved.
    var generation = 0
}

struct ListRequest {
    var kind: PageKind
    var asOf: Day
    var key: String
    var query: ModelQuery
    var text: String
    var knownCount: Int?
    /// The lists sorted by a column (the others in their own order).
    var orders: [ListID: ListOrder] = [:]
}

/// `update(state, msg) -> (state, effects)`: the dashboard's whole behaviour, without a terminal or a database.
func update(_ state: AppState, _ msg: Msg) -> (AppState, [Effect]) {
    var s = state
    var effects: [Effect] = []
    s.apply(msg, &effects)
    effects += s.settle()
    return (s, effects)
}

extension AppState {
    mutating func apply(_ msg: Msg, _ effects: inout [Effect]) {
        switch msg {
        case .key(let key): handle(key, &effects)
        case .command(let line): run(command: line, &effects)
        case .frame(let w, let h):
            framed = true
            if w >= Layout.minimumSize.width, h >= Layout.minimumSize.height { size = (w, h) }
        case .show(let screen): show(screen: screen)
        case .open(let kind, let tab):
            var p = newPage(kind)
            p.tab = tab
            stack.append(p)
        case .setAsOf(let day): setAsOf(day)
        case .reload(let force): reload(force: force, &effects)
        case .dataChanged: dataChanged(&effects)
        case .pageLoaded(let token, let day, let load):
            guard day == asOf, let i = stack.firstIndex(where: { $0.token == token }), stack[i].data == nil else { return }
            switch load {
            case .data(let data, let critical, let lists):
                stack[i].data = data
                if let lists { stack[i].take(lists) }
                if knownCritical == nil, let critical { knownCritical = critical }
            case .unavailable: stack[i].loadFailed = true
            case .failed(let error):
                stack[i].loadFailed = true
                say(error, error: true)
            }
        case .listsQueried(let token, let key, let lists, let count):
            guard let i = stack.firstIndex(where: { $0.token == token }), stack[i].listKey == key, stack[i].data != nil else { return }
            stack[i].take(lists)
            if let count { stack[i].modelCount = count }
        case .rowsRead(let token, let key, let list, let rows):
            guard let i = stack.firstIndex(where: { $0.token == token }), stack[i].lists?.key == key else { return }
            stack[i].reading[list] = nil
            stack[i].rows[list] = rows
        case .completed(let text, let options):
            guard prompt == ":" + text else { return }
            prompt = ":" + complete(text, options: options)
        case .gathered(let g): openForm(g)
        case .written(let write, let id, let refusal):
            if let refusal { return say(refusal, error: true) }
            say(write.outcome(id: id ?? "", symbols: env.symbols))
            if write.changesInventory { dataChanged(&effects) }
        case .criticalModels(let day, let now):
            guard day == asOf else { return }
            defer { knownCritical = now }
            guard let before = knownCritical else { return }
            let new = now.subtracting(before).sorted()
            if !new.isEmpty { say("\(env.symbols.bad) newly critical: \(new.joined(separator: ", "))", error: true) }
        case .exported(let rows, let path): say("wrote \(rows) row\(rows == 1 ? "" : "s") to \(path)")
        case .background(let done): takeBackground(done, &effects)
        case .failed(let error): say(error, error: true)
        }
    }

    // MARK: - Navigation

    mutating func show(screen: ScreenID) { stack = [newPage(.screen(screen))] }

    mutating func setAsOf(_ day: Day) {
        asOf = day
        updating = false
        for i in stack.indices { stack[i].data = nil }
        knownCritical = nil
        say("as of \(day)\(day == today ? " (today)" : "")")
    }

    mutating func go(to target: Target) {
        switch target {
        case .model(let id, let tab): open(.model(id), tab: tab)
        case .alert(let id, _, _): open(.model(id), tab: .monitoring)
        case .task(_, let modelId): if page.modelId == modelId { openDetail() } else { open(.model(modelId), tab: .tasks) }
        case .document, .message: openDetail()
        case .audit(let e):
            let model = e.entity.hasPrefix("model:") ? String(e.entity.dropFirst(6)) : nil
            // On its model's page, or on a task's history, there is nothing more to drill into.
            if let model, page.modelId != model, !page.isDetail { open(.model(model), tab: .audit) } else { openDetail() }
        case .asset(let id): open(.asset(id))
        case .person(let login): open(.person(login))
        case .screen(let s): stack.append(newPage(.screen(s)))
        case .drill(let kpi, let domain): open(.drill(kpi, domain: domain))
        case .models(let filter):
            var p = newPage(.screen(.models))
            p.modelFilter = filter
            stack.append(p)
        }
    }

    mutating func open(_ kind: PageKind, tab: DetailTab = .summary) {
        var p = newPage(kind)
        p.tab = tab
        stack.append(p)
    }

    // MARK: - Keys

    mutating func handle(_ key: Key, _ effects: inout [Effect]) {
        if key == .resize { return }
        if let c = confirmation {
            confirmation = nil
            if key == .character("y") || key == .character("Y") { effects.append(.write(c.write)) } else { say("cancelled: nothing was changed") }
            return
        }
        if form != nil { return handleForm(key) }
        if prompt != nil { return handlePrompt(key, &effects) }
        if showHelp { return helpKey(key) }
        if case .click(let x, let y) = key { return click(x: x, y: y) }
        guard let action = KeyMap.action(for: key) else { return }
        status = ""
        if page.kind.screen.handle(action, &self) { return }
        switch action {
        case .quit: quit = true
        case .back:
            if !page.filterText.isEmpty { page.filterText = ""; page.toTop() }
            else if stack.count > 1 { stack.removeLast() }
            else if key == .character("q") { quit = true }
        case .up: move(-1)
        case .down: move(1)
        case .pageUp: move(-max(1, bodyHeight - 1))
        case .pageDown: move(max(1, bodyHeight - 1))
        case .top: move(-Int.max / 2)
        case .bottom: move(Int.max / 2)
        case .enter: if let target = selectedTarget() { go(to: target) }
        case .help: showHelp = true
        case .detail: openDetail()
        case .messages: open(.messages(messages.reversed()))
        case .filter: prompt = "/" + page.filterText
        case .command: prompt = ":"
        case .refresh: reload(force: true, &effects); say("reloaded")
        case .screen(let s): show(screen: s)
        case .nextTab, .previousTab: break
        case .sortColumnNext: sortColumn(step: 1)
        case .sortColumnPrevious: sortColumn(step: -1)
        case .sortReverse: reverseSort()
        case .assign: startAssign(&effects)
        case .changePeople: startPeopleChange(&effects)
        case .approve:
            if case .document(let id, let kind, let version)? = selectedTarget() { startApprove(modelId: id, kind: kind, version: version) }
            else { say("select a document version (a model's Documents tab) to approve it", error: true) }
        case .sortNext:
            // `s` on a task (on any page listing tasks) changes its status; the Models screen sorts with it.
            if case .task(let id, _)? = selectedTarget() { startTaskStatus(id) }
        case .copyID: copySelectedID()
        case .monthBack: setAsOf(asOf.previousMonthEnd)
        case .monthForward: setAsOf(min(today, asOf.adding(days: 1).monthEnd))
        case .today: setAsOf(today)
        }
    }

    private mutating func handlePrompt(_ key: Key, _ effects: inout [Effect]) {
        guard var text = prompt else { return }
        completions = []
        switch key {
        case .escape:
            if text.first == "/" { page.filterText = "" }
            prompt = nil
        case .enter:
            prompt = nil
            if text.first == ":" { run(command: String(text.dropFirst()), &effects) }
        case .backspace, .delete:
            if text.count > 1 { text.removeLast() }
            prompt = text
        case .tab:
            if text.first == ":" {
                let line = String(text.dropFirst())
                if let options = staticOptions(line) { prompt = ":" + complete(line, options: options) }
                else { effects.append(.complete(line)) }
            }
        case .character(let c):
            text.append(c)
            prompt = text
        default: break
        }
        if let prompt, prompt.first == "/" {
            page.filterText = String(prompt.dropFirst())
            page.toTop()
        }
    }

    private mutating func move(_ delta: Int) {
        page.selection = max(0, page.selection + delta)
        page.selectedID = nil
        // Clamped when the page settles, against its real number of lines.
        if delta < -1_000_000 { page.scroll = 0 }
    }

    /// The selected line's target on the current page.
    func selectedTarget() -> Target? {
        guard let body = body(of: page) else { return nil }
        let count = body.selectableCount
        guard count > 0, let line = body.lineIndex(ofSelectable: min(page.selection, count - 1)) else { return nil }
        return body[line].target
    }

    // MARK: - Commands

    mutating func run(command line: String, _ effects: inout [Effect]) {
        let words = line.split(separator: " ", maxSplits: 1).map(String.init)
        guard let verb = words.first?.lowercased() else { return }
        let argument = words.count > 1 ? words[1].trimmingSpaces : ""
        for screen in Screens.all where screen.run(verb: verb, argument: argument, &self) { return }
        switch verb {
        case "asof":
            guard let d = Day(argument) else { return say("asof needs a date, YYYY-MM-DD", error: true) }
            setAsOf(d)
        case "today": setAsOf(today)
        case "clear":
            page.filterText = ""
            page.modelFilter = ModelFilter()
            page.tag = nil
            page.data = nil
            say("filters cleared")
        case "model", "open":
            guard !argument.isEmpty else { return say("model needs an id", error: true) }
            open(.model(argument))
        case "asset": open(.asset(argument))
        case "person": open(.person(argument))
        case "screen":
            guard let s = ScreenID(name: argument) else { return say("no screen '\(argument)'", error: true) }
            show(screen: s)
        case "evidence":
            guard !argument.isEmpty else { return say("evidence needs a new folder to write the pack into: :evidence PACK", error: true) }
            say("writing the evidence pack as of \(asOf) to \(argument)…")
            effects.append(.write(.evidencePack(asOf: asOf, path: argument)))
        case "export", "export!": export(argument, replace: verb == "export!", &effects)
        case "refresh": reload(force: true, &effects)
        case "help": showHelp = true
        case "quit", "q": quit = true
        default:
            say("unknown command '\(verb)'; commands: \(KeyMap.commands.joined(separator: ", "))", error: true)
        }
    }

    /// The options after a command that need no reading (nil: the loop reads them, e.g. model ids).
    func staticOptions(_ text: String) -> [String]? {
        let parts = text.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        if parts.count < 2 { return [] }
        switch parts[0] {
        case "model", "open", "domain", "person", "asset", "tag": return nil   // from the inventory
        // Today, then the report's month-ends, newest first (the dates its trend and deltas are taken at).
        case "asof": return [today.description] + today.monthEnds(count: Windows.trendMonths).reversed().filter { $0 != today }.map(\.description)
        case "stage", "setstage": return Stage.allCases.map(\.rawValue)
        case "tier": return RiskTier.allCases.map { String($0.rawValue) }
        case "docs": return ["missing"]
        case "screen": return ScreenID.allCases.map { $0.title.lowercased() }
        case "alerts": return ["critical", "warning", "any"]
        case "export", "export!": return ExportFormat.allCases.map(\.rawValue)
        default: return []
        }
    }

    /// Completes a command name, or the word after it from `options`.
    mutating func complete(_ text: String, options: [String]) -> String {
        let parts = text.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        func extend(_ prefix: String, _ options: [String]) -> String {
            let matches = options.filter { $0.hasPrefix(prefix) }
            guard let first = matches.first else { say("nothing completes “\(prefix)”", error: true); return prefix }
            if matches.count == 1 { return first }
            // Shown in a list above the prompt until the next key.
            completions = matches
            var common = first
            for m in matches { while !m.hasPrefix(common) { common.removeLast() } }
            return common
        }
        if parts.count < 2 {
            let word = extend(parts.first ?? "", KeyMap.commands)
            return KeyMap.commands.contains(word) ? word + " " : word
        }
        return parts[0] + " " + extend(parts[1], options)
    }

    // MARK: - Data

    /// Drops every page's data so it is read again; `force` (`r`) derives the date's lists again too,
    /// whether or not the store saw the inventory change.
    mutating func reload(force: Bool = false, _ effects: inout [Effect]) {
        if force {
            failedDate = nil
            generation += 1
            prepareLists(force: true, &effects)
        }
        // An overview still waiting for its first look asks for one at the new generation (the one
        // in flight read what was there before).
        for i in stack.indices where !(updating && stack[i].kind.needsLists && !isWaitingForFirstLook(stack[i])) { stack[i].data = nil }
    }

    private func isWaitingForFirstLook(_ page: Page) -> Bool {
        if case .screen(.overview) = page.kind, case .preparing? = page.data { return true } else { return false }
    }

    /// Derives the date's lists: in the background (pages keep what they show until it is done), or now.
    private mutating func prepareLists(force: Bool, _ effects: inout [Effect]) {
        if env.background { updating = true }
        effects.append(.prepare(asOf, force: force))
    }

    /// After a write (ours or another process's): derive the lists again and read every page again;
    /// list pages keep what they show until the new lists are ready.
    mutating func dataChanged(_ effects: inout [Effect]) {
        generation += 1
        prepareLists(force: false, &effects)
        reload(&effects)
        if !env.background { effects.append(.checkCritical(asOf)) }
    }

    /// Takes finished background work into the pages it belongs to.
    private mutating func takeBackground(_ done: Background.Done, _ effects: inout [Effect]) {
        switch done.job {
        case .prepare(let day, _):
            guard day == asOf else { return }
            if let error = done.error {
                say(error, error: true)
                failedDate = day
            }
            updating = false
            // Pages read again from the lists; not an overview read by a first look since the last change (the same numbers).
            for i in stack.indices where stack[i].kind.needsLists && !(stack[i].firstLook == generation && stack[i].data != nil) {
                stack[i].data = nil
            }
            effects.append(.checkCritical(asOf))
            redraw = true
        case .firstLook(let day, let read):
            guard day == asOf, read == generation else { return }
            if let error = done.error { say(error, error: true) }
            guard let o = done.overview else { return }
            for i in stack.indices where stack[i].kind == .screen(.overview) {
                guard case .preparing? = stack[i].data else { continue }
                stack[i].data = .overview(o.report, alerts: o.alertCount, topAlerts: o.topAlerts)
                stack[i].firstLook = generation
                redraw = true
            }
        case .trend(let day, let read):
            guard day == asOf, read == generation else { return }
            if let error = done.error { say(error, error: true) }
            guard let report = done.report else { return }
            for i in stack.indices {
                if case .overview(let old, let count, let top)? = stack[i].data, old.trend.isEmpty, old.asOf == day {
                    // Still the first look's numbers, with the trend: the lists need not read them again.
                    let firstLook = stack[i].firstLook
                    stack[i].data = .overview(report, alerts: count, topAlerts: top)
                    stack[i].firstLook = firstLook
                    redraw = true
                }
            }
        }
    }

    // MARK: - Settling

    /// After every message: the reads the current page still needs (its data, its lists, the rows on
    /// screen), and its selection and scroll clamped to what it shows.
    mutating func settle() -> [Effect] {
        // Nothing is read before the first frame (or key): the loop may still switch to background reading.
        guard framed, !quit, !stack.isEmpty else { return [] }
        let p = page
        guard let data = p.data else {
            if p.loadFailed { return [] }
            return [.load(token: p.token, LoadRequest(kind: p.kind, asOf: asOf, tag: p.tag, lists: listRequest(p), skipPrepare: failedDate == asOf,
                                                      wantCritical: knownCritical == nil, background: env.background, generation: generation))]
        }
        if case .preparing = data { return [] }
        if p.hasLists, p.lists?.key != p.listKey { return [.queryLists(token: p.token, listRequest(p))] }
        guard let body = body(of: p) else { return [] }
        var settled = p
        settled.settleSelection(in: body, height: bodyHeight)
        let reads = settled.missingRows(in: body, height: bodyHeight)
        if !reads.isEmpty {
            for case .readRows(_, _, let list, _, let range) in reads { page.reading[list] = range }
            return reads
        }
        if settled.selection != p.selection || settled.scroll != p.scroll || settled.selectedID != p.selectedID {
            page.selection = settled.selection
            page.scroll = settled.scroll
            page.selectedID = settled.selectedID
        }
        return []
    }
}

extension AppState {
    /// What the page's long lists are queried for: its filter and order.
    func listRequest(_ p: Page) -> ListRequest {
        let filter = "\(p.modelFilter)|\(p.filterText)"
        return ListRequest(kind: p.kind, asOf: asOf, key: p.listKey, query: p.modelQuery, text: p.filterText.lowercased(),
                           knownCount: p.modelCount?.filter == filter ? p.modelCount?.count : nil, orders: p.listOrders)
    }
}

extension Page {
    /// Takes lists just queried (and how many models their filter matched).
    mutating func take(_ queried: PageLists) {
        lists = queried
        if let count = queried.modelCount { modelCount = count }
    }

    /// Keeps the selection on a selectable line (on the same item across reloads when it can) and
    /// the selected line on screen.
    mutating func settleSelection(in lines: Body, height: Int) {
        let selectable = lines.selectableCount
        let count = lines.count
        if selectable > 0 {
            if let id = selectedID, let i = lines.selectableIndex(of: id, near: selection) { selection = i }
            selection = min(max(0, selection), selectable - 1)
            if let s = lines.lineIndex(ofSelectable: selection) {
                selectedID = lines[s].target?.id
                scroll = lines.viewport(height: height).scroll(toShow: s, from: scroll)
                // Show the header lines above the first selectable one.
                if selection == 0 { scroll = 0 }
            }
        } else {
            scroll = min(max(0, selection), max(0, count - height))
            selection = scroll
        }
        scroll = max(0, min(scroll, max(0, count - 1)))
    }

    /// The windows of long lists the page shows (or looks through for its selected item) that are not read yet.
    func missingRows(in body: Body, height: Int) -> [Effect] {
        guard let lists else { return [] }
        var wanted: [Range<Int>] = [scroll..<(scroll + height)]
        if let s = body.lineIndex(ofSelectable: selection) { wanted.append(s..<(s + 1)) }
        var effects: [Effect] = []
        var offset = 0, selectableBase = 0
        for part in body.parts {
            defer { offset += part.count; selectableBase += part.selectableCount }
            guard case .table(let table) = part, let list = table.list, let handle = lists.handles[list] else { continue }
            // The rows on screen, and those near the selection where a refresh looks for its item.
            var local = wanted.compactMap { r -> Range<Int>? in
                let lo = max(0, r.lowerBound - offset), hi = min(table.count, r.upperBound - offset)
                return lo < hi ? lo..<hi : nil
            }
            // Freshly queried (after a reload): also the rows near the selection, where its item is looked for.
            let near = selection - selectableBase
            if selectedID != nil, rows[list] == nil, near + 100 > 0, near - 100 < table.count {
                local.append(max(0, near - 100)..<min(table.count, near + 100))
            }
            guard let lo = local.map(\.lowerBound).min(), let hi = local.map(\.upperBound).max(), !table.covers(lo..<hi),
                  !(reading[list].map { $0.lowerBound <= lo && hi <= $0.upperBound } ?? false) else { continue }
            // One window centred on what is wanted, so paging either way stays inside it.
            let size = max(LazyTable.windowSize, hi - lo)
            let start = max(0, min((lo + hi) / 2 - size / 2, table.count - size))
            effects.append(.readRows(token: token, key: lists.key, list, handle, start..<min(table.count, start + size)))
        }
        return effects
    }
}

