import BinnacleCore
import Foundation

/// SplitMix64: small, fast and the same on every platform, so a seed always gives the same bundle.
public struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64
    public init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }

    /// The stream of one entity, keyed by its name: the same (seed, key) always draws the same numbers
    /// however many draws other entities made. FNV-1a over the key, not `Hasher` (seeded per process).
    init(seed: UInt64, key: String) {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in key.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
        self.init(seed: SeededRandom.mix(seed ^ SeededRandom.mix(hash)))
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return SeededRandom.mix(state)
    }

    static func mix(_ x: UInt64) -> UInt64 {
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
    mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(next() % UInt64(range.count)) }
    mutating func chance(_ p: Double) -> Bool { unit() < p }
    mutating func pick<T>(_ items: [T]) -> T { items[int(0...(items.count - 1))] }
    mutating func pick<T>(_ items: ArraySlice<T>) -> T { items[items.startIndex + int(0...(items.count - 1))] }
    /// Normal(0, 1) by Box–Muller.
    mutating func gaussian() -> Double {
        let u = max(unit(), 1e-12), v = unit()
        return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
    }
}

/// Writes a realistic synthetic portfolio bundle at any scale, with the demo's stories built in:
/// a recommender whose drift spiked overnight, a gen-AI assistant with no risk assessment, a credit
/// model validated by its own developer, a fraud model paying for half the portfolio, a graveyard of
/// shelved models, and a PII dataset feeding nine models through feature groups; and the audit history of
/// the last 60 days (GeneratorHistory.swift).
///
/// Stable by construction: every entity draws from its own random stream, keyed by the seed, the
/// entity's kind and its number (`stream(_:_:_:)`), and a model only sees the people hired before it
/// (`Staff.roster(forModel:)`). So model 7 is the same in a portfolio of 10 or of 50,000, and changing
/// how one kind of row is drawn leaves every other kind's rows byte-identical. Only the model's identity
/// (its "model" stream) shapes all its rows, and only names and the nine customer-master feeds depend on
/// the models before it (`ModelRegistry`).
public struct PortfolioGenerator {
    public var models: Int
    public var seed: UInt64
    public var asOf: Day
    public var portfolio = "Northwind Financial Group"
    public var currency = "EUR"

    public init(models: Int, seed: UInt64, asOf: Day) {
        self.models = models; self.seed = seed; self.asOf = asOf
    }

    /// Writes the bundle's files into `directory` (created if needed), one model at a time so memory stays
    /// flat at any scale (only the last 60 days' audit entries wait, to be written in time order).
    /// Returns rows per file.
    @discardableResult
    public func write(to directory: String) throws -> [BundleFile: Int] {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var out = try Writers(directory: directory, history: AuditHistory(seed: seed, asOf: asOf))
        writeManifest(&out)
        let staff = makeStaff()
        for person in staff.people { out.people.write(person.row) }
        writeSharedAssets(staff, &out)
        var registry = ModelRegistry()
        for index in 0..<models {
            let model = makeModel(index, staff: staff, registry: &registry)
            let stages = stageHistory(model)
            out.models.write(model.row)
            for change in stages { out.stages.write(change.row(model.id)) }
            out.history.stageDecisions(model, stages)
            writeLineage(model, &out)
            let life = Life(stages)
            writeValue(model, life, &out)
            writeDocuments(model, life, staff, &out)
            writeMonitoring(model, life, &out)
            writeTask(model, life, staff, &out)
        }
        try out.writeHistory()
        return try out.close()
    }

    /// The random stream of one entity (`kind` names what is drawn, `detail` splits it further).
    func stream(_ kind: String, _ index: Int, _ detail: String = "") -> SeededRandom {
        SeededRandom(seed: seed, key: "\(kind)/\(index)/\(detail)")
    }

    func writeManifest(_ out: inout Writers) {
        out.manifest.write(["format", Manifest.format])
        out.manifest.write(["portfolio", portfolio])
        out.manifest.write(["currency", currency])
        out.manifest.write(["as_of", asOf.description])
    }

