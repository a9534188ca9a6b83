import BinnacleCore
import Foundation
import GRDB
import GRDBSQLite

/// The KPI counts of several dates (a report's date and its 12 month-ends) in one pass over the
/// facts, where `PortfolioSQL` runs its statements once per date: each table is read once, in the
/// order of an index, and every date's windows are applied to each row as it goes by. The rules
/// are PRODUCT.md's, as `DomainRules` writes them in SQL and Rules.swift in Swift (`Impact`,
/// `Document.isCurrent`, `RemediationTask.isOpen`); ReferenceKPITests and KPISweepTests check that
/// the sweep and the SQL give the same counts.
///
/// Memory is a few bytes per model and date: the big tables (value records, observations) are read
/// in model order and folded into counts one model (or monitor) at a time.
///
/// Dates are compared by their leading `YYYY-MM-DD`, which is what SQL's text comparisons with a
/// date (`changed_at < :next`) amount to for the time stamps Binnacle stores. A row whose date is
/// not in that form (written around Binnacle) cannot be compared so: `counts` then returns nil and
/// the caller runs the SQL, which compares the text as it is.
struct KPISweep {
    /// One date of the sweep and the edges of its windows, as `DayKey`s.
    struct Window {
        let asOf: Int, next: Int, impactFrom: Int, yearFrom: Int, freshFrom: Int
        init(_ d: Day) {
            asOf = DayKey.of(d)
            next = DayKey.of(d.adding(days: 1))
            impactFrom = DayKey.of(d.windowStart(days: Windows.impact))
            yearFrom = DayKey.of(d.windowStart(days: Windows.year))
            freshFrom = DayKey.of(d.windowStart(days: Windows.freshObservation))
        }
    }

    /// A model as the sweep needs it.
    struct Model {
        let id: String
        let domain: Int
        let created: Int
        let required: [DocumentKind]
    }

    private struct NotComparable: Error {}

    let windows: [Window]
    let domainFilter: String?
    private(set) var domains: [String] = []
    private var models: [Model] = []
    private var index: [String: Int] = [:]
    /// Per date (outer) and model: whether it is in production then (the rows the later passes look at).
    private var inProduction: [[Bool]] = []
    private var counts: [[Int: KPICounts]] = []
    /// When listing alerts (one date): each alert of the first date.
    private var listing = false
    private var alerts: [Alert] = []

    /// Each domain's counts at each of `days` (in that order), as `Inventory.countsByDomain` gives
    /// them; nil when a date in the inventory is not in the stored form (see above).
    static func counts(_ db: Database, asOf days: [Day], domain: String?) throws -> [[String: KPICounts]]? {
        try sweep(db, asOf: days, domain: domain, listing: false)?.counts
    }

    /// Every alert at `asOf` (critical, then warning, stale, unmonitored; each by model and metric),
    /// as `Inventory.alertsBySQL` lists them; nil as for `counts`.
    static func alerts(_ db: Database, asOf: Day, domain: String?) throws -> [Alert]? {
        try sweep(db, asOf: [asOf], domain: domain, listing: true)?.alerts
    }

    /// The counts at each date, and when `listing`, the alerts at the first.
    static func sweep(_ db: Database, asOf days: [Day], domain: String?, listing: Bool)
        throws -> (counts: [[String: KPICounts]], alerts: [Alert])?
    {
        var sweep = KPISweep(windows: days.map(Window.init), domainFilter: domain)
        sweep.listing = listing
        do {
            try sweep.run(db)
        } catch is NotComparable {
            return nil
        }
        func rank(_ a: Alert) -> Int { a.severity == .critical ? 0 : a.reason == .threshold ? 1 : a.reason == .stale ? 2 : 3 }
        // Ordered as SQLite orders text (by bytes).
        let alerts = sweep.alerts.sorted { a, b in
            if rank(a) != rank(b) { return rank(a) < rank(b) }
            if a.modelId != b.modelId { return a.modelId.utf8.lexicographicallyPrecedes(b.modelId.utf8) }
            return (a.metric ?? "").utf8.lexicographicallyPrecedes((b.metric ?? "").utf8)
        }
        let counts = sweep.counts.map { byDomain in Dictionary(uniqueKeysWithValues: byDomain.map { (sweep.domains[$0.key], $0.value) }) }
        return (counts, alerts)
    }

