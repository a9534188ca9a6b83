import BinnacleCore
import Foundation

/// SplitMix64: small, fast and the same on every platform, so a seed always gives the same bundle.
public struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64
    public init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
    mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(next() % UInt64(range.count)) }
    mutating func chance(_ p: Double) -> Bool { unit() < p }
    mutating func pick<T>(_ items: [T]) -> T { items[int(0...(items.count - 1))] }
    /// Normal(0, 1) by Box–Muller.
    mutating func gaussian() -> Double {
        let u = max(unit(), 1e-12), v = unit()
        return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
    }
}

/// Writes a realistic synthetic portfolio bundle at any scale, with the demo's stories built in:
/// a recommender whose drift spiked overnight, a gen-AI assistant with no risk assessment, a credit
/// model validated by its own developer, a fraud model paying for half the portfolio, a graveyard of
/// shelved models, and a PII dataset feeding nine models through feature groups.
public struct PortfolioGenerator {
    public var models: Int
    public var seed: UInt64
    public var asOf: Day
    public var portfolio = "Northwind Financial Group"
    public var currency = "EUR"

    public init(models: Int, seed: UInt64, asOf: Day) {
        self.models = models; self.seed = seed; self.asOf = asOf
    }

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

    /// (direction, warn, critical, healthy baseline, noise) per metric.
    static let metricSpecs: [String: (MonitorDirection, Double, Double, Double, Double)] = [
        "auc": (.below, 0.70, 0.65, 0.79, 0.012),
        "psi_score": (.above, 0.10, 0.25, 0.03, 0.012),
        "null_rate": (.above, 0.02, 0.05, 0.006, 0.002),
        "mape": (.above, 0.15, 0.25, 0.08, 0.015),
        "mae": (.above, 0.12, 0.20, 0.06, 0.01),
        "ctr": (.below, 0.020, 0.015, 0.034, 0.002),
        "hallucination_rate": (.above, 0.03, 0.06, 0.012, 0.004),
        "p95_latency_ms": (.above, 800, 1500, 320, 40),
    ]

    static let regions = ["Nordics", "DACH", "Benelux", "UK", "Iberia", "France", "Italy", "Poland", "Baltics", "Ireland"]
    static let firstNames = ["Ada", "Ben", "Chloe", "Dev", "Elena", "Farid", "Grace", "Hugo", "Ines", "Jonas", "Kemi", "Liam",
                             "Maya", "Nils", "Olga", "Priya", "Quentin", "Rosa", "Sami", "Tara", "Umar", "Vera", "Wen", "Ximena",
                             "Yusuf", "Zoe", "Arjun", "Bea", "Carlos", "Dana"]
    static let lastNames = ["Andersen", "Brooks", "Chen", "Diaz", "Eriksen", "Fischer", "Garcia", "Haddad", "Ito", "Jansen",
                            "Kowalski", "Laine", "Moreau", "Nakamura", "Okafor", "Petrov", "Quinn", "Rossi", "Schmidt", "Tanaka",
                            "Umarov", "Varga", "Weber", "Xu", "Yilmaz", "Zimmermann"]

