import ArgumentParser
@testable import BinnacleCLI
import BinnacleCore
@testable import BinnacleStore
import Foundation
import GRDB
import Testing

/// Runs the built `binnacle` binary (beside the test bundle in .build/<config>/).
let binnacleBinary: URL = {
    var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    while !FileManager.default.fileExists(atPath: dir.appendingPathComponent("binnacle").path), dir.path != "/" {
        dir = dir.deletingLastPathComponent()
    }
    return dir.appendingPathComponent("binnacle")
}()

func binnacle(_ arguments: [String], cwd: String? = nil, environment: [String: String] = [:]) throws -> (status: Int32, out: String, err: String) {
    try run(binnacleBinary, arguments, cwd: cwd, environment: environment)
}

func run(_ executable: URL, _ arguments: [String], cwd: String? = nil, environment: [String: String] = [:]) throws -> (status: Int32, out: String, err: String) {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    if let cwd { process.currentDirectoryURL = URL(fileURLWithPath: cwd) }
    // The dashboard's cache stays in memory unless a test asks otherwise: nothing left in ~/.cache.
    process.environment = ProcessInfo.processInfo.environment.merging(["BINNACLE_CACHE_DIR": "none"].merging(environment) { $1 }) { $1 }
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
}

@Suite struct CLIParsingTests {
    @Test func reportOptions() throws {
        let command = try Binnacle.parseAsRoot(["report", "--as-of", "2025-03-31", "--format", "json", "--domain", "Lending", "--db", "x.sqlite"])
        let report = try #require(command as? Report)
        #expect(report.asOf.day == day("2025-03-31") && report.format == .json && report.domain == "Lending" && report.database.path == "x.sqlite")
    }

    @Test func badValuesAreRefusedByTheParser() {
        #expect(throws: (any Error).self) { try Binnacle.parseAsRoot(["report", "--as-of", "31/03/2025"]) }
        #expect(throws: (any Error).self) { try Binnacle.parseAsRoot(["report", "--format", "pdf"]) }
        #expect(throws: (any Error).self) { try Binnacle.parseAsRoot(["models", "--stage", "launched"]) }
        #expect(throws: (any Error).self) { try Binnacle.parseAsRoot(["generate", "--models", "0", "--out", "x"]) }
    }

    @Test func checkDefaults() throws {
        let check = try #require(try Binnacle.parseAsRoot(["check"]) as? Check)
        #expect(check.minImpactShare == 0.9 && check.failOn == .critical)
        let strict = try #require(try Binnacle.parseAsRoot(["check", "--fail-on", "warning", "--min-impact-share", "0.5"]) as? Check)
        #expect(strict.failOn == .warning && strict.minImpactShare == 0.5)
    }

    @Test func theDatabaseComesFromTheEnvironmentWhenNotGiven() throws {
        let options = try DatabaseOptions.parse([])
        let expected = ProcessInfo.processInfo.environment["BINNACLE_DB"].flatMap { $0.isEmpty ? nil : $0 } ?? "binnacle.sqlite"
        #expect(options.path == expected)
    }
}

@Suite struct CLIRunTests {
    @Test func readCommandsOnAMissingFileSuggestDemoOrInit() throws {
        let dir = try TempDir()
        let r = try binnacle(["report", "--db", dir.path("none.sqlite")])
        #expect(r.status != 0 && r.err.contains("binnacle demo") && r.err.contains("binnacle init"))
        #expect(!FileManager.default.fileExists(atPath: dir.path("none.sqlite")))
        let env = try binnacle(["models"], environment: ["BINNACLE_DB": dir.path("env.sqlite")])
        #expect(env.status != 0 && env.err.contains("env.sqlite: no such database"))
    }

