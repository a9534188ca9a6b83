/// What an inventory records at all. A public use-case inventory has no monitors and no dates before
/// deployment; an MLflow registry has no value. A KPI over facts the source never records is computed
/// as PRODUCT.md defines it (0 critical alerts, 0 days), but read as a measurement it is false, so
/// every place that shows it says it is not recorded. Read as of the report's date: what was recorded
/// by then.
public struct Coverage: Sendable, Equatable {
    /// Any value or cost record.
    public var value: Bool
    /// Any monitor: without one, alerts only count production models as unmonitored.
    public var monitors: Bool
    /// Any document.
    public var documents: Bool
    /// Any model with a stage recorded before its production date: without one, days to production
    /// measure nothing but the created date equalling the stage date.
    public var development: Bool

    public init(value: Bool, monitors: Bool, documents: Bool, development: Bool) {
        self.value = value; self.monitors = monitors; self.documents = documents; self.development = development
    }

    public static let full = Coverage(value: true, monitors: true, documents: true, development: true)

    /// What is not recorded: the KPIs it leaves unmeasured, and why, in the report's key order.
    public var gaps: [(kpis: [KPIName], why: String)] {
        var out: [(kpis: [KPIName], why: String)] = []
        if !value { out.append(([.impactShare, .builtToValueShare, .value12m, .cost12m, .roi12m], "no value or cost is recorded")) }
        if !monitors {
            out.append(([.alertsCritical, .alertsWarning, .modelsWithCritical],
                        "no monitors are recorded, so every production model counts as one unmonitored warning"))
        }
        if !documents { out.append(([.docsCompleteShare], "no documents are recorded")) }
        if !development {
            out.append(([.medianDaysToProduction], "no stage before production is recorded, so days to production are not measured"))
        }
        return out
    }

    public func isRecorded(_ kpi: KPIName) -> Bool { !gaps.contains { $0.kpis.contains(kpi) } }
}

extension [KPIName] {
    /// The report keys, as a gap lists them: `alerts_critical, alerts_warning`.
    public var keys: String { map(\.rawValue).joined(separator: ", ") }
}
