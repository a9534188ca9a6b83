import BinnacleBundle
import BinnacleCore
@testable import BinnacleStore
import GRDB
import Testing

/// Every place that decides a domain rule gives the same answer as PRODUCT.md, on a portfolio made
/// of the cases where different definitions of a rule would disagree. D = 2025-06-30; the 90-day
/// window starts 2025-04-02. Developer bob and validator carol unless said.
@Suite struct DomainRuleTests {
    static let d = Day("2025-06-30")!

    static let inventory: Inventory = {
        var f = Fixture()
        // Validated, then in production; value in the window; model card approved on D: current.
        f.model("live")
        f.stage("live", "validation", "2025-01-01"); f.stage("live", "production", "2025-02-01")
        f.value("live", "2025-06-01", 100)
        f.document("live", "model_card", approved: "2025-06-30")
        // Validated, then shelved: built, though not in validation or production now. No validator.
        f.model("shelf", validator: "")
        f.stage("shelf", "validation", "2025-01-01"); f.stage("shelf", "shelved", "2025-03-01")
        f.document("shelf", "model_card", approved: "2025-07-01")              // approved after D: not current
        // In production once, retired since: built. Its validator is its developer.
        f.model("retired", validator: "bob")
        f.stage("retired", "production", "2024-06-01"); f.stage("retired", "retired", "2025-05-01")
        f.document("retired", "model_card", approved: "2024-01-01", expires: "2025-07-01")  // expires D+1: current, review due
        // Into production and shelved the same day: the later time stamp wins; built.
        f.model("sameday")
        f.stage("sameday", "shelved", "2025-06-30T18:00:00Z"); f.stage("sameday", "production", "2025-06-30T07:00:00Z")
        // Two changes with the same time stamp: the later row wins (development); built by the first.
        f.model("tie")
        f.stage("tie", "production", "2025-06-30"); f.stage("tie", "development", "2025-06-30")
        // Into validation the day after D: not built at D.
        f.model("future")
        f.stage("future", "development", "2025-06-01"); f.stage("future", "validation", "2025-07-01")
        // Still an idea: not built; its validator is its developer, but no breach before development.
        f.model("idea", validator: "bob")
        // In production without impact: a loss in the window, a gain before it.
        f.model("noimpact")
        f.stage("noimpact", "production", "2025-01-15")
        f.value("noimpact", "2025-03-01", 500); f.value("noimpact", "2025-06-01", -50)
        f.document("noimpact", "model_card", approved: "2025-01-01", expires: "2025-06-30")  // expires on D: not current
        // Tier 2 in validation, for the stage gate: a current report approved by the developer only …
        f.model("gated", tier: 2)
        f.stage("gated", "validation", "2025-05-01")
        f.document("gated", "validation_report", approved: "2025-05-10", by: "bob")
        // … one approved by the developer and a later one approved independently …
        f.model("cleared", tier: 2)
        f.stage("cleared", "validation", "2025-05-01")
        f.document("cleared", "validation_report", approved: "2025-05-10", by: "bob")
        f.document("cleared", "validation_report", version: "2", approved: "2025-06-30", by: "carol")
        // … and an independent one that expires on D.
        f.model("lapsed", tier: 2)
        f.stage("lapsed", "validation", "2025-05-01")
        f.document("lapsed", "validation_report", approved: "2025-05-10", expires: "2025-06-30", by: "carol")
        // Tasks, all bob's, on `live`.
        f.task("t1", "live", created: "2025-06-01", due: "2025-07-10")                                       // open
        f.task("t2", "live", created: "2025-06-01", due: "2025-06-15", closed: "2025-06-30", status: "resolved")  // closed on D
        f.task("t3", "live", created: "2025-06-01", due: "2025-06-15", closed: "2025-07-01", status: "resolved")  // open on D, overdue
        f.task("t4", "live", created: "2025-06-01", due: "2025-06-30")                                       // due on D: not overdue
        f.task("t5", "live", created: "2025-07-01", due: "2025-07-05")                                       // created after D
        f.task("t6", "live", created: "2025-06-30T23:00:00Z", due: "2025-06-29")                             // created on D, overdue
        return try! f.inventory()
    }()

    static let cache: StateCache = {
        let cache = try! StateCache(path: nil)
        try! cache.prepare(asOf: d, from: inventory)
        return cache
    }()

