import BinnacleBundle
import BinnacleCore
import Foundation
import GRDB

extension Inventory {
    /// Writes the inventory as a bundle into `directory`, which must not exist or be empty.
    /// Returns rows written per file.
    @discardableResult
    public func exportBundle(to directory: String) throws -> [BundleFile: Int] {
        try Inventory.writeFolder(directory, whenExisting: .mustBeEmpty("export into a new folder")) { staging in
            try read { db in try Inventory.writeBundle(db, into: staging) }
        }
    }

    /// What `writeFolder` does when the target exists.
    enum ExistingFolder {
        /// Replace it when it is an empty folder, else refuse saying what to do instead.
        case mustBeEmpty(String)
        /// Refuse, saying what to do instead.
        case refuse(String)
    }

    /// Fills a new folder at `path` all at once: `fill` writes into a private sibling folder, which is
    /// moved into place at the end, so a failure (or a kill) leaves nothing half-written.
    static func writeFolder<T>(_ path: String, whenExisting existing: ExistingFolder, _ fill: (String) throws -> T) throws -> T {
        let fm = FileManager.default
        let target = URL(fileURLWithPath: path).standardizedFileURL
        func occupied() -> StoreError {
            switch existing {
            case .refuse(let instead): return StoreError.other("\(path): already exists; nothing was written (\(instead))")
            case .mustBeEmpty(let instead): return StoreError.other("\(path): already exists and is not an empty folder; \(instead)")
            }
        }
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: target.path, isDirectory: &isDirectory) {
            if case .refuse = existing { throw occupied() }
            guard isDirectory.boolValue, (try? fm.contentsOfDirectory(atPath: target.path).isEmpty) == true else {
                throw occupied()
            }
        }
        let parent = target.deletingLastPathComponent()
        try fm.createDirectory(at: parent, withIntermediateDirectories: true)
        let prefix = ".\(target.lastPathComponent).partial-"
        Inventory.removeAbandonedStaging(in: parent.path, prefix: prefix)
        let staging = URL(fileURLWithPath: try PrivateFiles.makeFolder(in: parent.path,
                                                                       prefix: prefix + "\(ProcessInfo.processInfo.processIdentifier)-"))
        do {
            let result = try fill(staging.path)
            // The staging folder was private while it filled; the result gets the usual modes.
            let mask = umask(0o022)
            umask(mask)
            chmod(staging.path, 0o777 & ~mask)
            // Whatever appeared at the target meanwhile (a colleague's folder) stays as it is.
            var overEmpty = false
            if case .mustBeEmpty = existing { overEmpty = true }
            guard try moveIntoPlace(staging.path, to: target.path, overEmptyFolder: overEmpty) else { throw occupied() }
            return result
        } catch {
            try? fm.removeItem(at: staging)
            throw error
        }
    }

    /// Renames `source` to `target` unless something is there (false): never replacing, since between a check
    /// and the rename anyone may create it. With `overEmptyFolder`, an empty folder there is removed first
    /// (rmdir refuses one with anything in it).
    static func moveIntoPlace(_ source: String, to target: String, overEmptyFolder: Bool) throws -> Bool {
        if overEmptyFolder, rmdir(target) != 0, errno != ENOENT { return false }
        if let renameat2 = Inventory.renameat2 {
            if renameat2(AT_FDCWD, source, AT_FDCWD, target, 1 /* RENAME_NOREPLACE */) == 0 { return true }
            if errno == EEXIST { return false }
            // A file system without RENAME_NOREPLACE: rename below replaces at most an empty folder, never content.
            guard errno == EINVAL || errno == ENOSYS else {
                throw StoreError.other("\(target): cannot move the finished folder into place (\(String(cString: strerror(errno))))")
            }
        }
        if rename(source, target) == 0 { return true }
        if errno == EEXIST || errno == ENOTEMPTY || errno == ENOTDIR || errno == EISDIR { return false }
        throw StoreError.other("\(target): cannot move the finished folder into place (\(String(cString: strerror(errno))))")
    }

    /// glibc's renameat2 (2.28 and later), which its Swift module does not export: looked up, called as C.
    private static let renameat2: (@convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32)? = {
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "renameat2") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32).self)
    }()

    /// Staging folders of exports that were killed (their process is gone): named `<prefix><pid>-<random>`.
    static func removeAbandonedStaging(in folder: String, prefix: String) {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] where name.hasPrefix(prefix) {
            guard let pid = Int32(name.dropFirst(prefix.count).prefix(while: { $0 != "-" })), pid > 0,
                  kill(pid, 0) != 0, errno == ESRCH else { continue }
            try? FileManager.default.removeItem(atPath: folder + "/" + name)
        }
    }

    /// Writes the bundle into `folder`: the whole inventory, or with `cut` the portfolio as it stood at a date.
    /// Each file's rows go from SQLite's C interface straight into the file's bytes (`BundleRows`): byte for
    /// byte what `writeBundleByRow` writes, several times faster (millions of observations at 50,000 models).
    /// `step` (tests) is told each file's name once it is written.
    static func writeBundle(_ db: Database, into folder: String, cut: BundleCut = .whole, digests: WrittenDigests? = nil,
                            step: ((String) -> Void)? = nil) throws -> [BundleFile: Int] {
        var counts = try writeBundleManifest(db, into: folder, cut: cut)
        for file in BundleFile.allCases where file != .manifest {
            counts[file] = try BundleRows.write(db, file, sql: cut.query(file), arguments: cut.arguments,
                                                to: folder + "/" + file.fileName, digests: digests)
            step?(file.fileName)
        }
        return counts
    }

    /// The manifest of a bundle written with `cut`: its rows.
    private static func writeBundleManifest(_ db: Database, into folder: String, cut: BundleCut) throws -> [BundleFile: Int] {
        let info = try portfolioInfo(db)
        let asOf = cut.asOf ?? info.asOf
        let manifest = try CSVWriter(path: (folder as NSString).appendingPathComponent(BundleFile.manifest.fileName),
                                     header: BundleFile.manifest.columns)
        manifest.write(["format", Manifest.format])
        manifest.write(["portfolio", info.portfolio])
        manifest.write(["currency", info.currency])
        if let asOf { manifest.write(["as_of", asOf.description]) }
        try manifest.close()
        return [.manifest: asOf == nil ? 3 : 4]
    }

    /// The same bundle as `writeBundle`, a GRDB `Row` and a String per value at a time: the plain reading of
    /// what each file holds, kept as the reference the fast writer is checked against.
    static func writeBundleByRow(_ db: Database, into folder: String, cut: BundleCut = .whole) throws -> [BundleFile: Int] {
        var counts = try writeBundleManifest(db, into: folder, cut: cut)
        let arguments = cut.arguments
        func dump(_ file: BundleFile, _ row: (Row) -> [String]) throws {
            let writer = try CSVWriter(path: (folder as NSString).appendingPathComponent(file.fileName), header: file.columns)
            var n = 0
            let cursor = try Row.fetchCursor(db, sql: cut.query(file), arguments: arguments)
            while let r = try cursor.next() { writer.write(row(r)); n += 1 }
            try writer.close()
            counts[file] = n
        }
        func text(_ r: Row, _ column: String) -> String { r[column] as String? ?? "" }
        func stamp(_ r: Row, _ column: String) -> String {
            (r[column] as String?).map { Timestamp(storedText: $0).bundleText } ?? ""
        }
        func number(_ r: Row, _ column: String) -> String { Format.number(r[column] as Double) }

        try dump(.people) { r in
            [text(r, "login"), text(r, "name"), text(r, "email"), text(r, "role"), text(r, "team"), (r["active"] as Bool) ? "true" : "false"]
        }
        try dump(.models) { r in
            [text(r, "id"), text(r, "name"), text(r, "domain"), text(r, "description"), text(r, "use_case"), text(r, "kind"),
             String(r["risk_tier"] as Int), text(r, "business_owner"), text(r, "developer"), text(r, "validator"),
             text(r, "vendor"), text(r, "tags"), stamp(r, "created_at")]
        }
        try dump(.assets) { r in
            [text(r, "id"), text(r, "kind"), text(r, "name"), text(r, "owner"), text(r, "tags")]
        }
        try dump(.stages) { r in
            [text(r, "model_id"), text(r, "stage"), stamp(r, "changed_at"), text(r, "changed_by"), text(r, "note")]
        }
        try dump(.value) { r in
            [text(r, "model_id"), text(r, "date"), number(r, "value"), number(r, "cost"), text(r, "note")]
        }
        try dump(.documents) { r in
            let approved = r["approved_then"] as Bool? ?? false
            return [text(r, "model_id"), text(r, "kind"), text(r, "version"), stamp(r, "submitted_at"),
                    approved ? stamp(r, "approved_at") : "", approved ? text(r, "approved_by") : "", stamp(r, "expires_at"), text(r, "uri")]
        }
        try dump(.monitors) { r in
            [text(r, "model_id"), text(r, "metric"), text(r, "direction"), number(r, "warn"), number(r, "critical")]
        }
        try dump(.observations) { r in
            [text(r, "model_id"), text(r, "metric"), stamp(r, "observed_at"), number(r, "value")]
        }
        try dump(.lineage) { r in
            [text(r, "upstream"), text(r, "downstream")]
        }
        try dump(.tasks) { r in
            let later = r["closed_later"] as Bool? ?? false
            let status = later && ![TaskStatus.open, .inProgress].map(\.rawValue).contains(text(r, "status")) ? TaskStatus.open.rawValue : text(r, "status")
            return [text(r, "id"), text(r, "model_id"), text(r, "title"), text(r, "assignee"), text(r, "assigned_by"), text(r, "priority"),
                    stamp(r, "created_at"), stamp(r, "due_at"), status, later ? "" : stamp(r, "closed_at")]
        }
        try dump(.audit) { r in
            [stamp(r, "at"), text(r, "actor"), text(r, "action"), text(r, "entity"), text(r, "detail")]
        }
        return counts
    }
}

