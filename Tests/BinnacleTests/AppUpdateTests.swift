@testable import BinnacleApp
import BinnacleCore
import Testing
import TerminalUI

/// A list that counts its reads: only the loop (running `Effect.readRows`) may read it, never `view`.
final class CountingWindow<Row>: RowWindow {
    let all: [Row]
    private(set) var reads = 0
    init(_ all: [Row]) { self.all = all }
    var count: Int { all.count }
    func rows(_ range: Range<Int>) -> [Row] {
        reads += 1
        return Array(all[range.clamped(to: all.indices)])
    }
}

/// `update` and `view` driven by hand — no terminal, no database: the test plays the loop, answering
/// each effect with the message the loop would send.
@Suite struct AppUpdateTests {
    let asOf = Day("2026-03-15")!
    /// A fresh state that has drawn a first 120×40 frame (nothing is read before one).
    var state: AppState {
        let s = AppState(env: AppEnvironment(theme: .monochrome, symbols: .unicode, label: "test.sqlite", readOnly: false,
                                     actor: (login: "rita", person: Person(login: "rita", name: "Rita", email: "rita@example.com",
                                                                           role: .riskOfficer, team: "Risk", active: true))),
                 asOf: asOf, today: asOf)
        return update(s, .frame(width: 120, height: 40)).0
    }

    func model(_ id: String, validator: String? = nil) -> ModelSummary {
        ModelSummary(id: id, name: "Model \(id)", domain: "Lending", kind: .classification, stage: .production, riskTier: .high,
                     businessOwner: "olga", developer: "dev", validator: validator, alertsCritical: 0, alertsWarning: 0,
                     missingDocuments: [], value90d: 0)
    }

    @Test func theRiskScreenAsksForItsReadsAndDrawsWhatCameBack() throws {
        // :tag pii opens the Risk screen searching for the tag; the page has nothing yet, so update asks to read it.
        var (s, effects) = update(state, .command("tag pii"))
        #expect(s.page.kind == .screen(.risk) && s.page.tag == "pii")
        guard case .load(let token, let request)? = effects.first, effects.count == 1 else { Issue.record("expected one load, got \(effects)"); return }
        #expect(request.kind == .screen(.risk) && request.tag == "pii" && request.asOf == asOf)

        // The page's data arrives: update asks for its long lists (the matrix and the breaches).
        let exposure = [TagExposure(modelId: "m1", name: "Model m1", domain: "Lending", stage: .production, via: "", depth: 0),
                        TagExposure(modelId: "m2", name: "Model m2", domain: "Cards", stage: .development, via: "ds-customers", depth: 2)]
        let reviews = [ReviewDue(modelId: "m3", name: "Model m3", kind: "validation_report", version: "2", expires: asOf.adding(days: 20))]
        (s, effects) = update(s, .pageLoaded(token: token, asOf: asOf, .data(.risk(reviews: reviews, exposure: exposure), critical: [])))
        guard case .queryLists(token, let listRequest)? = effects.first, effects.count == 1 else { Issue.record("expected the lists, got \(effects)"); return }
        #expect(listRequest.text == "")

        // The lists are queried: update asks for the rows on screen, a window of each.
        let gaps = CountingWindow([DocumentMatrixRow(modelId: "m4", name: "Model m4", domain: "Lending", stage: .production, riskTier: .high,
                                                     cells: [.current, .missing, .expired, .draft, .notRequired])])
        let breaches = CountingWindow([model("m5", validator: nil)])
        let lists = PageLists(key: listRequest.key, handles: [.documentGaps: .documentGaps(gaps, built: 9), .breaches: .models(breaches)])
        (s, effects) = update(s, .listsQueried(token: token, key: listRequest.key, lists, modelCount: nil))
        let reads = effects.compactMap { e -> (ListID, Range<Int>)? in
            if case .readRows(token, _, let list, _, let range) = e { return (list, range) } else { return nil }
        }
        #expect(Set(reads.map(\.0)) == [.documentGaps, .breaches] && reads.allSatisfy { $0.1 == 0..<1 })

        // Before the rows come, the frame shows the headings and blank rows — and reads nothing itself.
        let early = view(s, width: 120, height: 40).text
        #expect(early.contains("Binnacle › Risk (tag pii)") && early.contains("DOCUMENT MATRIX") && !early.contains("Model m4"))
        #expect(gaps.reads == 0 && breaches.reads == 0)

        // The loop reads the rows: the frame shows them, and the state has nothing more to ask for.
        (s, effects) = update(s, .rowsRead(token: token, key: lists.key, .documentGaps, RowCache(range: 0..<1, rows: gaps.rows(0..<1))))
        (s, effects) = update(s, .rowsRead(token: token, key: lists.key, .breaches, RowCache(range: 0..<1, rows: breaches.rows(0..<1))))
        #expect(effects.isEmpty)
        let frame = view(s, width: 120, height: 40)
        let text = frame.text
        #expect(text.contains("MODELS SENSITIVE TO “pii” — carrying the tag or depending on it at any depth (2)"))
        #expect(text.contains("carries the tag") && text.contains("via ds-customers (2 steps up)"))
        #expect(text.contains("1 of the 9 built models") && text.contains("Model m4") && text.contains("— none —"))
        #expect(text.contains("REVIEWS DUE") && text.contains("20d"))
        #expect(gaps.reads == 1 && breaches.reads == 1)
        // Drawing twice draws the same: the view changed nothing.
        #expect(view(s, width: 120, height: 40) == frame)

        // Keys: the second exposed model opens on its lineage tab, through its Target — no read needed to decide.
        (s, effects) = update(s, .key(.down))
        (s, effects) = update(s, .key(.enter))
        #expect(s.page.kind == .model("m2") && s.page.tab == .lineage)
        guard case .load(_, let modelRequest)? = effects.first else { Issue.record("expected the model page's read"); return }
        #expect(modelRequest.kind == .model("m2"))
        (s, _) = update(s, .key(.escape))
        #expect(s.page.kind == .screen(.risk) && s.page.data != nil && s.page.selection == 1)
    }

