#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Drift statistics between a reference and a current sample, computed as Evidently 0.7 computes
/// them (its `stattests`, over NumPy and SciPy), so the numbers match the tool users know.
public struct DriftResult: Equatable, Sendable {
    public var numerical: Bool
    public var bins: Int
    public var psi: Double
    public var jensenShannon: Double
    /// Numerical columns only.
    public var wassersteinNormalised: Double?
    public var ksStatistic: Double?
    public var ksPValue: Double?

    /// Each statistic's verdict, under Evidently's names, by the thresholds of `DriftMetric`.
    public var drift: [(statistic: String, drifted: Bool)] {
        var out = [("psi", DriftMetric.psi.isDrift(psi)), ("jensenshannon", DriftMetric.js.isDrift(jensenShannon))]
        if let w = wassersteinNormalised { out.append(("wasserstein_norm", DriftMetric.wasserstein.isDrift(w))) }
        if let p = ksPValue { out.append(("ks", DriftMetric.ksPValue.isDrift(p))) }
        return out
    }

    public static func == (a: DriftResult, b: DriftResult) -> Bool {
        a.numerical == b.numerical && a.bins == b.bins && a.psi == b.psi && a.jensenShannon == b.jensenShannon
            && a.wassersteinNormalised == b.wassersteinNormalised && a.ksStatistic == b.ksStatistic && a.ksPValue == b.ksPValue
    }
}

public enum Drift {
    /// All statistics. Values are numbers, or category labels when `categorical` (then only PSI and JS).
    /// A numerical reference with 20 or fewer distinct values is binned by value, as Evidently does.
    public static func compare(reference: [Double], current: [Double]) -> DriftResult {
        // Each sample is sorted once; everything below walks the sorted samples (no quadratic step).
        let ref = reference.sorted(), cur = current.sorted()
        var distinct = ref.isEmpty ? 0 : 1
        for i in ref.indices.dropFirst() where ref[i] != ref[i - 1] {
            distinct += 1
            if distinct > 20 { break }
        }
        let (r, c, bins) = distinct > 20 ? histogram(ref, cur) : categories(ref.map { "\($0)" }, cur.map { "\($0)" })
        let ks = ks2samp(sorted: ref, cur)
        return DriftResult(numerical: true, bins: bins, psi: psi(r, c), jensenShannon: jensenShannon(r, c),
                           wassersteinNormalised: wasserstein(sorted: ref, cur) / max(populationStd(reference), 0.001),
                           ksStatistic: ks.statistic, ksPValue: ks.pValue)
    }

    public static func compare(referenceCategories: [String], currentCategories: [String]) -> DriftResult {
        let (ref, cur, bins) = categories(referenceCategories, currentCategories)
        return DriftResult(numerical: false, bins: bins, psi: psi(ref, cur), jensenShannon: jensenShannon(ref, cur),
                           wassersteinNormalised: nil, ksStatistic: nil, ksPValue: nil)
    }

    // MARK: Binning

    /// One bin per distinct value seen in either sample; proportions of each sample's size.
    static func categories(_ reference: [String], _ current: [String]) -> ([Double], [Double], Int) {
        let keys = Set(reference).union(current).sorted()
        var r: [String: Int] = [:], c: [String: Int] = [:]
        for v in reference { r[v, default: 0] += 1 }
        for v in current { c[v, default: 0] += 1 }
        return (keys.map { Double(r[$0] ?? 0) / Double(reference.count) }, keys.map { Double(c[$0] ?? 0) / Double(current.count) }, keys.count)
    }

    /// Equal-width bins over reference ∪ current by NumPy's "sturges" rule (numpy.histogram_bin_edges),
    /// counted as numpy.histogram counts them (the last bin closed on the right).
    static func histogram(_ reference: [Double], _ current: [Double]) -> ([Double], [Double], Int) {
        var first = min(reference.min()!, current.min()!), last = max(reference.max()!, current.max()!)
        let width = (last - first) / (log2(Double(reference.count + current.count)) + 1.0)
        var n = 1
        if first == last { first -= 0.5; last += 0.5 } else if width > 0 { n = max(1, Int(((last - first) / width).rounded(.up))) }
        // numpy.linspace: start + i * step, the last edge exactly `last`.
        let step = (last - first) / Double(n)
        var edges = (0...n).map { first + Double($0) * step }
        edges[n] = last
        func counts(_ values: [Double]) -> [Double] {
            var c = [Double](repeating: 0, count: n)
            for x in values {
                var i = Int((x - first) / (last - first) * Double(n))
                if i == n { i -= 1 }
                if x < edges[i] { i -= 1 }
                if i != n - 1, x >= edges[i + 1] { i += 1 }
                c[i] += 1
            }
            return c.map { $0 / Double(values.count) }
        }
        return (counts(reference), counts(current), n)
    }

