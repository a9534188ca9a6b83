import BinnacleBundle
import BinnacleCore
import Foundation
import GRDB
import GRDBSQLite

/// A bundle file's rows written from SQLite's C interface straight into the file's bytes: at 50,000 models
/// a bundle holds millions of observations, and a GRDB `Row`, a String per value and an array per row made
/// its export the evidence pack's slowest part. What each value becomes is `writeBundleByRow`'s rule, byte
/// for byte: plain ASCII takes the fast way here, anything else (and every odd case) goes through the same
/// String functions (`BundleRowsTests` compares the two on hostile text, odd time stamps and numbers).
enum BundleRows {
    /// Writes `file`'s header and the rows of `sql` to `path`; returns the rows written.
    /// With `digests`, the file's SHA-256 is taken as it is written and recorded there.
    static func write(_ db: Database, _ file: BundleFile, sql: String, arguments: StatementArguments, to path: String,
                      digests: WrittenDigests? = nil) throws -> Int {
        let out = try CSVBytes(path: path, header: file.columns, digests: digests)
        let statement = try db.makeStatement(sql: sql)
        try statement.setArguments(arguments)
        let handle = statement.sqliteStatement
        defer { sqlite3_reset(handle) }
        let row = try layout(file, Cells(handle: handle, out: out, file: file))
        var n = 0
        while true {
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE { break }
            guard code == SQLITE_ROW else {
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)), sql: sql)
            }
            try row()
            out.endRow()
            n += 1
        }
        try out.close()
        return n
    }

    /// Writes one row of `file` (the fields in `file.columns` order), its columns looked up once by name.
    private static func layout(_ file: BundleFile, _ c: Cells) throws -> () throws -> Void {
        func i(_ name: String) throws -> Int32 { try c.index(name) }
        switch file {
        case .manifest:
            preconditionFailure("the manifest is written from the portfolio's settings")
        case .people:
            let (login, name, email, role, team, active) = try (i("login"), i("name"), i("email"), i("role"), i("team"), i("active"))
            return { c.text(login); c.text(name); c.text(email); c.text(role); c.text(team); try c.flag(active) }
        case .models:
            let cols = try ["id", "name", "domain", "description", "use_case", "kind"].map(i)
            let tier = try i("risk_tier")
            let rest = try ["business_owner", "developer", "validator", "vendor", "tags"].map(i)
            let created = try i("created_at")
            return {
                for k in cols { c.text(k) }
                try c.integer(tier)
                for k in rest { c.text(k) }
                c.stamp(created)
            }
        case .assets:
            let cols = try ["id", "kind", "name", "owner", "tags"].map(i)
            return { for k in cols { c.text(k) } }
        case .stages:
            let (model, stage, at, by, note) = try (i("model_id"), i("stage"), i("changed_at"), i("changed_by"), i("note"))
            return { c.text(model); c.text(stage); c.stamp(at); c.text(by); c.text(note) }
        case .value:
            let (model, date, value, cost, note) = try (i("model_id"), i("date"), i("value"), i("cost"), i("note"))
            return { c.text(model); c.text(date); try c.number(value); try c.number(cost); c.text(note) }
        case .documents:
            let (model, kind, version, submitted) = try (i("model_id"), i("kind"), i("version"), i("submitted_at"))
            let (approvedAt, approvedBy, expires, uri, then) = try (i("approved_at"), i("approved_by"), i("expires_at"), i("uri"), i("approved_then"))
            return {
                let approved = c.optionalFlag(then)
                c.text(model); c.text(kind); c.text(version); c.stamp(submitted)
                if approved { c.stamp(approvedAt); c.text(approvedBy) } else { c.empty(); c.empty() }
                c.stamp(expires); c.text(uri)
            }
        case .monitors:
            let (model, metric, direction, warn, critical) = try (i("model_id"), i("metric"), i("direction"), i("warn"), i("critical"))
            return { c.text(model); c.text(metric); c.text(direction); try c.number(warn); try c.number(critical) }
        case .observations:
            let (model, metric, at, value) = try (i("model_id"), i("metric"), i("observed_at"), i("value"))
            return { c.text(model); c.text(metric); c.stamp(at); try c.number(value) }
        case .lineage:
            let (up, down) = try (i("upstream"), i("downstream"))
            return { c.text(up); c.text(down) }
        case .tasks:
            let cols = try ["id", "model_id", "title", "assignee", "assigned_by", "priority"].map(i)
            let (created, due, status, closed, later) = try (i("created_at"), i("due_at"), i("status"), i("closed_at"), i("closed_later"))
            return {
                let closedLater = c.optionalFlag(later)
                for k in cols { c.text(k) }
                c.stamp(created); c.stamp(due)
                // At D a task closed later is open: a closed status reads `open` and its closure is left out.
                let text = c.string(status)
                c.out.field(closedLater && ![TaskStatus.open, .inProgress].map(\.rawValue).contains(text) ? TaskStatus.open.rawValue : text)
                if closedLater { c.empty() } else { c.stamp(closed) }
            }
        case .audit:
            let (at, actor, action, entity, detail) = try (i("at"), i("actor"), i("action"), i("entity"), i("detail"))
            return { c.stamp(at); c.text(actor); c.text(action); c.text(entity); c.text(detail) }
        }
    }

    /// The current row's columns written as bundle fields, each as `writeBundleByRow` reads and writes it:
    /// a value read as GRDB reads it (SQLite's conversions, text up to a NUL, invalid UTF-8 repaired).
    struct Cells {
        let handle: OpaquePointer
        let out: CSVBytes
        let file: BundleFile

        func index(_ name: String) throws -> Int32 {
            for k in 0..<sqlite3_column_count(handle) where String(cString: sqlite3_column_name(handle, k)) == name { return k }
            throw StoreError.other("\(file.fileName): the query has no column \(name)")
        }

        private func name(_ k: Int32) -> String { String(cString: sqlite3_column_name(handle, k)) }

        /// The column's text as GRDB makes it (nil for NULL).
        func optionalString(_ k: Int32) -> String? { sqlite3_column_text(handle, k).map { String(cString: $0) } }
        func string(_ k: Int32) -> String { optionalString(k) ?? "" }

        /// The column's bytes when they are ASCII without a NUL (read as they are stored), else nil.
        private func ascii(_ k: Int32, printable: Bool = false) -> UnsafeBufferPointer<UInt8>? {
            guard let p = sqlite3_column_text(handle, k) else { return UnsafeBufferPointer(start: nil, count: 0) }
            let bytes = UnsafeBufferPointer(start: p, count: Int(sqlite3_column_bytes(handle, k)))
            for b in bytes where b >= 0x80 || b == 0 || printable && (b < 0x20 || b == 0x7F) { return nil }
            return bytes
        }

        func empty() { out.field(UnsafeBufferPointer(start: nil, count: 0)) }

        /// Text, empty for NULL.
        func text(_ k: Int32) {
            guard let p = sqlite3_column_text(handle, k) else { empty(); return }
            let bytes = UnsafeBufferPointer(start: p, count: Int(sqlite3_column_bytes(handle, k)))
            if out.plainField(bytes) { return }
            if let bytes = ascii(k) { out.field(bytes) } else { out.field(string(k)) }
        }

        /// A stored time stamp in the bundle's form (`Timestamp.bundleText`), empty for NULL. Printable ASCII
        /// is cut as bytes (there a byte is a Character); anything else goes through `Timestamp`.
        func stamp(_ k: Int32) {
            guard let bytes = ascii(k, printable: true) else {
                out.field(optionalString(k).map { Timestamp(storedText: $0).bundleText } ?? "")
                return
            }
            if Cells.ends(bytes, with: "T00:00:00.000Z") {
                out.field(UnsafeBufferPointer(rebasing: bytes.prefix(10)))
            } else if Cells.ends(bytes, with: ".000Z") {
                out.field(UnsafeBufferPointer(rebasing: bytes.dropLast(5)), then: UInt8(ascii: "Z"))
            } else {
                out.field(bytes)
            }
        }

        private static func ends(_ bytes: UnsafeBufferPointer<UInt8>, with suffix: StaticString) -> Bool {
            let n = suffix.utf8CodeUnitCount
            return bytes.count >= n && memcmp(bytes.baseAddress! + (bytes.count - n), suffix.utf8Start, n) == 0
        }

        /// `Format.number` of the column read as a Double: an integral value below 1e15 as its digits, a
        /// fraction in Swift's shortest form, a value that is not finite as an em dash.
        func number(_ k: Int32) throws {
            try notNull(k)
            let value = sqlite3_column_double(handle, k)
            guard value.isFinite else { out.field(Format.number(value)); return }
            if value == value.rounded(), abs(value) < 1e15 { out.integer(Int64(value)) } else { out.field(value.description) }
        }

        /// An integer column (`String(Int)`).
        func integer(_ k: Int32) throws {
            try notNull(k)
            out.integer(sqlite3_column_int64(handle, k))
        }

        /// A 0/1 column as `true`/`false`.
        func flag(_ k: Int32) throws {
            try notNull(k)
            out.field(sqlite3_column_int64(handle, k) != 0 ? "true" : "false")
        }

        /// A computed condition, false when NULL.
        func optionalFlag(_ k: Int32) -> Bool {
            sqlite3_column_type(handle, k) != SQLITE_NULL && sqlite3_column_int64(handle, k) != 0
        }

        /// The schema forbids NULL in the numbers and flags written; a file that holds one anyway is named, not guessed.
        private func notNull(_ k: Int32) throws {
            if sqlite3_column_type(handle, k) == SQLITE_NULL {
                throw StoreError.other("\(file.fileName): a row has no \(name(k)) (the inventory holds NULL where the schema forbids it)")
            }
        }
    }
}

