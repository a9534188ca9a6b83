@testable import BinnacleApp
import BinnacleBundle
@testable import BinnacleCLI
import BinnacleCore
@testable import BinnacleStore
import Foundation
import GRDB
import Testing
import TerminalUI

/// The dashboard's first look at a new date: the overview's numbers from one sweep of the inventory
/// (ScreenReader.firstLook) before the date's lists are derived. It must show what the lists show
/// once derived: the same KPIs, by domain, the same alert count and top alerts in the same order.
@Suite struct FirstLookTests {
    /// The overview as the dashboard draws it from `data` (without the trend, as both reads give it).
    static func drawn(_ data: OverviewScreenData, asOf: Day) -> String {
        var state = AppState(env: AppEnvironment(theme: .monochrome, symbols: .unicode, label: "first-look.sqlite", readOnly: true,
                                                 actor: ("dvarga", nil)),
                             asOf: asOf, today: asOf)
        state.framed = true
        state.stack[0].data = .overview(data.report, alerts: data.alertCount, topAlerts: data.topAlerts)
        return view(state, width: 200, height: 60).text
    }

    /// KPIs equal, the money up to the rounding of summing in another order (as KPISweepTests has it).
    static func same(_ a: KPIs, _ b: KPIs) -> Bool {
        var x = a, y = b
        guard close(x.value12m, y.value12m), close(x.cost12m, y.cost12m), close(x.roi12m, y.roi12m) else { return false }
        (x.value12m, x.cost12m, x.roi12m) = (0, 0, nil)
        (y.value12m, y.cost12m, y.roi12m) = (0, 0, nil)
        return x == y
    }

    /// At each date: the first look on an empty cache, then the overview read from the lists derived.
    static func expectFirstLookIsTheListsOverview(_ inventory: Inventory, dates: [Day], top: Int = 8) throws {
        for d in dates {
            let cache = try StateCache(path: nil)
            let reader = ScreenReader(inventory: inventory, cache: cache)
            #expect(try !cache.isPrepared(asOf: d, from: inventory))
            let first = try #require(try reader.firstLook(asOf: d, top: top), "as of \(d)")
            try cache.prepare(asOf: d, from: inventory)
            let lists = try reader.overview(asOf: d, trend: false, top: top)
            #expect(same(first.report.kpis, lists.report.kpis), "as of \(d): \(first.report.kpis) vs \(lists.report.kpis)")
            #expect(first.report.domains.map(\.domain) == lists.report.domains.map(\.domain), "as of \(d)")
            for (a, b) in zip(first.report.domains, lists.report.domains) {
                #expect(same(a.kpis, b.kpis), "as of \(d), \(a.domain)")
            }
            #expect(first.report.coverage == lists.report.coverage && first.report.trend.isEmpty, "as of \(d)")
            #expect(first.alertCount == lists.alertCount, "as of \(d)")
            #expect(first.topAlerts == lists.topAlerts, "as of \(d)")
            #expect(drawn(first, asOf: d) == drawn(lists, asOf: d), "as of \(d)")
        }
    }

    @Test func onTheSamplePortfolio() throws {
        let dir = try TempDir()
        let inventory = try Inventory(path: dir.path("sample.sqlite"), mode: .create)
        _ = try inventory.importer.importBundle(directory: packageRoot.appendingPathComponent("sample-data").path, replace: false, actor: "test")
        let last = try #require(try inventory.read { try String.fetchOne($0, sql: "SELECT MAX(date) FROM value_records") }.flatMap(Day.init))
        let dates = [last, last.adding(days: -13), last.adding(days: -14), last.adding(days: -90), last.adding(days: -365)]
        try FirstLookTests.expectFirstLookIsTheListsOverview(inventory, dates: dates)
        // Every alert, not only the first eight.
        try FirstLookTests.expectFirstLookIsTheListsOverview(inventory, dates: [last], top: 10_000)
    }

