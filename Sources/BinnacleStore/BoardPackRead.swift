import BinnacleCore
import GRDB

extension Inventory {
    /// What the board pack shows as of a date, read in one transaction so its parts agree: the report
    /// with its 12-month trend, the first `top` alerts (critical first, as `alerts` lists them), the
    /// `top` most overdue open tasks, and the audit head at the date.
    public func boardPack(asOf: Day, domain: String? = nil, top: Int = 25) throws -> BoardPack {
        try read { db in try Inventory.boardPack(db, asOf: asOf, domain: domain, top: top) }
    }

    static func boardPack(_ db: Database, asOf: Day, domain: String?, top: Int) throws -> BoardPack {
        try boardPackAndAlerts(db, asOf: asOf, domain: domain, top: top).pack
    }

    /// The board pack and every alert at the date (of which it shows the first `top`): the evidence pack lists them all.
    static func boardPackAndAlerts(_ db: Database, asOf: Day, domain: String?, top: Int) throws -> (pack: BoardPack, alerts: [Alert]) {
        // The counts at the 13 dates and the alerts at the first in one pass over the facts, as `health` does.
        let months = asOf.monthEnds(count: Windows.trendMonths)
        let report: PortfolioReport, alerts: [Alert]
        if let swept = try KPISweep.sweep(db, asOf: [asOf] + months, domain: domain, listing: true) {
            report = try Inventory.report(db, asOf: asOf, domain: domain, counts: swept.counts[0],
                                          trend: zip(months, swept.counts.dropFirst()).map { (asOf: $0, counts: $1) })
            alerts = swept.alerts
        } else {
            report = try Inventory.report(db, asOf: asOf, domain: domain)
            alerts = try Inventory.alertsBySQL(db, asOf: asOf, domain: domain, modelId: nil)
        }
        let shown = alerts.prefix(top)
        let names = try Inventory.lineageNodes(db, Array(Set(shown.map(\.modelId)))).mapValues(\.name)
        var arguments = PortfolioSQL.arguments(asOf: asOf, domain: domain)
        arguments += ["top": top]
        let overdue = try Row.fetchAll(db, sql: """
            SELECT t.*, m.name AS model_name FROM tasks t JOIN models m ON m.id = t.model_id
            WHERE \(DomainRules.overdueTask("t")) AND (:domain IS NULL OR m.domain = :domain)
            ORDER BY t.due_at, t.id LIMIT :top
            """, arguments: arguments).map { BoardPack.OverdueTask(task: Inventory.task($0), modelName: $0["model_name"]) }
        let pack = BoardPack(report: report, auditHead: try auditHead(db, asOf: asOf),
                             alerts: shown.map { NamedAlert($0, modelName: names[$0.modelId] ?? $0.modelId) }, alertCount: alerts.count,
                             overdueTasks: overdue, overdueCount: report.kpis.overdueTasks)
        return (pack, alerts)
    }

    /// The latest audit entry dated on or before `asOf` (its time stamp starts with its UTC date).
    static func auditHead(_ db: Database, asOf: Day) throws -> BoardPack.AuditHead? {
        try Row.fetchOne(db, sql: "SELECT seq, hash FROM audit_log WHERE at < ? ORDER BY seq DESC LIMIT 1",
                         arguments: [asOf.adding(days: 1).description]).map { BoardPack.AuditHead(seq: $0["seq"], hash: $0["hash"]) }
    }
}