/// Which rows a bundle carries: the whole inventory, or the portfolio as it stood at a date D — every
/// fact dated on or before D (stage changes, value, observations, documents submitted or approved,
/// tasks created), as it was then (an approval or a closure dated after D left out), with the people,
/// assets and lineage as they are, and the audit chain up to its head at D.
struct BundleCut {
    var asOf: Day?
    /// The last audit entry carried (nil: all).
    var lastAuditSeq: Int?

    static let whole = BundleCut(asOf: nil, lastAuditSeq: nil)

    var arguments: StatementArguments {
        ["asof": asOf?.description, "next": asOf?.adding(days: 1).description, "last_seq": lastAuditSeq]
    }

    /// The query giving a bundle file's rows (any file but the manifest), in the file's order.
    func query(_ file: BundleFile) -> String {
        let carried = BundleCut.carriedModels
        switch file {
        case .manifest: preconditionFailure("the manifest is written from the portfolio's settings, not a query")
        case .people: return "SELECT * FROM people ORDER BY login"
        case .models: return "WITH \(carried) SELECT * FROM models WHERE id IN carried ORDER BY id"
        case .assets: return "SELECT * FROM assets ORDER BY id"
        // Row order matters for same-time stage changes ("the later row"), so keep it.
        case .stages: return "SELECT * FROM stage_changes WHERE (:next IS NULL OR changed_at < :next) ORDER BY model_id, changed_at, id"
        case .value: return "SELECT * FROM value_records WHERE (:asof IS NULL OR date <= :asof) ORDER BY id"
        // At D a document approved later is a draft: its approval is left out (its planned expiry kept).
        case .documents: return """
            WITH \(carried)
            SELECT d.*, (:next IS NULL OR d.approved_at < :next) AS approved_then FROM documents d
            WHERE d.model_id IN carried AND (:next IS NULL OR \(DomainRules.documentExists("d")))
            ORDER BY d.model_id, d.kind, d.id
            """
        case .monitors: return "WITH \(carried) SELECT * FROM monitors WHERE model_id IN carried ORDER BY model_id, metric"
        case .observations: return """
            WITH \(carried) SELECT * FROM observations WHERE (:next IS NULL OR observed_at < :next) AND model_id IN carried
            ORDER BY model_id, metric, observed_at
            """
        case .lineage: return """
            WITH \(carried), nodes(id) AS (SELECT id FROM carried UNION ALL SELECT id FROM assets)
            SELECT * FROM lineage WHERE :next IS NULL OR (upstream IN nodes AND downstream IN nodes) ORDER BY upstream, downstream
            """
        // At D a task closed later is still open: its closure is left out.
        case .tasks: return """
            SELECT *, (:next IS NOT NULL AND closed_at >= :next) AS closed_later FROM tasks
            WHERE (:next IS NULL OR created_at < :next) ORDER BY id
            """
        case .audit: return "SELECT * FROM audit_log WHERE (:last_seq IS NULL OR seq <= :last_seq) ORDER BY seq"
        }
    }

    /// The models carried (a CTE `carried(id)`): those existing at D, and any other that a fact dated on or
    /// before D belongs to (value, a stage change or a task recorded before its created date), since a KPI
    /// at D counts those facts of every model: the cut changes no number at D or before.
    static let carriedModels = """
        carried(id) AS (SELECT m.id FROM models m WHERE :next IS NULL OR \(DomainRules.exists("m"))
          OR EXISTS (SELECT 1 FROM stage_changes s WHERE s.model_id = m.id AND s.changed_at < :next)
          OR EXISTS (SELECT 1 FROM value_records v WHERE v.model_id = m.id AND v.date <= :asof)
          OR EXISTS (SELECT 1 FROM tasks t WHERE t.model_id = m.id AND t.created_at < :next))
        """
}
