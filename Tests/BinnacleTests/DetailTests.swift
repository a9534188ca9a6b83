@testable import BinnacleApp
import BinnacleCore
import Testing
import TerminalUI

/// `d` (or Enter where there is nothing to drill into) shows a line in full.
@Suite struct DetailTests {
    func text(_ d: Dashboard, _ w: Int = 120, _ h: Int = 40) -> String { d.render(width: w, height: h).text }

    @Test func anAuditEntryInFullWithItsHashesAndJSON() throws {
        let d = try DashboardFixture.dashboard()
        d.show(screen: .audit)
        _ = d.render(width: 80, height: 24)
        _ = d.handle(.enter)                         // the import: about the inventory, nothing to drill into
        guard case .detail(let row) = d.page.kind, case .audit(let entry)? = row.target else {
            Issue.record("Enter on an audit entry opened \(d.page.kind)"); return
        }
        let shown = text(d, 80, 60)
        #expect(shown.contains("import.bundle") && shown.contains("HASH") && shown.contains("PREVIOUS"))
        #expect(shown.contains(String(entry.hash.prefix(60))))   // wrapped at 80 columns, not cut
        #expect(shown.contains("\"source\": \"/tmp/binnacle-dashboard-fixture"))   // the detail laid out as JSON
        _ = d.handle(.escape)
        #expect(d.page.kind == .screen(.audit))
        // An entry about a model: Enter opens the model's audit, `d` the entry.
        _ = d.handle(.down)
        _ = d.handle(.enter)
        #expect(d.page.modelId != nil && d.page.tab == .audit)
        _ = d.handle(.escape)
        _ = d.handle(.character("d"))
        #expect(text(d).contains("document.approve") && text(d).contains("\"kind\": "))
    }

    @Test func aTaskWithItsHistoryFromTheAuditLog() throws {
        let d = try DashboardFixture.dashboard()
        d.openModel("restaurant-merchant-recommender", tab: .tasks)
        _ = d.render(width: 120, height: 40)
        _ = d.handle(.enter)                         // on the model's own page: the task in full
        let shown = text(d)
        #expect(shown.contains("HISTORY (1)") && shown.contains("task.assign"))
        _ = d.handle(.enter)                         // the history's entry in full, before/after
        #expect(text(d).contains("\"after\": {") && text(d).contains("\"id\": \"T-000002\""))
        _ = d.handle(.escape); _ = d.handle(.escape)
        #expect(d.page.modelId == "restaurant-merchant-recommender" && d.page.tab == .tasks)
    }

    @Test func aDocumentWithItsLinkAndAnyLineOfAnyList() throws {
        let d = try DashboardFixture.dashboard()
        d.openModel("restaurant-merchant-recommender", tab: .documents)
        _ = d.render(width: 80, height: 24)
        _ = d.handle(.enter)
        #expect(text(d, 80, 24).contains("LINK"))
        d.show(screen: .people)
        _ = d.render(width: 80, height: 24)
        _ = d.handle(.character("d"))
        guard case .detail(let row) = d.page.kind else { Issue.record("d opened \(d.page.kind)"); return }
        #expect(row.titles.first == "MODEL" && row.cells.count == row.titles.count)
    }

    @Test func jsonLaidOutInItsOwnOrder() {
        #expect(JSONLines.indented(#"{"b":1,"a":{"x":"s,\"}{","e":[]},"c":[1,2]}"#) == [
            "{", "  \"b\": 1,", "  \"a\": {", "    \"x\": \"s,\\\"}{\",", "    \"e\": []", "  },", "  \"c\": [", "    1,", "    2", "  ]", "}",
        ])
        #expect(JSONLines.indented("plain text") == ["plain text"])
    }
}

@Suite struct DetailSnapshotTests {
    @Test func auditEntryAndTask() throws {
        for (w, h) in [(80, 24), (200, 60)] {
            let d = try DashboardFixture.dashboard()
            d.show(screen: .audit)
            _ = d.render(width: w, height: h)
            _ = d.handle(.down)
            _ = d.handle(.character("d"))
            try expectSnapshot(d.render(width: w, height: h), "detail-audit-\(w)x\(h)")
            let t = try DashboardFixture.dashboard()
            t.show(screen: .tasks)
            _ = t.render(width: w, height: h)
            _ = t.handle(.character("d"))
            try expectSnapshot(t.render(width: w, height: h), "detail-task-\(w)x\(h)")
        }
    }
}

/// Every message and refusal is kept (the last 50) and listed by `m` or `:messages`.
@Suite struct MessageLogTests {
    @Test func messagesAreKeptAndListed() throws {
        let d = try DashboardFixture.dashboard()
        _ = d.render(width: 80, height: 24)
        d.run(command: "frobnicate")
        d.run(command: "tier 3")
        _ = d.handle(.character("m"))
        guard case .messages(let messages) = d.page.kind else { Issue.record("m opened \(d.page.kind)"); return }
        #expect(messages.first == Message(text: "models: tier 3", error: false))
        #expect(messages.dropFirst().first.map { $0.error && $0.text.hasPrefix("unknown command 'frobnicate'") } == true)
        let shown = d.render(width: 80, height: 24).text
        #expect(shown.contains("Binnacle › Models (tier 3) › Messages") && shown.contains("error") && shown.contains("unknown command"))
        _ = d.handle(.down)
        _ = d.handle(.enter)                         // one in full, wrapped
        #expect(d.render(width: 80, height: 24).text.contains("commands: asof, today"))
        _ = d.handle(.escape); _ = d.handle(.escape)
        #expect(d.page.kind == .screen(.models))
        for n in 0..<60 { d.run(command: "asof 2026-01-\(String(format: "%02d", n % 28 + 1))") }
        d.run(command: "messages")
        guard case .messages(let kept) = d.page.kind else { Issue.record(":messages opened \(d.page.kind)"); return }
        #expect(kept.count == AppState.messagesKept && kept.first?.text == "as of 2026-01-04")
    }
}

@Suite struct MessageLogSnapshotTests {
    @Test func messageLog() throws {
        for (w, h) in [(80, 24), (200, 60)] {
            let d = try DashboardFixture.dashboard()
            _ = d.render(width: w, height: h)
            d.run(command: "stage nonsense")
            d.run(command: "export csv")
            d.run(command: "tier 1")
            _ = d.handle(.character("m"))
            try expectSnapshot(d.render(width: w, height: h), "messages-\(w)x\(h)")
        }
    }
}
