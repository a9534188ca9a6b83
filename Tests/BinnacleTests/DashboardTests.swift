@testable import BinnacleApp
import BinnacleBundle
@testable import BinnacleCLI
import BinnacleCore
@testable import BinnacleStore
import Foundation
import GRDB
import Testing
import TerminalUI

/// One small generated portfolio, imported once at a fixed time from a fixed path, so that every
/// screen — the audit log included — renders the same on every run.
enum DashboardFixture {
    static let asOf = Day("2026-03-15")!
    static let inventory: Inventory = {
        // A fixed path: the audit entry and the status bar name it, and both are in the golden files.
        let root = "/tmp/binnacle-dashboard-fixture"
        // Two test runs on one machine (two worktrees, or CI beside a developer) would rebuild this
        // path under each other; the second waits for the first to exit, which releases the lock.
        let lock = open(root + ".lock", O_CREAT | O_RDWR, 0o666)
        if lock >= 0 { flock(lock, LOCK_EX) }
        try? FileManager.default.removeItem(atPath: root)
        try! PortfolioGenerator(models: 40, seed: 3, asOf: asOf).write(to: root + "/bundle")
        let inventory = try! Inventory(path: root + "/fixture.sqlite", mode: .create)
        _ = try! inventory.importer.importBundle(directory: root + "/bundle", replace: false, actor: "fixture",
                                        at: Timestamp(parsing: "2026-03-15T09:00:00Z")!)
        return inventory
    }()

    static func dashboard(theme: Theme = .monochrome, symbols: Symbols = .unicode) throws -> Dashboard {
        let source = try StoreSource(inventory, login: "dvarga")
        return Dashboard(source: source, asOf: asOf, today: asOf, theme: theme, symbols: symbols)
    }
}

/// Compares a rendered screen with its golden file (Tests/BinnacleTests/Snapshots/NAME.txt).
/// BINNACLE_UPDATE_SNAPSHOTS=1 writes the files instead.
func expectSnapshot(_ grid: Grid, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let url = packageRoot.appendingPathComponent("Tests/BinnacleTests/Snapshots/\(name).txt")
    let text = grid.text + "\n"
    if ProcessInfo.processInfo.environment["BINNACLE_UPDATE_SNAPSHOTS"] == "1" {
        try text.write(to: url, atomically: true, encoding: .utf8)
        return
    }
    guard let golden = try? String(contentsOf: url, encoding: .utf8) else {
        Issue.record("no golden file \(name).txt; run with BINNACLE_UPDATE_SNAPSHOTS=1", sourceLocation: sourceLocation)
        return
    }
    if golden != text {
        let a = golden.split(separator: "\n", omittingEmptySubsequences: false), b = text.split(separator: "\n", omittingEmptySubsequences: false)
        let first = zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, b.count)
        Issue.record("\(name) differs at line \(first + 1):\n  golden: \(first < a.count ? String(a[first]) : "")\n  now:    \(first < b.count ? String(b[first]) : "")",
                     sourceLocation: sourceLocation)
    }
}

@Suite struct DashboardSnapshotTests {
    static let sizes = [(120, 40), (80, 24), (200, 60)]

    @Test(arguments: ScreenID.allCases)
    func everyScreen(screen: ScreenID) throws {
        for (w, h) in Self.sizes {
            let d = try DashboardFixture.dashboard()
            d.show(screen: screen)
            try expectSnapshot(d.render(width: w, height: h), "\(screen.title.lowercased())-\(w)x\(h)")
        }
    }

    @Test(arguments: DetailTab.allCases)
    func everyModelTab(tab: DetailTab) throws {
        for (w, h) in Self.sizes {
            let d = try DashboardFixture.dashboard()
            d.openModel("restaurant-merchant-recommender", tab: tab)
            try expectSnapshot(d.render(width: w, height: h), "model-\(tab.title.lowercased())-\(w)x\(h)")
        }
    }

