/// What a person may do, by role: the one place both the command line and the dashboard ask.
public enum GovernanceAction: String, CaseIterable, Sendable {
    case assignTask = "assign or reassign a remediation task"
    case progressTask = "move a task open → in_progress → resolved"
    case reviewTask = "verify a resolved task, mark it wontfix or reopen it"
    case approveDocument = "approve a document"
    case submitDocument = "submit a document draft"
    case changeStage = "change a model's stage"
    case setMonitor = "set monitors and thresholds"
    case overrideStageGate = "override the production stage gate"

    /// The roles that may take the action (PRODUCT.md and the governance table).
    public var roles: [Role] {
        switch self {
        case .assignTask, .changeStage, .setMonitor: return [.aiLead, .riskOfficer]
        case .progressTask: return [.engineer, .aiLead, .riskOfficer]
        case .reviewTask, .approveDocument: return [.validator, .riskOfficer]
        case .submitDocument: return [.engineer, .aiLead, .validator, .riskOfficer]
        case .overrideStageGate: return [.riskOfficer]
        }
    }
}

/// Why an action was refused, said so the person knows who they are to the tool and what it needs.
public struct Refusal: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

public enum Permissions {
    /// Nil when allowed. `ownTask`: the task is assigned to the actor (engineers may move only
    /// their own); `developedModel`: the actor developed the model (no one approves their own work).
    public static func check(_ person: Person?, login: String, _ action: GovernanceAction,
                             ownTask: Bool = false, developedModel: Bool = false) -> Refusal? {
        let needs = action.roles.map(\.rawValue).joined(separator: " or ")
        guard let person else {
            return Refusal("you are \(login), who is not in people: read-only; to \(action.rawValue) needs \(needs)")
        }
        let who = "you are \(person.login) (\(person.role.rawValue))"
        guard person.active else { return Refusal("\(who), inactive: read-only") }
        guard action.roles.contains(person.role) else { return Refusal("\(who); to \(action.rawValue) needs \(needs)") }
        if action == .progressTask, person.role == .engineer, !ownTask {
            return Refusal("\(who); engineers move only tasks assigned to them")
        }
        if action == .approveDocument, developedModel {
            return Refusal("\(who) and developed this model; its documents need an independent approver")
        }
        return nil
    }
}
