import BinnacleCLI
import CSQLiteSetup

// Before any connection (SQLite takes it only then): see CSQLiteSetup. The inventory also asks when it
// opens its first connection, for programs other than this one (the tests).
_ = binnacle_sqlite_without_memory_statistics()

#if canImport(Glibc)
import Glibc

// The dashboard derives a date's lists and its trend on background threads; glibc would give each
// thread its own malloc arena, whose freed pages stay mapped. One arena keeps peak memory within
// the 64 MB budget at 50,000 models (cold overview in bench/tui.sh: 66 MB with the default arenas,
// 53 MB with one, in the same time: those threads spend it in SQLite, not in malloc).
// mallopt is looked up because Swift's Glibc module does not export <malloc.h>.
if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") {
    typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
    let arenaMax: Int32 = -8  // M_ARENA_MAX
    _ = unsafeBitCast(symbol, to: Mallopt.self)(arenaMax, 1)
}
#endif

Binnacle.mainNamingUnknownCommands()
