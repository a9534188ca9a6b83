import DisplayText

/// A small JSON value with ordered keys, so output is stable and keys appear as documented.
public indirect enum JSON: Equatable, Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSON])
    case object([(String, JSON)])

    public static func == (a: JSON, b: JSON) -> Bool { a.serialized() == b.serialized() }

    public static func number(_ value: Double?) -> JSON {
        guard let value, value.isFinite else { return .null }
        return .double(value)
    }

    public static func string(_ value: String?) -> JSON { value.map { .string($0) } ?? .null }

    /// Compact when `indent` is nil, else pretty-printed with that many spaces per level (`level`:
    /// how deep the value sits in an enclosing one).
    public func serialized(indent: Int? = nil, level: Int = 0) -> String {
        var out = ""
        write(into: &out, indent: indent, level: level)
        return out
    }

    private func write(into out: inout String, indent: Int?, level: Int) {
        func newline(_ l: Int) {
            if let indent { out += "\n" + String(repeating: " ", count: indent * l) }
        }
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d): out += JSON.format(d)
        case .string(let s): JSON.quote(s, into: &out)
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                newline(level + 1)
                item.write(into: &out, indent: indent, level: level + 1)
            }
            newline(level)
            out += "]"
        case .object(let pairs):
            if pairs.isEmpty { out += "{}"; return }
            out += "{"
            for (i, (key, value)) in pairs.enumerated() {
                if i > 0 { out += "," }
                newline(level + 1)
                JSON.quote(key, into: &out)
                out += indent == nil ? ":" : ": "
                value.write(into: &out, indent: indent, level: level + 1)
            }
            newline(level)
            out += "}"
        }
    }

    /// Full precision: Swift's shortest representation that reads back to the same Double.
    static func format(_ d: Double) -> String {
        if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
        return "\(d)"
    }

    public static func quote(_ s: String, into out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where DisplayWidth.isHidden(scalar):
                // Every control (C0, DEL, C1), bidi control and line separator as \uXXXX: valid JSON
                // that cannot act on a terminal it is printed to, nor break a JavaScript string.
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}

/// A JSON array written an element at a time — byte for byte what `JSON.array(items).serialized(indent:)`
/// writes whole — so that a list of 50,000 rows is never held in memory as one value.
public struct JSONArrayWriter {
    let indent: Int?
    let emit: (String) -> Void
    private var count = 0

    public init(indent: Int?, emit: @escaping (String) -> Void) {
        self.indent = indent
        self.emit = emit
    }

    public mutating func append(_ item: JSON) {
        var out = count == 0 ? "[" : ","
        if let indent { out += "\n" + String(repeating: " ", count: indent) }
        out += item.serialized(indent: indent, level: 1)
        count += 1
        emit(out)
    }

    /// Closes the array (`[]` when nothing was appended).
    public func finish() { emit(count == 0 ? "[]" : (indent == nil ? "]" : "\n]")) }
}

