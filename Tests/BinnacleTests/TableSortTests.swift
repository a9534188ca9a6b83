@testable import BinnacleApp
import BinnacleCore
import Foundation
import Testing
import TerminalUI

/// `>` `<` sort any list in memory by any shown column, `S` reverses; the header marks it and
/// `:export` writes the rows in that order.
@Suite struct TableSortTests {
    @Test func anyColumnOfAListInMemory() throws {
        let dir = try TempDir()
        let d = try DashboardFixture.dashboard()
        d.show(screen: .people)
        _ = d.render(width: 120, height: 40)
        _ = d.handle(.down)                          // into the PEOPLE list (below one orphan)
        _ = d.handle(.character(">"))                // its first column: NAME
        _ = d.handle(.character(">"))                // LOGIN
        #expect(d.status == "sorted by login")
        #expect(d.render(width: 120, height: 40).text.contains("LOGIN▲"))
        d.run(command: "export csv \(dir.path("a.csv"))")
        let logins = try String(contentsOfFile: dir.path("a.csv"), encoding: .utf8).split(separator: "\n").dropFirst()
            .map { String($0.split(separator: ",")[1]) }
        #expect(logins.count > 10 && logins == logins.sorted())
        _ = d.handle(.character("S"))
        #expect(d.render(width: 120, height: 40).text.contains("LOGIN▼"))
        d.run(command: "export! csv \(dir.path("a.csv"))")
        let reversed = try String(contentsOfFile: dir.path("a.csv"), encoding: .utf8).split(separator: "\n").dropFirst()
            .map { String($0.split(separator: ",")[1]) }
        #expect(reversed == logins.sorted().reversed())
        // The selection opens at the first row of the new order (below the one orphan); `<` goes back to NAME.
        #expect(d.page.selection == 1)
        _ = d.handle(.character("<"))
        #expect(d.status == "sorted by name, descending")
    }

    @Test func numbersSortAsNumbers() {
        #expect(["10d", "9d", "—", "100%", "-3"].sorted(by: TableSort.before) == ["-3", "9d", "10d", "100%", "—"])
    }

    @Test func aListInTheDatabaseSaysItKeepsItsOrder() throws {
        let d = try DashboardFixture.dashboard()
        d.show(screen: .risk)
        _ = d.render(width: 120, height: 40)
        for _ in 0..<9 { _ = d.handle(.down) }       // past the 9 document gaps, into the independence breaches
        #expect(d.render(width: 120, height: 40).lines[19].hasPrefix("›Complaint severity scorer"))
        _ = d.handle(.character(">"))
        #expect(d.status.contains("keeps its order"))
        d.show(screen: .models)
        _ = d.render(width: 120, height: 40)
        _ = d.handle(.character(">"))
        #expect(d.status == "sorted by domain" && d.render(width: 120, height: 40).text.contains("DOMAIN▲"))
    }

    @Test func goldenTasksSortedByDue() throws {
        for (w, h) in [(80, 24), (200, 60)] {
            let d = try DashboardFixture.dashboard()
            d.show(screen: .tasks)
            _ = d.render(width: w, height: h)
            _ = d.handle(.character("<"))            // the last shown column: LATE
            _ = d.handle(.character("S"))
            try expectSnapshot(d.render(width: w, height: h), "tasks-sorted-\(w)x\(h)")
        }
    }
}

/// `y` copies the selected id through the terminal (OSC 52), only when the session allows it.
@Suite struct ClipboardTests {
    @Test func offUnlessAllowedThenTheSanitisedID() throws {
        let d = try DashboardFixture.dashboard()
        d.show(screen: .models)
        let terminal = MemoryTerminal(width: 80, height: 24)
        terminal.keys = [.character("y")]
        d.run(on: terminal, shouldStop: { terminal.keys.isEmpty && terminal.framesDrawn > 0 }, clock: { 0 })
        #expect(terminal.copied.isEmpty && d.status.contains("copying is off"))
        let e = try DashboardFixture.dashboard()
        e.allowClipboard()
        e.show(screen: .models)
        let allowed = MemoryTerminal(width: 80, height: 24)
        allowed.keys = [.down, .character("y")]
        e.run(on: allowed, shouldStop: { allowed.keys.isEmpty && allowed.framesDrawn > 0 }, clock: { 0 })
        #expect(allowed.copied.count == 1 && e.status == "copied \(allowed.copied[0])")
        #expect(allowed.copied.first.map { !$0.isEmpty && !$0.contains(" ") } == true)
        // A hostile id shows its control characters as pictures: nothing in it can act on the terminal.
        #expect(Target.model("evil\u{1B}]52;c;x\u{7}", .summary).copyText.map { DisplayWidth.sanitize($0) } == "evil␛]52;c;x␇")
    }
}

/// The alerts and the document gaps, read from the database a window at a time, sort there by any
/// column they show (but the alert's open task, read with each window): `>` `<` `S` and a click on a
/// title, the header marking it, blanks last either way.
@Suite struct DatabaseListSortTests {
    func rows(_ d: Dashboard, _ range: ClosedRange<Int>) -> [String] { Array(d.render(width: 120, height: 40).lines[range]) }
    func names(_ d: Dashboard) -> [String] { rows(d, 3...7).map { String($0.dropFirst(13).prefix(30)).trimmingSpaces } }

