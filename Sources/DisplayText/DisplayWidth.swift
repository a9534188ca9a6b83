/// How many terminal columns text takes, and how to make text from a database safe to show. Every
/// printer — the dashboard's grid, the reports, the command line's console — goes through here.
public enum DisplayWidth {
    /// Columns for one character (a grapheme cluster, as the terminal draws it): 2 for an emoji
    /// presentation sequence (ZWJ sequence, VS16, flag, keycap, skin tone) and for East Asian wide and
    /// full-width characters, 0 for a lone combining mark or format character, else 1. Control
    /// characters never reach here (see `sanitize`).
    public static func of(_ character: Character) -> Int {
        let scalars = character.unicodeScalars
        guard let first = scalars.first else { return 0 }
        if first.properties.isEmojiPresentation { return 2 }
        // A text-default emoji asks for emoji presentation with VS16 (❤️, 1️⃣), a skin tone or a join (🏳️‍🌈).
        if first.properties.isEmoji, scalars.count > 1 {
            let rest = scalars.dropFirst()
            if rest.contains(where: { $0.value == 0xFE0F || $0.properties.isEmojiModifier })
                || rest.dropLast().contains(where: { $0.value == 0x200D }) { return 2 }
        }
        return scalarWidth(first)
    }

    public static func scalarWidth(_ s: Unicode.Scalar) -> Int {
        switch s.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        if s.value == 0x200B { return 0 }
        return isWide(s.value) ? 2 : 1
    }

    /// East Asian Wide (W) and Fullwidth (F) ranges. Emoji are wide by their presentation (`of`), not
    /// by block: 🏳 or 🌡 alone are text-style, one column, as the C library and terminals count them.
    static func isWide(_ v: UInt32) -> Bool {
        switch v {
        case 0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF,
             0x4E00...0x9FFF, 0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19,
             0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x20000...0x2FFFD, 0x30000...0x3FFFD:
            return true
        default:
            return false
        }
    }

    /// Columns the text takes once shown (sanitised).
    public static func of(_ text: String) -> Int { sanitize(text).reduce(0) { $0 + of($1) } }

    /// Replaces every character that would act on the terminal or on the order of the text around it
    /// with a visible stand-in, so text from the database can never move the cursor, set a window
    /// title, write the clipboard or reorder a line: C0 controls become U+2400 control pictures (ESC
    /// shows as ␛, a line feed as ␊), DEL ␡, C1 controls, bidi embeddings, overrides, isolates and
    /// marks and the Unicode line and paragraph separators U+FFFD. Line breaks become visible too
    /// (cells hold one line) unless `keepingLineBreaks`, for whole printouts whose lines the program
    /// made itself. Idempotent: the stand-ins are plain characters.
    public static func sanitize(_ text: String, keepingLineBreaks: Bool = false) -> String {
        func kept(_ s: Unicode.Scalar) -> Bool { keepingLineBreaks && s == "\n" }
        guard text.unicodeScalars.contains(where: { isHidden($0) && !kept($0) }) else { return text }
        var out = String.UnicodeScalarView()
        for s in text.unicodeScalars {
            switch s.value {
            case _ where kept(s) || !isHidden(s): out.append(s)
            case 0x00...0x1F: out.append(Unicode.Scalar(0x2400 + s.value)!)
            case 0x7F: out.append("\u{2421}")
            default: out.append("\u{FFFD}")
            }
        }
        return String(out)
    }

    /// C0 and C1 controls, DEL, the bidi controls (U+061C, U+200E/F, U+202A–E, U+2066–9) and the
    /// line and paragraph separators: what `sanitize` replaces.
    public static func isHidden(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x061C, 0x200E, 0x200F, 0x2028...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }

    /// Text sanitised and cut to at most `width` columns, ending in `ellipsis` when something was cut.
    public static func truncate(_ text: String, to width: Int, ellipsis: String = "…") -> String {
        guard width > 0 else { return "" }
        let text = sanitize(text)
        if of(text) <= width { return text }
        let room = width - of(ellipsis)
        var out = ""
        var used = 0
        for c in text {
            let w = of(c)
            if used + w > room { break }
            out.append(c)
            used += w
        }
        return room >= 0 ? out + ellipsis : String(ellipsis.prefix(width))
    }

    /// Text sanitised and cut to at most `width` columns in the middle, keeping its start and its end
    /// (`Agent-assist…drafter v2`: the distinguishing tail of a name survives). Counts display width:
    /// a wide character or an emoji is never split, a combining mark stays with its base.
    public static func middle(_ text: String, to width: Int, ellipsis: String = "…") -> String {
        guard width > 0 else { return "" }
        let text = sanitize(text)
        if of(text) <= width { return text }
        let room = width - of(ellipsis)
        guard room > 0 else { return truncate(text, to: width, ellipsis: ellipsis) }
        let characters = Array(text)
        // The tail gets half the room, the head the rest (and what the tail could not use).
        var tail: [Character] = [], tailWidth = 0
        for c in characters.reversed() {
            if tailWidth + of(c) > room / 2 { break }
            tail.append(c)
            tailWidth += of(c)
        }
        var head = "", headWidth = 0
        for c in characters {
            if headWidth + of(c) > room - tailWidth { break }
            head.append(c)
            headWidth += of(c)
        }
        return head + ellipsis + String(tail.reversed())
    }

    /// Text sanitised, cut (at its end, or in its `middle`) and padded to exactly `width` columns.
    public static func fit(_ text: String, _ width: Int, right: Bool = false, middle: Bool = false, ellipsis: String = "…") -> String {
        let cut = middle ? self.middle(text, to: width, ellipsis: ellipsis) : truncate(text, to: width, ellipsis: ellipsis)
        let pad = String(repeating: " ", count: max(0, width - of(cut)))
        return right ? pad + cut : cut + pad
    }
}
