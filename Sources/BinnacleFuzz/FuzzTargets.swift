import BinnacleBundle
import BinnacleCore
import TerminalUI

/// One pure entry per fuzz target. libFuzzer calls them through `binnacle-fuzz`; the test suite runs
/// them over every file of the seed corpus (Tests/Fuzz/corpus/<target>/), so a crash found once stays
/// a regression test. Each returns normally on any input: bad input is an error, never a trap.
public enum FuzzTarget: String, CaseIterable, Sendable {
    case csv, bundle, observations, timestamp, usecases, width

    public func run(_ data: [UInt8]) {
        switch self {
        case .csv: Fuzz.csv(data)
        case .bundle: Fuzz.bundle(data)
        case .observations: Fuzz.observations(data)
        case .timestamp: Fuzz.timestamp(data)
        case .usecases: Fuzz.useCases(data)
        case .width: Fuzz.width(data)
        }
    }
}

/// A broken promise about the output of code that accepted its input: a bug, reported as a crash.
func require(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError(message()) }
}

enum Fuzz {
    /// RFC 4180 records from arbitrary bytes: every field read is valid UTF-8 without NUL.
    static func csv(_ data: [UInt8]) {
        let reader = CSVReader(bytes: data, name: "fuzz.csv")
        while let record = try? reader.next() {
            for field in record.fields { require(!field.utf8.contains(0), "a NUL byte passed the CSV reader") }
        }
    }

    /// A whole bundle from memory: files separated by form feeds, in `BundleFile.allCases` order.
    static func bundle(_ data: [UInt8]) {
        var files: [BundleFile: [UInt8]] = [:]
        for (file, part) in zip(BundleFile.allCases, data.split(separator: 0x0C, omittingEmptySubsequences: false)) { files[file] = Array(part) }
        var sink = CheckingSink()
        _ = try? BundleReader(files: files).read(into: &sink)
    }

    /// Accepted records hold only what the inventory can store and print back.
    struct CheckingSink: BundleSink {
        mutating func accept(_ record: BundleRecord) throws {
            switch record {
            case .observation(let o): checkStorable(o.observedAt); require(o.value.isFinite, "a non-finite value was accepted")
            case .stage(let s): checkStorable(s.changedAt)
            case .task(let t): checkStorable(t.createdAt); checkStorable(t.dueAt); t.closedAt.map(checkStorable)
            case .model(let m): checkStorable(m.createdAt)
            case .audit(let a): checkStorable(a.at); require(!a.detail.utf8.contains(0), "a NUL byte reached the audit trail")
            case .document(let d): [d.submittedAt, d.approvedAt, d.expiresAt].forEach { $0.map(checkStorable) }
            case .value(let v): require(v.date.isStorable && v.value.isFinite && v.cost >= 0, "a bad value record was accepted")
            default: break
            }
        }
    }

    /// Observation rows as `ingest observations` reads them: the first byte picks CSV or JSON Lines.
    static func observations(_ data: [UInt8]) {
        let format: IngestFormat = data.first.map { $0 & 1 == 0 ? .csv : .jsonl } ?? .csv
        let rows = IngestRows(source: .bytes(Array(data.dropFirst())), name: "fuzz", format: format,
                              columns: ObservationRow.columns, numeric: ObservationRow.numeric, optional: [])
        try? rows.read { _, fields, problem in
            guard problem == nil, case .success(let row) = ObservationRow.parse(fields) else { return }
            checkStorable(row.at)
            require(row.value.isFinite, "a non-finite observation was accepted")
            require(!(row.model + row.metric).utf8.contains(0), "a NUL byte was accepted")
        }
    }

    /// Dates, instants and numbers as every reader parses them, and the use-case date formats.
    static func timestamp(_ data: [UInt8]) {
        let text = String(decoding: data, as: UTF8.self)
        if let t = Timestamp(parsing: text) {
            checkStorable(t)
            require(Timestamp(parsing: t.text) == t && Timestamp(parsing: t.bundleText) == t, "\(t.text) does not read back")
        } else {
            _ = Timestamp.problem(text)
        }
        if let d = Day(text) { require(d.isStorable && Day(d.description) == d, "\(d) does not read back") }
        if let d = UseCaseLayout.parseDate(text) { require(d.isStorable, "use-case date \(d) is not storable") }
        if let n = Numbers.parse(text) { require(n.isFinite, "\(text) parsed as \(n)") }
        if data.count >= 8 {
            let ms = data.prefix(8).reduce(Int64(0)) { $0 << 8 | Int64($1) }
            if let t = Timestamp(checkedUnixMilliseconds: ms) { checkStorable(t) }
        }
    }

    /// A use-case inventory CSV through the OMB 2025 layout.
    static func useCases(_ data: [UInt8]) {
        let reader = UseCaseReader(layout: .omb2025, reported: Day(year: 2025, month: 12, day: 31) ?? Day(daysSinceEpoch: 0))
        guard let result = try? reader.read(CSVReader(bytes: data, name: "fuzz.csv")) else { return }
        for m in result.mapped {
            checkStorable(m.model.createdAt)
            require(m.stageDate.isStorable, "use-case stage date \(m.stageDate) is not storable")
        }
    }

    /// Display width: never negative; truncate and fit never exceed the width; sanitize leaves no control character.
    static func width(_ data: [UInt8]) {
        let width = Int(data.first ?? 0) % 64
        let text = String(decoding: data.dropFirst(), as: UTF8.self)
        require(DisplayWidth.of(text) >= 0, "negative width")
        let clean = DisplayWidth.sanitize(text)
        require(!clean.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }, "a control character survived sanitize")
        require(DisplayWidth.of(DisplayWidth.truncate(clean, to: width)) <= width, "truncate exceeded \(width)")
        let fitted = DisplayWidth.fit(clean, width)
        require(DisplayWidth.of(fitted) <= width, "fit exceeded \(width)")
        require(DisplayWidth.of(DisplayWidth.fit(clean, width, right: true)) <= width, "fit (right) exceeded \(width)")
    }

    static func checkStorable(_ t: Timestamp) {
        require(t.text.utf8.count == 24 && Day(t.text.prefix(10)) != nil && t.day.isStorable, "stored \(t.text) cannot be read back")
    }
}
