import ArgumentParser
import BinnacleCore
import BinnacleStore
import Foundation

struct ImportMLflow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mlflow",
        abstract: "Sync registered models, versions, stages, serving-run metrics and datasets from an MLflow store (SQLite).",
        discussion: "The store is opened read-only and never written. Re-importing the same store changes nothing; a newer copy adds what is new.")
    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The MLflow backend store (an SQLite file).") var store: String
    @Option(help: "Put every model in this domain (default: a domain/business_unit tag, else the experiment name).") var domain: String?
    @Option(help: "Business owner for models without an owner tag (a login in the inventory).") var owner: String?

    func run() throws {
        try running {
            let path = database.path
            let existed = FileManager.default.fileExists(atPath: path)
            do {
                let s = try Inventory(path: path, mode: .create).importMLflow(path: store, domain: domain, owner: owner, actor: currentLogin())
                var out = "MLflow \(s.mlflowVersion): \(s.registeredModels) registered models in \(store)\n"
                if s.changed {
                    out += "  models: \(s.modelsAdded) added, \(s.modelsUpdated) updated; people added: \(s.peopleAdded); "
                        + "stage changes added: \(s.stageChangesAdded); observations added: \(s.observationsAdded); "
                        + "datasets added: \(s.assetsAdded), lineage edges: \(s.edgesAdded)\n"
                    if let e = s.auditEntry { out += "  audit #\(e.seq) \(e.action), head \(e.hash)\n" }
                } else {
                    out += "  nothing new: the inventory already holds everything in this store\n"
                }
                for (reason, count) in s.skipped.sorted(by: { $0.key < $1.key }) { out += "  skipped \(count): \(reason)\n" }
                Console.out(out)
            } catch {
                if !existed { Inventory.removeFiles(path) }
                throw error
            }
        }
    }
}