    @Test func assetPersonTagSearchHelpAndTooSmall() throws {
        let d = try DashboardFixture.dashboard()
        d.openAsset("ds-customer-master")
        try expectSnapshot(d.render(width: 120, height: 40), "asset-120x40")
        let p = try DashboardFixture.dashboard()
        p.openPerson("dvarga")
        try expectSnapshot(p.render(width: 120, height: 40), "person-120x40")
        let t = try DashboardFixture.dashboard()
        t.run(command: "tag pii")
        try expectSnapshot(t.render(width: 120, height: 40), "risk-tag-pii-120x40")
        let h = try DashboardFixture.dashboard()
        _ = h.handle(.character("?"))
        try expectSnapshot(h.render(width: 120, height: 40), "help-120x40")
        try expectSnapshot(try DashboardFixture.dashboard().render(width: 59, height: 20), "too-small")
        let a = try DashboardFixture.dashboard(symbols: .ascii)
        try expectSnapshot(a.render(width: 80, height: 24), "overview-ascii-80x24")
        // With LANG=C nothing is left for curses to turn into `?`: every screen is ASCII, symbols and all.
        for screen in ScreenID.allCases {
            let d = try DashboardFixture.dashboard(symbols: .ascii)
            d.show(screen: screen)
            let other = d.render(width: 120, height: 40).text.unicodeScalars.filter { !$0.isASCII }
            #expect(other.isEmpty, "\(screen): \(String(String.UnicodeScalarView(other)))")
        }
        for symbols in [Symbols.unicode, .ascii] {  // no two states share a symbol
            let states = [symbols.ok, symbols.bad, symbols.up, symbols.down, symbols.dot, symbols.cycle]
            #expect(Set(states).count == states.count, "\(states)")
        }
    }

    @Test func monochromeCarriesNoColour() throws {
        let grid = try DashboardFixture.dashboard(theme: .monochrome).render(width: 120, height: 40)
        #expect(grid.cells.allSatisfy { $0.style.foreground == .default && $0.style.background == .default })
        let colour = try DashboardFixture.dashboard(theme: .colour).render(width: 120, height: 40)
        #expect(colour.text == grid.text)   // the same symbols and words: colour only adds
        #expect(colour.cells.contains { $0.style.foreground == .red })
    }
}

@Suite struct DashboardKeyTests {
    func text(_ d: Dashboard, _ w: Int = 120, _ h: Int = 40) -> String { d.render(width: w, height: h).text }

    @Test func numberKeysSwitchScreensAndEscGoesBack() throws {
        let d = try DashboardFixture.dashboard()
        #expect(text(d).contains("KEY INDICATOR"))
        _ = d.handle(.character("3"))
        #expect(text(d).contains("Binnacle › Alerts"))
        _ = d.handle(.enter)                         // the first alert's model, on its monitoring tab
        #expect(!modelId(d).isEmpty && d.page.tab == .monitoring)
        #expect(text(d).contains("› Alerts ›"))
        _ = d.handle(.escape)
        #expect(d.page.kind == .screen(.alerts))
        #expect(d.handle(.character("Q")) == false)
    }

    func modelId(_ d: Dashboard) -> String { if case .model(let id) = d.page.kind { return id } else { return "" } }

    @Test func filterSortAndDrillIntoLineageAndAnAsset() throws {
        let d = try DashboardFixture.dashboard()
        _ = d.handle(.character("2"))
        for c in "/fraud" { _ = d.handle(.character(c)) }
        _ = d.handle(.enter)
        let filtered = text(d)
        #expect(filtered.contains("matching “fraud”"))
        #expect(!filtered.contains("Churn propensity"))
        _ = d.handle(.enter)
        #expect(modelId(d).contains("fraud"))
        for _ in 0..<4 { _ = d.handle(.tab) }
        #expect(d.page.tab == .lineage)
        #expect(text(d).contains("UPSTREAM"))
        _ = d.handle(.enter)                         // the first upstream node: a dataset or feature group
        if case .asset = d.page.kind {} else { Issue.record("expected the asset view, got \(d.page.kind)") }
        #expect(text(d).contains("DEPENDS ON IT"))
        _ = d.handle(.escape); _ = d.handle(.escape)
        #expect(d.page.kind == .screen(.models) && d.page.filterText == "fraud")
        _ = d.handle(.escape)                        // Esc clears the filter first
        #expect(d.page.filterText.isEmpty)
        _ = d.handle(.character("s"))
        #expect(d.page.sortColumn == 1 && text(d).contains("DOMAIN▲"))
        _ = d.handle(.character("S"))
        #expect(text(d).contains("DOMAIN▼"))
    }

