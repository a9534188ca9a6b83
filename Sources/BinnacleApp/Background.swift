import BinnacleCore
import Dispatch

/// Work done off the main thread on its own database connections, handed back through a lock. The
/// dashboard takes finished results on its own thread, so its state is only ever touched there.
///
/// Jobs run one at a time, the most urgent first (`Job.urgency`): a date's first look, then its
/// trend, then its lists. One at a time keeps the process within its memory (the trend's sweep and
/// the lists' derivation each take most of it) and gives the first look the whole of a core. When the
/// dashboard moves to another date (`focus`), the other dates' jobs are dropped and the one running
/// is stopped, so that the new date's first look never waits behind seconds of another's lists.
final class Background: @unchecked Sendable {
    enum Job: Hashable {
        /// The overview's numbers and top alerts at a date whose lists are not derived yet (one sweep
        /// of the inventory, a fraction of a second), read at the dashboard's `generation` (see AppState).
        case firstLook(Day, generation: Int)
        /// The report with its 12-month trend for a date (twelve more dates' counts).
        case trend(Day, generation: Int)
        /// Derive the portfolio-wide lists for a date (seconds at 50,000 models).
        case prepare(Day, force: Bool)

        var day: Day {
            switch self {
            case .firstLook(let d, _), .trend(let d, _), .prepare(let d, _): return d
            }
        }

        /// Lower runs first: what the person looks at first comes first.
        var urgency: Int {
            switch self {
            case .firstLook: return 0
            case .trend: return 1
            case .prepare: return 2
            }
        }
    }

    struct Done {
        var job: Job
        var report: PortfolioReport?
        var overview: OverviewScreenData?
        var error: String?
    }

    private let lock = DispatchQueue(label: "binnacle.background")
    private let worker = DispatchQueue(label: "binnacle.background.work")
    private var finished: [Done] = []
    private var waiting: [Job] = []
    private var running: Job?
    /// The running job, when `focus` stopped it: what it leaves is nobody's.
    private var stopped: Job?
    private let reader: PortfolioSource

    init(reader: PortfolioSource) { self.reader = reader }

    /// Queues `job` unless the same job is waiting or running.
    func start(_ job: Job) {
        let queued = lock.sync { () -> Bool in
            guard running != job, !waiting.contains(job) else { return false }
            waiting.append(job)
            return true
        }
        // One turn of the worker per job queued: each turn runs the most urgent job waiting then.
        if queued { worker.async { [self] in runNext() } }
    }

    /// The dashboard shows `day` now: jobs for other dates are dropped, and one running is stopped.
    func focus(on day: Day) {
        let stop = lock.sync { () -> Bool in
            waiting.removeAll { $0.day != day }
            guard let r = running, r.day != day else { return false }
            stopped = r
            return true
        }
        if stop { reader.interrupt() }
    }

    private func runNext() {
        let next = lock.sync { () -> Job? in
            guard let i = waiting.indices.min(by: { waiting[$0].urgency < waiting[$1].urgency }) else { return nil }
            running = waiting.remove(at: i)
            return running
        }
        guard let job = next else { return }
        var done = Done(job: job)
        do {
            switch job {
            case .firstLook(let day, _):
                // Lists derived meanwhile (another screen asked for them first): the overview reads them instead.
                if !reader.isPrepared(asOf: day) { done.overview = try reader.firstLook(asOf: day, top: OverviewScreen.topAlerts) }
            case .trend(let day, _): done.report = try reader.report(asOf: day, trend: true)
            case .prepare(let day, let force): try reader.prepare(asOf: day, force: force)
            }
        } catch {
            done.error = String(describing: error)
        }
        lock.sync {
            if stopped != job { finished.append(done) }
            running = nil
            stopped = nil
        }
    }

    var isBusy: Bool { lock.sync { running != nil || !waiting.isEmpty } }

    func take() -> [Done] {
        lock.sync {
            defer { finished.removeAll() }
            return finished
        }
    }
}
