import BinnacleBundle
import BinnacleCore
import Foundation

/// What `evidence verify` found: the pack's manifest, and each problem naming the file, entry or KPI.
public struct EvidenceVerdict: Sendable {
    /// Nil when the manifest itself was changed past reading.
    public var manifest: EvidenceManifest?
    public var problems: [String] = []
    /// With a live inventory: the entry of its chain that the pack's head is (nil: not checked, or no head).
    public var anchoredAt: Int?
    /// With a live inventory: every file was written again from it and hashed the same.
    public var rebuilt = false
}

extension EvidencePack {
    /// Checks a pack: every file's hash against the manifest and SHA256SUMS, the chain inside its audit
    /// file, its head against the manifest, the KPIs recomputed from its bundle against its report, and
    /// with `live`, that its head is the entry at the same place of the live chain. Throws when the pack
    /// cannot be checked at all (not a folder, no readable manifest).
    public static func verify(_ pack: String, live: Inventory? = nil) throws -> EvidenceVerdict {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: pack, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw StoreError.other("\(pack): no such folder; an evidence pack is a folder written by `binnacle evidence`")
        }
        func at(_ path: String) -> String { pack + "/" + path }
        // A link could point outside the pack and a FIFO would stop the check: named first, nothing else read.
        let (files, strange) = try entries(in: pack)
        if !strange.isEmpty { return EvidenceVerdict(manifest: nil, problems: strange) }
        guard let manifestData = contents(at(manifestFile)) else {
            throw StoreError.other("\(pack): holds no readable \(manifestFile); it is not an evidence pack, or its manifest was removed")
        }
        let listedSums = sumsLines(contents(at(sumsFile)))
        let manifestDigest = try digest(at(manifestFile))
        let manifest: EvidenceManifest
        switch EvidenceManifest.parse(manifestData) {
        case .success(let m): manifest = m
        case .failure(let e):
            // Unreadable, and not as SHA256SUMS recorded it: it was changed, not merely never a manifest.
            if let listed = listedSums[manifestFile], listed != manifestDigest.sha256 {
                return EvidenceVerdict(manifest: nil, problems: ["\(manifestFile): changed (its SHA-256 differs from \(sumsFile)) and no longer readable: \(e)"])
            }
            throw e
        }
        var verdict = EvidenceVerdict(manifest: manifest)

        // Files: as the manifest lists them, none missing, none added; SHA256SUMS the same.
        var actual: [String: String] = [manifestFile: manifestDigest.sha256]
        let present = Set(files)
        for file in manifest.files {
            let parts = file.path.split(separator: "/")
            guard !file.path.hasPrefix("/"), !parts.contains(".."), !parts.isEmpty else {
                verdict.problems.append("\(manifestFile): lists \(file.path), which is outside the pack"); continue
            }
            guard present.contains(file.path) else { verdict.problems.append("\(file.path): missing (the manifest lists it)"); continue }
            let d = try digest(at(file.path))
            actual[file.path] = d.sha256
            if d.sha256 != file.sha256 || d.bytes != file.bytes {
                verdict.problems.append("\(file.path): changed (its SHA-256 or size differs from the manifest)")
            }
        }
        for extra in present.subtracting(manifest.files.map(\.path)).sorted() {
            verdict.problems.append("\(extra): added (the manifest does not list it)")
        }
        if listedSums.isEmpty { verdict.problems.append("\(sumsFile): missing or empty") }
        for (path, sha) in actual.sorted(by: { $0.key < $1.key }) where !listedSums.isEmpty && listedSums[path] != sha {
            verdict.problems.append(listedSums[path] == nil ? "\(sumsFile): does not list \(path)" : "\(sumsFile): its hash of \(path) does not match the file")
        }
        for path in listedSums.keys.sorted() where actual[path] == nil && !present.contains(path) {
            verdict.problems.append("\(sumsFile): lists \(path), which the pack does not hold")
        }

