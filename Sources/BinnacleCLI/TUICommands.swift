import ArgumentParser
import BinnacleApp
import BinnacleCore
import BinnacleStore
import Foundation
import TerminalNCurses
import TerminalUI

/// Display options shared by `tui` and `demo`.
struct DisplayOptions: ParsableArguments {
    @Flag(name: .customLong("no-color"), help: "Monochrome (also when NO_COLOR is set).") var noColor = false
    @Flag(help: "Enable the mouse: the wheel scrolls, a click selects a line or a tab, or sorts by a column title (off by default).") var mouse = false
    @Flag(name: .customLong("osc52"), help: "Let y copy the selected id to the clipboard through the terminal (OSC 52; also BINNACLE_OSC52=1).")
    var osc52 = false

    var wantsClipboard: Bool { osc52 || ProcessInfo.processInfo.environment["BINNACLE_OSC52"] == "1" }

    var wantsColor: Bool {
        !noColor && (ProcessInfo.processInfo.environment["NO_COLOR"].map { $0.isEmpty } ?? true)
    }
}

struct TUI: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tui", abstract: "Open the dashboard (the default command).")
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var asOf: AsOfOption
    @Flag(help: "Open the database read-only.") var readonly = false
    @OptionGroup var display: DisplayOptions
    @Option(name: .customLong("as"), help: ArgumentHelp("Act as this login (only when running as root).", valueName: "login")) var actAs: String?

    func run() throws {
        try running {
            if actAs != nil, geteuid() != 0 {
                throw Failure(message: "--as is accepted only from root; you are \(currentLogin()), and actions are taken as you")
            }
            let inventory = try database.open(.read, readOnly: readonly)
            try openDashboard(inventory, asOf: asOf.asOf, display: display, login: actAs ?? currentLogin())
        }
    }
}

/// Runs the dashboard on the real terminal; refuses without one.
func openDashboard(_ inventory: Inventory, asOf: Day?, display: DisplayOptions, login: String = currentLogin()) throws {
    guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
        throw Failure(message: "the dashboard needs a terminal; for scripts use `binnacle report`, `binnacle snapshot` or `binnacle check`")
    }
    let today = Day.today()
    if let problem = NCursesTerminal.cannotDraw() {
        // Still an answer: the text report, with what the dashboard needs said first.
        Console.error("\(problem); here is the text report instead (`binnacle snapshot` prints any screen as text)")
        return Console.out(try inventory.report(asOf: asOf ?? today).text())
    }
    let source = try StoreSource.forDashboard(inventory, login: login)
    let terminal = NCursesTerminal(color: display.wantsColor, mouse: display.mouse)
    defer { terminal.close() }
    let dashboard = Dashboard(source: source, asOf: asOf ?? today, today: today,
                              theme: terminal.supportsColor ? .colour : .monochrome,
                              symbols: terminal.supportsUnicode ? .unicode : .ascii)
    if display.wantsClipboard { dashboard.allowClipboard() }
    dashboard.loadSlowPartsInBackground()
    dashboard.run(on: terminal, shouldStop: { TerminalRestore.stopRequested != 0 }, clock: { Date().timeIntervalSince1970 })
}

