import BinnacleCore
import GRDB

/// The evidence pack's human-readable content as plain tables, read with the reads behind the Models,
/// Risk, Tasks and Alerts screens, inside the pack's one read transaction.
extension Inventory {
    /// Writes the tables into the pack's page as they are read: the models are streamed (one pass for the
    /// three tables that list them), so a 50,000-model pack is never held whole.
    /// `spill`: a path prefix (in the pack's staging folder) for the files a table is written to before it is
    /// copied into the page; they are removed once copied.
    static func writeEvidenceTables<Out: TextOutputStream>(_ db: Database, report: PortfolioReport, alerts: [Alert], overrides: [AuditEntry],
                                                           pack: BoardPack, spill: String, to out: inout Out) throws {
        let d = report.asOf
        func date(_ t: Timestamp?) -> String { t.map { $0.day.description } ?? "" }
        for table in report.tables() { pack.write(table, to: &out) }

        // The inventory, the documentation of its production models and the independence breaches in one pass
        // over the models: the two later tables are written beside the page as they go, then copied into it.
        var documentation = try FileStream(creating: spill + "documentation"), breaches = try FileStream(creating: spill + "breaches")
        var exposure = TagExposureWalk()
        try pack.writeTable(
            title: "Inventory as of \(d)", note: "Every model existing at \(d), with its stage at \(d).",
            headers: ["Model", "Name", "Domain", "Stage", "Tier", "Business owner", "Developer", "Validator", "Vendor", "Risk tags"], to: &out
        ) { listed in
            try pack.writeTable(
                title: "Documentation of production models", note: "Required kinds by tier and kind; current = approved on or before \(d) and not expired.",
                headers: ["Model", "Name", "Tier", "Required", "Current", "Missing", "Approved by", "Expires"], to: &documentation
            ) { documented in
                try pack.writeTable(
                    title: "Independence breaches", note: "Models past the idea stage whose validator is missing or is their developer (SR 11-7).",
                    headers: ["Model", "Name", "Domain", "Stage", "Developer", "Validator"], to: &breaches
                ) { breached in
                    try eachPackModel(db, asOf: d) { m in
                        exposure.list(m)
                        listed([m.id, m.name, m.domain, m.stage.rawValue, String(m.riskTier.rawValue), m.businessOwner, m.developer, m.validator ?? "",
                                m.vendor, m.tags.joined(separator: ";")])
                        if m.stage == .production { documented(try documentationRow(db, m, asOf: d)) }
                        if m.stage != .idea, !Independence.holds(m.validator, developer: m.developer) {
                            breached([m.id, m.name, m.domain, m.stage.rawValue, m.developer, m.validator ?? ""])
                        }
                    }
                }
            }
        }
        for table in [documentation, breaches] {
            try table.close()
            try table.copy(to: &out)
        }

        // Every tag's exposure in one walk of the lineage, with the stages the inventory table read.
        try pack.writeTable(
            title: "Models exposed to each risk tag", note: "Carrying the tag (depth 0) or depending on a model or asset that does, through lineage.",
            headers: ["Tag", "Model", "Name", "Domain", "Stage", "Via", "Depth"], to: &out
        ) { emit in
            try exposure.each(db) { tag, e in emit([tag, e.modelId, e.name, e.domain, e.stage.rawValue, e.via, String(e.depth)]) }
        }

        let open = try tasks(db, asOf: d).filter { $0.isOpen(at: d) }
        let taskNames = try lineageNodes(db, Array(Set(open.map(\.modelId)))).mapValues(\.name)
        pack.write(BoardPack.Table(
            title: "Open remediation", note: "Tasks open at \(d) (created on or before it, not closed by it); overdue when due before it.",
            headers: ["Task", "Model", "Name", "Title", "Assignee", "Assigned by", "Priority", "Created", "Due", "Overdue"],
            rows: open.map { t in
                [t.id, t.modelId, taskNames[t.modelId] ?? "", t.title, t.assignee, t.assignedBy, t.priority.rawValue,
                 date(t.createdAt), date(t.dueAt), t.isOverdue(at: d) ? "overdue" : ""]
            }), to: &out)

        let alertNames = try lineageNodes(db, Array(Set(alerts.map(\.modelId)))).mapValues(\.name)
        pack.write(BoardPack.Table(
            title: "Alerts at \(d)", headers: ["Model", "Name", "Severity", "Reason", "Metric", "Value", "Threshold", "Observed"],
            rows: alerts.map { a in
                [a.modelId, alertNames[a.modelId] ?? "", a.severity.rawValue, a.reason.rawValue, a.metric ?? "", a.value.map { Format.number($0) } ?? "",
                 a.threshold.map { Format.number($0) } ?? "", date(a.observedAt)]
            }), to: &out)

        try pack.writeTable(title: "Stage changes in the 12 months to \(d)", headers: ["Changed", "Model", "Name", "Stage", "By", "Note"], to: &out) { emit in
            let rows = try Row.fetchCursor(db, sql: """
                SELECT s.*, m.name FROM stage_changes s JOIN models m ON m.id = s.model_id
                WHERE s.changed_at >= :year_from AND s.changed_at < :next ORDER BY s.changed_at, s.id
                """, arguments: PortfolioSQL.arguments(asOf: d, domain: nil))
            while let r = try rows.next() {
                emit([Timestamp(storedText: r["changed_at"]).bundleText, r["model_id"], r["name"], r["stage"], r["changed_by"] ?? "", r["note"] ?? ""])
            }
        }
        pack.write(BoardPack.Table(
            title: "Stage-gate overrides in the 12 months to \(d)", note: "Entries of the audit log: a risk officer let a model into production without the gate.",
            headers: ["Audit entry", "At", "By", "Model", "Detail"],
            rows: overrides.map { [String($0.seq), $0.at, $0.actor, $0.entity, $0.detail] }), to: &out)
    }
}

