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
    /// The overview at a date whose lists are not derived yet, without the trend: the same KPIs and
    /// top alerts as `overviewScreen` gives once they are, from one pass over the inventory (a
    /// fraction of the lists' time). Nil when it cannot be read so (the overview waits for the lists).
    func firstLook(asOf: Day, top: Int) throws -> OverviewScreenData?
    /// A second, independent reader for work done off the main thread (nil when there is none).
    func backgroundReader() -> PortfolioSource?
    /// Stops, from another thread, the read running on this source (it throws): the dashboard has moved
    /// on to another date. A read between two statements may run on.
    func interrupt()

    // One read per screen: all it shows, in one read transaction (long lists: their later windows when paged to).
    /// The KPIs (the trend when asked) and the first `top` alerts.
    func overviewScreen(asOf: Day, trend: Bool, top: Int) throws -> OverviewScreenData
    /// How many models exist, and those matching `query` in its order. `count`: how many match, when
    /// known from the same query in another order (re-sorting then reads only the first rows).
    func modelsScreen(asOf: Day, _ query: ModelQuery, count: Int?) throws -> ModelsScreenData
    /// Reviews due, a tag's exposure across lineage, and the document gaps and breaches matching `text`.
    /// `gapOrder`: the document gaps sorted by a column (nil: their own order, the worst first).
    func riskScreen(asOf: Day, tag: String?, text: String, gapOrder: ListOrder?) throws -> RiskScreenData
    func peopleScreen(asOf: Day) throws -> PeopleScreenData
    func tasksScreen(asOf: Day) throws -> TasksScreenData
    func auditScreen() throws -> AuditScreenData
    func modelScreen(id: String, asOf: Day) throws -> ModelScreenData
    func assetScreen(id: String) throws -> AssetDetail
    /// A person, their tasks, and the models they are involved in that match `text`.
    func personScreen(asOf: Day, login: String, text: String) throws -> PersonScreenData
    /// The rows `kpi` is computed from at `asOf` (in one domain, or all), with the KPI recomputed from them.
    func kpiDrillScreen(_ kpi: KPIName, asOf: Day, domain: String?) throws -> KPIDrill

    // A screen's long lists again, for a new filter or order (each one read).
    func models(asOf: Day, _ query: ModelQuery, count: Int?) throws -> any RowWindow<ModelSummary>
    /// Every alert, critical first; with `text`, those that mention it; with `domain`, of its models;
    /// with `severity`, of that severity; with `order`, sorted by a column (`AlertSort`). Each row comes
    /// with the task open at the date on its model.
    func alerts(asOf: Day, text: String, domain: String?, severity: Alert.Severity?, order: ListOrder?) throws -> any RowWindow<NamedAlert>
    func riskLists(asOf: Day, text: String, gapOrder: ListOrder?) throws -> RiskLists

    func criticalModels(asOf: Day) throws -> Set<String>
    /// What the `:` line offers after `command` (ids, domains, logins, tags) starting with `prefix`;
    /// nil when its argument is not something the inventory holds.
    func completions(for command: String, prefix: String, limit: Int) throws -> [String]?
    /// One model's line of the model list (nil when it does not exist at the date).
    func modelSummary(id: String, asOf: Day) throws -> ModelSummary?
    /// The logins a task can be assigned to.
    func activeLogins() throws -> [String]
    /// A model's tasks open now (not closed), oldest first: the assign form warns of a duplicate.
    func openTasks(modelId: String) throws -> [OpenTaskRef]
    func person(asOf: Day, login: String) throws -> PersonSummary?
    /// Changes whenever another process writes the database.
    func dataVersion() throws -> Int

    // Actions, taken as `actor` through the same code as the command line (roles checked there).
    /// Returns the new task's id.
    func assignTask(modelId: String, to assignee: String, due: Day, priority: TaskPriority, title: String) throws -> String
    func setTaskStatus(_ taskId: String, to status: TaskStatus, note: String?) throws
    func approveDocument(modelId: String, kind: DocumentKind, version: String, expires: Day) throws
    func setStage(modelId: String, to stage: Stage, note: String?) throws
    /// People and ownership: a person's role or active flag; a model's people (`validator` `.some(nil)`
    /// removes it); a task's assignee.
    func changePerson(_ login: String, role: Role?, active: Bool?) throws
    func changeModelPeople(_ modelId: String, businessOwner: String?, developer: String?, validator: String??) throws
    func reassignTask(_ taskId: String, to assignee: String) throws
    /// Writes the evidence pack as of `asOf` into the new folder `path` (reading only); returns the audit head it holds.
    func writeEvidencePack(asOf: Day, to path: String) throws -> String
}

extension PortfolioSource {
    /// A source without a quicker way to the overview: it waits for the lists.
    public func firstLook(asOf: Day, top: Int) throws -> OverviewScreenData? { nil }
    public func interrupt() {}
}
