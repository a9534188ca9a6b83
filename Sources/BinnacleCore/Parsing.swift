/// Small text rules shared by every reader: bundles, ingests, importers.

public enum Numbers {
    /// A finite number in plain decimal notation: no NaN, infinities, hex or thousands separators.
    public static func parse(_ text: String) -> Double? {
        guard text.utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || $0 == 43 || $0 == 45 || $0 == 46 || $0 == 101 || $0 == 69 }),
              let d = Double(text), d.isFinite else { return nil }
        return d
    }
}

public enum Slug {
    /// Lower-case letters and digits (and any of `keeping`); every other run of characters becomes one
    /// '-', with none at either end. The ids of models, assets and people derived from names.
    public static func make(_ text: String, keeping: Set<Unicode.Scalar> = []) -> String {
        var out = ""
        for c in text.lowercased().unicodeScalars {
            if ("a"..."z").contains(c) || ("0"..."9").contains(c) || keeping.contains(c) {
                out.unicodeScalars.append(c)
            } else if !out.isEmpty, !out.hasSuffix("-") {
                out += "-"
            }
        }
        while out.hasSuffix("-") { out.removeLast() }
        return out
    }
}
