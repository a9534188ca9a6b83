import Foundation

/// A problem in a CSV file, located by file and line.
public struct CSVSyntaxError: Error, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var message: String
    public init(file: String, line: Int, message: String) { self.file = file; self.line = line; self.message = message }
    public var description: String { "\(file):\(line): \(message)" }
}

/// Streams RFC 4180 records from a file in fixed-size chunks, so a file of any size is read in
/// constant memory. Accepts LF or CRLF line ends and a leading UTF-8 byte-order mark.
public final class CSVReader {
    public let name: String
    private let handle: UnsafeMutablePointer<FILE>
    private let capacity: Int
    private let buffer: UnsafeMutablePointer<UInt8>
    private var length = 0
    private var position = 0
    private var atEnd = false
    private var physicalLine = 1
    private var field: [UInt8] = []
    private var started = false
    /// Sees every chunk read, e.g. to compute the file's digest.
    public var observeBytes: ((UnsafeRawBufferPointer) -> Void)?

    /// The first record's fields, which name the columns in problems found later.
    private var header: [String]?
    /// The bytes an in-memory reader reads (kept alive for `fmemopen`).
    private var memory: UnsafeMutableRawBufferPointer?

    /// `name` is how errors name the file (e.g. `models.csv`).
    public init(path: String, name: String) throws {
        guard let handle = fopen(path, "rb") else {
            throw CSVSyntaxError(file: name, line: 0, message: "cannot open: \(String(cString: strerror(errno)))")
        }
        self.handle = handle
        self.name = name
        capacity = 1 << 20
        buffer = .allocate(capacity: capacity)
    }

