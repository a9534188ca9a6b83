@testable import BinnacleCore
import Foundation
import Testing

/// Drift statistics against values computed with NumPy 2.4 and SciPy 1.17 by Evidently 0.7's formulas
/// (histogram_bin_edges "sturges", np.histogram, the PSI zero fill, jensenshannon, wasserstein_distance,
/// ks_2samp), and against the properties they must have.
@Suite struct DriftTests {
    func close(_ a: Double?, _ b: Double, _ tolerance: Double = 1e-10) -> Bool {
        guard let a else { return false }
        return abs(a - b) <= tolerance * max(abs(b), 1e-300)
    }

    @Test func numericalSamplesMatchTheReference() {
        let r = Drift.compare(reference: (0..<50).map { Double($0) }, current: (10..<70).map { Double($0) * 1.1 })
        #expect(r.numerical && close(r.psi, 3.88518430729719) && close(r.jensenShannon, 0.4405864799214224))
        #expect(close(r.wassersteinNormalised, 1.3131571698395748) && close(r.ksStatistic, 0.4166666666666667))
        #expect(close(r.ksPValue, 9.30937790313179e-05))
    }

    @Test func largeSamplesUseTheAsymptoticPValue() {
        let r = Drift.compare(reference: (0..<12000).map { Double($0) / 12000 }, current: (0..<11000).map { Double($0) / 11000 + 0.02 })
        #expect(close(r.psi, 0.014980316474539113) && close(r.jensenShannon, 0.04314658847990804))
        #expect(close(r.wassersteinNormalised, 0.06926891094624514) && close(r.ksStatistic, 0.020083333333333342))
        #expect(close(r.ksPValue, 0.019254343663002226))
    }

    @Test func tiesAndFewDistinctValuesBinByValue() {
        let ref = (0..<40).map { Double($0 % 7) + Double($0 / 7) }, cur = (0..<45).map { Double($0 % 9) }
        let r = Drift.compare(reference: ref, current: cur)
        #expect(close(r.psi, 0.8537213800593408) && close(r.jensenShannon, 0.24634621997646045))
        #expect(close(r.wassersteinNormalised, 0.5129891760425769) && close(r.ksStatistic, 0.19444444444444445))
        #expect(close(r.ksPValue, 0.3463880946927813))
    }

    @Test func aCategoryOnlyInTheCurrentSample() {
        let r = Drift.compare(referenceCategories: Array(repeating: "a", count: 30) + Array(repeating: "b", count: 20),
                              currentCategories: Array(repeating: "a", count: 10) + Array(repeating: "b", count: 25) + Array(repeating: "c", count: 15))
        #expect(r.bins == 3 && close(r.psi, 2.8628689041369735) && close(r.jensenShannon, 0.39884886015084264))
        #expect(r.ksPValue == nil && r.wassersteinNormalised == nil)
        #expect(r.drift.map(\.drifted) == [true, true])
    }

    @Test func identicalSamplesShowNoDrift() {
        let x = (0..<500).map { Double($0 * 7 % 101) / 3 }
        let r = Drift.compare(reference: x, current: x)
        #expect(r.psi == 0 && r.jensenShannon == 0 && r.wassersteinNormalised == 0 && r.ksStatistic == 0 && r.ksPValue == 1)
        #expect(r.drift.allSatisfy { !$0.drifted })
    }

    @Test func disjointAndConstantSamples() {
        let disjoint = Drift.compare(reference: (0..<300).map { Double($0) / 300 }, current: (0..<300).map { 5 + Double($0) / 300 })
        #expect(disjoint.ksStatistic == 1 && disjoint.ksPValue! < 1e-100 && abs(disjoint.jensenShannon - log(2).squareRoot()) < 1e-12)
        // A constant reference has one distinct value: binned by value; its spread is floored at 0.001.
        let constant = Drift.compare(reference: Array(repeating: 3, count: 100), current: (0..<100).map { 3 + Double($0 - 50) / 50 })
        #expect(constant.bins > 1 && constant.wassersteinNormalised! > 100 && constant.psi > 1)
    }

    @Test func properties() {
        var state: UInt64 = 42
        func next() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(1 << 53)
        }
        for trial in 0..<20 {
            let a = (0..<(50 + trial * 13)).map { _ in next() * 10 }, b = (0..<(40 + trial * 7)).map { _ in next() * 10 + Double(trial) / 10 }
            let ab = Drift.compare(reference: a, current: b), ba = Drift.compare(reference: b, current: a)
            #expect(ab.psi >= 0 && ab.jensenShannon >= 0 && ab.jensenShannon <= log(2).squareRoot() + 1e-12)
            #expect(abs(ab.jensenShannon - ba.jensenShannon) < 1e-12 || ab.bins != ba.bins)
            #expect((0...1).contains(ab.ksPValue!) && ab.ksStatistic == ba.ksStatistic && abs(ab.ksPValue! - ba.ksPValue!) < 1e-12)
        }
    }

    @Test func kolmogorovSurvivalMatchesSciPyAcrossMethods() {
        // scipy.stats.kstwo.sf(x, n) at points that take each branch of Simard & L'Ecuyer's selection.
        #expect(close(Kolmogorov.sf(5000, 0.02), 0.03613941395325637, 1e-9))     // Pelz–Good
        #expect(close(Kolmogorov.sf(5000, 0.005), 0.9995858441477996, 1e-9))     // Pelz–Good, small x
        #expect(close(Kolmogorov.sf(5000, 0.03), 0.00024159234422666817, 1e-9))  // 2 × Smirnov
        #expect(close(Kolmogorov.sf(50, 0.1), 0.6623112704658186, 1e-9))         // Durbin matrix
        #expect(close(Kolmogorov.sf(50, 0.2), 0.03143877776953241, 1e-9))        // SciPy: Pomeranz; here Durbin
        #expect(Kolmogorov.sf(200, 1.0) == 0 && Kolmogorov.sf(200, 0) == 1)
    }
}