struct Snapshot: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a dashboard screen as text (for docs and scripts).")
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var asOf: AsOfOption
    @Option(help: "overview, models, alerts, risk, people, tasks, audit, model, asset or person.") var screen = "overview"
    @Option(help: "The model (with --screen model), asset or person to show.") var model: String?
    @Option(help: "The model tab: summary, value, monitoring, documents, lineage, tasks, audit.") var tab = "summary"
    @Option(help: "A `:` command to run first, e.g. \"tag pii\" or \"stage production\".") var command: String?
    @Option(help: "Columns.") var width = 120
    @Option(help: "Rows.") var height = 40
    @Flag(name: .customLong("no-color"), help: "Ignored: snapshots are text.") var noColor = false
    @Flag(help: "Use ASCII symbols.") var ascii = false
    @Option(help: "Keys to press before printing, space-separated (e.g. \"2 / f r a u d Enter Down Tab\").") var keys: String?
    @Flag(help: ArgumentHelp("Print to stderr how long the first frame and each key took.", visibility: .hidden)) var timing = false
    @Flag(help: ArgumentHelp("Load the slow parts in the background, as the interactive dashboard does.", visibility: .hidden))
    var background = false

    func run() throws {
        try running {
            let inventory = try database.open(.read, readOnly: true)
            let today = Day.today()
            let dashboard = Dashboard(source: try StoreSource.forDashboard(inventory, login: currentLogin()), asOf: asOf.asOf ?? today, today: today,
                                      theme: .monochrome, symbols: ascii ? .ascii : .unicode)
            if let s = ScreenID(name: screen) {
                dashboard.show(screen: s)
            } else {
                guard let id = model else { throw Failure(message: "--screen \(screen) needs --model ID") }
                switch screen {
                case "model":
                    guard let t = DetailTab(name: tab) else { throw Failure(message: "no tab '\(tab)'") }
                    dashboard.openModel(id, tab: t)
                case "asset": dashboard.openAsset(id)
                case "person": dashboard.openPerson(id)
                default: throw Failure(message: "no screen '\(screen)'")
                }
            }
            if let command { dashboard.run(command: command) }
            if background { dashboard.loadSlowPartsInBackground() }
            var clock = Date()
            var grid = dashboard.render(width: width, height: height)
            let framed = Date()
            let first = framed.timeIntervalSince(clock) * 1000
            // When the page first showed its numbers and its trend (the overview's sparklines), after the first frame.
            var numbersAt: Double?, trendAt: Double?
            func note() {
                let progress = dashboard.progress, now = Date().timeIntervalSince(framed) * 1000
                if progress.numbers, numbersAt == nil { numbersAt = now }
                if progress.trend, trendAt == nil { trendAt = now }
            }
            note()
            var perKey: [Double] = []
            for token in (keys ?? "").split(separator: " ") {
                guard let key = Snapshot.key(String(token)) else { throw Failure(message: "--keys: unknown key '\(token)'") }
                clock = Date()
                guard dashboard.handle(key) else { break }
                grid = dashboard.render(width: width, height: height)
                perKey.append(Date().timeIntervalSince(clock) * 1000)
                note()
            }
            // With --background, what the event loop would show once the background work is taken in.
            var complete = ""
            if background {
                // As the event loop: finished work taken in as it comes, a frame drawn when it changed something.
                while true {
                    let busy = dashboard.isLoading
                    let changed = dashboard.collectBackground()
                    if changed {
                        grid = dashboard.render(width: width, height: height)
                        note()
                    }
                    if !busy, !changed, !dashboard.isLoading { break }
                    usleep(2_000)
                }
                grid = dashboard.render(width: width, height: height)
                note()
                func ms(_ t: Double?) -> String { t.map { "\(Format.fixed($0, decimals: 1)) ms" } ?? "never" }
                complete = "; numbers shown after \(ms(numbersAt)), sparklines after \(ms(trendAt)), "
                    + "complete after \(ms(Date().timeIntervalSince(framed) * 1000)) (from the first frame)"
            }
            if timing {
                let sorted = perKey.sorted()
                let median = sorted.isEmpty ? 0 : sorted[sorted.count / 2]
                FileHandle.standardError.write(Data(("first frame \(Format.fixed(first, decimals: 1)) ms; \(perKey.count) keys: median "
                    + "\(Format.fixed(median, decimals: 2)) ms, max \(Format.fixed(sorted.last ?? 0, decimals: 2)) ms\(complete)\n").utf8))
            }
            Console.out(grid.text + "\n")
        }
    }
}

extension Snapshot {
    /// A key by name (Enter, Esc, Tab, BackTab, Up, Down, Left, Right, PgUp, PgDn, Home, End, Space) or a single character.
    static func key(_ token: String) -> Key? {
        let named: [String: Key] = ["Enter": .enter, "Esc": .escape, "Tab": .tab, "BackTab": .backTab, "Up": .up, "Down": .down,
                                    "Left": .left, "Right": .right, "PgUp": .pageUp, "PgDn": .pageDown, "Home": .home, "End": .end,
                                    "Space": .character(" "), "Bksp": .backspace]
        if let key = named[token] { return key }
        return token.count == 1 ? .character(token.first!) : nil
    }
}

struct Prepare: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Derive the dashboard's lists and trend for a date ahead of time (e.g. from cron after the nightly ingest).",
        discussion: """
            The dashboard derives every model's state, the alerts and the 12-month trend once per date and keeps them in \
            its cache (see BINNACLE_CACHE_DIR); on a large inventory the first look at a date takes seconds. Run this \
            after a write so that the next dashboard opens instantly.
            """)
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var asOf: AsOfOption

    func run() throws {
        try running {
            let inventory = try database.open(.read, readOnly: true)
            guard let path = StateCache.defaultPath(for: inventory.path) else {
                throw Failure(message: "no cache directory can be written (set BINNACLE_CACHE_DIR to one): nothing to prepare")
            }
            let start = Date()
            let source = try StoreSource(inventory, login: currentLogin(), cache: StateCache(path: path))
            try source.prepare(asOf: asOf.day, force: false)
            _ = try source.report(asOf: asOf.day, trend: true)
            let seconds = Format.fixed(Date().timeIntervalSince(start), decimals: 1)
            Console.out("prepared \(asOf.day): \(try source.modelCount(asOf: asOf.day)) models and the 12-month trend in \(seconds) s (\(path))\n")
        }
    }
}
