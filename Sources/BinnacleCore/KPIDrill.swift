/// A KPI of PRODUCT.md by its report key, with the list of rows that computes it.
public enum KPIName: String, CaseIterable, Sendable {
    case impactShare = "impact_share", builtToValueShare = "built_to_value_share"
    case value12m = "value_12m", cost12m = "cost_12m", roi12m = "roi_12m"
    case alertsCritical = "alerts_critical", alertsWarning = "alerts_warning", modelsWithCritical = "models_with_critical"
    case docsCompleteShare = "docs_complete_share", medianDaysToProduction = "median_days_to_production"
    case shelvedShare = "shelved_share", openTasks = "open_tasks", overdueTasks = "overdue_tasks"

    /// The rows behind it: several KPIs share one list (value, cost and ROI; the three alert counts; the two task counts).
    public var list: DrillList {
        switch self {
        case .impactShare: return .impact
        case .builtToValueShare: return .builtToValue
        case .value12m, .cost12m, .roi12m: return .value
        case .alertsCritical, .alertsWarning, .modelsWithCritical: return .alerts
        case .docsCompleteShare: return .documents
        case .medianDaysToProduction: return .daysToProduction
        case .shelvedShare: return .shelved
        case .openTasks, .overdueTasks: return .tasks
        }
    }

    public var title: String {
        switch self {
        case .impactShare: return "Impact share"
        case .builtToValueShare: return "Built-to-value share"
        case .value12m: return "Value, 12 months"
        case .cost12m: return "Cost, 12 months"
        case .roi12m: return "ROI, 12 months"
        case .alertsCritical: return "Critical alerts"
        case .alertsWarning: return "Warnings"
        case .modelsWithCritical: return "Models with a critical alert"
        case .docsCompleteShare: return "Documentation complete"
        case .medianDaysToProduction: return "Median days idea → production"
        case .shelvedShare: return "Shelved share of built models"
        case .openTasks: return "Open remediation tasks"
        case .overdueTasks: return "Overdue remediation tasks"
        }
    }
}

/// The kinds of rows a KPI is computed from.
public enum DrillList: String, CaseIterable, Sendable {
    /// Production models at D, with their 90-day value (impact share).
    case impact
    /// Built models at D, and whether each is in production with impact (built-to-value share).
    case builtToValue
    /// Every model with its value and cost over the 365-day window (value, cost, ROI).
    case value
    /// One row an alert (the alert counts).
    case alerts
    /// Production models with their required and missing document kinds (documentation complete).
    case documents
    /// Models whose first production is in the 365-day window, with their days (median days).
    case daysToProduction
    /// Built models with their stage at D, and the models shelved without being built (shelved share).
    case shelved
    /// Open tasks, overdue marked (open and overdue tasks).
    case tasks

    /// The value window a list's KPIs need a record in to be measured at all (90 days for impact and
    /// built-to-value, 365 for value, cost and ROI), in days; nil for the lists measured regardless.
    public var valueWindow: Int? {
        switch self {
        case .impact, .builtToValue: return Windows.impact
        case .value: return Windows.year
        case .alerts, .documents, .daysToProduction, .shelved, .tasks: return nil
        }
    }

    /// Whether `k` has a value recorded in the list's window (as `KPIName.value` requires).
    public func valueRecorded(_ k: KPIs) -> Bool {
        switch self {
        case .impact, .builtToValue: return k.valueRecorded90d
        case .value: return k.valueRecorded12m
        case .alerts, .documents, .daysToProduction, .shelved, .tasks: return true
        }
    }

    /// What the rows are, for the heading.
    public var rowsAre: String {
        switch self {
        case .impact: return "production models"
        case .builtToValue: return "built models"
        case .shelved: return "built or shelved models"
        case .value: return "models with their value and cost over 365 days"
        case .alerts: return "alerts (production models)"
        case .documents: return "production models with their required documents"
        case .daysToProduction: return "models first in production in the 365-day window"
        case .tasks: return "open remediation tasks"
        }
    }
}

/// One row of a drill-down: a model (or one of its alerts or tasks) with the columns its KPI is computed from.
public struct DrillRow: Equatable, Sendable {
    public var modelId: String
    public var modelName: String
    public var domain: String
    /// Its stage at D (nil where the list does not show it).
    public var stage: Stage?
    /// Whether the row counts in the KPI's numerator: has impact; in production with impact; every
    /// required document current; shelved; overdue.
    public var counts = false
    /// Whether the row counts in the denominator: every row, except a model shelved without ever
    /// being built (the shelved share counts it over the built models).
    public var inBase = true
    public var value90d: Double?
    public var value12m: Double?
    public var cost12m: Double?
    public var created: Day?
    public var firstProduction: Day?
    public var days: Int?
    public var requiredDocuments: [DocumentKind] = []
    public var missingDocuments: [DocumentKind] = []
    public var alert: Alert? {
        get { alertHeld?.value }
        set { alertHeld = newValue.map(Held.init) }
    }
    public var task: RemediationTask? {
        get { taskHeld?.value }
        set { taskHeld = newValue.map(Held.init) }
    }
    /// The alert and the task held apart: only their lists have them, and inline they took a row to
    /// 400 bytes (a drill-down of 50,000 models to 20 MB).
    private var alertHeld: Held<Alert>?
    private var taskHeld: Held<RemediationTask>?