    @Test func quickFiltersAndCompletionFromTheCommandLine() throws {
        let d = try DashboardFixture.dashboard()
        for c in ":sta" { _ = d.handle(.character(c)) }
        _ = d.handle(.tab)
        #expect(d.prompt == ":stage ")
        for c in "production" { _ = d.handle(.character(c)) }
        _ = d.handle(.enter)
        #expect(d.page.kind == .screen(.models) && d.page.modelFilter.stage == "production")
        #expect(text(d).contains("Models (stage production)"))
        d.run(command: "tier 1")
        #expect(d.page.modelFilter == ModelFilter(stage: "production", tier: 1))
        d.run(command: "stage launched")
        #expect(d.status.contains("stage is one of"))
        d.run(command: "clear")
        #expect(d.page.modelFilter.isEmpty)
        let c = try DashboardFixture.dashboard()
        #expect(c.complete("model restaurant") == "model restaurant-merchant-recommender")
    }

    @Test func timeTravelKeysAndAsofCommand() throws {
        let d = try DashboardFixture.dashboard()
        _ = d.handle(.character("["))
        #expect(d.asOf == Day("2026-02-28")!)
        #expect(text(d).contains("as of 2026-02-28 (past)"))
        _ = d.handle(.character("["))
        #expect(d.asOf == Day("2026-01-31")!)
        _ = d.handle(.character("]"))
        #expect(d.asOf == Day("2026-02-28")!)
        _ = d.handle(.character("t"))
        #expect(d.asOf == DashboardFixture.asOf)
        d.run(command: "asof 2025-06-30")
        #expect(d.asOf == Day("2025-06-30")! && text(d).contains("as of 2025-06-30"))
        d.run(command: "asof yesterday")
        #expect(d.status == "asof needs a date, YYYY-MM-DD")
    }

    @Test func overviewTilesAndDomainsDrillIntoTheListBehindThem() throws {
        let d = try DashboardFixture.dashboard()
        _ = d.handle(.enter)                         // impact share tile: the production models
        #expect(d.page.kind == .drill(.impactShare, domain: nil))
        _ = d.handle(.escape)
        for _ in 0..<9 { _ = d.handle(.down) }       // past the nine tiles: the first domain
        _ = d.handle(.enter)
        // A domain opens the impact share's rows there: its production models, not its ideas and shelved ones.
        let first = try #require(try DashboardFixture.inventory.report(asOf: DashboardFixture.asOf, trend: false).domains.first)
        #expect(d.page.kind == .drill(.impactShare, domain: first.domain))
        _ = text(d)
        guard case .drill(let drill)? = d.page.data else { Issue.record("not read"); return }
        #expect(drill.rows.count == first.kpis.productionModels && drill.rows.allSatisfy { $0.stage == .production })
    }

    @Test func theSelectionIsKeptByIdAcrossAReload() throws {
        let d = try DashboardFixture.dashboard()
        _ = d.handle(.character("2"))
        for _ in 0..<5 { _ = d.handle(.down) }
        _ = d.render(width: 120, height: 40)
        let selected = d.page.selectedID
        d.reload()
        _ = d.render(width: 120, height: 40)
        #expect(d.page.selectedID == selected && selected != nil)
    }

    @Test func tinyTerminalsGetAMessageNotACrash() throws {
        let d = try DashboardFixture.dashboard()
        for (w, h) in [(0, 0), (1, 1), (59, 40), (120, 14), (60, 15)] {
            _ = d.render(width: w, height: h)
        }
        #expect(d.render(width: 40, height: 10).text.contains("Terminal too small"))
    }
}

@Suite struct ListFilterTests {
    /// `/` on the Alerts screen matches what a row shows: its severity, model and what happened.
    @Test func alertsFilterBySeverityAndModel() throws {
        let d = try DashboardFixture.dashboard()
        d.show(screen: .alerts)
        let all = d.render(width: 120, height: 40).text.split(separator: "\n").filter { $0.contains("critical ") || $0.contains("warning ") }
        #expect(all.contains { $0.contains("✗ critical") } && all.contains { $0.contains("! warning") })
        for key in "/critical" { _ = d.handle(.character(key)) }
        _ = d.handle(.enter)
        let rows = d.render(width: 120, height: 40).text.split(separator: "\n").filter { $0.contains("✗ critical") || $0.contains("! warning") }
        #expect(!rows.isEmpty && rows.allSatisfy { $0.contains("✗ critical") })
    }
}