    private mutating func run(_ db: Database) throws {
        counts = Array(repeating: [:], count: windows.count)
        try readModels(db)
        try readStages(db)
        try readValue(db)
        try readDocuments(db)
        try readMonitoring(db)
        try readTasks(db)
    }

    /// The counts of `domain` at the date of window `w`, created when first touched (as a domain
    /// appears in the SQL's results as soon as one of its statements returns a row for it).
    private mutating func touch(_ w: Int, _ domain: Int, _ change: (inout KPICounts) -> Void) {
        change(&counts[w][domain, default: KPICounts()])
    }

    // MARK: - Models and stages

    private mutating func readModels(_ db: Database) throws {
        var domainIndex: [String: Int] = [:]
        try Raw.each(db, "SELECT id, domain, kind, risk_tier, created_at FROM models WHERE (?1 IS NULL OR domain = ?1) ORDER BY id",
                     [domainFilter]) { row in
            let domain = row.text(1)
            let d = domainIndex[domain] ?? { domainIndex[domain] = domains.count; domains.append(domain); return domains.count - 1 }()
            guard let created = row.dayKey(4), let tier = RiskTier(rawValue: row.int(3)) else { throw NotComparable() }
            let kind = ModelKind(rawValue: row.text(2)) ?? .other
            index[row.text(0)] = models.count
            models.append(Model(id: row.text(0), domain: d, created: created, required: RequiredDocuments.kinds(tier: tier, kind: kind)))
        }
    }

    /// Stage at each date, built, shelved and days to first production, from each model's changes
    /// in the order "stage at D" takes them (time stamp, then row).
    private mutating func readStages(_ db: Database) throws {
        inProduction = Array(repeating: Array(repeating: false, count: models.count), count: windows.count)
        var changes: [[(at: Int, stage: Stage)]] = Array(repeating: [], count: models.count)
        try Raw.each(db, "SELECT model_id, stage, changed_at FROM stage_changes ORDER BY model_id, changed_at, id", []) { row in
            guard let m = index[row.text(0)] else { return }
            guard let at = row.dayKey(2), let stage = Stage(rawValue: row.text(1)) else { throw NotComparable() }
            changes[m].append((at, stage))
        }
        for (m, model) in models.enumerated() {
            let firstProduction = changes[m].filter { $0.stage == .production }.map(\.at).min()
            for (w, window) in windows.enumerated() where model.created < window.next {
                let dated = changes[m].filter { $0.at < window.next }
                let stage = dated.last?.stage ?? .idea
                inProduction[w][m] = stage == .production
                let built = dated.contains { Stage.built.contains($0.stage) }
                touch(w, model.domain) { c in
                    c.existingModels += 1
                    if stage == .production { c.productionModels += 1 }
                    if built { c.builtModels += 1 }
                    if stage == .shelved { c.shelvedModels += 1 }
                }
            }
            // Not limited to models existing at D, as the SQL is not: a first production dated in the
            // window implies the model existed.
            if let first = firstProduction {
                for (w, window) in windows.enumerated() where first >= window.yearFrom && first < window.next {
                    touch(w, model.domain) { $0.daysToProduction.append(DayKey.days(from: model.created, to: first)) }
                }
            }
        }
    }

    // MARK: - Value

