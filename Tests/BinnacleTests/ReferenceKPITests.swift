import BinnacleBundle
import BinnacleCore
import BinnacleStore
import Foundation
import Testing

/// Collects a bundle's records in memory.
struct CollectingSink: BundleSink {
    var records: [BundleRecord] = []
    mutating func accept(_ record: BundleRecord) throws { records.append(record) }
}

/// PRODUCT.md's KPI definitions, computed naively in memory from the bundle's records: an
/// independent reference for the SQL. Slow and obvious on purpose.
struct ReferenceKPIs {
    var models: [Model] = []
    var stages: [(row: Int, change: StageChange)] = []
    var values: [ValueRecord] = []
    var documents: [Document] = []
    var monitors: [Monitor] = []
    var observations: [Observation] = []
    var tasks: [RemediationTask] = []

    init(_ records: [BundleRecord]) {
        for r in records {
            switch r {
            case .model(let m): models.append(m)
            case .stage(let s): stages.append((stages.count, s))
            case .value(let v): values.append(v)
            case .document(let d): documents.append(d)
            case .monitor(let m): monitors.append(m)
            case .observation(let o): observations.append(o)
            case .task(let t): tasks.append(t)
            default: break
            }
        }
    }

    func inWindow(_ d: Day, _ asOf: Day, _ days: Int) -> Bool { d >= asOf.windowStart(days: days) && d <= asOf }

    func stage(of m: Model, at d: Day) -> Stage {
        let changes = stages.filter { $0.change.modelId == m.id && $0.change.changedAt.day <= d }
            .sorted { ($0.change.changedAt, $0.row) < ($1.change.changedAt, $1.row) }
        return changes.last?.change.stage ?? .idea
    }

    func counts(asOf d: Day, models subset: [Model]) -> KPICounts {
        var c = KPICounts()
        let ids = Set(subset.map(\.id))
        for m in subset where m.createdAt.day <= d {
            c.existingModels += 1
            let stage = stage(of: m, at: d)
            let built = stages.contains { $0.change.modelId == m.id && $0.change.changedAt.day <= d && Stage.built.contains($0.change.stage) }
            if built { c.builtModels += 1 }
            if stage == .shelved { c.shelvedModels += 1 }
            guard stage == .production else { continue }
            c.productionModels += 1
            let value90 = values.filter { $0.modelId == m.id && inWindow($0.date, d, 90) }.reduce(0) { $0 + $1.value }
            if value90 > 0 { c.productionWithImpact += 1 }
            let complete = RequiredDocuments.kinds(tier: m.riskTier, kind: m.kind).allSatisfy { kind in
                documents.contains { doc in
                    doc.modelId == m.id && doc.kind == kind && (doc.approvedAt.map { $0.day <= d } ?? false)
                        && (doc.expiresAt.map { $0.day > d } ?? true)
                }
            }
            if complete { c.productionDocsComplete += 1 }
            let mine = monitors.filter { $0.modelId == m.id }
            if mine.isEmpty { c.alertsWarning += 1; continue }
            var stale = false, critical = 0
            for mo in mine {
                let latest = observations.filter { $0.modelId == m.id && $0.metric == mo.metric && $0.observedAt.day <= d }
                    .max { $0.observedAt < $1.observedAt }
                guard let latest, inWindow(latest.observedAt.day, d, 14) else { stale = true; continue }
                let v = latest.value
                let isCritical = mo.direction == .above ? v >= mo.critical : v <= mo.critical
                let isWarning = mo.direction == .above ? v >= mo.warn : v <= mo.warn
                if isCritical { critical += 1 } else if isWarning { c.alertsWarning += 1 }
            }
            if stale { c.alertsWarning += 1 }
            c.alertsCritical += critical
            if critical > 0 { c.modelsWithCritical += 1 }
        }
        for v in values where ids.contains(v.modelId) && inWindow(v.date, d, 365) {
            c.value12m += v.value
            c.cost12m += v.cost
        }
        for m in subset {
            let first = stages.filter { $0.change.modelId == m.id && $0.change.stage == .production }.map(\.change.changedAt).min()
            if let first, inWindow(first.day, d, 365) { c.daysToProduction.append(first.day - m.createdAt.day) }
        }
        for t in tasks where ids.contains(t.modelId) && t.createdAt.day <= d && (t.closedAt.map { $0.day > d } ?? true) {
            c.openTasks += 1
            if t.dueAt.day < d { c.overdueTasks += 1 }
        }
        return c
    }
}

/// Equal up to the rounding that summing in another order gives.
func close(_ a: Double?, _ b: Double?) -> Bool {
    switch (a, b) {
    case (nil, nil): return true
    case let (x?, y?): return abs(x - y) <= 1e-9 * max(1, abs(x), abs(y))
    default: return false
    }
}

func sameKPIs(_ a: KPIs, _ b: KPIs) -> Bool {
    zip(a.fields, b.fields).allSatisfy { x, y in
        switch (x.value, y.value) {
        case let (.share(p), .share(q)), let (.days(p), .days(q)): return close(p, q)
        case let (.money(p), .money(q)): return close(p, q)
        case let (.count(p), .count(q)): return p == q
        default: return false
        }
    }
}

@Suite struct ReferenceKPITests {
    /// Generated portfolios of different seeds, at dates across their life (month-ends, mid-month,
    /// before the first model), per domain and in total: the SQL agrees with the naive definitions.
    @Test(arguments: [3, 11])
    func sqlAgreesWithTheDefinitions(seed: Int) throws {
        let dir = try TempDir()
        let end = day("2026-03-15")
        try PortfolioGenerator(models: 90, seed: UInt64(seed), asOf: end).write(to: dir.path("bundle"))
        var sink = CollectingSink()
        _ = try BundleReader(directory: dir.path("bundle")).read(into: &sink)
        let reference = ReferenceKPIs(sink.records)
        let inventory = try Inventory(path: dir.path("db.sqlite"), mode: .create)
        _ = try inventory.importer.importBundle(directory: dir.path("bundle"), replace: false, actor: "test")

        // Value is recorded on month-ends (some only at quarter-ends), so dates whose 90- or 365-day window starts on or just
        // after a month-end put records exactly on the window's edge.
        // Monitoring stops at the end date, so dates 12 to 15 days later straddle the 14-day window.
        let edges = [89, 90, 364, 365].map { day("2025-09-30").adding(days: $0) } + (12...15).map { end.adding(days: $0) }
        for asOf in [end, day("2026-02-28"), day("2024-07-19"), day("2022-01-01")] + edges {
            let report = try inventory.report(asOf: asOf)
            let total = KPIs(reference.counts(asOf: asOf, models: reference.models))
            #expect(sameKPIs(report.kpis, total), "total as of \(asOf)")
            let domains = Dictionary(grouping: reference.models, by: \.domain)
            let existing = domains.keys.filter { name in domains[name]!.contains { $0.createdAt.day <= asOf } }.sorted()
            #expect(report.domains.map(\.domain) == existing)
            for (name, kpis) in report.domains {
                #expect(sameKPIs(kpis, KPIs(reference.counts(asOf: asOf, models: domains[name]!))), "\(name) as of \(asOf)")
            }
            for point in report.trend.suffix(2) {
                #expect(sameKPIs(point.kpis, KPIs(reference.counts(asOf: point.asOf, models: reference.models))), "trend \(point.asOf)")
            }
        }
    }
}
