import BinnacleBundle
import BinnacleCore
@testable import BinnacleStore
import Crypto
import Foundation
import GRDB
import Testing

func sha256(_ path: String) throws -> String {
    SHA256.hash(data: try Data(contentsOf: URL(fileURLWithPath: path))).map { String(format: "%02x", $0) }.joined()
}

@Suite struct SchemaTests {
    static func schemaOf(_ db: Database) throws -> [String] {
        try String.fetchAll(db, sql: """
            SELECT type || ' ' || name || ' ON ' || tbl_name || ': ' || COALESCE(sql, '') FROM sqlite_master
            WHERE tbl_name NOT LIKE 'grdb_%' ORDER BY type, name
            """) + [String(try Int.fetchOne(db, sql: "PRAGMA application_id")!)]
    }

    @Test func theBinaryAppliesExactlyTheFilesInSchemaFolder() throws {
        let dir = try TempDir()
        let inventory = try Inventory(path: dir.path("a.sqlite"), mode: .create)
        let built = try inventory.read(Self.schemaOf)

        let files = try FileManager.default.contentsOfDirectory(atPath: packageRoot.appendingPathComponent("schema").path)
            .filter { $0.hasSuffix(".sql") }.sorted()
        #expect(files == Inventory.schemaMigrations.map { $0.name + ".sql" })
        let reference = try DatabaseQueue(path: dir.path("b.sqlite"))
        try reference.writeWithoutTransaction { db in
            for file in files {
                try db.execute(sql: String(contentsOf: packageRoot.appendingPathComponent("schema/\(file)"), encoding: .utf8))
            }
        }
        #expect(try reference.read(Self.schemaOf) == built)
        #expect(built.contains { $0.hasPrefix("trigger audit_log_no_update") })
    }

    @Test func aNewerSchemaIsRefusedAndNeverWritten() throws {
        let dir = try TempDir()
        let path = dir.path("future.sqlite")
        do {
            let inventory = try Inventory(path: path, mode: .create)
            try inventory.queue.write { db in
                try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('9999_from_the_future')")
            }
            try inventory.queue.writeWithoutTransaction { try $0.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        }
        let before = try sha256(path)
        for mode in [Inventory.OpenMode.read, .write] {
            #expect {
                _ = try Inventory(path: path, mode: mode)
            } throws: { error in
                guard case StoreError.newerSchema(_, let unknown, _) = error else { return false }
                return unknown == ["9999_from_the_future"] && String(describing: error).contains("newer Binnacle")
            }
        }
        #expect(try sha256(path) == before)
    }