    // MARK: People

    struct Person {
        var index: Int
        var login, name: String
        var role: Role
        var team: String
        var active: Bool
        var row: [String] { [login, name, "\(login)@northwind.example", role.rawValue, team, active ? "true" : "false"] }
    }

    /// The people, in order of hiring, with the lists models pick their staff from.
    struct Staff {
        var people: [Person] = []
        var executives: [String] = [], riskOfficers: [String] = []
        var leads: [String: String] = [:]
        var engineersByTeam: [String: [Person]] = [:]
        var engineers: [Person] = [], validators: [Person] = []
        /// The engineer who left: owner of the orphaned models a risk officer must re-home.
        var departed: String { people[Staff.departedIndex].login }
        static let departedIndex = 23

        /// About 27 people per 100 models, at most 5,000; at least 40, so that even the first models find
        /// a few validators and engineers in every team.
        static func size(forModels models: Int) -> Int { max(40, min(5000, models * 27 / 100)) }

        /// How many people were hired when model `index` was registered: a model's staff never depends
        /// on how many models come after it.
        static func roster(forModel index: Int) -> Int { size(forModels: index + 1) }

        /// The first of `people` hired within `roster`.
        static func hired(_ people: [Person], within roster: Int) -> ArraySlice<Person> {
            var low = 0, high = people.count
            while low < high {
                let mid = (low + high) / 2
                if people[mid].index < roster { low = mid + 1 } else { high = mid }
            }
            return people[..<low]
        }
    }

    /// A few executives and risk officers, a lead per domain, then validators and engineers.
    func makeStaff() -> Staff {
        var staff = Staff()
        var usedLogins: Set<String> = []
        let domains = PortfolioGenerator.domains
        for i in 0..<Staff.size(forModels: models) {
            let domain = domains[i % domains.count].name
            let role: Role, team: String
            switch i {
            case 0..<3: role = .executive; team = "Group Executive"
            case 3..<6: role = .riskOfficer; team = "Model Risk Management"
            case 6..<(6 + domains.count): role = .aiLead; team = domain
            default:
                role = i % 6 == 0 ? .validator : .engineer
                team = role == .validator ? "Model Validation" : domain
            }
            let first = PortfolioGenerator.firstNames[(i * 7) % PortfolioGenerator.firstNames.count]
            let last = PortfolioGenerator.lastNames[(i * 11 + i / 26) % PortfolioGenerator.lastNames.count]
            var login = (String(first.prefix(1)) + last).lowercased()
            if !usedLogins.insert(login).inserted { login += String(i); usedLogins.insert(login) }
            var random = stream("person", i)
            // The leadership stays; one engineer has left, and a few others since.
            let active = i < 13 || (i != Staff.departedIndex && !random.chance(0.06))
            let person = Person(index: i, login: login, name: "\(first) \(last)", role: role, team: team, active: active)
            staff.people.append(person)
            switch role {
            case .executive: staff.executives.append(login)
            case .riskOfficer: staff.riskOfficers.append(login)
            case .aiLead: staff.leads[team] = login
            case .validator: staff.validators.append(person)
            default: staff.engineers.append(person); staff.engineersByTeam[team, default: []].append(person)
            }
        }
        return staff
    }

    // MARK: Assets