/// A model as the pack's tables show it.
struct PackModel {
    var id, name, domain: String
    var kind: ModelKind
    var stage: Stage
    var riskTier: RiskTier
    var businessOwner, developer: String
    var validator: String?
    var vendor: String
    var tags: [String]
    /// Required kinds with no current version at D (read for production models only, the only ones shown with them).
    var missingDocuments: [String]
}

extension Inventory {
    /// Every model existing at D, in the models list's order (`eachModelSummary`), with what the pack's tables
    /// show: the list's query without the alerts, value and observations they do not show (at 50,000 models
    /// most of its cost), and with the vendor.
    static func eachPackModel(_ db: Database, asOf d: Day, _ body: (PackModel) throws -> Void) throws {
        let rows = try Row.fetchCursor(db, sql: """
            WITH \(PortfolioSQL.required),
            \(PortfolioSQL.staged)
            SELECT s.*, COALESCE(m.vendor, '') AS vendor,
              CASE WHEN s.stage = '\(Stage.production.rawValue)' THEN
                (SELECT group_concat(r.kind, ';') FROM required r
                 WHERE \(PortfolioSQL.requiredFor("s")) AND NOT \(PortfolioSQL.currentDocument(model: "s.id"))) END AS missing_docs
            FROM staged s JOIN models m ON m.id = s.id
            ORDER BY s.domain, s.name, s.id
            """, arguments: PortfolioSQL.arguments(asOf: d, domain: nil))
        while let r = try rows.next() {
            try body(PackModel(id: r["id"], name: r["name"], domain: r["domain"], kind: r["kind"], stage: r["stage"], riskTier: r["risk_tier"],
                               businessOwner: r["business_owner"], developer: r["developer"], validator: r["validator"], vendor: r["vendor"],
                               tags: (r["tags"] as String).tagItems, missingDocuments: (r["missing_docs"] as String?)?.tagItems ?? []))
        }
    }

    /// A production model's row of the documentation table: its required kinds, those current at D with
    /// their approver and expiry, and those missing.
    static func documentationRow(_ db: Database, _ m: PackModel, asOf d: Day) throws -> [String] {
        let required = RequiredDocuments.kinds(tier: m.riskTier, kind: m.kind)
        let current = try currentDocuments(db, of: m.id, asOf: d)
        let held = required.compactMap { kind in current[kind].map { (kind, $0) } }
        return [m.id, m.name, String(m.riskTier.rawValue), required.map(\.rawValue).joined(separator: ";"),
                held.map(\.0.rawValue).joined(separator: ";"), m.missingDocuments.joined(separator: ";"),
                held.map { "\($0.0.rawValue): \($0.1.by)" }.joined(separator: "; "),
                held.filter { !$0.1.expires.isEmpty }.map { "\($0.0.rawValue): \($0.1.expires)" }.joined(separator: "; ")]
    }

    /// The current document of each kind of a model at D (the latest approved), with its approver and expiry.
    static func currentDocuments(_ db: Database, of model: String, asOf d: Day) throws -> [DocumentKind: (by: String, expires: String)] {
        var current: [DocumentKind: (by: String, expires: String)] = [:]
        let rows = try Row.fetchCursor(db.cachedStatement(sql: """
            SELECT d.kind, d.approved_by, d.expires_at FROM documents d WHERE d.model_id = :model AND \(DomainRules.currentDocument("d"))
            ORDER BY d.kind, d.approved_at, d.id
            """), arguments: ["model": model, "next": d.adding(days: 1).description])
        while let r = try rows.next() {
            // A kind this binary does not know is required of no model: nothing to show it against.
            guard let kind = DocumentKind(rawValue: r["kind"]) else { continue }
            current[kind] = (r["approved_by"] ?? "", Inventory.stamp(r, "expires_at").map { $0.day.description } ?? "")
        }
        return current
    }
}
