import BinnacleApp
import BinnacleCore
import BinnacleStore
import Foundation

/// The dashboard's view of the SQLite inventory.
final class StoreSource: PortfolioSource {
    let inventory: Inventory
    let actor: (login: String, person: Person?)
    /// Where the portfolio-wide lists are derived to: a file beside other caches, or memory.
    let cache: StateCache

    /// `cache` nil: one in memory, derived afresh by this process.
    init(_ inventory: Inventory, login: String, cache: StateCache? = nil) throws {
        self.inventory = inventory
        actor = (login, try inventory.person(login: login))
        self.cache = try cache ?? StateCache(path: nil)
    }

    /// The dashboard's source: its cache in the user's cache directory when one can be made there.
    static func forDashboard(_ inventory: Inventory, login: String) throws -> StoreSource {
        let file = StateCache.defaultPath(for: inventory.path).flatMap { try? StateCache(path: $0) }
        return try StoreSource(inventory, login: login, cache: file)
    }

    /// The file name: the status bar has no room for a long path.
    var label: String { (inventory.path as NSString).lastPathComponent }
    var readOnly: Bool { inventory.readOnly }

    func isPrepared(asOf: Day) -> Bool { (try? cache.isPrepared(asOf: asOf, from: inventory)) ?? false }
    func prepare(asOf: Day, force: Bool) throws { try cache.prepare(asOf: asOf, from: inventory, force: force) }
    func report(asOf: Day, trend: Bool) throws -> PortfolioReport {
        let months = trend ? asOf.monthEnds(count: Windows.trendMonths) : []
        let counts = try cache.counts(asOf: months + [asOf], from: inventory)
        return try inventory.report(asOf: asOf, counts: counts.last!, trend: Array(zip(months, counts).map { (asOf: $0, counts: $1) }))
    }
    func firstLook(asOf: Day, top: Int) throws -> OverviewScreenData? { try screens.firstLook(asOf: asOf, top: top) }
    /// A second connection to the inventory and to the cache file (an in-memory cache has no second).
    func backgroundReader() -> PortfolioSource? {
        guard let file = cache.path, let second = try? Inventory(path: inventory.path, mode: .read, readOnly: true),
              let cache = try? StateCache(path: file) else { return nil }
        return try? StoreSource(second, login: actor.login, cache: cache)
    }
    func interrupt() {
        inventory.queue.interrupt()
        cache.interrupt()
    }
    /// Each screen's one read.
    var screens: ScreenReader { ScreenReader(inventory: inventory, cache: cache) }
    func overviewScreen(asOf: Day, trend: Bool, top: Int) throws -> OverviewScreenData { try screens.overview(asOf: asOf, trend: trend, top: top) }
    func modelsScreen(asOf: Day, _ query: ModelQuery, count: Int?) throws -> ModelsScreenData { try screens.models(asOf: asOf, query, count: count) }
    func riskScreen(asOf: Day, tag: String?, text: String, gapOrder: ListOrder?) throws -> RiskScreenData {
        try screens.risk(asOf: asOf, tag: tag, text: text, gapOrder: gapOrder)
    }
    func peopleScreen(asOf: Day) throws -> PeopleScreenData { try screens.people(asOf: asOf) }
    func tasksScreen(asOf: Day) throws -> TasksScreenData { try screens.tasks(asOf: asOf) }
    func auditScreen() throws -> AuditScreenData { try screens.audit() }
    func modelScreen(id: String, asOf: Day) throws -> ModelScreenData { try screens.model(id: id, asOf: asOf) }
    func assetScreen(id: String) throws -> AssetDetail { try screens.asset(id: id) }
    func kpiDrillScreen(_ kpi: KPIName, asOf: Day, domain: String?) throws -> KPIDrill {
        try screens.kpiDrill(kpi, asOf: asOf, domain: domain)
    }
    func personScreen(asOf: Day, login: String, text: String) throws -> PersonScreenData {
        try screens.person(asOf: asOf, login: login, text: text)
    }

    func models(asOf: Day, _ query: ModelQuery, count: Int?) throws -> any RowWindow<ModelSummary> {
        try cache.models(asOf: asOf, query, count: count)
    }
    func alerts(asOf: Day, text: String, domain: String?, severity: Alert.Severity?, order: ListOrder?) throws -> any RowWindow<NamedAlert> {
        try screens.alerts(asOf: asOf, text: text, domain: domain, severity: severity, order: order)
    }
    func riskLists(asOf: Day, text: String, gapOrder: ListOrder?) throws -> RiskLists { try screens.riskLists(asOf: asOf, text: text, gapOrder: gapOrder) }
    /// How many models exist at the date (`binnacle prepare` says it).
    func modelCount(asOf: Day) throws -> Int { try cache.modelCount(asOf: asOf) }
    func criticalModels(asOf: Day) throws -> Set<String> { try cache.criticalModels(asOf: asOf) }
    func completions(for command: String, prefix: String, limit: Int) throws -> [String]? {
        try inventory.completions(for: command, prefix: prefix, limit: limit)
    }
    func modelSummary(id: String, asOf: Day) throws -> ModelSummary? { try inventory.modelSummaries(asOf: asOf, model: id).first }
    func activeLogins() throws -> [String] { try inventory.activeLogins() }
    func openTasks(modelId: String) throws -> [OpenTaskRef] { try inventory.openTasks(modelIds: [modelId], asOf: Day.today())[modelId] ?? [] }
    func person(asOf: Day, login: String) throws -> PersonSummary? { try inventory.peopleSummaries(asOf: asOf, login: login).first }
    func dataVersion() throws -> Int { try inventory.dataVersion() }

    func assignTask(modelId: String, to assignee: String, due: Day, priority: TaskPriority, title: String) throws -> String {
        try inventory.governance.assignTask(modelId: modelId, to: assignee, due: due, priority: priority, title: title, note: "from the dashboard",
                                 by: actor.login).id
    }
    func setTaskStatus(_ taskId: String, to status: TaskStatus, note: String?) throws {
        _ = try inventory.governance.setTaskStatus(taskId, to: status, note: note, by: actor.login)
    }
    func approveDocument(modelId: String, kind: DocumentKind, version: String, expires: Day) throws {
        _ = try inventory.governance.approveDocument(modelId: modelId, kind: kind, version: version, expires: expires, by: actor.login)
    }
    func setStage(modelId: String, to stage: Stage, note: String?) throws {
        try inventory.governance.setStage(modelId: modelId, to: stage, note: note, override: nil, by: actor.login)
    }
    func changePerson(_ login: String, role: Role?, active: Bool?) throws {
        try inventory.governance.changePerson(login, role: role, active: active, by: actor.login)
    }
    func changeModelPeople(_ modelId: String, businessOwner: String?, developer: String?, validator: String??) throws {
        try inventory.governance.changeModelPeople(modelId, .init(businessOwner: businessOwner, developer: developer, validator: validator),
                                        note: "from the dashboard", by: actor.login)
    }
    func writeEvidencePack(asOf: Day, to path: String) throws -> String {
        let manifest = try inventory.writeEvidencePack(asOf: asOf, to: path, version: BinnacleVersion.current)
        return "audit head entry \(manifest.auditSeq)"
    }
    func reassignTask(_ taskId: String, to assignee: String) throws {
        try inventory.governance.reassignTask(taskId, to: assignee, note: "from the dashboard", by: actor.login)
    }
}
