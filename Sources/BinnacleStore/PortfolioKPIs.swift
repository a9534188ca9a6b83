import BinnacleCore
import GRDB

extension Inventory {
    /// The report as of `asOf`: KPIs, per-domain KPIs and the 12-month trend, read in one transaction.
    /// With `trend: false` the 12 month-ends are left out (they cost twelve times the rest).
    public func report(asOf: Day, domain: String? = nil, trend: Bool = true) throws -> PortfolioReport {
        try read { db in try Inventory.report(db, asOf: asOf, domain: domain, trend: trend) }
    }

    /// The portfolio's KPIs at one date, without the per-domain breakdown or the trend (for `check`).
    public func kpis(asOf: Day) throws -> KPIs {
        try read { db in KPIs(Inventory.tally(try Inventory.counts(db, asOf: [asOf], domain: nil)[0]).total) }
    }

    /// What `check` looks at: the portfolio's KPIs and every alert at `asOf`, from one pass.
    public func health(asOf: Day) throws -> (kpis: KPIs, alerts: [Alert], coverage: Coverage) {
        try read { db in
            if let swept = try KPISweep.sweep(db, asOf: [asOf], domain: nil, listing: true) {
                return (KPIs(Inventory.tally(swept.counts[0]).total), swept.alerts, try Inventory.coverage(db, asOf: asOf))
            }
            return (KPIs(try Inventory.countsByDomain(db, asOf: asOf, domain: nil).total),
                    try Inventory.alertsBySQL(db, asOf: asOf, domain: nil, modelId: nil), try Inventory.coverage(db, asOf: asOf))
        }
    }

    static func report(_ db: Database, asOf: Day, domain: String?, trend withTrend: Bool = true) throws -> PortfolioReport {
        let months = withTrend ? asOf.monthEnds(count: Windows.trendMonths) : []
        let counts = try Inventory.counts(db, asOf: [asOf] + months, domain: domain)
        return try report(db, asOf: asOf, domain: domain, counts: counts[0],
                          trend: zip(months, counts.dropFirst()).map { (asOf: $0, counts: $1) })
    }

    /// What the inventory records as of D, each fact as it stood then (a report for a past date is not
    /// labelled with what was recorded after it): value records dated on or before D, monitors of models
    /// existing at D, documents existing at D, and a stage before production whose production change is
    /// itself dated on or before D. Each EXISTS stops at its first row.
    static func coverage(_ db: Database, asOf: Day) throws -> Coverage {
        let row = try Row.fetchOne(db, sql: """
            SELECT EXISTS (SELECT 1 FROM value_records WHERE date <= :asof),
                   EXISTS (SELECT 1 FROM monitors mo JOIN models m ON m.id = mo.model_id WHERE \(DomainRules.exists("m"))),
                   EXISTS (SELECT 1 FROM documents d WHERE \(DomainRules.documentExists("d"))),
                   EXISTS (SELECT 1 FROM stage_changes p JOIN stage_changes e ON e.model_id = p.model_id
                           WHERE p.stage = 'production' AND p.changed_at < :next AND e.stage <> 'production' AND e.changed_at < p.changed_at)
            """, arguments: PortfolioSQL.arguments(asOf: asOf, domain: nil))!
        return Coverage(value: row[0], monitors: row[1], documents: row[2], development: row[3])
    }

    /// Each domain's counts at each of `days`, in one sweep over the facts (KPISweep); per date in SQL
    /// when a date stored in the inventory is not in the form the sweep compares.
    static func counts(_ db: Database, asOf days: [Day], domain: String?) throws -> [[String: KPICounts]] {
        if let swept = try KPISweep.counts(db, asOf: days, domain: domain) { return swept }
        return try days.map { try countsByDomain(db, asOf: $0, domain: domain).byDomain }
    }

    /// The portfolio's counts as of a date, by the per-date SQL: per domain, the domains with a model existing at D
    /// (sorted by name), and the total over every model.
    /// `modelCounts`: the SQL of the counts that need each model's state (the dashboard's cache sums
    /// the model rows it has just derived, rather than deriving every model's state a second time).
    static func countsByDomain(_ db: Database, asOf: Day, domain: String?, modelCounts: String = PortfolioSQL.modelCounts)
        throws -> (byDomain: [String: KPICounts], existing: [String], total: KPICounts)
    {
        var byDomain: [String: KPICounts] = [:]
        try count(CountPart.allCases, db, asOf: asOf, domain: domain, modelCounts: modelCounts, into: &byDomain)
        let tally = tally(byDomain)
        return (byDomain, tally.existing, tally.total)
    }

    /// The counts by the query each comes from.
    enum CountPart: CaseIterable {
        /// Those that need each model's state at D (`PortfolioSQL.modelCounts`), and the days to production.
        case states
        /// Value and cost (`PortfolioSQL.valueCounts`).
        case values
        /// Open and overdue tasks (`PortfolioSQL.taskCounts`).
        case tasks
    }

