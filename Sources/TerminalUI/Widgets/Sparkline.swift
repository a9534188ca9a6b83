/// A series as one character per value.
public enum Sparkline {
    /// One character per value, scaled between the series' minimum and maximum; a gap for nil (no
    /// data is not a value). A flat series sits at mid height, unless it is flat at 0: twelve months of
    /// no alerts are at the bottom, not a steady middle.
    public static func render(_ values: [Double?], symbols: Symbols) -> String {
        let known = values.compactMap { $0 }.filter(\.isFinite)
        guard let lo = known.min(), let hi = known.max() else { return String(repeating: " ", count: values.count) }
        let levels = symbols.spark
        return values.map { v in
            guard let v, v.isFinite else { return " " }
            if hi == lo { return lo == 0 ? levels[0] : levels[levels.count / 2] }
            // Halved, so that a range wider than a Double holds still scales.
            let i = Int(((v / 2 - lo / 2) / (hi / 2 - lo / 2) * Double(levels.count - 1)).rounded())
            return levels[max(0, min(levels.count - 1, i))]
        }.joined()
    }
}
