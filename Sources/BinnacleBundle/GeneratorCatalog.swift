import BinnacleCore

/// The generator's fixed material: the business domains and their use cases, metric thresholds,
/// names, and the named stories every generated portfolio begins with.
extension PortfolioGenerator {
    struct UseCase {
        var name: String
        var kind: ModelKind
        var tags: [String]
        var metrics: [String]
    }

    static let domains: [(name: String, cases: [UseCase])] = [
        ("Cards & Payments", [
            UseCase(name: "Card transaction fraud screen", kind: .classification, tags: ["pii", "customer-facing"], metrics: ["auc", "psi_score", "p95_latency_ms"]),
            UseCase(name: "Chargeback dispute triage", kind: .classification, tags: ["pii"], metrics: ["auc", "null_rate"]),
            UseCase(name: "Merchant category classifier", kind: .classification, tags: [], metrics: ["auc"]),
            UseCase(name: "Card spend forecast", kind: .forecasting, tags: [], metrics: ["mape", "null_rate"]),
            UseCase(name: "Payment routing optimiser", kind: .regression, tags: [], metrics: ["mae", "p95_latency_ms"]),
        ]),
        ("Customer Service", [
            UseCase(name: "Call intent classifier", kind: .classification, tags: ["pii"], metrics: ["auc", "psi_score"]),
            UseCase(name: "Complaint severity scorer", kind: .classification, tags: ["pii", "conduct"], metrics: ["auc"]),
            UseCase(name: "Agent-assist answer drafter", kind: .genai, tags: ["customer-facing", "third-party-llm"], metrics: ["hallucination_rate", "p95_latency_ms"]),
            UseCase(name: "Contact volume forecast", kind: .forecasting, tags: [], metrics: ["mape"]),
            UseCase(name: "Email routing model", kind: .classification, tags: ["pii"], metrics: ["auc", "null_rate"]),
        ]),
        ("Lending", [
            UseCase(name: "Mortgage default PD", kind: .classification, tags: ["pii", "credit-decision"], metrics: ["auc", "psi_score"]),
            UseCase(name: "SME credit scorecard", kind: .classification, tags: ["credit-decision"], metrics: ["auc", "psi_score", "null_rate"]),
            UseCase(name: "Loss given default", kind: .regression, tags: ["credit-decision"], metrics: ["mae", "psi_score"]),
            UseCase(name: "Early arrears propensity", kind: .classification, tags: ["pii"], metrics: ["auc"]),
            UseCase(name: "Affordability income estimator", kind: .regression, tags: ["pii", "credit-decision"], metrics: ["mae", "null_rate"]),
        ]),
        ("Marketing", [
            UseCase(name: "Next-best-offer recommender", kind: .recommender, tags: ["customer-facing"], metrics: ["ctr", "psi_score"]),
            UseCase(name: "Churn propensity", kind: .classification, tags: ["pii"], metrics: ["auc", "psi_score"]),
            UseCase(name: "Campaign uplift model", kind: .regression, tags: [], metrics: ["mae"]),
            UseCase(name: "Customer lifetime value", kind: .regression, tags: ["pii"], metrics: ["mae", "null_rate"]),
            UseCase(name: "Marketing copy generator", kind: .genai, tags: ["customer-facing", "third-party-llm"], metrics: ["hallucination_rate"]),
        ]),
        ("Operations", [
            UseCase(name: "Cash demand forecast", kind: .forecasting, tags: [], metrics: ["mape"]),
            UseCase(name: "Document OCR classifier", kind: .classification, tags: ["pii"], metrics: ["auc", "p95_latency_ms"]),
            UseCase(name: "Branch staffing forecast", kind: .forecasting, tags: [], metrics: ["mape"]),
            UseCase(name: "Invoice anomaly detector", kind: .other, tags: [], metrics: ["psi_score"]),
            UseCase(name: "IT incident summariser", kind: .genai, tags: ["third-party-llm"], metrics: ["hallucination_rate"]),
        ]),
        ("Risk & Compliance", [
            UseCase(name: "AML transaction monitoring", kind: .classification, tags: ["pii", "regulatory"], metrics: ["auc", "psi_score", "null_rate"]),
            UseCase(name: "Sanctions name matcher", kind: .classification, tags: ["pii", "regulatory"], metrics: ["auc"]),
            UseCase(name: "Market risk VaR model", kind: .regression, tags: ["regulatory"], metrics: ["mae"]),
            UseCase(name: "Policy Q&A assistant", kind: .genai, tags: ["third-party-llm"], metrics: ["hallucination_rate"]),
            UseCase(name: "KYC document checker", kind: .classification, tags: ["pii", "regulatory"], metrics: ["auc", "null_rate"]),
        ]),
        ("Wealth", [
            UseCase(name: "Portfolio rebalancing recommender", kind: .recommender, tags: ["customer-facing", "suitability"], metrics: ["ctr"]),
            UseCase(name: "Client attrition model", kind: .classification, tags: ["pii"], metrics: ["auc"]),
            UseCase(name: "Suitability risk profiler", kind: .classification, tags: ["pii", "suitability"], metrics: ["auc", "psi_score"]),
            UseCase(name: "Fund flow forecast", kind: .forecasting, tags: [], metrics: ["mape"]),
            UseCase(name: "Adviser meeting summariser", kind: .genai, tags: ["pii", "third-party-llm"], metrics: ["hallucination_rate"]),
        ]),
    ]

