import BinnacleBundle
import BinnacleCore
import BinnacleStore
import DisplayText

/// `binnacle show` in text and JSON.
enum ModelDetailOutput {
    static func json(_ d: ModelDetail, asOf: Day) -> JSON {
        let m = d.model
        func stamp(_ t: Timestamp?) -> JSON { .string(t?.bundleText) }
        func node(_ n: LineageNode) -> JSON {
            .object([("id", .string(n.id)), ("kind", .string(n.kind)), ("name", .string(n.name)), ("depth", .int(n.depth)),
                     ("tags", .array(n.tags.map { .string($0) }))])
        }
        return .object([
            ("as_of", .string(asOf.description)),
            ("id", .string(m.id)), ("name", .string(m.name)), ("domain", .string(m.domain)),
            ("description", .string(m.description ?? "")), ("use_case", .string(m.useCase ?? "")),
            ("kind", .string(m.kind.rawValue)), ("risk_tier", .int(m.riskTier.rawValue)), ("vendor", .string(m.vendor)),
            ("tags", .array(m.tags.map { .string($0) })), ("created_at", stamp(m.createdAt)), ("stage", .string(d.stageLabel)),
            ("people", .array(d.people.map { p in
                .object([("role", .string(p.role)), ("login", .string(p.login)), ("name", .string(p.person?.name)),
                         ("email", .string(p.person?.email)), ("active", p.person.map { .bool($0.active) } ?? .null)])
            })),
            ("stage_history", .array(d.stageHistory.map { s in
                .object([("stage", .string(s.stage.rawValue)), ("changed_at", stamp(s.changedAt)),
                         ("changed_by", .string(s.changedBy)), ("note", .string(s.note))])
            })),
            ("value", .object([
                ("value_90d", .number(d.value90d)), ("value_12m", .number(d.value12m)), ("cost_12m", .number(d.cost12m)),
                ("roi_12m", .number(KPIs.ratio(d.value12m - d.cost12m, d.cost12m))),
                ("monthly", .array(d.monthly.map { .object([("month", .string($0.month)), ("value", .number($0.value)), ("cost", .number($0.cost))]) })),
            ])),
            ("monitors", .array(d.monitors.map { s in
                .object([("metric", .string(s.monitor.metric)), ("direction", .string(s.monitor.direction.rawValue)),
                         ("warn", .number(s.monitor.warn)), ("critical", .number(s.monitor.critical)),
                         ("last_observed_at", stamp(s.lastAt)), ("last_value", .number(s.lastValue)), ("state", .string(s.state))])
            })),
            ("observed_metrics", .array(d.observed.map { o in
                .object([("metric", .string(o.metric)), ("observations", .int(o.count)), ("last_observed_at", stamp(o.lastAt)),
                         ("last_value", .number(o.lastValue))])
            })),
            ("alerts", .array(d.alerts.map { a in
                .object([("severity", .string(a.severity.rawValue)), ("reason", .string(a.reason.rawValue)),
                         ("metric", .string(a.metric)), ("value", .number(a.value)), ("threshold", .number(a.threshold)),
                         ("observed_at", stamp(a.observedAt))])
            })),
            ("documents", .object([
                ("required", .array(d.requiredDocuments.map { .object([("kind", .string($0.kind)), ("current", .bool($0.current))]) })),
                ("versions", .array(d.documents.map { s in
                    .object([("kind", .string(s.document.kind.rawValue)), ("version", .string(s.document.version)),
                             ("status", .string(s.state.rawValue)), ("submitted_at", stamp(s.document.submittedAt)),
                             ("approved_at", stamp(s.document.approvedAt)), ("approved_by", .string(s.document.approvedBy)),
                             ("expires_at", stamp(s.document.expiresAt)), ("uri", .string(s.document.uri))])
                })),
            ])),
            ("lineage", .object([("upstream", .array(d.upstream.map(node))), ("downstream", .array(d.downstream.map(node)))])),
            ("tasks", .array(d.tasks.map { t in
                .object([("id", .string(t.id)), ("title", .string(t.title)), ("assignee", .string(t.assignee)),
                         ("assigned_by", .string(t.assignedBy)), ("priority", .string(t.priority.rawValue)),
                         ("created_at", stamp(t.createdAt)), ("due_at", stamp(t.dueAt)), ("status", .string(t.status.rawValue)),
                         ("closed_at", stamp(t.closedAt))])
            })),
        ])
    }

