/// The board pack (`binnacle report --format html`): one self-contained HTML page of the portfolio as
/// of a date — KPI tiles against their targets with a 12-month chart each, domain bars, the top alerts
/// and the overdue remediation — for a browser or its "Print to PDF" (A4, the header on every page).
///
/// Pure: data in, text out (`html()`, or `write(to:)` to stream it). The store gathers the data in one
/// read (`Inventory.boardPack`).
///
/// Other documents built on this page (the evidence pack's `index.html`) add their own sections as
/// `tables`: each is rendered after the standard sections as a titled table, every cell escaped, its
/// heading repeated on each printed page and no row split across pages:
///
///     var pack = try inventory.boardPack(asOf: day)
///     pack.title = "Evidence pack"
///     pack.tables.append(BoardPack.Table(title: "Inventory", note: "Every model existing on \(day).",
///                                        headers: ["Model", "Stage"], rows: [["Churn", "production"]]))
///     let html = pack.html()
public struct BoardPack: Sendable {
    /// What the page is called in its title and header (e.g. "Evidence pack").
    public var title = "Board pack"
    public var report: PortfolioReport
    /// The latest audit entry dated on or before the report's date; nil when the log has none.
    public var auditHead: AuditHead?
    /// The first alerts as of the date, critical first, and how many there are in all.
    public var alerts: [NamedAlert]
    public var alertCount: Int
    /// The most overdue open tasks first, and how many are overdue in all.
    public var overdueTasks: [OverdueTask]
    public var overdueCount: Int
    /// Extra sections, after the standard ones.
    public var tables: [Table] = []

    public init(report: PortfolioReport, auditHead: AuditHead?, alerts: [NamedAlert], alertCount: Int,
                overdueTasks: [OverdueTask], overdueCount: Int) {
        self.report = report; self.auditHead = auditHead; self.alerts = alerts; self.alertCount = alertCount
        self.overdueTasks = overdueTasks; self.overdueCount = overdueCount
    }

    public struct AuditHead: Sendable, Equatable {
        public var seq: Int
        public var hash: String
        public init(seq: Int, hash: String) { self.seq = seq; self.hash = hash }
    }

    public struct OverdueTask: Sendable, Equatable {
        public var task: RemediationTask
        public var modelName: String
        public init(task: RemediationTask, modelName: String) { self.task = task; self.modelName = modelName }
    }

    /// A titled table of text: a heading row and rows of cells (a short row is padded with empty cells).
    public struct Table: Sendable, Equatable {
        public var title: String
        public var note: String?
        public var headers: [String]
        public var rows: [[String]]
        public init(title: String, note: String? = nil, headers: [String], rows: [[String]]) {
            self.title = title; self.note = note; self.headers = headers; self.rows = rows
        }
    }
}

/// A KPI as a board-pack tile: its report key (as in `report --format json`), its label, its target
/// and whether it is measured at all (the value KPIs are not when no value was recorded in their
/// window: then the tile shows "—", "no data", and the chart a gap, never a miss or a zero).
struct Indicator: Sendable {
    var key: String
    var label: String
    var target: KPITarget?
    var measured: @Sendable (KPIs) -> Bool = { _ in true }

    static let all: [Indicator] = [
        Indicator(key: "impact_share", label: "Impact share (production models with value)", target: Targets.impact, measured: \.valueRecorded90d),
        Indicator(key: "built_to_value_share", label: "Built-to-value share", target: nil, measured: \.valueRecorded90d),
        Indicator(key: "value_12m", label: "Value, last 12 months", target: nil, measured: \.valueRecorded12m),
        Indicator(key: "cost_12m", label: "Cost, last 12 months", target: nil, measured: \.valueRecorded12m),
        Indicator(key: "roi_12m", label: "ROI, last 12 months", target: Targets.roi, measured: \.valueRecorded12m),
        Indicator(key: "alerts_critical", label: "Critical alerts", target: Targets.noCriticalAlerts),
        Indicator(key: "docs_complete_share", label: "Documentation complete (production)", target: Targets.docsComplete),
        Indicator(key: "overdue_tasks", label: "Overdue remediation tasks", target: Targets.noOverdueTasks),
        Indicator(key: "median_days_to_production", label: "Median days to production (12 months)", target: nil),
        Indicator(key: "shelved_share", label: "Shelved share of built models", target: nil),
        Indicator(key: "production_models", label: "Models in production", target: nil),
    ]

    /// The KPI's value, nil when undefined or not measured.
    func value(_ k: KPIs) -> KPIValue? {
        guard measured(k), let v = k.fields.first(where: { $0.key == key })?.value, v.number != nil else { return nil }
        return v
    }

    /// "met", "missed" or "no data"; nil for a KPI with no target that has a value.
    func status(_ k: KPIs) -> String? {
        guard value(k) != nil else { return "no data" }
        guard let target else { return nil }
        return target.isMet(k).map { $0 ? "met" : "missed" } ?? "no data"
    }
}

extension KPIValue {
    /// The value as a number, for charts; nil when undefined.
    var number: Double? {
        switch self {
        case .share(let s): return s
        case .money(let m): return m
        case .count(let c): return Double(c)
        case .days(let d): return d
        }
    }
}