/// A CSV file written from bytes through a 256 KB buffer, quoting a field as `CSVWriter` does: in double
/// quotes, its quotes doubled, when it holds a comma, a quote, a line feed or a carriage return.
final class CSVBytes {
    private let file: UnsafeMutablePointer<FILE>
    private let path: String
    /// 256 KB: the bundle is written beside the rest of an evidence pack, within its memory.
    private let capacity = 1 << 18
    private let buffer: UnsafeMutablePointer<UInt8>
    private var count = 0
    private var atRowStart = true
    private var failure: Int32?
    private var closed = false
    private var digest: WrittenDigest?

    init(path: String, header: [String], digests: WrittenDigests? = nil) throws {
        guard let file = fopen(path, "wb") else {
            throw CSVSyntaxError(file: path, line: 0, message: "cannot create: \(String(cString: strerror(errno)))")
        }
        self.file = file
        self.path = path
        if let digests { digest = WrittenDigest(path: path, into: digests) }
        buffer = .allocate(capacity: capacity)
        for name in header { field(name) }
        endRow()
    }

    deinit {
        if !closed { fclose(file) }
        buffer.deallocate()
    }

    func field(_ text: String) {
        var text = text
        text.withUTF8 { field($0) }
    }

    /// A field of `bytes` followed by `last` (when given).
    func field(_ bytes: UnsafeBufferPointer<UInt8>, then last: UInt8? = nil) {
        if !atRowStart { append(UInt8(ascii: ",")) }
        atRowStart = false
        if copyUnquoted(bytes, then: last, asciiOnly: false) { return }
        // Longer than the buffer, or to be quoted.
        guard bytes.contains(where: CSVBytes.needsQuotes) || last.map(CSVBytes.needsQuotes) == true else {
            append(bytes)
            if let last { append(last) }
            return
        }
        append(0x22)
        for b in bytes { if b == 0x22 { append(0x22) }; append(b) }
        if let last { if last == 0x22 { append(0x22) }; append(last) }
        append(0x22)
    }

