import BinnacleBundle
import BinnacleCore
import Crypto
import Foundation
import GRDB

/// An examiner's evidence pack: the portfolio as of a date D, in a folder that can be checked offline.
///   bundle/       the portfolio as of D, re-importable (`BundleCut`)
///   report.json   `report --as-of D --format json`
///   audit.jsonl   the audit chain up to its head at D, one entry a line, each with its hashes
///   index.html    the same for people: KPIs, inventory, documents, breaches, exposure, remediation, alerts, stage changes
///   manifest.json every other file's SHA-256 and size, the audit head, D, the version and time of generation
///   SHA256SUMS    the same hashes (and the manifest's) for `sha256sum -c`
public enum EvidencePack {
    public static let format = "binnacle-evidence/1"
    public static let manifestFile = "manifest.json"
    public static let sumsFile = "SHA256SUMS"
    public static let reportFile = "report.json"
    public static let auditFile = "audit.jsonl"
    public static let bundleFolder = "bundle"

    /// One audit entry as a line of the pack's audit file.
    static func line(_ e: AuditEntry) -> String { e.json.serialized() + "\n" }

    /// What a pack folder holds: its regular files (relative paths, sorted; the manifest and the sums left
    /// out), and each entry a pack never holds, named: a symbolic link, a FIFO, a device or socket, an
    /// empty folder. Entries are looked at, never followed.
    static func entries(in folder: String) throws -> (files: [String], strange: [String]) {
        var files: [String] = [], strange: [String] = []
        func walk(_ relative: String) throws {
            let names = try FileManager.default.contentsOfDirectory(atPath: relative.isEmpty ? folder : folder + "/" + relative)
            if names.isEmpty, !relative.isEmpty { strange.append("\(relative): an empty folder (the manifest lists nothing in it)") }
            for name in names.sorted() {
                let path = relative.isEmpty ? name : relative + "/" + name
                var status = stat()
                guard lstat(folder + "/" + path, &status) == 0 else { throw StoreError.other("\(folder)/\(path): cannot be read") }
                switch status.st_mode & S_IFMT {
                case S_IFDIR: try walk(path)
                case S_IFREG: if path != manifestFile, path != sumsFile { files.append(path) }
                default: strange.append("\(path): not a regular file (a symbolic link, a FIFO or a device); a pack holds only files and folders")
                }
            }
        }
        try walk("")
        return (files.sorted(), strange)
    }

    /// Opens a file of a pack for reading: never through a symbolic link, never waiting on a FIFO, a regular file only.
    static func openRegular(_ path: String) throws -> FileHandle {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw StoreError.other("\(path): cannot be read (\(String(cString: strerror(errno))))") }
        var status = stat()
        guard fstat(fd, &status) == 0, status.st_mode & S_IFMT == S_IFREG else {
            close(fd)
            throw StoreError.other("\(path): not a regular file")
        }
        return FileHandle(fileDescriptor: fd, closeOnDealloc: true)
    }

    /// A pack file's bytes, or nil when it is missing, unreadable or not a regular file.
    static func contents(_ path: String) -> Data? {
        guard let handle = try? openRegular(path) else { return nil }
        return (try? handle.readToEnd()) ?? Data()
    }

    /// A file's SHA-256 (lower-case hex) and size, read a block at a time.
    static func digest(_ path: String) throws -> (sha256: String, bytes: Int) {
        let handle = try openRegular(path)
        var hasher = SHA256()
        var bytes = 0
        while let block = try handle.read(upToCount: 1 << 20), !block.isEmpty {
            hasher.update(data: block)
            bytes += block.count
        }
        return (hasher.finalize().hex, bytes)
    }

    /// `sha256sum` lines: `<hex>  <path>`.
    static func sums(_ files: [EvidenceManifest.File]) -> String {
        files.map { "\($0.sha256)  \($0.path)\n" }.joined()
    }
}

/// What `manifest.json` holds.
public struct EvidenceManifest: Equatable, Sendable {
    public struct File: Equatable, Sendable {
        public var path, sha256: String
        public var bytes: Int
    }
    public var portfolio: String
    public var asOf: Day
    public var generatedAt: String
    public var version: String
    /// The audit chain's head at D: its last entry dated on or before D (genesis and 0 when none).
    public var auditHead: String
    public var auditSeq: Int
    public var auditEntries: Int
    public var files: [File]

    public var json: String {
        JSON.object([
            ("format", .string(EvidencePack.format)), ("portfolio", .string(portfolio)), ("as_of", .string(asOf.description)),
            ("generated_at", .string(generatedAt)), ("binnacle_version", .string(version)),
            ("audit", .object([("head", .string(auditHead)), ("seq", .int(auditSeq)), ("entries", .int(auditEntries))])),
            ("files", .array(files.map { .object([("path", .string($0.path)), ("sha256", .string($0.sha256)), ("bytes", .int($0.bytes))]) })),
        ]).serialized(indent: 2) + "\n"
    }

