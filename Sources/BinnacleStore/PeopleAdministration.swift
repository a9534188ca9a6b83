import BinnacleCore
import Foundation
import GRDB

/// People and ownership: who is in the inventory with which role, who owns, develops and validates
/// each model, who a task is assigned to. Each change is one transaction with its audit entry, which
/// records the before and the after.
extension Governance {
    /// A new inventory's first administrator (a risk officer): the one way in that needs no role, since
    /// it is allowed only while nobody in people could administer the inventory. Audited as `init` when
    /// it is what creates the inventory (`binnacle init`), else as `people.bootstrap`.
    @discardableResult
    public func addFirstAdministrator(login: String, name: String?, email: String?, by actor: String, initial: Bool = false,
                                      at: Timestamp = .now()) throws -> AuditEntry {
        try write { db in
            if try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM people WHERE role = 'risk_officer' AND active = 1") ?? 0 > 0 {
                throw Refusal("the inventory already has an administrator; ask a risk officer to add \(login)")
            }
            let person = Person(login: login, name: name ?? login, email: email ?? "\(login)@unknown.invalid", role: .riskOfficer,
                                team: "Administration", active: true)
            try Inventory.upsert(db, person)
            if initial {
                return try AuditLog.append(db, actor: actor, action: "init", entity: "inventory", detail: .object([
                    ("schema", .string(Inventory.schemaMigrations.last?.name ?? "")), ("administrator", Inventory.personJSON(person)),
                ]), at: at)
            }
            return try AuditLog.append(db, actor: actor, action: "people.bootstrap", entity: "person:\(login)",
                                       detail: .object([("after", Inventory.personJSON(person))]), at: at)
        }
    }

    /// Adds a person (administrators only).
    public func addPerson(_ person: Person, by login: String, at: Timestamp = .now()) throws {
        try write { db in
            try Inventory.authorize(db, login, .administer, entity: "person:\(person.login)")
            if try Inventory.actor(db, person.login) != nil { throw Refusal("\(person.login) is already in people (change them with `people set`)") }
            for (field, value) in [("login", person.login), ("name", person.name)] where value.trimmingCharacters(in: .whitespaces).isEmpty {
                throw Refusal("a person needs a \(field)")
            }
            try Inventory.upsert(db, person)
            try AuditLog.append(db, actor: login, action: "people.add", entity: "person:\(person.login)",
                                detail: .object([("after", Inventory.personJSON(person))]), at: at)
        }
    }

    /// Changes a person's role and/or active flag (administrators only). The last active risk officer
    /// cannot be demoted or deactivated: nobody could administer the inventory after.
    @discardableResult
    public func changePerson(_ target: String, role: Role?, active: Bool?, by login: String, at: Timestamp = .now()) throws -> Person {
        try write { db in
            try Inventory.authorize(db, login, .administer, entity: "person:\(target)")
            let before = try Inventory.existingPerson(db, target)
            var after = before
            if let role { after.role = role }
            if let active { after.active = active }
            if after == before { throw Refusal("\(target) is already \(before.role.rawValue)\(before.active ? "" : ", inactive"): nothing to change") }
            let administrators = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM people WHERE role = 'risk_officer' AND active = 1") ?? 0
            if before.role == .riskOfficer, before.active, !(after.role == .riskOfficer && after.active), administrators <= 1 {
                throw Refusal("\(target) is the last active risk officer: add or activate another before changing them")
            }
            try Inventory.upsert(db, after)
            try AuditLog.append(db, actor: login, action: "people.change", entity: "person:\(target)",
                                detail: .object([("before", Inventory.personJSON(before)), ("after", Inventory.personJSON(after))]), at: at)
            return after
        }
    }

    /// Hands a model to a new business owner, developer or validator (AI leads and risk officers). Each
    /// must be an active person; the validator must not be the developer (SR 11-7: independent validation).
    public func changeModelPeople(_ modelId: String, _ change: Inventory.ModelPeopleChange, note: String?, by login: String,
                                  at: Timestamp = .now()) throws {
        try write { db in
            try Inventory.authorize(db, login, .changeOwnership, entity: "model:\(modelId)")
            let model = try Inventory.modelRow(db, modelId)
            let owner = change.businessOwner ?? model.businessOwner
            let developer = change.developer ?? model.developer
            let validator = change.validator ?? model.validator
            for (field, value) in [("business owner", change.businessOwner), ("developer", change.developer), ("validator", change.validator ?? nil)] {
                guard let value else { continue }
                guard let person = try Inventory.actor(db, value), person.active else {
                    throw Refusal("cannot make \(value) the \(field) of \(modelId): not an active person in people")
                }
            }
            if let validator, validator == developer {
                throw Refusal("\(validator) cannot validate \(modelId), which they develop: validation must be independent of development")
            }
            func json(_ o: String, _ d: String, _ v: String?) -> JSON {
                .object([("business_owner", .string(o)), ("developer", .string(d)), ("validator", .string(v))])
            }
            let before = json(model.businessOwner, model.developer, model.validator)
            let after = json(owner, developer, validator)
            if before == after { throw Refusal("\(modelId) already has these people: nothing to change") }
            try db.execute(sql: "UPDATE models SET business_owner = ?, developer = ?, validator = ? WHERE id = ?",
                           arguments: [owner, developer, validator, modelId])
            try AuditLog.append(db, actor: login, action: "model.people", entity: "model:\(modelId)",
                                detail: .object([("before", before), ("after", after), ("note", .string(note))]), at: at)
        }
    }

    /// Gives an open task to someone else (AI leads and risk officers), keeping its history.
    @discardableResult
    public func reassignTask(_ taskId: String, to assignee: String, note: String?, by login: String, at: Timestamp = .now()) throws -> RemediationTask {
        try write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM tasks WHERE id = ?", arguments: [taskId]) else {
                throw StoreError.notFound("no task '\(taskId)'")
            }
            let before = Inventory.task(row)
            try Inventory.authorize(db, login, .assignTask, entity: "model:\(before.modelId)")
            guard [.open, .inProgress].contains(before.status) else {
                throw Refusal("task \(taskId) is \(before.status.rawValue); only open tasks are reassigned (reopen it first)")
            }
            guard let person = try Inventory.actor(db, assignee), person.active else {
                throw Refusal("cannot assign to \(assignee): not an active person in people")
            }
            if assignee == before.assignee { throw Refusal("\(taskId) is already assigned to \(assignee)") }
            var after = before
            after.assignee = assignee
            try db.execute(sql: "UPDATE tasks SET assignee = ? WHERE id = ?", arguments: [assignee, taskId])
            try AuditLog.append(db, actor: login, action: "task.reassign", entity: "model:\(before.modelId)",
                                detail: .object([("before", Inventory.taskJSON(before)), ("after", Inventory.taskJSON(after)),
                                                 ("note", .string(note))]), at: at)
            return after
        }
    }
}

