import Crypto
import Foundation

/// A file written as text is made, in 64 KB blocks, so a long page (an evidence pack's index.html at
/// 50,000 models) is never held whole. A write error is kept and thrown by `close`.
final class FileStream: TextOutputStream {
    private let handle: FileHandle
    private let path: String
    private var pending = ""
    private var failure: Error?
    private var digest: WrittenDigest?

    /// Creates (or truncates) `path`; with `digests`, its SHA-256 is taken as it is written and recorded there on `close`.
    init(creating path: String, digests: WrittenDigests? = nil) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw StoreError.other("\(path): cannot be created")
        }
        self.handle = handle; self.path = path
        if let digests { digest = WrittenDigest(path: path, into: digests) }
    }

    func write(_ text: String) {
        pending += text
        if pending.utf8.count >= 1 << 16 { flush() }
    }

    private func flush() {
        guard failure == nil, !pending.isEmpty else { return }
        let block = Data(pending.utf8)
        digest?.add(block)
        do { try handle.write(contentsOf: block) } catch { failure = error }
        pending = ""
    }

    func close() throws {
        flush()
        // A failed close (a full disk found at the last flush to it) fails the file like a failed write.
        do { try handle.close() } catch { if failure == nil { failure = error } }
        if let failure { throw StoreError.other("\(path): \(failure.localizedDescription)") }
        digest?.record()
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

/// The SHA-256 and size of each file of an evidence pack, taken from its bytes as they were written, by path:
/// the manifest lists them without reading 400 MB back. A file not recorded is read (`digest(of:)`).
/// Files are written on two threads at once (the bundle's beside the rest): the record is locked.
final class WrittenDigests: @unchecked Sendable {
    private var recorded: [String: (sha256: String, bytes: Int)] = [:]
    private let lock = NSLock()

    fileprivate func record(_ path: String, sha256: String, bytes: Int) { lock.withLock { recorded[path] = (sha256, bytes) } }

    /// The file's SHA-256 (lower-case hex) and size: as written when recorded, else read from it.
    func digest(of path: String) throws -> (sha256: String, bytes: Int) {
        try lock.withLock { recorded[path] } ?? EvidencePack.digest(path)
    }
}

/// One file's SHA-256 as its bytes are written.
struct WrittenDigest {
    private let path: String
    private let digests: WrittenDigests
    private var hasher = SHA256()
    private var bytes = 0

    init(path: String, into digests: WrittenDigests) { self.path = path; self.digests = digests }

    mutating func add(_ block: Data) {
        hasher.update(data: block)
        bytes += block.count
    }

    mutating func add(_ block: UnsafeRawBufferPointer) {
        hasher.update(bufferPointer: block)
        bytes += block.count
    }

    /// Records the digest once every byte was written.
    func record() { digests.record(path, sha256: hasher.finalize().hex, bytes: bytes) }
}
