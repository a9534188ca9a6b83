import ArgumentParser
import BinnacleBundle
import BinnacleCore
import BinnacleStore
import DisplayText
import Foundation

struct Audit: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The tamper-evident audit log: verify the chain, print its head, list entries.",
        subcommands: [AuditVerify.self, AuditHead.self, AuditLogCommand.self])
}

struct AuditVerify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Recompute the whole chain: exit 0 when intact, 1 naming the first entry that does not match, 2 when it could not check.",
        discussion: "With --expect-head, also prove that the entry with that hash (a head anchored elsewhere) is still in the chain.")
    @OptionGroup var database: DatabaseOptions
    @Option(name: .customLong("expect-head"), help: "A head hash recorded earlier.") var expectHead: String?

    func run() throws {
        try running(failureCode: 2) {
            let inventory = try database.open(.read, readOnly: true)
            switch try inventory.verifyChain() {
            case .broken(let seq, let reason):
                throw Failure(message: "broken at entry \(seq): \(reason)", code: 1)
            case .intact(let n, let head):
                if let expected = expectHead?.lowercased() {
                    guard let seq = try inventory.auditEntry(hash: expected)?.seq else {
                        throw Failure(message: "the anchored head \(expected) is not in the chain: entries up to it were removed or rewritten",
                                      code: 1)
                    }
                    Console.out("intact: \(n) entries, head \(head); anchored head found at entry \(seq)\n")
                } else {
                    Console.out("intact: \(n) entries, head \(head)\n")
                }
            }
        }
    }
}

struct AuditHead: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "head", abstract: "Print the hash of the newest entry (anchor it elsewhere).")
    @OptionGroup var database: DatabaseOptions

    func run() throws {
        try running {
            let last = try database.open(.read, readOnly: true).auditEntries(filter: nil, limit: 1).first
            Console.out((last?.hash ?? AuditLog.genesis) + "\n")
        }
    }
}

struct AuditLogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "log", abstract: "List audit entries, oldest first.")
    @OptionGroup var database: DatabaseOptions
    @Option(help: "Only entries about this model.") var model: String?
    @Option(help: "Only entries by this actor.") var actor: String?
    @Option(help: "Only entries on or after this date (YYYY-MM-DD).", transform: parseDay) var since: Day?
    @Option(help: "text, json or csv.") var format: ListFormat = .text

    func run() throws {
        try running {
            let inventory = try database.open(.read, readOnly: true)
            // Written an entry at a time: the log only grows.
            let stream = Console.Stream()
            defer { stream.flush() }
            switch format {
            case .json:
                var array = JSONArrayWriter(indent: 2, emit: stream.write)
                try inventory.eachAuditEntry(model: model, actor: actor, since: since) { array.append($0.json) }
                array.finish()
                stream.write("\n")
            case .csv:
                stream.write("seq,at,actor,action,entity,detail,prev_hash,hash\n")
                try inventory.eachAuditEntry(model: model, actor: actor, since: since) { e in
                    stream.write([String(e.seq), e.at, e.actor, e.action, e.entity, e.detail, e.prevHash, e.hash].map(CSVText.cell)
                        .joined(separator: ",") + "\n")
                }
            default:
                var count = 0
                try inventory.eachAuditEntry(model: model, actor: actor, since: since) { e in
                    let line: SafeText = "#\(e.seq)  \(e.at)  \(e.actor)  \(e.action)  \(e.entity)  \(e.detail)\n"
                    stream.write(line.description)
                    count += 1
                }
                stream.write("\(count) entries\n")
            }
        }
    }
}