    /// Every value from the inventory is interpolated into `SafeText`: shown sanitised, one line each.
    static func text(_ d: ModelDetail, asOf: Day) -> String {
        let m = d.model
        var out: SafeText = "\(m.name) (\(m.id)) — as of \(asOf)\n"
        out += "  \(m.domain) · \(m.kind.rawValue) · tier \(m.riskTier.rawValue) · stage \(d.stageLabel)"
        if let v = m.vendor { out += " · vendor \(v)" }
        out += "\n"
        if let desc = m.description, !desc.isEmpty { out += "  \(desc)\n" }
        if let use = m.useCase, !use.isEmpty { out += "  Use case: \(use)\n" }
        if !m.tags.isEmpty { out += "  Tags: \(m.tags.joined(separator: ", "))\n" }
        out += "  Created \(m.createdAt.day)\n\nPeople\n"
        for p in d.people {
            let who = p.person.map { "\($0.name) <\($0.email)> (\($0.login), \($0.role.rawValue)\($0.active ? "" : ", INACTIVE"))" }
                ?? (p.login.map { "\($0) (unknown person)" } ?? "— none —")
            out += "  \(Format.cell(p.role, 15)) \(who)\n"
        }
        out += "\nStage history\n"
        if d.stageHistory.isEmpty { out += "  (no stage changes: idea)\n" }
        for s in d.stageHistory {
            out += "  \(s.changedAt.bundleText)  \(Format.cell(s.stage.rawValue, 11)) \(s.changedBy ?? "")\(s.note.map { "  \($0)" } ?? "")\n"
        }
        out += "\nValue\n  90 days \(Format.compact(d.value90d)); 12 months value \(Format.compact(d.value12m)), cost \(Format.compact(d.cost12m)), "
        out += "ROI \(Format.percent(KPIs.ratio(d.value12m - d.cost12m, d.cost12m)))\n"
        for month in d.monthly { out += "  \(month.month)  value \(Format.compact(month.value))  cost \(Format.compact(month.cost))\n" }
        out += "\nMonitoring\n"
        if d.monitors.isEmpty { out += "  (no monitors)\n" }
        for s in d.monitors {
            let last = s.lastAt.map { "\(Format.number(s.lastValue)) at \($0.bundleText)" } ?? "never observed"
            out += "  \(Format.cell(s.monitor.metric, 18)) \(s.monitor.direction.rawValue) warn \(Format.number(s.monitor.warn)) "
            out += "critical \(Format.number(s.monitor.critical)); last \(last)\(s.state.map { "  [\($0.uppercased())]" } ?? "")\n"
        }
        if !d.observed.isEmpty {
            out += "\nObserved, not monitored (no thresholds, so no alerts)\n"
            for o in d.observed {
                out += "  \(Format.cell(o.metric, 18)) last \(Format.number(o.lastValue)) at \(o.lastAt.bundleText); \(o.count) observations\n"
            }
        }
        if !d.alerts.isEmpty {
            out += "\nAlerts\n"
            for a in d.alerts { out += "  \(a.severity == .critical ? "✗ CRITICAL" : "! warning ") \(a.summary)\n" }
        }
        out += "\nDocuments (required: \(d.requiredDocuments.map { "\($0.kind) \($0.current ? "✓" : "✗")" }.joined(separator: ", ")))\n"
        for s in d.documents {
            let doc = s.document
            out += "  \(Format.cell(doc.kind.rawValue, 18)) v\(doc.version)  \(s.state.rawValue)"
            if let a = doc.approvedAt { out += "  approved \(a.day) by \(doc.approvedBy ?? "?")" }
            if let e = doc.expiresAt { out += "  expires \(e.day)" }
            out += "\n"
        }
        for (title, nodes) in [("Upstream", d.upstream), ("Downstream", d.downstream)] {
            out += "\n\(title) lineage\n"
            if nodes.isEmpty { out += "  (none)\n" }
            for n in nodes {
                out += "  \(String(repeating: "  ", count: n.depth - 1))\(n.kind) \(n.id) — \(n.name)"
                out += n.tags.isEmpty ? "\n" : "  [\(n.tags.joined(separator: ", "))]\n"
            }
        }
        out += "\nTasks\n"
        if d.tasks.isEmpty { out += "  (none)\n" }
        for t in d.tasks {
            out += "  \(t.id) \(t.priority.rawValue) \(Format.cell(t.status.rawValue, 11)) due \(t.dueAt.day) → \(t.assignee): \(t.title)\n"
        }
        return out.description
    }
}