    /// Writes the bundle's files into `directory` (created if needed). Returns rows per file.
    @discardableResult
    public func write(to directory: String) throws -> [BundleFile: Int] {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var w = try Writers(directory: directory)
        var rng = SeededRandom(seed: seed)
        let start = asOf.adding(days: -3 * 365)

        w.manifest.write(["format", Manifest.format])
        w.manifest.write(["portfolio", portfolio])
        w.manifest.write(["currency", currency])
        w.manifest.write(["as_of", asOf.description])

        // People: a few executives and risk officers, a lead per domain, validators and engineers.
        let peopleCount = max(24, min(5000, models * 27 / 100))
        var people: [(login: String, role: Role, team: String, active: Bool)] = []
        var usedLogins: Set<String> = []
        for i in 0..<peopleCount {
            let role: Role
            let team: String
            let domain = PortfolioGenerator.domains[i % PortfolioGenerator.domains.count].name
            switch i {
            case 0..<3: role = .executive; team = "Group Executive"
            case 3..<6: role = .riskOfficer; team = "Model Risk Management"
            case 6..<(6 + PortfolioGenerator.domains.count): role = .aiLead; team = domain
            default:
                role = i % 6 == 0 ? .validator : .engineer
                team = role == .validator ? "Model Validation" : domain
            }
            let first = PortfolioGenerator.firstNames[(i * 7) % PortfolioGenerator.firstNames.count]
            let last = PortfolioGenerator.lastNames[(i * 11 + i / 26) % PortfolioGenerator.lastNames.count]
            var login = (String(first.prefix(1)) + last).lowercased()
            if !usedLogins.insert(login).inserted { login += String(i); usedLogins.insert(login) }
            let active = i < 13 || (i < peopleCount - 1 && !rng.chance(0.06))
            people.append((login, role, team, active))
            w.people.write([login, "\(first) \(last)", "\(login)@northwind.example", role.rawValue, team, active ? "true" : "false"])
        }
        let leads = Dictionary(uniqueKeysWithValues: people.filter { $0.role == .aiLead }.map { ($0.team, $0.login) })
        let engineersByTeam = Dictionary(grouping: people.filter { $0.role == .engineer }, by: \.team).mapValues { $0.map(\.login) }
        let validators = people.filter { $0.role == .validator }.map(\.login)
        let executives = people.filter { $0.role == .executive }.map(\.login)
        let riskOfficers = people.filter { $0.role == .riskOfficer }.map(\.login)

        // Shared data assets: the PII customer master feeds nine models through three feature groups.
        w.assets.write(["ds-customer-master", "dataset", "Customer master (names, addresses, national ids)", riskOfficers[0], "pii;gdpr-special"])
        w.assets.write(["ds-card-transactions", "dataset", "Card transactions", leads["Cards & Payments"] ?? riskOfficers[0], "pii"])
        w.assets.write(["ds-web-clickstream", "dataset", "Web and app clickstream", leads["Marketing"] ?? riskOfficers[0], ""])
        w.assets.write(["ds-bureau-scores", "dataset", "Credit bureau scores (third party)", leads["Lending"] ?? riskOfficers[0], "third-party;credit-decision"])
        w.assets.write(["ds-call-transcripts", "dataset", "Call-centre transcripts", leads["Customer Service"] ?? riskOfficers[0], "pii"])
        for fg in ["fg-customer-profile", "fg-household-income", "fg-contactability"] {
            w.assets.write([fg, "feature_group", fg.dropFirst(3).split(separator: "-").joined(separator: " ").capitalized + " features", riskOfficers[1 % riskOfficers.count], ""])
            w.lineage.write(["ds-customer-master", fg])
        }
        w.assets.write(["app-mobile-banking", "application", "Mobile banking app", executives[0], "customer-facing"])
        w.assets.write(["app-contact-centre", "application", "Contact-centre desktop", executives[1 % executives.count], ""])
        w.assets.write(["app-loan-origination", "application", "Loan origination system", executives[2 % executives.count], "credit-decision"])
        w.assets.write(["proc-credit-approval", "process", "Retail credit approval", riskOfficers[0], "regulatory"])
        w.assets.write(["proc-fraud-ops", "process", "Fraud operations", riskOfficers[2 % riskOfficers.count], ""])
        w.lineage.write(["app-loan-origination", "proc-credit-approval"])
        var piiFed = 0

        var taskNumber = 0
        var modelIds: Set<String> = []
        for index in 0..<models {
            let story = Story(rawValue: index)
            let domainIndex = story?.domain ?? rng.int(0...(PortfolioGenerator.domains.count - 1))
            let domain = PortfolioGenerator.domains[domainIndex]
            var useCase = story.map { domain.cases[$0.caseIndex] } ?? rng.pick(domain.cases)
            var name = useCase.name
            if let story { name = story.name } else if index >= 7 * 5 { name += " — " + rng.pick(PortfolioGenerator.regions) }
            var id = Slug.make(name)
            if !modelIds.insert(id).inserted {
                // Another model already has this name: number the newcomer, as teams do.
                var n = 2
                while modelIds.contains(id + "-\(n)") { n += 1 }
                id += "-\(n)"
                name += " \(n)"
                modelIds.insert(id)
            }
            if let kind = story?.kind { useCase.kind = kind }

            let tier = story?.tier ?? (useCase.tags.contains("credit-decision") || useCase.tags.contains("regulatory") ? 1
                : rng.chance(0.4) ? 2 : rng.chance(0.6) ? 3 : 1)
            let team = domain.name
            let engineers = engineersByTeam[team] ?? [people[people.count - 1].login]
            let developer = story == .ownValidator ? engineers[0] : rng.pick(engineers)
            var validator: String = validators.isEmpty ? "" : rng.pick(validators)
            if story == .ownValidator || (story == nil && rng.chance(0.04)) { validator = developer }
            if story == nil, rng.chance(0.05) { validator = "" }
            // A few models belong to someone who has since left: the orphans a risk officer must re-home.
            let owner = story == nil && rng.chance(0.04) ? people[people.count - 1].login
                : rng.chance(0.8) ? (leads[team] ?? people[0].login) : rng.pick(executives)
            let vendor = useCase.kind == .genai ? rng.pick(["OpenAI", "Anthropic", "Mistral AI"]) : (rng.chance(0.08) ? "Moody's Analytics" : "")
            let created = story?.created(asOf) ?? start.adding(days: rng.int(0...(3 * 365 - 20)))

            // The life of the model: idea → development → validation → production → maybe retired, or shelved.
            var stages: [(Stage, Day)] = []
            var day = created
            let fate = story?.fate ?? PortfolioGenerator.fate(&rng)
            let path: [Stage] = {
                switch fate {
                case .idea: return []
                case .development: return [.development]
                case .validation: return [.development, .validation]
                case .production: return [.development, .validation, .production]
                case .retired: return [.development, .validation, .production, .retired]
                case .shelved: return rng.chance(0.5) ? [.development, .shelved] : [.development, .validation, .shelved]
                default: return []
                }
            }()
            for stage in path {
                let gap: Int
                switch stage {
                case .development: gap = rng.int(7...60)
                case .validation: gap = rng.int(30...200)
                case .production: gap = rng.chance(0.3) ? rng.int(7...40) : rng.int(40...150)
                default: gap = rng.int(60...400)
                }
                let next = day.adding(days: gap)
                if next > asOf { break }
                day = next
                stages.append((stage, day))
            }
            if story == .genaiAssistant, stages.last?.0 != .production { stages = [(.development, created.adding(days: 20)), (.validation, created.adding(days: 60)), (.production, created.adding(days: 90))] }
            let lead = leads[team] ?? owner
            for (i, (stage, d)) in stages.enumerated() {
                let by = stage == .development ? developer : stage == .validation ? developer : lead
                let note: String
                switch stage {
                case .production: note = i > 0 && story == .ownValidator ? "validated in-house to meet the launch date" : "approved at model risk committee"
                case .shelved: note = rng.pick(["no business sponsor after reorganisation", "data not available in production",
                                                "superseded by vendor product", "benefit case not proven", "regulatory concerns"])
                case .retired: note = "replaced by successor model"
                default: note = ""
                }
                w.stages.write([id, stage.rawValue, PortfolioGenerator.stamp(d, hour: rng.int(8...17), minute: rng.int(0...59)), by, note])
            }

            var tags = useCase.tags
            if story == .piiDemo { tags.append("customer-profile") }
            w.models.write([id, name, domain.name, story?.description ?? "\(useCase.name) for the \(domain.name) business.",
                            story?.useCaseText ?? "Supports \(domain.name.lowercased()) decisions with \(useCase.kind.rawValue) scores.",
                            useCase.kind.rawValue, String(tier), owner, developer, validator, vendor, tags.joined(separator: ";"),
                            created.description])

            // Lineage: datasets → feature groups → model → application.
            let feedsPII = story == .piiDemo || (piiFed < 9 && story == nil && useCase.tags.contains("pii") && index > 20)
            if feedsPII {
                piiFed += 1
                w.lineage.write([["fg-customer-profile", "fg-household-income", "fg-contactability"][piiFed % 3], id])
            } else if domain.name == "Cards & Payments" {
                w.lineage.write(["ds-card-transactions", id])
            } else if domain.name == "Marketing" {
                w.lineage.write(["ds-web-clickstream", id])
            } else if domain.name == "Lending" {
                w.lineage.write(["ds-bureau-scores", id])
            } else if domain.name == "Customer Service" {
                w.lineage.write(["ds-call-transcripts", id])
            }
            if domain.name == "Lending", rng.chance(0.5) { w.lineage.write([id, "app-loan-origination"]) }
            if domain.name == "Customer Service", rng.chance(0.5) { w.lineage.write([id, "app-contact-centre"]) }
            if domain.name == "Marketing", rng.chance(0.4) { w.lineage.write([id, "app-mobile-banking"]) }
            if domain.name == "Cards & Payments", useCase.name.contains("fraud") { w.lineage.write([id, "proc-fraud-ops"]) }

            let production = stages.first { $0.0 == .production }?.1
            let retired = stages.first { $0.0 == .retired }?.1
            let shelvedOn = stages.first { $0.0 == .shelved }?.1

            // Value and cost: monthly, on month-ends. Build cost from development on; value once live.
            let noImpact = story == nil && rng.chance(0.25)
            // Some businesses book a model's value only at quarter-ends.
            let quarterly = story == nil && rng.chance(0.15)
            let scale = story == .fraud ? 0.0 : exp(rng.gaussian() * 0.8) * 9_000
            var month = (stages.first?.1 ?? asOf.adding(days: 1)).monthEnd
            let stop = retired ?? shelvedOn ?? asOf
            while month <= asOf, month <= stop.monthEnd {
                let live = production.map { month >= $0 } ?? false
                var value = 0.0
                if live {
                    if story == .fraud { value = 420_000 * (1 + 0.05 * rng.gaussian()) }
                    else if !noImpact, !quarterly || month.civil.month % 3 == 0 { value = max(0, scale * (1 + 0.25 * rng.gaussian())) }
                    if story == .recommender, month > asOf.adding(days: -75) { value *= 0.35 }
                }
                let cost = live ? scale * 0.25 + 1_500 : 4_000 + rng.unit() * 2_000
                w.value.write([id, month.description, Format.fixed(value, decimals: 2), Format.fixed(cost, decimals: 2),
                               live ? "" : "build"])
                month = month.adding(days: 1).monthEnd
            }

            // Documents: what the tier requires, mostly approved, with gaps, drafts and expiries.
            if let firstDocDay = stages.first(where: { $0.0 == .validation || $0.0 == .production })?.1 {
                for kind in RequiredDocuments.kinds(tier: RiskTier(rawValue: tier)!, kind: useCase.kind) {
                    if story == .genaiAssistant, kind == .riskAssessment { continue }
                    if story == nil, rng.chance(0.06) { continue }
                    let submitted = firstDocDay.adding(days: -rng.int(3...30))
                    let draft = story == nil && rng.chance(0.05)
                    let approver = story == .ownValidator ? developer : (validator.isEmpty || validator == developer ? rng.pick(riskOfficers) : validator)
                    let approved = submitted.adding(days: rng.int(2...20))
                    let expires: Day? = story == nil && rng.chance(0.55) ? approved.adding(days: 365 * rng.int(1...2) + rng.int(-60...60)) : nil
                    w.documents.write([id, kind.rawValue, "1.0", submitted.description, draft ? "" : approved.description,
                                       draft ? "" : approver, draft ? "" : expires?.description ?? "",
                                       "https://docs.northwind.example/models/\(id)/\(kind.rawValue)/1.0"])
                    // Most expired documents were renewed with a new version before or soon after expiry.
                    if !draft, let expires, expires <= asOf, rng.chance(0.7) {
                        let renewed = expires.adding(days: rng.int(-45...20))
                        w.documents.write([id, kind.rawValue, "2.0", renewed.adding(days: -10).description, renewed.description, approver,
                                           renewed.adding(days: 730).description,
                                           "https://docs.northwind.example/models/\(id)/\(kind.rawValue)/2.0"])
                    }
                }
            }

            // Monitoring: production and retired models; about 8% of production models have none.
            if let live = production, story == .recommender || story == nil ? !rng.chance(0.08) : true {
                let metrics = useCase.metrics
                // About 400 points a model (every other day), so the portfolio averages ~100 per model.
                let perMetric = max(8, 400 / metrics.count)
                let lastDay = retired ?? (story == nil && rng.chance(0.07) ? asOf.adding(days: -rng.int(20...90)) : asOf.adding(days: -rng.int(0...5)))
                let degrade = story == .recommender ? 2 : story == nil ? (rng.chance(0.09) ? 2 : rng.chance(0.10) ? 1 : 0) : 0
                for (mi, metric) in metrics.enumerated() {
                    let (direction, warn, critical, base, noise) = PortfolioGenerator.metricSpecs[metric]!
                    w.monitors.write([id, metric, direction.rawValue, Format.number(warn), Format.number(critical)])
                    for k in stride(from: perMetric - 1, through: 0, by: -1) {
                        let d = lastDay.adding(days: -2 * k)
                        if d < live { continue }
                        var v = base + noise * rng.gaussian()
                        // Degrading models drift over their last eight weeks (28 points) toward (or past) the thresholds.
                        if degrade > 0, mi == 0 || metric == "psi_score", k < 28 {
                            let target = degrade == 2 ? critical : warn
                            v = base + (target - base) * (1.15 - Double(k) * 0.035) + noise * 0.3 * rng.gaussian()
                            if story == .recommender, metric == "psi_score" { v = k < 4 ? 0.38 + 0.02 * Double(3 - k) : base + noise * rng.gaussian() }
                        }
                        if metric != "p95_latency_ms" { v = max(0, v) }
                        w.observations.write([id, metric, PortfolioGenerator.stamp(d, hour: 6, minute: 0),
                                              Format.fixed(v, decimals: metric == "p95_latency_ms" ? 0 : 4)])
                    }
                }
            }

            // Remediation tasks: on a tenth of the models, some closed, some overdue.
            if story == .recommender || (story == nil && production != nil && rng.chance(0.25)) {
                taskNumber += 1
                let createdTask = story == .recommender ? asOf.adding(days: -9) : asOf.adding(days: -rng.int(1...200))
                let due = createdTask.adding(days: rng.int(7...45))
                // Older tasks have mostly been dealt with; recent ones are mostly still open.
                let closedChance = asOf - createdTask > 45 ? 0.8 : 0.2
                let closed = story == nil && rng.chance(closedChance) ? min(asOf, createdTask.adding(days: rng.int(3...60))) : nil
                let status = closed != nil ? (rng.chance(0.6) ? "verified" : rng.chance(0.7) ? "resolved" : "wontfix")
                                            : rng.chance(0.5) ? "in_progress" : "open"
                let title = story == .recommender ? "Retrain recommender on post-shift behaviour (PSI 0.4)"
                    : rng.pick(["Investigate drift in input features", "Refresh validation report", "Add data-quality monitor",
                                "Recalibrate scores after data change", "Document fallback procedure"])
                w.tasks.write([String(format: "T-%06d", taskNumber), id, title, developer, lead, rng.pick(["p1", "p2", "p2", "p3"]),
                               createdTask.description, due.description, status, closed?.description ?? ""])
            }
        }
        return try w.close()
    }

