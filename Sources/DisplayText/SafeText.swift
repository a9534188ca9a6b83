/// Text meant for people, built by interpolation. The literal parts are the program's own, line
/// breaks included; every interpolated value is shown sanitised (`DisplayWidth.sanitize`), so a
/// control character cannot reach the terminal and a line break inside a name cannot start a line of
/// its own. `"\(model.name) (\(model.id))\n"` is safe as written.
public struct SafeText: ExpressibleByStringInterpolation, CustomStringConvertible, Sendable {
    public private(set) var description: String

    public init(stringLiteral value: String) { description = value }
    public init(stringInterpolation: Interpolation) { description = stringInterpolation.text }

    public struct Interpolation: StringInterpolationProtocol {
        var text = ""
        public init(literalCapacity: Int, interpolationCount: Int) { text.reserveCapacity(literalCapacity) }
        public mutating func appendLiteral(_ literal: String) { text += literal }
        public mutating func appendInterpolation<T>(_ value: T) { text += DisplayWidth.sanitize(String(describing: value)) }
        /// Safe text already: kept as built, its own line breaks included.
        public mutating func appendInterpolation(_ value: SafeText) { text += value.description }
    }

    public static func += (text: inout SafeText, more: SafeText) { text.description += more.description }
}
