import BinnacleCore
import Crypto
import Foundation
import GRDB

/// The audit chain. Each entry's hash is
///   SHA-256( ns(prev_hash) ns(seq) ns(at) ns(actor) ns(action) ns(entity) ns(detail) )
/// in lower-case hex, where ns(x) is the netstring `<byte length of x in UTF-8>:<x>,` and seq is
/// written in decimal. The first entry's prev_hash is 64 zeros.
public enum AuditLog {
    public static let genesis = String(repeating: "0", count: 64)

    public static func hash(prevHash: String, seq: Int, at: String, actor: String, action: String,
                            entity: String, detail: String) -> String {
        var hasher = SHA256()
        for field in [prevHash, String(seq), at, actor, action, entity, detail] {
            hasher.update(data: Data("\(field.utf8.count):".utf8))
            hasher.update(data: Data(field.utf8))
            hasher.update(data: Data(",".utf8))
        }
        return hasher.finalize().hex
    }

    /// Appends an entry inside the caller's write transaction, so it lands with the change it records.
    @discardableResult
    public static func append(_ db: Database, actor: String, action: String, entity: String, detail: JSON,
                              at: Timestamp = .now()) throws -> AuditEntry {
        try append(db, actor: actor, action: action, entity: entity, detailText: detail.serialized(), at: at)
    }

    @discardableResult
    static func append(_ db: Database, actor: String, action: String, entity: String, detailText: String,
                       at: Timestamp) throws -> AuditEntry {
        // Cached statements: an import appends a bundle's whole log, one entry at a time.
        let last = try Row.fetchOne(db.cachedStatement(sql: "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1"))
        let seq = (last?["seq"] as Int? ?? 0) + 1
        let prev = last?["hash"] as String? ?? genesis
        let hash = hash(prevHash: prev, seq: seq, at: at.text, actor: actor, action: action, entity: entity, detail: detailText)
        try db.cachedStatement(sql: """
            INSERT INTO audit_log (seq, at, actor, action, entity, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [seq, at.text, actor, action, entity, detailText, prev, hash])
        return AuditEntry(seq: seq, at: at.text, actor: actor, action: action, entity: entity, detail: detailText,
                          prevHash: prev, hash: hash)
    }

    public typealias Verdict = ChainStatus

    /// Recomputes the whole chain in sequence order.
    public static func verify(_ db: Database) throws -> Verdict {
        var walk = ChainWalk()
        let rows = try Row.fetchCursor(db, sql: "SELECT seq, at, actor, action, entity, detail, prev_hash, hash FROM audit_log ORDER BY seq")
        while let row = try rows.next() {
            if let broken = walk.step(entry(row)) { return broken }
        }
        // Every write appends an entry, so an inventory with content and no entries had them deleted.
        if walk.entries == 0 {
            let models = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM models") ?? 0
            let people = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM people") ?? 0
            if models + people > 0 {
                return .broken(seq: 1, reason: "the log is empty, yet the inventory holds \(models) models and \(people) people: its entries were removed")
            }
        }
        return .intact(entries: walk.entries, head: walk.head)
    }

    /// Entries newest first, optionally only those about one entity, or matching a filter text.
    public static func entries(_ db: Database, entity: String? = nil, filter: String? = nil, limit: Int = 500) throws -> [AuditEntry] {
        try Row.fetchAll(db, sql: """
            SELECT * FROM audit_log
            WHERE (:entity IS NULL OR entity = :entity)
              AND (:filter IS NULL OR instr(lower(actor || ' ' || action || ' ' || entity || ' ' || detail), lower(:filter)) > 0)
            ORDER BY seq DESC LIMIT :limit
            """, arguments: ["entity": entity, "filter": filter, "limit": limit]).map(entry)
    }

    static func entry(_ row: Row) -> AuditEntry {
        AuditEntry(seq: row["seq"], at: row["at"], actor: row["actor"], action: row["action"], entity: row["entity"],
                   detail: row["detail"], prevHash: row["prev_hash"], hash: row["hash"])
    }
}

/// Walks a chain an entry at a time, oldest first, from the genesis: wherever the entries come from
/// (the inventory, an evidence pack's audit file).
public struct ChainWalk {
    public private(set) var entries = 0
    public private(set) var head = AuditLog.genesis

    public init() {}

    /// Nil while the chain holds; else where and why it breaks at this entry.
    public mutating func step(_ e: AuditEntry) -> ChainStatus? {
        let expectedSeq = entries + 1
        if e.seq != expectedSeq {
            return .broken(seq: e.seq, reason: e.seq > expectedSeq ? "entry \(expectedSeq) is missing" : "entries out of order")
        }
        if e.prevHash != head {
            return .broken(seq: e.seq, reason: "its previous hash does not match entry \(e.seq - 1) (entries removed or reordered)")
        }
        let computed = AuditLog.hash(prevHash: head, seq: e.seq, at: e.at, actor: e.actor, action: e.action, entity: e.entity, detail: e.detail)
        if computed != e.hash { return .broken(seq: e.seq, reason: "its content was changed (hash does not match)") }
        head = e.hash
        entries = e.seq
        return nil
    }
}

extension Inventory {
    /// The entries, oldest first: about one model, by one actor, on or after a date (each optional).
    public func auditLog(model: String?, actor: String?, since: Day?) throws -> [AuditEntry] {
        var entries: [AuditEntry] = []
        try eachAuditEntry(model: model, actor: actor, since: since) { entries.append($0) }
        return entries
    }

    /// The entries `auditLog` lists, handed over one at a time from one read transaction.
    public func eachAuditEntry(model: String?, actor: String?, since: Day?, _ body: (AuditEntry) throws -> Void) throws {
        try read { db in
            let rows = try Row.fetchCursor(db, sql: """
                SELECT * FROM audit_log WHERE (:model IS NULL OR entity = 'model:' || :model)
                  AND (:actor IS NULL OR actor = :actor) AND (:since IS NULL OR at >= :since) ORDER BY seq
                """, arguments: ["model": model, "actor": actor, "since": since?.description])
            while let row = try rows.next() { try body(AuditLog.entry(row)) }
        }
    }

    /// The entry with this hash, if the chain holds it (an anchored head).
    public func auditEntry(hash: String) throws -> AuditEntry? {
        try read { db in try Row.fetchOne(db, sql: "SELECT * FROM audit_log WHERE hash = ?", arguments: [hash]).map(AuditLog.entry) }
    }
}
