import BinnacleCore
import Dispatch
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
/// Memory is a few bytes per model and date, and 16 per approved document: the big tables are folded
/// into counts as they are read, one date's value records into a few bytes a model, several dates' one
/// model at a time (in model order), the observations one monitor at a time. The work is shared by two
/// connections (see `run`).
///
/// Dates are compared by their leading `YYYY-MM-DD`, which is what SQL's text comparisons with a
/// date (`changed_at < :next`) amount to for the time stamps Binnacle stores. A row whose date is
/// not in that form (written around Binnacle) cannot be compared so: `counts` then returns nil and
/// the caller runs the SQL, which compares the text as it is.
struct KPISweep {
    /// One date of the sweep and the edges of its windows, as `DayKey`s (plain integers: the loops
    /// over rows copy them without any reference counting).
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

    /// A model as the sweep needs it (its id is in `index`, at the same position).
    struct Model {
        let domain: Int
        let created: Int
        let required: [DocumentKind]
    }

    private struct NotComparable: Error {}

    let windows: [Window]
    let domainFilter: String?
    private(set) var domains: [String] = []
    /// In the order of their ids (as SQLite orders text): sums are added model by model in this order.
    private var models: [Model] = []
    private var index = IdIndex([])
    /// Each model's position among every model's ids (one date's value records are read by those); nil when the same.
    private var positionInAll: [Int]?
    /// Per date (outer) and model: whether it is in production then (the rows the later passes look at).
    private var inProduction: [[Bool]] = []
    /// Models in production at one of the dates at least: the only ones whose documents and monitors matter.
    private var relevant: [Bool] = []
    /// Per date (outer) and domain, and whether the domain was touched at that date.
    private var counts: [[KPICounts]] = []
    private var touched: [[Bool]] = []
    /// When listing alerts (one date): each alert of the first date, with its model's position (in id order).
    private var listing = false
    private var alerts: [(model: Int, alert: Alert)] = []
    /// Each relevant model's monitors (read once the stages say which models are relevant).
    private var monitors: [[Monitor]] = []

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
        // Ordered as SQLite orders text (by bytes): the models' positions are in that order.
        let alerts = sweep.alerts.sorted { a, b in
            let (rankA, rankB) = (rank(a.alert), rank(b.alert))
            if rankA != rankB { return rankA < rankB }
            if a.model != b.model { return a.model < b.model }
            return (a.alert.metric ?? "").utf8.lexicographicallyPrecedes((b.alert.metric ?? "").utf8)
        }.map(\.alert)
        let counts = zip(sweep.counts, sweep.touched).map { byDomain, touched in
            Dictionary(uniqueKeysWithValues: byDomain.indices.filter { touched[$0] }.map { (sweep.domains[$0], byDomain[$0]) })
        }
        return (counts, alerts)
    }

    /// Two lanes, this connection and a second one beside it (`Beside`), share the work once the models'
    /// ids are read: the second reads the value records (one date's need only the ids; several dates' are
    /// read once the stages are known) and the approved documents, while this one reads the models, their
    /// stages and the tasks; then both seek the monitors of production models (which need the stages), a
    /// run of models at a time (`MonitorClaims`), so that they end together. Each lane counts into a
    /// cleared copy of the sweep (`lane()`), added once both are done.
    private mutating func run(_ db: Database) throws {
        let all = try KPISweep.readIds(db)
        let windows = windows, staged = Handoff<(lane: KPISweep, claims: MonitorClaims)>()
        let beside = Beside(db) { other in
            // One date: its year of records read at once (a few bytes a model); several: read once the stages are known.
            let oneDate = windows.count == 1 ? try KPISweep.readValueSums(other, ids: all, window: windows[0]) : nil
            let approved = try KPISweep.readApproved(other, ids: all)
            guard let handed = staged.wait() else { throw CancellationError() }
            var lane = handed.lane
            if let oneDate { try lane.addValue(oneDate) } else { try lane.readValue(other) }
            try lane.addDocuments(approved)
            try lane.seekMonitors(other, claims: handed.claims, beside: true)
            return lane
        }
        var claims: MonitorClaims?, done = false
        // Whatever happens here, the other lane is let go of its wait and waited for (it reads in this transaction);
        // when this lane failed (an interrupt, a date it cannot compare), the other stops at once rather than finish.
        defer {
            staged.give(nil)
            if !done {
                claims?.close()
                beside.cancel()
            }
            _ = beside.wait()
        }
        try readModels(db, all: all)
        counts = Array(repeating: Array(repeating: KPICounts(), count: domains.count), count: windows.count)
        touched = Array(repeating: Array(repeating: false, count: domains.count), count: windows.count)
        try readStages(db)
        try readMonitors(db)
        let shared = MonitorClaims(models: models.count)
        claims = shared
        staged.give((lane(), shared))
        try readTasks(db)
        var mine = lane()
        try mine.seekMonitors(db, claims: shared, beside: false)
        if let theirs = beside.wait() {
            add(lane: mine)
            add(lane: theirs)
            done = true
            return
        }
        // No second connection (this lane has sought every monitor), or its work failed: its value records and
        // documents are read here, and the runs of monitors it took (lost with it) are sought again.
        if windows.count == 1 { try addValue(try KPISweep.readValueSums(db, ids: all, window: windows[0])) } else { try readValue(db) }
        try addDocuments(try KPISweep.readApproved(db, ids: all))
        var theirs = lane()
        try theirs.seekMonitors(db, claims: MonitorClaims(runs: shared.takenBeside), beside: false)
        add(lane: mine)
        add(lane: theirs)
        done = true
    }

    /// A copy of the sweep with no counts and no alerts: a lane's value records, documents and monitors are counted into it.
    private func lane() -> KPISweep {
        var copy = self
        copy.counts = counts.map { $0.map { _ in KPICounts() } }
        copy.touched = touched.map { $0.map { _ in false } }
        copy.alerts = []
        return copy
    }

    /// The counts and alerts a lane found (see `run`). The value sums are one lane's alone (the other's stay +0),
    /// so adding them is exact; the rest are whole numbers.
    private mutating func add(lane other: KPISweep) {
        for w in windows.indices {
            for d in domains.indices where other.touched[w][d] {
                touch(w, d) { $0 = $0 + other.counts[w][d] }
            }
        }
        alerts += other.alerts
    }

    /// The counts of `domain` at the date of window `w`, created when first touched (as a domain
    /// appears in the SQL's results as soon as one of its statements returns a row for it).
    private mutating func touch(_ w: Int, _ domain: Int, _ change: (inout KPICounts) -> Void) {
        touched[w][domain] = true
        change(&counts[w][domain])
    }

    // MARK: - Models and stages

    /// Every model's id, in order, from the primary key's index.
    private static func readIds(_ db: Database) throws -> IdIndex {
        // The ids' bytes one after another (not a String each).
        var bytes: [UInt8] = [], ends: [Int] = []
        try Raw.each(db, "SELECT id FROM models ORDER BY id", []) { row in
            if let (p, count) = row.bytes(0) { bytes.append(contentsOf: UnsafeBufferPointer(start: p, count: count)) }
            ends.append(bytes.count)
        }
        return IdIndex(bytes: bytes, ends: ends)
    }

    /// The models in the order of their ids (`all`), the rest from one scan of the table in its own order
    /// (its rows are not in id order, and reading them through the index costs one look-up per model).
    private mutating func readModels(_ db: Database, all: IdIndex) throws {
        var found = [Model?](repeating: nil, count: all.count)
        var domainIndex: [String: Int] = [:]
        // The last row's domain, found again without making a String of it (rows of a domain often come together).
        var last: (bytes: [UInt8], index: Int)?
        try Raw.each(db, "SELECT id, domain, kind, risk_tier, created_at FROM models", []) { row in
            guard let p = row.find(0, in: all) else { return }
            if let only = domainFilter, !row.equals(1, only) { return }
            let d: Int
            if let last, row.compare(1, last.bytes) == 0 {
                d = last.index
            } else {
                let domain = row.text(1)
                d = domainIndex[domain] ?? { domainIndex[domain] = domains.count; domains.append(domain); return domains.count - 1 }()
                last = (Array(domain.utf8), d)
            }
            guard let created = row.dayKey(4), let tier = RiskTier(rawValue: row.int(3)) else { throw NotComparable() }
            let kind = row.member(2, of: KPISweep.modelKinds) ?? .other
            found[p] = Model(domain: d, created: created, required: KPISweep.required[tier]![kind]!)
        }
        let kept = found.indices.filter { found[$0] != nil }
        models = kept.map { found[$0]! }
        index = kept.count == all.count ? all : IdIndex(kept.map { all.id($0) })
        positionInAll = kept.count == all.count ? nil : kept
    }

    /// One stage change: its model, date, stage and row, and where its time stamp's text is in `Stamps`.
    private struct Change {
        let model: Int32
        let at: Int32
        let stage: Stage
        let row: Int64
        let stamp: Range<Int32>
    }

    /// The stage changes' time stamps one after another (one buffer, not a String each).
    private struct Stamps {
        var bytes: [UInt8] = [0]
        mutating func append(_ p: UnsafePointer<UInt8>, _ count: Int) -> Range<Int32> {
            let start = Int32(bytes.count)
            bytes.append(contentsOf: UnsafeBufferPointer(start: p, count: count))
            return start..<Int32(bytes.count)
        }
        /// Whether `a` comes before `b` in the order "stage at D" takes them: time stamp (as SQLite orders text), then row.
        func precedes(_ a: Change, _ b: Change) -> Bool {
            bytes.withUnsafeBufferPointer { buffer in
                let base = buffer.baseAddress!, n = min(a.stamp.count, b.stamp.count)
                let c = n == 0 ? 0 : memcmp(base + Int(a.stamp.lowerBound), base + Int(b.stamp.lowerBound), n)
                if c != 0 { return c < 0 }
                return a.stamp.count != b.stamp.count ? a.stamp.count < b.stamp.count : a.row < b.row
            }
        }
    }

    /// Stage at each date, built, shelved and days to first production, from each model's changes
    /// in the order "stage at D" takes them (time stamp, then row).
    private mutating func readStages(_ db: Database) throws {
        inProduction = Array(repeating: Array(repeating: false, count: models.count), count: windows.count)
        var all: [Change] = []
        var stamps = Stamps()
        let ids = index   // read in the closure without reference counting through `self` each row
        try Raw.each(db, "SELECT model_id, stage, changed_at, id FROM stage_changes", []) { row in
            guard let m = row.find(0, in: ids) else { return }
            guard let at = row.dayKey(2), let stage = row.member(1, of: KPISweep.stages), let stamp = row.bytes(2) else { throw NotComparable() }
            all.append(Change(model: Int32(m), at: Int32(at), stage: stage, row: row.int64(3), stamp: stamps.append(stamp.0, stamp.1)))
        }
        let byModel = Grouping(all.lazy.map { Int($0.model) }, groups: models.count)
        var changes: [Change] = []
        for (m, model) in models.enumerated() {
            changes.removeAll(keepingCapacity: true)
            for i in byModel.members(m) { changes.append(all[i]) }
            if !zip(changes, changes.dropFirst()).allSatisfy({ stamps.precedes($0, $1) }) { changes.sort(by: stamps.precedes) }
            // Dates ascend with the time stamps' text, so the changes dated on or before D come first.
            let firstProduction = changes.lazy.filter { $0.stage == .production }.map { Int($0.at) }.min()
            let firstBuilt = changes.lazy.filter { Stage.built.contains($0.stage) }.map { Int($0.at) }.min()
            for (w, window) in windows.enumerated() where model.created < window.next {
                var stage = Stage.idea
                for change in changes {
                    guard change.at < window.next else { break }
                    stage = change.stage
                }
                inProduction[w][m] = stage == .production
                let built = firstBuilt.map { $0 < window.next } ?? false
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
        relevant = (0..<models.count).map { m in windows.indices.contains { inProduction[$0][m] } }
    }

    // MARK: - Value

    /// One date's value records (its 12-month window), by the position of their model's id in `ids` (every
    /// model's): each model's sums, kept as the rows go by along the index by date (which holds every column
    /// needed, so no sort), a few bytes a model; added once the stages are known (`addValue`).
    private static func readValueSums(_ db: Database, ids: IdIndex, window: Window) throws -> [ValueSums] {
        let sql = "SELECT model_id, date, value, cost FROM value_records WHERE date BETWEEN ?1 AND ?2 ORDER BY date"
        var byModel = Array(repeating: ValueSums(), count: ids.count)
        try Raw.each(db, sql, [DayKey.text(window.yearFrom), DayKey.text(window.asOf)]) { row in
            guard let m = row.find(0, in: ids) else { return }
            // Not thrown here: the model may be another domain's, which the sweep does not count (see `addValue`).
            guard let date = row.dayKey(1, exact: true) else { byModel[m].comparable = false; return }
            byModel[m].add(date: date, value: row.double(2), cost: row.double(3), in: window)
        }
        return byModel
    }

    /// The sums `readValueSums` kept, into the counts, model by model in id order.
    private mutating func addValue(_ byModel: [ValueSums]) throws {
        for m in models.indices {
            let sums = byModel[positionInAll?[m] ?? m]
            guard sums.comparable else { throw NotComparable() }
            addValue(of: m, [sums])
        }
    }

    /// Several dates' value records (the widest window), each model's in date order from the index by model
    /// (which holds every column needed: schema 4), added up model by model as they go by: none is held.
    /// `CROSS JOIN` keeps the models outside: one range of the index per model in id order, so no sort and
    /// only the window's records, however long the history (the planner would take the index by date and sort).
    private mutating func readValue(_ db: Database) throws {
        guard let from = windows.map(\.yearFrom).min(), let to = windows.map(\.asOf).max() else { return }
        let sql = """
            SELECT v.model_id, v.date, v.value, v.cost FROM models m CROSS JOIN value_records v ON v.model_id = m.id
            WHERE v.date BETWEEN ?1 AND ?2 ORDER BY m.id, v.date, v.value, v.cost
            """
        let ids = index, windows = windows
        var current: Int?   // the model whose records are going by, when it is one of the sweep's
        var sums = Array(repeating: ValueSums(), count: windows.count)
        try Raw.each(db, sql, [DayKey.text(from), DayKey.text(to)]) { row in
            if current.map({ !row.isId(0, $0, in: ids) }) ?? true {
                if let done = current { addValue(of: done, sums) }
                current = row.find(0, in: ids)
                for w in windows.indices { sums[w] = ValueSums() }
            }
            guard current != nil else { return }   // another domain's model, or no model's
            guard let date = row.dayKey(1, exact: true) else { throw NotComparable() }
            let value = row.double(2), cost = row.double(3)
            for w in windows.indices { sums[w].add(date: date, value: value, cost: cost, in: windows[w]) }
        }
        if let done = current { addValue(of: done, sums) }
    }

    /// One model's sums at each date into its domain's counts (a domain is touched by a model with records in the window).
    private mutating func addValue(of m: Int, _ sums: [ValueSums]) {
        for (w, s) in sums.enumerated() where s.year > 0 {
            let impact = inProduction[w][m] && Impact.holds(value90d: s.value90)
            touch(w, models[m].domain) { c in
                c.value12m += s.value
                c.cost12m += s.cost
                c.valueRecords12m += s.year
                c.valueRecords90d += s.recent
                if impact { c.productionWithImpact += 1 }
            }
        }
    }

    /// A model's value and cost in a date's 12-month window, and its value in the 90-day window.
    private struct ValueSums {
        var value = 0.0, cost = 0.0, value90 = 0.0
        var year = 0, recent = 0
        /// False when one of the model's records has a date not in the stored form (see `counts`).
        var comparable = true
        mutating func add(date: Int, value v: Double, cost c: Double, in window: Window) {
            guard date >= window.yearFrom && date <= window.asOf else { return }
            value += v
            cost += c
            year += 1
            if date >= window.impactFrom {
                recent += 1
                value90 += v
            }
        }
    }

    // MARK: - Documents

    /// One approved document: its kind, approval date and expiry (`never` when it has none), as `DayKey`s.
    private struct Approval {
        static let never = Int32.max
        let kind: DocumentKind
        let at: Int32, expires: Int32
    }

    /// The approved documents of every model (by the position of its id in `ids`), each model's together:
    /// 16 bytes a document and 8 a model. And the models with one dated in another form (see `counts`; it
    /// matters only for a model the sweep counts).
    private struct Approved {
        var documents: [Approval]
        var byModel: Grouping
        var notComparable: Set<Int>
    }

    private static func readApproved(_ db: Database, ids: IdIndex) throws -> Approved {
        var read: [Approval] = [], model: [Int32] = [], notComparable = Set<Int>()
        try Raw.each(db, "SELECT model_id, kind, approved_at, expires_at FROM documents WHERE approved_at IS NOT NULL", []) { row in
            guard let m = row.find(0, in: ids) else { return }
            guard let kind = row.member(1, of: KPISweep.documentKinds), let at = row.dayKey(2) else { notComparable.insert(m); return }
            var expires = Approval.never
            if !row.isNull(3) {
                guard let e = row.dayKey(3) else { notComparable.insert(m); return }
                expires = Int32(e)
            }
            read.append(Approval(kind: kind, at: Int32(at), expires: expires))
            model.append(Int32(m))
        }
        return Approved(documents: read, byModel: Grouping(model.lazy.map { Int($0) }, groups: ids.count), notComparable: notComparable)
    }

    /// Production models whose every required document is current at the date.
    private mutating func addDocuments(_ approved: Approved) throws {
        if !approved.notComparable.isEmpty,
           models.indices.contains(where: { relevant[$0] && approved.notComparable.contains(positionInAll?[$0] ?? $0) }) {
            throw NotComparable()
        }
        for (w, window) in windows.enumerated() {
            let next = Int32(window.next)
            for (m, model) in models.enumerated() where inProduction[w][m] {
                let documents = approved.byModel.members(positionInAll?[m] ?? m)
                let complete = model.required.allSatisfy { kind in
                    documents.contains { i in
                        let d = approved.documents[i]
                        return d.kind == kind && d.at < next && d.expires >= next
                    }
                }
                if complete { touch(w, model.domain) { $0.productionDocsComplete += 1 } }
            }
        }
    }

    // MARK: - Monitoring

    /// The monitors of the models in production at one of the dates at least.
    private mutating func readMonitors(_ db: Database) throws {
        var found: [[Monitor]] = Array(repeating: [], count: models.count)
        let ids = index, relevant = relevant
        try Raw.each(db, "SELECT model_id, metric, direction, warn, critical FROM monitors", []) { row in
            guard let m = row.find(0, in: ids), relevant[m] else { return }
            found[m].append(Monitor(metric: row.text(1), direction: row.text(2) == "above" ? .above : .below, warn: row.double(3), critical: row.double(4)))
        }
        monitors = found
    }

    /// Alerts of production models: each monitor's latest observation dated on or before D (the SQL's
    /// MAX(observed_at) < D+1), stale when it is older than the 14-day window or missing. Each is one
    /// seek down the primary key (model_id, metric, observed_at) from D+1 backwards, compared as SQL
    /// compares the text; only production models' monitors are visited, at the dates they are in
    /// production, for the runs of models this lane takes from `claims`.
    private mutating func seekMonitors(_ db: Database, claims: MonitorClaims, beside: Bool) throws {
        let freshFroms = windows.map { Array(DayKey.text($0.freshFrom).utf8) }
        // One statement runs a monitor's seeks for a batch of dates (each a MAX, which SQLite answers
        // with one seek, and its bare `value` from that row): one execution per monitor, not per date.
        let batches = stride(from: 0, to: windows.count, by: KPISweep.seeksPerStatement).map { first in
            first..<min(first + KPISweep.seeksPerStatement, windows.count)
        }
        // Only the dates a model is in production at are sought (a model that entered production during
        // the trend's year is not sought before): one statement per batch and set of its dates, made
        // when first needed (a handful: models mostly stay in production once there).
        var statements = Array(repeating: [UInt64: Raw.Reused](), count: batches.count)
        func seeks(_ b: Int, _ dates: UInt64) throws -> Raw.Reused {
            if let made = statements[b][dates] { return made }
            let sought = batches[b].filter { dates & (1 << UInt64($0 - batches[b].lowerBound)) != 0 }
            let latest = try Raw.Reused(db, sought.enumerated().map { i, w in
                "SELECT \(w), MAX(observed_at), value FROM observations WHERE model_id = ?1 AND metric = ?2 AND observed_at < ?\(i + 3)"
            }.joined(separator: " UNION ALL "))
            for (i, w) in sought.enumerated() { latest.bind(Int32(i + 3), DayKey.text(windows[w].next)) }
            statements[b][dates] = latest
            return latest
        }
        while let run = claims.take(beside: beside) {
            for m in run where relevant[m] {
                let model = models[m]
                let modelId = index.id(m)
                // Per date: this model's monitors critical, warning, and with a value in the window (the rest are stale).
                var tally = Array(repeating: (critical: 0, warning: 0, fresh: 0), count: windows.count)
                // When listing: the metrics with a value in the first date's window, and the latest time stamp of each without.
                var fresh: [String] = []
                var lastAt: [String: String] = [:]
                for (b, batch) in batches.enumerated() {
                    let dates = batch.reduce(UInt64(0)) { set, w in inProduction[w][m] ? set | 1 << UInt64(w - batch.lowerBound) : set }
                    guard dates != 0 else { continue }
                    let latest = try seeks(b, dates)
                    latest.bind(1, modelId)
                    for monitor in monitors[m] {
                        latest.bind(2, monitor.metric)
                        // A row per date of the batch: the latest time stamp before D+1 (NULL when none) and its value.
                        while let row = try latest.step() {
                            let w = row.int(0)
                            guard inProduction[w][m], !row.isNull(1) else { continue }
                            guard row.compare(1, freshFroms[w]) >= 0 else {
                                // Too old: the stale alert shows when it was (a fresh one's time stamp is not needed).
                                if listing, w == 0 { lastAt[monitor.metric] = row.text(1) }
                                continue
                            }
                            let value = row.double(2)
                            tally[w].fresh += 1
                            let state = monitor.state(value)
                            if state == .critical { tally[w].critical += 1 }
                            if state == .warning { tally[w].warning += 1 }
                            guard listing, w == 0 else { continue }
                            fresh.append(monitor.metric)
                            if let state {
                                alerts.append((m, Alert(modelId: modelId, severity: state, reason: .threshold, metric: monitor.metric, value: value,
                                                    threshold: state == .critical ? monitor.critical : monitor.warn,
                                                    observedAt: Timestamp(storedText: row.text(1)))))
                            }
                        }
                    }
                }
                for w in windows.indices where inProduction[w][m] {
                    let t = tally[w]
                    let stale = t.fresh < monitors[m].count
                    // A production model with no monitor at all counts one warning (unmonitored).
                    let unmonitored = monitors[m].isEmpty
                    if listing, w == 0 {
                        if unmonitored { alerts.append((m, Alert(modelId: modelId, severity: .warning, reason: .unmonitored))) }
                        if stale {
                            // One stale alert: for the first metric (by name) without a value in the window.
                            let metric = monitors[m].map(\.metric).filter { !fresh.contains($0) }.min { $0.utf8.lexicographicallyPrecedes($1.utf8) }
                            alerts.append((m, Alert(modelId: modelId, severity: .warning, reason: .stale, metric: metric,
                                                observedAt: metric.flatMap { lastAt[$0] }.map(Timestamp.init(storedText:)))))
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
    }

    /// The kinds of document each tier and kind of model requires, one array each (shared by the models).
    static let required = Dictionary(uniqueKeysWithValues: RiskTier.allCases.map { tier in
        (tier, Dictionary(uniqueKeysWithValues: ModelKind.allCases.map { ($0, RequiredDocuments.kinds(tier: tier, kind: $0)) }))
    })

    /// The names of the kinds the rows hold, as bytes: a row's is found without making a String of it.
    static let modelKinds = Names<ModelKind>(), stages = Names<Stage>(), documentKinds = Names<DocumentKind>()

    /// Dates whose seeks one statement runs (SQLite allows 500 terms in a compound SELECT).
    static let seeksPerStatement = 64

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
        let ids = index
        try Raw.each(db, "SELECT model_id, created_at, closed_at, due_at FROM tasks", []) { row in
            guard let m = row.find(0, in: ids) else { return }
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

/// Work on a second, read-only connection beside the caller's, on another thread (`SnapshotWorker`), while the
/// caller goes on with its own: the sweep's second core. `wait` returns nil when there is no such connection (WAL
/// mode, a file replaced at the path, a waiting writer, a database without a file) or the work failed on it: the
/// caller then does the work itself.
final class Beside<T>: @unchecked Sendable {
    // Unchecked: `result` is written on the worker's thread only, and read after `join` has waited for it.
    private var result: T?
    private var worker: SnapshotWorker?
    /// What `wait` found, once it has waited.
    private var outcome: T??

    init(_ db: Database, _ work: @escaping (Database) throws -> T) {
        nonisolated(unsafe) let work = work
        worker = try? SnapshotWorker(beside: db) { [self] db in result = try work(db) }
    }

    /// Stops the work's reads (the caller's side has failed; see `SnapshotWorker.cancel`): `wait` then returns nil.
    func cancel() { worker?.cancel() }

    /// The work's result once it is done; nil when it failed.
    func wait() -> T? {
        if let outcome { return outcome }
        let found = worker.flatMap { (try? $0.join()) != nil ? result : nil }
        outcome = .some(found)
        return found
    }
}

/// A value one lane of the sweep gives another once, waited for there; nil when the giver failed before it had it.
final class Handoff<T>: @unchecked Sendable {
    // Unchecked: `value` is written before `ready` is signalled, and read only after it is waited for.
    private let ready = DispatchSemaphore(value: 0)
    private var value: T?
    private var given = false   // read and written by the giver's thread only

    /// The first call gives; later ones do nothing.
    func give(_ v: T?) {
        guard !given else { return }
        given = true
        value = v
        ready.signal()
    }

    func wait() -> T? {
        ready.wait()
        ready.signal()   // for a later wait
        return value
    }
}

/// The models whose monitors the sweep's lanes seek, handed out a run at a time: each lane takes the next
/// run when done with its last, so the lanes end together whichever started first. The runs the second lane
/// took are kept: if it fails, they are sought again on the first.
final class MonitorClaims: @unchecked Sendable {
    // Unchecked: `next` and `besides` are read and written under `lock` only.
    private let lock = NSLock()
    private let runs: [Range<Int>]
    private var next = 0
    private var besides: [Range<Int>] = []
    /// A fraction of a millisecond of seeks: fine enough to end together, coarse enough that the lock costs nothing.
    static let run = 256

    /// Every model, `run` at a time.
    convenience init(models count: Int) {
        self.init(runs: stride(from: 0, to: count, by: MonitorClaims.run).map { $0..<min($0 + MonitorClaims.run, count) })
    }

    init(runs: [Range<Int>]) { self.runs = runs }

    /// The next run, nil when none is left; `beside`: for the second lane.
    func take(beside: Bool) -> Range<Int>? {
        lock.withLock {
            guard next < runs.count else { return nil }
            let taken = runs[next]
            next += 1
            if beside { besides.append(taken) }
            return taken
        }
    }

    /// No more runs are handed out (a lane has failed: the sweep is over).
    func close() { lock.withLock { next = runs.count } }

    /// The runs the second lane took.
    var takenBeside: [Range<Int>] { lock.withLock { besides } }
}

/// The cases of an enum by the UTF-8 bytes of their raw values.
struct Names<E: CaseIterable & RawRepresentable & Sendable>: Sendable where E.RawValue == String {
    let cases: [(value: E, bytes: [UInt8])] = E.allCases.map { ($0, Array($0.rawValue.utf8)) }
}

/// Rows put in groups (a counting sort): each group's rows in the order they were read.
private struct Grouping {
    private var starts: [Int]
    private var order: [Int32]

    init<S: Sequence>(_ groupOfRow: S, groups: Int) where S.Element == Int {
        starts = Array(repeating: 0, count: groups + 1)
        var count = 0
        for g in groupOfRow { starts[g + 1] += 1; count += 1 }
        for g in 0..<groups { starts[g + 1] += starts[g] }
        var next = starts
        order = Array(repeating: 0, count: count)
        for (row, g) in groupOfRow.enumerated() {
            order[next[g]] = Int32(row)
            next[g] += 1
        }
    }

    /// The rows of group `g`, in the order they were read.
    func members(_ g: Int) -> LazyMapSequence<ArraySlice<Int32>, Int> { order[starts[g]..<starts[g + 1]].lazy.map { Int($0) } }
}

/// Ids found by the bytes of a row's text, without making a String of each row's id: an open-addressing
/// hash table over the ids' UTF-8 bytes, compared byte for byte (as SQLite compares text).
struct IdIndex {
    /// The ids one after another, after one byte that is no id's (so the buffer is never empty).
    private var bytes: [UInt8] = [0]
    private var ends: [Int] = [1]
    private var slots: [Int32]
    private let mask: Int

    init(_ ids: [String]) {
        var bytes: [UInt8] = [], ends: [Int] = []
        for id in ids {
            bytes.append(contentsOf: id.utf8)
            ends.append(bytes.count)
        }
        self.init(bytes: bytes, ends: ends)
    }

    /// The ids spelled by `bytes`, the i-th ending at `ends[i]` (where the next begins).
    init(bytes ids: [UInt8], ends idEnds: [Int]) {
        var size = 16
        while size < idEnds.count * 2 { size <<= 1 }
        mask = size - 1
        slots = Array(repeating: -1, count: size)
        bytes.reserveCapacity(ids.count + 1)
        bytes.append(contentsOf: ids)
        ends.reserveCapacity(idEnds.count + 1)
        ends.append(contentsOf: idEnds.lazy.map { $0 + 1 })
        for i in idEnds.indices {
            let found = bytes.withUnsafeBufferPointer { b in
                let start = ends[i], key = UnsafeBufferPointer(rebasing: b[start..<ends[i + 1]])
                return slot(b.baseAddress! + start, key.count, in: b)
            }
            if slots[found.slot] < 0 { slots[found.slot] = Int32(i) }   // a repeated id keeps its first position
        }
    }

    /// How many ids there are.
    var count: Int { ends.count - 1 }

    /// The id at `position`.
    func id(_ position: Int) -> String { String(decoding: bytes[ends[position]..<ends[position + 1]], as: UTF8.self) }

    /// Whether the id at `position` is spelled by the `count` bytes at `p`.
    func isId(_ position: Int, _ p: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        let start = ends[position]
        guard ends[position + 1] - start == count else { return false }
        return bytes.withUnsafeBufferPointer { b in count == 0 || memcmp(b.baseAddress! + start, p, count) == 0 }
    }

    /// The position of the id spelled by `count` bytes at `p`, if it is one.
    func find(_ p: UnsafePointer<UInt8>, _ count: Int) -> Int? {
        bytes.withUnsafeBufferPointer { b in slot(p, count, in: b).position }
    }

    private func slot(_ p: UnsafePointer<UInt8>, _ count: Int, in b: UnsafeBufferPointer<UInt8>) -> (slot: Int, position: Int?) {
        var s = Int(truncatingIfNeeded: IdIndex.hash(p, count)) & mask
        while true {
            let position = Int(slots[s])
            if position < 0 { return (s, nil) }
            let start = ends[position], length = ends[position + 1] - start
            if length == count, count == 0 || memcmp(b.baseAddress! + start, p, count) == 0 { return (s, position) }
            s = (s + 1) & mask
        }
    }
}

extension IdIndex {
    /// A hash of `count` bytes at `p`, eight at a time (a byte at a time took an eighth of a sweep:
    /// every row of the big tables is looked up by its model's id, some 30 bytes).
    @inline(__always)
    static func hash(_ p: UnsafePointer<UInt8>, _ count: Int) -> UInt64 {
        let raw = UnsafeRawPointer(p)
        var hash = 0x9e37_79b9_7f4a_7c15 ^ UInt64(truncatingIfNeeded: count)
        var i = 0
        while i + 8 <= count {
            hash = (hash ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xbf58_476d_1ce4_e5b9
            hash ^= hash >> 31
            i += 8
        }
        var tail: UInt64 = 0
        for j in i..<count { tail |= UInt64(p[j]) << (8 * UInt64(j - i)) }
        hash = (hash ^ tail) &* 0x94d0_49bb_1331_11eb
        return hash ^ (hash >> 29)
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
enum Raw {
    struct Columns {
        let handle: OpaquePointer
        func text(_ i: Int32) -> String {
            guard let p = sqlite3_column_text(handle, i) else { return "" }
            return String(cString: p)
        }
        func int(_ i: Int32) -> Int { Int(sqlite3_column_int64(handle, i)) }
        func int64(_ i: Int32) -> Int64 { sqlite3_column_int64(handle, i) }
        func double(_ i: Int32) -> Double { sqlite3_column_double(handle, i) }
        func isNull(_ i: Int32) -> Bool { sqlite3_column_type(handle, i) == SQLITE_NULL }
        func dayKey(_ i: Int32, exact: Bool = false) -> Int? {
            guard let p = sqlite3_column_text(handle, i) else { return nil }
            return DayKey.parse(p, count: Int(sqlite3_column_bytes(handle, i)), exact: exact)
        }
        /// The column's text as bytes (valid until the next step), nil when NULL.
        func bytes(_ i: Int32) -> (UnsafePointer<UInt8>, Int)? {
            guard let p = sqlite3_column_text(handle, i) else { return nil }
            return (p, Int(sqlite3_column_bytes(handle, i)))
        }
        /// The position in `index` of the column's text, without making a String of it.
        func find(_ i: Int32, in index: IdIndex) -> Int? {
            guard let p = sqlite3_column_text(handle, i) else { return nil }
            return index.find(p, Int(sqlite3_column_bytes(handle, i)))
        }
        /// Whether the column's text is the id at `position` in `index`.
        func isId(_ i: Int32, _ position: Int, in index: IdIndex) -> Bool {
            guard let p = sqlite3_column_text(handle, i) else { return false }
            return index.isId(position, p, Int(sqlite3_column_bytes(handle, i)))
        }
        /// The column's text compared with `bytes` as SQLite's BINARY collation compares text (<0, 0, >0).
        func compare(_ i: Int32, _ bytes: [UInt8]) -> Int {
            let p = sqlite3_column_text(handle, i)
            let count = Int(sqlite3_column_bytes(handle, i))
            return bytes.withUnsafeBufferPointer { b in
                let shared = min(count, b.count)
                let c = shared == 0 ? 0 : Int(memcmp(p!, b.baseAddress!, shared))
                return c != 0 ? c : count - b.count
            }
        }
        /// The case of `E` whose raw value is the column's text (compared byte for byte), if any.
        func member<E>(_ i: Int32, of names: Names<E>) -> E? {
            guard let p = sqlite3_column_text(handle, i) else { return nil }
            let count = Int(sqlite3_column_bytes(handle, i))
            return names.cases.first { $0.bytes.count == count && (count == 0 || memcmp($0.bytes, p, count) == 0) }?.value
        }
        /// Whether the column's text is `s`, without making a String of it.
        func equals(_ i: Int32, _ s: String) -> Bool {
            guard let p = sqlite3_column_text(handle, i) else { return false }
            let count = Int(sqlite3_column_bytes(handle, i))
            var s = s
            return s.withUTF8 { u in u.count == count && (count == 0 || memcmp(u.baseAddress!, p, count) == 0) }
        }
    }

    /// A statement run many times with other parameters (bound directly: no `StatementArguments` each time).
    final class Reused {
        private let statement: Statement
        private var handle: OpaquePointer { statement.sqliteStatement }
        private let sql: String
        private let db: Database
        private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

        init(_ db: Database, _ sql: String) throws {
            self.db = db
            self.sql = sql
            statement = try db.makeStatement(sql: sql)
        }

        func bind(_ i: Int32, _ text: String) {
            var text = text
            text.withUTF8 { u in
                u.withMemoryRebound(to: CChar.self) { c in
                    if let p = c.baseAddress, c.count > 0 { _ = sqlite3_bind_text(handle, i, p, Int32(c.count), Reused.transient) }
                    else { _ = sqlite3_bind_text(handle, i, "", 0, nil) }
                }
            }
        }

        /// The next row, or nil when there is none left (the statement is then reset, ready to run again).
        func step() throws -> Columns? {
            let code = sqlite3_step(handle)
            if code == SQLITE_ROW { return Columns(handle: handle) }
            sqlite3_reset(handle)
            guard code == SQLITE_DONE else {
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)), sql: sql)
            }
            return nil
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