    enum Fate { case idea, development, validation, production, retired, shelved }

    static func fate(_ rng: inout SeededRandom) -> Fate {
        let r = rng.unit()
        switch r {
        case ..<0.07: return .idea
        case ..<0.17: return .development
        case ..<0.23: return .validation
        case ..<0.63: return .production
        case ..<0.69: return .retired
        default: return .shelved
        }
    }

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

    static func stamp(_ day: Day, hour: Int, minute: Int) -> String {
        Timestamp(day: day, hour: hour, minute: minute, second: 0).bundleText
    }

    /// One CSV writer per file.
    struct Writers {
        var manifest, people, models, assets, stages, value, documents, monitors, observations, lineage, tasks: CSVWriter
        init(directory: String) throws {
            func open(_ f: BundleFile) throws -> CSVWriter {
                try CSVWriter(path: (directory as NSString).appendingPathComponent(f.fileName), header: f.columns)
            }
            manifest = try open(.manifest); people = try open(.people); models = try open(.models); assets = try open(.assets)
            stages = try open(.stages); value = try open(.value); documents = try open(.documents); monitors = try open(.monitors)
            observations = try open(.observations); lineage = try open(.lineage); tasks = try open(.tasks)
        }
        func close() throws -> [BundleFile: Int] {
            let all: [(BundleFile, CSVWriter)] = [(.manifest, manifest), (.people, people), (.models, models), (.assets, assets),
                (.stages, stages), (.value, value), (.documents, documents), (.monitors, monitors),
                (.observations, observations), (.lineage, lineage), (.tasks, tasks)]
            var counts: [BundleFile: Int] = [:]
            for (f, w) in all { try w.close(); counts[f] = w.rows }
            return counts
        }
    }
}
