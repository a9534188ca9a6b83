import ArgumentParser
import BinnacleCore
import BinnacleStore
import Foundation

extension Role: ExpressibleByArgument {}

struct PeopleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "people", abstract: "Who is in the inventory, with which role (administered by risk officers, audited).",
        subcommands: [PeopleList.self, PeopleAdd.self, PeopleSet.self, PeopleActivate.self, PeopleDeactivate.self])
}

struct PeopleList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Everyone in people: login, role, active, name, team.")
    @OptionGroup var database: DatabaseOptions

    func run() throws {
        try running {
            let people = try database.open(.read, readOnly: true).allPeople()
            let rows = people.map { [$0.login, $0.role.rawValue, $0.active ? "active" : "inactive", $0.name, $0.team] }
            Console.out(TextTable.render(header: ["LOGIN", "ROLE", "STATUS", "NAME", "TEAM"], rows: rows) + "\(people.count) people\n")
        }
    }
}

struct PeopleAdd: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "Add a person with a role.")
    @OptionGroup var actor: ActorOptions
    @Argument(help: "Their OS login (what Binnacle sees when they run it).") var login: String
    @Option(help: "executive, risk_officer, validator, ai_lead, engineer or service (a pipeline: ingest and sync only).") var role: Role
    @Option(help: "Full name (default: the login).") var name: String?
    @Option(help: "E-mail.") var email: String?
    @Option(help: "Team.") var team = ""

    func run() throws {
        try acting {
            let person = Person(login: login, name: name ?? login, email: email ?? "", role: role, team: team, active: true)
            try actor.inventory().governance.addPerson(person, by: try actor.login())
            Console.out("added \(login) as \(role.rawValue)\n")
        }
    }
}

struct PeopleSet: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "set", abstract: "Change a person's role.")
    @OptionGroup var actor: ActorOptions
    @Argument(help: "Their login.") var login: String
    @Option(help: "The new role.") var role: Role

    func run() throws {
        try acting {
            let after = try actor.inventory().governance.changePerson(login, role: role, active: nil, by: try actor.login())
            Console.out("\(login) is now \(after.role.rawValue)\n")
        }
    }
}

struct PeopleActivate: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "activate", abstract: "Let a person act in their role again (or for the first time, after an import).")
    @OptionGroup var actor: ActorOptions
    @Argument(help: "Their login.") var login: String

    func run() throws {
        try acting {
            let after = try actor.inventory().governance.changePerson(login, role: nil, active: true, by: try actor.login())
            Console.out("\(login) is active (\(after.role.rawValue))\n")
        }
    }
}

struct PeopleDeactivate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deactivate", abstract: "Make a person read-only (they stay in the history; their models show as orphaned).")
    @OptionGroup var actor: ActorOptions
    @Argument(help: "Their login.") var login: String

    func run() throws {
        try acting {
            _ = try actor.inventory().governance.changePerson(login, role: nil, active: false, by: try actor.login())
            Console.out("\(login) is inactive\n")
        }
    }
}

struct ModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "model", abstract: "Change one model.", subcommands: [ModelPeople.self])
}

struct ModelPeople: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "people", abstract: "Hand a model to a new business owner, developer or validator.",
        discussion: "Each must be an active person; the validator may not be the developer (independent validation). AI leads and risk officers.")
    @OptionGroup var actor: ActorOptions
    @Argument(help: "The model id.") var modelId: String
    @Option(name: .customLong("business-owner"), help: "The new business owner.") var businessOwner: String?
    @Option(help: "The new developer.") var developer: String?
    @Option(help: "The new validator.") var validator: String?
    @Flag(name: .customLong("no-validator"), help: "Remove the validator.") var noValidator = false
    @Option(help: "Why, for the audit trail.") var note: String?

    func validate() throws {
        if validator != nil, noValidator { throw ValidationError("--validator and --no-validator exclude each other") }
        if businessOwner == nil, developer == nil, validator == nil, !noValidator {
            throw ValidationError("name at least one of --business-owner, --developer, --validator, --no-validator")
        }
    }

    func run() throws {
        try acting {
            let change = Inventory.ModelPeopleChange(businessOwner: businessOwner, developer: developer,
                                                     validator: noValidator ? .some(nil) : validator.map { .some($0) })
            try actor.inventory().governance.changeModelPeople(modelId, change, note: note, by: try actor.login())
            Console.out("\(modelId): people changed\n")
        }
    }
}