@Suite struct EventLoopTests {
    /// Keys already waiting (fast typing) are handled together and drawn once, not one frame each.
    @Test func waitingKeysAreDrawnInOneFrame() throws {
        let d = try DashboardFixture.dashboard()
        let terminal = MemoryTerminal(width: 120, height: 40)
        terminal.keys = [.character("2"), .character("/"), .character("f"), .character("r"), .character("a"), .enter]
        var rounds = 0
        d.run(on: terminal, shouldStop: { rounds += 1; return rounds > 3 }, clock: { 0 })
        #expect(terminal.framesDrawn == 2)
        #expect(terminal.frame.text.contains("matching “fra”"))
    }
}

@Suite struct LiveRefreshTests {
    /// Another process (here: another connection) writes an observation that turns a model critical:
    /// the next poll sees the change, the counts update in place and the newcomer is announced —
    /// inline, and as the TUI does it, deriving again in the background while the old list stays up.
    @Test(arguments: [false, true]) func writesFromElsewhereAppearWithinAPoll(background: Bool) throws {
        var f = Fixture()
        f.model("live", created: "2025-01-01")
        f.stage("live", "production", "2025-02-01")
        f.value("live", "2025-06-01", 10)
        f.monitor("live", "psi_score", "above", warn: 0.1, critical: 0.25)
        f.observation("live", "psi_score", "2025-06-28", 0.02)
        let dir = try TempDir()
        try f.write(to: dir.url.appendingPathComponent("b"))
        let path = dir.path("live.sqlite")
        _ = try Inventory(path: path, mode: .create).importer.importBundle(directory: dir.path("b"), replace: false, actor: "t")

        let viewer = try Inventory(path: path, mode: .read, readOnly: true)
        let cache = try StateCache(path: background ? dir.path("cache.sqlite") : nil)
        let d = Dashboard(source: try StoreSource(viewer, login: "alice", cache: cache), asOf: day("2025-06-30"), today: day("2025-06-30"),
                          theme: .monochrome, symbols: .unicode)
        if background { d.loadSlowPartsInBackground() }
        d.show(screen: .alerts)
        let waiter = BackgroundLoadingTests()
        #expect(waiter.waitFor(d) { $0.contains("No alerts as of 2025-06-30") }.contains("No alerts as of 2025-06-30"))
        #expect(d.pollForChanges() == false)

        let writer = try Inventory(path: path, mode: .write)
        try writer.write { db in
            try db.execute(sql: "INSERT INTO observations VALUES ('live', 'psi_score', '2025-06-29T06:00:00.000Z', 0.4)")
            try AuditLog.append(db, actor: "pipeline", action: "ingest.observations", entity: "model:live", detail: .null)
        }
        #expect(d.pollForChanges() == true)
        if background {
            // The old list stays up, marked, until the lists are derived again.
            let meanwhile = d.render(width: 120, height: 40).text
            #expect(meanwhile.contains("updating…") && meanwhile.contains("No alerts as of 2025-06-30"))
        }
        let screen = waiter.waitFor(d) { $0.contains("newly critical: live") }
        #expect(screen.contains("psi_score = 0.4 (critical threshold 0.25)"))
        #expect(screen.contains("newly critical: live") && !screen.contains("updating…"))
    }

