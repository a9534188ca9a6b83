/// The files of a portfolio bundle and their columns (PRODUCT.md, "Portfolio bundle"), in the order
/// they are read: each file refers only to files before it.
public enum BundleFile: String, CaseIterable, Sendable {
    case manifest, people, models, assets, stages, value, documents, monitors, observations, lineage, tasks, audit

    public var fileName: String { rawValue + ".csv" }

    public var columns: [String] {
        switch self {
        case .manifest: return ["key", "value"]
        case .people: return ["login", "name", "email", "role", "team", "active"]
        case .models: return ["id", "name", "domain", "description", "use_case", "kind", "risk_tier", "business_owner",
                              "developer", "validator", "vendor", "tags", "created_at"]
        case .assets: return ["id", "kind", "name", "owner", "tags"]
        case .stages: return ["model_id", "stage", "changed_at", "changed_by", "note"]
        case .value: return ["model_id", "date", "value", "cost", "note"]
        case .documents: return ["model_id", "kind", "version", "submitted_at", "approved_at", "approved_by", "expires_at", "uri"]
        case .monitors: return ["model_id", "metric", "direction", "warn", "critical"]
        case .observations: return ["model_id", "metric", "observed_at", "value"]
        case .lineage: return ["upstream", "downstream"]
        case .tasks: return ["id", "model_id", "title", "assignee", "assigned_by", "priority", "created_at", "due_at",
                             "status", "closed_at"]
        case .audit: return ["at", "actor", "action", "entity", "detail"]
        }
    }

    /// audit.csv may be absent; every other file must be there, if only with its header.
    public var isRequired: Bool { self != .audit }

    /// Columns whose value may be empty.
    public static let optionalColumns: Set<String> = [
        "description", "use_case", "validator", "vendor", "tags", "note", "changed_by", "submitted_at",
        "approved_at", "approved_by", "expires_at", "uri", "owner", "closed_at",
    ]
}