    // What PRODUCT.md says, worked out by hand.
    static let models = ["live", "shelf", "retired", "sameday", "tie", "future", "idea", "noimpact", "gated", "cleared", "lapsed"]
    static let built: Set = ["live", "shelf", "retired", "sameday", "tie", "noimpact", "gated", "cleared", "lapsed"]
    static let stages = ["live": "production", "shelf": "shelved", "retired": "retired", "sameday": "shelved", "tie": "development",
                         "future": "development", "idea": "idea", "noimpact": "production", "gated": "validation",
                         "cleared": "validation", "lapsed": "validation"]
    static let production: Set = ["live", "noimpact"]
    static let impact: Set = ["live"]
    /// Required documents current at D, as model/kind.
    static let current: Set = ["live/model_card", "retired/model_card", "gated/validation_report", "cleared/validation_report"]
    static let openTasks: Set = ["t1", "t3", "t4", "t6"]
    static let overdueTasks: Set = ["t3", "t6"]
    /// Past the idea stage without a validator other than the developer.
    static let breaches: Set = ["shelf", "retired"]
    /// Tier 1–2 models whose current validation report was approved by someone other than the developer.
    static let passGate: Set = ["cleared"]

    enum Rule: String, CaseIterable { case built, stage, inProduction, impact, currentDocument, openTask, overdueTask, independentValidation }

    /// One place's answer and what it should be, both as text so that a failure shows them side by side.
    struct Answer { let place: String; let said: String; let expected: String }

    static func ids<S: Sequence>(_ s: S) -> String where S.Element == String { Array(Set(s)).sorted().joined(separator: " ") }

    static func all<R>(_ window: any RowWindow<R>) throws -> [R] { try window.rows(0..<window.count) }

