import ArgumentParser
import BinnacleBundle
import BinnacleCore
import BinnacleStore
import DisplayText
import Foundation

struct ImportMLflow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mlflow",
        abstract: "Sync registered models, versions, stages, serving-run metrics and datasets from an MLflow store (SQLite).",
        discussion: "The store is opened read-only and never written. Re-importing the same store changes nothing; a newer copy adds what is new.")
    @OptionGroup var actor: ActorOptions
    @Argument(help: "The MLflow backend store (an SQLite file).") var store: String
    @Option(help: "Put every model in this domain (default: a domain/business_unit tag, else the experiment name).") var domain: String?
    @Option(help: "Business owner for models without an owner tag (a login in the inventory).") var owner: String?
    @Option(help: ArgumentHelp("Into a new inventory: the currency value and cost will be recorded in (MLflow has none).",
                               valueName: "code")) var currency = ""
    @Option(help: ArgumentHelp("Into a new inventory: its first administrator (default: you).", valueName: "login")) var admin: String?

    func run() throws {
        try running {
            do {
                let s = try creatingInventory(at: actor.database.path, admin: admin ?? currentLogin()) {
                    try $0.importer.importMLflow(path: store, domain: domain, owner: owner, currency: currency, actor: try actor.login())
                }
                // Skip reasons and the rejected rows below quote the store's and the file's content.
                var out: SafeText = "MLflow \(s.mlflowVersion): \(s.registeredModels) registered models in \(store)\n"
                if s.changed {
                    out += "  models: \(s.modelsAdded) added, \(s.modelsUpdated) updated; people added: \(s.peopleAdded); "
                    out += "stage changes added: \(s.stageChangesAdded); observations added: \(s.observationsAdded); "
                    out += "datasets added: \(s.assetsAdded), lineage edges: \(s.edgesAdded)\n"
                    if s.peopleAdded > 0 {
                        out += "  the \(s.peopleAdded) people added are inactive: an import grants no one a role "
                        out += "(an administrator activates them: `binnacle people activate LOGIN`)\n"
                    }
                    if let e = s.auditEntry { out += "  audit #\(e.seq) \(e.action), head \(e.hash)\n" }
                } else {
                    out += "  nothing new: the inventory already holds everything in this store\n"
                }
                for (reason, count) in s.skipped.sorted(by: { $0.key < $1.key }) { out += "  skipped \(count): \(reason)\n" }
                for (name, id) in s.numbered { out += "  '\(name)' has the id of another model's name: imported as \(id)\n" }
                Console.out(out.description)
            }
        }
    }
}

struct ImportUseCases: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "use-cases",
        abstract: "Import a public AI use-case inventory (CSV), e.g. the US OMB 2025 federal inventory.",
        discussion: "Every row is accounted for: imported (flagged where something had to be assumed) or rejected with its line.")
    @OptionGroup var actor: ActorOptions
    @Argument(help: "The inventory CSV (UTF-8, with or without a byte-order mark).") var file: String
    @Option(help: "The layout: \(UseCaseLayout.layouts.keys.sorted().joined(separator: ", ")).") var format: String
    @Option(help: "The date the inventory reports (undated and future-dated stages are dated to it).", transform: parseDay)
    var reported = Day(year: 2025, month: 12, day: 31)!
    @Flag(help: "Refuse the file, writing nothing, if any date is unparsable or any row cannot be imported.") var strict = false
    @Option(help: ArgumentHelp("Into a new inventory: its first administrator (default: you).", valueName: "login")) var admin: String?

    func run() throws {
        try running {
            guard let layout = UseCaseLayout.layouts[format] else {
                throw Failure(message: "--format \(format) is not a known layout (\(UseCaseLayout.layouts.keys.sorted().joined(separator: ", ")))")
            }
            do {
                let s = try creatingInventory(at: actor.database.path, admin: admin ?? currentLogin()) {
                    try $0.importer.importUseCases(path: file, layout: layout, reported: reported, strict: strict, actor: try actor.login())
                }
                var out: SafeText = "\(file): \(s.rows) rows read: \(s.imported) imported (\(s.flagged) of them flagged), "
                out += "\(s.alreadyPresent) already in the inventory, \(s.rejected.count) rejected\n"
                for (flag, n) in s.flags.sorted(by: { $0.value > $1.value }) { out += "  flagged \(n): \(flag)\n" }
                for r in s.rejected.prefix(50) { out += "  \(file):\(r.line): rejected: \(r.reason)\n" }
                for b in s.badDates.prefix(50) { out += "  \(file):\(b.line): column \(layout.dateColumn): '\(b.text)' is not a date (imported undated)\n" }
                if s.badDates.count > 50 { out += "  … and \(s.badDates.count - 50) more unparsable dates\n" }
                for c in s.collisions.prefix(20) { out += "  \(file):\(c.line): same agency and name as line \(c.firstLine) (id \(c.id)): numbered\n" }
                if s.collisions.count > 20 { out += "  … and \(s.collisions.count - 20) more id collisions\n" }
                if let e = s.auditEntry { out += "  audit #\(e.seq) \(e.action), head \(e.hash)\n" }
                Console.out(out.description)
            } catch let e as BundleErrors {
                throw Failure(message: "\(file): refused (--strict)\n" + e.description)
            }
        }
    }
}
