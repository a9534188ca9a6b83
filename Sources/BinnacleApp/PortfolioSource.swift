import BinnacleCore

/// Everything the dashboard reads. The binary implements it over the SQLite store; each call is
/// one read transaction, so a screen is never torn.
public protocol PortfolioSource: AnyObject {
    /// How the status bar names the database.
    var label: String { get }
    var readOnly: Bool { get }
    /// The acting person (nil when the OS login is not in `people`).
    var actor: (login: String, person: Person?) { get }

    func report(asOf: Day) throws -> PortfolioReport
    /// The report without its 12-month trend: what the first frame needs.
    func reportWithoutTrend(asOf: Day) throws -> PortfolioReport
    /// A second, independent reader for work done off the main thread (nil when there is none).
    func backgroundReader() -> PortfolioSource?
    func alerts(asOf: Day) throws -> [Alert]
    func models(asOf: Day) throws -> [ModelSummary]
    /// The models a person owns, develops or validates.
    func models(asOf: Day, involving login: String) throws -> [ModelSummary]
    /// Every model's name by id (cheap: no KPI work).
    func modelNames() throws -> [String: String]
    func model(id: String, asOf: Day) throws -> ModelDetail
    func lineageEdges(of id: String, upstream: Bool) throws -> [LineageEdge]
    func lineageNodes(_ ids: [String]) throws -> [String: (kind: String, name: String, tags: [String])]
    func asset(id: String) throws -> AssetDetail
    func documentMatrix(asOf: Day) throws -> [DocumentMatrixRow]
    func reviewsDue(asOf: Day) throws -> [ReviewDue]
    func tagExposure(_ tag: String, asOf: Day) throws -> [TagExposure]
    func people(asOf: Day) throws -> [PersonSummary]
    func person(asOf: Day, login: String) throws -> PersonSummary?
    func orphanedModels(asOf: Day) throws -> [OrphanedModel]
    func tasks(asOf: Day, assignee: String?) throws -> [RemediationTask]
    func audit(filter: String?) throws -> [AuditEntry]
    func chainStatus() throws -> ChainStatus
    /// Changes whenever another process writes the database.
    func dataVersion() throws -> Int

    // Actions, taken as `actor` through the same code as the command line (roles checked there).
    /// Returns the new task's id.
    func assignTask(modelId: String, to assignee: String, due: Day, priority: TaskPriority, title: String) throws -> String
    func setTaskStatus(_ taskId: String, to status: TaskStatus, note: String?) throws
    func approveDocument(modelId: String, kind: DocumentKind, version: String) throws
    func setStage(modelId: String, to stage: Stage, note: String?) throws
}