    @Test func onTheHandComputedKPIFixtureAroundItsDate() throws {
        let inventory = try KPIFixtureTests.fixture().inventory()
        let dates = stride(from: -20, through: 20, by: 4).map { day("2025-06-30").adding(days: $0) } + [day("2024-06-30")]
        try FirstLookTests.expectFirstLookIsTheListsOverview(inventory, dates: dates, top: 10_000)
    }

    @Test func onAGeneratedPortfolio() throws {
        let dir = try TempDir()
        let end = day("2026-03-15")
        let inventory = try KPISweepTests.generated(models: 150, seed: 5, asOf: end, in: dir)
        try FirstLookTests.expectFirstLookIsTheListsOverview(inventory, dates: [end, end.adding(days: 14), day("2025-09-30")])
        try FirstLookTests.expectFirstLookIsTheListsOverview(inventory, dates: [end], top: 10_000)
    }

    /// The first look keeps the date's counts, so the trend read next does not sweep the date again;
    /// the lists' derivation replaces them.
    @Test func itsCountsAreKeptForTheTrend() throws {
        let inventory = DashboardFixture.inventory
        let cache = try StateCache(path: nil)
        let reader = ScreenReader(inventory: inventory, cache: cache)
        let d = DashboardFixture.asOf
        let first = try #require(try reader.firstLook(asOf: d, top: 8))
        let kept = try cache.db.read { db in try StateCache.storedCounts(db, day: d.description) }
        #expect(KPIs(Inventory.tally(kept).total) == first.report.kpis)
        #expect(try !cache.isPrepared(asOf: d, from: inventory))
        try cache.prepare(asOf: d, from: inventory)
        #expect(try cache.isPrepared(asOf: d, from: inventory))
    }

    /// A dashboard whose cache is on disk reads in the background (as the TUI does).
    static func backgroundDashboard(_ path: String, cache: String) throws -> Dashboard {
        let viewer = try Inventory(path: path, mode: .read, readOnly: true)
        let d = Dashboard(source: try StoreSource(viewer, login: "dvarga", cache: StateCache(path: cache)), asOf: DashboardFixture.asOf,
                          today: DashboardFixture.asOf, theme: .monochrome, symbols: .unicode)
        d.loadSlowPartsInBackground()
        return d
    }

    /// The screen as drawn when nothing is left to do in the background.
    static func settled(_ d: Dashboard) -> String {
        for _ in 0..<2000 {
            guard d.isLoading || d.collectBackground() else { break }
            usleep(5_000)
        }
        return d.render(width: 120, height: 40).text
    }

    /// A write from another process while the first look is shown (the lists not yet derived): the
    /// poll sees it, and what the overview settles on is the written inventory's, as read inline.
    @Test func aWriteFromElsewhereDuringTheFirstLookIsShown() throws {
        let dir = try TempDir()
        let path = dir.path("inv.sqlite")
        try FileManager.default.copyItem(atPath: DashboardFixture.inventory.path, toPath: path)
        let d = try FirstLookTests.backgroundDashboard(path, cache: dir.path("cache.sqlite"))
        #expect(d.render(width: 120, height: 40).text.contains("Working out the portfolio as of 2026-03-15"))
        #expect(!d.progress.numbers && !d.progress.trend)
        // Wait for the first look's numbers, then write before (or while) the lists are derived.
        for _ in 0..<400 where !d.progress.numbers {
            if !d.collectBackground() { usleep(5_000) }
        }
        #expect(d.progress.numbers)
        let before = d.render(width: 120, height: 40).text
        #expect(before.contains("KEY INDICATOR") && !before.contains("Working out"))
        // Another process's write waits for the background's read of the inventory to end, as any writer does.
        var waits = Configuration()
        waits.busyMode = .timeout(30)
        try DatabaseQueue(path: path, configuration: waits).write { db in
            try db.execute(sql: """
                INSERT INTO tasks (id, model_id, title, assignee, assigned_by, priority, created_at, due_at, status)
                SELECT 'T-first-look', id, 'written during the first look', business_owner, business_owner, 'p1',
                       '2026-03-01T00:00:00Z', '2026-03-10', 'open' FROM models ORDER BY id LIMIT 1
                """)
        }
        #expect(d.pollForChanges() == true)
        let after = FirstLookTests.settled(d)
        let inline = Dashboard(source: try StoreSource(try Inventory(path: path, mode: .read, readOnly: true), login: "dvarga"),
                               asOf: DashboardFixture.asOf, today: DashboardFixture.asOf, theme: .monochrome, symbols: .unicode)
        let expected = inline.render(width: 120, height: 40).text
        // The status line aside (the dashboard that polled may have said something there).
        #expect(after.split(separator: "\n").dropLast() == expected.split(separator: "\n").dropLast())
        #expect(after != before)
    }

