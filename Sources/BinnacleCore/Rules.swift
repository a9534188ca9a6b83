/// The rules of PRODUCT.md for rows already read into Swift (a model's page, the task list, a
/// screen's markers). The same rules in SQL are BinnacleStore's `DomainRules`; DomainRuleTests
/// checks that both give the same answer.

extension Document {
    /// Approved on or before D (current, or current once and expired since).
    public func isApproved(at d: Day) -> Bool { approvedAt.map { $0.day <= d } ?? false }

    /// "Current at D when approved on or before D and not expired (no expiry, or expiry > D)."
    public func isCurrent(at d: Day) -> Bool { isApproved(at: d) && (expiresAt.map { $0.day > d } ?? true) }
}

extension RemediationTask {
    /// "Open: created ≤ D and not closed by D (closed date empty or > D)."
    public func isOpen(at d: Day) -> Bool { createdAt.day <= d && (closedAt.map { $0.day > d } ?? true) }

    /// "Overdue: open with due date < D."
    public func isOverdue(at d: Day) -> Bool { isOpen(at: d) && dueAt.day < d }
}

/// SR 11-7: validation by staff independent of development.
public enum Independence {
    /// A model's validator, or a document's approver, is independent when there is one and it is
    /// not the model's developer.
    public static func holds(_ person: String?, developer: String) -> Bool { person.map { $0 != developer } ?? false }
}

/// "Impact: value recorded in the 90-day window sums to more than 0."
public enum Impact {
    public static func holds(value90d: Double) -> Bool { value90d > 0 }
}

/// "Direction `above` → critical when value ≥ critical, else warning when value ≥ warn; `below` →
/// critical when value ≤ critical, else warning when value ≤ warn." Whether the observation is
/// fresh enough to count (the 14-day window) is the caller's to decide.
public enum Threshold {
    public static func severity(of value: Double, direction: MonitorDirection, warn: Double, critical: Double) -> Alert.Severity? {
        func crossed(_ limit: Double) -> Bool { direction == .above ? value >= limit : value <= limit }
        if crossed(critical) { return .critical }
        if crossed(warn) { return .warning }
        return nil
    }
}

extension Monitor {
    public func severity(of value: Double) -> Alert.Severity? {
        Threshold.severity(of: value, direction: direction, warn: warn, critical: critical)
    }
}
