/// The vocabulary of the inventory. Raw values are what the database and bundles hold.

public enum Role: String, CaseIterable, Sendable {
    case executive, riskOfficer = "risk_officer", validator, aiLead = "ai_lead", engineer
    /// A pipeline's own login: ingests and syncs, nothing else.
    case service
}

public enum ModelKind: String, CaseIterable, Sendable {
    case classification, regression, forecasting, recommender, genai, other
}

public enum Stage: String, CaseIterable, Sendable {
    case idea, development, validation, production, retired, shelved

    /// A model counts as built once it has entered one of these.
    public static let built: [Stage] = [.validation, .production]
}

public enum DocumentKind: String, CaseIterable, Sendable {
    case modelCard = "model_card", validationReport = "validation_report", dataSheet = "data_sheet"
    case riskAssessment = "risk_assessment", monitoringPlan = "monitoring_plan"
}

public enum MonitorDirection: String, CaseIterable, Sendable {
    /// `above`: values at or above the thresholds are bad; `below`: at or below.
    case above, below
}

public enum AssetKind: String, CaseIterable, Sendable {
    case dataset, featureGroup = "feature_group", application, process
}

public enum TaskStatus: String, CaseIterable, Sendable {
    case open, inProgress = "in_progress", resolved, verified, wontfix
}

public enum TaskPriority: String, CaseIterable, Sendable {
    case p1, p2, p3
}

public enum RiskTier: Int, CaseIterable, Sendable {
    case high = 1, medium = 2, low = 3
}

/// Which documents a model must have current, by risk tier and kind (PRODUCT.md, "required documents").
public enum RequiredDocuments {
    public static func kinds(tier: RiskTier) -> [DocumentKind] {
        switch tier {
        case .high: return DocumentKind.allCases
        case .medium: return [.modelCard, .validationReport, .monitoringPlan]
        case .low: return [.modelCard]
        }
    }

    /// Gen-AI models need a risk assessment whatever their tier.
    public static let genaiExtra: DocumentKind = .riskAssessment

    public static func kinds(tier: RiskTier, kind: ModelKind) -> [DocumentKind] {
        var kinds = self.kinds(tier: tier)
        if kind == .genai, !kinds.contains(genaiExtra) { kinds.append(genaiExtra) }
        return kinds
    }
}

/// Window lengths in days used by the KPI definitions.
public enum Windows {
    public static let impact = 90
    public static let year = 365
    public static let freshObservation = 14
    public static let trendMonths = 12
    /// Current documents expiring within this many days are listed as reviews due.
    public static let reviewsDue = 30
}

/// The headline target leaders are asked to expect: 90% of production models with real impact.
public enum Targets {
    public static let impactShare = 0.9

    // With no value recorded in their window, impact and ROI have nothing to measure: no data, not missed.
    public static let impact = KPITarget(label: "≥ " + Format.percent(impactShare, decimals: 0)) {
        KPIName.impactShare.value($0).map { $0 >= impactShare }
    }
    public static let roi = KPITarget(label: "> 0%") { KPIName.roi12m.value($0).map { $0 > 0 } }
    public static let noCriticalAlerts = KPITarget(label: "0 critical") { $0.alertsCritical == 0 }
    public static let docsComplete = KPITarget(label: "100%") { $0.docsCompleteShare.map { $0 >= 1 } }
    public static let noOverdueTasks = KPITarget(label: "0 overdue") { $0.overdueTasks == 0 }

    /// Each target under the report key of the KPI it holds to (`KPIName.target`), in the KPIs' order.
    public static let byKey: [(key: String, target: KPITarget)] = KPIName.allCases.compactMap { kpi in
        kpi.target.map { (kpi.rawValue, $0) }
    }
}

/// A target a KPI is held to: how it reads, and whether the KPIs meet it (nil when undefined).
/// The report and the dashboard both show these.
public struct KPITarget: Sendable {
    public let label: String
    public let isMet: @Sendable (KPIs) -> Bool?
    public init(label: String, isMet: @escaping @Sendable (KPIs) -> Bool?) { self.label = label; self.isMet = isMet }
}
