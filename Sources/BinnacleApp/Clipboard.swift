import TerminalUI

extension Target {
    /// What `y` copies: the id a command line takes (a model, task, asset, login, audit entry).
    var copyText: String? {
        switch self {
        case .model(let id, _), .alert(let id, _, _), .asset(let id), .person(let id): return id
        case .task(let id, _): return id
        case .document(let id, let kind, let version): return "\(id) \(kind.rawValue) \(version)"
        case .audit(let e): return String(e.seq)
        case .drill(let kpi, _): return kpi.rawValue
        case .models, .screen, .message: return nil
        }
    }
}

extension AppState {
    static let copyLimit = 200

    /// `y`: the selected line's id, sanitised (no control or bidi character, at most 200 characters), for
    /// the loop to put on the clipboard — only when the session allows it.
    mutating func copySelectedID() {
        guard env.osc52 else { return say("copying is off: start with --osc52 or BINNACLE_OSC52=1 (the terminal must allow OSC 52)", error: true) }
        guard let text = selectedTarget()?.copyText else { return say("nothing to copy on this line", error: true) }
        let id = String(DisplayWidth.sanitize(text).prefix(AppState.copyLimit))
        clipboard = id
        say("copied \(id)")
    }
}
