import BinnacleCore

/// Each rule of PRODUCT.md that decides what a row *is* at a date, written once as SQL and used by
/// the KPIs, every screen's query, the dashboard's cache and `check`. Each returns a boolean
/// expression (or a scalar where said) over the columns of the table alias it is given.
///
/// Dates are the parameters `PortfolioSQL.arguments` binds: `:asof` = D and `:next` = D+1. Stored
/// time stamps are text that starts with their UTC date, so "dated on or before D" is `< :next`.
/// The same rules in Swift, for rows already read, live on the core records (`Document.isCurrent`,
/// `RemediationTask.isOpen`, `Independence`, `Impact`); DomainRuleTests checks both agree.
enum DomainRules {
    /// "A model exists at D if its created date ≤ D."
    static func exists(_ model: String) -> String { "\(model).created_at < :next" }

    /// "Stage at D: the stage of its latest stage change dated ≤ D (same-day changes: the later
    /// timestamp, then the later row); `idea` if it exists and has none." A scalar.
    static func stage(_ model: String) -> String {
        """
        COALESCE((SELECT s.stage FROM stage_changes s WHERE s.model_id = \(model).id AND s.changed_at < :next
                  ORDER BY s.changed_at DESC, s.id DESC LIMIT 1), '\(Stage.idea.rawValue)')
        """
    }

    /// "In production at D: stage at D is `production`", over a column holding the stage at D.
    static func inProduction(stage: String) -> String { "\(stage) = '\(Stage.production.rawValue)'" }

    /// "Built at D: has a stage change into `validation` or `production` dated ≤ D" — whatever its
    /// stage is now: a model validated then shelved stays built (shelved share counts it).
    static func built(_ model: String) -> String {
        """
        EXISTS (SELECT 1 FROM stage_changes s WHERE s.model_id = \(model).id AND s.changed_at < :next
                AND s.stage IN (\(Stage.built.map { "'\($0.rawValue)'" }.joined(separator: ", "))))
        """
    }

    /// The value a model recorded in the 90-day window (D−89 … D, `:impact_from` … `:asof`). A scalar.
    static func value90d(_ model: String) -> String {
        """
        (SELECT COALESCE(SUM(v.value), 0) FROM value_records v
         WHERE v.model_id = \(model).id AND v.date BETWEEN :impact_from AND :asof)
        """
    }

    /// "Impact: value recorded in the 90-day window sums to more than 0", over that sum.
    static func impact(value90d: String) -> String { "\(value90d) > 0" }

    /// "A document is current at D when approved on or before D and not expired (no expiry, or expiry > D)."
    static func currentDocument(_ document: String) -> String {
        "(\(approvedDocument(document)) AND (\(document).expires_at IS NULL OR \(document).expires_at >= :next))"
    }

    /// A document exists at D once submitted or approved on or before D (one with neither date is an undated draft).
    static func documentExists(_ document: String) -> String {
        "(\(document).submitted_at IS NULL OR \(document).submitted_at < :next OR \(document).approved_at < :next)"
    }

    /// Approved on or before D (current, or current once and expired since).
    static func approvedDocument(_ document: String) -> String { "\(document).approved_at < :next" }

    /// "Open: created ≤ D and not closed by D (closed date empty or > D)."
    static func openTask(_ task: String) -> String {
        "(\(task).created_at < :next AND (\(task).closed_at IS NULL OR \(task).closed_at >= :next))"
    }

    /// "Overdue: open with due date < D."
    static func overdueTask(_ task: String) -> String { "(\(openTask(task)) AND \(task).due_at < :asof)" }

    /// SR 11-7, validation by staff independent of development: a person (a model's validator, a
    /// document's approver) counts as independent when there is one and it is not the developer.
    static func independent(_ person: String, ofDeveloper developer: String) -> String {
        "(\(person) IS NOT NULL AND \(person) <> \(developer))"
    }
}