    @Test func aFailedImportLeavesNoDatabaseBehind() throws {
        let dir = try TempDir()
        var f = BundleValidationTests.valid()
        f.value("m1", "not-a-date", 1)
        try f.write(to: dir.url.appendingPathComponent("bad"))
        let r = try binnacle(["import", "bundle", dir.path("bad"), "--db", dir.path("new.sqlite")])
        #expect(r.status == 1)
        #expect(r.err.contains("value.csv:3: column date: 'not-a-date' is not a date"))
        #expect(r.err.contains("nothing was written"))
        #expect(!FileManager.default.fileExists(atPath: dir.path("new.sqlite")))
    }

    @Test func checkExitCodes() throws {
        let dir = try TempDir()
        // Healthy: one production model with value and a fresh, fine observation.
        var f = Fixture()
        f.model("ok", created: "2025-01-01")
        f.stage("ok", "production", "2025-02-01")
        f.value("ok", "2025-06-01", 10)
        f.monitor("ok", "auc", "below", warn: 0.7, critical: 0.6)
        f.observation("ok", "auc", "2025-06-28", 0.8)
        try f.write(to: dir.url.appendingPathComponent("healthy"))
        _ = try binnacle(["import", "bundle", dir.path("healthy"), "--db", dir.path("h.sqlite")])
        let healthy = try binnacle(["check", "--db", dir.path("h.sqlite"), "--as-of", "2025-06-30"])
        #expect(healthy.status == 0 && healthy.out.hasPrefix("healthy as of 2025-06-30"))

        try KPIFixtureTests.fixture().write(to: dir.url.appendingPathComponent("fixture"))
        _ = try binnacle(["import", "bundle", dir.path("fixture"), "--db", dir.path("f.sqlite")])
        let breached = try binnacle(["check", "--db", dir.path("f.sqlite"), "--as-of", "2025-06-30"])
        #expect(breached.status == 1)
        #expect(breached.out.contains("BREACH impact share 40.0% is below 90.0%"))
        #expect(breached.out.contains("BREACH critical alert on m8: auc = 0.59 (critical threshold 0.6)"))
        #expect(!breached.out.contains("stale"))
        let warnings = try binnacle(["check", "--db", dir.path("f.sqlite"), "--as-of", "2025-06-30", "--fail-on", "warning", "--min-impact-share", "0"])
        #expect(warnings.status == 1 && warnings.out.contains("unmonitored") && warnings.out.contains("6 breaches"))

        #expect(try binnacle(["check", "--db", dir.path("missing.sqlite")]).status == 2)
        #expect(try binnacle(["check", "--db", dir.path("f.sqlite"), "--as-of", "June"]).status == 2)
    }