    /// A file from the first schema (before the people indexes and the service role) is read as it is,
    /// never written, since the missing migrations only add indexes and widen a CHECK; a write is refused
    /// until an administrator runs `migrate`, which upgrades it in one audited transaction.
    @Test func anOlderSchemaIsReadAsItIsAndUpgradedOnlyByMigrate() throws {
        let dir = try TempDir()
        let path = dir.path("old.sqlite")
        let first = Inventory.schemaMigrations[0]
        try DatabaseQueue(path: path).writeWithoutTransaction { db in
            try db.execute(sql: first.sql)
            try db.execute(sql: "CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)")
            try db.execute(sql: "INSERT INTO grdb_migrations VALUES (?)", arguments: [first.name])
            try db.execute(sql: "INSERT INTO people VALUES ('rita', 'Rita', 'r@x', 'risk_officer', 'Risk', 1), ('bob', 'Bob', 'b@x', 'engineer', 'AI', 1)")
            try db.execute(sql: "PRAGMA journal_mode = WAL")  // as earlier versions left their files
        }
        let before = try sha256(path)
        for readOnly in [true, false] {  // also a reader that could write: reading never writes
            let reader = try Inventory(path: path, mode: .read, readOnly: readOnly)
            #expect(try reader.peopleSummaries(asOf: day("2025-01-01")).count == 2)
        }
        #expect(try sha256(path) == before)
        #expect(Inventory.addsOnlyIndexes(Inventory.schemaMigrations[1].sql) && Inventory.readCompatible(Inventory.schemaMigrations[2].sql))
        #expect(!Inventory.addsOnlyIndexes(first.sql) && !Inventory.readCompatible(first.sql))

        do {
            let writer = try Inventory(path: path, mode: .read)
            #expect { try writer.governance.setMonitor(modelId: "m", metric: "auc", direction: .below, warn: 1, critical: 0, by: "rita") } throws: {
                ($0 as? StoreError) == .olderSchema(path) && String(describing: $0).contains("binnacle migrate")
            }
            #expect(try sha256(path) == before)
            #expect { _ = try Inventory(path: path, mode: .migrate).migrate(by: "bob") } throws: { ($0 as? Refusal)?.deniedAction == .administer }
        }
        #expect(try Inventory.useRollbackJournal(path: path))  // what `binnacle migrate` does first, with the file to itself
        let upgraded = try #require(try Inventory(path: path, mode: .migrate).migrate(by: "rita"))
        #expect(upgraded.from == first.name && upgraded.to == Inventory.schemaMigrations.last!.name)
        let after = try Inventory(path: path, mode: .read)
        #expect(try after.read { try Self.schemaOf($0) }.contains { $0.hasPrefix("index models_by_owner") })
        #expect(try after.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") } == "delete")
        #expect(try after.person(login: "rita")?.role == .riskOfficer)
        // bob's refusal could not be recorded: nothing is written to a file of an older schema.
        #expect(try after.auditEntries(filter: nil).map(\.action) == ["inventory.migrate"])
        #expect(try Inventory(path: path, mode: .migrate).migrate(by: "rita") == nil)
    }

    /// A writer killed mid-transaction leaves a hot journal: readers are told so (exit 2, never "broken" or
    /// "read-only"), and the next write, or `recover`, rolls it back to the data as last committed.
    @Test func anInterruptedWriteIsNamedAndRolledBack() throws {
        let sqlite3 = URL(fileURLWithPath: "/usr/bin/sqlite3")
        guard FileManager.default.isExecutableFile(atPath: sqlite3.path) else { return }
        let dir = try TempDir()
        let db = dir.path("demo.sqlite")
        #expect(try binnacle(["import", "bundle", packageRoot.appendingPathComponent("sample-data").path, "--db", db]).status == 0)
        let report = try binnacle(["report", "--db", db, "--as-of", "2026-11-21", "--format", "json"])
        // A small page cache makes the update spill into the file before it commits; then the writer dies.
        let killed = try run(URL(fileURLWithPath: "/bin/sh"), ["-c", """
            printf 'PRAGMA cache_size = 5;\nBEGIN;\nUPDATE observations SET value = value + 1;\n.shell kill -9 $PPID\n' | \(sqlite3.path) \(db)
            """])
        #expect(killed.status != 0 && FileManager.default.fileExists(atPath: db + "-journal"))
        for (command, status) in [(["report"], Int32(2)), (["audit", "verify"], 2), (["check"], 2), (["models"], 2)] {
            let r = try binnacle(command + ["--db", db])
            #expect(r.status == status && r.err.contains("an interrupted write is pending"), "\(command): \(r.err)")
        }
        let recover = try binnacle(["recover", "--db", db])
        #expect(recover.status == 0 && recover.out.contains("rolled back"))
        #expect(try binnacle(["report", "--db", db, "--as-of", "2026-11-21", "--format", "json"]).out == report.out)
        #expect(try binnacle(["audit", "verify", "--db", db]).status == 0)
    }

    @Test func foreignFilesFifosAndFoldersAreRefusedByNameUntouched() throws {
        let dir = try TempDir()
        // Another application's file with nothing but a view: not ours, even to a create.
        let foreign = dir.path("foreign.sqlite")
        try DatabaseQueue(path: foreign).writeWithoutTransaction { try $0.execute(sql: "PRAGMA application_id = 42; CREATE VIEW v AS SELECT 1") }
        let before = try sha256(foreign)
        for mode in [Inventory.OpenMode.read, .write, .create] {
            #expect { _ = try Inventory(path: foreign, mode: mode) } throws: { ($0 as? StoreError) == .notBinnacle(foreign) }
        }
        #expect(try binnacle(["task", "assign", "m1", "--to", "x", "--due", "2030-01-01", "--title", "t", "--db", foreign]).status == 2)
        #expect(try sha256(foreign) == before)

        #expect(mkfifo(dir.path("fifo"), 0o600) == 0)
        let fifo = try binnacle(["report", "--db", dir.path("fifo")])
        #expect(fifo.status == 2 && fifo.err.contains("fifo: a named pipe (FIFO), not a database file"))
        let folder = try binnacle(["report", "--db", dir.path("")])
        #expect(folder.status == 2 && folder.err.contains("a directory, not a database file"))
        FileManager.default.createFile(atPath: dir.path("empty.sqlite"), contents: nil)
        let empty = try binnacle(["report", "--db", dir.path("empty.sqlite")])
        #expect(empty.status == 2 && empty.err.contains("an empty file, not an inventory yet"))
    }

    @Test func filesThatAreNotInventoriesAreRefusedUntouched() throws {
        let dir = try TempDir()
        let garbage = dir.path("garbage.sqlite")
        try Data(repeating: 0x41, count: 8192).write(to: URL(fileURLWithPath: garbage))
        #expect { _ = try Inventory(path: garbage, mode: .read) } throws: { ($0 as? StoreError) == .notSQLite(garbage) }

        let other = dir.path("other.sqlite")
        try DatabaseQueue(path: other).write { try $0.execute(sql: "CREATE TABLE runs (id INTEGER)") }
        let before = try sha256(other)
        #expect { _ = try Inventory(path: other, mode: .create) } throws: { ($0 as? StoreError) == .notBinnacle(other) }
        #expect(try sha256(other) == before)
    }

    @Test func readingAMissingFileSaysSoAndCreatesNothing() throws {
        let dir = try TempDir()
        let path = dir.path("nope.sqlite")
        #expect { _ = try Inventory(path: path, mode: .read) } throws: { error in
            String(describing: error).contains("binnacle demo") && String(describing: error).contains("binnacle init")
        }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func readOnlyRefusesWrites() throws {
        let dir = try TempDir()
        _ = try Fixture().write(to: dir.url.appendingPathComponent("b"))
        _ = try Inventory(path: dir.path("db"), mode: .create)
        let readOnly = try Inventory(path: dir.path("db"), mode: .read, readOnly: true)
        #expect { _ = try readOnly.importer.importBundle(directory: dir.path("b"), replace: true, actor: "t") } throws: {
            ($0 as? StoreError) == .readOnly(dir.path("db"))
        }
    }

    @Test func aLockedDatabaseWaitsThenSaysBusy() throws {
        let dir = try TempDir()
        let path = dir.path("busy.sqlite")
        let inventory = try Inventory(path: path, mode: .create, writeTimeout: 5)  // a write waits 30 s by default
        let blocker = try DatabaseQueue(path: path)
        try blocker.writeWithoutTransaction { db in
            try db.execute(sql: "BEGIN IMMEDIATE")
            let started = Date()
            #expect { try inventory.write { db in try AuditLog.append(db, actor: "t", action: "x", entity: "y", detail: .null) } }
                throws: { ($0 as? StoreError) == .busy(path) }
            #expect(Date().timeIntervalSince(started) >= 4.5)
            try db.execute(sql: "ROLLBACK")
        }
    }
}