    /// Esc clears a `/` filter first, then the `:tag` search (the page is read again without it), and
    /// only then leaves the screen.
    @Test func escapeEndsATagSearchBeforeLeaving() throws {
        var (s, effects) = update(state, .show(.overview))
        (s, effects) = update(s, .command("tag pii"))
        guard case .load(let token, _)? = effects.first else { Issue.record("expected a load"); return }
        (s, _) = update(s, .pageLoaded(token: token, asOf: asOf, .data(.risk(reviews: [], exposure: []), critical: nil)))
        for key in "/m" { (s, _) = update(s, .key(.character(key))) }
        (s, _) = update(s, .key(.enter))
        (s, _) = update(s, .key(.escape))
        #expect(s.page.filterText.isEmpty && s.page.tag == "pii")
        (s, effects) = update(s, .key(.escape))
        #expect(s.page.kind == .screen(.risk) && s.page.tag == nil && s.status.contains("cleared"))
        guard case .load(_, let request)? = effects.first else { Issue.record("expected the page read again, got \(effects)"); return }
        #expect(request.tag == nil)
        #expect(!view(s, width: 120, height: 40).text.contains("Risk (tag pii)"))
    }

    @Test func typingAFilterQueriesTheListsAgainButNotThePage() throws {
        var (s, effects) = update(state, .show(.risk))
        guard case .load(let token, _)? = effects.first else { Issue.record("expected a load"); return }
        (s, effects) = update(s, .pageLoaded(token: token, asOf: asOf, .data(.risk(reviews: [], exposure: nil), critical: nil)))
        (s, effects) = update(s, .listsQueried(token: token, key: "", PageLists(key: "", handles: [:]), modelCount: nil))
        #expect(effects.isEmpty)
        #expect(view(s, width: 80, height: 24).text.contains("Type :tag pii"))
        for key in "/pii" { (s, effects) = update(s, .key(.character(key))) }
        guard case .queryLists(_, let request)? = effects.first, effects.count == 1 else { Issue.record("expected the lists again, got \(effects)"); return }
        #expect(request.text == "pii" && s.page.data != nil)
        #expect(view(s, width: 80, height: 24).text.contains("/pii█"))
    }

