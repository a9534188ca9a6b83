import BinnacleFuzz
import Foundation
import Testing

/// The fuzzers' seed corpus is a regression test: every input in Tests/Fuzz/corpus/<target>/ — the
/// attacks of issue 11 and each crash a fuzzer ever found — runs through its target in every `swift test`.
@Suite struct FuzzCorpusTests {
    @Test(arguments: FuzzTarget.allCases)
    func everyCorpusInputRunsThroughItsTarget(_ target: FuzzTarget) throws {
        let folder = packageRoot.appendingPathComponent("Tests/Fuzz/corpus/\(target.rawValue)")
        let inputs = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(!inputs.isEmpty)
        for name in inputs {
            target.run([UInt8](try Data(contentsOf: folder.appendingPathComponent(name))))
        }
    }
}
