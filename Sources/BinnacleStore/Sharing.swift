import BinnacleCore
import Foundation
import GRDB

/// One inventory shared by a unix group on one host. Writers are the group's members (and each needs
/// a role in people that allows the write); everyone else who can reach the folder reads. The folder
/// is the group's (setgid, so the rollback journal a writer creates is the group's too) and the file
/// group-writable; the inventory keeps a rollback journal, which readers need no write permission for.
extension Inventory {
    public struct Sharing: Sendable, Equatable {
        public var group: String
        /// Whether users outside the group may read (else only members reach the folder).
        public var othersRead: Bool
        public init(group: String, othersRead: Bool) { self.group = group; self.othersRead = othersRead }

        var folderMode: mode_t { othersRead ? 0o2775 : 0o2770 }
        var fileMode: mode_t { othersRead ? 0o664 : 0o660 }
    }

    /// The folder that holds the inventory and its journal.
    public var folder: String {
        let dir = (path as NSString).deletingLastPathComponent
        return dir.isEmpty ? "." : dir
    }

    /// Gives the inventory to a group (administrators only; the OS must allow this user to change the
    /// file's group and modes: its owner or root). The folder must hold nothing but the inventory.
    public func share(_ sharing: Sharing, by login: String, at: Timestamp = .now()) throws {
        guard let group = getgrnam(sharing.group) else { throw StoreError.other("no group '\(sharing.group)' on this host (create it with groupadd)") }
        let gid = group.pointee.gr_gid
        let name = (path as NSString).lastPathComponent
        let others = try FileManager.default.contentsOfDirectory(atPath: folder)
            .filter { ![name, name + "-journal", name + "-wal", name + "-shm"].contains($0) }
        if !others.isEmpty {
            throw StoreError.other("\(folder) also holds \(others.sorted().prefix(3).joined(separator: ", ")): "
                + "share gives the whole folder to the group, so keep the inventory in a folder of its own (e.g. /srv/binnacle)")
        }
        try write { db in
            try Inventory.authorize(db, login, .administer, entity: "inventory")
            let before = [Inventory.describePermissions(folder), Inventory.describePermissions(path)]
            for (target, mode) in [(folder, sharing.folderMode), (path, sharing.fileMode)] {
                guard chown(target, uid_t.max, gid) == 0, chmod(target, mode) == 0 else {
                    throw StoreError.other("\(target): cannot give it to group \(sharing.group) (\(String(cString: strerror(errno)))): "
                        + "run this as the file's owner or root (root acts for an administrator with --as LOGIN)")
                }
            }
            let after = [Inventory.describePermissions(folder), Inventory.describePermissions(path)]
            try AuditLog.append(db, actor: login, action: "inventory.share", entity: "inventory", detail: .object([
                ("group", .string(sharing.group)), ("others_read", .bool(sharing.othersRead)),
                ("before", .array(before.map { .string($0) })), ("after", .array(after.map { .string($0) })),
            ]), at: at)
        }
    }

    /// `path owner:group mode`, as `ls -l` would show the three.
    static func describePermissions(_ path: String) -> String {
        var info = stat()
        guard stat(path, &info) == 0 else { return "\(path) (missing)" }
        let owner = getpwuid(info.st_uid).map { String(cString: $0.pointee.pw_name) } ?? String(info.st_uid)
        let group = getgrgid(info.st_gid).map { String(cString: $0.pointee.gr_name) } ?? String(info.st_gid)
        return "\(path) \(owner):\(group) \(String(info.st_mode & 0o7777, radix: 8))"
    }
}