    // MARK: Statistics

    /// Population stability index, zero proportions replaced in each sample as Evidently does.
    static func psi(_ reference: [Double], _ current: [Double]) -> Double {
        func filled(_ p: [Double]) -> [Double] {
            let smallest = p.filter { $0 != 0 }.min() ?? 0
            let fill = smallest <= 0.0001 ? smallest / 1_000_000 : 0.0001
            return p.map { $0 == 0 ? fill : $0 }
        }
        let r = filled(reference), c = filled(current)
        var sum = 0.0
        for i in r.indices { sum += (r[i] - c[i]) * log(r[i] / c[i]) }
        return sum
    }

    /// scipy.spatial.distance.jensenshannon (natural log): the square root of the JS divergence.
    static func jensenShannon(_ p0: [Double], _ q0: [Double]) -> Double {
        let ps = p0.reduce(0, +), qs = q0.reduce(0, +)
        let p = p0.map { $0 / ps }, q = q0.map { $0 / qs }
        func relEntr(_ x: Double, _ y: Double) -> Double {
            if x > 0, y > 0 { return x * log(x / y) }
            return x == 0 && y >= 0 ? 0 : .infinity
        }
        var left = 0.0, right = 0.0
        for i in p.indices {
            let m = (p[i] + q[i]) / 2
            left += relEntr(p[i], m)
            right += relEntr(q[i], m)
        }
        return ((left + right) / 2).squareRoot()
    }

    /// scipy.stats.wasserstein_distance between the two samples (first Wasserstein distance).
    static func wasserstein(sorted us: [Double], _ vs: [Double]) -> Double {
        // The merged values in order, then the two CDFs at each (searchsorted 'right') times the gap to the next.
        var all: [Double] = []
        all.reserveCapacity(us.count + vs.count)
        var a = 0, b = 0
        while a < us.count || b < vs.count {
            if b == vs.count || (a < us.count && us[a] <= vs[b]) { all.append(us[a]); a += 1 } else { all.append(vs[b]); b += 1 }
        }
        var sum = 0.0
        var iu = 0, iv = 0
        for k in 0..<(all.count - 1) {
            while iu < us.count, us[iu] <= all[k] { iu += 1 }
            while iv < vs.count, vs[iv] <= all[k] { iv += 1 }
            sum += abs(Double(iu) / Double(us.count) - Double(iv) / Double(vs.count)) * (all[k + 1] - all[k])
        }
        return sum
    }

    static func wasserstein(_ u: [Double], _ v: [Double]) -> Double { wasserstein(sorted: u.sorted(), v.sorted()) }

    static func populationStd(_ x: [Double]) -> Double {
        let mean = x.reduce(0, +) / Double(x.count)
        return (x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(x.count)).squareRoot()
    }

    // MARK: Kolmogorov–Smirnov

    /// scipy.stats.ks_2samp(two-sided, method='auto'): exact when both samples have at most 10,000
    /// values, else asymptotic.
    public static func ks2samp(_ a: [Double], _ b: [Double]) -> (statistic: Double, pValue: Double) { ks2samp(sorted: a.sorted(), b.sorted()) }

    static func ks2samp(sorted x: [Double], _ y: [Double]) -> (statistic: Double, pValue: Double) {
        let n1 = x.count, n2 = y.count
        // The largest gap between the two empirical CDFs, walking the merged values once.
        var i = 0, j = 0, d = 0.0
        while i < n1, j < n2 {
            let v = min(x[i], y[j])
            while i < n1, x[i] <= v { i += 1 }
            while j < n2, y[j] <= v { j += 1 }
            d = max(d, abs(Double(i) / Double(n1) - Double(j) / Double(n2)))
        }
        let g = gcd(n1, n2)
        if max(n1, n2) <= 10_000 {
            let lcm = Double(n1 / g) * Double(n2)
            let h = Int((d * lcm).rounded(.toNearestOrEven))
            let dExact = Double(h) / lcm
            if h == 0 { return (dExact, 1.0) }
            let p = n1 == n2 ? probOutsideSquare(n1, h) : outerProbInside(n1, n2, g, h)
            if p >= 0, p <= 1 { return (dExact, p) }
        }
        let (m, n) = (Double(max(n1, n2)), Double(min(n1, n2)))
        let en = m * n / (m + n)
        return (d, min(1, max(0, Kolmogorov.sf(Int(en.rounded(.toNearestOrEven)), d))))
    }