    static func answers(_ rule: Rule) throws -> [Answer] {
        let d = Self.d, inventory = Self.inventory, cache = Self.cache
        let report = try inventory.report(asOf: d, trend: false).kpis
        let checked = try inventory.kpis(asOf: d)                                         // what `check` reads
        let overview = KPIs(Inventory.tally(try cache.counts(asOf: d, from: inventory)).total)   // what the Overview draws
        let summaries = try inventory.modelSummaries(asOf: d)
        let cached = try all(cache.models(asOf: d, ModelQuery()))
        let details = try models.map { try inventory.modelDetail(id: $0, asOf: d) }
        var matrix: [DocumentMatrixRow] = []
        try inventory.read { db in try Inventory.eachDocumentMatrixRow(db, asOf: d) { matrix.append($0) } }
        let gaps = try cache.documentGaps(asOf: d)
        func count(_ n: Int) -> String { "\(n)" }
        func currentRequired(_ m: ModelSummary) -> [String] {
            let required = RequiredDocuments.kinds(tier: m.riskTier, kind: m.kind)
            return required.map(\.rawValue).filter { !m.missingDocuments.contains($0) }.map { "\(m.id)/\($0)" }
        }

        switch rule {
        case .built:
            return [
                Answer(place: "KPIs built_models", said: count(report.builtModels), expected: count(built.count)),
                Answer(place: "check's KPIs", said: count(checked.builtModels), expected: count(built.count)),
                Answer(place: "Overview (cache counts)", said: count(overview.builtModels), expected: count(built.count)),
                Answer(place: "Risk matrix rows", said: ids(matrix.map(\.modelId)), expected: ids(built)),
                Answer(place: "Risk matrix count (cache)", said: count(gaps.built), expected: count(built.count)),
                Answer(place: "core Stage.built over the model page's history",
                       said: ids(details.filter { $0.stageHistory.contains { Stage.built.contains($0.stage) } }.map(\.model.id)),
                       expected: ids(built)),
            ]
        case .stage:
            let expected = ids(stages.map { "\($0.key)=\($0.value)" })
            return [
                Answer(place: "model list", said: ids(summaries.map { "\($0.id)=\($0.stage)" }), expected: expected),
                Answer(place: "model list (cache)", said: ids(cached.map { "\($0.id)=\($0.stage)" }), expected: expected),
                Answer(place: "model page", said: ids(details.map { "\($0.model.id)=\($0.stageLabel)" }), expected: expected),
                Answer(place: "Risk matrix rows", said: ids(matrix.map { "\($0.modelId)=\($0.stage)" }),
                       expected: ids(built.map { "\($0)=\(stages[$0]!)" })),
            ]
        case .inProduction:
            return [
                Answer(place: "KPIs production_models", said: count(report.productionModels), expected: count(production.count)),
                Answer(place: "check's KPIs", said: count(checked.productionModels), expected: count(production.count)),
                Answer(place: "Overview (cache counts)", said: count(overview.productionModels), expected: count(production.count)),
                Answer(place: "model list, stage production", said: ids(try inventory.modelSummaries(asOf: d, stage: .production).map(\.id)),
                       expected: ids(production)),
                Answer(place: "model list (cache), stage production",
                       said: ids(try all(cache.models(asOf: d, ModelQuery(filter: ModelFilter(stage: "production")))).map(\.id)),
                       expected: ids(production)),
                Answer(place: "alerts: unmonitored production models (check)",
                       said: ids(try inventory.alerts(asOf: d).filter { $0.reason == .unmonitored }.map(\.modelId)), expected: ids(production)),
                Answer(place: "model page", said: ids(details.filter { $0.stage == .production }.map(\.model.id)),
                       expected: ids(production)),
            ]
        case .impact:
            return [
                Answer(place: "KPIs production_with_impact", said: count(report.productionWithImpact), expected: count(impact.count)),
                Answer(place: "check's KPIs", said: count(checked.productionWithImpact), expected: count(impact.count)),
                Answer(place: "Overview (cache counts)", said: count(overview.productionWithImpact), expected: count(impact.count)),
                Answer(place: "model list value_90d",
                       said: ids(summaries.filter { production.contains($0.id) && Impact.holds(value90d: $0.value90d) }.map(\.id)),
                       expected: ids(impact)),
                Answer(place: "model list (cache), no-impact filter",
                       said: ids(try all(cache.models(asOf: d, ModelQuery(filter: ModelFilter(noImpact: true)))).map(\.id)),
                       expected: ids(production.subtracting(impact))),
                Answer(place: "model page value",
                       said: ids(details.filter { production.contains($0.model.id) && Impact.holds(value90d: $0.value90d) }.map(\.model.id)),
                       expected: ids(impact)),
            ]
        case .currentDocument:
            let complete = production.filter { current.contains("\($0)/model_card") }   // tier 3: the model card alone
            return [
                Answer(place: "KPIs docs complete", said: count(Int((report.docsCompleteShare ?? 0) * Double(report.productionModels))),
                       expected: count(complete.count)),
                Answer(place: "model list missing documents", said: ids(summaries.flatMap(currentRequired)), expected: ids(current)),
                Answer(place: "model list (cache) missing documents", said: ids(cached.flatMap(currentRequired)), expected: ids(current)),
                Answer(place: "model page, required documents",
                       said: ids(details.flatMap { d in d.requiredDocuments.filter(\.current).map { "\(d.model.id)/\($0.kind)" } }),
                       expected: ids(current)),
                Answer(place: "model page, versions",
                       said: ids(details.flatMap { $0.documents.filter { $0.state == .current }.map { "\($0.document.modelId)/\($0.document.kind.rawValue)" } }),
                       expected: ids(current)),
                Answer(place: "Risk matrix cells",
                       said: ids(matrix.flatMap { r in zip(DocumentKind.allCases, r.cells).filter { $0.1 == .current }.map { "\(r.modelId)/\($0.0.rawValue)" } }),
                       expected: ids(current)),
                Answer(place: "Risk matrix gaps (cache)", said: ids(try all(gaps.rows).map(\.modelId)),
                       expected: ids(built.subtracting(["live", "retired"]))),   // the built models with every required document current
                Answer(place: "Risk reviews due", said: ids(try inventory.reviewsDue(asOf: d).map { "\($0.modelId)/\($0.kind)" }),
                       expected: "retired/model_card"),
            ]
        case .openTask:
            let listed = try inventory.tasks(asOf: d)
            let person = try inventory.peopleSummaries(asOf: d, login: "bob")[0]
            return [
                Answer(place: "KPIs open_tasks", said: count(report.openTasks), expected: count(openTasks.count)),
                Answer(place: "check's KPIs", said: count(checked.openTasks), expected: count(openTasks.count)),
                Answer(place: "Overview (cache counts)", said: count(overview.openTasks), expected: count(openTasks.count)),
                Answer(place: "People: bob's open tasks", said: count(person.openTasks), expected: count(openTasks.count)),
                Answer(place: "task list, open first", said: ids(listed.prefix(openTasks.count).map(\.id)), expected: ids(openTasks)),
                Answer(place: "task list (Tasks screen)", said: ids(listed.filter { $0.isOpen(at: d) }.map(\.id)), expected: ids(openTasks)),
                Answer(place: "model page tasks", said: ids(details[0].tasks.filter { $0.isOpen(at: d) }.map(\.id)), expected: ids(openTasks)),
            ]
        case .overdueTask:
            let listed = try inventory.tasks(asOf: d)
            let person = try inventory.peopleSummaries(asOf: d, login: "bob")[0]
            return [
                Answer(place: "KPIs overdue_tasks", said: count(report.overdueTasks), expected: count(overdueTasks.count)),
                Answer(place: "check's KPIs", said: count(checked.overdueTasks), expected: count(overdueTasks.count)),
                Answer(place: "Overview (cache counts)", said: count(overview.overdueTasks), expected: count(overdueTasks.count)),
                Answer(place: "People: bob's overdue tasks", said: count(person.overdueTasks), expected: count(overdueTasks.count)),
                Answer(place: "task list (Tasks screen)", said: ids(listed.filter { $0.isOverdue(at: d) }.map(\.id)), expected: ids(overdueTasks)),
                Answer(place: "model page tasks", said: ids(details[0].tasks.filter { $0.isOverdue(at: d) }.map(\.id)), expected: ids(overdueTasks)),
            ]
        case .independentValidation:
            let gated = details.filter { $0.model.riskTier != .low }
            let gate = try inventory.read { db in
                try gated.filter { try Governance.stageGate(db, model: $0.model, on: d) == nil }.map(\.model.id)
            }
            return [
                Answer(place: "Risk independence breaches (cache)", said: ids(try all(cache.breaches(asOf: d)).map(\.id)), expected: ids(breaches)),
                Answer(place: "model page validator marker",
                       said: ids(details.filter { $0.stage != .idea && !Independence.holds($0.model.validator, developer: $0.model.developer) }.map(\.model.id)),
                       expected: ids(breaches)),
                Answer(place: "stage gate", said: ids(gate), expected: ids(passGate)),
                Answer(place: "model page, current validation reports approved independently",
                       said: ids(gated.filter { g in g.documents.contains {
                           $0.document.kind == .validationReport && $0.state == .current
                               && Independence.holds($0.document.approvedBy, developer: g.model.developer)
                       } }.map(\.model.id)),
                       expected: ids(passGate)),
            ]
        }
    }