    @Test func modelsShowAndReportFormats() throws {
        let dir = try TempDir()
        var f = KPIFixtureTests.fixture()
        f.asset("ds-pii", tags: "pii")
        f.asset("fg-1", kind: "feature_group")
        f.edge("ds-pii", "fg-1"); f.edge("fg-1", "m1"); f.edge("m1", "m2")
        try f.write(to: dir.url.appendingPathComponent("b"))
        let db = dir.path("f.sqlite")
        #expect(try binnacle(["import", "bundle", dir.path("b"), "--db", db]).status == 0)

        let models = try binnacle(["models", "--db", db, "--as-of", "2025-06-30", "--format", "json", "--stage", "production"])
        let list = try #require(try JSONSerialization.jsonObject(with: Data(models.out.utf8)) as? [[String: Any]])
        #expect(list.map { $0["id"] as? String } == ["m1", "m2", "m8", "m9", "m4"])
        for key in ["id", "name", "domain", "kind", "stage", "risk_tier", "business_owner", "developer", "validator", "alerts", "docs"] {
            #expect(list[0][key] != nil, "models JSON has \(key)")
        }

        let show = try binnacle(["show", "m2", "--db", db, "--as-of", "2025-06-30", "--format", "json"])
        let detail = try #require(try JSONSerialization.jsonObject(with: Data(show.out.utf8)) as? [String: Any])
        let lineage = try #require(detail["lineage"] as? [String: [[String: Any]]])
        #expect(lineage["upstream"]!.map { "\($0["id"]!)@\($0["depth"]!)" } == ["m1@1", "fg-1@2", "ds-pii@3"])
        let text = try binnacle(["show", "m1", "--db", db, "--as-of", "2025-06-30"])
        #expect(text.out.contains("Upstream lineage") && text.out.contains("dataset ds-pii"))
        #expect(try binnacle(["show", "m", "--db", db]).err.contains("did you mean: m1, m2"))

        let json = try binnacle(["report", "--db", db, "--as-of", "2025-06-30", "--format", "json"])
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any])
        let kpis = try #require(report["kpis"] as? [String: Any])
        for key in ["impact_share", "built_to_value_share", "value_12m", "cost_12m", "roi_12m", "alerts_critical", "alerts_warning",
                    "models_with_critical", "docs_complete_share", "median_days_to_production", "shelved_share", "open_tasks",
                    "overdue_tasks", "production_models", "production_with_impact", "built_models"] {
            #expect(kpis[key] != nil, "kpis has \(key)")
        }
        #expect((report["trend"] as? [Any])?.count == 12 && report["as_of"] as? String == "2025-06-30")

        let csv = try binnacle(["report", "--db", db, "--as-of", "2025-06-30", "--format", "csv"])
        let lines = csv.out.split(separator: "\n")
        #expect(lines.count == 4 && lines[0].hasPrefix("as_of,scope,domain,impact_share") && lines[3].hasPrefix("2025-06-30,total,,0.4,"))
        let markdown = try binnacle(["report", "--db", db, "--as-of", "2025-06-30", "--format", "markdown"])
        #expect(markdown.out.hasPrefix("# Fixture Group: AI portfolio as of 2025-06-30") && markdown.out.contains("| Alpha |"))
        let unknown = try binnacle(["report", "--db", db, "--domain", "Nowhere"])
        #expect(unknown.status == 1 && unknown.err.contains("no domain 'Nowhere'; the domains are: Alpha, Beta, Gamma"))
    }

    @Test func generateIsDeterministic() throws {
        let dir = try TempDir()
        for name in ["a", "b"] {
            #expect(try binnacle(["generate", "--models", "40", "--seed", "9", "--as-of", "2026-01-31", "--out", dir.path(name)]).status == 0)
        }
        for file in ["models.csv", "observations.csv", "value.csv"] {
            #expect(try sha256(dir.path("a/\(file)")) == sha256(dir.path("b/\(file)")))
        }
        #expect(try binnacle(["generate", "--models", "40", "--out", dir.path("a")]).err.contains("not empty"))
    }

    @Test func anUnknownCommandIsNamedAndTheVersionIsPrinted() throws {
        let unknown = try binnacle(["frobnicate"])
        #expect(unknown.status == 64 && unknown.err.contains("'frobnicate' is not a command; the commands are: tui, init"))
        let version = try binnacle(["--version"])
        #expect(version.status == 0 && version.out == BinnacleVersion.current + "\n")
    }

    /// On a terminal that cannot draw the dashboard (through `script`, which gives it a pty): a message
    /// naming the terminal and the text report, never ncurses' own error or a garbled line.
    @Test(arguments: [("dumb", "cannot move the cursor"), ("no-such-terminal", "is unknown to this system's terminfo")])
    func aTerminalThatCannotDrawGetsTheTextReport(term: String, why: String) throws {
        let script = URL(fileURLWithPath: "/usr/bin/script")
        guard FileManager.default.isExecutableFile(atPath: script.path) else { return }
        let dir = try TempDir()
        #expect(try binnacle(["import", "bundle", packageRoot.appendingPathComponent("sample-data").path, "--db", dir.path("d.sqlite")]).status == 0)
        let r = try run(script, ["-qec", "\(binnacleBinary.path) tui --db \(dir.path("d.sqlite")) --as-of 2026-11-21", "/dev/null"],
                        environment: ["TERM": term])
        #expect(r.status == 0 && r.out.contains("the terminal '\(term)' \(why)") && r.out.contains("AI portfolio as of 2026-11-21"), "\(r)")
    }

    @Test func initCreatesAnAuditedEmptyInventoryOnce() throws {
        let dir = try TempDir()
        let r = try binnacle(["init", "--db", dir.path("i.sqlite")])
        #expect(r.status == 0 && r.out.contains("audit #1"))
        #expect(try binnacle(["init", "--db", dir.path("i.sqlite")]).status == 1)
        let report = try binnacle(["report", "--db", dir.path("i.sqlite"), "--format", "json", "--as-of", "2025-01-01"])
        #expect(report.status == 0 && report.out.contains("\"impact_share\": null"))
    }

    /// `prepare` fills the cache a dashboard then reads; without a cache directory it says so and fails.
    @Test func prepareFillsTheDashboardCache() throws {
        let dir = try TempDir()
        let db = dir.path("demo.sqlite")
        #expect(try binnacle(["import", "bundle", packageRoot.appendingPathComponent("sample-data").path, "--db", db]).status == 0)
        let env = ["BINNACLE_CACHE_DIR": dir.path("cache")]
        let r = try binnacle(["prepare", "--db", db, "--as-of", "2026-11-21"], environment: env)
        #expect(r.status == 0 && r.out.contains("prepared 2026-11-21: 150 models and the 12-month trend"), "\(r.err)")
        let cached = try binnacle(["snapshot", "--db", db, "--as-of", "2026-11-21"], environment: env)
        let fresh = try binnacle(["snapshot", "--db", db, "--as-of", "2026-11-21"])
        #expect(cached.status == 0 && cached.out == fresh.out && cached.out.contains("Impact share"))
        let none = try binnacle(["prepare", "--db", db], environment: ["BINNACLE_CACHE_DIR": "none"])
        #expect(none.status != 0 && none.err.contains("BINNACLE_CACHE_DIR"))
    }

    @Test func demoImportsTheSampleAndPrintsTheReport() throws {
        let dir = try TempDir()
        let r = try binnacle(["demo", "--db", dir.path("demo.sqlite"), "--sample-data", packageRoot.appendingPathComponent("sample-data").path])
        #expect(r.status == 0 && r.out.contains("Northwind Financial Group") && r.out.contains("Impact share"))
    }
}

