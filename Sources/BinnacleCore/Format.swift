import DisplayText

/// How numbers look to people. Undefined values are shown as an em dash, never 0 or NaN.
public enum Format {
    public static let undefined = "—"

    public static func percent(_ share: Double?, decimals: Int = 1) -> String {
        guard let share, share.isFinite else { return undefined }
        return fixed(share * 100, decimals: decimals) + "%"
    }

    /// 12.3M, 45.6k, 789 — for money in tables; `1.0e30` from `exponentFrom` on.
    public static func compact(_ value: Double?) -> String {
        guard let value, value.isFinite else { return undefined }
        let unit = compactUnit(value)
        return fixed(value / unit.divisor, decimals: unit.decimals) + unit.suffix
    }

    /// The unit `compact` writes a value in: billions, millions or thousands to a tenth, smaller
    /// values whole, and from `exponentFrom` on the value itself (written with an exponent).
    static func compactUnit(_ value: Double) -> (divisor: Double, decimals: Int, suffix: String) {
        let a = abs(value)
        if a >= exponentFrom { return (1, 1, "") }
        if a >= 1e9 { return (1e9, 1, "B") }
        if a >= 1e6 { return (1e6, 1, "M") }
        if a >= 1e4 { return (1e3, 1, "k") }
        return (1, 0, "")
    }

    /// `value` at the precision `compact` shows it with (1,234,567 → 1,200,000; 1.23e30 → 1.2e30), so
    /// that two values that read the same compare equal.
    public static func compactShown(_ value: Double) -> Double {
        guard value.isFinite else { return value }
        let unit = compactUnit(value)
        var step = unit.divisor
        for _ in 0..<unit.decimals { step /= 10 }
        if abs(value) >= exponentFrom {
            // A tenth of the mantissa: a tenth of the largest power of ten not above the value.
            step = 0.1
            while step * 100 <= abs(value) { step *= 10 }
        }
        return (value / step).rounded() * step
    }

    /// Alert counts, in the one notation every format uses: `2 critical (1 model) · 15 warning`.
    public static func alerts(critical: Int, models: Int, warning: Int) -> String {
        "\(critical) critical (\(models) model\(models == 1 ? "" : "s")) · \(warning) warning"
    }

    public static func days(_ days: Double?) -> String {
        guard let days, days.isFinite else { return undefined }
        return fixed(days, decimals: days == days.rounded() ? 0 : 1) + " d"
    }

    /// A plain number at full precision, integers without a decimal point.
    public static func number(_ value: Double?) -> String {
        guard let value, value.isFinite else { return undefined }
        return JSON.format(value)
    }

    /// From this magnitude on (counted in the last decimal shown), a number is written with an exponent
    /// (`1.0e30`): a Double holds no exact integer beyond it, and soon no integer type would hold it.
    public static let exponentFrom = 1e15

    /// `value` to `decimals` places; with an exponent from `exponentFrom` on; undefined when not finite.
    public static func fixed(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return undefined }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        if abs(value) * scale >= exponentFrom { return exponent(value) }
        let rounded = (abs(value) * scale).rounded() / scale
        let negative = value < 0 && rounded != 0
        let whole = Int64(rounded.rounded(.down))
        var text = String(whole)
        if decimals > 0 {
            let frac = Int64(((rounded - Double(whole)) * scale).rounded())
            let digits = String(frac)
            text += "." + String(repeating: "0", count: decimals - digits.count) + digits
        }
        return negative ? "-" + text : text
    }

    /// A large finite number as a mantissa to a tenth and a power of ten: `1.0e30`, `-2.5e18`.
    static func exponent(_ value: Double) -> String {
        var mantissa = abs(value), power = 0
        while mantissa >= 10 { mantissa /= 10; power += 1 }
        var tenths = (mantissa * 10).rounded()
        if tenths >= 100 { tenths = (tenths / 10).rounded(); power += 1 }
        return (value < 0 ? "-" : "") + fixed(tenths / 10, decimals: 1) + "e\(power)"
    }

    /// Pads or cuts `text`, sanitised, to exactly `width` display columns; numbers align right.
    public static func cell(_ text: String, _ width: Int, right: Bool = false) -> String {
        DisplayWidth.fit(text, width, right: right)
    }
}

extension KPIValue {
    /// For people: shares as percentages, money compact, undefined as an em dash.
    public var display: String {
        switch self {
        case .share(let s): return Format.percent(s)
        case .money(let m): return Format.compact(m)
        case .count(let c): return String(c)
        case .days(let d): return Format.days(d)
        }
    }

    /// For machines: full precision, undefined as empty (CSV) or null (JSON).
    public var json: JSON {
        switch self {
        case .share(let s): return .number(s)
        case .money(let m): return .number(m)
        case .count(let c): return .int(c)
        case .days(let d): return .number(d)
        }
    }
}

/// The version this binary reports (`binnacle --version`).
public enum BinnacleVersion {
    public static let current = "0.3.0"
}
