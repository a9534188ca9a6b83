import BinnacleBundle
import BinnacleCore
@testable import BinnacleStore
import GRDB
import Testing

/// The cache derived set-wise (INSERT … SELECT over the inventory attached) holds, byte for byte, what
/// the row-by-row derivation wrote; kept up to date after Binnacle's own writes, it holds what a full
/// derivation would.
@Suite struct StateCacheDerivationTests {
    static func generated(models: Int, asOf: Day) throws -> Inventory {
        let dir = try TempDir()
        try PortfolioGenerator(models: models, seed: 7, asOf: asOf).write(to: dir.path("bundle"))
        let inventory = try Inventory(path: dir.path("inv.sqlite"), mode: .create)
        _ = try inventory.importer.importBundle(directory: dir.path("bundle"), replace: false, actor: "test")
        return inventory
    }

    /// The derivation as `prepare` did it before it was set-wise: every row read into Swift from the
    /// inventory's own functions, and written one at a time.
    static func deriveRowByRow(_ cache: StateCache, asOf: Day, from inventory: Inventory) throws {
        let day = asOf.description
        try inventory.read { idb in
            let revision = try StateCache.revision(idb, path: inventory.path)
            let counts = try Inventory.countsByDomain(idb, asOf: asOf, domain: nil).byDomain
            let alerts = try Inventory.alerts(idb, asOf: asOf, domain: nil, modelId: nil)
            try cache.db.write { db in
                try StateCache.forget(db, except: revision, date: day)
                try db.execute(sql: "INSERT INTO dates (as_of, revision, lists) VALUES (?, ?, 1)", arguments: [day, revision])
                try StateCache.insert(counts, day: day, into: db)
                var names: [String: String] = [:]
                var builtIds: Set<String> = []
                try Inventory.eachDocumentMatrixRow(idb, asOf: asOf) { builtIds.insert($0.modelId) }
                try Inventory.eachModelSummary(idb, asOf: asOf) { m in
                    if m.alertsCritical + m.alertsWarning > 0 { names[m.id] = m.name }
                    let stageRank = Stage.allCases.firstIndex(of: m.stage) ?? 0
                    let search = [m.id, m.name, m.businessOwner, m.domain, m.tags.joined(separator: " ")].joined(separator: "\u{1F}").lowercased()
                    let values: [(any DatabaseValueConvertible)?] = [
                        day, m.id, m.name, m.name.lowercased(), m.domain, m.kind, m.stage, stageRank, m.riskTier,
                        m.businessOwner, m.developer, m.validator, m.tags.joined(separator: ";"),
                        m.alertsCritical, m.alertsWarning, m.alertsCritical * 1000 + m.alertsWarning,
                        m.missingDocuments.joined(separator: ";"), m.missingDocuments.count,
                        m.value90d, m.value12m, m.cost12m, m.roi12m, m.lastObservedAt?.description,
                        m.lastObservedAt?.day.daysSinceEpoch, builtIds.contains(m.id), search,
                    ]
                    try db.execute(sql: """
                        INSERT INTO model_rows (as_of, id, name, name_key, domain, kind, stage, stage_rank, risk_tier, business_owner,
                          developer, validator, tags, alerts_critical, alerts_warning, alert_rank, missing_docs, missing_count, value_90d,
                          value_12m, cost_12m, roi_12m, last_observed_at, last_day, built, search)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """, arguments: StatementArguments(values))
                }
                for a in alerts {
                    let name = names[a.modelId] ?? a.modelId
                    let rank = a.severity == .critical ? 0 : a.reason == .threshold ? 1 : a.reason == .stale ? 2 : 3
                    let values: [(any DatabaseValueConvertible)?] = [
                        day, rank, a.modelId, name, a.severity.rawValue, a.reason.rawValue, a.metric, a.value, a.threshold,
                        a.observedAt?.description, [a.modelId, name, a.severity.rawValue, a.summary].joined(separator: "\u{1F}").lowercased(),
                    ]
                    try db.execute(sql: "INSERT INTO alerts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", arguments: StatementArguments(values))
                }
                var built = 0
                try Inventory.eachDocumentMatrixRow(idb, asOf: asOf) { r in
                    built += 1
                    guard r.cells.contains(where: { $0 != .current && $0 != .notRequired }) else { return }
                    try db.execute(sql: "INSERT INTO gaps VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", arguments: [
                        day, r.stage == .production, r.modelId, r.name, r.domain, r.stage, r.riskTier,
                        r.cells.map(\.rawValue).joined(separator: ";"), [r.modelId, r.name, r.domain, r.stage.rawValue].joined(separator: "\u{1F}").lowercased()])
                }
                try db.execute(sql: "UPDATE dates SET built = ? WHERE as_of = ?", arguments: [built, day])
            }
        }
    }