    @Test(arguments: Rule.allCases)
    func everyPlaceGivesPRODUCTsAnswer(_ rule: Rule) throws {
        for answer in try Self.answers(rule) {
            #expect(answer.said == answer.expected, "\(rule.rawValue), asked of \(answer.place)")
        }
    }

    /// The SQL and Swift forms of the row rules agree on every document and task of the portfolio.
    @Test func sqlAndSwiftRulesAgreeRowByRow() throws {
        let arguments = PortfolioSQL.arguments(asOf: Self.d, domain: nil)
        try Self.inventory.read { db in
            for r in try Row.fetchAll(db, sql: """
                SELECT d.*, \(DomainRules.currentDocument("d")) AS current, \(DomainRules.approvedDocument("d")) AS approved,
                       \(DomainRules.independent("d.approved_by", ofDeveloper: "m.developer")) AS independent
                FROM documents d JOIN models m ON m.id = d.model_id
                """, arguments: arguments) {
                let doc = Document(modelId: r["model_id"], kind: DocumentKind(rawValue: r["kind"])!, version: r["version"],
                                   approvedAt: Inventory.stamp(r, "approved_at"), approvedBy: r["approved_by"],
                                   expiresAt: Inventory.stamp(r, "expires_at"))
                let model = try Inventory.modelRow(db, doc.modelId)
                #expect(doc.isCurrent(at: Self.d) == r["current"], "\(doc.modelId) \(doc.kind) v\(doc.version)")
                #expect(doc.isApproved(at: Self.d) == r["approved"], "\(doc.modelId) \(doc.kind) v\(doc.version)")
                #expect(Independence.holds(doc.approvedBy, developer: model.developer) == (r["independent"] as Bool? ?? false))
            }
            for r in try Row.fetchAll(db, sql: """
                SELECT t.*, \(DomainRules.openTask("t")) AS open, \(DomainRules.overdueTask("t")) AS overdue FROM tasks t
                """, arguments: arguments) {
                let task = Inventory.task(r)
                #expect(task.isOpen(at: Self.d) == r["open"], "\(task.id)")
                #expect(task.isOverdue(at: Self.d) == r["overdue"], "\(task.id)")
            }
        }
    }
}