    /// How a metric is monitored and how a healthy model's readings scatter.
    struct MetricSpec {
        var direction: MonitorDirection
        var warn, critical, healthy, noise: Double
        init(_ direction: MonitorDirection, _ warn: Double, _ critical: Double, _ healthy: Double, _ noise: Double) {
            self.direction = direction; self.warn = warn; self.critical = critical; self.healthy = healthy; self.noise = noise
        }
    }

    static let metricSpecs: [String: MetricSpec] = [
        "auc": MetricSpec(.below, 0.70, 0.65, 0.79, 0.012),
        "psi_score": MetricSpec(.above, 0.10, 0.25, 0.03, 0.012),
        "null_rate": MetricSpec(.above, 0.02, 0.05, 0.006, 0.002),
        "mape": MetricSpec(.above, 0.15, 0.25, 0.08, 0.015),
        "mae": MetricSpec(.above, 0.12, 0.20, 0.06, 0.01),
        "ctr": MetricSpec(.below, 0.020, 0.015, 0.034, 0.002),
        "hallucination_rate": MetricSpec(.above, 0.03, 0.06, 0.012, 0.004),
        "p95_latency_ms": MetricSpec(.above, 800, 1500, 320, 40),
    ]

    static let regions = ["Nordics", "DACH", "Benelux", "UK", "Iberia", "France", "Italy", "Poland", "Baltics", "Ireland"]
    static let firstNames = ["Ada", "Ben", "Chloe", "Dev", "Elena", "Farid", "Grace", "Hugo", "Ines", "Jonas", "Kemi", "Liam",
                             "Maya", "Nils", "Olga", "Priya", "Quentin", "Rosa", "Sami", "Tara", "Umar", "Vera", "Wen", "Ximena",
                             "Yusuf", "Zoe", "Arjun", "Bea", "Carlos", "Dana"]
    static let lastNames = ["Andersen", "Brooks", "Chen", "Diaz", "Eriksen", "Fischer", "Garcia", "Haddad", "Ito", "Jansen",
                            "Kowalski", "Laine", "Moreau", "Nakamura", "Okafor", "Petrov", "Quinn", "Rossi", "Schmidt", "Tanaka",
                            "Umarov", "Varga", "Weber", "Xu", "Yilmaz", "Zimmermann"]

    /// The named stories every generated portfolio begins with.
    enum Story: Int {
        case fraud, recommender, genaiAssistant, ownValidator, piiDemo

        var domain: Int { [0, 3, 1, 2, 3][rawValue] }
        var caseIndex: Int { [0, 0, 2, 0, 1][rawValue] }
        var kind: ModelKind? { self == .recommender ? .recommender : nil }
        var tier: Int? { [1, 2, 2, 1, 2][rawValue] }
        var fate: Fate { .production }
        var name: String {
            ["Card fraud detector", "Restaurant & merchant recommender", "Customer-service gen-AI assistant",
             "Consumer credit scorecard", "Customer churn propensity"][rawValue]
        }
        var description: String {
            ["Scores every card authorisation for fraud in under 50 ms; the portfolio's largest source of value.",
             "Recommends restaurants and merchants in the mobile app from recent card spend; behaviour changed overnight when dining habits shifted.",
             "Drafts answers for contact-centre agents from the policy knowledge base using a third-party LLM.",
             "Application scorecard for unsecured consumer loans.",
             "Predicts which retail customers will leave in the next 90 days, from customer-master features."][rawValue]
        }
        var useCaseText: String {
            ["Decline or step-up authentication for suspicious card transactions.",
             "Personalised merchant offers in the mobile banking app.",
             "Agent assist in the contact centre (human in the loop).",
             "Accept/decline and pricing of consumer loan applications.",
             "Retention campaigns for at-risk customers."][rawValue]
        }
        func created(_ asOf: Day) -> Day { asOf.adding(days: -[1000, 900, 400, 700, 800][rawValue]) }
    }
}