    /// The 12-month value, cost and record counts of each domain, and the 90-day value of each model
    /// in production (impact), from the value records in the widest window.
    private mutating func readValue(_ db: Database) throws {
        guard let from = windows.map(\.yearFrom).min(), let to = windows.map(\.asOf).max() else { return }
        // One model's sums per window, added to its domain when the next model's rows begin.
        var model: Int?
        var sums = Array(repeating: (value: 0.0, cost: 0.0, value90: 0.0, year: 0, recent: 0), count: windows.count)
        func flush() {
            guard let m = model else { return }
            for w in windows.indices where sums[w].year > 0 {
                let s = sums[w], impact = inProduction[w][m] && Impact.holds(value90d: s.value90)
                touch(w, models[m].domain) { c in
                    c.value12m += s.value
                    c.cost12m += s.cost
                    c.valueRecords12m += s.year
                    c.valueRecords90d += s.recent
                    if impact { c.productionWithImpact += 1 }
                }
                sums[w] = (0, 0, 0, 0, 0)
            }
        }
        var lastId = ""
        try Raw.each(db, "SELECT model_id, date, value, cost FROM value_records WHERE date BETWEEN ?1 AND ?2 ORDER BY model_id, date",
                     [DayKey.text(from), DayKey.text(to)]) { row in
            if !row.equals(0, lastId) {
                flush()
                lastId = row.text(0)
                model = index[lastId]
            }
            guard model != nil else { return }
            guard let date = row.dayKey(1, exact: true) else { throw NotComparable() }
            let v = row.double(2), c = row.double(3)
            for (w, window) in windows.enumerated() where date >= window.yearFrom && date <= window.asOf {
                sums[w].value += v
                sums[w].cost += c
                sums[w].year += 1
                if date >= window.impactFrom {
                    sums[w].recent += 1
                    sums[w].value90 += v
                }
            }
        }
        flush()
    }

    // MARK: - Documents

    /// Production models whose every required document is current at the date.
    private mutating func readDocuments(_ db: Database) throws {
        var approved: [[(kind: DocumentKind, at: Int, expires: Int?)]] = Array(repeating: [], count: models.count)
        try Raw.each(db, "SELECT model_id, kind, approved_at, expires_at FROM documents WHERE approved_at IS NOT NULL", []) { row in
            guard let m = index[row.text(0)] else { return }
            guard let kind = DocumentKind(rawValue: row.text(1)), let at = row.dayKey(2) else { throw NotComparable() }
            var expires: Int?
            if !row.isNull(3) {
                guard let e = row.dayKey(3) else { throw NotComparable() }
                expires = e
            }
            approved[m].append((kind, at, expires))
        }
        for (w, window) in windows.enumerated() {
            for (m, model) in models.enumerated() where inProduction[w][m] {
                let complete = model.required.allSatisfy { kind in
                    approved[m].contains { $0.kind == kind && $0.at < window.next && ($0.expires.map { $0 >= window.next } ?? true) }
                }
                if complete { touch(w, model.domain) { $0.productionDocsComplete += 1 } }
            }
        }
    }

    // MARK: - Monitoring

