import BinnacleCore
import Foundation
import GRDB

/// The governance actions: every change a person makes to the inventory — a task assigned or moved on,
/// a document submitted or approved, a stage, a monitor, people and ownership (PeopleAdministration.swift).
/// Each is one IMMEDIATE transaction: the role check, the change and its audit entry (with before and
/// after) land together or not at all. Reached as `inventory.governance`.
public struct Governance: Sendable {
    let inventory: Inventory

    /// One write transaction of the inventory.
    func write<T>(_ body: (Database) throws -> T) throws -> T { try inventory.write(body) }
}

extension Inventory {
    /// The writes a person makes, each checked against their role and audited.
    public var governance: Governance { Governance(inventory: self) }

    /// The acting person, looked up by login (nil when unknown).
    static func actor(_ db: Database, _ login: String) throws -> Person? {
        try Row.fetchOne(db, sql: "SELECT * FROM people WHERE login = ?", arguments: [login]).map(Inventory.person)
    }

    static func require(_ refusal: Refusal?) throws { if let refusal { throw refusal } }

    /// The role check inside a write: the acting person is looked up in the same transaction, so the
    /// check and the change see the same people.
    static func authorize(_ db: Database, _ login: String, _ action: GovernanceAction, entity: String? = nil,
                          ownTask: Bool = false, developedModel: Bool = false) throws {
        try require(Permissions.check(try actor(db, login), login: login, action, entity: entity, ownTask: ownTask,
                                      developedModel: developedModel))
    }

    /// An import's role check: an inventory this open created is its creator's (nobody holds a role in it yet).
    func authorizeImport(_ db: Database, _ login: String, _ action: GovernanceAction) throws {
        if !isNew { try Inventory.authorize(db, login, action, entity: "inventory") }
    }

    static func modelRow(_ db: Database, _ id: String) throws -> Model {
        guard let r = try Row.fetchOne(db, sql: "SELECT * FROM models WHERE id = ?", arguments: [id]) else {
            throw StoreError.notFound("no model '\(id)'")
        }
        return model(r)
    }

    static func taskJSON(_ t: RemediationTask) -> JSON {
        .object([("id", .string(t.id)), ("model_id", .string(t.modelId)), ("title", .string(t.title)), ("assignee", .string(t.assignee)),
                 ("priority", .string(t.priority.rawValue)), ("due_at", .string(t.dueAt.bundleText)), ("status", .string(t.status.rawValue)),
                 ("closed_at", .string(t.closedAt?.bundleText))])
    }
}

extension Governance {
    /// Creates a remediation task; returns its id (T-000001, T-000002, … in order of creation).
    public func assignTask(modelId: String, to assignee: String, due: Day, priority: TaskPriority, title: String, note: String?,
                           by login: String, at: Timestamp = .now()) throws -> RemediationTask {
        try write { db in
            try Inventory.authorize(db, login, .assignTask, entity: "model:\(modelId)")
            _ = try Inventory.modelRow(db, modelId)
            guard let person = try Inventory.actor(db, assignee), person.active else {
                throw Refusal("cannot assign to \(assignee): not an active person in people")
            }
            let last = try String.fetchAll(db, sql: "SELECT id FROM tasks WHERE id GLOB 'T-[0-9]*'").compactMap { Int($0.dropFirst(2)) }.max() ?? 0
            let id = String(format: "T-%06d", last + 1)
            let task = RemediationTask(id: id, modelId: modelId, title: title, assignee: assignee, assignedBy: login, priority: priority,
                                       createdAt: at, dueAt: Timestamp(day: due), status: .open)
            try db.execute(sql: """
                INSERT INTO tasks (id, model_id, title, assignee, assigned_by, priority, created_at, due_at, status, closed_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'open', NULL)
                """, arguments: [id, modelId, title, assignee, login, priority.rawValue, at.text, task.dueAt.text])
            try AuditLog.append(db, actor: login, action: "task.assign", entity: "model:\(modelId)",
                                detail: .object([("after", Inventory.taskJSON(task)), ("note", .string(note))]), at: at)
            return task
        }
    }

