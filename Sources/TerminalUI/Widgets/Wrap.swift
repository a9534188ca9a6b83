/// Text broken into lines that fit a width: at spaces where it can, inside a word only when the
/// word alone is too wide.
public enum Wrap {
    public static func lines(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        var out: [String] = [], line = "", lineWidth = 0
        func flush() { out.append(line); line = ""; lineWidth = 0 }
        for (n, word) in DisplayWidth.sanitize(text).split(separator: " ", omittingEmptySubsequences: false).enumerated() {
            if n > 0 {
                if lineWidth + 1 + DisplayWidth.of(String(word)) <= width { line += " "; lineWidth += 1 } else { flush() }
            }
            for c in word {
                if lineWidth + DisplayWidth.of(c) > width { flush() }
                line.append(c)
                lineWidth += DisplayWidth.of(c)
            }
        }
        out.append(line)
        return out
    }
}
