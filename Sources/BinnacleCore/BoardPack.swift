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

/// A KPI as a board-pack tile: the KPI (and so its report key, as in `report --format json`), its
/// label, its target and its value as shown (the value KPIs have none when no value was recorded in
/// their window: then the tile shows "—", "no data", and the chart a gap, never a miss or a zero).
struct Indicator: Sendable {
    /// The KPI; nil for the count of production models, which is not one.
    var kpi: KPIName?
    var label: String
    var target: KPITarget?
    /// The value as a reader is shown it: nil when undefined or not measured.
    var value: @Sendable (KPIs) -> KPIValue?

    /// The report key.
    var key: String { kpi?.rawValue ?? "production_models" }

    init(_ kpi: KPIName, _ label: String) {
        self.kpi = kpi; self.label = label; target = kpi.target; value = kpi.kpiValue
    }

    init(_ kpi: KPIName?, _ label: String, value: @escaping @Sendable (KPIs) -> KPIValue?) {
        self.kpi = kpi; self.label = label; self.value = value
    }

    static let all: [Indicator] = [
        Indicator(.impactShare, "Impact share (production models with value)"),
        Indicator(.builtToValueShare, "Built-to-value share"),
        Indicator(.value12m, "Value, last 12 months"),
        Indicator(.cost12m, "Cost, last 12 months"),
        Indicator(.roi12m, "ROI, last 12 months"),
        Indicator(.alertsCritical, "Critical alerts"),
        Indicator(.docsCompleteShare, "Documentation complete (production)"),
        Indicator(.overdueTasks, "Overdue remediation tasks"),
        Indicator(.medianDaysToProduction, "Median days to production (12 months)"),
        Indicator(.shelvedShare, "Shelved share of built models"),
        Indicator(nil, "Models in production") { .count($0.productionModels) },
    ]

    /// Met, missed or no data; nil for a KPI with no target that has a value.
    func status(_ k: KPIs) -> TargetStatus? {
        guard value(k) != nil else { return .noData }
        return target?.status(k)
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