    /// Alerts of production models: each monitor's latest observation dated on or before D, stale
    /// when there is none in the 14-day window. Only that window of each date can hold the value that
    /// decides: each monitor's observations in the dates' windows are one range seek on the primary key
    /// (model_id, metric, observed_at), and only production models' monitors are visited.
    private mutating func readMonitoring(_ db: Database) throws {
        let relevant = (0..<models.count).map { m in windows.indices.contains { inProduction[$0][m] } }
        var monitors: [[Monitor]] = Array(repeating: [], count: models.count)
        try Raw.each(db, "SELECT model_id, metric, direction, warn, critical FROM monitors", []) { row in
            guard let m = index[row.text(0)], relevant[m] else { return }
            monitors[m].append(Monitor(metric: row.text(1), direction: row.text(2) == "above" ? .above : .below, warn: row.double(3), critical: row.double(4)))
        }
        guard let from = windows.map(\.freshFrom).min(), let to = windows.map(\.next).max() else { return }
        let bounds = (DayKey.text(from), DayKey.text(to))
        for (m, model) in models.enumerated() where relevant[m] {
            // Per date: this model's monitors critical, warning, and with a value in the window (the rest are stale).
            var tally = Array(repeating: (critical: 0, warning: 0, fresh: 0), count: windows.count)
            var fresh: [String] = []   // when listing: the metrics with a value in the first date's window
            for monitor in monitors[m] {
                var latest = [(value: Double, at: String)?](repeating: nil, count: windows.count)
                try Raw.each(db, """
                    SELECT observed_at, value FROM observations WHERE model_id = ?1 AND metric = ?2
                    AND observed_at >= ?3 AND observed_at < ?4 ORDER BY observed_at
                    """, [model.id, monitor.metric, bounds.0, bounds.1]) { row in
                    guard let at = row.dayKey(0) else { throw NotComparable() }
                    for (w, window) in windows.enumerated() where inProduction[w][m] && at >= window.freshFrom && at < window.next {
                        latest[w] = (row.double(1), listing && w == 0 ? row.text(0) : "")
                    }
                }
                for (w, found) in latest.enumerated() {
                    guard let found else { continue }
                    tally[w].fresh += 1
                    let state = monitor.state(found.value)
                    if state == .critical { tally[w].critical += 1 }
                    if state == .warning { tally[w].warning += 1 }
                    guard listing, w == 0 else { continue }
                    fresh.append(monitor.metric)
                    if let state {
                        alerts.append(Alert(modelId: model.id, severity: state, reason: .threshold, metric: monitor.metric, value: found.value,
                                            threshold: state == .critical ? monitor.critical : monitor.warn,
                                            observedAt: Timestamp(storedText: found.at)))
                    }
                }
            }
            for w in windows.indices where inProduction[w][m] {
                let t = tally[w]
                let stale = t.fresh < monitors[m].count
                // A production model with no monitor at all counts one warning (unmonitored).
                let unmonitored = monitors[m].isEmpty
                if listing, w == 0 {
                    if unmonitored { alerts.append(Alert(modelId: model.id, severity: .warning, reason: .unmonitored)) }
                    if stale {
                        let alert = try staleAlert(db, model: m, metrics: monitors[m].map(\.metric), fresh: fresh, window: windows[w])
                        alerts.append(alert)
                    }
                }
                touch(w, model.domain) { c in
                    c.alertsCritical += t.critical
                    c.alertsWarning += t.warning + (stale ? 1 : 0) + (unmonitored ? 1 : 0)
                    if t.critical > 0 { c.modelsWithCritical += 1 }
                }
            }
        }
    }

    /// A model's one stale alert: for its first metric (by name) without a value in the window, with
    /// the time of that metric's latest observation dated on or before D, if any.
    private func staleAlert(_ db: Database, model m: Int, metrics: [String], fresh: [String], window: Window) throws -> Alert {
        let metric = metrics.filter { !fresh.contains($0) }.min { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        let lastAt = try String.fetchOne(db, sql: "SELECT MAX(observed_at) FROM observations WHERE model_id = ? AND metric = ? AND observed_at < ?",
                                         arguments: [models[m].id, metric, DayKey.text(window.next)])
        return Alert(modelId: models[m].id, severity: .warning, reason: .stale, metric: metric, observedAt: lastAt.map(Timestamp.init(storedText:)))
    }

    struct Monitor {
        let metric: String
        /// Which side of the thresholds is bad.
        let direction: MonitorDirection
        let warn, critical: Double
        func state(_ value: Double) -> Alert.Severity? {
            Threshold.severity(of: value, direction: direction, warn: warn, critical: critical)
        }
    }

    // MARK: - Tasks

    /// Open and overdue tasks; every domain with a task appears, as in the SQL's grouping.
    private mutating func readTasks(_ db: Database) throws {
        try Raw.each(db, "SELECT model_id, created_at, closed_at, due_at FROM tasks", []) { row in
            guard let m = index[row.text(0)] else { return }
            guard let created = row.dayKey(1), let due = row.dayKey(3) else { throw NotComparable() }
            var closed: Int?
            if !row.isNull(2) {
                guard let c = row.dayKey(2) else { throw NotComparable() }
                closed = c
            }
            for (w, window) in windows.enumerated() {
                let open = created < window.next && (closed.map { $0 >= window.next } ?? true)
                touch(w, models[m].domain) { c in
                    if open { c.openTasks += 1 }
                    if open && due < window.asOf { c.overdueTasks += 1 }
                }
            }
        }
    }
}

/// A date as the integer YYYYMMDD: ordered as the dates are, so text comparisons of stored time
/// stamps with a date become integer comparisons of their leading date.
enum DayKey {
    static func of(_ d: Day) -> Int { let c = d.civil; return c.year * 10_000 + c.month * 100 + c.day }
    static func text(_ key: Int) -> String {
        let y = key / 10_000, m = key / 100 % 100, d = key % 100
        return (y < 1000 ? String(repeating: "0", count: 4 - String(y).count) : "") + "\(y)-\(m < 10 ? "0" : "")\(m)-\(d < 10 ? "0" : "")\(d)"
    }
    /// Whole days from one key to another (the julianday difference of the two dates).
    static func days(from a: Int, to b: Int) -> Int {
        func day(_ k: Int) -> Int { Day(year: k / 10_000, month: k / 100 % 100, day: k % 100)?.daysSinceEpoch ?? 0 }
        return day(b) - day(a)
    }

