/// What the store counts for a group of models (the whole portfolio or one domain) as of a date.
/// Every field is additive, so a portfolio's counts are the sum of its domains' counts.
public struct KPICounts: Equatable, Sendable, Codable {
    public var existingModels = 0
    public var productionModels = 0
    public var productionWithImpact = 0
    public var builtModels = 0
    public var shelvedModels = 0
    public var productionDocsComplete = 0
    public var value12m = 0.0
    public var cost12m = 0.0
    /// Value records in the 90- and 365-day windows: with none, the value KPIs have nothing to measure.
    public var valueRecords90d = 0
    public var valueRecords12m = 0
    public var alertsCritical = 0
    public var alertsWarning = 0
    public var modelsWithCritical = 0
    public var openTasks = 0
    public var overdueTasks = 0
    /// Days from idea to first production, for models whose first production falls in the year window.
    public var daysToProduction: [Int] = []

    public init() {}

    public static func + (a: KPICounts, b: KPICounts) -> KPICounts {
        var s = a
        s.existingModels += b.existingModels
        s.productionModels += b.productionModels
        s.productionWithImpact += b.productionWithImpact
        s.builtModels += b.builtModels
        s.shelvedModels += b.shelvedModels
        s.productionDocsComplete += b.productionDocsComplete
        s.value12m += b.value12m
        s.cost12m += b.cost12m
        s.valueRecords90d += b.valueRecords90d
        s.valueRecords12m += b.valueRecords12m
        s.alertsCritical += b.alertsCritical
        s.alertsWarning += b.alertsWarning
        s.modelsWithCritical += b.modelsWithCritical
        s.openTasks += b.openTasks
        s.overdueTasks += b.overdueTasks
        s.daysToProduction += b.daysToProduction
        return s
    }
}

/// The KPIs of PRODUCT.md, under its names. A share or ratio whose denominator is 0 is nil.
public struct KPIs: Equatable, Sendable {
    public var impactShare: Double?
    public var builtToValueShare: Double?
    public var value12m: Double
    public var cost12m: Double
    public var roi12m: Double?
    public var alertsCritical: Int
    public var alertsWarning: Int
    public var modelsWithCritical: Int
    public var docsCompleteShare: Double?
    public var medianDaysToProduction: Double?
    public var shelvedShare: Double?
    public var openTasks: Int
    public var overdueTasks: Int
    public var productionModels: Int
    public var productionWithImpact: Int
    public var builtModels: Int
    /// Whether any value was recorded in the 90-day (impact) and 365-day windows. Screens say "no
    /// value recorded" rather than show a share of zero when it was not; the report's numbers keep
    /// to the definitions.
    public var valueRecorded90d: Bool
    public var valueRecorded12m: Bool

    public init(_ c: KPICounts) {
        valueRecorded90d = c.valueRecords90d > 0
        valueRecorded12m = c.valueRecords12m > 0
        impactShare = KPIs.ratio(Double(c.productionWithImpact), Double(c.productionModels))
        builtToValueShare = KPIs.ratio(Double(c.productionWithImpact), Double(c.builtModels))
        value12m = c.value12m
        cost12m = c.cost12m
        roi12m = KPIs.ratio(c.value12m - c.cost12m, c.cost12m)
        alertsCritical = c.alertsCritical
        alertsWarning = c.alertsWarning
        modelsWithCritical = c.modelsWithCritical
        docsCompleteShare = KPIs.ratio(Double(c.productionDocsComplete), Double(c.productionModels))
        medianDaysToProduction = KPIs.median(c.daysToProduction)
        shelvedShare = KPIs.ratio(Double(c.shelvedModels), Double(c.builtModels))
        openTasks = c.openTasks
        overdueTasks = c.overdueTasks
        productionModels = c.productionModels
        productionWithImpact = c.productionWithImpact
        builtModels = c.builtModels
    }

    public static func ratio(_ numerator: Double, _ denominator: Double) -> Double? {
        denominator == 0 ? nil : numerator / denominator
    }

    /// The middle value; for an even count the mean of the two middle values; nil when empty.
    public static func median(_ values: [Int]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let mid = sorted.count / 2
        return sorted.count % 2 == 1 ? Double(sorted[mid]) : Double(sorted[mid - 1] + sorted[mid]) / 2
    }

    /// The KPIs as (report key, value) in the report's order.
    public var fields: [(key: String, value: KPIValue)] {
        [
            ("impact_share", .share(impactShare)),
            ("built_to_value_share", .share(builtToValueShare)),
            ("value_12m", .money(value12m)),
            ("cost_12m", .money(cost12m)),
            ("roi_12m", .share(roi12m)),
            ("alerts_critical", .count(alertsCritical)),
            ("alerts_warning", .count(alertsWarning)),
            ("models_with_critical", .count(modelsWithCritical)),
            ("docs_complete_share", .share(docsCompleteShare)),
            ("median_days_to_production", .days(medianDaysToProduction)),
            ("shelved_share", .share(shelvedShare)),
            ("open_tasks", .count(openTasks)),
            ("overdue_tasks", .count(overdueTasks)),
            ("production_models", .count(productionModels)),
            ("production_with_impact", .count(productionWithImpact)),
            ("built_models", .count(builtModels)),
        ]
    }
}

/// A KPI value with what it measures, so each output format can show it properly.
public enum KPIValue: Equatable, Sendable {
    case share(Double?)
    case money(Double)
    case count(Int)
    case days(Double?)
}

/// The portfolio's KPIs as of a date, per domain, and at the 12 most recent month-ends.
public struct PortfolioReport: Equatable, Sendable {
    public var asOf: Day
    public var portfolio: String
    public var currency: String
    public var domainFilter: String?
    public var kpis: KPIs
    public var domains: [(domain: String, kpis: KPIs)]
    public var trend: [(asOf: Day, kpis: KPIs)]
    /// What the inventory records at all (its gaps are said beside the numbers).
    public var coverage = Coverage.full

    public init(asOf: Day, portfolio: String, currency: String, domainFilter: String?, kpis: KPIs,
                domains: [(domain: String, kpis: KPIs)], trend: [(asOf: Day, kpis: KPIs)]) {
        self.asOf = asOf; self.portfolio = portfolio; self.currency = currency; self.domainFilter = domainFilter
        self.kpis = kpis; self.domains = domains; self.trend = trend
    }

    public static func == (a: PortfolioReport, b: PortfolioReport) -> Bool {
        a.asOf == b.asOf && a.portfolio == b.portfolio && a.currency == b.currency && a.kpis == b.kpis
            && a.domains.map(\.domain) == b.domains.map(\.domain) && a.domains.map(\.kpis) == b.domains.map(\.kpis)
            && a.trend.map(\.asOf) == b.trend.map(\.asOf) && a.trend.map(\.kpis) == b.trend.map(\.kpis)
    }
}
