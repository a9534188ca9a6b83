import Foundation

/// Writes an export as every file is written here: beside the target under a hidden name, then
/// moved into place in one step, so a reader never sees half a file and a failure leaves none.
enum ExportFile {
    struct Failure: Error, CustomStringConvertible { let description: String }

    /// Writes `text` to `path` (a leading `~/` is the home folder). An existing file is refused unless
    /// `replace`; the check and the move are one step (a hard link fails when the name is taken).
    static func write(_ text: String, to path: String, replace: Bool) throws -> String {
        let target = path.hasPrefix("~/") ? NSHomeDirectory() + path.dropFirst(1) : path
        let url = URL(fileURLWithPath: target)
        let folder = url.deletingLastPathComponent().path
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw Failure(description: "cannot write \(target): no folder \(folder)")
        }
        if FileManager.default.fileExists(atPath: target) {
            guard replace else { throw Failure(description: "\(target) exists: :export! replaces it") }
            if FileManager.default.fileExists(atPath: target, isDirectory: &isFolder), isFolder.boolValue {
                throw Failure(description: "cannot write \(target): it is a folder")
            }
        }
        let staging = folder + "/.\(url.lastPathComponent).partial-\(getpid())"
        guard FileManager.default.createFile(atPath: staging, contents: Data(text.utf8)) else {
            throw Failure(description: "cannot write \(target): \(String(cString: strerror(errno)))")
        }
        defer { unlink(staging) }
        if replace {
            guard rename(staging, target) == 0 else { throw Failure(description: "cannot write \(target): \(String(cString: strerror(errno)))") }
        } else if link(staging, target) != 0 {
            let reason = errno == EEXIST ? "it exists (:export! replaces it)" : String(cString: strerror(errno))
            throw Failure(description: "cannot write \(target): \(reason)")
        }
        return target
    }
}

extension ExportJob {
    /// Reads every row (a long list in windows of 1,000), writes the file; returns how many rows and where.
    func run() throws -> (rows: Int, path: String) {
        var rows: [[String]] = []
        for segment in segments {
            switch segment {
            case .cells(let cells): rows += cells
            case .list(let handle, let cells):
                var start = 0
                while start < handle.count {
                    let end = min(handle.count, start + 1000)
                    rows += cells(try handle.rows(start..<end))
                    start = end
                }
            }
        }
        let written = try ExportFile.write(format.render(titles: titles, rows: rows), to: path, replace: replace)
        return (rows.count, written)
    }
}