    public init(modelId: String, modelName: String, domain: String, stage: Stage? = nil) {
        self.modelId = modelId; self.modelName = modelName; self.domain = domain; self.stage = stage
    }
}

/// A KPI's drill-down as of a date: its rows, and the KPI recomputed from them (which must equal
/// the report's number: the rows come from the same SQL as the counts).
public struct KPIDrill: Sendable {
    public var kpi: KPIName
    public var asOf: Day
    public var domain: String?
    public var currency: String
    public var rows: [DrillRow]

    /// Whether any value was recorded in the list's value window (always, for lists without one):
    /// without, the KPI reads "no data" as its tile does, not a share or sum of nothing.
    public var valueRecorded: Bool

    public init(kpi: KPIName, asOf: Day, domain: String?, currency: String, rows: [DrillRow], valueRecorded: Bool = true) {
        self.kpi = kpi; self.asOf = asOf; self.domain = domain; self.currency = currency; self.rows = rows
        self.valueRecorded = valueRecorded
    }

    /// How many rows count in the numerator, and in the denominator.
    public var counted: Int { rows.reduce(0) { $0 + ($1.counts ? 1 : 0) } }
    public var base: Int { rows.reduce(0) { $0 + ($1.inBase ? 1 : 0) } }
    private var share: Double? { KPIs.ratio(Double(counted), Double(base)) }
    public var totalValue: Double { rows.reduce(0) { $0 + ($1.value12m ?? 0) } }
    public var totalCost: Double { rows.reduce(0) { $0 + ($1.cost12m ?? 0) } }
    public var days: [Int] { rows.compactMap(\.days) }
    public func alerts(_ severity: Alert.Severity) -> Int { rows.reduce(0) { $0 + ($1.alert?.severity == severity ? 1 : 0) } }
    public var modelsWithCritical: Int { Set(rows.filter { $0.alert?.severity == .critical }.map(\.modelId)).count }

    /// The KPI as recomputed from the rows, by the formulas of `KPIs`.
    public var value: KPIValue {
        switch kpi {
        case .impactShare, .builtToValueShare, .docsCompleteShare, .shelvedShare:
            return .share(share)
        case .value12m: return .money(totalValue)
        case .cost12m: return .money(totalCost)
        case .roi12m: return .share(KPIs.ratio(totalValue - totalCost, totalCost))
        case .alertsCritical: return .count(alerts(.critical))
        case .alertsWarning: return .count(alerts(.warning))
        case .modelsWithCritical: return .count(modelsWithCritical)
        case .medianDaysToProduction: return .days(KPIs.median(days))
        case .openTasks: return .count(rows.count)
        case .overdueTasks: return .count(counted)
        }
    }

    /// The KPI as a reader is shown it: nil when no value was recorded in its window.
    public var shown: KPIValue? { valueRecorded ? value : nil }

    /// The rows holding the median days: the middle one, or the two middle ones of an even count.
    public var medianRows: Set<Int> {
        let dated = rows.indices.filter { rows[$0].days != nil }.sorted { (rows[$0].days!, $0) < (rows[$1].days!, $1) }
        guard !dated.isEmpty else { return [] }
        let mid = dated.count / 2
        return dated.count % 2 == 1 ? [dated[mid]] : [dated[mid - 1], dated[mid]]
    }

    /// The footer: the KPI's arithmetic over the rows, e.g. `with impact 40 / production 49 = 81.6%`;
    /// led by `no value recorded in 90 days`, its results "—", when nothing was recorded in the window.
    public var footer: String {
        let measured = valueRecorded
        let money = { (v: Double) in measured ? Format.compact(v) + (currency.isEmpty ? "" : " \(currency)") : Format.undefined }
        let percent = { (s: Double?) in Format.percent(measured ? s : nil) }
        let arithmetic: String
        switch kpi.list {
        case .impact: arithmetic = "with impact \(counted) / production \(base) = \(percent(share))"
        case .builtToValue: arithmetic = "in production with impact \(counted) / built \(base) = \(percent(share))"
        case .documents: arithmetic = "complete \(counted) / production \(base) = \(percent(share))"
        case .shelved: arithmetic = "shelved \(counted) / built \(base) = \(percent(share))"
        case .value:
            arithmetic = "value \(money(totalValue)) · cost \(money(totalCost)) · ROI (value − cost) / cost = "
                + percent(KPIs.ratio(totalValue - totalCost, totalCost))
        case .alerts:
            arithmetic = "critical \(alerts(.critical)) (models \(modelsWithCritical)) · warning \(alerts(.warning)) · \(rows.count) alerts"
        case .daysToProduction: arithmetic = "median of \(days.count) = \(Format.days(KPIs.median(days)))"
        case .tasks: arithmetic = "open \(rows.count) · overdue \(counted)"
        }
        guard !measured, let window = kpi.list.valueWindow else { return arithmetic }
        return "no value recorded in \(window) days · " + arithmetic
    }
}

