import BinnacleCore

/// Everything the dashboard reads. The binary implements it over the SQLite store; each call is
/// one read transaction, so a screen is never torn.
public protocol PortfolioSource: AnyObject {
    /// How the status bar names the database.
    var label: String { get }
    var readOnly: Bool { get }
    /// The acting person (nil when the OS login is not in `people`).
    var actor: (login: String, person: Person?) { get }

    /// Whether the portfolio-wide lists for `asOf` (KPI counts, every model's state, alerts,
    /// document gaps) are derived and current: deriving them takes seconds at 50,000 models.
    func isPrepared(asOf: Day) -> Bool
    /// Derives them now (unless current, or `force`).
    func prepare(asOf: Day, force: Bool) throws
    /// The KPIs at `asOf`, by domain, with the 12-month trend when asked.
    func report(asOf: Day, trend: Bool) throws -> PortfolioReport
    /// A second, independent reader for work done off the main thread (nil when there is none).
    func backgroundReader() -> PortfolioSource?
    /// The models matching `query`, in its order, a window at a time. `count`: how many match, when
    /// known from the same query in another order (re-sorting then reads only the first rows).
    func models(asOf: Day, _ query: ModelQuery, count: Int?) throws -> any RowWindow<ModelSummary>
    func modelCount(asOf: Day) throws -> Int
    /// Every alert, critical first; with `text`, those that mention it.
    func alerts(asOf: Day, text: String) throws -> any RowWindow<NamedAlert>
    func criticalModels(asOf: Day) throws -> Set<String>
    /// Built models with a required document not current, and how many models are built.
    func documentGaps(asOf: Day, text: String) throws -> (rows: any RowWindow<DocumentMatrixRow>, built: Int)
    /// Models past the idea stage without an independent validator.
    func breaches(asOf: Day, text: String) throws -> any RowWindow<ModelSummary>
    /// Names of the given models (cheap: no KPI work).
    func modelNames(_ ids: [String]) throws -> [String: String]
    /// Model ids starting with `prefix`, for completion.
    func modelIds(prefix: String, limit: Int) throws -> [String]
    func domains() throws -> [String]
    func model(id: String, asOf: Day) throws -> ModelDetail
    /// One model's line of the model list (nil when it does not exist at the date).
    func modelSummary(id: String, asOf: Day) throws -> ModelSummary?
    /// The logins a task can be assigned to.
    func activeLogins() throws -> [String]
    func lineageEdges(of id: String, upstream: Bool) throws -> [LineageEdge]
    func lineageNodes(_ ids: [String]) throws -> [String: (kind: String, name: String, tags: [String])]
    func asset(id: String) throws -> AssetDetail
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
    /// People and ownership: a person's role or active flag; a model's people (`validator` `.some(nil)`
    /// removes it); a task's assignee.
    func changePerson(_ login: String, role: Role?, active: Bool?) throws
    func changeModelPeople(_ modelId: String, businessOwner: String?, developer: String?, validator: String??) throws
    func reassignTask(_ taskId: String, to assignee: String) throws
}
