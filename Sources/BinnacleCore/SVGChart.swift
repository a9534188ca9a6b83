/// The board pack's charts, drawn as inline SVG: no script and nothing fetched, and they print as
/// they show. Colours come from the page's stylesheet (classes), so a chart holds only geometry.
public enum SVGChart {
    static let width = 260.0, height = 112.0
    static let left = 44.0, right = 8.0, top = 8.0, bottom = 20.0

    /// A line through `points` in order, with the highest and lowest value on the y axis and the first
    /// and last label on the x axis. The y axis starts at 0 unless a value is below it. An undefined
    /// value is a gap: the line stops before it and starts again after it, and no point is drawn there
    /// (each drawn point is a `circle` of class `pt`, its label and value as its tooltip).
    public static func line(_ points: [(label: String, value: Double?)], title: String, format: (Double) -> String) -> HTMLText {
        var svg: HTMLText = "<svg class=\"chart\" viewBox=\"0 0 \(n(width)) \(n(height))\" role=\"img\" aria-label=\"\(title)\"><title>\(title)</title>"
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let values = points.compactMap(\.value).filter(\.isFinite)
        let lo = min(0, values.min() ?? 0)
        var hi = max(lo, values.max() ?? 0)
        if hi == lo { hi = lo + 1 }
        func x(_ i: Int) -> Double { points.count == 1 ? left + plotWidth / 2 : left + Double(i) * plotWidth / Double(points.count - 1) }
        // Halved, so that a range wider than a Double holds (1e308 to -1e308) still scales.
        func y(_ v: Double) -> Double { top + (hi / 2 - v / 2) / (hi / 2 - lo / 2) * plotHeight }
        svg += "<line class=\"axis\" x1=\"\(n(left))\" y1=\"\(n(top))\" x2=\"\(n(left))\" y2=\"\(n(y(lo)))\"/>"
        svg += "<line class=\"axis\" x1=\"\(n(left))\" y1=\"\(n(y(lo)))\" x2=\"\(n(width - right))\" y2=\"\(n(y(lo)))\"/>"
        if lo < 0 { svg += "<line class=\"zero\" x1=\"\(n(left))\" y1=\"\(n(y(0)))\" x2=\"\(n(width - right))\" y2=\"\(n(y(0)))\"/>" }
        if values.isEmpty {
            svg += "<text class=\"nodata\" x=\"\(n(left + plotWidth / 2))\" y=\"\(n(top + plotHeight / 2))\" text-anchor=\"middle\">no data</text>"
        } else {
            svg += "<text x=\"\(n(left - 4))\" y=\"\(n(top + 4))\" text-anchor=\"end\">\(format(hi))</text>"
            svg += "<text x=\"\(n(left - 4))\" y=\"\(n(y(lo)))\" text-anchor=\"end\">\(format(lo))</text>"
        }
        if let first = points.first, let last = points.last {
            svg += "<text x=\"\(n(left))\" y=\"\(n(height - 5))\" text-anchor=\"start\">\(first.label)</text>"
            if points.count > 1 { svg += "<text x=\"\(n(width - right))\" y=\"\(n(height - 5))\" text-anchor=\"end\">\(last.label)</text>" }
        }
        // One polyline per run of defined values: a gap stays a gap.
        var run: [String] = []
        func endRun() {
            if run.count > 1 { svg += "<polyline class=\"line\" points=\"\(run.joined(separator: " "))\"/>" }
            run = []
        }
        for (i, p) in points.enumerated() {
            guard let v = p.value, v.isFinite else { endRun(); continue }
            run.append("\(n(x(i))),\(n(y(v)))")
        }
        endRun()
        for (i, p) in points.enumerated() {
            guard let v = p.value, v.isFinite else { continue }
            svg += "<circle class=\"pt\" cx=\"\(n(x(i)))\" cy=\"\(n(y(v)))\" r=\"2.5\"><title>\(p.label): \(format(v))</title></circle>"
        }
        return svg + "</svg>"
    }

    /// A horizontal bar filled to `share` (0…1, clamped); nothing for an undefined share.
    public static func bar(_ share: Double?) -> HTMLText {
        guard let share, share.isFinite else { return "" }
        let filled = max(0, min(1, share)) * 100
        return "<svg class=\"bar\" viewBox=\"0 0 100 8\" preserveAspectRatio=\"none\" aria-hidden=\"true\"><rect class=\"track\" width=\"100\" height=\"8\"/><rect class=\"fill\" width=\"\(n(filled))\" height=\"8\"/></svg>"
    }

    /// A coordinate, to a tenth (never NaN: an SVG with one would not draw).
    static func n(_ v: Double) -> String { Format.fixed(v.isFinite ? v : 0, decimals: 1) }
}