    /// The shared data assets: the PII customer master feeds nine models through three feature groups.
    func writeSharedAssets(_ staff: Staff, _ out: inout Writers) {
        let risk = staff.riskOfficers, executives = staff.executives
        func lead(_ domain: String) -> String { staff.leads[domain] ?? risk[0] }
        out.assets.write(["ds-customer-master", "dataset", "Customer master (names, addresses, national ids)", risk[0], "pii;gdpr-special"])
        out.assets.write(["ds-card-transactions", "dataset", "Card transactions", lead("Cards & Payments"), "pii"])
        out.assets.write(["ds-web-clickstream", "dataset", "Web and app clickstream", lead("Marketing"), ""])
        out.assets.write(["ds-bureau-scores", "dataset", "Credit bureau scores (third party)", lead("Lending"), "third-party;credit-decision"])
        out.assets.write(["ds-call-transcripts", "dataset", "Call-centre transcripts", lead("Customer Service"), "pii"])
        for group in PortfolioGenerator.customerFeatureGroups {
            let name = group.dropFirst(3).split(separator: "-").joined(separator: " ").capitalized + " features"
            out.assets.write([group, "feature_group", name, risk[1 % risk.count], ""])
            out.lineage.write(["ds-customer-master", group])
        }
        out.assets.write(["app-mobile-banking", "application", "Mobile banking app", executives[0], "customer-facing"])
        out.assets.write(["app-contact-centre", "application", "Contact-centre desktop", executives[1 % executives.count], ""])
        out.assets.write(["app-loan-origination", "application", "Loan origination system", executives[2 % executives.count], "credit-decision"])
        out.assets.write(["proc-credit-approval", "process", "Retail credit approval", risk[0], "regulatory"])
        out.assets.write(["proc-fraud-ops", "process", "Fraud operations", risk[2 % risk.count], ""])
        out.lineage.write(["app-loan-origination", "proc-credit-approval"])
    }

    static let customerFeatureGroups = ["fg-customer-profile", "fg-household-income", "fg-contactability"]

    // MARK: Models

    /// One model's identity and people, drawn before any of its rows.
    struct Model {
        var index: Int
        var story: Story?
        var id, name, domain: String
        var useCase: UseCase
        var tier: Int
        var owner, developer, validator, vendor, lead: String
        var created: Day
        var tags: [String]
        /// The customer-master feature group feeding it, if any.
        var customerFeatures: String?

        var kind: ModelKind { useCase.kind }
        var row: [String] {
            [id, name, domain, story?.description ?? "\(useCase.name) for the \(domain) business.",
             story?.useCaseText ?? "Supports \(domain.lowercased()) decisions with \(kind.rawValue) scores.",
             kind.rawValue, String(tier), owner, developer, validator, vendor, tags.joined(separator: ";"), created.description]
        }
    }

    /// What depends on the models before this one: the ids taken and the customer master's feeds.
    struct ModelRegistry {
        var ids: Set<String> = []
        var customerMasterFeeds = 0

        /// The slug of `name`, numbered as teams do when another model already has it.
        mutating func claim(_ name: String) -> (id: String, name: String) {
            var id = Slug.make(name)
            var name = name
            if !ids.insert(id).inserted {
                var n = 2
                while ids.contains(id + "-\(n)") { n += 1 }
                id += "-\(n)"
                name += " \(n)"
                ids.insert(id)
            }
            return (id, name)
        }
    }

