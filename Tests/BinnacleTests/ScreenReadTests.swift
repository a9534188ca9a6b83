@testable import BinnacleApp
import BinnacleBundle
@testable import BinnacleCLI
import BinnacleCore
@testable import BinnacleStore
import Foundation
import GRDB
import Testing
import TerminalUI

/// A source in memory that records which reads the dashboard makes: each screen must be one read.
class RecordingSource: PortfolioSource {
    let label = "fake.sqlite"
    let readOnly = true
    let actor: (login: String, person: Person?) = ("rita", nil)
    private(set) var reads: [String] = []
    let asOf = Day("2026-03-15")!
    var stamp: Timestamp { Timestamp(parsing: "2026-03-01T09:00:00Z")! }

    func model(_ id: String) -> ModelSummary {
        ModelSummary(id: id, name: "Model \(id)", domain: "Lending", kind: .classification, stage: .production, riskTier: .high,
                     businessOwner: "olga", developer: "dev", validator: nil, alertsCritical: 1, alertsWarning: 0,
                     missingDocuments: [], value90d: 0)
    }
    var task: RemediationTask {
        RemediationTask(id: "T-1", modelId: "m1", title: "Fix the drift", assignee: "olga", assignedBy: "rita", priority: .p2,
                        createdAt: stamp, dueAt: stamp, status: .open)
    }
    var olga: PersonSummary {
        PersonSummary(person: Person(login: "olga", name: "Olga Owner", email: "olga@example.com", role: .engineer, team: "Lending", active: true),
                      owned: 1, developed: 0, validated: 0, openTasks: 1, overdueTasks: 1)
    }
    var alert: NamedAlert { NamedAlert(Alert(modelId: "m1", severity: .critical, reason: .threshold, metric: "auc", value: 0.5, threshold: 0.6,
                                             observedAt: stamp), modelName: "Model m1") }

    func isPrepared(asOf: Day) -> Bool { true }
    func prepare(asOf: Day, force: Bool) throws {}
    func report(asOf: Day, trend: Bool) throws -> PortfolioReport { try overviewScreen(asOf: asOf, trend: trend, top: 0).report }
    func backgroundReader() -> PortfolioSource? { nil }
    func interrupt() {}

    func overviewScreen(asOf: Day, trend: Bool, top: Int) throws -> OverviewScreenData {
        reads.append("overview")
        let report = PortfolioReport(asOf: asOf, portfolio: "Fake", currency: "EUR", domainFilter: nil, kpis: KPIs(KPICounts()),
                                     domains: [(domain: "Lending", kpis: KPIs(KPICounts()))], trend: [])
        return OverviewScreenData(report: report, alertCount: 1, topAlerts: [alert])
    }
    func modelsScreen(asOf: Day, _ query: ModelQuery, count: Int?) throws -> ModelsScreenData {
        reads.append("models")
        return ModelsScreenData(total: 2, models: ArrayWindow([model("m1"), model("m2")]))
    }
    func riskScreen(asOf: Day, tag: String?, text: String, gapOrder: ListOrder?) throws -> RiskScreenData {
        reads.append("risk")
        return RiskScreenData(reviews: [ReviewDue(modelId: "m3", name: "Model m3", kind: "model_card", version: "2", expires: asOf.adding(days: 5))],
                              exposure: tag.map { _ in [TagExposure(modelId: "m1", name: "Model m1", domain: "Lending", stage: .production, via: "", depth: 0)] },
                              lists: try riskLists(asOf: asOf, text: text, counted: false))
    }
    func peopleScreen(asOf: Day) throws -> PeopleScreenData {
        reads.append("people")
        return PeopleScreenData(people: [olga], orphans: [OrphanedModel(modelId: "m9", name: "Model m9", domain: "Cards", owner: "zed", reason: "owner unknown")])
    }
    func tasksScreen(asOf: Day) throws -> TasksScreenData {
        reads.append("tasks")
        return TasksScreenData(tasks: [task], modelNames: ["m1": "Model m1"])
    }
    func auditScreen() throws -> AuditScreenData {
        reads.append("audit")
        return AuditScreenData(entries: [AuditEntry(seq: 1, at: "2026-03-01T09:00:00Z", actor: "rita", action: "set_stage", entity: "model:m1",
                                                    detail: "to production", prevHash: "", hash: "abc")],
                               chain: .intact(entries: 1, head: "abc"))
    }
    func modelScreen(id: String, asOf: Day) throws -> ModelScreenData {
        reads.append("model")
        let m = Model(id: id, name: "Model \(id)", domain: "Lending", kind: .classification, riskTier: .high, businessOwner: "olga",
                      developer: "dev", createdAt: stamp)
        let detail = ModelDetail(model: m, stage: .production, people: [], stageHistory: [], value90d: 0, value12m: 0, cost12m: 0, monthly: [],
                                 monitors: [], alerts: [], requiredDocuments: [], documents: [], upstream: [], downstream: [], tasks: [task], audit: [])
        return ModelScreenData(detail: detail, upstream: [LineageEdge(upstream: "ds-1", downstream: id)], downstream: [],
                               nodes: ["ds-1": (kind: "dataset", name: "Customers", tags: ["pii"]), id: (kind: "model", name: "Model \(id)", tags: [])])
    }
    func assetScreen(id: String) throws -> AssetDetail {
        reads.append("asset")
        return AssetDetail(asset: Asset(id: id, kind: .dataset, name: "Customers", owner: "olga", tags: ["pii"]), ownerName: "Olga Owner",
                           upstream: [], downstream: [LineageNode(id: "m1", kind: "model", name: "Model m1", tags: [], depth: 1)])
    }
    func personScreen(asOf: Day, login: String, text: String) throws -> PersonScreenData {
        reads.append("person")
        return PersonScreenData(summary: olga, tasks: [task], models: ArrayWindow([model("m1")]))
    }
    func kpiDrillScreen(_ kpi: KPIName, asOf: Day, domain: String?) throws -> KPIDrill {
        reads.append("drill \(kpi.rawValue)\(domain.map { " " + $0 } ?? "")")
        return KPIDrill(kpi: kpi, asOf: asOf, domain: domain, currency: "EUR", rows: [DrillRow(modelId: "m1", modelName: "Model m1", domain: "Lending")])
    }