    /// Everything the cache holds, each value with its storage class, in a fixed order (rowids aside;
    /// production days as a sorted list per date and domain, which is how the median reads them).
    static func contents(_ cache: StateCache) throws -> [String: [String]] {
        try cache.db.read { db in
            var out: [String: [String]] = [:]
            for table in ["dates", "domain_counts", "production_days", "model_rows", "alerts", "gaps"] {
                let columns = try db.columns(in: table).map(\.name)
                let row = columns.map { "typeof(\($0)) || ':' || quote(\($0))" }.joined(separator: " || '|' || ")
                out[table] = try String.fetchAll(db, sql: "SELECT \(row) AS r FROM \(table) ORDER BY r")
            }
            return out
        }
    }

    static func expectSame(_ a: [String: [String]], _ b: [String: [String]], _ what: String) {
        for table in a.keys.sorted() {
            let (x, y) = (a[table] ?? [], b[table] ?? [])
            #expect(x == y, "\(what): \(table) differs (\(x.count) rows vs \(y.count)); first: \(Array(Set(x).symmetricDifference(y)).sorted().prefix(2))")
        }
    }

    /// The set-wise derivation equals the row-by-row one on the domain rules' fixture and on a generated
    /// portfolio, at dates including month boundaries and the portfolio's first days.
    @Test func setWiseEqualsRowByRow() throws {
        let generated = try Self.generated(models: 300, asOf: day("2024-06-01"))
        let cases: [(Inventory, [Day])] = [
            (DomainRuleTests.inventory, [DomainRuleTests.d, day("2025-07-01"), day("2024-01-01")]),
            (generated, ["2024-06-01", "2024-05-31", "2024-03-01", "2024-02-29", "2023-12-31", "2024-01-01", "2022-01-01"].map(day)),
        ]
        for (inventory, days) in cases {
            for d in days {
                let setWise = try StateCache(path: nil), rowByRow = try StateCache(path: nil)
                try setWise.prepare(asOf: d, from: inventory)
                try Self.deriveRowByRow(rowByRow, asOf: d, from: inventory)
                let contents = try Self.contents(setWise)
                #expect(contents["model_rows"]!.count == (try inventory.modelSummaries(asOf: d).count))
                Self.expectSame(contents, try Self.contents(rowByRow), "\(d)")
                // And in the order the lists read them.
                let alerts = try setWise.alerts(asOf: d)
                #expect(try alerts.rows(0..<alerts.count).map(\.alert) == inventory.alerts(asOf: d))
                var matrix: [DocumentMatrixRow] = []
                try inventory.read { db in try Inventory.eachDocumentMatrixRow(db, asOf: d) { matrix.append($0) } }
                let gaps = try setWise.documentGaps(asOf: d)
                #expect(try gaps.rows.rows(0..<gaps.rows.count) == matrix.filter { $0.cells.contains { $0 != .current && $0 != .notRequired } })
                #expect(gaps.built == matrix.count)
                #expect(try setWise.counts(asOf: d, from: inventory) == inventory.read { try Inventory.countsByDomain($0, asOf: d, domain: nil).byDomain })
            }
        }
    }

    /// A cache with lists at two dates and counts at the trend's month-ends.
    static func filled(_ cache: StateCache, _ inventory: Inventory, _ d: Day) throws {
        try cache.prepare(asOf: d.adding(days: -31), from: inventory)
        _ = try cache.counts(asOf: d.monthEnds(count: 3), from: inventory)
        try cache.prepare(asOf: d, from: inventory)
    }

    /// Marks the row of `model` at `d` (its name key), to tell after a catch-up whether it was kept.
    static func mark(_ cache: StateCache, _ model: String, _ d: Day, _ key: String) throws {
        try cache.db.write { db in
            try db.execute(sql: "UPDATE model_rows SET name_key = ? WHERE as_of = ? AND id = ?", arguments: [key, d.description, model])
        }
    }

    /// Whether the marked row of `model` survived `body` (the cache was caught up, not derived again); the mark is removed.
    static func kept(_ cache: StateCache, _ model: String, _ d: Day, _ body: () throws -> Void) throws -> Bool {
        let key = try cache.db.read { try String.fetchOne($0, sql: "SELECT name_key FROM model_rows WHERE as_of = ? AND id = ?",
                                                         arguments: [d.description, model]) }!
        try mark(cache, model, d, "marked")
        try body()
        let survived = try cache.db.read { try String.fetchOne($0, sql: "SELECT name_key FROM model_rows WHERE as_of = ? AND id = ?",
                                                              arguments: [d.description, model]) } == "marked"
        if survived { try mark(cache, model, d, key) }
        return survived
    }

