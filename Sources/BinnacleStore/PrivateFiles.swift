import Foundation

/// Temporary files no other user can see, plant or race: created by mkdtemp/mkstemp (a fresh random
/// name, O_EXCL, so a planted symlink is never followed) in folders only this user can enter.
public enum PrivateFiles {
    /// A new folder `<folder>/<prefix>XXXXXX`, mode 0700.
    public static func makeFolder(in folder: String, prefix: String) throws -> String {
        var template = Array((folder + "/" + prefix + "XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else {
            throw StoreError.other("\(folder): cannot create a private folder (\(String(cString: strerror(errno))))")
        }
        return String(cString: made)
    }

    /// Copies `input` into a file that exists only as an open descriptor (created private, then unlinked
    /// at once, so nothing is left behind on any exit, even a kill), and returns a path that reads it
    /// (`/proc/self/fd/N`) and the function that closes it.
    public static func anonymousCopy(of input: FileHandle) throws -> (path: String, close: () -> Void) {
        let folder = try makeFolder(in: NSTemporaryDirectory().trimmingSuffix("/"), prefix: "binnacle-")
        var template = Array((folder + "/input-XXXXXX").utf8CString)
        let fd = mkstemp(&template)
        let error = errno
        unlink(template)
        rmdir(folder)
        guard fd >= 0 else { throw StoreError.other("cannot create a private temporary file (\(String(cString: strerror(error))))") }
        let copy = FileHandle(fileDescriptor: fd, closeOnDealloc: false)
        do {
            while let chunk = try input.read(upToCount: 1 << 20), !chunk.isEmpty { try copy.write(contentsOf: chunk) }
        } catch {
            close(fd)
            throw StoreError.other("cannot save standard input (\(error.localizedDescription))")
        }
        return ("/proc/self/fd/\(fd)", { close(fd) })
    }
}

extension String {
    func trimmingSuffix(_ suffix: String) -> String { hasSuffix(suffix) && count > 1 ? String(dropLast(suffix.count)) : self }
}
