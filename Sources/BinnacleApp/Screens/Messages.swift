import BinnacleCore
import TerminalUI

/// A message or refusal the status line showed.
struct Message: Equatable {
    var text: String
    var error: Bool
}

/// The message log (`m`, `:messages`): what the status line said, newest first, as a list — `d` shows
/// one in full, `:export` writes them. Reads nothing: the messages are the page's.
struct MessagesScreen: DashboardScreen {
    static func load(_ r: LoadRequest, from source: PortfolioSource) throws -> (PageData, PageLists?) { (.messages, nil) }

    static func run(verb: String, argument: String, _ state: inout AppState) -> Bool {
        guard verb == "messages" else { return false }
        state.open(.messages(state.messages.reversed()))
        return true
    }
}

extension Screens {
    func messageList(_ page: Page) -> [Line] {
        guard case .messages(let messages) = page.kind else { return [] }
        if messages.isEmpty { return [Line("  No messages yet.", .muted)] }
        return [Line(" The last \(messages.count) messages, newest first. d: one in full.", .muted)] + TableLayout.lines([
            Column(title: "#", width: 3, right: true, priority: 7), Column(title: "KIND", width: 7, priority: 8),
            Column(title: "MESSAGE", width: 30, flexible: true, priority: 9),
        ], messages.enumerated().map { n, m in
            ([Span(String(n + 1)), m.error ? Span("error", .critical) : Span("info", .muted), Span(m.text, m.error ? .critical : .normal)],
             .message(n))
        }, width: width)
    }
}
