import BinnacleCore

/// One data row being parsed: typed accessors that record a problem and return nil on bad input.
struct RowParser {
    let file: BundleFile
    /// Field index of each of `file.columns`, in that order.
    let columns: [Int]
    var line = 0
    var fields: [String] = []
    var problems: [BundleProblem] = []

    init(file: BundleFile, columns: [Int]) { self.file = file; self.columns = columns }

    mutating func fail(_ column: Int, _ message: String) {
        problems.append(BundleProblem(file: file.fileName, line: line, column: file.columns[column], message: message))
    }

    /// The raw field for the n-th column of the file's layout ("" when the row is short).
    func raw(_ column: Int) -> String {
        let i = columns[column]
        return i < fields.count ? fields[i] : ""
    }

    mutating func text(_ column: Int) -> String? {
        let value = raw(column)
        if value.isEmpty {
            if BundleFile.optionalColumns.contains(file.columns[column]) { return nil }
            fail(column, "is empty but required")
        }
        return value.isEmpty ? nil : value
    }

    /// Required text: nil only on a problem (already recorded).
    mutating func required(_ column: Int) -> String? {
        let value = raw(column)
        if value.isEmpty { fail(column, "is empty but required"); return nil }
        return value
    }

    mutating func optional(_ column: Int) -> String? {
        let value = raw(column)
        return value.isEmpty ? nil : value
    }

    mutating func choice<E: RawRepresentable & CaseIterable>(_ column: Int, _ type: E.Type) -> E? where E.RawValue == String {
        guard let value = required(column) else { return nil }
        if let e = E(rawValue: value) { return e }
        fail(column, "'\(value)' is not one of \(E.allCases.map(\.rawValue).joined(separator: ", "))")
        return nil
    }

    mutating func day(_ column: Int) -> Day? {
        guard let value = required(column) else { return nil }
        if let d = Day(value) { return d }
        fail(column, Day.problem(value))
        return nil
    }

    mutating func timestamp(_ column: Int, optional: Bool = false) -> Timestamp?? {
        let value = raw(column)
        if value.isEmpty {
            if optional { return .some(nil) }
            fail(column, "is empty but required")
            return nil
        }
        if let t = Timestamp(parsing: value) { return .some(t) }
        fail(column, Timestamp.problem(value))
        return nil
    }

    mutating func number(_ column: Int) -> Double? {
        guard let value = required(column) else { return nil }
        if let d = Numbers.parse(value) { return d }
        fail(column, "'\(value)' is not a finite number")
        return nil
    }

    mutating func bool(_ column: Int) -> Bool? {
        guard let value = required(column) else { return nil }
        switch value {
        case "true": return true
        case "false": return false
        default: fail(column, "'\(value)' is not true or false"); return nil
        }
    }

    mutating func reference(_ column: Int, in known: Set<String>, what: String, optional: Bool = false) -> String?? {
        let value = raw(column)
        if value.isEmpty {
            if optional { return .some(nil) }
            fail(column, "is empty but required")
            return nil
        }
        if known.contains(value) { return .some(value) }
        fail(column, "unknown \(what) '\(value)'")
        return nil
    }
}

/// What has been seen so far: ids for references and uniqueness, the manifest, the problems.
struct ValidationState {
    var errors = BundleErrors()
    /// Records handed on so far; and for each problem shown, how many had been handed on when it was
    /// found (where it falls among the receiver's refusals, which come later from another thread).
    var emitted = 0
    var positions: [Int] = []
    var manifestKeys: [String: (value: String, line: Int)] = [:]
    var people: Set<String> = []
    var models: Set<String> = []
    var assets: Set<String> = []
    var tasks: Set<String> = []

    func manifest() -> Manifest? {
        guard let portfolio = manifestKeys["portfolio"]?.value, let currency = manifestKeys["currency"]?.value else { return nil }
        return Manifest(portfolio: portfolio, currency: currency, asOf: manifestKeys["as_of"].flatMap { Day($0.value) })
    }

    mutating func report(_ problem: BundleProblem) {
        if errors.problems.count < BundleErrors.shownLimit { positions.append(emitted) }
        errors.add(problem)
    }

