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
        d.show(screen: .alerts)
        _ = d.render(width: 120, height: 40)
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
