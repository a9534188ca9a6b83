/// Text for a terminal whose locale is not UTF-8 (LANG=C): every character it cannot draw gets an ASCII
/// stand-in that keeps it apart from the others — `≥` is `>=`, not the `>` of `›` or `→` (`->`); a dash
/// of no data `-`; a cut `~` (as `Symbols.ascii` cuts); a control picture its caret form (`␛` → `^[`);
/// a letter with accents its base letter (Zürich → Zurich); anything else `?`, one per column it took.
/// Without this, curses in the C locale draws each of them as the same `?` or not at all.
public enum ASCIIText {
    /// Whether the frame being drawn is for such a terminal: tables lay out their cells as `shown`, so
    /// they measure the text that is drawn (the cells themselves, which `:export` writes, stay as they are).
    @TaskLocal public static var drawing = false

    /// The text as the frame being drawn shows it.
    public static func shown(_ text: String) -> String { drawing ? standIn(text) : text }

    public static func standIn(_ text: String) -> String {
        guard !text.utf8.allSatisfy({ $0 < 0x80 }) else { return text }
        var out = ""
        for c in text {
            if c.isASCII { out.append(c); continue }
            if let known = symbols[c] { out += known; continue }
            let scalars = c.unicodeScalars
            if let first = scalars.first, (0x2400...0x241F).contains(first.value) {
                out += "^" + String(UnicodeScalar(UInt8(first.value - 0x2400 + 0x40)))   // ␀ → ^@, ␛ → ^[
                continue
            }
            if let base = baseLetter(c) { out.append(base); continue }
            out += String(repeating: "?", count: max(1, DisplayWidth.of(c)))
        }
        return out
    }

    /// The symbols Binnacle draws and the punctuation that is common in names, each with its own stand-in.
    static let symbols: [Character: String] = [
        "—": "-", "–": "-", "‐": "-", "−": "-", "…": "~", "·": ".", "•": "*", "●": "*", "○": "o", "■": "#", "□": "o",
        "→": "->", "←": "<-", "↑": "^", "↓": "v", "›": ">", "‹": "<", "»": ">>", "«": "<<", "≥": ">=", "≤": "<=", "≠": "!=",
        "×": "x", "÷": "/", "±": "+/-", "✓": "+", "✗": "x", "▲": "^", "▼": "v", "↻": "@", "│": "|", "─": "-", "├": "|",
        "└": "`", "┌": "+", "┐": "+", "┘": "+", "┬": "+", "┴": "+", "┼": "+", "▁": "_", "▂": ".", "▃": "-", "▄": "=",
        "▅": "+", "▆": "*", "▇": "#", "█": "_", "“": "\"", "”": "\"", "„": "\"", "‘": "'", "’": "'", "€": "EUR", "£": "GBP",
        "¥": "JPY", "°": "deg", "\u{2421}": "^?", "\u{FFFD}": "?", "\u{00A0}": " ",
    ]

    /// A Latin letter with diacritics as its base letter (é → e, Å → A); others (ß, ø, Cyrillic) are left to `?`.
    static func baseLetter(_ c: Character) -> Character? { accented[c] }

    /// Latin-1 and Latin Extended-A/B letters whose canonical decomposition starts with an ASCII letter.
    static let accented: [Character: Character] = Dictionary(uniqueKeysWithValues: zip(
        "ÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖÙÚÛÜÝàáâãäåçèéêëìíîïñòóôõöùúûüýÿĀāĂăĄąĆćĈĉĊċČčĎďĒēĔĕĖėĘęĚěĜĝĞğĠġĢģĤĥĨĩĪīĬĭĮįİĴĵĶķĹĺĻļĽľŃńŅņŇňŌōŎŏŐőŔŕŖŗŘřŚśŜŝŞşŠšŢţŤťŨũŪūŬŭŮůŰűŲųŴŵŶŷŸŹźŻżŽžƠơƯưǍǎǏǐǑǒǓǔǕǖǗǘǙǚǛǜǞǟǠǡǦǧǨǩǪǫǬǭǰǴǵǸǹǺǻȀȁȂȃȄȅȆȇȈȉȊȋȌȍȎȏȐȑȒȓȔȕȖȗȘșȚțȞȟȦȧȨȩȪȫȬȭȮȯȰȱȲȳ",
        "AAAAAACEEEEIIIINOOOOOUUUUYaaaaaaceeeeiiiinooooouuuuyyAaAaAaCcCcCcCcDdEeEeEeEeEeGgGgGgGgHhIiIiIiIiIJjKkLlLlLlNnNnNnOoOoOoRrRrRrSsSsSsSsTtTtUuUuUuUuUuUuWwYyYZzZzZzOoUuAaIiOoUuUuUuUuUuAaAaGgKkOoOojGgNnAaAaAaEeEeIiIiOoOoRrRrUuUuSsTtHhAaEeOoOoOoOoYy"))
}
