/// JSON text laid out one value per line, as it was written: keys keep their order and strings their
/// escapes (nothing is parsed into dictionaries). Text that is not an object or array stays one line.
public enum JSONLines {
    public static func indented(_ text: String, by step: Int = 2) -> [String] {
        let trimmed = text.trimmingSpaces
        guard let first = trimmed.first, first == "{" || first == "[" else { return [text] }
        var lines: [String] = [], line = "", depth = 0
        var inString = false, escaped = false
        func newline(_ level: Int) {
            if !line.isEmpty { lines.append(line) }
            line = String(repeating: " ", count: max(0, level) * step)
        }
        let chars = Array(trimmed)
        for (i, c) in chars.enumerated() {
            if inString {
                line.append(c)
                if escaped { escaped = false } else if c == "\\" { escaped = true } else if c == "\"" { inString = false }
                continue
            }
            switch c {
            case "\"": inString = true; line.append(c)
            case "{", "[":
                line.append(c)
                depth += 1
                // An empty object or array stays on its line.
                if i + 1 < chars.count, chars[i + 1] == "}" || chars[i + 1] == "]" { continue }
                newline(depth)
            case "}", "]":
                if i > 0, chars[i - 1] != "{" && chars[i - 1] != "[" { newline(depth - 1) }
                depth -= 1
                line.append(c)
            case ",": line.append(c); newline(depth)
            case ":": line += ": "
            case " ", "\n", "\r", "\t": break
            default: line.append(c)
            }
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }
}

extension String {
    /// Without leading and trailing spaces.
    public var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