    func makeModel(_ index: Int, staff: Staff, registry: inout ModelRegistry) -> Model {
        var random = stream("model", index)
        let story = Story(rawValue: index)
        let domains = PortfolioGenerator.domains
        let domain = domains[story?.domain ?? random.int(0...(domains.count - 1))]
        var useCase = story.map { domain.cases[$0.caseIndex] } ?? random.pick(domain.cases)
        if let kind = story?.kind { useCase.kind = kind }
        var name = story?.name ?? useCase.name
        if story == nil, index >= 7 * 5 { name += " — " + random.pick(PortfolioGenerator.regions) }
        let claimed = registry.claim(name)

        let regulated = useCase.tags.contains("credit-decision") || useCase.tags.contains("regulatory")
        let tier = story?.tier ?? (regulated ? 1 : random.chance(0.4) ? 2 : random.chance(0.6) ? 3 : 1)
        let roster = Staff.roster(forModel: index)
        let team = domain.name
        // A team without engineers yet borrows one from another team.
        var engineers = Staff.hired(staff.engineersByTeam[team] ?? [], within: roster)
        if engineers.isEmpty { engineers = Staff.hired(staff.engineers, within: roster) }
        let developer = story == .ownValidator ? engineers[engineers.startIndex].login : random.pick(engineers).login
        let validators = Staff.hired(staff.validators, within: roster)
        var validator = validators.isEmpty ? "" : random.pick(validators).login
        if story == .ownValidator || (story == nil && random.chance(0.04)) { validator = developer }
        if story == nil, random.chance(0.05) { validator = "" }
        let lead = staff.leads[team] ?? staff.people[0].login
        // A few models belong to someone who has since left: the orphans a risk officer must re-home.
        let owner = story == nil && random.chance(0.04) ? staff.departed : random.chance(0.8) ? lead : random.pick(staff.executives)
        let vendor = useCase.kind == .genai ? random.pick(["OpenAI", "Anthropic", "Mistral AI"])
            : random.chance(0.08) ? "Moody's Analytics" : ""
        let created = story?.created(asOf) ?? asOf.adding(days: -3 * 365 + random.int(0...(3 * 365 - 20)))

        var tags = useCase.tags
        if story == .piiDemo { tags.append("customer-profile") }
        // The first nine PII models after the stories feed from the customer master.
        var customerFeatures: String?
        if story == .piiDemo || (registry.customerMasterFeeds < 9 && story == nil && useCase.tags.contains("pii") && index > 20) {
            registry.customerMasterFeeds += 1
            customerFeatures = PortfolioGenerator.customerFeatureGroups[registry.customerMasterFeeds % 3]
        }
        return Model(index: index, story: story, id: claimed.id, name: claimed.name, domain: team, useCase: useCase, tier: tier,
                     owner: owner, developer: developer, validator: validator, vendor: vendor, lead: lead,
                     created: created, tags: tags, customerFeatures: customerFeatures)
    }

    // MARK: Stage history

    enum Fate { case idea, development, validation, production, retired, shelved }

    static func fate(_ random: inout SeededRandom) -> Fate {
        switch random.unit() {
        case ..<0.07: return .idea
        case ..<0.17: return .development
        case ..<0.23: return .validation
        case ..<0.63: return .production
        case ..<0.69: return .retired
        default: return .shelved
        }
    }

    struct StageChange {
        var stage: Stage
        var day: Day
        var hour = 9, minute = 0
        var by: String
        var note = ""
        func row(_ model: String) -> [String] {
            [model, stage.rawValue, PortfolioGenerator.stamp(day, hour: hour, minute: minute), by, note]
        }
    }

    /// The life of the model: idea → development → validation → production → maybe retired, or shelved.
    func stageHistory(_ model: Model) -> [StageChange] {
        var random = stream("stages", model.index)
        let path: [Stage]
        switch model.story?.fate ?? PortfolioGenerator.fate(&random) {
        case .idea: path = []
        case .development: path = [.development]
        case .validation: path = [.development, .validation]
        case .production: path = [.development, .validation, .production]
        case .retired: path = [.development, .validation, .production, .retired]
        case .shelved: path = random.chance(0.5) ? [.development, .shelved] : [.development, .validation, .shelved]
        }
        var days: [(Stage, Day)] = []
        var day = model.created
        for stage in path {
            let gap: Int
            switch stage {
            case .development: gap = random.int(7...60)
            case .validation: gap = random.int(30...200)
            case .production: gap = random.chance(0.3) ? random.int(7...40) : random.int(40...150)
            default: gap = random.int(60...400)
            }
            let next = day.adding(days: gap)
            if next > asOf { break }
            day = next
            days.append((stage, day))
        }
        if model.story == .genaiAssistant, days.last?.0 != .production {
            days = [(.development, model.created.adding(days: 20)), (.validation, model.created.adding(days: 60)),
                    (.production, model.created.adding(days: 90))]
        }
        return days.enumerated().map { i, entry in
            let (stage, day) = entry
            var change = StageChange(stage: stage, day: day, hour: random.int(8...17), minute: random.int(0...59),
                                     by: stage == .development || stage == .validation ? model.developer : model.lead)
            switch stage {
            case .production:
                change.note = i > 0 && model.story == .ownValidator ? "validated in-house to meet the launch date" : "approved at model risk committee"
            case .shelved:
                change.note = random.pick(["no business sponsor after reorganisation", "data not available in production",
                                           "superseded by vendor product", "benefit case not proven", "regulatory concerns"])
            case .retired: change.note = "replaced by successor model"
            default: break
            }
            return change
        }
    }