    /// After a run of dashboard actions, the cache brought up to date model by model holds exactly
    /// what a cache derived from scratch holds; a raw SQL write makes it derive every date again.
    @Test func ownWritesAreCaughtUpModelByModel() throws {
        let d = day("2024-06-01")
        let inventory = try Self.generated(models: 120, asOf: d)
        let cache = try StateCache(path: nil)
        try Self.filled(cache, inventory, d)
        let writer = try Inventory(path: inventory.path, mode: .write)
        let officer = try writer.read { try String.fetchOne($0, sql: "SELECT login FROM people WHERE role = 'risk_officer' AND active = 1") }!
        let models = try inventory.modelSummaries(asOf: d)
        let live = models.filter { $0.stage == .production }
        let someone = try writer.read { try String.fetchOne($0, sql: "SELECT login FROM people WHERE role = 'engineer' AND active = 1") }!
        let at = Timestamp(day: d.adding(days: -3))
        let actions: [(String, () throws -> Void)] = [
            ("assign a task", { _ = try writer.governance.assignTask(modelId: live[0].id, to: officer, due: d.adding(days: -1), priority: .p1,
                                                          title: "fix", note: nil, by: officer, at: at) }),
            ("shelve a production model", { try writer.governance.setStage(modelId: live[1].id, to: .shelved, note: nil, override: nil, by: officer, at: at) }),
            ("submit and approve a document", {
                try writer.governance.addDocument(modelId: live[2].id, kind: .monitoringPlan, version: "9", uri: nil, by: officer, at: at)
                _ = try writer.governance.approveDocument(modelId: live[2].id, kind: .monitoringPlan, version: "9", expires: nil, by: officer, at: at)
            }),
            ("change a model's people", {
                try writer.governance.changeModelPeople(models[3].id, .init(businessOwner: someone, validator: .some(nil)), note: nil, by: officer, at: at)
            }),
            ("a refused action", { _ = try? writer.governance.setStage(modelId: live[4].id, to: .retired, note: nil, override: nil, by: someone, at: at) }),
            ("change a person", { _ = try writer.governance.changePerson(someone, role: .aiLead, active: nil, by: officer, at: at) }),
        ]
        let untouched = models.last!.id
        #expect(!(live[0...4].map(\.id) + models[3...6].map(\.id)).contains(untouched))
        for (what, action) in actions {
            #expect(try Self.kept(cache, untouched, d) {
                try action()
                try cache.prepare(asOf: d, from: inventory)
            }, "\(what): caught up, not derived again")
            let fresh = try StateCache(path: nil)
            try Self.filled(fresh, inventory, d)
            Self.expectSame(try Self.contents(cache), try Self.contents(fresh), what)
        }

        // A write that is not Binnacle's own: everything is derived again (new rows), and it shows.
        #expect(try !Self.kept(cache, untouched, d) {
            let raw = try DatabaseQueue(path: inventory.path)
            try raw.write { try $0.execute(sql: "UPDATE models SET name = 'Renamed by hand' WHERE id = ?", arguments: [models[5].id]) }
            try raw.close()
            try cache.prepare(asOf: d, from: inventory)
        })
        #expect(try cache.models(asOf: d, ModelQuery(text: "renamed by hand")).count == 1)
        // The trend's dates were dropped with the rest, and come back from scratch.
        let fresh = try StateCache(path: nil)
        try Self.filled(fresh, inventory, d)
        try Self.filled(cache, inventory, d)
        Self.expectSame(try Self.contents(cache), try Self.contents(fresh), "after a raw write")

        // A raw write hidden between two actions (the counter moves once more than the entries): derived again.
        #expect(try !Self.kept(cache, untouched, d) {
            let sneaky = try DatabaseQueue(path: inventory.path)
            try sneaky.write { try $0.execute(sql: "UPDATE models SET name = 'Sneaky' WHERE id = ?", arguments: [models[6].id]) }
            try sneaky.close()
            _ = try writer.governance.assignTask(modelId: live[0].id, to: officer, due: d, priority: .p2, title: "again", note: nil, by: officer, at: at)
            try cache.prepare(asOf: d, from: inventory)
        })
        #expect(try cache.models(asOf: d, ModelQuery(text: "sneaky")).count == 1)
    }
}

@Suite struct CountPartTests {
    /// The parts the counts are derived in cover every count: a part can be derived again alone.
    @Test func thePartsCoverEveryCount() {
        var c = KPICounts()
        for (_, count) in StateCache.countColumns { c[keyPath: count] = 1 }
        for (_, amount) in StateCache.amountColumns { c[keyPath: amount] = 1 }
        c.daysToProduction = [1]
        for part in Inventory.CountPart.allCases { Inventory.reset(part, &c) }
        #expect(c == KPICounts())
    }
}