    func models(asOf: Day, _ query: ModelQuery, count: Int?) throws -> any RowWindow<ModelSummary> {
        reads.append("models list")
        return ArrayWindow([model("m1")])
    }
    func alerts(asOf: Day, text: String, domain: String?, severity: Alert.Severity?, order: ListOrder?) throws -> any RowWindow<NamedAlert> {
        reads.append("alerts")
        return ArrayWindow([alert])
    }
    func riskLists(asOf: Day, text: String, gapOrder: ListOrder?) throws -> RiskLists { try riskLists(asOf: asOf, text: text, counted: true) }
    func riskLists(asOf: Day, text: String, counted: Bool) throws -> RiskLists {
        if counted { reads.append("risk lists") }
        return RiskLists(documentGaps: ArrayWindow([DocumentMatrixRow(modelId: "m4", name: "Model m4", domain: "Lending", stage: .production,
                                                                      riskTier: .high, cells: [.current, .missing, .expired, .draft, .notRequired])]),
                         built: 9, breaches: ArrayWindow([model("m5")]))
    }

    func criticalModels(asOf: Day) throws -> Set<String> { [] }
    func completions(for command: String, prefix: String, limit: Int) throws -> [String]? { nil }
    func modelSummary(id: String, asOf: Day) throws -> ModelSummary? { nil }
    func activeLogins() throws -> [String] { [] }
    func openTasks(modelId: String) throws -> [OpenTaskRef] { [] }
    func person(asOf: Day, login: String) throws -> PersonSummary? { nil }
    func dataVersion() throws -> Int { 0 }

    struct ReadOnly: Error {}
    func assignTask(modelId: String, to assignee: String, due: Day, priority: TaskPriority, title: String) throws -> String { throw ReadOnly() }
    func setTaskStatus(_ taskId: String, to status: TaskStatus, note: String?) throws { throw ReadOnly() }
    func approveDocument(modelId: String, kind: DocumentKind, version: String, expires: Day) throws { throw ReadOnly() }
    func setStage(modelId: String, to stage: Stage, note: String?) throws { throw ReadOnly() }
    func changePerson(_ login: String, role: Role?, active: Bool?) throws { throw ReadOnly() }
    func changeModelPeople(_ modelId: String, businessOwner: String?, developer: String?, validator: String??) throws { throw ReadOnly() }
    func reassignTask(_ taskId: String, to assignee: String) throws { throw ReadOnly() }
    func writeEvidencePack(asOf: Day, to path: String) throws -> String { throw ReadOnly() }
}

/// Every screen driven through `update` and `view` over a source in memory: no database, one read per screen.
@Suite struct ScreenReadTests {
    func dashboard() -> (Dashboard, RecordingSource) {
        let source = RecordingSource()
        return (Dashboard(source: source, asOf: source.asOf, today: source.asOf, theme: .monochrome, symbols: .unicode), source)
    }

