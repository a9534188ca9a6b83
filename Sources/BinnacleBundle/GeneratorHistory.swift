import BinnacleCore

extension PortfolioGenerator {
    /// The audit history a bundle carries (audit.csv): the governance actions of the last 60 days before the
    /// extract, as Binnacle records them — committee stage decisions, document approvals with before and after,
    /// task assignments and closures — so every screen's audit trail has something to show on first look.
    /// Each entry restates a row written elsewhere; only the time of day is drawn, from the entry's own stream.
    struct AuditHistory {
        struct Entry: Comparable {
            var row: [String]  // at, actor, action, entity, detail
            var model: Int, ordinal: Int
            static func < (a: Entry, b: Entry) -> Bool { (a.row[0], a.model, a.ordinal) < (b.row[0], b.model, b.ordinal) }
            static func == (a: Entry, b: Entry) -> Bool { (a.row[0], a.model, a.ordinal) == (b.row[0], b.model, b.ordinal) }
        }

        var seed: UInt64
        /// Actions before this day predate Binnacle; the extract's own day is left to the import.
        var from, until: Day
        var entries: [Entry] = []

        init(seed: UInt64, asOf: Day) {
            self.seed = seed; from = asOf.adding(days: -60); until = asOf
        }

        /// Keeps the entry if its day is in the window (the detail is built only then: most actions are older).
        mutating func record(_ model: Model, on day: Day, at time: (hour: Int, minute: Int), actor: String, action: String,
                             detail: @autoclosure () -> JSON) {
            guard day >= from, day < until else { return }
            let stamp = PortfolioGenerator.stamp(day, hour: time.hour, minute: time.minute)
            let row = [stamp, actor, action, "model:\(model.id)", detail().serialized()]
            entries.append(Entry(row: row, model: model.index, ordinal: entries.count))
        }

        /// A working-hours time for the entry `key` of `model`, from its own stream.
        func time(_ model: Model, _ key: String) -> (hour: Int, minute: Int) {
            var random = SeededRandom(seed: seed, key: "audit/\(model.index)/\(key)")
            return (random.int(8...18), random.int(0...59))
        }

        /// An approval as `doc approve` records it: the draft's approval fields before, the approved ones after.
        mutating func approval(_ model: Model, _ kind: DocumentKind, _ version: String, on day: Day, by approver: String, expires: Day?) {
            guard day >= from, day < until else { return }
            func state(_ at: String?, _ by: String?, _ expires: String?) -> JSON {
                .object([("approved_at", .string(at)), ("approved_by", .string(by)), ("expires_at", .string(expires))])
            }
            let time = time(model, "\(kind.rawValue)/\(version)")
            let at = PortfolioGenerator.stamp(day, hour: time.hour, minute: time.minute)
            let expiresAt = expires.map { Timestamp(day: $0).bundleText }
            record(model, on: day, at: time, actor: approver, action: "document.approve", detail: .object([
                ("kind", .string(kind.rawValue)), ("version", .string(version)), ("expires_at", .string(expires?.description)),
                ("before", state(nil, nil, nil)), ("after", state(at, approver, expiresAt)),
            ]))
        }

        /// Stage changes decided by the domain's lead (into production, retired or shelved), at the row's time.
        mutating func stageDecisions(_ model: Model, _ stages: [StageChange]) {
            for (i, change) in stages.enumerated() where change.by == model.lead && change.stage != .development && change.stage != .validation {
                let before = i > 0 ? stages[i - 1].stage : .idea
                record(model, on: change.day, at: (change.hour, change.minute), actor: change.by, action: "stage.set",
                       detail: .object([("before", .string(before.rawValue)), ("after", .string(change.stage.rawValue)),
                                        ("note", .string(change.note.isEmpty ? nil : change.note))]))
            }
        }

        /// The assignment by the lead, and the closing by the assignee (resolved, won't fix) or a risk officer (verified).
        mutating func task(_ task: GeneratedTask, _ model: Model, verifier: String) {
            func json(status: String, closed: Day?) -> JSON {
                .object([("id", .string(task.id)), ("model_id", .string(model.id)), ("title", .string(task.title)),
                         ("assignee", .string(model.developer)), ("priority", .string(task.priority)),
                         ("due_at", .string(Timestamp(day: task.due).bundleText)), ("status", .string(status)),
                         ("closed_at", .string(closed.map { Timestamp(day: $0).bundleText }))])
            }
            record(model, on: task.created, at: time(model, "task-assign"), actor: model.lead, action: "task.assign",
                   detail: .object([("after", json(status: "open", closed: nil)), ("note", .null)]))
            guard let closed = task.closed else { return }
            let before = task.status == "verified" ? "resolved" : "in_progress"
            record(model, on: closed, at: time(model, "task-close"), actor: task.status == "verified" ? verifier : model.developer,
                   action: "task.\(task.status)",
                   detail: .object([("before", json(status: before, closed: task.status == "verified" ? closed : nil)),
                                    ("after", json(status: task.status, closed: closed)), ("note", .null)]))
        }
    }

    /// A remediation task as written, for its history.
    struct GeneratedTask {
        var id, title, priority: String
        var created, due: Day
        var status: String
        var closed: Day?
    }
}
