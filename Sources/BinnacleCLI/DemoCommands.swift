import ArgumentParser
import BinnacleBundle
import BinnacleCore
import BinnacleStore
import Foundation

struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a realistic synthetic portfolio bundle of any size (for trials and benchmarks).")
    @Option(help: "How many models.") var models: Int
    @Option(help: "Random seed: the same seed gives the same bundle.") var seed: UInt64 = 1
    @Option(help: "The output folder (must not exist or be empty).") var out: String
    @Option(name: .customLong("as-of"), help: "The last day the data covers (YYYY-MM-DD). Default: today.", transform: parseDay)
    var asOf: Day?

    func validate() throws {
        guard models >= 1, models <= 10_000_000 else { throw ValidationError("--models must be between 1 and 10000000") }
    }

    func run() throws {
        try running {
            if let contents = try? FileManager.default.contentsOfDirectory(atPath: out), !contents.isEmpty {
                throw Failure(message: "\(out) already exists and is not empty; generate into a new folder")
            }
            let started = Date()
            let counts = try PortfolioGenerator(models: models, seed: seed, asOf: asOf ?? Day.today()).write(to: out)
            let total = counts.values.reduce(0, +)
            Console.out("wrote \(total) rows (\(counts[.models] ?? 0) models, \(counts[.observations] ?? 0) observations) to \(out) "
                + "in \(Format.fixed(Date().timeIntervalSince(started), decimals: 1)) s\n")
        }
    }
}

struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create demo.sqlite from sample-data/ if missing, then open the dashboard on it.",
        discussion: "Opens as of the date the sample data was extracted (its manifest's as_of) unless --as-of is given.")
    @Option(help: "The demo database.") var db = "demo.sqlite"
    @Option(name: .customLong("sample-data"), help: "The sample bundle. Default: sample-data/ beside the binary's checkout or the current folder.")
    var sampleData: String?
    @Option(name: .customLong("as-of"), help: "Show as of this date (YYYY-MM-DD).", transform: parseDay) var asOf: Day?
    @OptionGroup var display: DisplayOptions

    func run() throws {
        try running {
            if !FileManager.default.fileExists(atPath: db) {
                guard let bundle = sampleData ?? Demo.findSampleData() else {
                    throw Failure(message: "cannot find sample-data/; run from the Binnacle checkout or pass --sample-data DIR")
                }
                let summary = try creatingInventory(at: db) { try $0.importer.importBundle(directory: bundle, replace: false, actor: currentLogin()) }
                Console.out("created \(db) from \(bundle) (\(summary.totalRows) rows)\n\n")
            }
            let inventory = try Inventory(path: db, mode: .read)
            let day = try asOf ?? inventory.portfolioInfo().asOf ?? Day.today()
            // The dashboard on a terminal; the text report when piped (scripts, CI).
            if isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 {
                try openDashboard(inventory, asOf: day, display: display)
            } else {
                Console.out(try inventory.report(asOf: day).text())
            }
        }
    }

    /// sample-data/ in the current folder or above the executable (a build lives in .build/debug).
    static func findSampleData() -> String? {
        var candidates = [FileManager.default.currentDirectoryPath]
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 { candidates.append(dir.path); dir = dir.deletingLastPathComponent() }
        return candidates.map { ($0 as NSString).appendingPathComponent("sample-data") }
            .first { FileManager.default.fileExists(atPath: ($0 as NSString).appendingPathComponent("manifest.csv")) }
    }
}
