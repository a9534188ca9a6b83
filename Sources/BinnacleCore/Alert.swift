/// A degradation alert on a production model (PRODUCT.md, "alerts").
public struct Alert: Equatable, Sendable {
    public enum Severity: String, Sendable { case critical, warning }
    public enum Reason: String, Sendable {
        /// The metric's latest observation crossed a threshold.
        case threshold
        /// A monitor's latest observation is missing or older than the 14-day window (one per model).
        case stale
        /// A production model with no monitors.
        case unmonitored
    }

    public var modelId: String
    public var severity: Severity
    public var reason: Reason
    /// The metric, for threshold alerts and for the first stale metric.
    public var metric: String?
    public var value: Double?
    /// The threshold that was crossed.
    public var threshold: Double?
    public var observedAt: Timestamp?

    public init(modelId: String, severity: Severity, reason: Reason, metric: String? = nil,
                value: Double? = nil, threshold: Double? = nil, observedAt: Timestamp? = nil) {
        self.modelId = modelId; self.severity = severity; self.reason = reason; self.metric = metric
        self.value = value; self.threshold = threshold; self.observedAt = observedAt
    }

    public var summary: String {
        switch reason {
        case .threshold:
            return "\(metric ?? "?") = \(Format.number(value)) (\(severity.rawValue) threshold \(Format.number(threshold)))"
        case .stale:
            if let observedAt { return "stale: \(metric ?? "?") last observed \(observedAt.day)" }
            return "stale: \(metric ?? "?") never observed"
        case .unmonitored:
            return "unmonitored: production model with no monitors"
        }
    }
}

/// An alert with its model's name, as lists show it, and the open task on its model when the list
/// was read with them (the Alerts screen: who is on it).
public struct NamedAlert: Sendable, Equatable {
    public var alert: Alert
    public var modelName: String
    public var openTask: OpenTaskRef?
    public init(_ alert: Alert, modelName: String, openTask: OpenTaskRef? = nil) {
        self.alert = alert; self.modelName = modelName; self.openTask = openTask
    }
}

/// An open remediation task, as far as a list or a warning names it.
public struct OpenTaskRef: Sendable, Equatable {
    public var id, title, assignee: String
    public init(id: String, title: String, assignee: String) { self.id = id; self.title = title; self.assignee = assignee }

    /// The task an alert's line names among its model's open tasks (oldest first): one whose title
    /// names the alert's metric, else the oldest — the model is being worked on either way.
    public static func forAlert(_ alert: Alert, among tasks: [OpenTaskRef]) -> OpenTaskRef? {
        if let metric = alert.metric, let named = tasks.first(where: { $0.names(metric: metric) }) { return named }
        return tasks.first
    }

    /// Whether the title names `metric` as a word of its own, in any case (`AUC below 0.6` names `auc`;
    /// `because` does not), so the Alerts screen and the assign form's duplicate warning agree.
    public func names(metric: String) -> Bool {
        let title = Array(self.title.lowercased().unicodeScalars), word = Array(metric.lowercased().unicodeScalars)
        guard !word.isEmpty, word.count <= title.count else { return false }
        func partOfWord(_ i: Int) -> Bool {
            title.indices.contains(i) && (title[i] == "_" || title[i].properties.isAlphabetic || title[i].properties.numericType != nil)
        }
        for start in 0...(title.count - word.count) where Array(title[start..<(start + word.count)]) == word {
            if !partOfWord(start - 1) && !partOfWord(start + word.count) { return true }
        }
        return false
    }
}
