import Foundation

enum Heap {
    /// Hands the memory the heap keeps free back to the system (glibc's `malloc_trim`; elsewhere
    /// nothing). What glibc keeps stays resident, and a large array allocated next gets pages of its
    /// own beside it: called between phases that each hold much, so that their peaks do not add up.
    static func returnFreed() {
        #if canImport(Glibc)
        typealias Trim = @convention(c) (Int) -> Int32
        if let trim = dlsym(nil, "malloc_trim") { _ = unsafeBitCast(trim, to: Trim.self)(0) }
        #endif
    }
}
