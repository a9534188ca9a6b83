import Foundation

/// A file written as text is made, in 64 KB blocks, so a long page (an evidence pack's index.html at
/// 50,000 models) is never held whole. A write error is kept and thrown by `close`.
final class FileStream: TextOutputStream {
    private let handle: FileHandle
    private let path: String
    private var pending = ""
    private var failure: Error?

    /// Creates (or truncates) `path`.
    init(creating path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw StoreError.other("\(path): cannot be created")
        }
        self.handle = handle; self.path = path
    }

    func write(_ text: String) {
        pending += text
        if pending.utf8.count >= 1 << 16 { flush() }
    }

    private func flush() {
        guard failure == nil, !pending.isEmpty else { return }
        do { try handle.write(contentsOf: Data(pending.utf8)) } catch { failure = error }
        pending = ""
    }

    func close() throws {
        flush()
        try? handle.close()
        if let failure { throw StoreError.other("\(path): \(failure.localizedDescription)") }
    }

    /// Copies the closed file's text to `out` a block of whole lines at a time (never splitting a character), then removes it.
    func copy<Out: TextOutputStream>(to out: inout Out) throws {
        guard let reader = FileHandle(forReadingAtPath: path) else { throw StoreError.other("\(path): cannot be read back") }
        defer { try? reader.close(); unlink(path) }
        var carried = Data()
        while let block = try reader.read(upToCount: 1 << 16), !block.isEmpty {
            carried += block
            guard let end = carried.lastIndex(of: 0x0A) else { continue }
            out.write(String(decoding: carried[...end], as: UTF8.self))
            carried = Data(carried[(end + 1)...])
        }
        if !carried.isEmpty { out.write(String(decoding: carried, as: UTF8.self)) }
    }
}
