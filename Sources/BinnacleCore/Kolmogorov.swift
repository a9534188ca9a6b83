#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The survival function of the two-sided one-sample Kolmogorov–Smirnov statistic D_n, as
/// scipy.stats.kstwo.sf computes it (Simard & L'Ecuyer's choice of method by n and x): what
/// ks_2samp uses for its asymptotic p-value.
enum Kolmogorov {
    static func sf(_ n: Int, _ x: Double) -> Double {
        guard n > 0 else { return .nan }
        if x >= 1 { return 0 }
        if x <= 0 { return 1 }
        let nd = Double(n)
        let t = nd * x
        if t <= 1 {   // Ruben–Gambino
            if t <= 0.5 { return 1 }
            let prob: Double
            if n <= 140 {
                var p = 1.0
                for i in 1...n { p *= Double(i) / nd * (2 * t - 1) }
                prob = p
            } else {
                prob = exp(logNFactorialDivNPowN(nd) + nd * log(2 * t - 1))
            }
            return clip(1 - prob)
        }
        if t >= nd - 1 { return clip(2 * pow(1 - x, nd)) }   // Ruben–Gambino
        if x >= 0.5 { return clip(2 * smirnov(n, x)) }
        let nxsquared = t * x
        if n <= 140 {
            if nxsquared <= 0.754693 { return clip(1 - durbin(n, x)) }
            // SciPy uses Pomeranz's recursion up to n·x² ≤ 4; the Durbin matrix gives the same exact distribution.
            if nxsquared <= 4 { return clip(1 - durbin(n, x)) }
            return clip(2 * smirnov(n, x))
        }
        if nxsquared >= 370 { return 0 }
        if nxsquared >= 2.2 { return clip(2 * smirnov(n, x)) }
        if n <= 100_000, nd * pow(x, 1.5) <= 1.4 { return clip(1 - durbin(n, x)) }
        return clip(pelzGoodSF(n, x))
    }

    static func clip(_ p: Double) -> Double { min(1, max(0, p)) }

    static let stirling: [Double] = [-2.955065359477124183e-2, 6.4102564102564102564e-3, -1.9175269175269175269e-3,
                                     8.4175084175084175084e-4, -5.952380952380952381e-4, 7.9365079365079365079e-4,
                                     -2.7777777777777777778e-3, 8.3333333333333333333e-2]

    /// log(n! / n^n) by Stirling's series.
    static func logNFactorialDivNPowN(_ n: Double) -> Double {
        let rn = 1 / n
        var poly = 0.0
        for c in stirling { poly = poly * (rn / n) + c }
        return log(n) / 2 - n + log(2 * Double.pi) / 2 + rn * poly
    }

    /// The one-sided Smirnov survival function P(D+_n ≥ x), by the Birnbaum–Tingey sum in log space.
    static func smirnov(_ n: Int, _ x: Double) -> Double {
        if x >= 1 { return 0 }
        if x <= 0 { return 1 }
        let nd = Double(n)
        let jmax = Int((nd * (1 - x)).rounded(.down))
        var sum = 0.0
        for j in 0...jmax {
            let jd = Double(j)
            let a = 1 - x - jd / nd, b = x + jd / nd
            if a <= 0 { continue }
            let logTerm = lgamma(nd + 1) - lgamma(jd + 1) - lgamma(nd - jd + 1) + (nd - jd) * log(a) + (jd - 1) * log(b)
            sum += exp(logTerm)
        }
        return x * sum
    }

