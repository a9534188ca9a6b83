import BinnacleCore
import DisplayText
import Foundation

/// One thing wrong in a bundle: `FILE:LINE: column COL: what is wrong`.
public struct BundleProblem: Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var column: String?
    public var message: String

    public init(file: String, line: Int?, column: String?, message: String) {
        self.file = file; self.line = line; self.column = column; self.message = message
    }

    /// One line, whatever the file held: the message quotes file content, shown sanitised.
    public var description: String {
        var s: SafeText = "\(file)"
        if let line { s += ":\(line)" }
        s += ": "
        if let column { s += "column \(column): " }
        s += "\(message)"
        return s.description
    }
}

/// Every problem found, the first `shownLimit` kept in full.
public struct BundleErrors: Error, Sendable, CustomStringConvertible {
    public static let shownLimit = 50
    public var problems: [BundleProblem] = []
    public var total = 0

    public init() {}

    public mutating func add(_ p: BundleProblem) {
        total += 1
        if problems.count < BundleErrors.shownLimit { problems.append(p) }
    }

    public var description: String {
        var lines = problems.map(\.description)
        if total > problems.count { lines.append("… and \(total - problems.count) more problems") }
        lines.append("refused: \(total) problem\(total == 1 ? "" : "s"); nothing was written")
        return lines.joined(separator: "\n")
    }
}

/// A conflict only the receiver can see, such as a duplicate key; reported at the record's line.
public struct BundleRejection: Error, Sendable {
    public var column: String?
    public var message: String
    /// A record refused only because a row it refers to was refused: not reported again.
    public var followsEarlierProblem: Bool
    public init(column: String?, message: String, followsEarlierProblem: Bool = false) {
        self.column = column; self.message = message; self.followsEarlierProblem = followsEarlierProblem
    }
}

/// Receives each valid record, in file order — even after a problem elsewhere, so that checks only
/// the receiver can make (duplicate keys) still report every problem. When `read` throws, the
/// receiver must discard everything it was given (the importer rolls its transaction back).
public protocol BundleSink {
    mutating func accept(_ record: BundleRecord) throws
}

/// Reads and validates a bundle directory, streaming each file once in constant memory.
public struct BundleReader {
    public let directory: String
    /// The files' contents when read from memory (the fuzzers); nil reads `directory`.
    private let memory: [BundleFile: [UInt8]]?
    /// Sees every byte of each file, e.g. to compute its digest.
    public var observeBytes: ((BundleFile, UnsafeRawBufferPointer) -> Void)?

    public init(directory: String) { self.directory = directory; memory = nil }

    /// A bundle held in memory: a file absent from `files` is missing.
    public init(files: [BundleFile: [UInt8]]) { directory = "(memory)"; memory = files }

    /// Rows read per file.
    public typealias Counts = [BundleFile: Int]

    /// Where a record was read: its file and the line it starts on.
    public typealias Place = (file: BundleFile, line: Int)

    /// Throws `BundleErrors` listing every problem when anything is wrong.
    public func read(into sink: inout some BundleSink) throws -> Counts {
        var state = ValidationState()
        let counts = try scan(&state) { record, place, state in
            do { try sink.accept(record) } catch let r as BundleRejection {
                if r.followsEarlierProblem, state.errors.total > 0 { return }
                state.report(BundleProblem(file: place.file.fileName, line: place.line, column: r.column, message: r.message))
            }
        }
        if state.errors.total > 0 { throw state.errors }
        if let m = state.manifest() { try sink.accept(.manifest(m)) }
        return counts
    }

    /// Reads every file in order, handing each valid record to `emit`; the problems are left in `state`.
    func scan(_ state: inout ValidationState, _ emit: (BundleRecord, Place, inout ValidationState) throws -> Void) throws -> Counts {
        var counts: Counts = [:]
        var isDirectory = ObjCBool(memory != nil)
        guard memory != nil || FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            state.report(BundleProblem(file: directory, line: nil, column: nil, message: "not a bundle directory (no such folder)"))
            return counts
        }
        for file in BundleFile.allCases {
            let path = (directory as NSString).appendingPathComponent(file.fileName)
            guard memory.map({ $0[file] != nil }) ?? FileManager.default.fileExists(atPath: path) else {
                if file.isRequired {
                    state.report(BundleProblem(file: file.fileName, line: nil, column: nil, message: "required file is missing"))
                }
                continue
            }
            counts[file] = try readFile(file, path: path, state: &state, emit: emit)
        }
        if state.manifestKeys.isEmpty == false || counts[.manifest] != nil {
            for key in ["format", "portfolio", "currency"] where state.manifestKeys[key] == nil {
                state.report(BundleProblem(file: "manifest.csv", line: nil, column: "key", message: "required key '\(key)' is missing"))
            }
        }
        return counts
    }

    private func readFile(_ file: BundleFile, path: String, state: inout ValidationState,
                          emit: (BundleRecord, Place, inout ValidationState) throws -> Void) throws -> Int {
        let reader: CSVReader
        do {
            if let bytes = memory?[file] { reader = CSVReader(bytes: bytes, name: file.fileName) } else { reader = try CSVReader(path: path, name: file.fileName) }
        } catch let e as CSVSyntaxError {
            state.report(BundleProblem(file: file.fileName, line: nil, column: nil, message: e.message))
            return 0
        }
        if let observeBytes { reader.observeBytes = { observeBytes(file, $0) } }
        var rows = 0
        do {
            guard let header = try reader.next() else {
                state.report(BundleProblem(file: file.fileName, line: 1, column: nil, message: "file is empty (no header row)"))
                return 0
            }
            var index: [String: Int] = [:]
            for (i, name) in header.fields.enumerated() where index[name] == nil { index[name.trimmedSpaces] = i }
            var missing = false
            for column in file.columns where index[column] == nil {
                state.report(BundleProblem(file: file.fileName, line: header.line, column: column, message: "missing from the header"))
                missing = true
            }
            if missing { return 0 }
            let row = RowParser(file: file, columns: file.columns.map { index[$0]! })
            while let record = try reader.next() {
                rows += 1
                var parser = row
                parser.line = record.line
                parser.fields = record.fields
                guard let parsed = state.parse(&parser) else { continue }
                try emit(parsed, (file, record.line), &state)
                state.emitted += 1
            }
        } catch let e as CSVSyntaxError {
            state.report(BundleProblem(file: file.fileName, line: e.line, column: nil, message: e.message))
        }
        return rows
    }
}
