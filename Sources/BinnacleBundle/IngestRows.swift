import BinnacleCore
import Foundation

/// Rows from a pipeline: CSV with a header, or JSON Lines with the same keys.
public enum IngestFormat: String, Sendable, CaseIterable { case csv, jsonl }

/// Reads ingest rows as their fields in `columns` order ("" when absent), with their line numbers.
/// A row that cannot be read at all comes as no fields and the problem, `column: what is wrong`.
/// Pure parsing (no database), so the fuzzers run it as the ingest does.
public struct IngestRows {
    public enum Source { case path(String), bytes([UInt8]) }

    public let source: Source
    public let name: String
    public let format: IngestFormat
    public let columns: [String]
    /// Columns whose JSON value must be a number (a string holding one is accepted too).
    public let numeric: Set<String>
    /// Columns a CSV header may leave out.
    public let optional: Set<String>

    public init(source: Source, name: String, format: IngestFormat, columns: [String], numeric: Set<String>, optional: Set<String>) {
        self.source = source; self.name = name; self.format = format; self.columns = columns
        self.numeric = numeric; self.optional = optional
    }

    public func read(_ body: (Int, [String], String?) throws -> Void) throws {
        switch format {
        case .csv:
            let reader: CSVReader
            switch source {
            case .path(let path): reader = try CSVReader(path: path, name: name)
            case .bytes(let bytes): reader = CSVReader(bytes: bytes, name: name)
            }
            guard let header = try reader.next() else { throw CSVSyntaxError(file: name, line: 1, message: "file is empty (no header row)") }
            var index: [String: Int] = [:]
            for (i, c) in header.fields.enumerated() { index[c.trimmingCharacters(in: .whitespaces)] = i }
            for c in columns where index[c] == nil && !optional.contains(c) {
                throw CSVSyntaxError(file: name, line: header.line, message: "column \(c): missing from the header")
            }
            let positions = columns.map { index[$0] }
            while let r = try reader.next() {
                try body(r.line, positions.map { p in p.flatMap { $0 < r.fields.count ? r.fields[$0] : nil } ?? "" }, nil)
            }
        case .jsonl:
            let data: Data
            switch source {
            case .path(let path):
                guard let handle = FileHandle(forReadingAtPath: path) else { throw CSVSyntaxError(file: name, line: 0, message: "cannot open") }
                data = handle.readDataToEndOfFile()
            case .bytes(let bytes): data = Data(bytes)
            }
            var line = 0
            for raw in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
                line += 1
                if raw.allSatisfy({ $0 == 0x20 || $0 == 0x0D || $0 == 0x09 }) { continue }
                guard let object = try? JSONDecoder().decode([String: JSONField].self, from: Data(raw)) else {
                    try body(line, [], "not a JSON object")
                    continue
                }
                var fields: [String] = []
                var problem: String?
                for c in columns {
                    switch (object[c], numeric.contains(c)) {
                    case (nil, _), (.null, _): fields.append("")
                    case (.text(let s), _): fields.append(s)
                    case (.number(let n), true): fields.append(n.description)
                    case (let other?, _): problem = problem ?? "\(c): \(other.kind) is not \(numeric.contains(c) ? "a number" : "a string")"
                    }
                }
                if let problem { try body(line, [], problem); continue }
                if let i = fields.firstIndex(where: { $0.utf8.contains(0) }) {
                    try body(line, [], "\(columns[i]): contains a NUL character")
                    continue
                }
                try body(line, fields, nil)
            }
        }
    }
}

/// A JSON Lines value, typed as JSON typed it: `true` is a boolean, never the number 1.
enum JSONField: Decodable {
    case null, bool, number(Double), text(String), structure

    init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if (try? c.decode(Bool.self)) != nil { self = .bool }
        else if let n = try? c.decode(Double.self) { self = .number(n) }
        else if let s = try? c.decode(String.self) { self = .text(s) }
        else { self = .structure }
    }

    var kind: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number(let n): "the number \(n)"
        case .text(let s): "the string \"\(s)\""
        case .structure: "an object or array"
        }
    }
}

/// One observation as a pipeline sends it, checked; the model is checked by the caller (it needs the inventory).
public struct ObservationRow: Equatable, Sendable {
    public static let columns = ["model_id", "metric", "observed_at", "value"]
    public static let numeric: Set<String> = ["value"]

    public var model: String, metric: String, at: Timestamp, value: Double

    /// The row from `columns`-ordered fields, or the problem (`column: what is wrong`).
    public static func parse(_ f: [String]) -> Result<ObservationRow, IngestProblem> {
        let (model, metric, rawAt, rawValue) = (f[0], f[1], f[2], f[3])
        guard !model.isEmpty else { return .failure("model_id: missing") }
        guard !metric.isEmpty else { return .failure("metric: missing") }
        guard !rawAt.isEmpty else { return .failure("observed_at: missing") }
        guard let at = Timestamp(parsing: rawAt) else { return .failure(IngestProblem("observed_at: " + Timestamp.problem(rawAt))) }
        guard !rawValue.isEmpty else { return .failure("value: missing") }
        guard let value = Numbers.parse(rawValue) else { return .failure(IngestProblem("value: '\(rawValue)' is not a finite number")) }
        return .success(ObservationRow(model: model, metric: metric, at: at, value: value))
    }
}

/// A value and cost record as a pipeline sends it, checked (the model by the caller).
public struct ValueRow: Equatable, Sendable {
    public static let columns = ["model_id", "date", "value", "cost", "note"]
    public static let numeric: Set<String> = ["value", "cost"]

    public var model: String, date: Day, value: Double, cost: Double, note: String?

    public static func parse(_ f: [String]) -> Result<ValueRow, IngestProblem> {
        let (model, rawDate, rawValue, rawCost) = (f[0], f[1], f[2], f[3])
        guard !model.isEmpty else { return .failure("model_id: missing") }
        guard !rawDate.isEmpty else { return .failure("date: missing") }
        guard let date = Day(rawDate) else { return .failure(IngestProblem("date: " + Day.problem(rawDate))) }
        guard let value = Numbers.parse(rawValue) else { return .failure(IngestProblem("value: '\(rawValue)' is not a finite number")) }
        guard let cost = Numbers.parse(rawCost) else { return .failure(IngestProblem("cost: '\(rawCost)' is not a finite number")) }
        if cost < 0 { return .failure(IngestProblem("cost: \(rawCost) is negative (record a loss as negative value)")) }
        return .success(ValueRow(model: model, date: date, value: value, cost: cost, note: f[4].isEmpty ? nil : f[4]))
    }
}

/// What is wrong with one ingest row: `column: what is wrong`.
public struct IngestProblem: Error, Equatable, Sendable, ExpressibleByStringLiteral {
    public var message: String
    public init(_ message: String) { self.message = message }
    public init(stringLiteral message: String) { self.message = message }
}
