import BinnacleBundle
import BinnacleCore
import BinnacleStore
import Foundation

/// A portfolio bundle built row by row in a test, written to a temporary folder.
/// Rows hold exactly the bundle's columns, in order; helpers fill sensible defaults.
struct Fixture {
    var rows: [BundleFile: [[String]]] = [
        .manifest: [["format", "binnacle-bundle/1"], ["portfolio", "Fixture Group"], ["currency", "EUR"]],
        .people: [
            ["alice", "Alice Lead", "alice@example.com", "ai_lead", "AI", "true"],
            ["bob", "Bob Builder", "bob@example.com", "engineer", "AI", "true"],
            ["carol", "Carol Check", "carol@example.com", "validator", "Validation", "true"],
            ["dave", "Dave Gone", "dave@example.com", "engineer", "AI", "false"],
        ],
    ]

    mutating func model(_ id: String, domain: String = "Alpha", kind: String = "classification", tier: Int = 3,
                        created: String = "2024-01-01", owner: String = "alice", developer: String = "bob",
                        validator: String = "carol", tags: String = "") {
        rows[.models, default: []].append([id, "Model \(id)", domain, "", "", kind, String(tier), owner, developer, validator, "", tags, created])
    }
    mutating func stage(_ id: String, _ stage: String, _ at: String) {
        rows[.stages, default: []].append([id, stage, at, "alice", ""])
    }
    mutating func value(_ id: String, _ date: String, _ value: Double, cost: Double = 0) {
        rows[.value, default: []].append([id, date, Format.number(value), Format.number(cost), ""])
    }
    mutating func document(_ id: String, _ kind: String, version: String = "1", approved: String?, expires: String? = nil,
                           by: String = "carol") {
        rows[.documents, default: []].append([id, kind, version, "", approved ?? "", approved == nil ? "" : by, expires ?? "", ""])
    }
    mutating func monitor(_ id: String, _ metric: String, _ direction: String, warn: Double, critical: Double) {
        rows[.monitors, default: []].append([id, metric, direction, Format.number(warn), Format.number(critical)])
    }
    mutating func observation(_ id: String, _ metric: String, _ at: String, _ value: Double) {
        rows[.observations, default: []].append([id, metric, at, Format.number(value)])
    }
    mutating func task(_ taskId: String, _ model: String, created: String, due: String, closed: String? = nil, status: String = "open") {
        rows[.tasks, default: []].append([taskId, model, "Fix \(model)", "bob", "alice", "p2", created, due, status, closed ?? ""])
    }
    mutating func asset(_ id: String, kind: String = "dataset", tags: String = "") {
        rows[.assets, default: []].append([id, kind, "Asset \(id)", "alice", tags])
    }
    mutating func edge(_ upstream: String, _ downstream: String) {
        rows[.lineage, default: []].append([upstream, downstream])
    }

    /// Writes every required file (header only where no rows were added).
    func write(to directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for file in BundleFile.allCases where file.isRequired || rows[file] != nil {
            let writer = try CSVWriter(path: directory.appendingPathComponent(file.fileName).path, header: file.columns)
            for row in rows[file] ?? [] { writer.write(row) }
            try writer.close()
        }
    }

    /// Imports the fixture into a new database in a fresh temporary folder.
    func inventory() throws -> Inventory {
        let dir = try TempDir()
        try write(to: dir.url.appendingPathComponent("bundle"))
        let inventory = try Inventory(path: dir.url.appendingPathComponent("inv.sqlite").path, mode: .create)
        _ = try inventory.importer.importBundle(directory: dir.url.appendingPathComponent("bundle").path, replace: false, actor: "test")
        return inventory
    }
}

/// A temporary folder, removed when the process ends.
struct TempDir {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("binnacle-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
}

func day(_ s: String) -> Day { Day(s)! }

/// The root of the package checkout (for sample-data/ and schema/).
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