    /// A write that bypasses Binnacle (raw SQL on another connection, no audit entry) moves the
    /// inventory's revision too: after the poll the Alerts screen lists the new critical alert, as
    /// the model page does, without `r`.
    @Test(arguments: [false, true]) func rawSQLWritesAppearOnTheAlertsScreenWithinAPoll(background: Bool) throws {
        var f = Fixture()
        f.model("raw", created: "2025-01-01")
        f.stage("raw", "production", "2025-02-01")
        f.value("raw", "2025-06-01", 10)
        f.monitor("raw", "psi_score", "above", warn: 0.1, critical: 0.25)
        f.observation("raw", "psi_score", "2025-06-28", 0.02)
        let dir = try TempDir()
        try f.write(to: dir.url.appendingPathComponent("b"))
        let path = dir.path("raw.sqlite")
        _ = try Inventory(path: path, mode: .create).importer.importBundle(directory: dir.path("b"), replace: false, actor: "t")

        let viewer = try Inventory(path: path, mode: .read, readOnly: true)
        let source = try StoreSource(viewer, login: "alice", cache: StateCache(path: background ? dir.path("cache.sqlite") : nil))
        let d = Dashboard(source: source, asOf: day("2025-06-30"), today: day("2025-06-30"), theme: .monochrome, symbols: .unicode)
        if background { d.loadSlowPartsInBackground() }
        d.show(screen: .alerts)
        let waiter = BackgroundLoadingTests()
        #expect(waiter.waitFor(d) { $0.contains("No alerts as of 2025-06-30") }.contains("No alerts as of 2025-06-30"))

        try DatabaseQueue(path: path).write { db in
            try db.execute(sql: "INSERT INTO observations VALUES ('raw', 'psi_score', '2025-06-29T06:00:00.000Z', 0.4)")
        }
        #expect(try viewer.modelSummaries(asOf: day("2025-06-30"), model: "raw").first?.alertsCritical == 1)
        #expect(d.pollForChanges() == true)
        let screen = waiter.waitFor(d) { $0.contains("newly critical: raw") }
        #expect(screen.contains("psi_score = 0.4 (critical threshold 0.25)") && !screen.contains("No alerts"))
        #expect(screen.contains("newly critical: raw") && !screen.contains("updating…"))
    }
}

@Suite struct BackgroundLoadingTests {
    /// Renders until `done` holds for the screen, collecting background work as the event loop does.
    func waitFor(_ d: Dashboard, _ done: (String) -> Bool) -> String {
        var screen = d.render(width: 120, height: 40).text
        for _ in 0..<200 where !done(screen) {
            if !d.collectBackground() { usleep(25_000) }
            screen = d.render(width: 120, height: 40).text
        }
        return screen
    }

    /// A date seen for the first time is derived in the background behind a placeholder frame; the
    /// trend's sparklines fill in after; the result equals what is computed inline. A second
    /// dashboard on the same cache file draws the KPIs in its first frame.
    @Test func coldThenWarmFirstFrames() throws {
        let dir = try TempDir()
        let inventory = DashboardFixture.inventory
        let cold = Dashboard(source: try StoreSource(inventory, login: "dvarga", cache: StateCache(path: dir.path("cache.sqlite"))),
                             asOf: DashboardFixture.asOf, today: DashboardFixture.asOf, theme: .monochrome, symbols: .unicode)
        cold.loadSlowPartsInBackground()
        #expect(cold.render(width: 120, height: 40).text.contains("Working out the portfolio as of 2026-03-15"))
        let complete = try DashboardFixture.dashboard().render(width: 120, height: 40).text
        #expect(waitFor(cold) { $0 == complete } == complete)
        // The first look and its trend draw the same screen as the lists: wait for the lists too.
        for _ in 0..<400 where cold.isLoading { usleep(25_000) }
        cold.collectBackground()
        #expect(!cold.isLoading && cold.render(width: 120, height: 40).text == complete)

        let warm = Dashboard(source: try StoreSource(inventory, login: "dvarga", cache: StateCache(path: dir.path("cache.sqlite"))),
                             asOf: DashboardFixture.asOf, today: DashboardFixture.asOf, theme: .monochrome, symbols: .unicode)
        warm.loadSlowPartsInBackground()
        let first = warm.render(width: 120, height: 40).text
        #expect(first.contains("KEY INDICATOR") && !first.contains("Working out"))
        #expect(waitFor(warm) { $0 == complete } == complete)
        // Every list screen reads the same from the warm cache as computed inline.
        for screen in [ScreenID.models, .alerts, .risk] {
            warm.show(screen: screen)
            let inline = try DashboardFixture.dashboard()
            inline.show(screen: screen)
            #expect(warm.render(width: 120, height: 40).text == inline.render(width: 120, height: 40).text)
        }
    }
}

@Suite struct StateCacheTests {
    /// A generated portfolio (every story: alerts, gaps, breaches) in a fresh folder.
    func generated() throws -> Inventory {
        let dir = try TempDir()
        try PortfolioGenerator(models: 80, seed: 11, asOf: day("2024-06-01")).write(to: dir.path("bundle"))
        let inventory = try Inventory(path: dir.path("inv.sqlite"), mode: .create)
        _ = try inventory.importer.importBundle(directory: dir.path("bundle"), replace: false, actor: "test")
        return inventory
    }