    /// The dates of a model's life that its other rows follow.
    struct Life {
        var started, production, retired, shelved, documented: Day?
        init(_ stages: [StageChange]) {
            func first(_ stage: Stage) -> Day? { stages.first { $0.stage == stage }?.day }
            started = stages.first?.day
            production = first(.production)
            retired = first(.retired)
            shelved = first(.shelved)
            documented = stages.first { $0.stage == .validation || $0.stage == .production }?.day
        }
    }

    // MARK: Lineage

    /// Datasets → feature groups → model → application.
    func writeLineage(_ model: Model, _ out: inout Writers) {
        var random = stream("lineage", model.index)
        let id = model.id
        let domainDataset = ["Cards & Payments": "ds-card-transactions", "Marketing": "ds-web-clickstream",
                             "Lending": "ds-bureau-scores", "Customer Service": "ds-call-transcripts"]
        if let group = model.customerFeatures {
            out.lineage.write([group, id])
        } else if let dataset = domainDataset[model.domain] {
            out.lineage.write([dataset, id])
        }
        switch model.domain {
        case "Lending": if random.chance(0.5) { out.lineage.write([id, "app-loan-origination"]) }
        case "Customer Service": if random.chance(0.5) { out.lineage.write([id, "app-contact-centre"]) }
        case "Marketing": if random.chance(0.4) { out.lineage.write([id, "app-mobile-banking"]) }
        case "Cards & Payments": if model.useCase.name.contains("fraud") { out.lineage.write([id, "proc-fraud-ops"]) }
        default: break
        }
    }

    // MARK: Value and cost

    /// Monthly, on month-ends: build cost from development on; value once live.
    func writeValue(_ model: Model, _ life: Life, _ out: inout Writers) {
        var random = stream("value", model.index)
        let story = model.story
        let noImpact = story == nil && random.chance(0.25)
        // Some businesses book a model's value only at quarter-ends.
        let quarterly = story == nil && random.chance(0.15)
        let scale = story == .fraud ? 0.0 : exp(random.gaussian() * 0.8) * 9_000
        var month = (life.started ?? asOf.adding(days: 1)).monthEnd
        let stop = life.retired ?? life.shelved ?? asOf
        while month <= asOf, month <= stop.monthEnd {
            let live = life.production.map { month >= $0 } ?? false
            var value = 0.0
            if live {
                if story == .fraud { value = 420_000 * (1 + 0.05 * random.gaussian()) }
                else if !noImpact, !quarterly || month.civil.month % 3 == 0 { value = max(0, scale * (1 + 0.25 * random.gaussian())) }
                if story == .recommender, month > asOf.adding(days: -75) { value *= 0.35 }
            }
            let cost = live ? scale * 0.25 + 1_500 : 4_000 + random.unit() * 2_000
            out.value.write([model.id, month.description, Format.fixed(value, decimals: 2), Format.fixed(cost, decimals: 2),
                             live ? "" : "build"])
            month = month.adding(days: 1).monthEnd
        }
    }

    // MARK: Documents

