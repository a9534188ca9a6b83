import ArgumentParser
import BinnacleBundle
import BinnacleCore
import BinnacleStore
import DisplayText
import Foundation

/// A column of a CSV file with a header: its values as text, with the line each came from.
func readColumn(_ path: String, column: String?) throws -> [(line: Int, text: String)] {
    let name = URL(fileURLWithPath: path).lastPathComponent
    let reader = try CSVReader(path: path, name: name)
    guard let header = try reader.next() else { throw Failure("\(name): empty file (a header row is needed)") }
    let index: Int
    if let column {
        guard let i = header.fields.firstIndex(of: column) else {
            throw Failure("\(name):1: no column '\(column)' (columns: \(header.fields.joined(separator: ", ")))")
        }
        index = i
    } else {
        index = 0
    }
    var values: [(Int, String)] = []
    while let r = try reader.next() {
        let text = index < r.fields.count ? r.fields[index].trimmingCharacters(in: .whitespaces) : ""
        if !text.isEmpty { values.append((r.line, text)) }   // missing values are not part of a sample
    }
    if values.isEmpty { throw Failure("\(name): column \(column ?? header.fields.first ?? "1") has no values") }
    return values
}

/// Drift between a reference and a current sample file.
func driftBetween(reference: String, current: String, column: String?, categorical: Bool) throws -> DriftResult {
    let ref = try readColumn(reference, column: column), cur = try readColumn(current, column: column)
    if categorical { return Drift.compare(referenceCategories: ref.map(\.text), currentCategories: cur.map(\.text)) }
    func numbers(_ values: [(line: Int, text: String)], _ path: String) throws -> [Double] {
        try values.map { v in
            guard let d = Numbers.parse(v.text) else {
                throw Failure("\(URL(fileURLWithPath: path).lastPathComponent):\(v.line): '\(v.text)' is not a finite number (use --categorical for labels)")
            }
            return d
        }
    }
    let (r, c) = (try numbers(ref, reference), try numbers(cur, current))
    let started = Date()
    defer {
        if ProcessInfo.processInfo.environment["BINNACLE_TIMING"] != nil {
            FileHandle.standardError.write(Data("drift statistics: \(Format.fixed(Date().timeIntervalSince(started), decimals: 3)) s for \(r.count) + \(c.count) values\n".utf8))
        }
    }
    return Drift.compare(reference: r, current: c)
}

struct DriftCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drift", abstract: "Drift between a reference and a current sample: PSI, Jensen–Shannon, Wasserstein, KS (as Evidently computes them).")
    @Option(help: "The reference sample (CSV with a header).") var reference: String
    @Option(help: "The current sample (CSV with a header).") var current: String
    @Option(help: "The column to compare (default: the first).") var column: String?
    @Flag(help: "Treat values as categories (PSI and Jensen–Shannon only).") var categorical = false
    @Option(help: "text or json.") var format: DetailFormat = .text

    func run() throws {
        try running {
            let r = try driftBetween(reference: reference, current: current, column: column, categorical: categorical)
            if format == .json { return Console.out(r.json.serialized(indent: 2) + "\n") }
            var out = "\(r.numerical ? "numerical" : "categorical"), \(r.bins) bins\n"
            let flags = Dictionary(uniqueKeysWithValues: r.drift.map { ($0.statistic, $0.drifted) })
            func line(_ name: String, _ value: Double?, _ key: String, _ rule: String) {
                guard let value else { return }
                out += "  \(Format.cell(name, 22)) \(Format.cell(Format.number(value), 24, right: true))  \(flags[key]! ? "DRIFT" : "ok   ")  (\(rule))\n"
            }
            line("PSI", r.psi, "psi", "drift at \(DriftMetric.psi.rule)")
            line("Jensen–Shannon", r.jensenShannon, "jensenshannon", "drift at \(DriftMetric.js.rule)")
            line("Wasserstein (norm.)", r.wassersteinNormalised, "wasserstein_norm", "drift at \(DriftMetric.wasserstein.rule)")
            line("KS statistic", r.ksStatistic, "ks", "")
            line("KS p-value", r.ksPValue, "ks", "drift at \(DriftMetric.ksPValue.rule)")
            Console.out(out)
        }
    }
}

struct IngestSamples: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "samples",
        abstract: "Compute a feature's drift between a reference and a current sample and store it as observations.",
        discussion: "Stores psi:FEATURE, js:FEATURE, wasserstein:FEATURE and ks_pvalue:FEATURE. A model without a monitor for psi:FEATURE gets one (above, warn \(Format.number(DriftMetric.defaultPSIMonitor.warn)), critical \(Format.number(DriftMetric.defaultPSIMonitor.critical))), so drift turns into alerts at once.")
    @OptionGroup var actor: ActorOptions
    @Argument(help: "The model id.") var modelId: String
    @Argument(help: "The feature.") var feature: String
    @Option(help: "The reference sample (CSV with a header).") var reference: String
    @Option(help: "The current sample (CSV with a header).") var current: String
    @Option(help: "The column (default: the first).") var column: String?
    @Flag(help: "Treat values as categories.") var categorical = false
    @Option(help: "When the current sample was taken (default: now).") var at: String?

    func run() throws {
        try running {
            var when = Timestamp.now()
            if let at {
                guard let t = Timestamp(parsing: at) else { throw Failure("--at '\(at)' is not a UTC date-time (YYYY-MM-DDTHH:MM:SSZ)") }
                when = t
            }
            let result = try driftBetween(reference: reference, current: current, column: column, categorical: categorical)
            let added = try actor.inventory().importer.ingestDrift(
                modelId: modelId, feature: feature, result: result, at: when,
                sources: ["reference": reference, "current": current], actor: try actor.login())
            var out = "\(modelId) \(feature) at \(when.bundleText): PSI \(Format.number(result.psi)), JS \(Format.number(result.jensenShannon))"
            if let w = result.wassersteinNormalised { out += ", Wasserstein \(Format.number(w))" }
            if let p = result.ksPValue { out += ", KS p \(Format.number(p))" }
            out += "\n"
            let d = DriftMetric.defaultPSIMonitor
            if added { out += "  added monitor \(DriftMetric.psi.metric(feature)) (above, warn \(Format.number(d.warn)), critical \(Format.number(d.critical)))\n" }
            Console.out(out)
        }
    }
}
