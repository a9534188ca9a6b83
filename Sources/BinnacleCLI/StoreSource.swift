import BinnacleApp
import BinnacleCore
import BinnacleStore
import Foundation

/// The dashboard's view of the SQLite inventory.
final class StoreSource: PortfolioSource {
    let inventory: Inventory
    let actor: (login: String, person: Person?)

    init(_ inventory: Inventory, login: String) throws {
        self.inventory = inventory
        actor = (login, try inventory.person(login: login))
    }

    /// The file name: the status bar has no room for a long path.
    var label: String { (inventory.path as NSString).lastPathComponent }
    var readOnly: Bool { inventory.readOnly }

    func report(asOf: Day) throws -> PortfolioReport { try inventory.report(asOf: asOf) }
    func reportWithoutTrend(asOf: Day) throws -> PortfolioReport { try inventory.report(asOf: asOf, trend: false) }
    func backgroundReader() -> PortfolioSource? {
        guard let second = try? Inventory(path: inventory.path, mode: .read, readOnly: true) else { return nil }
        return try? StoreSource(second, login: actor.login)
    }
    func alerts(asOf: Day) throws -> [Alert] { try inventory.alerts(asOf: asOf) }
    func models(asOf: Day) throws -> [ModelSummary] { try inventory.modelSummaries(asOf: asOf) }
    func models(asOf: Day, involving login: String) throws -> [ModelSummary] { try inventory.modelSummaries(asOf: asOf, person: login) }
    func modelNames() throws -> [String: String] { try inventory.modelNames() }
    func model(id: String, asOf: Day) throws -> ModelDetail { try inventory.modelDetail(id: id, asOf: asOf) }
    func lineageEdges(of id: String, upstream: Bool) throws -> [LineageEdge] { try inventory.lineageEdges(of: id, upstream: upstream) }
    func lineageNodes(_ ids: [String]) throws -> [String: (kind: String, name: String, tags: [String])] { try inventory.lineageNodes(ids) }
    func asset(id: String) throws -> AssetDetail { try inventory.asset(id: id) }
    func documentMatrix(asOf: Day) throws -> [DocumentMatrixRow] { try inventory.documentMatrix(asOf: asOf) }
    func reviewsDue(asOf: Day) throws -> [ReviewDue] { try inventory.reviewsDue(asOf: asOf) }
    func tagExposure(_ tag: String, asOf: Day) throws -> [TagExposure] { try inventory.tagExposure(tag, asOf: asOf) }
    func people(asOf: Day) throws -> [PersonSummary] { try inventory.peopleSummaries(asOf: asOf) }
    func person(asOf: Day, login: String) throws -> PersonSummary? { try inventory.peopleSummaries(asOf: asOf, login: login).first }
    func orphanedModels(asOf: Day) throws -> [OrphanedModel] { try inventory.orphanedModels(asOf: asOf) }
    func tasks(asOf: Day, assignee: String?) throws -> [RemediationTask] { try inventory.tasks(asOf: asOf, assignee: assignee) }
    func audit(filter: String?) throws -> [AuditEntry] { try inventory.auditEntries(filter: filter) }
    func chainStatus() throws -> ChainStatus { try inventory.verifyChain() }
    func dataVersion() throws -> Int { try inventory.dataVersion() }

    func assignTask(modelId: String, to assignee: String, due: Day, priority: TaskPriority, title: String) throws -> String {
        try inventory.assignTask(modelId: modelId, to: assignee, due: due, priority: priority, title: title, note: "from the dashboard",
                                 by: actor.login).id
    }
    func setTaskStatus(_ taskId: String, to status: TaskStatus, note: String?) throws {
        _ = try inventory.setTaskStatus(taskId, to: status, note: note, by: actor.login)
    }
    func approveDocument(modelId: String, kind: DocumentKind, version: String) throws {
        _ = try inventory.approveDocument(modelId: modelId, kind: kind, version: version, expires: nil, by: actor.login)
    }
    func setStage(modelId: String, to stage: Stage, note: String?) throws {
        try inventory.setStage(modelId: modelId, to: stage, note: note, override: nil, by: actor.login)
    }
}