    /// A page read with its lists asks for the rows on screen at once, and never again while they are on their way
    /// (each arrival makes the page's lines again: asking twice read a window twice and made the lines three times).
    @Test func rowsAskedForAreNotAskedForAgainBeforeTheyArrive() throws {
        var (s, effects) = update(state, .show(.risk))
        guard case .load(let token, let request)? = effects.first else { Issue.record("expected a load"); return }
        let gaps = CountingWindow([DocumentMatrixRow(modelId: "m4", name: "Model m4", domain: "Lending", stage: .production, riskTier: .high,
                                                     cells: [.current, .missing, .expired, .draft, .notRequired])])
        let breaches = CountingWindow([model("m5", validator: nil)])
        let lists = PageLists(key: request.lists.key, handles: [.documentGaps: .documentGaps(gaps, built: 9), .breaches: .models(breaches)])
        (s, effects) = update(s, .pageLoaded(token: token, asOf: asOf, .data(.risk(reviews: [], exposure: nil), critical: [], lists: lists)))
        func reads(_ effects: [Effect]) -> [ListID] {
            effects.compactMap { if case .readRows(_, _, let list, _, _) = $0 { return list } else { return nil } }
        }
        #expect(Set(reads(effects)) == [.documentGaps, .breaches] && effects.count == 2)
        (s, effects) = update(s, .rowsRead(token: token, key: lists.key, .documentGaps, RowCache(range: 0..<1, rows: gaps.rows(0..<1))))
        #expect(effects.isEmpty, "the breaches' rows are on their way: \(effects)")
        (s, effects) = update(s, .rowsRead(token: token, key: lists.key, .breaches, RowCache(range: 0..<1, rows: breaches.rows(0..<1))))
        #expect(effects.isEmpty)
        #expect(view(s, width: 120, height: 40).text.contains("Model m5"))
    }

    @Test func aConfirmedWriteIsAnEffectAndItsOutcomeAMessage() throws {
        var s = state
        s.startApprove(modelId: "m1", kind: .modelCard, version: "3")
        #expect(view(s, width: 100, height: 30).text.contains("Expires   2027-03-15█"))   // a year on
        var effects: [Effect]
        (s, effects) = update(s, .key(.enter))
        #expect(view(s, width: 100, height: 30).text.contains("Approve m1 model_card version 3, expiring 2027-03-15?  [y/N]"))
        (s, effects) = update(s, .key(.character("y")))
        guard case .write(let write)? = effects.first else { Issue.record("expected the write, got \(effects)"); return }
        (s, effects) = update(s, .written(write, done: "", refusal: nil))
        #expect(s.status == "✓ approved m1 model_card version 3, expires 2027-03-15")
        #expect(effects.contains { if case .prepare = $0 { return true } else { return false } })
        (s, _) = update(s, .written(write, done: nil, refusal: "refused: you are rita"))
        #expect(s.status == "refused: you are rita" && s.statusIsError)
    }
}

/// The mouse (`--mouse`), through `update` with the clicks the terminal decodes: a row, a column
/// title, a screen's tab, a model's tab.
extension AppUpdateTests {
    func task(_ id: String, _ title: String, due: Int) -> RemediationTask {
        RemediationTask(id: id, modelId: "m-\(id)", title: title, assignee: "bob", assignedBy: "rita", priority: .p2,
                        createdAt: Timestamp(day: asOf.adding(days: -30)), dueAt: Timestamp(day: asOf.adding(days: due)), status: .open)
    }