    /// Reads a manifest, or says why it is not one.
    public static func parse(_ data: Data) -> Result<EvidenceManifest, StoreError> {
        func bad(_ why: String) -> Result<EvidenceManifest, StoreError> { .failure(.other("\(EvidencePack.manifestFile): \(why)")) }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return bad("is not a JSON object") }
        guard object["format"] as? String == EvidencePack.format else { return bad("its format is not \(EvidencePack.format)") }
        guard let portfolio = object["portfolio"] as? String, let asOfText = object["as_of"] as? String, let asOf = Day(asOfText),
              let generatedAt = object["generated_at"] as? String, let version = object["binnacle_version"] as? String,
              let audit = object["audit"] as? [String: Any], let head = audit["head"] as? String,
              let seq = (audit["seq"] as? NSNumber)?.intValue, let entries = (audit["entries"] as? NSNumber)?.intValue,
              let list = object["files"] as? [[String: Any]] else { return bad("a field is missing or of the wrong type") }
        var files: [File] = []
        for f in list {
            guard let path = f["path"] as? String, let sha = f["sha256"] as? String, let bytes = (f["bytes"] as? NSNumber)?.intValue else {
                return bad("an entry of files is missing its path, sha256 or bytes")
            }
            files.append(File(path: path, sha256: sha, bytes: bytes))
        }
        return .success(EvidenceManifest(portfolio: portfolio, asOf: asOf, generatedAt: generatedAt, version: version, auditHead: head,
                                         auditSeq: seq, auditEntries: entries, files: files))
    }
}

extension Inventory {
    /// Writes the evidence pack of the portfolio as of `asOf` into a new folder `path` (refused when it
    /// exists), everything read in one snapshot; built beside it and moved into place at the end.
    @discardableResult
    public func writeEvidencePack(asOf: Day, to path: String, version: String, generatedAt: Timestamp = .now()) throws -> EvidenceManifest {
        try Inventory.writeFolder(path, whenExisting: .refuse("an evidence pack is written into a new folder")) { staging in
            try writeEvidencePack(asOf: asOf, into: staging, version: version, generatedAt: generatedAt)
        }
    }

    /// Writes the pack into the existing empty folder `folder`. The bundle (most of the bytes) and the audit file are
    /// written on a second connection and thread in the same snapshot (`SnapshotWorker`) while this one writes the rest.
    /// `step` (tests) is told each stage: "snapshot" once the read began, before the worker joins it, and each
    /// bundle file's name once it is written (on the worker's thread).
    func writeEvidencePack(asOf d: Day, into folder: String, version: String, generatedAt: Timestamp,
                           step: (@Sendable (String) -> Void)? = nil) throws -> EvidenceManifest {
        // A write that was waiting to commit when the worker came lets no new reader in: begin again after it.
        for attempt in 1... {
            do {
                return try read { db in
                    try Inventory.writeEvidencePack(db, asOf: d, into: folder, version: version, generatedAt: generatedAt,
                                                    onSecondReader: true, step: step)
                }
            } catch is SnapshotWorker.Busy where attempt < 20 {
                continue
            } catch is SnapshotWorker.Busy {
                throw StoreError.other("\(path): the inventory is written without pause; the evidence pack could not be read in one snapshot, try again")
            }
        }
        preconditionFailure("unreachable")
    }

