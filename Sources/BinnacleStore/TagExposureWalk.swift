import BinnacleCore
import GRDB

/// The exposure of every risk tag for the evidence pack in one walk: `eachTagExposure`'s rows in its order,
/// tag after tag, from one read of the tags and the lineage and the stages the inventory table worked out
/// (the query, run once a tag, worked out the stage of every model it reached again for each tag).
///
/// The query's rule as SQLite runs it, which this repeats: a breadth-first walk down lineage from the tagged
/// models and assets (in id order, each node's downstream in id order: a FIFO queue), to depth 64; a model's
/// depth is the first it is reached at, its via the tagged node that first path started from (`MIN(depth)`
/// keeps the first row of its least depth); rows by depth, domain, name, then id. `TagExposureWalkTests`
/// compares the two on ties and a cycle.
struct TagExposureWalk {
    /// Models and assets as node numbers, and each node's id.
    private var numbers: [String: Int32] = [:]
    private var ids: [String] = []
    /// Per node: its place in the inventory table, or -1 when it is not a model existing at D.
    private var listedAt: [Int32] = []
    /// The inventory table's models in its order (domain, name, id in SQLite's binary order). Held for all
    /// 50,000 models while the page is written: each name's bytes in one buffer (a String each cost three times
    /// as much), the few domains once each.
    private var listed: [(node: Int32, nameEnd: Int32, domain: Int32, stage: Stage)] = []
    private var nameBytes: [UInt8] = []
    private var domains: [String] = [], domainNumbers: [String: Int32] = [:]

    private mutating func node(_ id: String) -> Int32 {
        if let n = numbers[id] { return n }
        let n = Int32(ids.count)
        numbers[id] = n
        ids.append(id)
        listedAt.append(-1)
        return n
    }

    /// The next model of the inventory table (every model existing at D, in the table's order).
    mutating func list(_ m: PackModel) {
        let n = node(m.id)
        listedAt[Int(n)] = Int32(listed.count)
        nameBytes.append(contentsOf: m.name.utf8)
        if domainNumbers[m.domain] == nil {
            domainNumbers[m.domain] = Int32(domains.count)
            domains.append(m.domain)
        }
        let domain = domainNumbers[m.domain]!
        listed.append((n, Int32(nameBytes.count), domain, m.stage))
    }

    /// The name of the model at `place` in the inventory table.
    private func name(at place: Int) -> String {
        let start = place == 0 ? 0 : Int(listed[place - 1].nameEnd)
        return String(decoding: nameBytes[start..<Int(listed[place].nameEnd)], as: UTF8.self)
    }

    /// Each tag the table lists (the items of models' and assets' tags, sorted) and each model exposed to it.
    mutating func each(_ db: Database, _ body: (String, TagExposure) throws -> Void) throws {
        // Who carries a tag, as the query's instr matches it: an item of the ';'-separated text as it is, untrimmed,
        // compared byte for byte (a String would split by characters and equate canonically equivalent text).
        var carriers: [[UInt8]: [Int32]] = [:], byText: [[UInt8]: [Int32]] = [:]
        let rows = try Row.fetchCursor(db, sql: "SELECT id, tags FROM models WHERE tags <> '' UNION ALL SELECT id, tags FROM assets WHERE tags <> ''")
        while let r = try rows.next() {
            let id: String = r[0], text: String = r[1]
            let n = node(id)
            for item in text.utf8.split(separator: UInt8(ascii: ";"), omittingEmptySubsequences: false) { carriers[Array(item), default: []].append(n) }
            byText[Array(text.utf8), default: []].append(n)
        }
        /// The nodes whose tags hold `tag` as instr finds it: ";tag;" within ";tags;". A tag with a ';' byte in it
        /// (a ';' with a combining mark is one character, so `tagItems` kept it) spans items: the texts are searched.
        func carrying(_ tag: String) -> [Int32] {
            let bytes = Array(tag.utf8), semicolon = UInt8(ascii: ";")
            guard bytes.contains(semicolon) else { return carriers[bytes] ?? [] }
            let needle = [semicolon] + bytes + [semicolon]
            return byText.filter { text, _ in
                let hay = [semicolon] + text + [semicolon]
                return hay.count >= needle.count && (0...(hay.count - needle.count)).contains { hay[$0..<($0 + needle.count)].elementsEqual(needle) }
            }.flatMap(\.value)
        }
        // The tags as the table always listed them (the same query, the same Set: one of canonically equal spellings).
        let tags = Set(try String.fetchAll(db, sql: "SELECT tags FROM models WHERE tags <> '' UNION SELECT tags FROM assets WHERE tags <> ''")
            .flatMap(\.tagItems)).sorted()
        let (start, downstream) = try lineage(db)
        let count = ids.count
        var depth = [Int8](repeating: -1, count: count), via = [Int32](repeating: -1, count: count)
        var queue: [Int32] = []
        for tag in tags {
            queue.removeAll(keepingCapacity: true)
            // Tagged nodes once each, in id order (a model and an asset may share an id: one node).
            for t in Set(carrying(tag)).sorted(by: { ids[Int($0)].utf8.lexicographicallyPrecedes(ids[Int($1)].utf8) }) {
                depth[Int(t)] = 0
                via[Int(t)] = t
                queue.append(t)
            }
            var head = 0
            while head < queue.count {
                let x = Int(queue[head])
                head += 1
                guard depth[x] < 64 else { continue }
                for c in downstream[Int(start[x])..<Int(start[x + 1])] where depth[Int(c)] < 0 {
                    depth[Int(c)] = depth[x] + 1
                    via[Int(c)] = via[x]
                    queue.append(c)
                }
            }
            var reached: [(depth: Int8, place: Int32, via: Int32)] = []
            for n in queue where listedAt[Int(n)] >= 0 { reached.append((depth[Int(n)], listedAt[Int(n)], via[Int(n)])) }
            reached.sort { ($0.depth, $0.place) < ($1.depth, $1.place) }
            for r in reached {
                let m = listed[Int(r.place)]
                try body(tag, TagExposure(modelId: ids[Int(m.node)], name: name(at: Int(r.place)), domain: domains[Int(m.domain)], stage: m.stage,
                                          via: r.depth == 0 ? "" : ids[Int(r.via)], depth: Int(r.depth)))
            }
            for n in queue { depth[Int(n)] = -1 }
        }
    }

    /// The lineage as arrays: node n's downstream nodes are `downstream[start[n]..<start[n+1]]`, in id order.
    private mutating func lineage(_ db: Database) throws -> (start: [Int32], downstream: [Int32]) {
        var edges: [(up: Int32, down: Int32)] = []
        // The primary key's order: by upstream, then downstream (binary), as the query's recursive step reads it.
        let rows = try Row.fetchCursor(db, sql: "SELECT upstream, downstream FROM lineage ORDER BY upstream, downstream")
        while let r = try rows.next() { edges.append((node(r[0]), node(r[1]))) }
        var start = [Int32](repeating: 0, count: ids.count + 1)
        for e in edges { start[Int(e.up) + 1] += 1 }
        for i in 0..<ids.count { start[i + 1] += start[i] }
        var filled = start, downstream = [Int32](repeating: 0, count: edges.count)
        for e in edges {
            downstream[Int(filled[Int(e.up)])] = e.down
            filled[Int(e.up)] += 1
        }
        return (start, downstream)
    }
}