    /// Counts `parts` into `byDomain`, each part's counts set to 0 first in the domains it covers
    /// (one, or all); the other counts are left as they are.
    static func count(_ parts: [CountPart], _ db: Database, asOf: Day, domain: String?, modelCounts: String = PortfolioSQL.modelCounts,
                      into byDomain: inout [String: KPICounts]) throws {
        let arguments = PortfolioSQL.arguments(asOf: asOf, domain: domain)
        for part in parts {
            for d in byDomain.keys where domain == nil || d == domain { reset(part, &byDomain[d]!) }
        }
        func each(_ sql: String, _ body: (Row, inout KPICounts) -> Void) throws {
            let rows = try Row.fetchCursor(try db.cachedStatement(sql: sql), arguments: arguments)
            while let row = try rows.next() { body(row, &byDomain[row["domain"] as String, default: KPICounts()]) }
        }
        if parts.contains(.states) {
            try each(modelCounts) { r, c in
                c.existingModels = r["existing"]
                c.productionModels = r["production"]
                c.builtModels = r["built"]
                c.shelvedModels = r["shelved"]
                c.productionWithImpact = r["with_impact"]
                c.productionDocsComplete = r["docs_complete"]
                c.alertsCritical = r["alerts_critical"]
                c.alertsWarning = r["alerts_warning"]
                c.modelsWithCritical = r["models_with_critical"]
            }
        }
        if parts.contains(.values) {
            try each(PortfolioSQL.valueCounts) { r, c in
                c.value12m = r["value"]
                c.cost12m = r["cost"]
                c.valueRecords12m = r["records"]
                c.valueRecords90d = r["recent"]
            }
        }
        if parts.contains(.tasks) {
            try each(PortfolioSQL.taskCounts) { r, c in
                c.openTasks = r["open"]
                c.overdueTasks = r["overdue"]
            }
        }
        // A date written around Binnacle that SQLite cannot read as a date gives no number of days.
        if parts.contains(.states) {
            try each(PortfolioSQL.daysToProduction) { r, c in if let days = r["days"] as Int? { c.daysToProduction.append(days) } }
        }
    }

    /// Sets the counts of `part` to 0 (a test checks that the parts together cover every count).
    static func reset(_ part: CountPart, _ c: inout KPICounts) {
        switch part {
        case .states:
            for count in [\KPICounts.existingModels, \.productionModels, \.builtModels, \.shelvedModels, \.productionWithImpact,
                          \.productionDocsComplete, \.alertsCritical, \.alertsWarning, \.modelsWithCritical] { c[keyPath: count] = 0 }
            c.daysToProduction = []
        case .values:
            c.value12m = 0; c.cost12m = 0; c.valueRecords12m = 0; c.valueRecords90d = 0
        case .tasks:
            c.openTasks = 0; c.overdueTasks = 0
        }
    }

    /// The domains with a model existing at D (sorted by name) and the total over every domain.
    static func tally(_ byDomain: [String: KPICounts]) -> (existing: [String], total: KPICounts) {
        // Domains compare by their UTF-8 bytes, as SQLite's BINARY collation does.
        let names = byDomain.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        let total = names.reduce(KPICounts()) { $0 + byDomain[$1]! }
        return (names.filter { byDomain[$0]!.existingModels > 0 }, total)
    }

    /// The report built from counts already derived (the dashboard's cache), for the whole portfolio.
    public func report(asOf: Day, counts: [String: KPICounts], trend: [(asOf: Day, counts: [String: KPICounts])]) throws -> PortfolioReport {
        try read { db in try Inventory.report(db, asOf: asOf, counts: counts, trend: trend) }
    }

    static func report(_ db: Database, asOf: Day, domain: String? = nil, counts: [String: KPICounts],
                       trend: [(asOf: Day, counts: [String: KPICounts])]) throws -> PortfolioReport {
        let info = try Inventory.portfolioInfo(db)
        let now = Inventory.tally(counts)
        var report = PortfolioReport(asOf: asOf, portfolio: info.portfolio, currency: info.currency, domainFilter: domain,
                                     kpis: KPIs(now.total), domains: now.existing.map { (domain: $0, kpis: KPIs(counts[$0]!)) },
                                     trend: trend.map { (asOf: $0.asOf, kpis: KPIs(Inventory.tally($0.counts).total)) })
        report.coverage = try coverage(db, asOf: asOf)
        return report
    }
}

extension Inventory {
    /// The statements `report` runs, with their parameters written in, for running the same
    /// aggregate SQL through another client (the benchmark compares against the sqlite3 CLI).
    public static func reportSQL(asOf: Day, domain: String?) -> String {
        var out = ""
        for d in [asOf] + asOf.monthEnds(count: Windows.trendMonths) {
            let values: [String: String] = [
                "asof": d.description, "next": d.adding(days: 1).description,
                "impact_from": d.windowStart(days: Windows.impact).description,
                "year_from": d.windowStart(days: Windows.year).description,
                "fresh_from": d.windowStart(days: Windows.freshObservation).description,
            ]
            for sql in [PortfolioSQL.modelCounts, PortfolioSQL.valueCounts, PortfolioSQL.taskCounts, PortfolioSQL.daysToProduction] {
                var text = sql
                for (name, value) in values.sorted(by: { $0.key.count > $1.key.count }) {
                    text = text.replacingOccurrences(of: ":" + name, with: "'\(value)'")
                }
                let literal = domain.map { "'" + $0.replacingOccurrences(of: "'", with: "''") + "'" } ?? "NULL"
                out += text.replacingOccurrences(of: ":domain", with: literal).replacingOccurrences(of: ":model", with: "NULL") + ";\n"
            }
        }
        return out
    }
}