    /// `onSecondReader`: write the bundle on a second connection beside `db` where one shares its snapshot
    /// (`SecondReader`), else on `db`.
    static func writeEvidencePack(_ db: Database, asOf d: Day, into folder: String, version: String, generatedAt: Timestamp,
                                  onSecondReader: Bool = false, step: (@Sendable (String) -> Void)? = nil) throws -> EvidenceManifest {
        let today = generatedAt.day
        if d > today { throw StoreError.other("as of \(d): that date is in the future (today is \(today), UTC); a pack shows a date that has passed") }
        guard let first = try String.fetchOne(db, sql: "SELECT MIN(created_at) FROM models").map(Timestamp.init(storedText:)) else {
            throw StoreError.other("the inventory holds no models: there is nothing to put in an evidence pack")
        }
        if d < first.day { throw StoreError.other("as of \(d): no model existed yet (the first was created on \(first.day)); choose a later date") }

        // The chain up to its last entry dated on or before D: whole from the genesis, so it can be re-walked.
        let next = d.adding(days: 1).description
        let lastSeq = try auditHead(db, asOf: d)?.seq ?? 0
        step?("snapshot")
        // Each file is hashed as it is written, for the manifest.
        let digests = WrittenDigests()
        let cut = BundleCut(asOf: d, lastAuditSeq: lastSeq)
        // Joined before any file is made: a `Busy` here leaves the folder as it was, for the next attempt.
        let writer = onSecondReader ? try SnapshotWorker(beside: db) { db in
            try writeBundleAndAudit(db, into: folder, cut: cut, digests: digests, step: step)
        } : nil
        if writer == nil { try writeBundleAndAudit(db, into: folder, cut: cut, digests: digests, step: step) }
        // This transaction holds the snapshot until the worker is done, whatever happens here; when this side
        // fails, the worker is stopped rather than waited for (the folder is given up).
        var written = false
        defer {
            if !written { writer?.cancel() }
            try? writer?.join()
        }

        // The board pack's read gives the report (report.json) and what index.html shows beside it.
        let board = try Inventory.boardPackAndAlerts(db, asOf: d, domain: nil, top: 25)
        var pack = board.pack
        let report = pack.report
        // What the sweep freed is handed back: the bundle's thread writes beside this one, from a heap of its own.
        Heap.returnFreed()
        let reportFile = try FileStream(creating: folder + "/" + EvidencePack.reportFile, digests: digests)
        reportFile.write(report.json())
        try reportFile.close()

        // The head's hash, and the overrides of the 12 months among the entries up to it (audit.jsonl is the worker's).
        let head = lastSeq == 0 ? AuditLog.genesis
            : try String.fetchOne(db, sql: "SELECT hash FROM audit_log WHERE seq = ?", arguments: [lastSeq]) ?? AuditLog.genesis
        let yearFrom = d.windowStart(days: Windows.year).description
        // `at` need not rise with seq (imported history keeps its dates): an entry dated after D can sit before the head.
        let overrides = try Row.fetchAll(db, sql: "SELECT * FROM audit_log WHERE seq <= ? AND action = 'stage.override' ORDER BY seq",
                                         arguments: [lastSeq]).map(AuditLog.entry).filter { $0.at >= yearFrom && $0.at < next }

        // index.html is the board pack of D with the pack's tables after it.
        pack.title = "Evidence pack"
        pack.tables = [BoardPack.Table(
            title: "This pack", note: "Check it with `binnacle evidence verify PACK`, or without Binnacle as the README describes (sha256sum -c SHA256SUMS, then the chain rule).",
            headers: ["", ""],
            rows: [["Generated", "\(generatedAt.bundleText) by Binnacle \(version)"], ["As of", d.description],
                   ["Audit head at \(d)", "entry \(lastSeq), \(head)"]])]
        var page = try FileStream(creating: folder + "/index.html", digests: digests)
        try pack.write(to: &page) { out in try writeEvidenceTables(db, report: report, alerts: board.alerts, overrides: overrides, pack: pack,
                                                                          spill: folder + "/.index-", to: &out) }
        try page.close()
        written = true
        try writer?.join()

        let files = try EvidencePack.entries(in: folder).files.map { path in
            let digest = try digests.digest(of: folder + "/" + path)
            return EvidenceManifest.File(path: path, sha256: digest.sha256, bytes: digest.bytes)
        }
        let manifest = EvidenceManifest(portfolio: report.portfolio, asOf: d, generatedAt: generatedAt.bundleText, version: version,
                                        auditHead: head, auditSeq: lastSeq, auditEntries: lastSeq, files: files)
        try Data(manifest.json.utf8).write(to: URL(fileURLWithPath: folder + "/" + EvidencePack.manifestFile))
        let manifestDigest = try EvidencePack.digest(folder + "/" + EvidencePack.manifestFile)
        let listed = files + [EvidenceManifest.File(path: EvidencePack.manifestFile, sha256: manifestDigest.sha256, bytes: manifestDigest.bytes)]
        try Data(EvidencePack.sums(listed).utf8).write(to: URL(fileURLWithPath: folder + "/" + EvidencePack.sumsFile))
        return manifest
    }

    /// The pack's bundle, then its audit file: the chain up to its head at D (`cut.lastAuditSeq`), one entry a line.
    private static func writeBundleAndAudit(_ db: Database, into folder: String, cut: BundleCut, digests: WrittenDigests,
                                            step: ((String) -> Void)?) throws {
        let bundle = folder + "/" + EvidencePack.bundleFolder
        try FileManager.default.createDirectory(atPath: bundle, withIntermediateDirectories: false)
        _ = try writeBundle(db, into: bundle, cut: cut, digests: digests, step: step)
        let audit = try FileStream(creating: folder + "/" + EvidencePack.auditFile, digests: digests)
        let rows = try Row.fetchCursor(db, sql: "SELECT * FROM audit_log WHERE seq <= ? ORDER BY seq", arguments: [cut.lastAuditSeq ?? 0])
        while let row = try rows.next() { audit.write(EvidencePack.line(AuditLog.entry(row))) }
        try audit.close()
    }
}