    @Test func eachScreenIsOneRead() {
        let cases: [(open: (Dashboard) -> Void, read: String, shows: [String])] = [
            ({ $0.show(screen: .overview) }, "overview", ["DOMAINS", "Lending", "Model m1"]),
            ({ $0.show(screen: .models) }, "models", ["2 of 2 models", "Model m2"]),
            ({ $0.show(screen: .alerts) }, "alerts", ["critical", "Model m1"]),
            ({ $0.run(command: "tag pii") }, "risk", ["Risk (tag pii)", "carries the tag", "1 of the 9 built models", "Model m4", "Model m5", "Model m3"]),
            ({ $0.show(screen: .people) }, "people", ["ORPHANED MODELS", "Model m9", "Olga Owner"]),
            ({ $0.show(screen: .tasks) }, "tasks", ["Fix the drift", "Model m1"]),
            ({ $0.show(screen: .audit) }, "audit", ["Chain intact", "set_stage"]),
            ({ $0.openModel("m1", tab: .lineage) }, "model", ["Model m1", "UPSTREAM", "Customers"]),
            ({ $0.openAsset("ds-1") }, "asset", ["Customers", "DEPENDS ON IT", "Model m1"]),
            ({ $0.openPerson("olga") }, "person", ["Olga Owner", "MODELS (1)", "Fix the drift"]),
        ]
        for c in cases {
            let (d, source) = dashboard()
            c.open(d)
            let text = d.render(width: 120, height: 40).text
            // The first frame (the overview behind the page) may be read too; the page itself is one read.
            #expect(source.reads.filter { $0 == c.read }.count == 1 && source.reads.last == c.read, "\(c.read): \(source.reads)")
            for s in c.shows { #expect(text.contains(s), "\(c.read) shows \(s)") }
        }
    }

    @Test func aNewFilterReadsTheListsAloneAndPagingReadsNothingMore() {
        let (d, source) = dashboard()
        d.run(command: "tag pii")
        _ = d.render(width: 120, height: 40)
        for key in "/m4" { _ = d.handle(.character(key)) }
        #expect(source.reads.suffix(3) == ["risk", "risk lists", "risk lists"], "\(source.reads)")
        _ = d.handle(.enter)
        let before = source.reads.count
        for _ in 0..<5 { _ = d.handle(.pageDown) }
        #expect(source.reads.count == before)
    }

    @Test func screenKeysAndCommandsAreTheScreensOwn() {
        let (d, _) = dashboard()
        d.run(command: "tier 1")
        #expect(d.page.kind == .screen(.models) && d.page.modelFilter.tier == 1)
        _ = d.render(width: 120, height: 40)
        #expect(d.render(width: 120, height: 40).text.contains("Models (tier 1)"))
        _ = d.handle(.character("s"))
        #expect(d.page.sortColumn == 1 && d.status == "sorted by domain")
        _ = d.handle(.escape)
        #expect(d.page.modelFilter.isEmpty)
        d.openModel("m1")
        _ = d.handle(.tab)
        #expect(d.page.tab == .value)
        d.run(command: "stage nonsense")
        #expect(d.status.hasPrefix("stage is one of"))
    }
}

/// The store side: each screen's read is one read transaction of the inventory.
@Suite struct ScreenReaderTests {
    final class Counter: @unchecked Sendable { var begins = 0 }

    func generated() throws -> (Inventory, StateCache) {
        let dir = try TempDir()
        try PortfolioGenerator(models: 60, seed: 5, asOf: day("2024-06-01")).write(to: dir.path("bundle"))
        let inventory = try Inventory(path: dir.path("inv.sqlite"), mode: .create)
        _ = try inventory.importer.importBundle(directory: dir.path("bundle"), replace: false, actor: "test")
        let cache = try StateCache(path: nil)
        try cache.prepare(asOf: day("2024-06-01"), from: inventory)
        return (inventory, cache)
    }

    /// How many transactions the inventory's connection begins while `body` runs.
    func transactions(_ inventory: Inventory, _ body: () throws -> Void) throws -> Int {
        let counter = Counter()
        try inventory.queue.inDatabase { db in
            db.trace { event in if "\(event)".uppercased().hasPrefix("BEGIN") { counter.begins += 1 } }
        }
        defer { try? inventory.queue.inDatabase { db in db.trace(options: [], nil) } }
        try body()
        return counter.begins
    }

