@testable import BinnacleApp
import Testing
import TerminalUI

/// Issue 13, "you lose your place": headings stay while rows scroll, a new result opens at its top,
/// the help scrolls to its last key, messages are not cut short.
@Suite struct ListPlaceTests {
    let header = Theme.monochrome.style(.header)

    func headerRow(_ grid: Grid) -> Int? {
        (2..<grid.height).first { y in (0..<grid.width).contains { grid[$0, y].style == header } }
    }

    @Test func modelsKeepTheirCountAndColumnTitlesAfterPagingDown() throws {
        let d = try DashboardFixture.dashboard()
        d.show(screen: .models)
        _ = d.render(width: 80, height: 24)
        for _ in 0..<3 { _ = d.handle(.pageDown) }
        let grid = d.render(width: 80, height: 24)
        #expect(d.state.page.scroll > 0)
        #expect(grid.lines[2].contains("of 40 models"), "\(grid.text)")
        #expect(grid.lines[3].contains("NAME") && headerRow(grid) == 3, "\(grid.text)")
        #expect(grid.lines[22].hasSuffix("rows 23–40 of 40"), "\(grid.lines[22])")
        // The selected (last) model is on screen, under the heading.
        #expect(grid.lines.contains { $0.hasPrefix("›") })
    }

    @Test(arguments: [ScreenID.models, .risk, .people, .tasks, .alerts, .audit])
    func everyListKeepsItsColumnTitlesOnScreen(screen: ScreenID) throws {
        let d = try DashboardFixture.dashboard()
        d.show(screen: screen)
        _ = d.render(width: 80, height: 24)
        for _ in 0..<3 {
            _ = d.handle(.pageDown)
            let grid = d.render(width: 80, height: 24)
            let y = try #require(headerRow(grid), "no column titles on \(screen):\n\(grid.text)")
            #expect(y <= 5, "column titles on row \(y) of \(screen):\n\(grid.text)")
        }
    }

    @Test func aNewResultOpensAtItsTop() throws {
        let d = try DashboardFixture.dashboard()
        d.show(screen: .risk)
        _ = d.render(width: 80, height: 24)
        for _ in 0..<4 { _ = d.handle(.pageDown) }
        #expect(d.state.page.scroll > 0)
        d.run(command: "tag pii")
        let grid = d.render(width: 80, height: 24)
        #expect(d.state.page.selection == 0 && d.state.page.scroll == 0)
        #expect(grid.lines[2].contains("MODELS SENSITIVE TO “pii”"), "\(grid.text)")
        // A re-sort of Models too.
        d.show(screen: .models)
        _ = d.render(width: 80, height: 24)
        for _ in 0..<2 { _ = d.handle(.pageDown) }
        _ = d.handle(.character("s"))
        _ = d.render(width: 80, height: 24)
        #expect(d.state.page.selection == 0 && d.state.page.scroll == 0)
    }

    @Test func helpScrollsToItsLastKeyAt80x24() throws {
        let d = try DashboardFixture.dashboard()
        _ = d.render(width: 80, height: 24)
        _ = d.handle(.character("?"))
        let last = try #require(KeyMap.bindings.last?.help)
        let first = d.render(width: 80, height: 24).text
        #expect(first.contains("move up") && !first.contains(last))
        _ = d.handle(.pageDown)
        _ = d.handle(.pageDown)
        let end = d.render(width: 80, height: 24).text
        #expect(end.contains(last) && !end.contains("move up"), "\(end)")
        #expect(end.contains("of \(AppState.helpLines(width: 80, on: .overview).count)"))
        _ = d.handle(.up)
        #expect(d.state.showHelp)
        _ = d.handle(.escape)
        #expect(!d.state.showHelp && d.state.helpScroll == 0)
        #expect(!d.render(width: 80, height: 24).text.contains(last))
    }

