import ArgumentParser
import BinnacleBundle
import BinnacleCore
import BinnacleStore
import DisplayText
import Foundation

struct Models: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the inventory as of a date.")
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var asOf: AsOfOption
    @Option(help: "Only models in this stage at the date.") var stage: Stage?
    @Option(help: "Only this domain.") var domain: String?
    @Option(help: "text, json or csv.") var format: ListFormat = .text

    func run() throws {
        try running {
            let inventory = try database.open(.read, readOnly: true)
            try checkDomain(inventory, domain)
            // JSON and CSV are written a row at a time (50,000 models in a few MB); the text table
            // needs every row to size its columns.
            let stream = Console.Stream()
            defer { stream.flush() }
            switch format {
            case .json:
                var array = JSONArrayWriter(indent: 2, emit: stream.write)
                try inventory.eachModelSummary(asOf: asOf.day, stage: stage, domain: domain) { array.append($0.json) }
                array.finish()
                stream.write("\n")
            case .csv:
                stream.write("id,name,domain,kind,stage,risk_tier,business_owner,developer,validator,alerts_critical,alerts_warning,docs_missing,value_90d\n")
                try inventory.eachModelSummary(asOf: asOf.day, stage: stage, domain: domain) { m in
                    stream.write([m.id, m.name, m.domain, m.kind.rawValue, m.stage.rawValue, String(m.riskTier.rawValue), m.businessOwner, m.developer, m.validator ?? "",
                                  String(m.alertsCritical), String(m.alertsWarning), m.missingDocuments.tagList, Format.number(m.value90d)]
                        .map(CSVText.cell).joined(separator: ",") + "\n")
                }
            default:
                // The columns are as wide as their widest cell: one pass measures, a second writes, so no
                // more than a row is held (50,000 models held at once took 101 MB).
                var table = ModelsTable.table()
                var count = 0
                try inventory.eachModelSummaryTwice(asOf: asOf.day, stage: stage, domain: domain,
                                                    first: { table.measure(ModelsTable.cells($0)); count += 1 },
                                                    between: { stream.write(table.headerLine) },
                                                    then: { stream.write(table.line(ModelsTable.cells($0))) })
                stream.write(ModelsTable.footer(count, asOf: asOf.day))
            }
        }
    }
}

extension ModelSummary {
    var docsStatus: String { missingDocuments.isEmpty ? "complete" : "missing" }

    var json: JSON {
        .object([
            ("id", .string(id)), ("name", .string(name)), ("domain", .string(domain)), ("kind", .string(kind.rawValue)),
            ("stage", .string(stage.rawValue)), ("risk_tier", .int(riskTier.rawValue)), ("business_owner", .string(businessOwner)),
            ("developer", .string(developer)), ("validator", .string(validator)),
            ("alerts", .object([("critical", .int(alertsCritical)), ("warning", .int(alertsWarning))])),
            ("docs", .object([("status", .string(docsStatus)), ("missing", .array(missingDocuments.map { .string($0) }))])),
            ("value_90d", .number(value90d)),
        ])
    }
}

enum ModelsTable {
    static func table() -> TextTable {
        TextTable(header: ["ID", "NAME", "DOMAIN", "STAGE", "TIER", "OWNER", "CRIT", "WARN", "DOCS"],
                  caps: [28, 36, 20, 11, 4, 14, 4, 4, 60], rightAligned: [4, 6, 7])
    }

    static func cells(_ m: ModelSummary) -> [String] {
        [m.id, m.name, m.domain, m.stage.rawValue, String(m.riskTier.rawValue), m.businessOwner, String(m.alertsCritical), String(m.alertsWarning),
         m.missingDocuments.isEmpty ? "ok" : "missing " + m.missingDocuments.joined(separator: ",")]
    }

    static func footer(_ count: Int, asOf: Day) -> String { "\(count) models as of \(asOf)\n" }

    static func render(_ models: [ModelSummary], asOf: Day) -> String {
        var table = table()
        let rows = models.map(cells)
        for r in rows { table.measure(r) }
        return table.headerLine + rows.map(table.line).joined() + footer(models.count, asOf: asOf)
    }
}

/// A plain-text table for the command line: columns as wide as their widest cell, up to a cap each,
/// measured as the terminal draws them (wide and emoji characters take two); each cell is sanitised
/// and cut to its column by `Format.cell`. Rows are measured first, then written, so that a long
/// table can be measured and written a row at a time.
struct TextTable {
    let header: [String]
    let caps: [Int]?
    let rightAligned: Set<Int>
    private(set) var widths: [Int]

    init(header: [String], caps: [Int]? = nil, rightAligned: Set<Int> = []) {
        self.header = header; self.caps = caps; self.rightAligned = rightAligned
        widths = header.map { DisplayWidth.of($0) }
    }

    mutating func measure(_ cells: [String]) {
        for (i, c) in cells.enumerated() { widths[i] = min(caps?[i] ?? 40, max(widths[i], DisplayWidth.of(c))) }
    }

    func line(_ cells: [String]) -> String {
        cells.enumerated().map { i, c in Format.cell(c, widths[i], right: rightAligned.contains(i)) }
            .joined(separator: "  ").trimmingCharacters(in: .whitespaces) + "\n"
    }

    var headerLine: String { line(header) }

    static func render(header: [String], rows: [[String]], caps: [Int]? = nil, rightAligned: Set<Int> = []) -> String {
        var table = TextTable(header: header, caps: caps, rightAligned: rightAligned)
        for r in rows { table.measure(r) }
        return table.headerLine + rows.map(table.line).joined()
    }
}

struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "One model in full: people, stages, value, monitoring, documents, lineage, tasks.")
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var asOf: AsOfOption
    @Argument(help: "The model id.") var modelId: String
    @Option(help: "text or json.") var format: DetailFormat = .text

    func run() throws {
        try running {
            let detail = try database.open(.read, readOnly: true).modelDetail(id: modelId, asOf: asOf.day)
            Console.out(format == .json ? ModelDetailOutput.json(detail, asOf: asOf.day).serialized(indent: 2) + "\n"
                                        : ModelDetailOutput.text(detail, asOf: asOf.day))
        }
    }
}
