/// What to send a terminal for one cell's character so that its cursor moves exactly the cell's width.
/// A curses cell holds one spacing character and a few zero-width ones after it, measured by the C
/// library's `wcwidth`; a cluster it cannot hold, or would measure differently from `DisplayWidth`
/// (👩‍💻 holds two spacing characters, ❤️ is one column to `wcwidth`), would shift the rest of the row
/// and leave ghost glyphs. Such a cluster is drawn as a stand-in of the same width instead: a flag's
/// two letters (🇫🇷 → FR), else its first character when that fits (👩‍💻 → 👩, ❤️ → ❤), else U+FFFD,
/// padded with spaces.
public enum Glyph {
    public static func scalars(for character: Character, terminalWidth: (Unicode.Scalar) -> Int,
                               maxScalars: Int, replacement: Unicode.Scalar = "\u{FFFD}") -> [Unicode.Scalar] {
        let width = DisplayWidth.of(character)
        let scalars = Array(character.unicodeScalars)
        guard width > 0, let first = scalars.first else { return [] }
        if scalars.count <= maxScalars, terminalWidth(first) == width, scalars.dropFirst().allSatisfy({ terminalWidth($0) == 0 }) {
            return scalars
        }
        func padded(_ base: [Unicode.Scalar], _ used: Int) -> [Unicode.Scalar] {
            base + Array(repeating: " ", count: max(0, width - used))
        }
        let regional: ClosedRange<UInt32> = 0x1F1E6...0x1F1FF
        if scalars.count == 2, width == 2, scalars.allSatisfy({ regional.contains($0.value) }) {
            return scalars.map { Unicode.Scalar($0.value - regional.lowerBound + 0x41)! }
        }
        let firstWidth = terminalWidth(first)
        if (1...width).contains(firstWidth) { return padded([first], firstWidth) }
        return padded([terminalWidth(replacement) == 1 ? replacement : "?"], 1)
    }
}
