import BinnacleBundle
import BinnacleCore
import Foundation
import Testing

@Suite struct DayTests {
    @Test func parsesAndPrintsCalendarDays() {
        #expect(Day("1970-01-01")!.daysSinceEpoch == 0)
        #expect(Day("2024-02-29")!.description == "2024-02-29")
        #expect(Day("2023-02-29") == nil && Day("2024-13-01") == nil && Day("2024-1-01") == nil && Day("24-01-01x") == nil)
        #expect(Day("2000-03-01")! - Day("2000-02-28")! == 2)
        #expect(Day("1900-03-01")! - Day("1900-02-28")! == 1)
    }

    @Test func windowsIncludeBothEnds() {
        let d = Day("2025-06-30")!
        #expect(d.windowStart(days: 90).description == "2025-04-02")
        #expect(d.windowStart(days: 365).description == "2024-07-01")
        #expect(d.windowStart(days: 14).description == "2025-06-17")
    }

    @Test func monthEnds() {
        #expect(Day("2025-03-15")!.monthEnds(count: 3).map(\.description) == ["2024-12-31", "2025-01-31", "2025-02-28"])
        #expect(Day("2024-02-29")!.monthEnds(count: 2).map(\.description) == ["2024-01-31", "2024-02-29"])
        #expect(Day("2025-01-31")!.adding(months: 1).description == "2025-02-28")
        #expect(Day("2025-01-15")!.adding(months: -13).description == "2023-12-15")
    }
}

@Suite struct TimestampTests {
    @Test(arguments: [
        ("2025-03-01", "2025-03-01T00:00:00.000Z"),
        ("2025-03-01T14:05Z", "2025-03-01T14:05:00.000Z"),
        ("2025-03-01T14:05:09Z", "2025-03-01T14:05:09.000Z"),
        ("2025-03-01 14:05:09.5Z", "2025-03-01T14:05:09.500Z"),
        ("2025-03-01T14:05:09.123456Z", "2025-03-01T14:05:09.123Z"),
        ("2025-03-01T14:05:09+00:00", "2025-03-01T14:05:09.000Z"),
        ("2025-03-01T01:00:00+02:00", "2025-02-28T23:00:00.000Z"),
        ("2025-12-31T23:30:00-01:00", "2026-01-01T00:30:00.000Z"),
    ])
    func normalisesToUTCMilliseconds(input: String, stored: String) {
        #expect(Timestamp(parsing: input)?.text == stored)
    }

    @Test(arguments: ["", "2025-03-01T", "2025-03-01T25:00Z", "2025-03-01T14:05", "2025-03-01T14:05:09", "2025-03-01x", "01/03/2025"])
    func refusesWhatIsNotAUTCTime(input: String) {
        #expect(Timestamp(parsing: input) == nil)
    }

    @Test func bundleTextIsShortestFaithful() {
        #expect(Timestamp(parsing: "2025-03-01")!.bundleText == "2025-03-01")
        #expect(Timestamp(parsing: "2025-03-01T10:00:00Z")!.bundleText == "2025-03-01T10:00:00Z")
        #expect(Timestamp(parsing: "2025-03-01T10:00:00.250Z")!.bundleText == "2025-03-01T10:00:00.250Z")
        #expect(Timestamp(unixMilliseconds: 1_700_000_000_123).text == "2023-11-14T22:13:20.123Z")
    }
}

@Suite struct FormatTests {
    @Test func undefinedIsADash() {
        #expect(Format.percent(nil) == "—" && Format.days(nil) == "—" && Format.compact(nil) == "—")
        #expect(Format.percent(0.125) == "12.5%" && Format.percent(-0.5, decimals: 0) == "-50%")
        #expect(Format.compact(1_234_567) == "1.2M" && Format.compact(-45_600) == "-45.6k" && Format.compact(999) == "999")
        #expect(Format.days(279.5) == "279.5 d" && Format.days(30) == "30 d")
    }