    /// The Tasks screen with three tasks read. At 120×40: row 0 the breadcrumbs, 1 the screens' tabs,
    /// 2 the count, 3 the column titles, 4… the tasks.
    var tasksScreen: AppState {
        var (s, effects) = update(state, .show(.tasks))
        guard case .load(let token, _)? = effects.first else { Issue.record("expected a load, got \(effects)"); return s }
        let tasks = [task("T-2", "Beta", due: 5), task("T-3", "Gamma", due: 9), task("T-1", "Alpha", due: 7)]
        (s, effects) = update(s, .pageLoaded(token: token, asOf: asOf, .data(.tasks(tasks, names: [:]), critical: [])))
        return s
    }

    @Test func aClickSelectsARowAndOnTheSelectedRowOpensIt() throws {
        var (s, _) = update(tasksScreen, .key(.click(x: 40, y: 6)))
        #expect(s.page.selection == 2 && s.page.kind == .screen(.tasks))
        (s, _) = update(s, .key(.click(x: 40, y: 3 + 20)))       // below the last row: nothing
        #expect(s.page.selection == 2)
        (s, _) = update(s, .key(.click(x: 40, y: 6)))           // the selected row: opened, as Enter
        #expect(s.page.kind == .model("m-T-1") && s.page.tab == .tasks)
    }

    @Test func aClickOnAColumnTitleSortsByItAndAgainReverses() throws {
        var s = tasksScreen
        #expect(view(s, width: 120, height: 40).lines[4].contains("T-2"))   // open tasks in their order: T-2, T-3, T-1
        (s, _) = update(s, .key(.click(x: 3, y: 3)))            // ID
        var text = view(s, width: 120, height: 40)
        #expect(text.lines[3].contains("ID▲") && s.status == "sorted by id")
        #expect(text.lines[4...6].map { $0.contains("T-1") } == [true, false, false])
        #expect(text.lines[6].contains("T-3"))
        (s, _) = update(s, .key(.click(x: 3, y: 3)))            // again: descending
        text = view(s, width: 120, height: 40)
        #expect(text.lines[3].contains("ID▼") && text.lines[4].contains("T-3") && s.status == "sorted by id, descending")
        // The same as the sort keys: > from here moves to the next column.
        (s, _) = update(s, .key(.character(">")))
        #expect(view(s, width: 120, height: 40).lines[3].contains("P▼") && s.status == "sorted by p, descending")
    }

    @Test func aClickOnAScreensTabShowsIt() throws {
        // " 1 Overview " from column 1, then " 2 Models ", " 3 Alerts ", " 4 Risk ", " 5 People ", " 6 Tasks ", " 7 Audit ".
        var (s, _) = update(tasksScreen, .key(.click(x: 62, y: 1)))
        #expect(s.page.kind == .screen(.audit))
        (s, _) = update(s, .key(.click(x: 15, y: 1)))
        #expect(s.page.kind == .screen(.models))
        (s, _) = update(s, .key(.click(x: 119, y: 1)))          // past the last tab: nothing
        #expect(s.page.kind == .screen(.models))
    }
}

extension AppUpdateTests {
    /// `:asof` completes today and the report's month-ends (the 12 its trend is taken at), newest first.
    @Test func asofCompletesTodayAndTheReportsMonthEnds() {
        var (s, effects) = update(state, .key(.character(":")))
        for c in "asof " { (s, effects) = update(s, .key(.character(c))) }
        (s, effects) = update(s, .key(.tab))
        #expect(!effects.contains { if case .complete = $0 { return true } else { return false } })   // nothing to read
        #expect(s.completions.count == 13 && s.completions.first == "2026-03-15" && s.completions[1] == "2026-02-28"
                && s.completions.last == "2025-03-31", "\(s.completions)")
        #expect(s.prompt == ":asof 202")
        let lines = view(s, width: 120, height: 40).lines   // the list just above the prompt: nine, then how many more
        #expect(lines[28].contains("2026-03-15") && lines[36].contains("2025-07-31") && lines[37].contains("4 more"), "\(lines[28...38])")
        for c in "5-03" { (s, effects) = update(s, .key(.character(c))) }
        (s, effects) = update(s, .key(.tab))
        #expect(s.prompt == ":asof 2025-03-31")
        (s, effects) = update(s, .key(.enter))
        #expect(s.asOf == Day("2025-03-31")!)
    }
}