    /// Writes the field as it is when it is ASCII without a NUL and needs no quotes (most fields); false, with
    /// nothing written, otherwise.
    func plainField(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        if !atRowStart {
            if count == capacity { flush() }
            buffer[count] = UInt8(ascii: ",")
        }
        guard copyUnquoted(bytes, then: nil, asciiOnly: true, at: atRowStart ? 0 : 1) else { return false }
        if !atRowStart { count += 1 }
        atRowStart = false
        return true
    }

    /// Copies `bytes` (and `last`) into the buffer `skip` bytes past its end, unless one would need quotes (or, with
    /// `asciiOnly`, is not ASCII or is a NUL); only when all were copied is the count moved on (by the bytes, not `skip`).
    private func copyUnquoted(_ bytes: UnsafeBufferPointer<UInt8>, then last: UInt8?, asciiOnly: Bool, at skip: Int = 0) -> Bool {
        let n = bytes.count + (last == nil ? 0 : 1)
        if count + skip + n > capacity {
            if skip > 0 { return false }
            flush()
            if n > capacity { return false }
        }
        var at = count + skip
        for b in bytes {
            if CSVBytes.needsQuotes(b) || asciiOnly && (b >= 0x80 || b == 0) { return false }
            buffer[at] = b
            at += 1
        }
        if let last {
            if CSVBytes.needsQuotes(last) { return false }
            buffer[at] = last
        }
        count += n
        return true
    }

    /// A comma, a quote, a line feed or a carriage return.
    private static func needsQuotes(_ b: UInt8) -> Bool {
        b == 0x2C || b == 0x22 || b == 0x0A || b == 0x0D
    }

    /// An integer field: its decimal digits, `-` first when negative (as `String(Int64)`).
    func integer(_ value: Int64) {
        if !atRowStart { append(UInt8(ascii: ",")) }
        atRowStart = false
        if value < 0 { append(UInt8(ascii: "-")) }
        var rest = value.magnitude, digits = 1
        while rest >= 10 { rest /= 10; digits += 1 }
        if count + digits > capacity { flush() }
        rest = value.magnitude
        for k in stride(from: count + digits - 1, through: count, by: -1) {
            buffer[k] = UInt8(ascii: "0") + UInt8(rest % 10)
            rest /= 10
        }
        count += digits
    }

    func endRow() {
        append(0x0A)
        atRowStart = true
    }

    private func append(_ byte: UInt8) {
        if count == capacity { flush() }
        buffer[count] = byte
        count += 1
    }

    private func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        if count + bytes.count > capacity {
            flush()
            if bytes.count > capacity { put(base, bytes.count); return }
        }
        (buffer + count).update(from: base, count: bytes.count)
        count += bytes.count
    }

    private func flush() {
        put(buffer, count)
        count = 0
    }

    private func put(_ bytes: UnsafePointer<UInt8>, _ n: Int) {
        guard failure == nil, n > 0 else { return }
        digest?.add(UnsafeRawBufferPointer(start: bytes, count: n))
        if fwrite(bytes, 1, n, file) != n { failure = errno }
    }

    func close() throws {
        flush()
        closed = true
        let closeFailed = fclose(file) != 0
        if let code = failure ?? (closeFailed ? errno : nil) {
            throw CSVSyntaxError(file: path, line: 0, message: "write failed: \(String(cString: strerror(code)))")
        }
        digest?.record()
    }
}