    /// Moves a task along open → in_progress → resolved → verified, or to wontfix (with a reason), or back to open.
    public func setTaskStatus(_ taskId: String, to status: TaskStatus, note: String?, by login: String,
                              at: Timestamp = .now()) throws -> RemediationTask {
        try write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM tasks WHERE id = ?", arguments: [taskId]) else {
                throw StoreError.notFound("no task '\(taskId)'")
            }
            let before = Inventory.task(row)
            let person = try Inventory.actor(db, login)
            let action: GovernanceAction
            switch (before.status, status) {
            case (.open, .inProgress), (.inProgress, .resolved), (.open, .resolved), (.inProgress, .open): action = .progressTask
            case (.resolved, .verified), (_, .wontfix), (.resolved, .open), (.verified, .open), (.wontfix, .open): action = .reviewTask
            default:
                throw Refusal("task \(taskId) is \(before.status.rawValue); it cannot move to \(status.rawValue)")
            }
            try Inventory.require(Permissions.check(person, login: login, action, entity: "model:\(before.modelId)",
                                                    ownTask: before.assignee == login))
            if status == .wontfix, (note ?? "").isEmpty { throw Refusal("marking \(taskId) wontfix needs a reason (--note)") }
            var after = before
            after.status = status
            switch status {
            case .resolved, .wontfix: after.closedAt = before.closedAt ?? at
            case .verified: after.closedAt = before.closedAt ?? at
            case .open, .inProgress: after.closedAt = nil
            }
            try db.execute(sql: "UPDATE tasks SET status = ?, closed_at = ? WHERE id = ?",
                           arguments: [status.rawValue, after.closedAt?.text, taskId])
            try AuditLog.append(db, actor: login, action: "task.\(status.rawValue)", entity: "model:\(before.modelId)",
                                detail: .object([("before", Inventory.taskJSON(before)), ("after", Inventory.taskJSON(after)),
                                                 ("note", .string(note))]), at: at)
            return after
        }
    }

    /// Approves a document version (the latest unapproved one when no version is given).
    public func approveDocument(modelId: String, kind: DocumentKind, version: String?, expires: Day?, by login: String,
                                at: Timestamp = .now()) throws -> Document {
        try write { db in
            let model = try Inventory.modelRow(db, modelId)
            try Inventory.authorize(db, login, .approveDocument, entity: "model:\(modelId)", developedModel: model.developer == login)
            let row = try Row.fetchOne(db, sql: """
                SELECT * FROM documents WHERE model_id = ? AND kind = ? AND (? IS NULL AND approved_at IS NULL OR version = ?)
                ORDER BY id DESC LIMIT 1
                """, arguments: [modelId, kind.rawValue, version, version])
            guard let row else {
                throw StoreError.notFound(version.map { "\(modelId) has no \(kind.rawValue) version \($0)" }
                                          ?? "\(modelId) has no \(kind.rawValue) draft awaiting approval (submit one with `binnacle doc add`)")
            }
            if row["approved_at"] as String? != nil { throw Refusal("\(modelId) \(kind.rawValue) version \(row["version"] as String) is already approved") }
            try db.execute(sql: "UPDATE documents SET approved_at = ?, approved_by = ?, expires_at = ? WHERE id = ?",
                           arguments: [at.text, login, expires.map { Timestamp(day: $0).text }, row["id"] as Int])
            let doc = Document(modelId: modelId, kind: kind, version: row["version"], submittedAt: Inventory.stamp(row, "submitted_at"),
                               approvedAt: at, approvedBy: login, expiresAt: expires.map { Timestamp(day: $0) }, uri: row["uri"])
            // Before and after, like every other change: the draft as it was, and as approved.
            func state(_ approvedAt: String?, _ by: String?, _ expiresAt: String?) -> JSON {
                .object([("approved_at", .string(approvedAt)), ("approved_by", .string(by)), ("expires_at", .string(expiresAt))])
            }
            try AuditLog.append(db, actor: login, action: "document.approve", entity: "model:\(modelId)", detail: .object([
                ("kind", .string(kind.rawValue)), ("version", .string(doc.version)), ("expires_at", .string(expires?.description)),
                ("before", state(nil, nil, Inventory.stamp(row, "expires_at")?.bundleText)),
                ("after", state(at.bundleText, login, doc.expiresAt?.bundleText)),
            ]), at: at)
            return doc
        }
    }

    /// Submits a document draft.
    public func addDocument(modelId: String, kind: DocumentKind, version: String, uri: String?, by login: String,
                            at: Timestamp = .now()) throws {
        try write { db in
            _ = try Inventory.modelRow(db, modelId)
            try Inventory.authorize(db, login, .submitDocument, entity: "model:\(modelId)")
            if try Row.fetchOne(db, sql: "SELECT 1 FROM documents WHERE model_id = ? AND kind = ? AND version = ?",
                                arguments: [modelId, kind.rawValue, version]) != nil {
                throw Refusal("\(modelId) already has \(kind.rawValue) version \(version)")
            }
            try db.execute(sql: "INSERT INTO documents (model_id, kind, version, submitted_at, uri) VALUES (?, ?, ?, ?, ?)",
                           arguments: [modelId, kind.rawValue, version, at.text, uri])
            try AuditLog.append(db, actor: login, action: "document.submit", entity: "model:\(modelId)", detail: .object([
                ("kind", .string(kind.rawValue)), ("version", .string(version)), ("uri", .string(uri)),
            ]), at: at)
        }
    }

    /// What keeps a tier-1 or tier-2 model out of production: nil when its validation report is current
    /// and approved independently (by someone other than its developer).
    static func stageGate(_ db: Database, model: Model, on day: Day) throws -> String? {
        guard model.riskTier != .low else { return nil }
        let approvers = try Row.fetchAll(db, sql: """
            SELECT d.approved_by FROM documents d
            WHERE d.model_id = :model AND d.kind = '\(DocumentKind.validationReport.rawValue)' AND \(DomainRules.currentDocument("d"))
            """, arguments: ["model": model.id, "next": day.adding(days: 1).description]).map { $0["approved_by"] as String? }
        if approvers.isEmpty { return "no current validation report (approved and not expired)" }
        if !approvers.contains(where: { Independence.holds($0, developer: model.developer) }) {
            return "its current validation report was approved by its developer \(model.developer), not independently"
        }
        return nil
    }

    /// Records a stage change. Entering production passes the stage gate, or a risk officer overrides it with a reason.
    public func setStage(modelId: String, to stage: Stage, note: String?, override reason: String?, by login: String,
                         at: Timestamp = .now()) throws {
        try write { db in
            let model = try Inventory.modelRow(db, modelId)
            let person = try Inventory.actor(db, login)
            try Inventory.require(Permissions.check(person, login: login, .changeStage, entity: "model:\(modelId)"))
            var overridden = false
            if stage == .production, let missing = try Governance.stageGate(db, model: model, on: at.day) {
                guard let reason, !reason.isEmpty else {
                    throw Refusal("\(modelId) (tier \(model.riskTier.rawValue)) cannot enter production: \(missing)."
                        + " A risk officer may override with --override REASON")
                }
                try Inventory.require(Permissions.check(person, login: login, .overrideStageGate, entity: "model:\(modelId)"))
                overridden = true
            }
            let before = try String.fetchOne(db, sql: """
                SELECT stage FROM stage_changes WHERE model_id = ? ORDER BY changed_at DESC, id DESC LIMIT 1
                """, arguments: [modelId]) ?? Stage.idea.rawValue
            try db.execute(sql: "INSERT INTO stage_changes (model_id, stage, changed_at, changed_by, note) VALUES (?, ?, ?, ?, ?)",
                           arguments: [modelId, stage.rawValue, at.text, login, note ?? (overridden ? "override: \(reason!)" : nil)])
            var detail: [(String, JSON)] = [("before", .string(before)), ("after", .string(stage.rawValue)), ("note", .string(note))]
            if overridden, let reason { detail.append(("override", .string(reason))) }
            try AuditLog.append(db, actor: login, action: overridden ? "stage.override" : "stage.set", entity: "model:\(modelId)",
                                detail: .object(detail), at: at)
        }
    }

    /// Creates or changes a monitor's thresholds.
    public func setMonitor(modelId: String, metric: String, direction: MonitorDirection, warn: Double, critical: Double,
                           by login: String, at: Timestamp = .now()) throws {
        try write { db in
            _ = try Inventory.modelRow(db, modelId)
            try Inventory.authorize(db, login, .setMonitor, entity: "model:\(modelId)")
            guard warn.isFinite, critical.isFinite else { throw Refusal("thresholds must be finite numbers") }
            if direction == .above ? critical < warn : critical > warn {
                throw Refusal("critical \(Format.number(critical)) is less severe than warn \(Format.number(warn)) for direction \(direction.rawValue)")
            }
            let before = try Row.fetchOne(db, sql: "SELECT * FROM monitors WHERE model_id = ? AND metric = ?", arguments: [modelId, metric])
            try db.execute(sql: """
                INSERT INTO monitors (model_id, metric, direction, warn, critical) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (model_id, metric) DO UPDATE SET direction = excluded.direction, warn = excluded.warn, critical = excluded.critical
                """, arguments: [modelId, metric, direction.rawValue, warn, critical])
            func json(_ d: String, _ w: Double, _ c: Double) -> JSON { .object([("direction", .string(d)), ("warn", .double(w)), ("critical", .double(c))]) }
            try AuditLog.append(db, actor: login, action: "monitor.set", entity: "model:\(modelId)", detail: .object([
                ("metric", .string(metric)),
                ("before", before.map { json($0["direction"], $0["warn"], $0["critical"]) } ?? .null),
                ("after", json(direction.rawValue, warn, critical)),
            ]), at: at)
        }
    }
}
