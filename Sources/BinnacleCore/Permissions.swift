/// What a person may do, by role: the one place both the command line and the dashboard ask.
/// Every write goes through here — governance actions, imports, ingests and people administration.
public enum GovernanceAction: String, CaseIterable, Sendable {
    case assignTask = "assign or reassign a remediation task"
    case progressTask = "move a task open → in_progress → resolved"
    case reviewTask = "verify a resolved task, mark it wontfix or reopen it"
    case approveDocument = "approve a document"
    case submitDocument = "submit a document draft"
    case changeStage = "change a model's stage"
    case setMonitor = "set monitors and thresholds"
    case overrideStageGate = "override the production stage gate"
    case ingest = "ingest observations, value or drift samples"
    case sync = "sync models from MLflow or a use-case inventory"
    case changeOwnership = "change a model's business owner, developer or validator"
    case administer = "administer people, import or replace the inventory, or migrate it"

    /// The roles that may take the action (the README's "Who may do what" table).
    public var roles: [Role] {
        switch self {
        case .assignTask, .changeStage, .setMonitor, .changeOwnership: return [.aiLead, .riskOfficer]
        case .progressTask: return [.engineer, .aiLead, .riskOfficer]
        case .reviewTask, .approveDocument: return [.validator, .riskOfficer]
        case .submitDocument: return [.engineer, .aiLead, .validator, .riskOfficer]
        case .overrideStageGate, .administer: return [.riskOfficer]
        case .ingest: return [.service, .engineer, .aiLead, .riskOfficer]
        case .sync: return [.service, .aiLead, .riskOfficer]
        }
    }
}

/// Why an action was refused, said so the person knows who they are to the tool and what it needs.
/// A refusal by the roles (`deniedAction` set) is recorded in the audit log where the file can be written.
public struct Refusal: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String
    /// Who was refused, and which action their role does not allow (nil: the action itself was invalid).
    public var login: String
    public var deniedAction: GovernanceAction?
    /// What the attempt was about (e.g. `model:ID`), for the audit entry.
    public var entity: String?

    public init(_ message: String, login: String = "", denied: GovernanceAction? = nil, entity: String? = nil) {
        self.message = message
        self.login = login
        deniedAction = denied
        self.entity = entity
    }
    public var description: String { message }
}

public enum Permissions {
    /// Nil when allowed. `ownTask`: the task is assigned to the actor (engineers may move only
    /// their own); `developedModel`: the actor developed the model (no one approves their own work).
    public static func check(_ person: Person?, login: String, _ action: GovernanceAction, entity: String? = nil,
                             ownTask: Bool = false, developedModel: Bool = false) -> Refusal? {
        let needs = action.roles.map(\.rawValue).joined(separator: " or ")
        func refuse(_ message: String) -> Refusal { Refusal(message, login: login, denied: action, entity: entity) }
        guard let person else {
            return refuse("you are \(login), who is not in people: read-only; to \(action.rawValue) needs \(needs)")
        }
        let who = "you are \(person.login) (\(person.role.rawValue))"
        guard person.active else { return refuse("\(who), inactive: read-only") }
        guard action.roles.contains(person.role) else { return refuse("\(who); to \(action.rawValue) needs \(needs)") }
        if action == .progressTask, person.role == .engineer, !ownTask {
            return refuse("\(who); engineers move only tasks assigned to them")
        }
        if action == .approveDocument, developedModel {
            return refuse("\(who) and developed this model; its documents need an independent approver")
        }
        return nil
    }
}