    /// Reads `bytes` from memory, exactly as it would read a file holding them (for the fuzzers).
    public init(bytes: [UInt8], name: String) {
        let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: max(bytes.count, 1), alignment: 1)
        copy.copyBytes(from: bytes)
        memory = copy
        // fmemopen refuses size 0 on some systems: an empty input is one byte read as none.
        handle = fmemopen(copy.baseAddress, max(bytes.count, 1), "rb")
        if bytes.isEmpty { _ = fgetc(handle) }
        self.name = name
        capacity = min(1 << 20, bytes.count + 1)
        buffer = .allocate(capacity: capacity)
    }

    deinit {
        fclose(handle)
        buffer.deallocate()
        memory?.deallocate()
    }

    /// How a problem names the n-th field (0-based): by its header column when known.
    private func fieldName(_ n: Int) -> String {
        if let header, n < header.count { return "column \(header[n])" }
        return "field \(n + 1)"
    }

    private func fill() -> Bool {
        if atEnd { return false }
        length = fread(buffer, 1, capacity, handle)
        position = 0
        if length == 0 { atEnd = true; return false }
        observeBytes?(UnsafeRawBufferPointer(start: buffer, count: length))
        return true
    }

    private func takeField(into fields: inout [String], line: Int) throws {
        try field.withUnsafeBufferPointer { try append($0, to: &fields, line: line) }
        field.removeAll(keepingCapacity: true)
    }

    /// Appends `bytes` as the next field, checked in one pass: valid UTF-8 and no NUL.
    private func append(_ bytes: UnsafeBufferPointer<UInt8>, to fields: inout [String], line: Int) throws {
        var ascii = true, nul = false
        for b in bytes {
            if b >= 0x80 { ascii = false } else if b == 0 { nul = true }
        }
        // ASCII cannot be invalid UTF-8; only other text needs the validating decoder.
        guard let text = ascii ? String(decoding: bytes, as: UTF8.self) : String(validating: bytes, as: UTF8.self) else {
            throw CSVSyntaxError(file: name, line: line, message: "\(fieldName(fields.count)): is not valid UTF-8")
        }
        // SQLite and C strings end text at a NUL: stored, it would be cut short of what was read and hashed.
        if nul {
            throw CSVSyntaxError(file: name, line: line, message: "\(fieldName(fields.count)): contains a NUL byte")
        }
        fields.append(text)
    }

    private func record(_ line: Int, _ fields: [String]) -> (line: Int, fields: [String]) {
        if header == nil { header = fields }
        return (line, fields)
    }

    /// The next record and the line it starts on; nil at the end of the file. Blank lines are skipped.
    public func next() throws -> (line: Int, fields: [String])? {
        if !started {
            started = true
            if fill(), length >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { position = 3 }
        }
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
        // Skip blank lines between records.
        while true {
            if position == length, !fill() { return nil }
            let b = buffer[position]
            guard b == lf || b == cr else { break }
            position += 1
            if b == lf { physicalLine += 1 }
        }
        let line = physicalLine
        var fields: [String] = []
        fields.reserveCapacity(16)
        var quoted = false
        var afterQuote = false
        // The current field was already appended (taken whole from the buffer).
        var taken = false
        while true {
            if position == length, !fill() {
                if quoted { throw CSVSyntaxError(file: name, line: line, message: "a quoted field is never closed") }
                try takeField(into: &fields, line: line)
                return record(line, fields)
            }
            // Copy the plain run of bytes up to the next special one in one go.
            var i = position
            if !quoted {
                while i < length {
                    let c = buffer[i]
                    if c == comma || c == lf || c == cr || c == quote { break }
                    i += 1
                }
                if i > position {
                    if afterQuote {
                        throw CSVSyntaxError(file: name, line: line, message: "\(fieldName(fields.count)): has text after its closing quote")
                    }
                    let run = UnsafeBufferPointer(start: buffer + position, count: i - position)
                    position = i
                    // The usual field, whole in the buffer and unquoted, is taken from it without a copy;
                    // the comma or line end after it is then handled below as after any field.
                    if field.isEmpty, i < length, buffer[i] != quote {
                        try append(run, to: &fields, line: line)
                        taken = true
                    } else {
                        field.append(contentsOf: run)
                        continue
                    }
                }
            }
            let b = buffer[position]
            position += 1
            if quoted {
                if b == quote {
                    if position == length { _ = fill() }
                    if position < length, buffer[position] == quote { position += 1; field.append(quote) } else { quoted = false; afterQuote = true }
                } else {
                    if b == lf { physicalLine += 1 }
                    field.append(b)
                }
                continue
            }
            switch b {
            case comma:
                if !taken { try takeField(into: &fields, line: line) }
                taken = false
                afterQuote = false
            case lf:
                physicalLine += 1
                if !taken { try takeField(into: &fields, line: line) }
                return record(line, fields)
            case cr:
                if position == length { _ = fill() }
                if position < length, buffer[position] == lf { continue }
                if !taken { try takeField(into: &fields, line: line) }
                return record(line, fields)
            default: // quote
                guard field.isEmpty, !afterQuote else {
                    throw CSVSyntaxError(file: name, line: line, message: "\(fieldName(fields.count)): has a quote inside an unquoted value")
                }
                quoted = true
            }
        }
    }
}

/// Writes RFC 4180 records to a file through a buffer.
public final class CSVWriter {
    private let handle: UnsafeMutablePointer<FILE>
    private var buffer: [UInt8] = []
    private var closed = false
    public let path: String
    /// Data rows written so far (the header not counted).
    public private(set) var rows = -1

    public init(path: String, header: [String]) throws {
        guard let handle = fopen(path, "wb") else {
            throw CSVSyntaxError(file: path, line: 0, message: "cannot create: \(String(cString: strerror(errno)))")
        }
        self.handle = handle
        self.path = path
        buffer.reserveCapacity(1 << 20)
        write(header)
    }

    public func write(_ fields: [String]) {
        rows += 1
        for (i, f) in fields.enumerated() {
            if i > 0 { buffer.append(UInt8(ascii: ",")) }
            if f.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) {
                buffer.append(0x22)
                for b in f.utf8 {
                    if b == 0x22 { buffer.append(0x22) }
                    buffer.append(b)
                }
                buffer.append(0x22)
            } else {
                buffer.append(contentsOf: f.utf8)
            }
        }
        buffer.append(0x0A)
        if buffer.count >= 1 << 20 { flush() }
    }

    private func flush() {
        _ = buffer.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, handle) }
        buffer.removeAll(keepingCapacity: true)
    }

    deinit { if !closed { fclose(handle) } }

    public func close() throws {
        flush()
        closed = true
        if fclose(handle) != 0 {
            throw CSVSyntaxError(file: path, line: 0, message: "write failed: \(String(cString: strerror(errno)))")
        }
    }
}