    /// What the tier requires, mostly approved, with gaps, drafts and expiries; each kind drawn on its own.
    func writeDocuments(_ model: Model, _ life: Life, _ staff: Staff, _ out: inout Writers) {
        guard let firstDocDay = life.documented else { return }
        let story = model.story
        for kind in RequiredDocuments.kinds(tier: RiskTier(rawValue: model.tier)!, kind: model.kind) {
            var random = stream("document", model.index, kind.rawValue)
            if story == .genaiAssistant, kind == .riskAssessment { continue }
            if story == nil, random.chance(0.06) { continue }
            let submitted = firstDocDay.adding(days: -random.int(3...30))
            let draft = story == nil && random.chance(0.05)
            let independent = !model.validator.isEmpty && model.validator != model.developer
            let approver = story == .ownValidator ? model.developer : independent ? model.validator : random.pick(staff.riskOfficers)
            let approved = submitted.adding(days: random.int(2...20))
            let expires: Day? = story == nil && random.chance(0.55) ? approved.adding(days: 365 * random.int(1...2) + random.int(-60...60)) : nil
            out.documents.write(documentRow(model, kind, "1.0", submitted: submitted, approved: draft ? nil : approved,
                                            by: approver, expires: expires))
            if !draft { out.history.approval(model, kind, "1.0", on: approved, by: approver, expires: expires) }
            // Most expired documents were renewed with a new version before or soon after expiry.
            if !draft, let expires, expires <= asOf, random.chance(0.7) {
                let renewed = expires.adding(days: random.int(-45...20))
                out.documents.write(documentRow(model, kind, "2.0", submitted: renewed.adding(days: -10), approved: renewed,
                                                by: approver, expires: renewed.adding(days: 730)))
                out.history.approval(model, kind, "2.0", on: renewed, by: approver, expires: renewed.adding(days: 730))
            }
        }
    }

    /// A document row; a draft (not approved) has no approver and no expiry.
    func documentRow(_ model: Model, _ kind: DocumentKind, _ version: String, submitted: Day, approved: Day?, by approver: String,
                     expires: Day?) -> [String] {
        [model.id, kind.rawValue, version, submitted.description, approved?.description ?? "",
         approved == nil ? "" : approver, approved == nil ? "" : expires?.description ?? "",
         "https://docs.northwind.example/models/\(model.id)/\(kind.rawValue)/\(version)"]
    }

    // MARK: Monitoring

    /// Production and retired models; about 8% of production models have none (never a story's model).
    func writeMonitoring(_ model: Model, _ life: Life, _ out: inout Writers) {
        guard let live = life.production else { return }
        var random = stream("monitoring", model.index)
        let story = model.story
        if story == nil, random.chance(0.08) { return }
        let lastDay = life.retired ?? (story == nil && random.chance(0.07) ? asOf.adding(days: -random.int(20...90)) : asOf.adding(days: -random.int(0...5)))
        let degrade = story == .recommender ? 2 : story == nil ? (random.chance(0.09) ? 2 : random.chance(0.10) ? 1 : 0) : 0
        let metrics = model.useCase.metrics
        for (position, metric) in metrics.enumerated() {
            let spec = PortfolioGenerator.metricSpecs[metric]!
            out.monitors.write([model.id, metric, spec.direction.rawValue, Format.number(spec.warn), Format.number(spec.critical)])
            // Degrading models drift on their first metric and on PSI.
            let drifts = degrade > 0 && (position == 0 || metric == "psi_score")
            writeObservations(model, metric, spec, from: live, to: lastDay, degrade: drifts ? degrade : 0, perMetric: max(8, 400 / metrics.count), &out)
        }
    }

    /// Every other day back from `lastDay` (about 400 points a model, so the portfolio averages ~100 per
    /// model); a degrading model drifts over its last eight weeks (28 points) toward (1) or past (2) the thresholds.
    func writeObservations(_ model: Model, _ metric: String, _ spec: MetricSpec, from live: Day, to lastDay: Day, degrade: Int,
                           perMetric: Int, _ out: inout Writers) {
        var random = stream("observations", model.index, metric)
        for k in stride(from: perMetric - 1, through: 0, by: -1) {
            let day = lastDay.adding(days: -2 * k)
            if day < live { continue }
            var v = spec.healthy + spec.noise * random.gaussian()
            if degrade > 0, k < 28 {
                let target = degrade == 2 ? spec.critical : spec.warn
                v = spec.healthy + (target - spec.healthy) * (1.15 - Double(k) * 0.035) + spec.noise * 0.3 * random.gaussian()
                // The recommender's input shifted overnight: PSI jumps in the last week.
                if model.story == .recommender, metric == "psi_score" {
                    v = k < 4 ? 0.38 + 0.02 * Double(3 - k) : spec.healthy + spec.noise * random.gaussian()
                }
            }
            if metric != "p95_latency_ms" { v = max(0, v) }
            out.observations.write([model.id, metric, PortfolioGenerator.stamp(day, hour: 6, minute: 0),
                                    Format.fixed(v, decimals: metric == "p95_latency_ms" ? 0 : 4)])
        }
    }