    static func isSlug(_ id: String) -> Bool {
        id.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 45 || $0 == 95 || $0 == 46 }
    }

    /// Parses and checks one row; nil when it has a problem (recorded) or carries nothing to store.
    mutating func parse(_ p: inout RowParser) -> BundleRecord? {
        let record = parseRow(&p)
        for problem in p.problems { report(problem) }
        return p.problems.isEmpty ? record : nil
    }

    private static func unique(_ p: inout RowParser, _ column: Int, _ id: String?, in set: inout Set<String>, what: String) {
        guard let id else { return }
        if !set.insert(id).inserted { p.fail(column, "duplicate \(what) '\(id)'") }
    }

    private mutating func parseRow(_ p: inout RowParser) -> BundleRecord? {
        switch p.file {
        case .manifest:
            guard let key = p.required(0), let value = p.required(1) else { return nil }
            if let earlier = manifestKeys[key] { p.fail(0, "duplicate key '\(key)' (first on line \(earlier.line))"); return nil }
            manifestKeys[key] = (value, p.line)
            if key == "format", value != Manifest.format { p.fail(1, "format '\(value)' is not \(Manifest.format)") }
            if key == "as_of", Day(value) == nil { p.fail(1, Day.problem(value)) }
            return nil

        case .people:
            let login = p.required(0), name = p.required(1), email = p.required(2)
            let role = p.choice(3, Role.self), team = p.required(4), active = p.bool(5)
            ValidationState.unique(&p, 0, login, in: &people, what: "login")
            guard let login, let name, let email, let role, let team, let active else { return nil }
            return .person(Person(login: login, name: name, email: email, role: role, team: team, active: active))

        case .models:
            let id = p.required(0)
            if let id, !ValidationState.isSlug(id) {
                p.fail(0, "'\(id)' is not a slug (lower-case letters, digits, '-', '_', '.')")
            }
            ValidationState.unique(&p, 0, id, in: &models, what: "model id")
            let name = p.required(1), domain = p.required(2)
            let kind = p.choice(5, ModelKind.self)
            var tier: RiskTier?
            if let t = p.required(6) {
                tier = Int(t).flatMap(RiskTier.init(rawValue:))
                if tier == nil { p.fail(6, "'\(t)' is not a risk tier (1, 2 or 3)") }
            }
            let owner = p.reference(7, in: people, what: "person"), developer = p.reference(8, in: people, what: "person")
            let validator = p.reference(9, in: people, what: "person", optional: true)
            let created = p.timestamp(12)
            guard let id, let name, let domain, let kind, let tier, let owner = owner ?? nil, let developer = developer ?? nil,
                  let validator, let created = created ?? nil else { return nil }
            return .model(Model(id: id, name: name, domain: domain, description: p.optional(3), useCase: p.optional(4),
                                kind: kind, riskTier: tier, businessOwner: owner, developer: developer, validator: validator,
                                vendor: p.optional(10), tags: p.raw(11).tagItems, createdAt: created))

        case .assets:
            let id = p.required(0)
            if let id, models.contains(id) { p.fail(0, "'\(id)' is already a model id (models and assets share one namespace)") }
            ValidationState.unique(&p, 0, id, in: &assets, what: "asset id")
            let kind = p.choice(1, AssetKind.self), name = p.required(2)
            let owner = p.reference(3, in: people, what: "person", optional: true)
            guard let id, let kind, let name, let owner else { return nil }
            return .asset(Asset(id: id, kind: kind, name: name, owner: owner, tags: p.raw(4).tagItems))

        case .stages:
            let model = p.reference(0, in: models, what: "model"), stage = p.choice(1, Stage.self)
            let at = p.timestamp(2), by = p.reference(3, in: people, what: "person", optional: true)
            guard let model = model ?? nil, let stage, let at = at ?? nil, let by else { return nil }
            return .stage(StageChange(modelId: model, stage: stage, changedAt: at, changedBy: by, note: p.optional(4)))

        case .value:
            let model = p.reference(0, in: models, what: "model"), date = p.day(1)
            let value = p.number(2), cost = p.number(3)
            if let cost, cost < 0 { p.fail(3, "cost \(p.raw(3)) is negative (a cost cannot be; record a loss as negative value)") }
            guard let model = model ?? nil, let date, let value, let cost else { return nil }
            return .value(ValueRecord(modelId: model, date: date, value: value, cost: cost, note: p.optional(4)))

        case .documents:
            let model = p.reference(0, in: models, what: "model"), kind = p.choice(1, DocumentKind.self), version = p.required(2)
            let submitted = p.timestamp(3, optional: true), approved = p.timestamp(4, optional: true)
            let by = p.reference(5, in: people, what: "person", optional: true)
            let expires = p.timestamp(6, optional: true)
            if let a = approved ?? nil, by == .some(nil) { _ = a; p.fail(5, "is empty but the document is approved") }
            if approved == .some(nil), let b = by ?? nil { p.fail(4, "is empty but approved_by names '\(b)'") }
            guard let model = model ?? nil, let kind, let version, let submitted, let approved, let by, let expires else { return nil }
            return .document(Document(modelId: model, kind: kind, version: version, submittedAt: submitted, approvedAt: approved,
                                      approvedBy: by, expiresAt: expires, uri: p.optional(7)))

        case .monitors:
            let model = p.reference(0, in: models, what: "model"), metric = p.required(1)
            let direction = p.choice(2, MonitorDirection.self), warn = p.number(3), critical = p.number(4)
            if let direction, let warn, let critical {
                if direction == .above, critical < warn { p.fail(4, "critical \(p.raw(4)) is below warn \(p.raw(3)) for direction above") }
                if direction == .below, critical > warn { p.fail(4, "critical \(p.raw(4)) is above warn \(p.raw(3)) for direction below") }
            }
            guard let model = model ?? nil, let metric, let direction, let warn, let critical else { return nil }
            return .monitor(Monitor(modelId: model, metric: metric, direction: direction, warn: warn, critical: critical))

        case .observations:
            let model = p.reference(0, in: models, what: "model"), metric = p.required(1)
            let at = p.timestamp(2), value = p.number(3)
            guard let model = model ?? nil, let metric, let at = at ?? nil, let value else { return nil }
            return .observation(Observation(modelId: model, metric: metric, observedAt: at, value: value))

        case .lineage:
            var ends: [String?] = []
            for c in 0..<2 {
                let id = p.required(c)
                if let id, !models.contains(id), !assets.contains(id) { p.fail(c, "unknown model or asset '\(id)'"); ends.append(nil) } else { ends.append(id) }
            }
            guard let up = ends[0], let down = ends[1] else { return nil }
            if up == down { p.fail(1, "'\(up)' cannot feed itself"); return nil }
            return .lineage(LineageEdge(upstream: up, downstream: down))

        case .tasks:
            let id = p.required(0)
            ValidationState.unique(&p, 0, id, in: &tasks, what: "task id")
            let model = p.reference(1, in: models, what: "model"), title = p.required(2)
            let assignee = p.reference(3, in: people, what: "person"), by = p.reference(4, in: people, what: "person")
            let priority = p.choice(5, TaskPriority.self)
            let created = p.timestamp(6), due = p.timestamp(7)
            let status = p.choice(8, TaskStatus.self)
            let closed = p.timestamp(9, optional: true)
            if let c = closed ?? nil, let s = created ?? nil, c.day < s.day { p.fail(9, "\(c.bundleText) is before created_at \(s.bundleText)") }
            guard let id, let model = model ?? nil, let title, let assignee = assignee ?? nil, let by = by ?? nil, let priority,
                  let created = created ?? nil, let due = due ?? nil, let status, let closed else { return nil }
            return .task(RemediationTask(id: id, modelId: model, title: title, assignee: assignee, assignedBy: by,
                                         priority: priority, createdAt: created, dueAt: due, status: status, closedAt: closed))

        case .audit:
            let at = p.timestamp(0), actor = p.required(1), action = p.required(2), entity = p.required(3), detail = p.required(4)
            guard let at = at ?? nil, let actor, let action, let entity, let detail else { return nil }
            return .audit(AuditRecord(at: at, actor: actor, action: action, entity: entity, detail: detail))
        }
    }
}
