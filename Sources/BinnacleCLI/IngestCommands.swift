import ArgumentParser
import BinnacleBundle
import BinnacleCore
import BinnacleStore
import Foundation

extension IngestFormat: ExpressibleByArgument {}

struct Ingest: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Take in what monitoring pipelines and cron jobs produce.",
        subcommands: [IngestObservations.self, IngestValue.self, IngestSamples.self])
}

/// The file, or standard input for `-`, and its format (by extension unless given).
struct IngestInput: ParsableArguments {
    @Argument(help: "A CSV or JSON Lines file; - reads standard input.") var file: String
    @Option(help: "csv or jsonl (default: from the extension; csv for standard input).") var format: IngestFormat?
    @Flag(name: .customLong("skip-invalid"), help: "Write the valid rows and report the rejected ones (default: refuse the whole file).")
    var skipInvalid = false

    /// A path to read and the name to report; standard input is saved first (it is read twice: hashed,
    /// then parsed) to a private file that only this process can see and that vanishes when it exits.
    func resolve() throws -> (path: String, name: String, format: IngestFormat, cleanup: () -> Void) {
        if file == "-" {
            let copy = try PrivateFiles.anonymousCopy(of: FileHandle.standardInput)
            return (copy.path, "stdin", format ?? .csv, copy.close)
        }
        let ext = URL(fileURLWithPath: file).pathExtension.lowercased()
        return (file, URL(fileURLWithPath: file).lastPathComponent, format ?? (["jsonl", "ndjson"].contains(ext) ? .jsonl : .csv), {})
    }
}

extension IngestInput {
    /// Runs one ingest on the resolved input and prints what it did; refused files name every problem.
    func run(_ ingest: (_ path: String, _ name: String, _ format: IngestFormat) throws -> IngestSummary) throws {
        let (path, name, format, cleanup) = try resolve()
        defer { cleanup() }
        do {
            Console.out(report(try ingest(path, name, format), name: name))
        } catch let e as BundleErrors {
            throw Failure(message: "\(name): cannot ingest\n" + e.description)
        }
    }
}

func report(_ s: IngestSummary, name: String) -> String {
    var out = "\(name): \(s.rows) rows: \(s.inserted) added, \(s.unchanged) already stored, \(s.replaced) replaced, \(s.rejected.count) rejected\n"
    for p in s.rejected.prefix(BundleErrors.shownLimit) { out += "  rejected \(p)\n" }
    if s.rejected.count > BundleErrors.shownLimit { out += "  … and \(s.rejected.count - BundleErrors.shownLimit) more rejected\n" }
    if let e = s.auditEntry { out += "  audit #\(e.seq) \(e.action), head \(e.hash)\n" }
    return out
}

struct IngestObservations: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "observations", abstract: "Ingest observations: model_id, metric, observed_at, value.",
        discussion: "One transaction and one audit entry per file. The same observation twice is stored once; a different value for the same model, metric and time is refused unless --replace.")
    @OptionGroup var actor: ActorOptions
    @OptionGroup var input: IngestInput
    @Flag(help: "Overwrite stored observations whose value differs.") var replace = false

    func run() throws {
        try running {
            try input.run { path, name, format in
                try actor.inventory().importer.ingestObservations(path: path, name: name, format: format, skipInvalid: input.skipInvalid,
                                                         replace: replace, actor: try actor.login())
            }
        }
    }
}

struct IngestValue: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "value", abstract: "Ingest value and cost records: model_id, date, value, cost, note.")
    @OptionGroup var actor: ActorOptions
    @OptionGroup var input: IngestInput

    func run() throws {
        try running {
            try input.run { path, name, format in
                try actor.inventory().importer.ingestValue(path: path, name: name, format: format, skipInvalid: input.skipInvalid,
                                                  actor: try actor.login())
            }
        }
    }
}
