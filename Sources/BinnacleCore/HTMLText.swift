import DisplayText

/// HTML built by interpolation, as `SafeText` is for terminals. The literal parts are the program's
/// own markup; every interpolated value is text: sanitised (a control character shows as its visible
/// stand-in, ESC as ␛) and escaped (`& < > " '`), so it is safe inside an element and inside a quoted
/// attribute and can never become markup. Interpolating an `HTMLText` keeps markup already built.
/// Appending (`+=`) grows one buffer, so a long document is built in linear time.
public struct HTMLText: ExpressibleByStringInterpolation, CustomStringConvertible, Sendable {
    public private(set) var description: String

    public init() { description = "" }
    public init(stringLiteral value: String) { description = value }
    public init(stringInterpolation: Interpolation) { description = stringInterpolation.text }

    public struct Interpolation: StringInterpolationProtocol {
        var text = ""
        public init(literalCapacity: Int, interpolationCount: Int) { text.reserveCapacity(literalCapacity + 16 * interpolationCount) }
        public mutating func appendLiteral(_ literal: String) { text += literal }
        public mutating func appendInterpolation<T>(_ value: T) { HTMLText.escape(String(describing: value), into: &text) }
        /// Markup already built: kept as it is.
        public mutating func appendInterpolation(_ value: HTMLText) { text += value.description }
    }

    public static func += (html: inout HTMLText, more: HTMLText) { html.description += more.description }

    public static func + (html: HTMLText, more: HTMLText) -> HTMLText {
        var joined = html
        joined += more
        return joined
    }

    /// `text` as HTML text or a quoted attribute value.
    public static func escape(_ text: String) -> String {
        var out = ""
        escape(text, into: &out)
        return out
    }

    static func escape(_ text: String, into out: inout String) {
        // Printable ASCII with none of the five: nothing to sanitise or escape (most of a 50,000-model page).
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != 0x26 && $0 != 0x3C && $0 != 0x3E && $0 != 0x22 && $0 != 0x27 }) {
            out += text
            return
        }
        for c in DisplayWidth.sanitize(text).unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(c)
            }
        }
    }
}