struct TaskReassign: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "reassign", abstract: "Give an open task to someone else.")
    @OptionGroup var actor: ActorOptions
    @Argument(help: "The task id.") var taskId: String
    @Option(help: ArgumentHelp("The new assignee (active).", valueName: "login")) var to: String
    @Option(help: "Why, for the audit trail.") var note: String?

    func run() throws {
        try acting {
            let task = try actor.inventory().governance.reassignTask(taskId, to: to, note: note, by: try actor.login())
            Console.out("\(task.id) is assigned to \(task.assignee)\n")
        }
    }
}

struct Migrate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Upgrade an inventory written by an older Binnacle to this binary's schema (risk officers; audited).",
        discussion: "Reading never upgrades a file: an older inventory is read as it is where that is safe, and refused otherwise.")
    @OptionGroup var actor: ActorOptions

    func run() throws {
        try acting {
            _ = try actor.login()
            let converted = try Inventory.useRollbackJournal(path: actor.database.path)
            if converted { Console.out("\(actor.database.path): now keeps a rollback journal (readers need only read permission)\n") }
            let inventory = try Inventory(path: actor.database.path, mode: .migrate)
            if let (from, to) = try inventory.migrate(by: try actor.login()) {
                Console.out("\(inventory.path): upgraded from schema \(from) to \(to)\n")
            } else {
                Console.out("\(inventory.path): already at schema \(Inventory.schemaMigrations.last?.name ?? "")\n")
            }
        }
    }
}

struct Recover: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Roll back a write that was interrupted (a killed import or ingest), so that readers can read again.",
        discussion: "The data as last committed is intact; this removes the unfinished write. Needs write permission on the file.")
    @OptionGroup var database: DatabaseOptions

    func run() throws {
        try running(failureCode: 2) {
            let path = database.path
            // A hot journal is one with content; an empty one (or none) holds nothing to roll back.
            let journal = (try? FileManager.default.attributesOfItem(atPath: path + "-journal"))?[.size] as? Int ?? 0
            try Inventory.rollBackInterruptedWrite(path: path)
            Console.out(journal > 0 ? "\(path): the interrupted write was rolled back; the inventory is as last committed\n"
                                : "\(path): no interrupted write; nothing to do\n")
        }
    }
}

struct Share: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Share the inventory with a unix group: members write (as their role allows), others read.",
        discussion: """
            Gives the inventory's folder (setgid) and file to GROUP, group-writable; with --others read (the default) \
            every user who can reach the folder reads, with --others none only the group does. Readers need no write \
            permission and leave no files behind. Run it as the file's owner or root (root: --as an administrator). \
            Keep the inventory in a folder of its own.
            """)
    @OptionGroup var actor: ActorOptions
    @Option(help: "The unix group of the people who write.") var group: String
    @Option(help: "read: users outside the group read; none: only the group reaches the inventory.") var others = "read"

    func validate() throws {
        guard ["read", "none"].contains(others) else { throw ValidationError("--others takes read or none") }
    }

    func run() throws {
        try acting {
            _ = try actor.login()
            try Inventory.useRollbackJournal(path: actor.database.path)
            let inventory = try actor.inventory()
            try inventory.share(Inventory.Sharing(group: group, othersRead: others == "read"), by: try actor.login())
            Console.out("\(inventory.path): shared with group \(group); \(others == "read" ? "everyone else reads" : "nobody else reaches it")\n"
                + "  folder \(inventory.folder) and file are the group's; add writers with `usermod -aG \(group) LOGIN` "
                + "and give each a role with `binnacle people add`\n")
        }
    }
}