    /// The Durbin matrix method (Marsaglia, Tsang & Wang): the CDF P(D_n < d).
    static func durbin(_ n: Int, _ d: Double) -> Double {
        if d >= 1 { return 1 }
        let nd = Double(n) * d
        if nd <= 0.5 { return 0 }
        let k = Int(nd.rounded(.up))
        let h = Double(k) - nd
        let m = 2 * k - 1
        var H = [Double](repeating: 0, count: m * m)
        var v = (1...m).map { 1 - pow(h, Double($0)) }
        var w = [Double](repeating: 0, count: m)
        var fac = 1.0
        for j in 1...m {
            w[j - 1] = fac
            fac /= Double(j)
            v[j - 1] *= fac
        }
        let tt = pow(max(2 * h - 1, 0), Double(m)) - 2 * pow(h, Double(m))
        v[m - 1] = (1 + tt) * fac
        for i in 1..<m { for r in (i - 1)..<m { H[r * m + i] = w[r - (i - 1)] } }
        for r in 0..<m { H[r * m] = v[r] }
        for c in 0..<m { H[(m - 1) * m + c] = v[m - 1 - c] }
        func mul(_ a: [Double], _ b: [Double]) -> [Double] {
            var out = [Double](repeating: 0, count: m * m)
            for i in 0..<m {
                for l in 0..<m where a[i * m + l] != 0 {
                    let ail = a[i * m + l]
                    for j in 0..<m { out[i * m + j] += ail * b[l * m + j] }
                }
            }
            return out
        }
        let e128 = 128, ep128 = pow(2.0, 128.0), em128 = pow(2.0, -128.0)
        var power = [Double](repeating: 0, count: m * m)
        for i in 0..<m { power[i * m + i] = 1 }
        var nn = n, expnt = 0, hexpnt = 0
        while nn > 0 {
            if nn % 2 == 1 { power = mul(power, H); expnt += hexpnt }
            H = mul(H, H)
            hexpnt *= 2
            if abs(H[(k - 1) * m + (k - 1)]) > ep128 {
                for i in H.indices { H[i] /= ep128 }
                hexpnt += e128
            }
            nn /= 2
        }
        var p = power[(k - 1) * m + (k - 1)]
        for i in 1...n {
            p = Double(i) * p / Double(n)
            if abs(p) < em128 { p *= ep128; expnt -= e128 }
        }
        if expnt != 0 { p = scalbn(p, Int32(expnt)) }
        return clip(p)
    }

    /// The Pelz–Good asymptotic series, as a survival probability.
    static func pelzGoodSF(_ n: Int, _ x: Double) -> Double {
        if x <= 0 { return 1 }
        if x >= 1 { return 0 }
        let pi2 = Double.pi * Double.pi, pi4 = pi2 * pi2, pi6 = pi4 * pi2
        let z = Double(n).squareRoot() * x
        let z2 = z * z, z3 = z2 * z, z4 = z2 * z2, z6 = z4 * z2
        let qlog = -pi2 / 8 / z2
        if qlog < -708 { return 1 }
        var q = exp(qlog)
        let k1a = -z2, k1b = pi2 / 4
        let k2a = 6 * z6 + 2 * z4, k2b = (2 * z4 - 5 * z2) * pi2 / 4, k2c = pi4 * (1 - 2 * z2) / 16
        let k3d = pi6 * (5 - 30 * z2) / 64, k3c = pi4 * (-60 * z2 + 212 * z4) / 16
        let k3b = pi2 * (135 * z4 - 96 * z6) / 4, k3a = -30 * z6 - 90 * pow(z, 8)
        var K = [0.0, 0.0, 0.0, 0.0]
        let maxk = Int((16 * z / Double.pi).rounded(.up))
        if maxk >= 1 {
            for k in stride(from: maxk, through: 1, by: -1) {
                let m = Double(2 * k - 1)
                let m2 = m * m, m4 = m2 * m2, m6 = m4 * m2
                let qpower = pow(q, Double(8 * k))
                let coeffs = [1.0, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4, k3a + k3b * m2 + k3c * m4 + k3d * m6]
                for i in 0..<4 { K[i] = K[i] * qpower + coeffs[i] }
            }
        }
        let sqrt2pi = (2 * Double.pi).squareRoot()
        let divisors = [z, 6 * z4, 72 * pow(z, 7), 6480 * pow(z, 10)]
        for i in 0..<4 { K[i] = K[i] * q * sqrt2pi / divisors[i] }
        q = exp(-pi2 / 2 / z2)
        var k2extra = 0.0, k3extra = 0.0
        if maxk >= 1 {
            for k in stride(from: maxk, through: 1, by: -1) {
                let ks = Double(k), ksq = ks * ks
                let qp = pow(q, ksq)
                k2extra += ksq * qp
                let sqrt3z = 3.0.squareRoot() * z, kspi = Double.pi * ks
                k3extra += (sqrt3z + kspi) * (sqrt3z - kspi) * ksq * qp
            }
        }
        K[2] += k2extra * pi2 * sqrt2pi / (-36 * z3)
        K[3] += k3extra * pi2 * sqrt2pi / (216 * z6)
        for i in 0..<4 { K[i] /= pow(Double(n), Double(i) / 2) }
        // The survival function: 1 − CDF, term by term as SciPy negates them.
        var sf = 1 - K[0]
        for i in 1..<4 { sf += -K[i] }
        return sf
    }
}
