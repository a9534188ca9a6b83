import BinnacleCore
import GRDB

/// One read per dashboard screen: every inventory query a screen shows runs in one read transaction
/// (`inventory.read`), so no write lands between its parts. The parts that come from the dashboard's
/// cache (the models, alerts, gaps and breaches lists) are read inside that transaction too: while it
/// holds the inventory's shared lock no write can commit, so the cache entry keyed on the inventory's
/// revision is the one that matches what the screen reads. Later windows of a long list are read when
/// paged to (`RowWindow.rows`).
public struct ScreenReader {
    public let inventory: Inventory
    public let cache: StateCache

    /// Tests only: runs between the KPI counts and the overview's transaction (to land a write there).
    var betweenCountsAndRead: (() throws -> Void)?

    public init(inventory: Inventory, cache: StateCache) {
        self.inventory = inventory
        self.cache = cache
    }

    /// The KPIs (with the 12-month trend when asked) and the first `top` alerts.
    ///
    /// The KPI counts are the one part read before the transaction: `StateCache.counts` derives a date
    /// it lacks under its own read of the inventory, and reads do not nest. So the revision is taken
    /// before them and checked inside the transaction: if a write landed in between, the screen is
    /// read again (a few times at most; under a stream of writes the last read is shown).
    public func overview(asOf: Day, trend: Bool, top: Int) throws -> OverviewScreenData {
        let months = trend ? asOf.monthEnds(count: Windows.trendMonths) : []
        for attempt in 1...ScreenReader.attempts {
            let before = try inventory.read { try StateCache.revision($0, path: inventory.path) }
            let counts = try cache.counts(asOf: months + [asOf], from: inventory)
            try betweenCountsAndRead?()
            let read = try inventory.read { db -> OverviewScreenData? in
                let unchanged = try StateCache.revision(db, path: inventory.path) == before
                guard unchanged || attempt == ScreenReader.attempts else { return nil }
                let report = try Inventory.report(db, asOf: asOf, counts: counts.last!,
                                                  trend: zip(months, counts).map { (asOf: $0, counts: $1) })
                let alerts = try cache.alerts(asOf: asOf)
                return OverviewScreenData(report: report, alertCount: alerts.count, topAlerts: try alerts.rows(0..<min(alerts.count, top)))
            }
            if let read { return read }
        }
        preconditionFailure("the last attempt always reads")
    }

    static let attempts = 3

    /// The overview at a date whose lists are not derived yet (the dashboard's first look at it),
    /// without the trend: the KPIs and every alert from one sweep of the inventory (KPISweep) in one
    /// read transaction — the counts and the alert list, in its order, that the lists give once
    /// derived (FirstLookTests compares them). Its counts are kept in the cache, so the trend's sweep
    /// skips the date. Nil when the inventory holds a date the sweep cannot compare (the overview then
    /// waits for the lists).
    public func firstLook(asOf: Day, top: Int) throws -> OverviewScreenData? {
        try inventory.read { db in
            guard let swept = try KPISweep.sweep(db, asOf: [asOf], domain: nil, listing: true) else { return nil }
            try cache.keep(swept.counts[0], asOf: asOf, revision: try StateCache.revision(db, path: inventory.path))
            let report = try Inventory.report(db, asOf: asOf, counts: swept.counts[0], trend: [])
            let first = Array(swept.alerts.prefix(top))
            let names = try Inventory.modelNames(db, first.map(\.modelId))
            return OverviewScreenData(report: report, alertCount: swept.alerts.count,
                                      topAlerts: first.map { NamedAlert($0, modelName: names[$0.modelId] ?? $0.modelId) })
        }
    }

    /// How many models exist at the date, and those matching `query` (`count`: how many match, when known).
    public func models(asOf: Day, _ query: ModelQuery, count: Int?) throws -> ModelsScreenData {
        try inventory.read { _ in
            ModelsScreenData(total: try cache.modelCount(asOf: asOf), models: try cache.models(asOf: asOf, query, count: count))
        }
    }

    /// The alerts, critical first; with `text`, those that mention it; with `domain` and `severity`, those.
    /// Each window of rows comes with the open task on each alert's model (who is on it).
    public func alerts(asOf: Day, text: String, domain: String? = nil, severity: Alert.Severity? = nil,
                       order: ListOrder? = nil) throws -> any RowWindow<NamedAlert> {
        let rows = try inventory.read { _ in try cache.alerts(asOf: asOf, text: text, domain: domain, severity: severity, order: order) }
        return AlertsWithTasks(rows, inventory: inventory, asOf: asOf)
    }