    // MARK: Tasks

    /// Remediation on about a quarter of production models, some closed, some overdue. The task's number is
    /// the model's, so one model gaining or losing a task renumbers no other.
    func writeTask(_ model: Model, _ life: Life, _ staff: Staff, _ out: inout Writers) {
        var random = stream("task", model.index)
        let story = model.story
        guard story == .recommender || (story == nil && life.production != nil && random.chance(0.25)) else { return }
        let created = story == .recommender ? asOf.adding(days: -9) : asOf.adding(days: -random.int(1...200))
        let due = created.adding(days: random.int(7...45))
        // Older tasks have mostly been dealt with; recent ones are mostly still open.
        let closedChance = asOf - created > 45 ? 0.8 : 0.2
        let closed = story == nil && random.chance(closedChance) ? min(asOf, created.adding(days: random.int(3...60))) : nil
        let status = closed != nil ? (random.chance(0.6) ? "verified" : random.chance(0.7) ? "resolved" : "wontfix")
            : random.chance(0.5) ? "in_progress" : "open"
        let title = story == .recommender ? "Retrain recommender on post-shift behaviour (PSI 0.4)"
            : random.pick(["Investigate drift in input features", "Refresh validation report", "Add data-quality monitor",
                           "Recalibrate scores after data change", "Document fallback procedure"])
        let task = GeneratedTask(id: String(format: "T-%06d", model.index + 1), title: title, priority: random.pick(["p1", "p2", "p2", "p3"]),
                                 created: created, due: due, status: status, closed: closed)
        out.tasks.write([task.id, model.id, title, model.developer, model.lead, task.priority, created.description, due.description,
                         status, closed?.description ?? ""])
        out.history.task(task, model, verifier: staff.riskOfficers[model.index % staff.riskOfficers.count])
    }

    static func stamp(_ day: Day, hour: Int, minute: Int) -> String {
        Timestamp(day: day, hour: hour, minute: minute, second: 0).bundleText
    }

    /// One CSV writer per file.
    struct Writers {
        var manifest, people, models, assets, stages, value, documents, monitors, observations, lineage, tasks, audit: CSVWriter
        var history: AuditHistory
        init(directory: String, history: AuditHistory) throws {
            self.history = history
            func open(_ f: BundleFile) throws -> CSVWriter {
                try CSVWriter(path: (directory as NSString).appendingPathComponent(f.fileName), header: f.columns)
            }
            manifest = try open(.manifest); people = try open(.people); models = try open(.models); assets = try open(.assets)
            stages = try open(.stages); value = try open(.value); documents = try open(.documents); monitors = try open(.monitors)
            observations = try open(.observations); lineage = try open(.lineage); tasks = try open(.tasks)
            audit = try open(.audit)
        }
        func close() throws -> [BundleFile: Int] {
            let all: [(BundleFile, CSVWriter)] = [(.manifest, manifest), (.people, people), (.models, models), (.assets, assets),
                (.stages, stages), (.value, value), (.documents, documents), (.monitors, monitors),
                (.observations, observations), (.lineage, lineage), (.tasks, tasks), (.audit, audit)]
            var counts: [BundleFile: Int] = [:]
            for (f, w) in all { try w.close(); counts[f] = w.rows }
            return counts
        }
        /// The history in the order it happened: audit.csv is carried into the chain in file order.
        mutating func writeHistory() throws {
            history.entries.sort()
            for entry in history.entries { audit.write(entry.row) }
        }
    }
}