        verdict.problems += checkChain(at(auditFile), manifest: manifest)
        verdict.problems += checkKPIs(pack, manifest: manifest)
        if let live, try checkAnchor(manifest, live: live, into: &verdict) { try checkRebuild(manifest, live: live, into: &verdict) }
        return verdict
    }

    /// `<hex>  <path>` lines, by path.
    static func sumsLines(_ data: Data?) -> [String: String] {
        var out: [String: String] = [:]
        for line in String(decoding: data ?? Data(), as: UTF8.self).split(separator: "\n") {
            guard let space = line.firstIndex(of: " ") else { continue }
            out[String(line[space...].dropFirst(2))] = String(line[..<space])
        }
        return out
    }

    /// Re-walks the chain in the audit file from the genesis; its last entry must be the manifest's head.
    static func checkChain(_ path: String, manifest: EvidenceManifest) -> [String] {
        guard let data = contents(path) else { return ["\(auditFile): missing or unreadable"] }
        var walk = ChainWalk()
        for (n, line) in data.split(separator: UInt8(ascii: "\n")).enumerated() {
            guard let o = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
                  let seq = (o["seq"] as? NSNumber)?.intValue, let at = o["at"] as? String, let actor = o["actor"] as? String,
                  let action = o["action"] as? String, let entity = o["entity"] as? String, let detail = o["detail"] as? String,
                  let prev = o["prev_hash"] as? String, let hash = o["hash"] as? String else {
                return ["\(auditFile) line \(n + 1): not an audit entry (seq, at, actor, action, entity, detail, prev_hash, hash)"]
            }
            let entry = AuditEntry(seq: seq, at: at, actor: actor, action: action, entity: entity, detail: detail, prevHash: prev, hash: hash)
            if case .broken(let s, let reason)? = walk.step(entry) {
                return ["\(auditFile) line \(n + 1): the chain breaks at entry \(s): \(reason)"]
            }
        }
        guard walk.head == manifest.auditHead, walk.entries == manifest.auditSeq, walk.entries == manifest.auditEntries else {
            return ["\(manifestFile): its audit head (entry \(manifest.auditSeq), \(manifest.auditHead)) is not the last entry of "
                + "\(auditFile) (entry \(walk.entries), \(walk.head))"]
        }
        return []
    }

    /// Imports the pack's bundle into a temporary inventory: its report at D must be report.json, and the
    /// history it carries (audit.csv) must rebuild the pack's chain up to its head.
    static func checkKPIs(_ pack: String, manifest: EvidenceManifest) -> [String] {
        guard let data = contents(pack + "/" + reportFile),
              let stated = try? JSONSerialization.jsonObject(with: data) else { return ["\(reportFile): missing or not JSON"] }
        let recomputed: PortfolioReport
        var problems: [String] = []
        do {
            let folder = try PrivateFiles.makeFolder(in: NSTemporaryDirectory().trimmingSuffix("/"), prefix: "binnacle-verify-")
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let inventory = try Inventory(path: folder + "/pack.sqlite", mode: .create)
            // A scratch file, removed at the end: nothing needs it on the disk, so the import's commit does not wait for it.
            try inventory.queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = OFF") }
            // The chain's walk freed its file: handed back before the import, whose peak would come on top of it.
            Heap.returnFreed()
            let imported = try inventory.importer.importBundle(directory: pack + "/" + bundleFolder, replace: false, actor: "evidence-verify")
            Heap.returnFreed()
            recomputed = try inventory.report(asOf: manifest.asOf)
            // Exactly the head's entries, then the import's own: none changed, none removed, none after the head.
            let rebuiltHead: String? = manifest.auditSeq == 0 ? AuditLog.genesis : try inventory.read { db in
                try String.fetchOne(db, sql: "SELECT hash FROM audit_log WHERE seq = ?", arguments: [manifest.auditSeq])
            }
            if rebuiltHead != manifest.auditHead || imported.auditEntry.seq != manifest.auditSeq + 1 {
                problems.append("\(bundleFolder)/\(BundleFile.audit.fileName): its history does not rebuild the pack's audit chain up to its head "
                    + "(entries changed, removed or added)")
            }
        } catch {
            let first = String(describing: error).split(separator: "\n").prefix(3).joined(separator: "; ")
            return ["\(bundleFolder)/: does not import, so its KPIs cannot be recomputed: \(first)"]
        }
        if let portfolio = (stated as? [String: Any])?["portfolio"] as? String, portfolio != manifest.portfolio {
            problems.append("\(manifestFile): its portfolio \"\(manifest.portfolio)\" is not \(reportFile)'s (\"\(portfolio)\")")
        }
        guard let fresh = try? JSONSerialization.jsonObject(with: Data(recomputed.json().utf8)) else { return problems }
        if let difference = firstDifference(stated, fresh, path: "") {
            problems.insert("\(reportFile): \(difference) (recomputed from \(bundleFolder)/ as of \(manifest.asOf))", at: 0)
        }
        return problems
    }

    /// The first place two parsed JSON values differ, named by its path (`kpis.impact_share`, `domains[Lending].open_tasks`).
    static func firstDifference(_ stated: Any, _ fresh: Any, path: String) -> String? {
        func show(_ v: Any?) -> String {
            guard let v, !(v is NSNull) else { return "null" }
            if let s = v as? String { return "\"\(s)\"" }
            if let n = v as? NSNumber { return n.stringValue }
            return v is [Any] ? "a list" : "an object"
        }
        func key(_ item: Any, _ i: Int) -> String {
            let o = item as? [String: Any]
            return (o?["domain"] as? String) ?? (o?["as_of"] as? String) ?? String(i)
        }
        switch (stated, fresh) {
        case let (a as [String: Any], b as [String: Any]):
            let preferred = ["as_of", "portfolio", "currency", "kpis", "domains", "trend"]
            let keys = preferred.filter { a[$0] != nil || b[$0] != nil } + Set(a.keys).union(b.keys).subtracting(preferred).sorted()
            for k in keys {
                let p = path.isEmpty ? k : "\(path).\(k)"
                guard let x = a[k], let y = b[k] else { return "\(p) is \(show(a[k])), the bundle gives \(show(b[k]))" }
                if let d = firstDifference(x, y, path: p) { return d }
            }
            return nil
        case let (a as [Any], b as [Any]):
            for i in 0..<min(a.count, b.count) {
                if let d = firstDifference(a[i], b[i], path: "\(path)[\(key(b[i], i))]") { return d }
            }
            return a.count == b.count ? nil : "\(path) has \(a.count) entries, the bundle gives \(b.count)"
        case let (a as NSNumber, b as NSNumber):
            return a.doubleValue == b.doubleValue ? nil : "\(path) is \(show(a)), the bundle gives \(show(b))"
        case let (a as String, b as String):
            return a == b ? nil : "\(path) is \(show(a)), the bundle gives \(show(b))"
        case (is NSNull, is NSNull):
            return nil
        default:
            return "\(path) is \(show(stated)), the bundle gives \(show(fresh))"
        }
    }

    /// The live chain must be intact and its head at D (as the writer finds it) be the pack's: nothing
    /// handed over was rewritten since, and nothing was cut from the pack.
    static func checkAnchor(_ manifest: EvidenceManifest, live: Inventory, into verdict: inout EvidenceVerdict) throws -> Bool {
        if case .broken(let seq, let reason) = try live.verifyChain() {
            verdict.problems.append("\(live.path): its audit chain is broken at entry \(seq): \(reason)")
            return false
        }
        let head = try live.read { db in try Inventory.auditHead(db, asOf: manifest.asOf) }
        if (head?.seq ?? 0) == manifest.auditSeq, (head?.hash ?? AuditLog.genesis) == manifest.auditHead {
            verdict.anchoredAt = head?.seq
            return true
        }
        if manifest.auditSeq > 0, try live.auditEntry(hash: manifest.auditHead) == nil {
            verdict.problems.append("\(live.path): the pack's audit head (entry \(manifest.auditSeq), \(manifest.auditHead)) is not in its chain: "
                + "entries up to it were removed or rewritten since the pack was made, or this is another inventory")
            return false
        }
        let theirs = head.map { "entry \($0.seq) (\($0.hash))" } ?? "entry 0 (no entry is dated on or before it)"
        verdict.problems.append("\(live.path): its audit head at \(manifest.asOf) is \(theirs); the pack's is entry \(manifest.auditSeq): "
            + "entries were cut from the pack, or this is another inventory")
        return false
    }

    /// Writes the pack again from the live inventory (same D, time of generation and version, so the same
    /// bytes) and names each file whose hash differs from the manifest's.
    static func checkRebuild(_ manifest: EvidenceManifest, live: Inventory, into verdict: inout EvidenceVerdict) throws {
        guard let generatedAt = Timestamp(parsing: manifest.generatedAt) else {
            verdict.problems.append("\(manifestFile): its generated_at is not a time (\(Timestamp.problem(manifest.generatedAt)))")
            return
        }
        let folder = try PrivateFiles.makeFolder(in: NSTemporaryDirectory().trimmingSuffix("/"), prefix: "binnacle-verify-")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let rebuilt: EvidenceManifest
        do {
            rebuilt = try live.writeEvidencePack(asOf: manifest.asOf, into: folder, version: manifest.version, generatedAt: generatedAt)
        } catch {
            verdict.problems.append("\(live.path): the pack cannot be written again from it for \(manifest.asOf): \(error)")
            return
        }
        let given = Dictionary(rebuilt.files.map { ($0.path, $0.sha256) }) { a, _ in a }
        let listed = Dictionary(manifest.files.map { ($0.path, $0.sha256) }) { a, _ in a }
        for path in Set(given.keys).union(listed.keys).sorted() where given[path] != listed[path] {
            verdict.problems.append("\(path): differs from what the live inventory gives for \(manifest.asOf): edited, or facts dated ≤ \(manifest.asOf) changed since")
        }
        verdict.rebuilt = true
    }
}