@Suite struct AuditTests {
    @Test func importsAreAuditedAndTheChainVerifies() throws {
        let dir = try TempDir()
        let bundle = dir.url.appendingPathComponent("b")
        try BundleValidationTests.valid().write(to: bundle)
        let inventory = try Inventory(path: dir.path("db"), mode: .create)
        let first = try inventory.importer.importBundle(directory: bundle.path, replace: false, actor: "alice")
        #expect(first.auditEntry.seq == 1 && first.auditEntry.action == "import.bundle")
        #expect(first.auditEntry.detail.contains("\"models.csv\":{\"rows\":1,\"sha256\":\"\(try sha256(bundle.appendingPathComponent("models.csv").path))\"}"))

        #expect { _ = try inventory.importer.importBundle(directory: bundle.path, replace: false, actor: "alice") } throws: {
            if case StoreError.notEmpty = $0 { return true } else { return false }
        }
        let second = try inventory.importer.importBundle(directory: bundle.path, replace: true, actor: "bob")
        #expect(second.auditEntry.seq == 2 && second.auditEntry.action == "import.replace")
        #expect(second.auditEntry.prevHash == first.auditEntry.hash)
        #expect(try inventory.read(AuditLog.verify) == .intact(entries: 2, head: second.auditEntry.hash))
        #expect(try inventory.modelSummaries(asOf: day("2024-03-05")).count == 1)
    }

    @Test func theLogRefusesUpdateAndDeleteAndVerifyFindsTampering() throws {
        let dir = try TempDir()
        let inventory = try Inventory(path: dir.path("db"), mode: .create)
        try inventory.write { db in
            for i in 1...4 { try AuditLog.append(db, actor: "a", action: "act\(i)", entity: "e", detail: .object([("n", .int(i))])) }
        }
        #expect(throws: (any Error).self) { try inventory.write { try $0.execute(sql: "UPDATE audit_log SET actor = 'x' WHERE seq = 2") } }
        #expect(throws: (any Error).self) { try inventory.write { try $0.execute(sql: "DELETE FROM audit_log WHERE seq = 4") } }

        // Someone with the file and sqlite3 drops the triggers and edits an entry.
        try inventory.write { db in
            try db.execute(sql: "DROP TRIGGER audit_log_no_update")
            try db.execute(sql: "UPDATE audit_log SET detail = '{\"n\":99}' WHERE seq = 3")
        }
        #expect(try inventory.read(AuditLog.verify) == .broken(seq: 3, reason: "its content was changed (hash does not match)"))
    }

    @Test func verifyFindsADeletedEntry() throws {
        let dir = try TempDir()
        let inventory = try Inventory(path: dir.path("db"), mode: .create)
        try inventory.write { db in
            for i in 1...3 { try AuditLog.append(db, actor: "a", action: "act\(i)", entity: "e", detail: .null) }
            try db.execute(sql: "DROP TRIGGER audit_log_no_delete")
            try db.execute(sql: "DELETE FROM audit_log WHERE seq = 2")
        }
        #expect(try inventory.read(AuditLog.verify) == .broken(seq: 3, reason: "entry 2 is missing"))
    }

    @Test func theHashFollowsTheDocumentedSerialisation() {
        // ns(x) = "<bytes>:<x>,"; hash = SHA-256 of the concatenation, in hex.
        let text = "64:" + AuditLog.genesis + ",1:1,24:2025-01-01T00:00:00.000Z,5:alice,4:init,9:inventory,2:{},"
        let expected = SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
        #expect(AuditLog.hash(prevHash: AuditLog.genesis, seq: 1, at: "2025-01-01T00:00:00.000Z", actor: "alice",
                              action: "init", entity: "inventory", detail: "{}") == expected)
    }
}

