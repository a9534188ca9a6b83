import BinnacleCore
import GRDB

/// The SQL behind every KPI, written once as CTE fragments that the report, the model list,
/// `show` and `check` all compose. Parameters (all text, see `PortfolioSQL.arguments`):
///   :asof  D              :next  D+1 (a time stamp `< :next` is dated on or before D)
///   :impact_from D−89     :year_from D−364     :fresh_from D−13
///   :domain NULL or one domain        :model NULL or one model (a single model's page needs only its own rows)
enum PortfolioSQL {
    static func arguments(asOf d: Day, domain: String?, model: String? = nil) -> StatementArguments {
        [
            "asof": d.description,
            "next": d.adding(days: 1).description,
            "impact_from": d.windowStart(days: Windows.impact).description,
            "year_from": d.windowStart(days: Windows.year).description,
            "fresh_from": d.windowStart(days: Windows.freshObservation).description,
            "domain": domain,
            "model": model,
        ]
    }

    /// Required document kinds by tier, plus the gen-AI extra (tier 0, genai_only 1), from the core rule.
    static var required: String {
        var rows: [String] = []
        for tier in RiskTier.allCases {
            for kind in RequiredDocuments.kinds(tier: tier) { rows.append("(\(tier.rawValue), 0, '\(kind.rawValue)')") }
        }
        rows.append("(0, 1, '\(RequiredDocuments.genaiExtra.rawValue)')")
        return "required(tier, genai_only, kind) AS (VALUES \(rows.joined(separator: ", ")))"
    }

    /// A document of kind r.kind for model `model` that is current at D.
    static func currentDocument(model: String) -> String {
        "EXISTS (SELECT 1 FROM documents d WHERE d.model_id = \(model) AND d.kind = r.kind AND \(DomainRules.currentDocument("d")))"
    }

    /// The required kinds of a model (columns risk_tier, kind of `alias`).
    static func requiredFor(_ alias: String) -> String {
        "(r.tier = \(alias).risk_tier OR (r.genai_only = 1 AND \(alias).kind = 'genai'))"
    }

    /// Every model existing at D (optionally in one domain) with its stage at D and whether it is built.
    static let staged = """
        staged AS (
          SELECT m.id, m.name, m.domain, m.kind, m.risk_tier, m.business_owner, m.developer, m.validator, m.created_at, m.tags,
            \(DomainRules.stage("m")) AS stage,
            \(DomainRules.built("m")) AS built
          FROM models m
          WHERE \(DomainRules.exists("m")) AND (:domain IS NULL OR m.domain = :domain) AND (:model IS NULL OR m.id = :model)
        )
        """

    /// Production models at D with impact (value over the 90-day window > 0) and complete documents.
    static let production = """
        production AS (
          SELECT p.id, p.domain,
            \(DomainRules.impact(value90d: DomainRules.value90d("p"))) AS impact,
            NOT EXISTS (SELECT 1 FROM required r WHERE \(requiredFor("p")) AND NOT \(currentDocument(model: "p.id"))) AS docs_complete
          FROM staged p WHERE \(DomainRules.inProduction(stage: "p.stage"))
        )
        """

