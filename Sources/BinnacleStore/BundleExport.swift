import BinnacleBundle
import BinnacleCore
import Foundation
import GRDB

extension Inventory {
    /// Writes the inventory as a bundle into `directory`, which must not exist or be empty.
    /// Files are written into a sibling folder and moved into place at the end, so a failure leaves
    /// nothing half-written. Returns rows written per file.
    @discardableResult
    public func exportBundle(to directory: String) throws -> [BundleFile: Int] {
        let fm = FileManager.default
        let target = URL(fileURLWithPath: directory).standardizedFileURL
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: target.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue, (try? fm.contentsOfDirectory(atPath: target.path).isEmpty) == true else {
                throw StoreError.other("\(directory): already exists and is not an empty folder; export into a new folder")
            }
        }
        let parent = target.deletingLastPathComponent()
        try fm.createDirectory(at: parent, withIntermediateDirectories: true)
        let prefix = ".\(target.lastPathComponent).partial-"
        Inventory.removeAbandonedStaging(in: parent.path, prefix: prefix)
        let staging = URL(fileURLWithPath: try PrivateFiles.makeFolder(in: parent.path,
                                                                       prefix: prefix + "\(ProcessInfo.processInfo.processIdentifier)-"))
        do {
            let counts = try read { db in try Inventory.writeBundle(db, into: staging.path) }
            // The staging folder was private while it filled; the export gets the usual modes.
            let mask = umask(0o022)
            umask(mask)
            chmod(staging.path, 0o777 & ~mask)
            if fm.fileExists(atPath: target.path) { try fm.removeItem(at: target) }
            try fm.moveItem(at: staging, to: target)
            return counts
        } catch {
            try? fm.removeItem(at: staging)
            throw error
        }
    }

    /// Staging folders of exports that were killed (their process is gone): named `<prefix><pid>-<random>`.
    static func removeAbandonedStaging(in folder: String, prefix: String) {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] where name.hasPrefix(prefix) {
            guard let pid = Int32(name.dropFirst(prefix.count).prefix(while: { $0 != "-" })), pid > 0,
                  kill(pid, 0) != 0, errno == ESRCH else { continue }
            try? FileManager.default.removeItem(atPath: folder + "/" + name)
        }
    }

    static func writeBundle(_ db: Database, into folder: String) throws -> [BundleFile: Int] {
        var counts: [BundleFile: Int] = [:]
        func dump(_ file: BundleFile, _ sql: String, _ row: (Row) -> [String]) throws {
            let writer = try CSVWriter(path: (folder as NSString).appendingPathComponent(file.fileName), header: file.columns)
            var n = 0
            let cursor = try Row.fetchCursor(db, sql: sql)
            while let r = try cursor.next() { writer.write(row(r)); n += 1 }
            try writer.close()
            counts[file] = n
        }
        func text(_ r: Row, _ column: String) -> String { r[column] as String? ?? "" }
        func stamp(_ r: Row, _ column: String) -> String {
            (r[column] as String?).map { Timestamp(storedText: $0).bundleText } ?? ""
        }
        func number(_ r: Row, _ column: String) -> String { Format.number(r[column] as Double) }

        let info = try portfolioInfo(db)
        let manifest = try CSVWriter(path: (folder as NSString).appendingPathComponent(BundleFile.manifest.fileName),
                                     header: BundleFile.manifest.columns)
        manifest.write(["format", Manifest.format])
        manifest.write(["portfolio", info.portfolio])
        manifest.write(["currency", info.currency])
        if let asOf = info.asOf { manifest.write(["as_of", asOf.description]) }
        try manifest.close()
        counts[.manifest] = info.asOf == nil ? 3 : 4

        try dump(.people, "SELECT * FROM people ORDER BY login") { r in
            [text(r, "login"), text(r, "name"), text(r, "email"), text(r, "role"), text(r, "team"), (r["active"] as Bool) ? "true" : "false"]
        }
        try dump(.models, "SELECT * FROM models ORDER BY id") { r in
            [text(r, "id"), text(r, "name"), text(r, "domain"), text(r, "description"), text(r, "use_case"), text(r, "kind"),
             String(r["risk_tier"] as Int), text(r, "business_owner"), text(r, "developer"), text(r, "validator"),
             text(r, "vendor"), text(r, "tags"), stamp(r, "created_at")]
        }
        try dump(.assets, "SELECT * FROM assets ORDER BY id") { r in
            [text(r, "id"), text(r, "kind"), text(r, "name"), text(r, "owner"), text(r, "tags")]
        }
        // Row order matters for same-time stage changes ("the later row"), so keep it.
        try dump(.stages, "SELECT * FROM stage_changes ORDER BY model_id, changed_at, id") { r in
            [text(r, "model_id"), text(r, "stage"), stamp(r, "changed_at"), text(r, "changed_by"), text(r, "note")]
        }
        try dump(.value, "SELECT * FROM value_records ORDER BY id") { r in
            [text(r, "model_id"), text(r, "date"), number(r, "value"), number(r, "cost"), text(r, "note")]
        }
        try dump(.documents, "SELECT * FROM documents ORDER BY model_id, kind, id") { r in
            [text(r, "model_id"), text(r, "kind"), text(r, "version"), stamp(r, "submitted_at"), stamp(r, "approved_at"),
             text(r, "approved_by"), stamp(r, "expires_at"), text(r, "uri")]
        }
        try dump(.monitors, "SELECT * FROM monitors ORDER BY model_id, metric") { r in
            [text(r, "model_id"), text(r, "metric"), text(r, "direction"), number(r, "warn"), number(r, "critical")]
        }
        try dump(.observations, "SELECT * FROM observations ORDER BY model_id, metric, observed_at") { r in
            [text(r, "model_id"), text(r, "metric"), stamp(r, "observed_at"), number(r, "value")]
        }
        try dump(.lineage, "SELECT * FROM lineage ORDER BY upstream, downstream") { r in
            [text(r, "upstream"), text(r, "downstream")]
        }
        try dump(.tasks, "SELECT * FROM tasks ORDER BY id") { r in
            [text(r, "id"), text(r, "model_id"), text(r, "title"), text(r, "assignee"), text(r, "assigned_by"), text(r, "priority"),
             stamp(r, "created_at"), stamp(r, "due_at"), text(r, "status"), stamp(r, "closed_at")]
        }
        try dump(.audit, "SELECT * FROM audit_log ORDER BY seq") { r in
            [stamp(r, "at"), text(r, "actor"), text(r, "action"), text(r, "entity"), text(r, "detail")]
        }
        return counts
    }
}
