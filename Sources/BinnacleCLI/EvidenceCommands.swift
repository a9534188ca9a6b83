import ArgumentParser
import BinnacleCore
import BinnacleStore
import DisplayText
import Foundation

struct Evidence: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The examiner's evidence pack: the portfolio as of a date, with its audit trail, verifiable offline.",
        subcommands: [EvidenceWrite.self, EvidenceVerify.self], defaultSubcommand: EvidenceWrite.self)
}

struct EvidenceWrite: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "write",
        abstract: "Write the evidence pack as of a date into a new folder (`binnacle evidence --as-of D --out PACK`).",
        discussion: """
            The folder holds index.html (for people), bundle/ (the portfolio as of D, re-importable), report.json, \
            audit.jsonl (the audit chain up to its head at D), manifest.json and SHA256SUMS. It only reads the inventory.
            """)
    @OptionGroup var database: DatabaseOptions
    @Option(name: .customLong("as-of"), help: ArgumentHelp("The date of the pack (YYYY-MM-DD, UTC).", valueName: "date"), transform: parseDay)
    var asOf: Day
    @Option(help: ArgumentHelp("A folder that does not exist yet.", valueName: "pack")) var out: String

    func run() throws {
        try running {
            let inventory = try database.open(.read, readOnly: true)
            let manifest = try inventory.writeEvidencePack(asOf: asOf, to: out, version: BinnacleVersion.current)
            Console.out("wrote the evidence pack as of \(asOf) to \(out): \(manifest.files.count) files, "
                + "audit head at \(asOf) entry \(manifest.auditSeq) \(manifest.auditHead)\n"
                + "  check it: binnacle evidence verify \(out) --db \(database.path)   (or: cd \(out) && sha256sum -c SHA256SUMS)\n")
        }
    }
}

struct EvidenceVerify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check an evidence pack: exit 0 when verified, 1 naming what was changed, 2 when it could not check.",
        discussion: """
            Recomputes every file's hash, re-walks the audit chain inside the pack, and recomputes the KPIs from its bundle \
            against its report.json: without --db that only shows the pack consistent with itself, since anyone can recompute \
            hashes. With --db, also proves the pack's audit head is the live chain's head at its date, and that every file is \
            what the live inventory gives for that date (the pack is written again from it and compared).
            """)
    @Argument(help: "The pack folder.") var pack: String
    @Option(help: ArgumentHelp("The live inventory: its head at the pack's date must be the pack's, and the pack written again from it the same.", valueName: "path")) var db: String?

    func run() throws {
        try running(failureCode: 2) {
            let live = try db.map { try Inventory(path: $0, mode: .read, readOnly: true) }
            let verdict = try EvidencePack.verify(pack, live: live)
            // Pack text (file names, manifest values) is the attacker's: one line each, nothing that acts on the terminal.
            func shown(_ text: String) -> String { DisplayWidth.sanitize(text) }
            if !verdict.problems.isEmpty {
                throw Failure(message: "\(pack): TAMPERED\n" + verdict.problems.map { "  \(shown($0))" }.joined(separator: "\n"), code: 1)
            }
            guard let m = verdict.manifest else { throw Failure(message: "\(pack): no manifest", code: 2) }
            var out = "verified: \(pack), \(shown(m.portfolio)) as of \(m.asOf), generated \(shown(m.generatedAt)) by Binnacle \(shown(m.version))\n"
                + "  \(m.files.count) files match the manifest and SHA256SUMS; the audit chain holds \(m.auditEntries) entries to head \(shown(m.auditHead));\n"
                + "  the KPIs recomputed from bundle/ equal report.json\n"
            if let db {
                out += verdict.anchoredAt.map { "  the head is entry \($0) of the live chain of \(db), which is intact\n" }
                    ?? "  the live chain of \(db) is intact and holds no entry dated on or before \(m.asOf), as the pack says\n"
                if verdict.rebuilt { out += "  every file is what \(db) gives for \(m.asOf): the pack written again from it has the same hashes\n" }
            } else {
                out += "  without --db the pack is only shown consistent with itself (anyone can recompute its hashes); "
                    + "--db INVENTORY proves it is what the inventory gives\n"
            }
            Console.out(out)
        }
    }
}