    /// Each monitor of a production model with its latest observation dated on or before D and its
    /// state: 'critical', 'warning', 'stale' (missing or older than the 14-day window) or NULL (fine).
    static let monitorStates = """
        latest AS (
          SELECT mo.model_id, mo.metric, mo.direction, mo.warn, mo.critical,
            (SELECT MAX(o.observed_at) FROM observations o
             WHERE o.model_id = mo.model_id AND o.metric = mo.metric AND o.observed_at < :next) AS last_at
          FROM monitors mo JOIN production p ON p.id = mo.model_id
        ),
        observed AS (
          SELECT l.*, (SELECT o.value FROM observations o
                       WHERE o.model_id = l.model_id AND o.metric = l.metric AND o.observed_at = l.last_at) AS last_value
          FROM latest l
        ),
        monitor_states AS (
          SELECT o.*,
            CASE
              WHEN o.last_at IS NULL OR o.last_at < :fresh_from THEN 'stale'
              WHEN o.direction = 'above' AND o.last_value >= o.critical THEN 'critical'
              WHEN o.direction = 'above' AND o.last_value >= o.warn THEN 'warning'
              WHEN o.direction = 'below' AND o.last_value <= o.critical THEN 'critical'
              WHEN o.direction = 'below' AND o.last_value <= o.warn THEN 'warning'
            END AS state
          FROM observed o
        ),
        model_alerts AS (
          SELECT model_id, SUM(state = 'critical') AS critical, SUM(state = 'warning') AS warning,
                 MAX(state = 'stale') AS stale
          FROM monitor_states GROUP BY model_id
        )
        """

    static var modelCTEs: String {
        "WITH \(required),\n\(staged),\n\(production),\n\(monitorStates)"
    }

    /// Per domain: the counts that need each model's state at D.
    static var modelCounts: String {
        """
        \(modelCTEs)
        SELECT s.domain,
          COUNT(*) AS existing,
          SUM(\(DomainRules.inProduction(stage: "s.stage"))) AS production,
          SUM(s.built) AS built,
          SUM(s.stage = 'shelved') AS shelved,
          SUM(COALESCE(p.impact, 0)) AS with_impact,
          SUM(COALESCE(p.docs_complete, 0)) AS docs_complete,
          SUM(COALESCE(a.critical, 0)) AS alerts_critical,
          SUM(COALESCE(a.warning, 0) + COALESCE(a.stale, 0) + (p.id IS NOT NULL AND a.model_id IS NULL)) AS alerts_warning,
          SUM(COALESCE(a.critical, 0) > 0) AS models_with_critical
        FROM staged s
        LEFT JOIN production p ON p.id = s.id
        LEFT JOIN model_alerts a ON a.model_id = s.id
        GROUP BY s.domain
        """
    }

    /// Every model existing at D with its state: one row a model (`s`), for the model list and the
    /// dashboard's cache. Callers add their WHERE (over `s`) and order.
    static var modelSummaries: String {
        """
        \(modelCTEs)
        SELECT s.*, COALESCE(a.critical, 0) AS alerts_critical,
          COALESCE(a.warning, 0) + COALESCE(a.stale, 0) + (p.id IS NOT NULL AND a.model_id IS NULL) AS alerts_warning,
          (SELECT group_concat(r.kind, ';') FROM required r
           WHERE \(requiredFor("s")) AND NOT \(currentDocument(model: "s.id"))) AS missing_docs,
          \(DomainRules.value90d("s")) AS value_90d,
          (SELECT COALESCE(SUM(v.value), 0) FROM value_records v
           WHERE v.model_id = s.id AND v.date BETWEEN :year_from AND :asof) AS value_12m,
          (SELECT COALESCE(SUM(v.cost), 0) FROM value_records v
           WHERE v.model_id = s.id AND v.date BETWEEN :year_from AND :asof) AS cost_12m,
          (SELECT MAX(o.last_at) FROM latest o WHERE o.model_id = s.id) AS last_observed_at
        FROM staged s
        LEFT JOIN production p ON p.id = s.id
        LEFT JOIN model_alerts a ON a.model_id = s.id
        """
    }