    /// Entries are used only while the inventory's revision is the one they were derived from:
    /// a governance action (which appends to the audit log) makes them be derived again.
    @Test func aWriteThroughBinnacleInvalidatesTheCache() throws {
        let dir = try TempDir()
        let inventory = try generated()
        let cache = try StateCache(path: dir.path("cache.sqlite"))
        let d = day("2024-06-01")
        #expect(try !cache.isPrepared(asOf: d, from: inventory))
        try cache.prepare(asOf: d, from: inventory)
        #expect(try cache.isPrepared(asOf: d, from: inventory))
        #expect(try cache.modelCount(asOf: d) == inventory.modelSummaries(asOf: d).count)
        // The task is created now, so it is open as of today.
        let before = try cache.counts(asOf: Day.today(), from: inventory)

        let writer = try Inventory(path: inventory.path, mode: .write)
        let lead = try writer.read { try String.fetchOne($0, sql: "SELECT login FROM people WHERE role = 'ai_lead' AND active = 1") }!
        let model = try inventory.modelSummaries(asOf: d).first { $0.stage == .production }!
        _ = try writer.governance.assignTask(modelId: model.id, to: model.businessOwner, due: d.adding(days: 7), priority: .p2,
                                  title: "check", note: nil, by: lead)
        #expect(try !cache.isPrepared(asOf: d, from: inventory))
        let after = try cache.counts(asOf: Day.today(), from: inventory)
        #expect(after.values.reduce(0) { $0 + $1.openTasks } == before.values.reduce(0) { $0 + $1.openTasks } + 1)
    }

    /// A cache file of an older Binnacle (inline DDL, a `format` string, counts as JSON) is emptied
    /// and derived again, not misread; so is one whose migrations this Binnacle does not know.
    @Test func foreignCacheFilesAreDerivedAgain() throws {
        let dir = try TempDir()
        let inventory = try generated()
        let d = day("2024-06-01")
        let old = try DatabaseQueue(path: dir.path("old.sqlite"))
        try old.write { db in
            try db.execute(sql: """
                CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL); INSERT INTO meta VALUES ('format', '6');
                CREATE TABLE dates (as_of TEXT PRIMARY KEY, source TEXT NOT NULL, counts TEXT NOT NULL, lists INTEGER NOT NULL,
                                    built INTEGER NOT NULL DEFAULT 0);
                INSERT INTO dates VALUES ('2024-06-01', '0:', '{"x":{"existingModels":1}}', 1, 0);
                """)
        }
        try old.close()
        let reopened = try StateCache(path: dir.path("old.sqlite"))
        #expect(try !reopened.isPrepared(asOf: d, from: inventory))
        try reopened.prepare(asOf: d, from: inventory)
        #expect(try inventory.report(asOf: d, counts: reopened.counts(asOf: d, from: inventory), trend: []).kpis
                == inventory.report(asOf: d, trend: false).kpis)

