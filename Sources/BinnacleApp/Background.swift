import BinnacleCore
import Dispatch

/// Work done off the main thread on its own database connection, handed back through a lock. The
/// dashboard takes finished results on its own thread, so its state is only ever touched there.
final class Background: @unchecked Sendable {
    private let lock = DispatchQueue(label: "binnacle.background")
    private var finished: [(asOf: Day, report: PortfolioReport)] = []
    private var running: Set<Day> = []
    private let reader: PortfolioSource

    init(reader: PortfolioSource) { self.reader = reader }

    /// Computes the full report (with its 12-month trend) for `asOf`, once at a time per date.
    func computeTrend(asOf: Day) {
        let start = lock.sync { running.insert(asOf).inserted }
        guard start else { return }
        DispatchQueue.global().async { [self] in
            let report = try? reader.report(asOf: asOf)
            lock.sync {
                running.remove(asOf)
                if let report { finished.append((asOf, report)) }
            }
        }
    }

    func take() -> [(asOf: Day, report: PortfolioReport)] {
        lock.sync {
            defer { finished.removeAll() }
            return finished
        }
    }
}
