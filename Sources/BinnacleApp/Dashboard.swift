import BinnacleCore
import TerminalUI

/// The dashboard as the command line and the tests drive it: it holds the state (`AppState`) and
/// the effect runner, feeds each key or command to `update`, runs the effects it returns until the
/// state settles, and draws with `view`. It never touches a terminal itself.
public final class Dashboard {
    private(set) var state: AppState
    let runner: EffectRunner

    public init(source: PortfolioSource, asOf: Day, today: Day, theme: Theme, symbols: Symbols) {
        runner = EffectRunner(source: source)
        state = AppState(env: AppEnvironment(theme: theme, symbols: symbols, label: source.label, readOnly: source.readOnly,
                                             actor: source.actor),
                         asOf: asOf, today: today)
    }

    public static let minimumSize = Layout.minimumSize

    /// Feeds `msg` to `update`, then runs the effects it asks for and feeds their results back, until
    /// nothing is left to do.
    func dispatch(_ msg: Msg) {
        var queue = [msg]
        var steps = 0
        while !queue.isEmpty, steps < 10_000 {
            steps += 1
            let (next, effects) = update(state, queue.removeFirst())
            state = next
            for effect in effects { queue += runner.run(effect) }
        }
    }

    // MARK: - What the command line and tests use

    public var asOf: Day { state.asOf }
    public var status: String { state.status }
    var page: Page { state.page }
    var prompt: String? { state.prompt }
    var form: Form? { state.form }
    var confirmation: Confirmation? { state.confirmation }

    /// Lets `y` copy the selected line's id through the terminal (OSC 52).
    public func allowClipboard() { state.env.osc52 = true }

    /// The text `y` asked to put on the clipboard, once.
    func takeClipboard() -> String? {
        defer { state.clipboard = nil }
        return state.clipboard
    }

    /// How far the current page has come (the benchmark times each step): its numbers are on screen
    /// (not the placeholder), and its trend too (the overview's sparklines; other pages have none).
    public var progress: (numbers: Bool, trend: Bool) {
        switch state.page.data {
        case nil, .preparing?: return (false, false)
        case .overview(let report, _, _)?: return (true, !report.trend.isEmpty)
        default: return (true, true)
        }
    }

    /// Whether work started in the background has not yet been taken in.
    public var isLoading: Bool { runner.background?.isBusy ?? false }

    /// The interactive dashboard draws its first frame before the slow parts are known — a date's
    /// lists on first sight, the 12-month trend — and fills them in when they are (on second connections).
    /// Tests and snapshots load everything inline.
    public func loadSlowPartsInBackground() {
        runner.startBackground()
        state.env.background = runner.background != nil
    }

    /// Takes finished background work into the pages it belongs to; true when something changed.
    @discardableResult
    public func collectBackground() -> Bool {
        guard let background = runner.background else { return false }
        for done in background.take() { dispatch(.background(done)) }
        defer { state.redraw = false }
        return state.redraw
    }

    /// Notices writes from other processes (PRAGMA data_version) and reloads in place, keeping each
    /// page's selection by id. Returns true when something changed.
    @discardableResult
    public func pollForChanges() -> Bool {
        guard runner.databaseChanged() else { return false }
        dispatch(.dataChanged)
        return true
    }

    /// Handles one key; returns false when the user quits.
    public func handle(_ key: Key) -> Bool {
        // What the key acts on (the selected line) is read first, as a frame would.
        if !state.framed || state.stack.last?.data == nil { dispatch(.frame(width: state.size.width, height: state.size.height)) }
        dispatch(.key(key))
        return !state.quit
    }

    public func run(command line: String) { dispatch(.command(line)) }
    public func show(screen: ScreenID) { dispatch(.show(screen)) }
    public func openModel(_ id: String, tab: DetailTab = .summary) { dispatch(.open(.model(id), tab: tab)) }
    public func openAsset(_ id: String) { dispatch(.open(.asset(id), tab: .summary)) }
    public func openPerson(_ login: String) { dispatch(.open(.person(login), tab: .summary)) }
    public func setAsOf(_ day: Day) { dispatch(.setAsOf(day)) }
    public func reload(force: Bool = false) { dispatch(.reload(force: force)) }

    /// Completes a command name, or a model id / domain / screen after the command.
    func complete(_ text: String) -> String {
        let options: [String]
        if let known = state.staticOptions(text) { options = known }
        else if case .completed(_, let read)? = runner.run(.complete(text)).first { options = read }
        else { options = [] }
        return state.complete(text, options: options)
    }

    /// Draws the whole frame: the loop first reads what this size shows, then `view` draws.
    public func render(width: Int, height: Int) -> Grid {
        dispatch(.frame(width: width, height: height))
        return view(state, width: width, height: height)
    }
}