@Suite struct TerminalEndToEndTests {
    /// The real binary in tmux: a full journey, the exit status, the pane title, SIGTERM (Tests/e2e).
    @Test func journeyThroughTheDashboardInTmux() throws {
        let script = packageRoot.appendingPathComponent("Tests/e2e/tui-journey.sh").path
        let r = try run(URL(fileURLWithPath: "/usr/bin/timeout"),
                        ["300", "/bin/bash", script, binnacleBinary.path, packageRoot.appendingPathComponent("sample-data").path])
        #expect(r.status == 0, "\(r.out)\(r.err)")
        #expect(r.out.contains("tui journey: 33 passed, 0 failed"), "\(r.out)")
    }
}

@Suite struct AuditCommandTests {
    /// An inventory with three imports' worth of history.
    func history(_ dir: TempDir) throws -> String {
        let db = dir.path("a.sqlite")
        var f = BundleValidationTests.valid()
        f.rows[.people]!.append(["rita", "Rita Risk", "rita@example.com", "risk_officer", "Risk", "true"])  // may replace
        try f.write(to: dir.url.appendingPathComponent("b"))
        #expect(try binnacle(["import", "bundle", dir.path("b"), "--db", db]).status == 0)
        for _ in 0..<2 { #expect(try binnacle(["import", "bundle", dir.path("b"), "--db", db, "--replace", "--as", "rita"]).status == 0) }
        return db
    }

    @Test func verifyHeadAndAnchors() throws {
        let dir = try TempDir()
        let db = try history(dir)
        let head = try binnacle(["audit", "head", "--db", db]).out.trimmingCharacters(in: .newlines)
        #expect(head.count == 64)
        let ok = try binnacle(["audit", "verify", "--db", db])
        #expect(ok.status == 0 && ok.out == "intact: 3 entries, head \(head)\n")
        #expect(try binnacle(["import", "bundle", dir.path("b"), "--db", db, "--replace", "--as", "rita"]).status == 0)
        let anchored = try binnacle(["audit", "verify", "--db", db, "--expect-head", head])
        #expect(anchored.status == 0 && anchored.out.contains("anchored head found at entry 3"))
        let unknown = try binnacle(["audit", "verify", "--db", db, "--expect-head", String(repeating: "ab", count: 32)])
        #expect(unknown.status == 1 && unknown.err.contains("is not in the chain"))
    }

    @Test func verifyNamesTheFirstTamperedEntry() throws {
        let dir = try TempDir()
        let db = try history(dir)
        try DatabaseQueue(path: db).write { db in
            try db.execute(sql: "DROP TRIGGER audit_log_no_update")
            try db.execute(sql: "UPDATE audit_log SET actor = 'mallory' WHERE seq = 2")
        }
        let r = try binnacle(["audit", "verify", "--db", db])
        #expect(r.status == 1 && r.err.contains("broken at entry 2: its content was changed"))
    }

    /// Deleting every entry leaves nothing to mismatch; an inventory with content must still have a log.
    @Test func anEmptyLogOnAnInventoryWithContentIsBroken() throws {
        let dir = try TempDir()
        let db = dir.path("e.sqlite")
        #expect(try binnacle(["import", "bundle", packageRoot.appendingPathComponent("sample-data").path, "--db", db]).status == 0)
        try DatabaseQueue(path: db).writeWithoutTransaction { db in
            try db.execute(sql: "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log")
        }
        let r = try binnacle(["audit", "verify", "--db", db])
        #expect(r.status == 1 && r.err.contains("broken at entry 1: the log is empty, yet the inventory holds 150 models"))
        let empty = dir.path("new.sqlite")
        FileManager.default.createFile(atPath: empty, contents: nil)
        #expect(try Inventory(path: empty, mode: .create).verifyChain() == .intact(entries: 0, head: AuditLog.genesis))
    }

    @Test func verifyFindsReorderedEntries() throws {
        let dir = try TempDir()
        let db = try history(dir)
        try DatabaseQueue(path: db).write { db in
            try db.execute(sql: "DROP TRIGGER audit_log_no_update")
            // Swap entries 2 and 3 (content and hashes travel together).
            try db.execute(sql: "UPDATE audit_log SET seq = -2 WHERE seq = 2")
            try db.execute(sql: "UPDATE audit_log SET seq = 2 WHERE seq = 3")
            try db.execute(sql: "UPDATE audit_log SET seq = 3 WHERE seq = -2")
        }
        let r = try binnacle(["audit", "verify", "--db", db])
        #expect(r.status == 1 && r.err.contains("broken at entry 2"))
    }

    @Test func logFiltersAndFormats() throws {
        let dir = try TempDir()
        let db = try history(dir)
        let json = try binnacle(["audit", "log", "--db", db, "--format", "json"])
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [[String: Any]])
        #expect(entries.map { $0["action"] as? String } == ["import.bundle", "import.replace", "import.replace"])
        #expect(try binnacle(["audit", "log", "--db", db, "--actor", "nobody"]).out == "0 entries\n")
        #expect(try binnacle(["audit", "log", "--db", db, "--since", "2999-01-01", "--format", "csv"]).out == "seq,at,actor,action,entity,detail,prev_hash,hash\n")
    }
}
