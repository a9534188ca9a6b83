import BinnacleBundle
import BinnacleCore
import Foundation
import GRDB

/// What an ingest did.
public struct IngestSummary: Sendable {
    public var rows = 0
    public var inserted = 0
    /// Rows already stored with the same value: ingesting twice stores once.
    public var unchanged = 0
    public var replaced = 0
    public var rejected: [BundleProblem] = []
    public var sha256 = ""
    public var auditEntry: AuditEntry?
}

extension Importer {
    /// Ingests observations in one transaction with one audit entry. Every row is validated; any
    /// problem refuses the whole file (nothing written) unless `skipInvalid`, which writes the valid
    /// rows and reports the others. The same (model, metric, time) with the same value is stored once;
    /// with another value it is a problem unless `replace`.
    public func ingestObservations(path: String, name: String, format: IngestFormat, skipInvalid: Bool, replace: Bool,
                                   actor: String) throws -> IngestSummary {
        var insert: BulkInsert?
        return try ingest(path: path, name: name, format: format, columns: ObservationRow.columns, numeric: ObservationRow.numeric,
                          skipInvalid: skipInvalid, action: "ingest.observations", actor: actor) { db, f, summary in
            let row: ObservationRow
            switch ObservationRow.parse(f) { case .success(let r): row = r; case .failure(let p): return p.message }
            if insert == nil {
                insert = try BulkInsert(db, "INSERT INTO observations (model_id, metric, observed_at, value) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")
            }
            try insert?.run { s in s.text(1, row.model); s.text(2, row.metric); s.text(3, row.at.text); s.real(4, row.value) }
            if db.changesCount == 1 { summary.inserted += 1; return nil }
            let existing = try Double.fetchOne(db, sql: "SELECT value FROM observations WHERE model_id = ? AND metric = ? AND observed_at = ?",
                                               arguments: [row.model, row.metric, row.at.text])
            if existing == row.value { summary.unchanged += 1; return nil }
            guard replace else {
                return "\(row.model) \(row.metric) at \(row.at.bundleText) is already \(Format.number(existing)), not \(f[3]) (--replace to overwrite)"
            }
            try db.execute(sql: "UPDATE observations SET value = ? WHERE model_id = ? AND metric = ? AND observed_at = ?",
                           arguments: [row.value, row.model, row.metric, row.at.text])
            summary.replaced += 1
            return nil
        }
    }

    /// Ingests value and cost records; a row identical to one already stored is not added again.
    public func ingestValue(path: String, name: String, format: IngestFormat, skipInvalid: Bool, actor: String) throws -> IngestSummary {
        try ingest(path: path, name: name, format: format, columns: ValueRow.columns, numeric: ValueRow.numeric,
                   skipInvalid: skipInvalid, action: "ingest.value", actor: actor) { db, f, summary in
            let row: ValueRow
            switch ValueRow.parse(f) { case .success(let r): row = r; case .failure(let p): return p.message }
            let arguments: StatementArguments = [row.model, row.date.description, row.value, row.cost, row.note]
            if try Row.fetchOne(db, sql: "SELECT 1 FROM value_records WHERE model_id = ? AND date = ? AND value = ? AND cost = ? AND note IS ?",
                                arguments: arguments) != nil {
                summary.unchanged += 1
                return nil
            }
            try db.execute(sql: "INSERT INTO value_records (model_id, date, value, cost, note) VALUES (?, ?, ?, ?, ?)", arguments: arguments)
            summary.inserted += 1
            return nil
        }
    }