    /// Every alert at D, with its `rank` (critical, warning, stale, unmonitored: the order lists show
    /// them in, then by model and metric); stale alerts collapse to one per model, as they count.
    static var alertList: String {
        """
        \(modelCTEs),
        listed AS (
        SELECT model_id, metric, state, last_value, last_at,
               CASE state WHEN 'critical' THEN critical ELSE warn END AS threshold
        FROM monitor_states WHERE state IN ('critical', 'warning')
        UNION ALL
        -- One per model: its first stale metric (SQLite takes last_at from the row MIN picked).
        SELECT model_id, MIN(metric), 'stale', NULL, last_at, NULL
        FROM monitor_states WHERE state = 'stale' GROUP BY model_id
        UNION ALL
        SELECT p.id, NULL, 'unmonitored', NULL, NULL, NULL
        FROM production p WHERE NOT EXISTS (SELECT 1 FROM monitors mo WHERE mo.model_id = p.id)
        )
        SELECT l.*, CASE state WHEN 'critical' THEN 0 WHEN 'warning' THEN 1 WHEN 'stale' THEN 2 ELSE 3 END AS rank,
          CASE state WHEN 'critical' THEN '\(Alert.Severity.critical.rawValue)' ELSE '\(Alert.Severity.warning.rawValue)' END AS severity,
          CASE WHEN state IN ('critical', 'warning') THEN '\(Alert.Reason.threshold.rawValue)' ELSE state END AS reason
        FROM listed l
        """
    }

    /// Built models (ever entered validation or production by D) with each document kind's best
    /// state at D in `best` ("kind=3;kind=1": 3 current beats 2 expired beats 1 draft), production first.
    /// Callers add their order (`documentMatrixOrder`).
    static let documentMatrix = """
        WITH \(staged)
        SELECT s.id, s.name, s.domain, s.stage, s.risk_tier, s.kind,
          (SELECT group_concat(kind || '=' || best, ';') FROM (
             SELECT d.kind, MAX(CASE WHEN \(DomainRules.currentDocument("d")) THEN 3
                                     WHEN \(DomainRules.approvedDocument("d")) THEN 2 ELSE 1 END) AS best
             FROM documents d WHERE d.model_id = s.id
               AND \(DomainRules.documentExists("d"))
             GROUP BY d.kind)) AS best
        FROM staged s WHERE s.built
        """

    /// Per domain: value and cost over the 365-day window (all models).
    /// Summed per model first, so each model's domain is looked up once rather than once per record.
    static let valueCounts = """
        SELECT m.domain, SUM(v.value) AS value, SUM(v.cost) AS cost, SUM(v.records) AS records, SUM(v.recent) AS recent
        FROM (\(modelValues)) v
        JOIN models m ON m.id = v.model_id
        WHERE (:domain IS NULL OR m.domain = :domain)
        GROUP BY m.domain
        """

    /// Each model's value and cost over the 365-day window (all models, existing at D or not: the
    /// value KPIs sum every record), and its records in the 365- and 90-day windows.
    static let modelValues = """
        SELECT model_id, SUM(value) AS value, SUM(cost) AS cost, COUNT(*) AS records,
               SUM(date >= :impact_from) AS recent FROM value_records
        WHERE date BETWEEN :year_from AND :asof GROUP BY model_id
        """

    /// Per domain: tasks open at D (created on or before D, not closed by D) and overdue (due before D).
    static let taskCounts = """
        SELECT m.domain, SUM(\(DomainRules.openTask("t"))) AS open, SUM(\(DomainRules.overdueTask("t"))) AS overdue
        FROM tasks t JOIN models m ON m.id = t.model_id
        WHERE (:domain IS NULL OR m.domain = :domain)
        GROUP BY m.domain
        """

    /// Days from idea to first production, for models whose first change into production is dated in
    /// the 365-day window.
    static let daysToProduction = """
        SELECT m.domain, m.id, m.name, m.created_at, f.first_at,
          CAST(julianday(substr(f.first_at, 1, 10)) - julianday(substr(m.created_at, 1, 10)) AS INTEGER) AS days
        FROM (SELECT model_id, MIN(changed_at) AS first_at FROM stage_changes WHERE stage = 'production' GROUP BY model_id) f
        JOIN models m ON m.id = f.model_id
        WHERE f.first_at >= :year_from AND f.first_at < :next AND (:domain IS NULL OR m.domain = :domain)
        """
}
