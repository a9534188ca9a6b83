import BinnacleBundle
import BinnacleCore
import Foundation
import GRDB

public struct UseCaseImportSummary: Sendable {
    public var rows = 0
    public var imported = 0
    /// Imported rows with at least one flag.
    public var flagged = 0
    public var alreadyPresent = 0
    public var rejected: [(line: Int, reason: String)] = []
    public var flags: [String: Int] = [:]
    public var badDates: [(line: Int, text: String)] = []
    public var collisions: [(line: Int, id: String, firstLine: Int)] = []
    public var auditEntry: AuditEntry?
}

extension Importer {
    /// Imports a public use-case inventory through `layout`. Every row is accounted for: imported
    /// (possibly flagged, with reasons) or rejected with its line. With `strict`, an unparsable date
    /// or a rejected row refuses the whole file and nothing is written.
    public func importUseCases(path: String, layout: UseCaseLayout, reported: Day, strict: Bool, actor: String) throws -> UseCaseImportSummary {
        let name = URL(fileURLWithPath: path).lastPathComponent
        let result: UseCaseReader.Result
        do { result = try UseCaseReader(layout: layout, reported: reported).read(path: path, name: name) } catch let e as CSVSyntaxError {
            throw StoreError.other(e.description)
        }
        if strict, !result.badDates.isEmpty || !result.rejected.isEmpty {
            var errors = BundleErrors()
            for b in result.badDates { errors.add(BundleProblem(file: name, line: b.line, column: layout.dateColumn, message: "'\(b.text)' is not a date")) }
            for r in result.rejected { errors.add(BundleProblem(file: name, line: r.line, column: nil, message: r.reason)) }
            throw errors
        }
        let sha = try Data(contentsOf: URL(fileURLWithPath: path)).sha256Hex
        var summary = UseCaseImportSummary()
        summary.rows = result.rows
        summary.rejected = result.rejected
        summary.badDates = result.badDates
        summary.collisions = result.collisions
        summary.flags = result.flagCounts

        return try write { db in
            try authorizeImport(db, actor, .sync)
            if try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM portfolio") == 0 {
                try db.execute(sql: "INSERT INTO portfolio (key, value) VALUES ('portfolio', ?), ('currency', 'USD'), ('as_of', ?)",
                               arguments: ["AI use cases (\(layout.name))", reported.description])
            }
            // Who stands behind the rows: each agency, and the inventory's own attestation for practices.
            // Neither is a login: they are added inactive, and an import grants no one a role.
            let attestation = layout.name
            try db.execute(sql: """
                INSERT OR IGNORE INTO people (login, name, email, role, team, active) VALUES (?, ?, ?, 'validator', 'Inventory', 0)
                """, arguments: [attestation, "\(layout.name) inventory attestation", "\(attestation)@unknown.invalid"])
            var agencies = Set<String>()
            var existing = try String.fetchSet(db, sql: "SELECT id FROM models")
            for m in result.mapped {
                if agencies.insert(m.model.businessOwner).inserted {
                    try db.execute(sql: """
                        INSERT OR IGNORE INTO people (login, name, email, role, team, active) VALUES (?, ?, ?, 'engineer', ?, 0)
                        """, arguments: [m.model.businessOwner, m.agencyName, "\(m.model.businessOwner)@unknown.invalid", m.model.domain])
                }
                guard existing.insert(m.model.id).inserted else { summary.alreadyPresent += 1; continue }
                let model = m.model
                try db.execute(sql: """
                    INSERT INTO models (id, name, domain, description, use_case, kind, risk_tier, business_owner, developer, validator,
                                        vendor, tags, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?)
                    """, arguments: [model.id, model.name, model.domain, model.description ?? "", model.useCase ?? "", model.kind.rawValue,
                                     model.riskTier.rawValue, model.businessOwner, model.developer, model.vendor, model.tags.tagList,
                                     model.createdAt.text])
                if m.stage != .idea {
                    try db.execute(sql: "INSERT INTO stage_changes (model_id, stage, changed_at, changed_by, note) VALUES (?, ?, ?, NULL, ?)",
                                   arguments: [model.id, m.stage.rawValue, Timestamp(day: m.stageDate).text, "\(layout.name): reported stage"])
                }
                for doc in m.documents {
                    try db.execute(sql: """
                        INSERT INTO documents (model_id, kind, version, submitted_at, approved_at, approved_by, expires_at, uri)
                        VALUES (?, ?, ?, ?, ?, ?, NULL, ?)
                        """, arguments: [model.id, doc.kind.rawValue, layout.name, Timestamp(day: reported).text,
                                         doc.approved ? Timestamp(day: reported).text : nil, doc.approved ? attestation : nil, doc.uri])
                }
                summary.imported += 1
                if !m.flags.isEmpty { summary.flagged += 1 }
            }
            summary.auditEntry = try AuditLog.append(db, actor: actor, action: "import.use-cases", entity: "inventory", detail: .object([
                ("source", .string(path)), ("sha256", .string(sha)), ("layout", .string(layout.name)),
                ("reported", .string(reported.description)), ("rows", .int(summary.rows)), ("imported", .int(summary.imported)),
                ("flagged", .int(summary.flagged)), ("already_present", .int(summary.alreadyPresent)),
                ("rejected", .int(summary.rejected.count)), ("unparsable_dates", .int(summary.badDates.count)),
                ("id_collisions", .int(summary.collisions.count)),
                ("flags", .object(summary.flags.sorted { $0.key < $1.key }.map { ($0.key, .int($0.value)) })),
            ]))
            return summary
        }
    }
}
