/// Which way a KPI should move. Value delivered (impact, built-to-value, value, ROI, documentation)
/// is wanted up; waste, delay and risk (shelved share, days to production, alerts, tasks) down.
public enum KPIDirection: Sendable {
    case higherIsBetter, lowerIsBetter
}

/// What a change of a KPI means, said in a word — never by colour or by an arrow's direction alone.
public enum Verdict: String, Sendable {
    case better, worse, same

    /// As the reports write it: `▲ better`, `▼ worse`, `= same` (the dashboard's `Symbols` add ASCII).
    public var label: String {
        switch self {
        case .better: return "▲ better"
        case .worse: return "▼ worse"
        case .same: return "= same"
        }
    }
}

/// Where a KPI stands against its target, in the one vocabulary every screen and format uses.
public enum TargetStatus: String, Sendable {
    case met, missed
    /// The KPI is undefined (or has nothing recorded to measure): neither met nor missed.
    case noData = "no data"

    /// As the reports write it: `✓ met`, `✗ missed`, `— no data` (the dashboard's `Symbols` add ASCII).
    public var label: String {
        switch self {
        case .met: return "✓ met"
        case .missed: return "✗ missed"
        case .noData: return "— no data"
        }
    }
}

/// Each KPI as a reader follows it over time: its direction, its value as shown, how its change reads.
extension KPIName {
    public var direction: KPIDirection {
        switch self {
        case .impactShare, .builtToValueShare, .value12m, .roi12m, .docsCompleteShare: return .higherIsBetter
        case .cost12m, .medianDaysToProduction, .shelvedShare, .alertsCritical, .alertsWarning, .modelsWithCritical, .openTasks,
             .overdueTasks: return .lowerIsBetter
        }
    }

    /// The value as a reader is shown it: nil when undefined, and for the value KPIs when no value was
    /// recorded in their window (a share of nothing measured is "no data", not 0%), and when sums of
    /// huge records overflowed to infinity (no number: neither better nor met).
    public func value(_ k: KPIs) -> Double? {
        recorded(k).flatMap { $0.isFinite ? $0 : nil }
    }

    func recorded(_ k: KPIs) -> Double? {
        switch self {
        case .impactShare: return list.valueRecorded(k) ? k.impactShare : nil
        case .builtToValueShare: return list.valueRecorded(k) ? k.builtToValueShare : nil
        case .value12m: return list.valueRecorded(k) ? k.value12m : nil
        case .cost12m: return list.valueRecorded(k) ? k.cost12m : nil
        case .roi12m: return list.valueRecorded(k) ? k.roi12m : nil
        case .docsCompleteShare: return k.docsCompleteShare
        case .medianDaysToProduction: return k.medianDaysToProduction
        case .shelvedShare: return k.shelvedShare
        case .alertsCritical: return Double(k.alertsCritical)
        case .alertsWarning: return Double(k.alertsWarning)
        case .modelsWithCritical: return Double(k.modelsWithCritical)
        case .openTasks: return Double(k.openTasks)
        case .overdueTasks: return Double(k.overdueTasks)
        }
    }

    /// The value with its kind (share, money, days, count); nil when `value` is.
    public func kpiValue(_ k: KPIs) -> KPIValue? {
        guard let v = value(k) else { return nil }
        switch self {
        case .impactShare, .builtToValueShare, .roi12m, .docsCompleteShare, .shelvedShare: return .share(v)
        case .value12m, .cost12m: return .money(v)
        case .medianDaysToProduction: return .days(v)
        case .alertsCritical, .alertsWarning, .modelsWithCritical, .openTasks, .overdueTasks: return .count(Int(v))
        }
    }

    /// The value as shown.
    public func formatted(_ k: KPIs) -> String { kpiValue(k)?.display ?? Format.undefined }

    /// The target the KPI is held to, the one every surface (Overview, report, board pack) shows; nil for
    /// the KPIs followed without one.
    public var target: KPITarget? {
        switch self {
        case .impactShare: return Targets.impact
        case .roi12m: return Targets.roi
        case .alertsCritical: return Targets.noCriticalAlerts
        case .docsCompleteShare: return Targets.docsComplete
        case .overdueTasks: return Targets.noOverdueTasks
        case .builtToValueShare, .value12m, .cost12m, .alertsWarning, .modelsWithCritical, .medianDaysToProduction, .shelvedShare,
             .openTasks: return nil
        }
    }

