import BinnacleCore
import GRDB

extension Inventory {
    /// The rows a KPI is computed from as of `asOf` (in one domain, or all), in one read transaction.
    public func kpiDrill(_ kpi: KPIName, asOf: Day, domain: String? = nil) throws -> KPIDrill {
        try read { db in try Inventory.kpiDrill(db, kpi, asOf: asOf, domain: domain) }
    }

    /// Built on the fragments the counts use (`PortfolioSQL`, `DomainRules`), so that the rows add up
    /// to the report's number; one query a list.
    static func kpiDrill(_ db: Database, _ kpi: KPIName, asOf: Day, domain: String?) throws -> KPIDrill {
        let arguments = PortfolioSQL.arguments(asOf: asOf, domain: domain)
        let list = kpi.list
        var rows: [DrillRow] = []
        // Room for a row a model (what most lists have) at once: grown by doubling, the array would
        // hold the old rows and the new room together, half as much again at 50,000 models. Room
        // not written to takes no memory.
        rows.reserveCapacity(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM models") ?? 0)
        let cursor = try Row.fetchCursor(db, sql: PortfolioSQL.drill(list), arguments: arguments)
        while let r = try cursor.next() {
            var row = DrillRow(modelId: r["model"], modelName: r["name"], domain: r["domain"], stage: (r["stage"] as String?).flatMap(Stage.init))
            switch list {
            case .impact, .builtToValue, .documents, .shelved:
                row.value90d = r["value_90d"]
                row.requiredDocuments = (r["required_docs"] as String? ?? "").tagItems.compactMap(DocumentKind.init)
                row.missingDocuments = (r["missing_docs"] as String? ?? "").tagItems.compactMap(DocumentKind.init)
                row.inBase = list != .shelved || r["built"]
                row.counts = r[list == .impact ? "impact" : list == .builtToValue ? "production_impact" : list == .documents ? "docs_complete" : "shelved"]
            case .value:
                row.value12m = r["value"]
                row.cost12m = r["cost"]
            case .daysToProduction:
                // A date SQLite cannot read as a date gives no days, and is not counted (as in the counts).
                guard let days = r["days"] as Int? else { continue }
                row.days = days
                row.created = Timestamp(storedText: r["created_at"]).day
                row.firstProduction = Timestamp(storedText: r["first_at"]).day
            case .alerts: row.alert = alert(r)
            case .tasks:
                row.task = task(r)
                row.counts = r["overdue"]
            }
            rows.append(row)
        }
        // Whether value was recorded in the list's window, by the counts the report's KPIs come from.
        var values: [String: KPICounts] = [:]
        if list.valueWindow != nil { try Inventory.count([.values], db, asOf: asOf, domain: domain, into: &values) }
        return KPIDrill(kpi: kpi, asOf: asOf, domain: domain, currency: try portfolioInfo(db).currency, rows: rows,
                        valueRecorded: list.valueRecorded(KPIs(Inventory.tally(values).total)))
    }
}

extension PortfolioSQL {
    /// The SQL of a drill-down's rows (columns `model`, `name`, `domain` and the list's own).
    static func drill(_ list: DrillList) -> String {
        switch list {
        case .impact: return drillModels(list) + "\nWHERE p.id IS NOT NULL ORDER BY s.name, s.id"
        case .documents: return drillModels(list) + "\nWHERE p.id IS NOT NULL ORDER BY docs_complete, s.name, s.id"
        case .builtToValue: return drillModels(list) + "\nWHERE s.built ORDER BY production_impact DESC, s.name, s.id"
        case .shelved: return drillModels(list) + "\nWHERE s.built OR shelved ORDER BY shelved DESC, s.built DESC, s.name, s.id"
        case .value:
            // Every model existing at D, and any other with value recorded in the window (the sums count it).
            return """
                SELECT m.id AS model, m.name, m.domain, COALESCE(v.value, 0) AS value, COALESCE(v.cost, 0) AS cost
                FROM models m LEFT JOIN (\(modelValues)) v ON v.model_id = m.id
                WHERE (\(DomainRules.exists("m")) OR v.model_id IS NOT NULL) AND (:domain IS NULL OR m.domain = :domain)
                ORDER BY COALESCE(v.value, 0) - COALESCE(v.cost, 0) DESC, m.name, m.id
                """
        case .daysToProduction: return "SELECT *, id AS model FROM (\(daysToProduction)) ORDER BY days, name, id"
        case .alerts:
            return """
                SELECT a.*, m.id AS model, m.name, m.domain FROM (\(alertList)) a JOIN models m ON m.id = a.model_id
                ORDER BY a.rank, a.model_id, a.metric
                """
        case .tasks:
            return """
                SELECT t.*, m.id AS model, m.name, m.domain, \(DomainRules.overdueTask("t")) AS overdue FROM tasks t JOIN models m ON m.id = t.model_id
                WHERE \(DomainRules.openTask("t")) AND (:domain IS NULL OR m.domain = :domain)
                ORDER BY overdue DESC, t.due_at, t.id
                """
        }
    }

    /// Every model existing at D with its stage, whether built, in production with impact and with
    /// complete documents (`s`, `p` as in `modelCounts`); the 90-day value for the value lists and the
    /// required and missing kinds for the documents list (50,000 built models need not look up either).
    /// Callers add their WHERE and order.
    static func drillModels(_ list: DrillList) -> String {
        let value = list == .impact || list == .builtToValue
        return """
        WITH \(required),\n\(staged),\n\(production)
        SELECT s.id AS model, s.name, s.domain, s.stage, s.built,
          COALESCE(p.impact, 0) AS impact, COALESCE(p.impact, 0) AS production_impact,
          COALESCE(p.docs_complete, 0) AS docs_complete, s.stage = '\(Stage.shelved.rawValue)' AS shelved,
          \(value ? DomainRules.value90d("s") : "NULL") AS value_90d,
          \(list == .documents ? """
            (SELECT group_concat(r.kind, ';') FROM required r WHERE \(requiredFor("s"))) AS required_docs,
              (SELECT group_concat(r.kind, ';') FROM required r
               WHERE \(requiredFor("s")) AND NOT \(currentDocument(model: "s.id"))) AS missing_docs
            """ : "NULL AS required_docs, NULL AS missing_docs")
        FROM staged s
        LEFT JOIN production p ON p.id = s.id
        """
    }
}