    /// `?` lists the keys of the page shown first (from the key table), then those that work everywhere.
    @Test func helpListsThisScreensKeysFirst() throws {
        func text(_ lines: [[Span]]) -> [String] { lines.map { $0.map(\.text).joined().trimmingSpaces } }
        let models = text(AppState.helpLines(width: 120, on: .models))
        #expect(models.first == "On the Models screen" && models.contains("Everywhere"))
        let sort = try #require(models.firstIndex { $0.hasPrefix("s ") }), up = try #require(models.firstIndex { $0.contains("move up") })
        #expect(sort < models.firstIndex(of: "Everywhere")! && models.firstIndex(of: "Everywhere")! < up)
        #expect(!models.contains { $0.contains("approve the selected document") })
        let model = text(AppState.helpLines(width: 120, on: .model))
        #expect(model.first == "On a model's page" && model.contains { $0.hasPrefix("A ") && $0.contains("with its expiry") })
        #expect(model.contains { $0.contains("next tab") })
        let detail = text(AppState.helpLines(width: 120, on: .detail))
        #expect(detail.first == "Everywhere")   // nothing of its own
        // Every binding is listed on some page, and the ones of every page on each.
        let everywhere = KeyMap.bindings.filter { $0.on == nil }.map(\.help)
        for place in Place.allCases {
            let lines = text(AppState.helpLines(width: 200, on: place))
            #expect(everywhere.allSatisfy { help in lines.contains { $0.hasSuffix(help) } }, "\(place)")
        }
        for b in KeyMap.bindings {
            #expect(Place.allCases.contains { place in text(AppState.helpLines(width: 200, on: place)).contains { $0.hasSuffix(b.help) } }, "\(b.help)")
        }
        // The popup shows the page's own.
        let d = try DashboardFixture.dashboard()
        d.show(screen: .models)
        _ = d.handle(.character("?"))
        #expect(d.render(width: 80, height: 24).text.contains("On the Models screen"))
    }

    @Test func messagesUseTheWholeLineAndWrapWhenLonger() throws {
        let d = try DashboardFixture.dashboard()
        d.show(screen: .models)
        _ = d.render(width: 80, height: 24)
        var s = d.state
        let medium = "refused: dvarga is a validator; only an owner or admin may do this here"   // 72 columns
        s.say(medium, error: true)
        #expect(view(s, width: 80, height: 24).lines[22] == " " + medium)
        let long = "refused: the assignee lee is inactive since 2026-01-31; choose an active person from the people screen, or reactivate lee first"
        s.say(long, error: true)
        let lines = view(s, width: 80, height: 24).lines
        let shown = lines[20...22].map { $0.trimmingSpaces }.joined(separator: " ")
        #expect(shown.hasSuffix(long), "\(lines[20...22])")
        #expect(lines[23].contains("READ-ONLY") || lines[23].contains("dvarga"))   // the footer stays
    }
}

/// Golden screens of the behaviours above (Tests/BinnacleTests/Snapshots).
@Suite struct ListPlaceSnapshotTests {
    @Test func modelsAfterPagingDownAndHelpAtItsEnd() throws {
        let d = try DashboardFixture.dashboard()
        d.show(screen: .models)
        _ = d.render(width: 80, height: 24)
        for _ in 0..<3 { _ = d.handle(.pageDown) }
        try expectSnapshot(d.render(width: 80, height: 24), "models-pgdn3-80x24")
        let h = try DashboardFixture.dashboard()
        _ = h.render(width: 80, height: 24)
        _ = h.handle(.character("?"))
        try expectSnapshot(h.render(width: 80, height: 24), "help-80x24")
        _ = h.handle(.end)
        try expectSnapshot(h.render(width: 80, height: 24), "help-end-80x24")
        // Per screen: the Models screen's keys, a model page's (on its Documents tab) first.
        let m = try DashboardFixture.dashboard()
        m.show(screen: .models)
        _ = m.render(width: 80, height: 24)
        _ = m.handle(.character("?"))
        try expectSnapshot(m.render(width: 80, height: 24), "help-models-80x24")
        let p = try DashboardFixture.dashboard()
        p.openModel("restaurant-merchant-recommender", tab: .documents)
        _ = p.render(width: 80, height: 24)
        _ = p.handle(.character("?"))
        try expectSnapshot(p.render(width: 80, height: 24), "help-model-80x24")
    }
}