    /// Reviews due, `tag`'s exposure across lineage, and the document gaps and breaches matching `text`.
    public func risk(asOf: Day, tag: String?, text: String, gapOrder: ListOrder? = nil) throws -> RiskScreenData {
        try inventory.read { db in
            RiskScreenData(reviews: try Inventory.reviewsDue(db, asOf: asOf),
                           exposure: try tag.map { try Inventory.tagExposure(db, $0, asOf: asOf) },
                           lists: try cachedRiskLists(asOf: asOf, text: text, gapOrder: gapOrder))
        }
    }

    /// The Risk screen's long lists alone, for a new `/` filter.
    public func riskLists(asOf: Day, text: String, gapOrder: ListOrder? = nil) throws -> RiskLists {
        try inventory.read { _ in try cachedRiskLists(asOf: asOf, text: text, gapOrder: gapOrder) }
    }

    /// Inside a read of the inventory.
    private func cachedRiskLists(asOf: Day, text: String, gapOrder: ListOrder?) throws -> RiskLists {
        let gaps = try cache.documentGaps(asOf: asOf, text: text, order: gapOrder)
        return RiskLists(documentGaps: gaps.rows, built: gaps.built, breaches: try cache.breaches(asOf: asOf, text: text))
    }

    public func people(asOf: Day) throws -> PeopleScreenData {
        try inventory.read { db in
            PeopleScreenData(people: try Inventory.peopleSummaries(db, asOf: asOf), orphans: try Inventory.orphanedModels(db, asOf: asOf))
        }
    }

    public func tasks(asOf: Day) throws -> TasksScreenData {
        try inventory.read { db in
            let tasks = try Inventory.tasks(db, asOf: asOf)
            let names = try Inventory.lineageNodes(db, Array(Set(tasks.map(\.modelId)))).mapValues(\.name)
            return TasksScreenData(tasks: tasks, modelNames: names)
        }
    }

    public func audit() throws -> AuditScreenData {
        try inventory.read { db in
            AuditScreenData(entries: try AuditLog.entries(db, filter: nil, limit: 1000), chain: try AuditLog.verify(db))
        }
    }

    /// A model's detail and its lineage both ways, with every node on the trees named.
    public func model(id: String, asOf: Day) throws -> ModelScreenData {
        try inventory.read { db in
            let detail = try Inventory.modelDetail(db, id: id, asOf: asOf)
            let up = try Inventory.lineageEdges(db, of: id, upstream: true)
            let down = try Inventory.lineageEdges(db, of: id, upstream: false)
            let ids = Set((up + down).flatMap { [$0.upstream, $0.downstream] })
            return ModelScreenData(detail: detail, upstream: up, downstream: down, nodes: try Inventory.lineageNodes(db, Array(ids)))
        }
    }

    /// A KPI's drill-down: its rows at the date (in one domain, or all).
    public func kpiDrill(_ kpi: KPIName, asOf: Day, domain: String?) throws -> KPIDrill {
        try inventory.kpiDrill(kpi, asOf: asOf, domain: domain)
    }

    public func asset(id: String) throws -> AssetDetail {
        try inventory.read { db in try Inventory.asset(db, id: id) }
    }

    /// A person, their tasks, and the models they are involved in matching `text`.
    public func person(asOf: Day, login: String, text: String) throws -> PersonScreenData {
        try inventory.read { db in
            PersonScreenData(summary: try Inventory.peopleSummaries(db, asOf: asOf, login: login).first,
                             tasks: try Inventory.tasks(db, asOf: asOf, assignee: login),
                             models: try cache.models(asOf: asOf, ModelQuery(text: text, involving: login)))
        }
    }
}

/// The alerts list with each alert's open task: read a window at a time from the inventory, as the
/// tasks change with every assignment (the cached alerts do not).
final class AlertsWithTasks: RowWindow {
    let alerts: CachedRows<NamedAlert>
    let inventory: Inventory
    let asOf: Day
    init(_ alerts: CachedRows<NamedAlert>, inventory: Inventory, asOf: Day) { self.alerts = alerts; self.inventory = inventory; self.asOf = asOf }
    var count: Int { alerts.count }
    func rows(_ range: Range<Int>) throws -> [NamedAlert] {
        var rows = try alerts.rows(range)
        let tasks = try inventory.openTasks(modelIds: rows.map(\.alert.modelId), asOf: asOf)
        for i in rows.indices { rows[i].openTask = OpenTaskRef.forAlert(rows[i].alert, among: tasks[rows[i].alert.modelId] ?? []) }
        return rows
    }
}