    /// The overview's counts come from the cache before its transaction: a write landing in between
    /// makes it read again, so the tiles and the alerts are of one revision.
    @Test func anOverviewTornByAWriteIsReadAgain() throws {
        let (inventory, cache) = try generated()
        var reader = ScreenReader(inventory: inventory, cache: cache)
        let d = day("2024-06-01")
        let before = try reader.overview(asOf: d, trend: false, top: 3).report.kpis.openTasks
        var writes = 0
        reader.betweenCountsAndRead = {
            guard writes == 0 else { return }
            writes += 1
            let other = try DatabaseQueue(path: inventory.path)
            try other.write { db in
                let model = try String.fetchOne(db, sql: "SELECT id FROM models ORDER BY id LIMIT 1")!
                let login = try String.fetchOne(db, sql: "SELECT login FROM people ORDER BY login LIMIT 1")!
                try db.execute(sql: """
                    INSERT INTO tasks (id, model_id, title, assignee, assigned_by, priority, created_at, due_at, status)
                    VALUES ('T-torn', ?, 'landed between the reads', ?, ?, 'p2', '2024-05-01T00:00:00Z', '2024-07-01', 'open')
                    """, arguments: [model, login, login])
            }
            try other.close()
        }
        let after = try reader.overview(asOf: d, trend: false, top: 3).report.kpis.openTasks
        #expect(writes == 1 && after == before + 1)
    }

    @Test func eachScreenIsOneReadTransaction() throws {
        let (inventory, cache) = try generated()
        let reader = ScreenReader(inventory: inventory, cache: cache)
        let d = day("2024-06-01")
        let model = try inventory.modelSummaries(asOf: d).first!
        let asset = try inventory.read { try String.fetchOne($0, sql: "SELECT id FROM assets LIMIT 1") }!
        let reads: [(String, () throws -> Void)] = [
            ("models", { _ = try reader.models(asOf: d, ModelQuery(), count: nil) }),
            ("alerts", { _ = try reader.alerts(asOf: d, text: "") }),
            ("risk", { _ = try reader.risk(asOf: d, tag: "pii", text: "") }),
            ("risk lists", { _ = try reader.riskLists(asOf: d, text: "a") }),
            ("people", { _ = try reader.people(asOf: d) }),
            ("tasks", { _ = try reader.tasks(asOf: d) }),
            ("audit", { _ = try reader.audit() }),
            ("model", { _ = try reader.model(id: model.id, asOf: d) }),
            ("asset", { _ = try reader.asset(id: asset) }),
            ("person", { _ = try reader.person(asOf: d, login: model.businessOwner, text: "") }),
        ] + KPIName.allCases.map { kpi in ("drill \(kpi.rawValue)", { _ = try reader.kpiDrill(kpi, asOf: d, domain: model.domain) }) }
        for (name, read) in reads {
            #expect(try transactions(inventory, read) == 1, "\(name)")
        }
        // The fine-grained reads the Risk screen made before: one transaction each.
        #expect(try transactions(inventory) { _ = try inventory.reviewsDue(asOf: d); _ = try inventory.tagExposure("pii", asOf: d) } == 2)
    }

    @Test func theScreenReadsAgreeWithTheQueriesTheyGather() throws {
        let (inventory, cache) = try generated()
        let reader = ScreenReader(inventory: inventory, cache: cache)
        let d = day("2024-06-01")
        let risk = try reader.risk(asOf: d, tag: "pii", text: "")
        #expect(try risk.reviews == inventory.reviewsDue(asOf: d))
        #expect(try risk.exposure == inventory.tagExposure("pii", asOf: d))
        #expect(try risk.lists.documentGaps.count == cache.documentGaps(asOf: d).rows.count)
        #expect(try risk.lists.breaches.count == cache.breaches(asOf: d).count)
        let model = try inventory.modelSummaries(asOf: d).first!
        let page = try reader.model(id: model.id, asOf: d)
        #expect(try page.upstream == inventory.lineageEdges(of: model.id, upstream: true))
        #expect(try page.downstream == inventory.lineageEdges(of: model.id, upstream: false))
        let person = try reader.person(asOf: d, login: model.businessOwner, text: "")
        #expect(try person.summary == inventory.peopleSummaries(asOf: d, login: model.businessOwner).first)
        #expect(try person.tasks == inventory.tasks(asOf: d, assignee: model.businessOwner))
        let overview = try reader.overview(asOf: d, trend: false, top: 8)
        #expect(try overview.alertCount == cache.alerts(asOf: d).count)
        #expect(overview.topAlerts.count == min(8, overview.alertCount))
    }
}
