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