    /// Background work started before a change is not shown after it: a first look or a trend read
    /// at an older generation is dropped.
    @Test func resultsOfAnOlderGenerationAreDropped() throws {
        let asOf = DashboardFixture.asOf
        var state = AppState(env: AppEnvironment(theme: .monochrome, symbols: .unicode, label: "x", readOnly: true, actor: ("dvarga", nil)),
                             asOf: asOf, today: asOf)
        state.env.background = true
        state.framed = true
        state.stack[0].data = .preparing
        let source = try StoreSource(DashboardFixture.inventory, login: "dvarga")
        let look = try #require(try source.firstLook(asOf: asOf, top: 8))
        var effects: [Effect] = []
        state.dataChanged(&effects)
        // The overview waiting for its first look is read again: a first look at the new generation.
        #expect(state.stack[0].data == nil)
        guard case .load(let token, let request)? = state.settle().first(where: { if case .load = $0 { return true } else { return false } }),
              request.generation == state.generation else { Issue.record("no read at the new generation"); return }
        state.apply(.pageLoaded(token: token, asOf: asOf, .data(.preparing, critical: nil)), &effects)
        state.apply(.background(Background.Done(job: .firstLook(asOf, generation: 0), overview: look)), &effects)
        guard case .preparing? = state.stack[0].data else { Issue.record("a first look of generation 0 was shown"); return }
        state.apply(.background(Background.Done(job: .firstLook(asOf, generation: state.generation), overview: look)), &effects)
        guard case .overview? = state.stack[0].data else { Issue.record("the current first look was not shown"); return }
        #expect(state.stack[0].firstLook == state.generation)
        // The trend joins it (still the first look's numbers); the lists derived at the same generation
        // keep it; after a change they replace it.
        state.apply(.background(Background.Done(job: .trend(asOf, generation: state.generation), report: look.report)), &effects)
        #expect(state.stack[0].firstLook == state.generation)
        state.apply(.background(Background.Done(job: .prepare(asOf, force: false))), &effects)
        #expect(state.stack[0].data != nil)
        state.dataChanged(&effects)
        state.apply(.background(Background.Done(job: .prepare(asOf, force: false))), &effects)
        #expect(state.stack[0].data == nil)
    }

    /// A source whose lists take until they are stopped.
    final class SlowListsSource: RecordingSource {
        let started = DispatchSemaphore(value: 0), stop = DispatchSemaphore(value: 0)
        override func isPrepared(asOf: Day) -> Bool { false }
        override func prepare(asOf: Day, force: Bool) throws {
            started.signal()
            stop.wait()
            throw CancellationError()
        }
        override func interrupt() { stop.signal() }
    }

    /// Moving to another date (`:asof`, the month keys) drops the jobs of the date left and stops the one
    /// running: the new date's first look does not wait seconds behind the old date's lists.
    @Test func anotherDatesFirstLookDoesNotWaitBehindTheListsOfTheLast() {
        let source = SlowListsSource()
        let background = Background(reader: source)
        let left = source.asOf, shown = left.adding(days: -31)
        background.start(.prepare(left, force: false))
        source.started.wait()
        background.start(.trend(left, generation: 0))
        background.start(.firstLook(shown, generation: 0))
        background.focus(on: shown)
        var done: [Background.Done] = []
        for _ in 0..<500 where background.isBusy || done.isEmpty {
            done += background.take()
            usleep(2_000)
        }
        done += background.take()
        #expect(done.map(\.job) == [.firstLook(shown, generation: 0)])
        #expect(done.first?.error == nil)
    }
}