/// A column of a drill-down, for the dashboard and the command line alike.
public struct DrillColumn: Sendable {
    public var title: String
    /// Its width on screen (the dashboard may narrow the flexible first columns).
    public var width: Int
    public var numeric: Bool
    init(_ title: String, _ width: Int, numeric: Bool = false) { self.title = title; self.width = width; self.numeric = numeric }
}

extension KPIDrill {
    /// The columns that compute the KPI, after the model and its domain.
    public var columns: [DrillColumn] {
        let model = [DrillColumn("MODEL", 24), DrillColumn("DOMAIN", 14)]
        switch kpi.list {
        case .impact: return model + [DrillColumn("VALUE 90D", 10, numeric: true), DrillColumn("IMPACT", 6)]
        case .builtToValue:
            return model + [DrillColumn("STAGE", 11), DrillColumn("VALUE 90D", 10, numeric: true), DrillColumn("IN PRODUCTION WITH IMPACT", 25)]
        case .value:
            return model + [DrillColumn("VALUE 12M", 10, numeric: true), DrillColumn("COST 12M", 10, numeric: true),
                            DrillColumn("NET", 10, numeric: true)]
        case .alerts:
            return model + [DrillColumn("METRIC", 14), DrillColumn("SEVERITY", 8), DrillColumn("REASON", 11),
                            DrillColumn("LATEST", 8, numeric: true), DrillColumn("THRESHOLD", 9, numeric: true), DrillColumn("OBSERVED", 10)]
        case .documents:
            return model + [DrillColumn("REQUIRED", 8, numeric: true), DrillColumn("CURRENT", 7, numeric: true),
                            DrillColumn("MISSING", 22), DrillColumn("COMPLETE", 8)]
        case .daysToProduction:
            return model + [DrillColumn("CREATED", 10), DrillColumn("FIRST PROD", 10), DrillColumn("DAYS", 5, numeric: true),
                            DrillColumn("MEDIAN", 6)]
        case .shelved: return model + [DrillColumn("STAGE", 11), DrillColumn("BUILT", 5), DrillColumn("SHELVED", 7)]
        case .tasks:
            return model + [DrillColumn("TASK", 10), DrillColumn("ASSIGNEE", 10), DrillColumn("DUE", 10), DrillColumn("STATUS", 11),
                            DrillColumn("OVERDUE", 7)]
        }
    }

    /// Row `i`'s cells under `columns` (text from the database as it is: each output sanitises it).
    /// `exact`: numbers at full precision (for json and csv) rather than compact.
    public func cells(_ i: Int, medians: Set<Int>, exact: Bool = false) -> [String] {
        let r = rows[i]
        let money = { (v: Double?) in exact ? Format.number(v) : Format.compact(v) }
        let yes = { (b: Bool) in b ? "yes" : "no" }
        let model = [r.modelName, r.domain]
        switch kpi.list {
        case .impact: return model + [money(r.value90d), yes(r.counts)]
        case .builtToValue: return model + [r.stage?.rawValue ?? "", money(r.value90d), yes(r.counts)]
        case .value:
            return model + [money(r.value12m), money(r.cost12m), money((r.value12m ?? 0) - (r.cost12m ?? 0))]
        case .alerts:
            let a = r.alert
            return model + [a?.metric ?? "", a?.severity.rawValue ?? "", a?.reason.rawValue ?? "", Format.number(a?.value),
                            Format.number(a?.threshold), a?.observedAt.map { $0.day.description } ?? Format.undefined]
        case .documents:
            return model + [String(r.requiredDocuments.count), String(r.requiredDocuments.count - r.missingDocuments.count),
                            r.missingDocuments.map(\.rawValue).joined(separator: ", "), yes(r.counts)]
        case .daysToProduction:
            return model + [r.created?.description ?? "", r.firstProduction?.description ?? "", r.days.map(String.init) ?? "",
                            medians.contains(i) ? "median" : ""]
        case .shelved: return model + [r.stage?.rawValue ?? "", yes(r.inBase), yes(r.counts)]
        case .tasks:
            let t = r.task
            return model + [t?.id ?? "", t?.assignee ?? "", t?.dueAt.day.description ?? "", t?.status.rawValue ?? "", r.counts ? "overdue" : ""]
        }
    }
}

/// A value kept out of line (in a class of its own, never changed, so copies share it as a value).
final class Held<T: Equatable & Sendable>: Equatable, Sendable {
    let value: T
    init(_ value: T) { self.value = value }
    static func == (a: Held, b: Held) -> Bool { a.value == b.value }
}