        let newer = try DatabaseQueue(path: dir.path("old.sqlite"))
        try newer.write { try $0.execute(sql: "INSERT INTO grdb_migrations VALUES ('from a newer Binnacle')") }
        try newer.close()
        #expect(try !StateCache(path: dir.path("old.sqlite")).isPrepared(asOf: d, from: inventory))
    }

    /// Every count of KPICounts has its column in the cache (a KPI added without one would read 0).
    @Test func everyCountHasAColumn() {
        let stored = Set(StateCache.countColumns.map { "\($0.count)" } + StateCache.amountColumns.map { "\($0.amount)" })
        let fields = Mirror(reflecting: KPICounts()).children.compactMap(\.label).filter { $0 != "daysToProduction" }
        #expect(stored.count == fields.count)
        #expect(Set(StateCache.countColumns.map(\.column) + StateCache.amountColumns.map(\.column)).count == fields.count)
    }

    /// Time travel through many dates keeps the lists of the last few only; the counts stay.
    @Test func listsAreKeptForTheLastFewDates() throws {
        let inventory = try generated()
        let cache = try StateCache(path: nil)
        let days = (0..<8).map { day("2024-06-01").adding(days: -30 * $0) }
        for d in days { try cache.prepare(asOf: d, from: inventory) }
        #expect(try days.map { try cache.isPrepared(asOf: $0, from: inventory) } == [false, false] + [Bool](repeating: true, count: 6))
        #expect(try cache.modelCount(asOf: days[0]) == 0 && cache.modelCount(asOf: days[7]) > 0)
        let fromCache = try inventory.report(asOf: days[0], counts: cache.counts(asOf: days[0], from: inventory), trend: [])
        #expect(try fromCache.kpis == inventory.report(asOf: days[0], trend: false).kpis)
    }

    /// The model list's SQL filters and orders agree with the same rules applied to the inventory's
    /// summaries in memory, for every sort column both ways and every quick filter.
    @Test func everySortAndFilterAgreesWithTheSummaries() throws {
        let inventory = try generated()
        let cache = try StateCache(path: nil)
        let d = day("2024-06-01")
        try cache.prepare(asOf: d, from: inventory)
        let all = try inventory.modelSummaries(asOf: d)
        func key(_ m: ModelSummary, _ sort: ModelSort) -> (String, Double) {
            switch sort {
            case .name: return (m.name.lowercased(), 0)
            case .domain: return (m.domain, 0)
            case .stage: return ("", Double(Stage.allCases.firstIndex(of: m.stage)!))
            case .tier: return ("", Double(m.riskTier.rawValue))
            case .owner: return (m.businessOwner, 0)
            case .value90d: return ("", m.value90d)
            case .roi12m: return ("", m.roi12m ?? -.infinity)
            case .alerts: return ("", Double(m.alertsCritical * 1000 + m.alertsWarning))
            case .docs: return ("", Double(m.missingDocuments.count))
            case .lastObserved: return ("", m.lastObservedAt.map { Double($0.day.daysSinceEpoch) } ?? -.infinity)
            }
        }
        for sort in ModelSort.allCases {
            for descending in [false, true] {
                let expected = all.sorted { a, b in
                    let (x, y) = (key(a, sort), key(b, sort))
                    if x != y { return descending ? x > y : x < y }
                    return a.id < b.id
                }.map(\.id)
                let window = try cache.models(asOf: d, ModelQuery(sort: sort, descending: descending))
                #expect(try window.rows(0..<window.count).map(\.id) == expected, "sort \(sort) \(descending ? "desc" : "asc")")
            }
        }
        let someone = all[all.count / 2]
        let filters: [(ModelFilter, String, (ModelSummary) -> Bool)] = [
            (ModelFilter(stage: "production"), "", { $0.stage == .production }),
            (ModelFilter(tier: 1), "", { $0.riskTier == .high }),
            (ModelFilter(domain: someone.domain), "", { $0.domain == someone.domain }),
            (ModelFilter(alerts: "critical"), "", { $0.alertsCritical > 0 }),
            (ModelFilter(alerts: "warning"), "", { $0.alertsCritical + $0.alertsWarning > 0 }),
            (ModelFilter(docsMissing: true), "", { !$0.missingDocuments.isEmpty }),
            (ModelFilter(noImpact: true), "", { $0.stage == .production && $0.value90d <= 0 }),
            (ModelFilter(), someone.businessOwner.uppercased(), { $0.businessOwner.lowercased().contains(someone.businessOwner.lowercased())
                || $0.name.lowercased().contains(someone.businessOwner.lowercased()) || $0.id.contains(someone.businessOwner.lowercased()) }),
        ]
        for (filter, text, rule) in filters {
            let window = try cache.models(asOf: d, ModelQuery(filter: filter, text: text))
            #expect(try Set(window.rows(0..<window.count).map(\.id)) == Set(all.filter(rule).map(\.id)), "\(filter) \(text)")
        }
        // Re-sorted with the count known, the first ids are read at once and the rest when reached.
        let partialCache = try StateCache(path: nil, firstIds: 7)
        try partialCache.prepare(asOf: d, from: inventory)
        let full = try partialCache.models(asOf: d, ModelQuery(sort: .value90d, descending: true))
        let partial = try partialCache.models(asOf: d, ModelQuery(sort: .value90d, descending: true), count: full.count)
        #expect(partial.count == full.count)
        #expect(try partial.rows(0..<5).map(\.id) == full.rows(0..<5).map(\.id))
        #expect(try partial.rows(0..<partial.count).map(\.id) == full.rows(0..<full.count).map(\.id))
        // A window in the middle is the same slice of the whole.
        let whole = try cache.models(asOf: d, ModelQuery(sort: .value90d, descending: true))
        #expect(try whole.rows(3..<7).map(\.id) == whole.rows(0..<whole.count)[3..<7].map(\.id))
        // Alerts in the cache are the inventory's, in its order.
        let alerts = try cache.alerts(asOf: d)
        #expect(try alerts.rows(0..<alerts.count).map(\.alert) == inventory.alerts(asOf: d))
    }
}

