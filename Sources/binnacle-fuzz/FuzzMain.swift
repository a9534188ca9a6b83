import BinnacleFuzz
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

#if FUZZING
// Built by scripts/fuzz.sh with -sanitize=fuzzer: libFuzzer provides main and calls this.
// The target is chosen by BINNACLE_FUZZ_TARGET, so one binary serves every target.
private let target: FuzzTarget = {
    guard let name = getenv("BINNACLE_FUZZ_TARGET").map({ String(cString: $0) }), let t = FuzzTarget(rawValue: name) else {
        fatalError("set BINNACLE_FUZZ_TARGET to one of \(FuzzTarget.allCases.map(\.rawValue))")
    }
    return t
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    target.run(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    return 0
}

@_silgen_name("LLVMFuzzerRunDriver")
func runDriver(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
               _ test: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

// SwiftPM links an executable's entry point as `<module>_main`: hand it to libFuzzer's driver.
@_cdecl("binnacle_fuzz_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc, argv = argv
    return runDriver(&argc, &argv, fuzzTestOneInput)
}
#else
/// Without the fuzzer: `binnacle-fuzz TARGET FILE…` replays inputs, e.g. a crash libFuzzer saved.
@main struct Replay {
    static func main() {
        let args = CommandLine.arguments.dropFirst()
        guard let name = args.first, let target = FuzzTarget(rawValue: name) else {
            print("usage: binnacle-fuzz \(FuzzTarget.allCases.map(\.rawValue).joined(separator: "|")) FILE…")
            exit(2)
        }
        for path in args.dropFirst() {
            guard let f = fopen(path, "rb") else { print("cannot open \(path)"); exit(2) }
            var bytes: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 65536)
            while case let n = fread(&chunk, 1, chunk.count, f), n > 0 { bytes += chunk[..<n] }
            fclose(f)
            target.run(bytes)
            print("\(path): ok")
        }
    }
}
#endif