    @Test func theAlertsSortByAnyColumnButTheirTask() throws {
        let d = try DashboardFixture.dashboard()
        d.show(screen: .alerts)
        #expect(names(d).first == "Card spend forecast 3")   // critical first
        _ = d.handle(.character(">"))
        #expect(d.status == "sorted by severity" && rows(d, 2...2)[0].contains("SEVERITY▲") && names(d).first == "Card spend forecast 3")
        _ = d.handle(.character(">"))
        #expect(d.status == "sorted by model" && rows(d, 2...2)[0].contains("MODEL▲"))
        #expect(names(d) == ["Card spend forecast 3", "Early arrears propensity", "Restaurant & me…nt recommender",
                             "Restaurant & me…nt recommender", "SME credit scorecard"], "\(names(d))")
        _ = d.handle(.character("S"))
        #expect(rows(d, 2...2)[0].contains("MODEL▼") && names(d).first == "SME credit scorecard")
        _ = d.handle(.character("<")); _ = d.handle(.character("<"))   // back past SEVERITY to the last: AGE
        #expect(d.status == "sorted by age, descending" && names(d).first == "Early arrears propensity")   // 74 days
        // A click on a title sorts by it; on the open task (read with each window) it says it cannot.
        let header = rows(d, 2...2)[0]
        let observed = header.distance(from: header.startIndex, to: header.range(of: "OBSERVED")!.lowerBound)
        _ = d.handle(.click(x: observed, y: 2))
        #expect(d.status == "sorted by observed" && names(d).first == "Early arrears propensity")   // the oldest first
        let task = header.distance(from: header.startIndex, to: header.range(of: "OPEN TASK")!.lowerBound)
        _ = d.handle(.click(x: task, y: 2))
        #expect(d.status.contains("does not sort by open task") && rows(d, 2...2)[0].contains("OBSERVED▲"))
        // :export writes the order shown.
        let dir = try TempDir()
        d.run(command: "export csv \(dir.path("a.csv"))")
        let exported = try String(contentsOfFile: dir.path("a.csv"), encoding: .utf8).split(separator: "\n").dropFirst()
        #expect(exported.first?.contains("Early arrears propensity") == true && exported.count == 5)
    }

    /// A click on a model page's tab strip switches to the tab under it, at the place the strip draws it.
    @Test func aClickOnAModelsTabSwitchesToIt() throws {
        let d = try DashboardFixture.dashboard()
        d.openModel("restaurant-merchant-recommender", tab: .summary)
        let strip = rows(d, 3...3)[0]   // the body's second line (the first is the model's name)
        for tab in DetailTab.allCases.reversed() {
            let x = strip.distance(from: strip.startIndex, to: strip.range(of: " \(tab.title) ")!.lowerBound) + 1
            _ = d.handle(.click(x: x, y: 3))
            #expect(d.page.tab == tab, "clicked \(tab.title) at \(x)")
        }
        _ = d.handle(.click(x: strip.count - 2, y: 3))   // the hint at the end: no tab
        #expect(d.page.tab == DetailTab.allCases.first)
    }

    @Test func theDocumentGapsSortByTheirModelTierAndEachKind() throws {
        let d = try DashboardFixture.dashboard()
        d.show(screen: .risk)
        func gaps() -> [String] { rows(d, 7...15) }
        let header = rows(d, 6...6)[0]
        let card = header.distance(from: header.startIndex, to: header.range(of: "CARD")!.lowerBound)
        _ = d.handle(.click(x: card, y: 6))
        #expect(d.status == "sorted by card" && rows(d, 6...6)[0].contains("CARD▲"))
        let cards = gaps().map { String($0[$0.index($0.startIndex, offsetBy: card)]) }
        #expect(cards == ["✓", "✓", "✓", "✓", "✓", "E", "E", "E", "D"], "\(gaps())")
        _ = d.handle(.character(">"))                // VAL: the validation report
        _ = d.handle(.character("S"))
        #expect(d.status == "sorted by val, descending" && rows(d, 6...6)[0].contains("VAL▼"))
        #expect(gaps().first?.contains("SME credit scorecard") == true)              // expired first
        #expect(gaps().last?.contains("Agent-assist answer drafter 2") == true)     // not required: last either way
        _ = d.handle(.character("S"))
        #expect(gaps().last?.contains("Agent-assist answer drafter 2") == true && gaps().first?.contains(" ✓ ") == true)
    }
}

/// Golden screens of the Alerts screen: sorted by a column in the database, and the assign form naming
/// the open task it would duplicate.
@Suite struct AlertsGoldenTests {
    @Test func sortedByAgeAndTheAssignFormsDuplicateWarning() throws {
        for (w, h) in [(80, 24), (200, 60)] {
            let d = try DashboardFixture.dashboard()
            d.show(screen: .alerts)
            _ = d.render(width: w, height: h)
            _ = d.handle(.character("<"))            // the last shown column it sorts by
            _ = d.handle(.character("S"))
            try expectSnapshot(d.render(width: w, height: h), "alerts-sorted-\(w)x\(h)")
            let a = try DashboardFixture.dashboard()
            a.show(screen: .alerts)
            _ = a.render(width: w, height: h)
            _ = a.handle(.down)                      // the recommender's ctr alert: T-000002 is open on it
            _ = a.handle(.character("a"))
            #expect(a.render(width: w, height: h).text.contains("open task on this model: T-000002"))
            try expectSnapshot(a.render(width: w, height: h), "alerts-assign-duplicate-\(w)x\(h)")
        }
    }
}
