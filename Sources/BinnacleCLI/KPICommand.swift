import ArgumentParser
import BinnacleCore
import BinnacleStore
import Foundation

extension KPIName: ExpressibleByArgument {}

/// `binnacle kpi KPI`: the rows a KPI is computed from, and the KPI worked out from them — the
/// dashboard's drill-down, for a script or a spreadsheet.
struct KPICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kpi",
        abstract: "The rows a KPI is computed from as of a date, with the KPI recomputed from them.",
        discussion: "KPI is one of: " + KPIName.allCases.map(\.rawValue).joined(separator: ", "))
    @Argument(help: "The KPI, by its report key.") var kpi: KPIName
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var asOf: AsOfOption
    @Option(help: "Only this domain (business unit).") var domain: String?
    @Option(help: "text, json or csv.") var format: ListFormat = .text

    func run() throws {
        try running {
            let inventory = try database.open(.read, readOnly: true)
            try checkDomain(inventory, domain)
            let drill = try inventory.kpiDrill(kpi, asOf: asOf.day, domain: domain)
            let stream = Console.Stream()
            defer { stream.flush() }
            switch format {
            case .json: KPIDrillOutput.json(drill, stream.write)
            case .csv: KPIDrillOutput.csv(drill, stream.write)
            case .text: KPIDrillOutput.text(drill, stream.write)
            }
        }
    }
}

/// A drill-down for the command line: the rows are written one at a time (json, csv).
enum KPIDrillOutput {
    static func heading(_ drill: KPIDrill) -> String {
        "\(drill.kpi.title): \(drill.rows.count) \(drill.kpi.list.rowsAre)\(drill.domain.map { " in \($0)" } ?? "") as of \(drill.asOf)"
    }

    /// The table measured in one pass over the rows and written in a second, its cells made again
    /// rather than held (50,000 rows held as text took the command to 92 MB).
    static func text(_ drill: KPIDrill, _ emit: (String) -> Void) {
        let medians = drill.medianRows
        let columns = drill.columns
        func cells(_ i: Int) -> [String] { [drill.rows[i].modelId] + drill.cells(i, medians: medians) }
        emit(heading(drill) + "\n")
        if !drill.rows.isEmpty {
            var table = TextTable(header: ["ID"] + columns.map(\.title), rightAligned: Set(columns.indices.filter { columns[$0].numeric }.map { $0 + 1 }))
            for i in drill.rows.indices { table.measure(cells(i)) }
            emit(table.headerLine)
            for i in drill.rows.indices { emit(table.line(cells(i))) }
        }
        emit("= " + drill.footer + "\n")
    }

    static func text(_ drill: KPIDrill) -> String {
        var text = ""
        self.text(drill) { text += $0 }
        return text
    }

    /// The column names in json and csv: `model_id`, then each column's title in snake case.
    static func keys(_ drill: KPIDrill) -> [String] {
        ["model_id"] + drill.columns.map { $0.title.lowercased().replacingOccurrences(of: " ", with: "_") }
    }

    static func json(_ drill: KPIDrill, _ emit: @escaping (String) -> Void) {
        let head: [(String, JSON)] = [
            ("kpi", .string(drill.kpi.rawValue)), ("as_of", .string(drill.asOf.description)),
            ("domain", drill.domain.map { .string($0) } ?? .null), ("value", drill.shown?.json ?? .null), ("footer", .string(drill.footer)),
        ]
        emit("{\n" + head.map { "  " + JSON.string($0.0).serialized() + ": " + $0.1.serialized() + ",\n" }.joined() + "  \"rows\": ")
        let keys = keys(drill), columns = drill.columns, medians = drill.medianRows
        var array = JSONArrayWriter(indent: 2, emit: emit)
        for i in drill.rows.indices {
            let cells = [drill.rows[i].modelId] + drill.cells(i, medians: medians, exact: true)
            array.append(.object(zip(keys, cells).enumerated().map { k, pair in
                let numeric = k > 0 && columns[k - 1].numeric
                return (pair.0, numeric ? (Double(pair.1).map(JSON.double) ?? .null) : .string(pair.1))
            }))
        }
        array.finish()
        emit("\n}\n")
    }

    /// The rows, then a last row holding the footer.
    static func csv(_ drill: KPIDrill, _ emit: (String) -> Void) {
        let keys = keys(drill), medians = drill.medianRows
        emit(keys.joined(separator: ",") + "\n")
        for i in drill.rows.indices {
            emit(([drill.rows[i].modelId] + drill.cells(i, medians: medians, exact: true)).map(CSVText.cell).joined(separator: ",") + "\n")
        }
        emit(["", "total: " + drill.footer].map(CSVText.cell).joined(separator: ",") + "\n")
    }
}