@Suite struct BodyTests {
    func table(_ prefix: String, _ n: Int) -> LazyTable {
        LazyTable(ArrayWindow((0..<n).map { "\(prefix)\($0)" }), columns: [Column(title: "ID", width: 10)], width: 40) { id in
            ([Span(id)], .model(id, .summary))
        }
    }

    /// Lines, selection and lookup by id across short parts and long tables, without reading every row.
    @Test func selectionAcrossPartsAndTables() {
        var body = Body([Line("heading"), Line("first", target: .screen(.models))])
        body.append(table("a", 300))
        body.append(Line("between"))
        body.append(table("b", 300))
        #expect(body.count == 603 && body.selectableCount == 601)
        #expect(body[2].text.contains("a0") && body[302].text == "between" && body[303].text.contains("b0"))
        #expect(body.lineIndex(ofSelectable: 0) == 1 && body.lineIndex(ofSelectable: 1) == 2 && body.lineIndex(ofSelectable: 301) == 303)
        // Found near the selection in the second table; far from it, not looked for.
        #expect(body.selectableIndex(of: "model:b250", near: 540) == 551)
        #expect(body.selectableIndex(of: "model:b250", near: 10) == nil)
        #expect(body.selectableIndex(of: "screen:2", near: 590) == 0)
        #expect(body.filtered("first").count == 603 && body.filtered("nothing").count == 602)
    }
}

@Suite struct CommandCompletionTests {
    func type(_ d: Dashboard, _ text: String) { for c in text { _ = d.handle(.character(c)) } }

    /// Tab completes every command and its argument — from fixed lists (tier, docs, alerts) or from the
    /// inventory (tags, people, assets, domains, models) — and lists the candidates above the prompt.
    @Test func everyCommandAndItsArgumentComplete() throws {
        let d = try DashboardFixture.dashboard()
        type(d, ":ta"); _ = d.handle(.tab)
        #expect(d.state.prompt == ":tag ")
        _ = d.handle(.tab)
        let tags = try #require(try DashboardFixture.inventory.completions(for: "tag", prefix: "", limit: 200))
        #expect(tags.count > 1 && tags == tags.sorted() && d.state.completions == tags)
        let screen = d.render(width: 120, height: 40).text.split(separator: "\n").map(String.init)
        #expect(screen[screen.count - 2].hasPrefix(":tag █"))
        #expect(screen.dropLast(2).suffix(10).contains { $0.hasPrefix(" " + tags[0]) })
        type(d, String(tags[0].prefix(3)))
        #expect(d.state.completions.isEmpty)   // any key closes the list
        _ = d.handle(.escape)

        for (line, expected) in [(":tier ", ["1", "2", "3"]), (":alerts ", ["critical", "warning", "any"])] {
            type(d, line); _ = d.handle(.tab)
            #expect(d.state.completions == expected, "\(line)")
            _ = d.handle(.escape)
        }
        type(d, ":docs "); _ = d.handle(.tab)
        #expect(d.state.prompt == ":docs missing")
        _ = d.handle(.escape)
        let login = try #require(try DashboardFixture.inventory.activeLogins().first)
        type(d, ":person \(login.prefix(login.count - 1))"); _ = d.handle(.tab)
        #expect(d.state.prompt?.hasPrefix(":person \(login.prefix(login.count - 1))") == true)
        #expect(d.state.completions.contains(login) || d.state.prompt == ":person \(login)")
        _ = d.handle(.escape)
        type(d, ":zzz"); _ = d.handle(.tab)
        #expect(d.status.contains("nothing completes"))
    }

    /// `:docs complete` is refused rather than read as its opposite; `:alerts any` lifts the alerts filter.
    @Test func filtersSayWhatTheyAccept() throws {
        let d = try DashboardFixture.dashboard()
        d.run(command: "docs complete")
        #expect(d.status.contains("there is no other docs filter") && !d.state.page.modelFilter.docsMissing)
        d.run(command: "alerts critical")
        #expect(d.state.page.modelFilter.alerts == "critical")
        d.run(command: "alerts any")
        #expect(d.state.page.modelFilter.alerts == nil)
    }
}