    /// The shared shape of an ingest: read every row, check its model, let `apply` check and write the
    /// rest, collect problems, and audit the batch — all in one transaction.
    private func ingest(path: String, name: String, format: IngestFormat, columns: [String], numeric: Set<String>, skipInvalid: Bool, action: String,
                        actor: String, apply: (Database, [String], inout IngestSummary) throws -> String?) throws -> IngestSummary {
        let bytes: Data
        do { bytes = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw StoreError.other("\(name): cannot read (\(error.localizedDescription))")
        }
        var summary = IngestSummary()
        summary.sha256 = bytes.sha256Hex
        return try bulkWrite { db in
            try Inventory.authorize(db, actor, .ingest, entity: "inventory")
            let models = try String.fetchSet(db, sql: "SELECT id FROM models")
            do {
                try IngestRows(source: .path(path), name: name, format: format, columns: columns, numeric: numeric, optional: ["note"])
                    .read { line, fields, unreadable in
                        summary.rows += 1
                        var problem: String?
                        if let unreadable { problem = unreadable }
                        else if !fields[0].isEmpty {
                            problem = models.contains(fields[0]) ? try apply(db, fields, &summary) : "model_id: unknown model '\(fields[0])'"
                        } else {
                            problem = "model_id: missing"
                        }
                        if let problem { summary.rejected.append(BundleProblem(file: name, line: line, column: nil, message: problem)) }
                    }
            } catch let e as CSVSyntaxError {
                throw StoreError.other(e.description + "; nothing was written")
            }
            if !summary.rejected.isEmpty, !skipInvalid {
                var errors = BundleErrors()
                for p in summary.rejected { errors.add(p) }
                throw errors
            }
            summary.auditEntry = try AuditLog.append(db, actor: actor, action: action, entity: "inventory", detail: .object([
                ("source", .string(name)), ("sha256", .string(summary.sha256)), ("rows", .int(summary.rows)),
                ("inserted", .int(summary.inserted)), ("unchanged", .int(summary.unchanged)), ("replaced", .int(summary.replaced)),
                ("rejected", .int(summary.rejected.count)),
            ]))
            return summary
        }
    }
}

extension Importer {
    /// Stores a drift result as observations of `feature` at `at`, in one transaction with its audit
    /// entry. A model without a PSI monitor for the feature gets the industry default
    /// (`DriftMetric.defaultPSIMonitor`), so drift turns into alerts at once. Returns whether a monitor was added.
    @discardableResult
    public func ingestDrift(modelId: String, feature: String, result: DriftResult, at: Timestamp, sources: [String: String],
                            actor: String) throws -> Bool {
        try write { db in
            try Inventory.authorize(db, actor, .ingest, entity: "model:\(modelId)")
            guard try Row.fetchOne(db, sql: "SELECT 1 FROM models WHERE id = ?", arguments: [modelId]) != nil else {
                throw StoreError.notFound("no model '\(modelId)'")
            }
            for statistic in DriftMetric.allCases {
                guard let value = statistic.value(in: result) else { continue }
                let metric = statistic.metric(feature)
                do {
                    try db.execute(sql: "INSERT INTO observations (model_id, metric, observed_at, value) VALUES (?, ?, ?, ?)",
                                   arguments: [modelId, metric, at.text, value])
                } catch let e as DatabaseError where e.resultCode == .SQLITE_CONSTRAINT {
                    throw StoreError.other("\(modelId) already has \(metric) at \(at.bundleText); give another --at")
                }
            }
            let psiMetric = DriftMetric.psi.metric(feature)
            let added = try Row.fetchOne(db, sql: "SELECT 1 FROM monitors WHERE model_id = ? AND metric = ?", arguments: [modelId, psiMetric]) == nil
            if added {
                try db.execute(sql: "INSERT INTO monitors (model_id, metric, direction, warn, critical) VALUES (?, ?, 'above', ?, ?)",
                               arguments: [modelId, psiMetric, DriftMetric.defaultPSIMonitor.warn, DriftMetric.defaultPSIMonitor.critical])
            }
            try AuditLog.append(db, actor: actor, action: "ingest.samples", entity: "model:\(modelId)", detail: .object([
                ("feature", .string(feature)), ("at", .string(at.bundleText)),
                ("sources", .object(sources.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })),
                ("result", result.json), ("monitor_added", .bool(added)),
            ]))
            return added
        }
    }
}