@Suite struct RoundTripTests {
    @Test func exportThenImportGivesTheSameReportAndTheSameFiles() throws {
        let dir = try TempDir()
        try PortfolioGenerator(models: 120, seed: 5, asOf: day("2026-01-15")).write(to: dir.path("original"))
        let first = try Inventory(path: dir.path("first.sqlite"), mode: .create)
        _ = try first.importer.importBundle(directory: dir.path("original"), replace: false, actor: "t")
        try first.exportBundle(to: dir.path("export1"))
        let second = try Inventory(path: dir.path("second.sqlite"), mode: .create)
        _ = try second.importer.importBundle(directory: dir.path("export1"), replace: false, actor: "t")
        try second.exportBundle(to: dir.path("export2"))

        for asOf in ["2026-01-15", "2025-06-30", "2024-02-29", "2023-01-01"].map(day) {
            #expect(try first.report(asOf: asOf) == second.report(asOf: asOf), "as of \(asOf)")
            #expect(try first.modelSummaries(asOf: asOf) == second.modelSummaries(asOf: asOf))
        }
        for file in BundleFile.allCases where file != .audit {
            let a = try String(contentsOfFile: dir.path("export1/\(file.fileName)"), encoding: .utf8)
            let b = try String(contentsOfFile: dir.path("export2/\(file.fileName)"), encoding: .utf8)
            #expect(a == b, "\(file.fileName)")
        }
        // The first database's history (the bundle's, then its import) travels with the export and is carried into the second chain.
        let audit = try second.read { try String.fetchAll($0, sql: "SELECT action FROM audit_log ORDER BY seq") }
        let carried = try first.read { try String.fetchAll($0, sql: "SELECT action FROM audit_log ORDER BY seq") }
        #expect(carried.count > 1 && carried.last == "import.bundle" && audit == carried + ["import.bundle"])
        #expect(try second.read(AuditLog.verify) != .broken(seq: 1, reason: ""))
    }

