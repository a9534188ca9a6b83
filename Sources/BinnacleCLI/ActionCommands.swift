import ArgumentParser
import BinnacleCore
import BinnacleStore
import Foundation

/// `--db` and `--as`, shared by every action.
struct ActorOptions: ParsableArguments {
    @OptionGroup var database: DatabaseOptions
    @Option(name: .customLong("as"), help: ArgumentHelp("Act as this login (only when running as root, who can become anyone anyway).", valueName: "login"))
    var actAs: String?

    /// The acting login: the OS login, or --as for root.
    func login() throws -> String {
        guard let actAs else { return currentLogin() }
        guard geteuid() == 0 else {
            throw Failure(message: "--as is accepted only from root; you are \(currentLogin()), and actions are taken as you")
        }
        return actAs
    }

    /// The database, once the actor is settled (a refused --as opens nothing). Opened for reading: the
    /// role is checked before anything is written, and a write opens its own connection when it is allowed.
    func inventory() throws -> Inventory {
        _ = try login()
        return try database.open(.read)
    }
}

extension TaskPriority: ExpressibleByArgument {}
extension TaskStatus: ExpressibleByArgument {}
extension DocumentKind: ExpressibleByArgument {}
extension MonitorDirection: ExpressibleByArgument {}

/// Runs an action: a refusal is a clear message and exit 1; nothing was written.
func acting(_ body: () throws -> Void) throws { try running(body) }

struct TaskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "task", abstract: "Remediation tasks.",
                                                    subcommands: [TaskAssign.self, TaskSet.self, TaskReassign.self])
}

struct TaskAssign: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "assign", abstract: "Assign a remediation task on a model (prints its id).")
    @OptionGroup var actor: ActorOptions
    @Argument(help: "The model id.") var modelId: String
    @Option(help: ArgumentHelp("Who does it.", valueName: "login")) var to: String
    @Option(help: "Due date (YYYY-MM-DD).", transform: parseDay) var due: Day
    @Option(help: "p1, p2 or p3.") var priority: TaskPriority = .p2
    @Option(help: "What is to be done.") var title: String
    @Option(help: "Context for the audit trail.") var note: String?

    func run() throws {
        try acting {
            let task = try actor.inventory().governance.assignTask(modelId: modelId, to: to, due: due, priority: priority, title: title,
                                                        note: note, by: try actor.login())
            Console.out(task.id + "\n")
        }
    }
}

struct TaskSet: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "set", abstract: "Move a task to another status.")
    @OptionGroup var actor: ActorOptions
    @Argument(help: "The task id.") var taskId: String
    @Option(help: "in_progress, resolved, verified, wontfix or open.") var status: TaskStatus
    @Option(help: "A note (the reason, for wontfix).") var note: String?

    func run() throws {
        try acting {
            let task = try actor.inventory().governance.setTaskStatus(taskId, to: status, note: note, by: try actor.login())
            Console.out("\(task.id) is \(task.status.rawValue)\n")
        }
    }
}

struct DocCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "doc", abstract: "Model documents.",
                                                    subcommands: [DocApprove.self, DocAdd.self])
}

struct DocApprove: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "approve", abstract: "Approve a document (not for a model you developed).")
    @OptionGroup var actor: ActorOptions
    @Argument(help: "The model id.") var modelId: String
    @Argument(help: "model_card, validation_report, data_sheet, risk_assessment or monitoring_plan.") var kind: DocumentKind
    @Option(help: "The version (default: the latest draft).") var version: String?
    @Option(help: "Expiry date (YYYY-MM-DD).", transform: parseDay) var expires: Day?

    func run() throws {
        try acting {
            let doc = try actor.inventory().governance.approveDocument(modelId: modelId, kind: kind, version: version, expires: expires, by: try actor.login())
            Console.out("approved \(modelId) \(kind.rawValue) version \(doc.version)\n")
        }
    }
}

struct DocAdd: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "Submit a document draft.")
    @OptionGroup var actor: ActorOptions
    @Argument(help: "The model id.") var modelId: String
    @Argument(help: "The document kind.") var kind: DocumentKind
    @Option(help: "The version.") var version: String
    @Option(help: "Where it lives.") var uri: String?

    func run() throws {
        try acting {
            try actor.inventory().governance.addDocument(modelId: modelId, kind: kind, version: version, uri: uri, by: try actor.login())
            Console.out("submitted \(modelId) \(kind.rawValue) version \(version)\n")
        }
    }
}

struct StageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stage", abstract: "Model stages.", subcommands: [StageSet.self])
}

struct StageSet: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set", abstract: "Record a model's change of stage.",
        discussion: "A tier-1 or tier-2 model enters production only with a current validation report approved by someone other than its developer; a risk officer may --override with a reason.")
    @OptionGroup var actor: ActorOptions
    @Argument(help: "The model id.") var modelId: String
    @Argument(help: "idea, development, validation, production, retired or shelved.") var stage: Stage
    @Option(help: "A note.") var note: String?
    @Option(help: "Override the production stage gate (risk officers only), with the reason.") var override: String?

    func run() throws {
        try acting {
            try actor.inventory().governance.setStage(modelId: modelId, to: stage, note: note, override: override, by: try actor.login())
            Console.out("\(modelId) is now \(stage.rawValue)\(override != nil ? " (gate overridden)" : "")\n")
        }
    }
}

struct MonitorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "monitor", abstract: "Monitors.", subcommands: [MonitorSet.self])
}

struct MonitorSet: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "set", abstract: "Create or change a monitor's thresholds.")
    @OptionGroup var actor: ActorOptions
    @Argument(help: "The model id.") var modelId: String
    @Argument(help: "The metric.") var metric: String
    @Option(help: "above or below: which side of the thresholds is bad.") var direction: MonitorDirection
    @Option(help: "Warning threshold.") var warn: Double
    @Option(help: "Critical threshold.") var critical: Double

    func run() throws {
        try acting {
            try actor.inventory().governance.setMonitor(modelId: modelId, metric: metric, direction: direction, warn: warn, critical: critical,
                                             by: try actor.login())
            Console.out("monitor \(modelId) \(metric): \(direction.rawValue) warn \(Format.number(warn)) critical \(Format.number(critical))\n")
        }
    }
}