extension Inventory {
    static func personJSON(_ p: Person) -> JSON {
        .object([("login", .string(p.login)), ("name", .string(p.name)), ("email", .string(p.email)), ("role", .string(p.role.rawValue)),
                 ("team", .string(p.team)), ("active", .bool(p.active))])
    }

    static func existingPerson(_ db: Database, _ login: String) throws -> Person {
        guard let person = try actor(db, login) else { throw StoreError.notFound("no person '\(login)' in people") }
        return person
    }

    static func upsert(_ db: Database, _ p: Person) throws {
        try db.execute(sql: """
            INSERT INTO people (login, name, email, role, team, active) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (login) DO UPDATE SET name = excluded.name, email = excluded.email, role = excluded.role,
              team = excluded.team, active = excluded.active
            """, arguments: [p.login, p.name, p.email, p.role.rawValue, p.team, p.active])
    }

    /// Who a model's people are to be: nil leaves one as it is; `validator` `.some(nil)` removes the validator.
    public struct ModelPeopleChange: Sendable {
        public var businessOwner: String?, developer: String?, validator: String??
        public init(businessOwner: String? = nil, developer: String? = nil, validator: String?? = nil) {
            self.businessOwner = businessOwner; self.developer = developer; self.validator = validator
        }
    }

    /// Everyone in people, by login.
    public func allPeople() throws -> [Person] {
        try read { db in try Row.fetchAll(db, sql: "SELECT * FROM people ORDER BY login").map(Inventory.person) }
    }
}
