/// The quick filters of the model list (set from `:` commands or by drilling into a KPI).
public struct ModelFilter: Equatable, Sendable, CustomStringConvertible {
    public var stage: String?
    public var tier: Int?
    public var domain: String?
    /// "critical", "warning" (any alert) or nil.
    public var alerts: String?
    public var docsMissing = false
    /// Production models whose 90-day value is not above zero: those that pull the impact share down.
    public var noImpact = false

    public init(stage: String? = nil, tier: Int? = nil, domain: String? = nil, alerts: String? = nil,
                docsMissing: Bool = false, noImpact: Bool = false) {
        self.stage = stage; self.tier = tier; self.domain = domain; self.alerts = alerts
        self.docsMissing = docsMissing; self.noImpact = noImpact
    }

    public var isEmpty: Bool { self == ModelFilter() }

    /// How the filter reads in the title bar.
    public var summary: String {
        var parts: [String] = []
        if let stage { parts.append("stage \(stage)") }
        if let tier { parts.append("tier \(tier)") }
        if let domain { parts.append("domain \(domain)") }
        if let alerts { parts.append("alerts \(alerts)") }
        if docsMissing { parts.append("docs missing") }
        if noImpact { parts.append("no value in 90 days") }
        return parts.joined(separator: ", ")
    }

    public var description: String { summary }
}

/// The columns the model list sorts by. Ties go by model id, ascending; a missing ROI or
/// observation sorts below every value.
public enum ModelSort: Int, CaseIterable, Sendable {
    case name, domain, stage, tier, owner, value90d, roi12m, alerts, docs, lastObserved
}

/// The columns the alert list sorts by (as the Alerts screen shows them). Unsorted, alerts come critical
/// first; ties go that way too.
public enum AlertSort: Int, CaseIterable, Sendable {
    case severity, model, what, observed, age
}

/// The columns the document-gap list sorts by: the model, its stage, its tier, then each document kind's
/// state (in `DocumentKind.allCases` order; "not required" below every state).
public enum GapSort: Sendable, Equatable {
    case model, stage, tier, kind(Int)
    public init?(column: Int) {
        switch column {
        case 0: self = .model
        case 1: self = .stage
        case 2: self = .tier
        case 3..<(3 + DocumentKind.allCases.count): self = .kind(column - 3)
        default: return nil
        }
    }
}

/// A column and a direction to sort a long list by (its column as the screen shows it).
public struct ListOrder: Sendable, Equatable, CustomStringConvertible {
    public var column: Int
    public var descending: Bool
    public init(column: Int, descending: Bool = false) { self.column = column; self.descending = descending }
    public var description: String { "\(column)\(descending ? "▼" : "▲")" }
}

/// One view of the model list: which models (filter and `/` text) in which order.
public struct ModelQuery: Equatable, Sendable {
    public var filter: ModelFilter
    /// Matched, case-insensitively, against id, name, owner, domain and tags.
    public var text: String
    public var sort: ModelSort
    public var descending: Bool
    /// Only the models this login owns, develops or validates (a person's page).
    public var involving: String?

    public init(filter: ModelFilter = ModelFilter(), text: String = "", sort: ModelSort = .name, descending: Bool = false,
                involving: String? = nil) {
        self.filter = filter; self.text = text; self.sort = sort; self.descending = descending; self.involving = involving
    }
}

/// A list too long to hold: its length, and its rows fetched a window at a time.
public protocol RowWindow<Row>: AnyObject {
    associatedtype Row
    var count: Int { get }
    func rows(_ range: Range<Int>) throws -> [Row]
}

/// A window over rows already in memory (short lists, tests).
public final class ArrayWindow<Row>: RowWindow {
    let all: [Row]
    public init(_ all: [Row]) { self.all = all }
    public var count: Int { all.count }
    public func rows(_ range: Range<Int>) -> [Row] { Array(all[range.clamped(to: all.indices)]) }
}