    @Test func exportRefusesAFolderThatHoldsFiles() throws {
        let dir = try TempDir()
        let inventory = try Fixture().inventory()
        try FileManager.default.createDirectory(atPath: dir.path("full"), withIntermediateDirectories: true)
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: dir.path("full/notes.txt")))
        #expect(throws: StoreError.self) { try inventory.exportBundle(to: dir.path("full")) }
        #expect(try String(contentsOfFile: dir.path("full/notes.txt"), encoding: .utf8) == "keep me")
    }
}

@Suite struct SampleDataTests {
    @Test func theSampleBundleImportsCleanlyAndTellsItsStories() throws {
        let dir = try TempDir()
        let inventory = try Inventory(path: dir.path("demo.sqlite"), mode: .create)
        let summary = try inventory.importer.importBundle(directory: packageRoot.appendingPathComponent("sample-data").path, replace: false, actor: "t")
        #expect(summary.rows[.models]! >= 140 && summary.rows[.people]! >= 35)
        let asOf = try #require(try inventory.portfolioInfo().asOf)
        let report = try inventory.report(asOf: asOf)
        #expect(report.domains.count == 7)
        let k = report.kpis
        #expect(k.impactShare! < Targets.impactShare)
        #expect(k.alertsCritical > 0 && k.docsCompleteShare! < 1 && k.overdueTasks > 0)
        #expect(k.shelvedShare! > 0.2)
        // The stories.
        let recommender = try inventory.modelDetail(id: "restaurant-merchant-recommender", asOf: asOf)
        #expect(recommender.alerts.contains { $0.severity == .critical && $0.metric == "psi_score" })
        let assistant = try inventory.modelDetail(id: "customer-service-gen-ai-assistant", asOf: asOf)
        #expect(assistant.model.kind == .genai && assistant.requiredDocuments.contains { $0.kind == "risk_assessment" && !$0.current })
        let credit = try inventory.modelDetail(id: "consumer-credit-scorecard", asOf: asOf)
        #expect(credit.model.validator == credit.model.developer)
        let fraud = try inventory.modelDetail(id: "card-fraud-detector", asOf: asOf)
        #expect(fraud.value12m > 0.4 * k.value12m)
        let pii = try inventory.read { db in
            try Int.fetchOne(db, sql: """
                WITH RECURSIVE down(id) AS (SELECT 'ds-customer-master' UNION SELECT l.downstream FROM lineage l JOIN down ON l.upstream = down.id)
                SELECT COUNT(*) FROM down JOIN models m ON m.id = down.id
                """)
        }
        #expect(pii == 9)
    }
}