    @Test func jsonKeepsKeyOrderAndFullPrecision() {
        let json = JSON.object([("b", .double(0.1 + 0.2)), ("a", .null), ("s", .string("q\"\n\u{1}")), ("n", .double(3))])
        #expect(json.serialized() == #"{"b":0.30000000000000004,"a":null,"s":"q\"\n\u0001","n":3}"#)
        #expect(JSON.number(.nan) == .null)
    }
}

@Suite struct CSVTests {
    func records(_ text: String) throws -> [[String]] {
        let dir = try TempDir()
        let path = dir.path("f.csv")
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        let reader = try CSVReader(path: path, name: "f.csv")
        var out: [[String]] = []
        while let r = try reader.next() { out.append(r.fields) }
        return out
    }

    @Test func rfc4180() throws {
        #expect(try records("a,b\r\n\"x,1\",\"say \"\"hi\"\"\"\r\n,\n") == [["a", "b"], ["x,1", "say \"hi\""], ["", ""]])
        #expect(try records("\u{FEFF}h\n\"multi\nline\"\n\nlast") == [["h"], ["multi\nline"], ["last"]])
        #expect(throws: CSVSyntaxError.self) { try records("a\n\"open") }
        #expect(throws: CSVSyntaxError.self) { try records("a\nx\"y\n") }
    }

    @Test func writerQuotesWhatNeedsIt() throws {
        let dir = try TempDir()
        let w = try CSVWriter(path: dir.path("o.csv"), header: ["a", "b"])
        w.write(["plain", "with, comma"])
        w.write(["with \"quote\"", "two\nlines"])
        try w.close()
        #expect(try String(contentsOfFile: dir.path("o.csv"), encoding: .utf8)
                == "a,b\nplain,\"with, comma\"\n\"with \"\"quote\"\"\",\"two\nlines\"\n")
        #expect(try records(try String(contentsOfFile: dir.path("o.csv"), encoding: .utf8))[2] == ["with \"quote\"", "two\nlines"])
    }

    @Test func largeFilesStreamAcrossChunks() throws {
        // Rows straddle the reader's 1 MiB chunks, including a quoted field cut in two.
        var text = "id,text\n"
        for i in 0..<40_000 { text += "\(i),\"row \(i), with \"\"quotes\"\" and\nnewline\"\n" }
        let rows = try records(text)
        #expect(rows.count == 40_001)
        #expect(rows[39_999] == ["39998", "row 39998, with \"quotes\" and\nnewline"])
    }
}

@Suite struct JSONArrayWriterTests {
    /// Written an element at a time, the array is byte for byte the one serialised whole.
    @Test func streamedArraysAreTheWholeArraysBytes() {
        let items: [JSON] = [.object([("id", .string("m1")), ("tags", .array([.string("pii"), .string("a\u{1B}b")])), ("n", .int(3))]),
                             .object([]), .array([]), .null, .double(1.5), .object([("nested", .object([("x", .array([.int(1)]))]))])]
        for indent in [nil, 2, 4] as [Int?] {
            for count in 0...items.count {
                var out = ""
                var writer = JSONArrayWriter(indent: indent) { out += $0 }
                for item in items.prefix(count) { writer.append(item) }
                writer.finish()
                #expect(out == JSON.array(Array(items.prefix(count))).serialized(indent: indent), "indent \(String(describing: indent)), \(count) items")
            }
        }
    }
}

@Suite struct ThresholdTests {
    /// A value exactly on a threshold has crossed it; critical wins over warning; `below` mirrors `above`.
    @Test func boundariesAndDirections() {
        let above = Monitor(modelId: "m", metric: "psi", direction: .above, warn: 0.1, critical: 0.25)
        #expect(above.severity(of: 0.09) == nil)
        #expect(above.severity(of: 0.1) == .warning)
        #expect(above.severity(of: 0.2) == .warning)
        #expect(above.severity(of: 0.25) == .critical)
        #expect(above.severity(of: 9) == .critical)
        let below = Monitor(modelId: "m", metric: "auc", direction: .below, warn: 0.8, critical: 0.7)
        #expect(below.severity(of: 0.81) == nil)
        #expect(below.severity(of: 0.8) == .warning)
        #expect(below.severity(of: 0.7) == .critical)
        #expect(below.severity(of: -1) == .critical)
    }
}
