import BinnacleCore
import Dispatch

/// Work done off the main thread on its own database connections, handed back through a lock. The
/// dashboard takes finished results on its own thread, so its state is only ever touched there.
final class Background: @unchecked Sendable {
    enum Job: Hashable {
        /// Derive the portfolio-wide lists for a date (seconds at 50,000 models).
        case prepare(Day, force: Bool)
        /// The report with its 12-month trend for a date (twelve more dates' counts).
        case trend(Day)
    }

    struct Done {
        var job: Job
        var report: PortfolioReport?
        var error: String?
    }

    private let lock = DispatchQueue(label: "binnacle.background")
    private var finished: [Done] = []
    private var running: Set<Job> = []
    private let reader: PortfolioSource

    init(reader: PortfolioSource) { self.reader = reader }

    /// Starts `job` unless the same job is already running.
    func start(_ job: Job) {
        let start = lock.sync { running.insert(job).inserted }
        guard start else { return }
        DispatchQueue.global().async { [self] in
            var done = Done(job: job)
            do {
                switch job {
                case .prepare(let day, let force): try reader.prepare(asOf: day, force: force)
                case .trend(let day): done.report = try reader.report(asOf: day, trend: true)
                }
            } catch {
                done.error = String(describing: error)
            }
            lock.sync {
                running.remove(job)
                finished.append(done)
            }
        }
    }

    var isBusy: Bool { lock.sync { !running.isEmpty } }

    func take() -> [Done] {
        lock.sync {
            defer { finished.removeAll() }
            return finished
        }
    }
}
