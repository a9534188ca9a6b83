import TerminalUI

/// What a key does. Handlers change state and return; the loop redraws.
enum Action: Equatable {
    case up, down, pageUp, pageDown, top, bottom, enter, detail, back, quit, help, messages, filter, command, refresh
    case screen(ScreenID)
    case nextTab, previousTab, sortNext, sortColumnNext, sortColumnPrevious, sortReverse, monthBack, monthForward, today
    case assign, approve, changePeople, copyID
}

/// The one key table: key handling, the help overlay and the footer hints all come from it.
struct KeyBinding {
    var keys: [Key]
    var action: Action
    var help: String
    /// A short footer label, for the keys worth a hint.
    var hint: String?
    /// The pages where the key means something of their own (the help lists it first there); nil: everywhere.
    var on: Set<Place>? = nil
}

/// A kind of page, as the help groups keys by it.
enum Place: Hashable, CaseIterable {
    case overview, models, alerts, risk, people, tasks, audit, model, asset, person, drill, detail, messages

    init(_ kind: PageKind) {
        switch kind {
        case .screen(.overview): self = .overview
        case .screen(.models): self = .models
        case .screen(.alerts): self = .alerts
        case .screen(.risk): self = .risk
        case .screen(.people): self = .people
        case .screen(.tasks): self = .tasks
        case .screen(.audit): self = .audit
        case .model: self = .model
        case .asset: self = .asset
        case .person: self = .person
        case .drill: self = .drill
        case .detail: self = .detail
        case .messages: self = .messages
        }
    }

    /// How the help heads this page's keys.
    var title: String {
        switch self {
        case .overview, .models, .alerts, .risk, .people, .tasks, .audit: return "the \(String(describing: self).capitalized) screen"
        case .model: return "a model's page"
        case .asset: return "an asset's page"
        case .person: return "a person's page"
        case .drill: return "a KPI's rows"
        case .detail: return "a line in full"
        case .messages: return "the messages"
        }
    }

    /// Every page with a list to sort, copy from or act on.
    static let lists = Set(allCases).subtracting([.detail])
    /// Pages where a model or an alert can be selected (or is shown).
    static let withModels: Set<Place> = [.overview, .models, .alerts, .risk, .tasks, .model, .person, .drill]
}

enum KeyMap {
    static let bindings: [KeyBinding] = [
        KeyBinding(keys: [.up, .character("k")], action: .up, help: "move up", hint: nil),
        KeyBinding(keys: [.down, .character("j")], action: .down, help: "move down", hint: nil),
        KeyBinding(keys: [.pageUp], action: .pageUp, help: "page up", hint: nil),
        KeyBinding(keys: [.pageDown, .character(" ")], action: .pageDown, help: "page down", hint: nil),
        KeyBinding(keys: [.character("g"), .home], action: .top, help: "first line", hint: nil),
        KeyBinding(keys: [.character("G"), .end], action: .bottom, help: "last line", hint: nil),
        KeyBinding(keys: [.enter], action: .enter, help: "drill into the selected line", hint: "open"),
        KeyBinding(keys: [.character("d")], action: .detail,
                   help: "the selected line in full (audit JSON, task history)", hint: nil),
        KeyBinding(keys: [.escape, .character("q")], action: .back, help: "back (clears a filter first)", hint: "back"),
        KeyBinding(keys: [.character("Q")], action: .quit, help: "quit", hint: "quit"),
        KeyBinding(keys: [.character("?")], action: .help, help: "this help", hint: "help"),
        KeyBinding(keys: [.character("m")], action: .messages, help: "the last 50 messages and refusals", hint: nil),
        KeyBinding(keys: [.character("/")], action: .filter, help: "filter the list (Esc clears)", hint: "filter"),
        KeyBinding(keys: [.character(":")], action: .command, help: "command: asof, stage, tier, domain, alerts, docs (filters), setstage (a model's stage), tag, model, asset, person, clear, export, messages, evidence (Tab completes)", hint: "cmd"),
        KeyBinding(keys: [.character("r")], action: .refresh, help: "reload from the database", hint: nil),
    ] + ScreenID.allCases.map {
        KeyBinding(keys: [.character(Character(String($0.rawValue)))], action: .screen($0), help: "\($0.title) screen", hint: nil)
    } + [
        KeyBinding(keys: [.tab, .right, .character("l")], action: .nextTab, help: "next tab (model detail)", hint: nil, on: [.model]),
        KeyBinding(keys: [.backTab, .left, .character("h")], action: .previousTab, help: "previous tab (model detail)", hint: nil, on: [.model]),
        KeyBinding(keys: [.character("a")], action: .assign, help: "assign a remediation task on the selected model or alert (warns of an open one)",
                   hint: "assign", on: Place.withModels),
        KeyBinding(keys: [.character("s")], action: .sortNext, help: "on a task: change its status; on Models and the Overview's domains: sort by the next column",
                   hint: nil, on: [.overview, .models, .tasks, .model, .person]),
        KeyBinding(keys: [.character("A")], action: .approve, help: "approve the selected document version, with its expiry (Documents tab)",
                   hint: nil, on: [.model]),
        KeyBinding(keys: [.character("o")], action: .changePeople,
                   help: "change who: a model's people, a person's role, a task's assignee", hint: nil, on: [.models, .people, .tasks, .model, .person]),
        KeyBinding(keys: [.character(">")], action: .sortColumnNext, help: "sort the list by its next column (or click its header)", hint: nil,
                   on: Place.lists),
        KeyBinding(keys: [.character("<")], action: .sortColumnPrevious, help: "sort the list by its previous column", hint: nil, on: Place.lists),
        KeyBinding(keys: [.character("S")], action: .sortReverse, help: "reverse the sort", hint: nil, on: Place.lists),
        KeyBinding(keys: [.character("y")], action: .copyID, help: "copy the selected line's id (OSC 52: --osc52 or BINNACLE_OSC52=1)",
                   hint: nil, on: Place.lists),
        KeyBinding(keys: [.character("[")], action: .monthBack, help: "time travel: a month back", hint: nil),
        KeyBinding(keys: [.character("]")], action: .monthForward, help: "time travel: a month forward", hint: nil),
        KeyBinding(keys: [.character("t")], action: .today, help: "back to today", hint: nil),
    ]

    static func action(for key: Key) -> Action? { bindings.first { $0.keys.contains(key) }?.action }

    static var hints: String {
        "1-7 screens  " + bindings.compactMap { b in b.hint.map { "\(b.keys[0].label) \($0)" } }.joined(separator: "  ")
    }

    /// The commands of the `:` line, for completion and help.
    static let commands = ["asof", "today", "stage", "setstage", "tier", "domain", "alerts", "docs", "tag", "model", "asset", "person",
                           "screen", "clear", "evidence", "export", "messages", "refresh", "help", "quit"]
}