    /// A change of the value as shown, signed: `+2.2 pt` for shares, `-1.2M` for money, `+12 d`, `+2`.
    /// A change too small to show is 0 (unsigned), so it reads as the same.
    public func change(_ delta: Double) -> String {
        let text: String
        switch self {
        case .impactShare, .builtToValueShare, .roi12m, .docsCompleteShare, .shelvedShare:
            text = Format.fixed(delta * 100, decimals: 1) + " pt"
        case .value12m, .cost12m: text = Format.compact(delta)
        case .medianDaysToProduction: text = Format.days(delta)
        case .alertsCritical, .alertsWarning, .modelsWithCritical, .openTasks, .overdueTasks: text = Format.fixed(delta, decimals: 0)
        }
        return text.hasPrefix("-") || shownAsZero(delta) ? text : "+" + text
    }

    /// The value at the precision it is shown with (a tenth of a point, a tenth of a day, money as
    /// compact shows it, a unit), so a change is the difference of the two values the reader sees:
    /// 32.5% → 32.6% is +0.1 pt, not 0.0; 1.2M → 1.2M is the same, not +3.
    public func shown(_ value: Double) -> Double {
        switch self {
        case .impactShare, .builtToValueShare, .roi12m, .docsCompleteShare, .shelvedShare: return (value * 1000).rounded() / 1000
        case .medianDaysToProduction: return (value * 10).rounded() / 10
        case .value12m, .cost12m: return Format.compactShown(value)
        case .alertsCritical, .alertsWarning, .modelsWithCritical, .openTasks, .overdueTasks: return value.rounded()
        }
    }

    /// Whether a change rounds to nothing at the precision `change` shows it with.
    func shownAsZero(_ delta: Double) -> Bool { abs(shown(delta)) < 1e-9 }

    /// Whether `now` is better or worse than `before` for this KPI, compared as shown; nil when either
    /// is undefined.
    public func verdict(from before: Double?, to now: Double?) -> Verdict? {
        guard let before, let now else { return nil }
        let (b, n) = (shown(before), shown(now))
        if shownAsZero(n - b) { return .same }
        return (n > b) == (direction == .higherIsBetter) ? .better : .worse
    }
}

/// One KPI at D against the previous month-end.
public struct KPIDelta: Sendable, Equatable {
    public var previous: Double?
    public var current: Double?
    public var verdict: Verdict?
    /// The signed change as shown (`+2.2 pt`), empty when either side is undefined.
    public var change: String

    public init(_ measure: KPIName, previous: KPIs?, current: KPIs) {
        self.previous = previous.flatMap(measure.value)
        self.current = measure.value(current)
        verdict = measure.verdict(from: self.previous, to: self.current)
        if let p = self.previous, let c = self.current { change = measure.change(measure.shown(c) - measure.shown(p)) } else { change = "" }
    }
}

extension PortfolioReport {
    /// The date deltas compare with: the month-end strictly before D (for D = 2026-09-30, 2026-08-31;
    /// for 2026-09-15 or 2026-09-01, also 2026-08-31), so time travel from month-end to month-end moves.
    public static func deltaDate(for day: Day) -> Day { day.previousMonthEnd }

    /// The KPIs at the previous month-end, from the trend; nil when the trend does not reach it.
    public var previousMonthEnd: (asOf: Day, kpis: KPIs)? {
        let date = PortfolioReport.deltaDate(for: asOf)
        return trend.last { $0.asOf == date }
    }

    /// The 12-month series for a sparkline, ending at D: the month-ends before D then D itself (a D that
    /// is a month-end is already the trend's last point and is not repeated). Undefined values are nil.
    public func series(_ measure: KPIName) -> [Double?] {
        (trend.filter { $0.asOf < asOf }.map(\.kpis) + [kpis]).suffix(Windows.trendMonths + 1).map(measure.value)
    }

    /// A KPI's change since the previous month-end.
    public func delta(_ measure: KPIName) -> KPIDelta {
        KPIDelta(measure, previous: previousMonthEnd?.kpis, current: kpis)
    }
}

extension KPITarget {
    /// Met, missed, or no data when the KPI is undefined.
    public func status(_ k: KPIs) -> TargetStatus {
        isMet(k).map { $0 ? .met : .missed } ?? .noData
    }
}
