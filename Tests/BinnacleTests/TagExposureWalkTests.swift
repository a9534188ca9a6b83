import BinnacleBundle
import BinnacleCore
@testable import BinnacleStore
import Foundation
import Testing

/// The evidence pack's exposure table walks the lineage once for every tag: the same rows, in the same
/// order, as the per-tag query behind the Risk screen (`eachTagExposure`).
@Suite struct TagExposureWalkTests {
    static let d = Day("2025-06-30")!

    /// Several tags; two tagged upstreams at the same depth (which one is the via); twins of one domain and
    /// name; a cycle; a path through assets; a tagged model created after D; a chain deeper than 64; an
    /// untrimmed tag item the query does not match; a ';' carrying a combining mark; two spellings of "café".
    static func fixture() throws -> Inventory {
        var f = Fixture()
        f.asset("a1", tags: "pii")
        f.asset("a2", tags: "pii;credit")
        f.asset("a3")
        f.model("t2", tags: "pii")
        f.model("t1", domain: "Beta", tags: "pii;regulatory")
        for id in ["m1", "m2", "m3", "m4", "m5", "m6", "m11", "m12"] { f.model(id, domain: id.hasSuffix("1") ? "Beta" : "Alpha") }
        f.model("m7", domain: "Gamma")
        f.model("m8", domain: "Gamma")
        for i in (f.rows[.models] ?? []).indices where ["m7", "m8"].contains(f.rows[.models]![i][0]) { f.rows[.models]![i][1] = "Twin" }
        f.model("m9", created: "2025-09-01", tags: "credit")
        f.model("m10", tags: "x")
        f.stage("m1", "development", "2025-01-01T00:00:00Z")
        f.stage("m1", "production", "2025-03-01T00:00:00Z")
        f.stage("m2", "validation", "2025-02-01T00:00:00Z")
        f.stage("m3", "production", "2025-08-01T00:00:00Z")
        f.edge("a2", "m1"); f.edge("a1", "m1")
        f.edge("t2", "m2"); f.edge("t1", "m2")
        f.edge("m2", "m3"); f.edge("m3", "m4"); f.edge("m4", "m5"); f.edge("m5", "m3"); f.edge("m5", "m6")
        f.edge("m1", "m8"); f.edge("m1", "m7"); f.edge("m2", "m7")
        f.edge("a1", "a3"); f.edge("a3", "m11"); f.edge("m6", "m11")
        f.edge("m9", "m10"); f.edge("m9", "m12"); f.edge("m10", "m12")
        f.model("c00", domain: "Deep", tags: "deep")
        for i in 1..<70 {
            f.model(String(format: "c%02d", i), domain: "Deep")
            f.edge(String(format: "c%02d", i - 1), String(format: "c%02d", i))
        }
        let inventory = try f.inventory()
        // The import trims tag items; the query matches them as stored, so a stored " credit" is not "credit".
        try inventory.write { db in try db.execute(sql: "UPDATE models SET tags = 'x; credit' WHERE id = 'm10'") }
        // instr compares bytes: a ';' with a combining mark after it still separates, and "é" is not "e" + U+0301.
        try inventory.write { db in
            try db.execute(sql: "UPDATE models SET tags = ? WHERE id = 'm4'", arguments: ["credit;\u{301}y"])
            try db.execute(sql: "UPDATE models SET tags = ? WHERE id = 'm6'", arguments: ["caf\u{E9}"])
            try db.execute(sql: "UPDATE models SET tags = ? WHERE id = 'm12'", arguments: ["cafe\u{301}"])
        }
        return inventory
    }

    @Test func theWalkGivesThePerTagQuerysRowsInItsOrder() throws {
        let inventory = try Self.fixture()
        let d = Self.d
        let (walked, queried) = try inventory.read { db in
            var walk = TagExposureWalk()
            try Inventory.eachPackModel(db, asOf: d) { walk.list($0) }
            var walked: [[String]] = [], queried: [[String]] = []
            func row(_ tag: String, _ e: TagExposure) -> [String] { [tag, e.modelId, e.name, e.domain, e.stage.rawValue, e.via, String(e.depth)] }
            try walk.each(db) { tag, e in walked.append(row(tag, e)) }
            let tags = Set(try String.fetchAll(db, sql: "SELECT tags FROM models WHERE tags <> '' UNION SELECT tags FROM assets WHERE tags <> ''")
                .flatMap(\.tagItems)).sorted()
            for tag in tags { try Inventory.eachTagExposure(db, tag, asOf: d) { queried.append(row(tag, $0)) } }
            return (walked, queried)
        }
        #expect(walked == queried)
        // The fixture reaches what it is meant to: ties, the cycle, the depth limit.
        func exposed(_ tag: String, _ model: String) -> [String]? { walked.first { $0[0] == tag && $0[1] == model } }
        #expect(exposed("pii", "m1")?[5] == "a1" && exposed("pii", "m2")?[5] == "t1")
        #expect(exposed("pii", "m7")?[6] == "2" && exposed("pii", "m5")?[6] == "4" && exposed("pii", "m11")?[6] == "2")
        #expect(exposed("credit", "m10")?[6] == "1" && exposed("credit", "m9") == nil && exposed("credit", "m12")?[5] == "m9")
        #expect(exposed("deep", "c64")?[6] == "64" && exposed("deep", "c65") == nil)
        #expect(walked.filter { $0[0] == "pii" && $0[3] == "Gamma" }.map { $0[1] } == ["m7", "m8"])
        #expect(exposed("credit", "m4")?[6] == "0" && exposed("credit;\u{301}y", "m4")?[6] == "0")
        let cafe = Set(walked.filter { $0[0].hasPrefix("caf") }.map { $0[1] })
        #expect(!cafe.isEmpty && !(cafe.contains("m6") && cafe.contains("m12")))
    }
}