    /// The key of text starting with `YYYY-MM-DD` (and, when `exact`, nothing after it); nil otherwise.
    static func parse(_ bytes: UnsafePointer<UInt8>, count: Int, exact: Bool) -> Int? {
        guard count >= 10, !exact || count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
        var key = 0
        for i in [0, 1, 2, 3, 5, 6, 8, 9] {
            let c = bytes[i]
            guard c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") else { return nil }
            key = key * 10 + Int(c - UInt8(ascii: "0"))
        }
        // A time stamp's eleventh character is "T" or a space: anything else sorts differently from the date.
        if count > 10, bytes[10] != UInt8(ascii: "T"), bytes[10] != UInt8(ascii: " ") { return nil }
        return key
    }
}

/// Rows stepped through with SQLite's C interface: the sweep reads millions of observations, and
/// a row's columns are read here without making a GRDB `Row` each time.
private enum Raw {
    struct Columns {
        let handle: OpaquePointer
        func text(_ i: Int32) -> String {
            guard let p = sqlite3_column_text(handle, i) else { return "" }
            return String(cString: p)
        }
        func int(_ i: Int32) -> Int { Int(sqlite3_column_int64(handle, i)) }
        func double(_ i: Int32) -> Double { sqlite3_column_double(handle, i) }
        func isNull(_ i: Int32) -> Bool { sqlite3_column_type(handle, i) == SQLITE_NULL }
        func dayKey(_ i: Int32, exact: Bool = false) -> Int? {
            guard let p = sqlite3_column_text(handle, i) else { return nil }
            return DayKey.parse(p, count: Int(sqlite3_column_bytes(handle, i)), exact: exact)
        }
        /// Whether the column's text is `s`, without making a String of it.
        func equals(_ i: Int32, _ s: String) -> Bool {
            guard let p = sqlite3_column_text(handle, i) else { return false }
            let count = Int(sqlite3_column_bytes(handle, i))
            var s = s
            return s.withUTF8 { u in u.count == count && (count == 0 || memcmp(u.baseAddress!, p, count) == 0) }
        }
    }

    static func each(_ db: Database, _ sql: String, _ arguments: StatementArguments, _ body: (Columns) throws -> Void) throws {
        let statement = try db.cachedStatement(sql: sql)
        try statement.setArguments(arguments)
        let handle = statement.sqliteStatement
        defer { sqlite3_reset(handle) }
        while true {
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE { return }
            guard code == SQLITE_ROW else {
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)),
                                    sql: sql)
            }
            try body(Columns(handle: handle))
        }
    }
}