    static func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }

    static func probOutsideSquare(_ n: Int, _ h: Int) -> Double {
        var p = 0.0
        var k = n / h
        while k >= 0 {
            var p1 = 1.0
            for j in 0..<h { p1 = Double(n - k * h - j) * p1 / Double(n + k * h + j + 1) }
            p = p1 * (1.0 - p)
            k -= 1
        }
        return 2 * p
    }

    /// The proportion of lattice paths that leave the band |x/m − y/n| < h/lcm (Hodges; Viehmann's 1−p recursion).
    static func outerProbInside(_ m0: Int, _ n0: Int, _ g: Int, _ h: Int) -> Double {
        let (m, n) = m0 < n0 ? (n0, m0) : (m0, n0)
        let mg = m / g, ng = n / g
        var minj = 0, maxj = min(Int((Double(h) / Double(mg)).rounded(.up)), n + 1)
        var curlen = maxj - minj
        let lenA = min(2 * maxj + 2, n + 1)
        var A = [Double](repeating: 1, count: lenA)
        for k in minj..<maxj { A[k] = 0 }
        for i in 1...m {
            let lastminj = minj, lastlen = curlen
            minj = min(max(Int((Double(ng * i - h) / Double(mg)).rounded(.down)) + 1, 0), n)
            maxj = min(Int((Double(ng * i + h) / Double(mg)).rounded(.up)), n + 1)
            if maxj <= minj { return 1.0 }
            var val = minj == 0 ? 0.0 : 1.0
            for jj in 0..<(maxj - minj) {
                let j = jj + minj
                val = (A[jj + minj - lastminj] * Double(i) + val * Double(j)) / Double(i + j)
                A[jj] = val
            }
            curlen = maxj - minj
            if lastlen > curlen { for k in (maxj - minj)..<(maxj - minj + lastlen - curlen) where k < A.count { A[k] = 1 } }
        }
        return A[maxj - minj - 1]
    }
}

extension DriftResult {
    /// The result as `binnacle drift --format json` prints it.
    public var json: JSON {
        var pairs: [(String, JSON)] = [("psi", .double(psi)), ("jensenshannon", .double(jensenShannon))]
        if let w = wassersteinNormalised { pairs.append(("wasserstein_norm", .double(w))) }
        if let s = ksStatistic { pairs.append(("ks_statistic", .double(s))) }
        if let p = ksPValue { pairs.append(("ks_pvalue", .double(p))) }
        pairs += [("bins", .int(bins)), ("numerical", .bool(numerical)),
                  ("drift", .object(drift.map { ($0.statistic, .bool($0.drifted)) }))]
        return .object(pairs)
    }
}


/// How drift statistics are stored: one observation per statistic, named `<statistic>:<feature>`.
public enum DriftMetric: String, CaseIterable, Sendable {
    case psi, js, wasserstein, ksPValue = "ks_pvalue"

    /// The monitor a feature's PSI gets when it has none: the industry default (bad above).
    public static let defaultPSIMonitor = (warn: 0.1, critical: 0.25)

    public func metric(_ feature: String) -> String { "\(rawValue):\(feature)" }

    /// Evidently's default threshold; the KS p-value signals drift below it, the others above.
    public var threshold: Double { self == .ksPValue ? 0.05 : 0.1 }

    public func isDrift(_ value: Double) -> Bool { self == .ksPValue ? value <= threshold : value >= threshold }

    /// The rule as people read it, e.g. "≥ 0.1".
    public var rule: String { "\(self == .ksPValue ? "≤" : "≥") \(Format.number(threshold))" }

    public func value(in r: DriftResult) -> Double? {
        switch self {
        case .psi: return r.psi
        case .js: return r.jensenShannon
        case .wasserstein: return r.wassersteinNormalised
        case .ksPValue: return r.ksPValue
        }
    }

    /// The statistic and feature of a stored metric name; nil when it is not a drift statistic.
    public static func parse(_ metric: String) -> (statistic: DriftMetric, feature: String)? {
        guard let colon = metric.firstIndex(of: ":"), let s = DriftMetric(rawValue: String(metric[..<colon])) else { return nil }
        return (s, String(metric[metric.index(after: colon)...]))
    }
}
