import BinnacleBundle
import BinnacleCore
@testable import BinnacleStore
import Foundation
import Testing

/// The examiner's evidence pack (`binnacle evidence`): written, verified, and each kind of tampering named.
@Suite struct EvidencePackTests {
    /// A generated portfolio whose audit history (the 60 days before its extract) reaches past D.
    static let d = Day("2026-01-10")!
    static let folder = try! TempDir()
    static let inventory: Inventory = {
        try! PortfolioGenerator(models: 100, seed: 11, asOf: Day("2026-01-15")!).write(to: folder.path("generated"))
        let inventory = try! Inventory(path: folder.path("live.sqlite"), mode: .create)
        _ = try! inventory.importer.importBundle(directory: folder.path("generated"), replace: false, actor: "t")
        return inventory
    }()
    static let pack: String = {
        try! inventory.writeEvidencePack(asOf: d, to: folder.path("pack"), version: BinnacleVersion.current)
        return folder.path("pack")
    }()

    /// A copy of the pack to tamper with.
    func copy() throws -> String {
        let target = try TempDir().path("pack")
        try FileManager.default.copyItem(atPath: Self.pack, toPath: target)
        return target
    }

    @Test func aPackIsWrittenWithEveryPartAndVerifies() throws {
        let verdict = try EvidencePack.verify(Self.pack, live: Self.inventory)
        #expect(verdict.problems == [])
        // Written again from the live inventory with the manifest's time and version, every byte is the same.
        #expect(verdict.rebuilt)
        let manifest = try #require(verdict.manifest)
        let portfolio = try Self.inventory.portfolioInfo().portfolio
        #expect(manifest.asOf == Self.d && manifest.version == BinnacleVersion.current && manifest.portfolio == portfolio)
        let paths = Set(manifest.files.map(\.path))
        for file in ["index.html", "report.json", "audit.jsonl", "bundle/models.csv", "bundle/stages.csv", "bundle/audit.csv"] {
            #expect(paths.contains(file), "\(file)")
        }
        // The head at D is the last entry dated on or before D; the import's own entry (dated today) is after it.
        let entries = try Self.inventory.auditLog(model: nil, actor: nil, since: nil)
        let head = try #require(entries.last { $0.at < Self.d.adding(days: 1).description })
        #expect(manifest.auditSeq == head.seq && manifest.auditHead == head.hash && manifest.auditEntries == head.seq)
        #expect(verdict.anchoredAt == head.seq && head.seq < entries.count)
        let lines = try String(contentsOfFile: Self.pack + "/audit.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(lines.count == head.seq)
        // report.json is exactly `report --as-of D --format json`.
        #expect(try String(contentsOfFile: Self.pack + "/report.json", encoding: .utf8) == Self.inventory.report(asOf: Self.d).json())
    }

    @Test func theBundleReimportedReportsTheSameKPIsAsTheLiveInventoryAtD() throws {
        let dir = try TempDir()
        let again = try Inventory(path: dir.path("again.sqlite"), mode: .create)
        _ = try again.importer.importBundle(directory: Self.pack + "/bundle", replace: false, actor: "t")
        #expect(try again.report(asOf: Self.d).json() == Self.inventory.report(asOf: Self.d).json())
        #expect(try again.modelSummaries(asOf: Self.d) == Self.inventory.modelSummaries(asOf: Self.d))
        #expect(try again.portfolioInfo().asOf == Self.d)
        // Nothing dated after D travelled.
        let later = try again.read { db in
            try Int.fetchOne(db, sql: """
                SELECT (SELECT COUNT(*) FROM stage_changes WHERE changed_at >= :n) + (SELECT COUNT(*) FROM observations WHERE observed_at >= :n)
                  + (SELECT COUNT(*) FROM value_records WHERE date >= :n) + (SELECT COUNT(*) FROM tasks WHERE created_at >= :n OR closed_at >= :n)
                  + (SELECT COUNT(*) FROM documents WHERE approved_at >= :n)
                """, arguments: ["n": Self.d.adding(days: 1).description])
        }
        #expect(later == 0)
    }

    /// The rule fixture's edge cases (approved after D, closed after D, same-day changes): the cut changes no KPI at D.
    @Test func theCutKeepsEveryKPIOnTheRuleEdgeCases() throws {
        let dir = try TempDir()
        let d = DomainRuleTests.d
        try DomainRuleTests.inventory.writeEvidencePack(asOf: d, to: dir.path("pack"), version: "t")
        let again = try Inventory(path: dir.path("again.sqlite"), mode: .create)
        _ = try again.importer.importBundle(directory: dir.path("pack/bundle"), replace: false, actor: "t")
        #expect(try again.report(asOf: d).json() == DomainRuleTests.inventory.report(asOf: d).json())
        #expect(try again.modelSummaries(asOf: d) == DomainRuleTests.inventory.modelSummaries(asOf: d))
        #expect(try EvidencePack.verify(dir.path("pack")).problems == [])
    }

    @Test func aChangedByteInAnyFileIsNamed() throws {
        let manifest = try #require(try EvidencePack.verify(Self.pack).manifest)
        for file in manifest.files.map(\.path) + ["manifest.json", "SHA256SUMS"] {
            let pack = try copy()
            var bytes = try Data(contentsOf: URL(fileURLWithPath: pack + "/" + file))
            let i = bytes.count / 2
            bytes[i] = bytes[i] == UInt8(ascii: "0") ? UInt8(ascii: "1") : UInt8(ascii: "0")
            try bytes.write(to: URL(fileURLWithPath: pack + "/" + file))
            let problems = try EvidencePack.verify(pack).problems
            #expect(problems.contains { $0.hasPrefix(file) || $0.contains(" \(file)") }, "\(file): \(problems)")
        }
    }

    @Test func anAuditEntryRemovedBreaksTheChainAndTheHash() throws {
        let pack = try copy()
        var lines = try String(contentsOfFile: pack + "/audit.jsonl", encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count > 4)
        lines.remove(at: 2)
        try lines.joined(separator: "\n").write(toFile: pack + "/audit.jsonl", atomically: true, encoding: .utf8)
        let problems = try EvidencePack.verify(pack).problems
        #expect(problems.contains("audit.jsonl: changed (its SHA-256 or size differs from the manifest)"))
        #expect(problems.contains("audit.jsonl line 3: the chain breaks at entry 4: entry 3 is missing"), "\(problems)")
    }

    /// The attacker re-hashes the manifest and SHA256SUMS after changing the pack.
    func rehash(_ pack: String, _ edit: (inout EvidenceManifest) -> Void = { _ in }) throws {
        var manifest = try #require(try EvidencePack.verify(Self.pack).manifest)
        edit(&manifest)
        for i in manifest.files.indices {
            let digest = try EvidencePack.digest(pack + "/" + manifest.files[i].path)
            manifest.files[i].sha256 = digest.sha256
            manifest.files[i].bytes = digest.bytes
        }
        try manifest.json.write(toFile: pack + "/manifest.json", atomically: true, encoding: .utf8)
        let manifestDigest = try EvidencePack.digest(pack + "/manifest.json")
        try EvidencePack.sums(manifest.files + [.init(path: "manifest.json", sha256: manifestDigest.sha256, bytes: manifestDigest.bytes)])
            .write(toFile: pack + "/SHA256SUMS", atomically: true, encoding: .utf8)
    }

    @Test func aModelRowChangedAndRehashedIsCaughtByTheKPIs() throws {
        let pack = try copy()
        let production = try #require(try Self.inventory.modelSummaries(asOf: Self.d, stage: .production).first)
        let path = pack + "/bundle/models.csv"
        let models = try String(contentsOfFile: path, encoding: .utf8)
        let tampered = models.split(separator: "\n").map { line -> String in
            guard line.hasPrefix(production.id + ",") else { return String(line) }
            return line.replacingOccurrences(of: ",\(production.domain),", with: ",Elsewhere,")
        }.joined(separator: "\n") + "\n"
        #expect(tampered != models)
        try tampered.write(toFile: path, atomically: true, encoding: .utf8)
        try rehash(pack)
        let problems = try EvidencePack.verify(pack).problems
        #expect(problems.count == 1 && problems[0].hasPrefix("report.json: domains[") && problems[0].contains("recomputed from bundle/"),
                "\(problems)")
    }

    @Test func theBundlesHistoryChangedAndRehashedIsCaughtByTheChain() throws {
        let pack = try copy()
        let path = pack + "/bundle/audit.csv"
        var lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        lines.remove(at: 2)
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        try rehash(pack)
        let problems = try EvidencePack.verify(pack).problems
        #expect(problems == ["bundle/audit.csv: its history does not rebuild the pack's audit chain up to its head (entries changed, removed or added)"])
    }

    @Test func aHeadMissingFromTheLiveChainIsNamed() throws {
        // The live inventory re-created: an administrator first, then the same bundle; every entry moves.
        let pack = Self.pack  // (the generated bundle is written with it)
        let dir = try TempDir()
        let recreated = try Inventory(path: dir.path("recreated.sqlite"), mode: .create)
        try recreated.governance.addFirstAdministrator(login: "root", name: nil, email: nil, by: "t", initial: true)
        _ = try recreated.importer.importBundle(directory: Self.folder.path("generated"), replace: false, actor: "root")
        let problems = try EvidencePack.verify(pack, live: recreated).problems
        #expect(problems.count == 1 && problems[0].contains("the pack's audit head (entry") && problems[0].contains("is not in its chain"), "\(problems)")
    }

    @Test func theCommandLineWritesVerifiesAndRefuses() throws {
        let dir = try TempDir()
        let pack = dir.path("cli-pack")
        let db = Self.inventory.path
        let wrote = try binnacle(["evidence", "--as-of", Self.d.description, "--out", pack, "--db", db])
        #expect(wrote.status == 0 && wrote.out.contains("wrote the evidence pack"), "\(wrote)")
        let verified = try binnacle(["evidence", "verify", pack, "--db", db])
        #expect(verified.status == 0 && verified.out.hasPrefix("verified: ") && verified.out.contains("every file is what"), "\(verified)")
        // A pack is never written over, and nothing is left beside it.
        let again = try binnacle(["evidence", "--as-of", Self.d.description, "--out", pack, "--db", db])
        #expect(again.status == 1 && again.err.contains("already exists"), "\(again)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.url.path) == ["cli-pack"])
        let future = try binnacle(["evidence", "--as-of", Day.today().adding(days: 2).description, "--out", dir.path("f"), "--db", db])
        #expect(future.status == 1 && future.err.contains("is in the future"), "\(future)")
        let early = try binnacle(["evidence", "--as-of", "1990-01-01", "--out", dir.path("e"), "--db", db])
        #expect(early.status == 1 && early.err.contains("no model existed yet"), "\(early)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.url.path) == ["cli-pack"])
        // Tampered: 1; not a pack: 2.
        try Data("x".utf8).write(to: URL(fileURLWithPath: pack + "/extra.txt"))
        let tampered = try binnacle(["evidence", "verify", pack])
        #expect(tampered.status == 1 && tampered.err.contains("extra.txt: added"), "\(tampered)")
        let notAPack = try binnacle(["evidence", "verify", dir.path("nowhere")])
        #expect(notAPack.status == 2, "\(notAPack)")
    }

    @Test func aReaderWithoutWritePermissionWritesAPackAndLeavesNothingBesideTheInventory() throws {
        let dir = try TempDir()
        try FileManager.default.createDirectory(atPath: dir.path("shared"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Self.inventory.path, toPath: dir.path("shared/inv.sqlite"))
        chmod(dir.path("shared/inv.sqlite"), 0o444)
        chmod(dir.path("shared"), 0o555)
        defer { chmod(dir.path("shared"), 0o755) }
        let result = try binnacle(["evidence", "--as-of", Self.d.description, "--out", dir.path("pack"), "--db", dir.path("shared/inv.sqlite")])
        #expect(result.status == 0, "\(result)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path("shared")) == ["inv.sqlite"])
    }

    @Test func sha256sumChecksThePackWithoutBinnacle() throws {
        let tool = URL(fileURLWithPath: "/usr/bin/sha256sum")
        guard FileManager.default.isExecutableFile(atPath: tool.path) else { return }
        let result = try run(tool, ["-c", "--strict", "SHA256SUMS"], cwd: Self.pack)
        #expect(result.status == 0 && !result.out.contains("FAILED"), "\(result)")
    }

    @Test func hostileTextInTheIndexRendersAsText() throws {
        var f = Fixture()
        f.model("evil")
        f.rows[.models]![0][1] = "<script>alert('x')</script>\u{1B}[31m"
        f.stage("evil", "production", "2024-02-01")
        let dir = try TempDir()
        try f.inventory().writeEvidencePack(asOf: day("2024-06-30"), to: dir.path("pack"), version: "t")
        let html = try String(contentsOfFile: dir.path("pack/index.html"), encoding: .utf8)
        #expect(!html.contains("<script") && !html.contains("\u{1B}"))
        #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"))
    }

    // MARK: what the live inventory proves

    @Test func indexOrPeopleEditedAndRehashedDifferFromTheLiveInventory() throws {
        for (file, from, to) in [("index.html", "Evidence pack", "Evidence pock"), ("bundle/people.csv", "@", "#")] {
            let pack = try copy()
            let text = try String(contentsOfFile: pack + "/" + file, encoding: .utf8)
            let edited = text.replacingOccurrences(of: from, with: to)
            #expect(edited != text)
            try edited.write(toFile: pack + "/" + file, atomically: true, encoding: .utf8)
            try rehash(pack)
            #expect(try EvidencePack.verify(pack).problems == [], "without --db a re-hashed pack is only consistent with itself")
            let problems = try EvidencePack.verify(pack, live: Self.inventory).problems
            #expect(problems == ["\(file): differs from what the live inventory gives for \(Self.d): edited, or facts dated ≤ \(Self.d) changed since"],
                    "\(problems)")
        }
    }

    /// The pack's audit trail cut back to `keep` entries, consistently everywhere, and re-hashed.
    func shortened(keep: Int) throws -> String {
        let pack = try copy()
        let lines = try String(contentsOfFile: pack + "/audit.jsonl", encoding: .utf8).split(separator: "\n")
        try lines.prefix(keep).map { $0 + "\n" }.joined().write(toFile: pack + "/audit.jsonl", atomically: true, encoding: .utf8)
        let csv = try String(contentsOfFile: pack + "/bundle/audit.csv", encoding: .utf8).split(separator: "\n")
        try csv.prefix(keep + 1).map { $0 + "\n" }.joined().write(toFile: pack + "/bundle/audit.csv", atomically: true, encoding: .utf8)
        let head = keep == 0 ? AuditLog.genesis : try #require(try Self.inventory.auditLog(model: nil, actor: nil, since: nil).first { $0.seq == keep }).hash
        try rehash(pack) { $0.auditHead = head; $0.auditSeq = keep; $0.auditEntries = keep }
        return pack
    }

    @Test func aShortenedAuditTrailIsNotTheLiveHeadAtD() throws {
        let manifest = try #require(try EvidencePack.verify(Self.pack).manifest)
        let pack = try shortened(keep: manifest.auditSeq - 3)
        #expect(try EvidencePack.verify(pack).problems == [])
        let problems = try EvidencePack.verify(pack, live: Self.inventory).problems
        #expect(problems.contains("\(Self.inventory.path): its audit head at \(Self.d) is entry \(manifest.auditSeq) (\(manifest.auditHead)); "
            + "the pack's is entry \(manifest.auditSeq - 3): entries were cut from the pack, or this is another inventory"), "\(problems)")
    }

    @Test func aPackClaimingNoAuditEntryIsRefusedWhenTheLiveChainHasOne() throws {
        let pack = try shortened(keep: 0)
        let problems = try EvidencePack.verify(pack, live: Self.inventory).problems
        #expect(problems.contains { $0.hasPrefix("\(Self.inventory.path): its audit head at \(Self.d) is entry ") && $0.contains("the pack's is entry 0") },
                "\(problems)")
    }

    @Test func entriesAppendedToTheBundlesHistoryAreCaught() throws {
        let pack = try copy()
        let path = pack + "/bundle/audit.csv"
        try (String(contentsOfFile: path, encoding: .utf8) + "2026-01-10T12:00:00Z,mallory,note,m1,{}\n")
            .write(toFile: path, atomically: true, encoding: .utf8)
        try rehash(pack)
        let problems = try EvidencePack.verify(pack).problems
        #expect(problems == ["bundle/audit.csv: its history does not rebuild the pack's audit chain up to its head (entries changed, removed or added)"],
                "\(problems)")
    }

    // MARK: what a pack folder may hold

    @Test func aSymlinkOrAnEmptyFolderInThePackIsNamed() throws {
        let pack = try copy()
        let outside = try TempDir().path("index.html")
        try FileManager.default.moveItem(atPath: pack + "/index.html", toPath: outside)
        try FileManager.default.createSymbolicLink(atPath: pack + "/index.html", withDestinationPath: outside)
        try FileManager.default.createDirectory(atPath: pack + "/bundle/empty", withIntermediateDirectories: false)
        let problems = try EvidencePack.verify(pack).problems
        #expect(problems.contains("index.html: not a regular file (a symbolic link, a FIFO or a device); a pack holds only files and folders"), "\(problems)")
        #expect(problems.contains("bundle/empty: an empty folder (the manifest lists nothing in it)"), "\(problems)")
    }

    @Test func aFIFOInPlaceOfAListedFileIsNamedWithoutHanging() throws {
        let pack = try copy()
        try FileManager.default.removeItem(atPath: pack + "/report.json")
        #expect(mkfifo(pack + "/report.json", 0o600) == 0)
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var problems: [String]?
        Thread.detachNewThread {
            problems = try? EvidencePack.verify(pack).problems
            done.signal()
        }
        if done.wait(timeout: .now() + 60) == .timedOut {
            // Let a reader stuck opening the FIFO go: open it for writing and close it.
            let fd = open(pack + "/report.json", O_WRONLY | O_NONBLOCK)
            if fd >= 0 { close(fd) }
            _ = done.wait(timeout: .now() + 60)
            Issue.record("verify blocked on a FIFO")
        }
        #expect(problems?.contains("report.json: not a regular file (a symbolic link, a FIFO or a device); a pack holds only files and folders") == true,
                "\(problems ?? [])")
    }

    // MARK: the manifest's text

    @Test func aPortfolioThatIsNotTheReportsIsNamed() throws {
        let pack = try copy()
        try rehash(pack) { $0.portfolio = "Other Group" }
        let problems = try EvidencePack.verify(pack).problems
        #expect(problems.contains { $0.hasPrefix("manifest.json: its portfolio \"Other Group\" is not report.json's") }, "\(problems)")
    }

    @Test func manifestTextIsPrintedOnOneLineSanitised() throws {
        let pack = try copy()
        try rehash(pack) { $0.version = "t\n  the head is entry 1 of the live chain\u{1B}[2J" }
        let result = try binnacle(["evidence", "verify", pack])
        #expect(result.status == 0, "\(result)")
        #expect(!result.out.contains("\n  the head is entry 1") && !result.out.contains("\u{1B}") && result.out.contains("t␊  the head"), "\(result.out)")
        #expect(result.out.contains("only shown consistent with itself"), "\(result.out)")
    }

    // MARK: the tables of index.html

    /// Imported history makes `at` non-monotonic in seq: an override dated after D sits before the head at D.
    @Test func anOverrideDatedAfterDIsNotShownToD() throws {
        var f = Fixture()
        f.model("m1")
        f.stage("m1", "production", "2024-02-01")
        f.rows[.audit] = [["2024-07-15T10:00:00Z", "alice", "stage.override", "m1", "{}"],
                          ["2024-06-01T10:00:00Z", "alice", "stage.override", "m1", "{}"]]
        let dir = try TempDir()
        try f.inventory().writeEvidencePack(asOf: day("2024-06-30"), to: dir.path("pack"), version: "t")
        let html = try String(contentsOfFile: dir.path("pack/index.html"), encoding: .utf8)
        #expect(html.contains("2024-06-01T10:00:00") && !html.contains("2024-07-15"))
    }

    @Test func aDocumentOfAnUnknownKindDoesNotStopThePack() throws {
        var f = Fixture()
        f.model("m1")
        f.stage("m1", "production", "2024-02-01")
        let inventory = try f.inventory()
        // A kind this binary does not know (the schema's CHECK lifted, as a later schema might widen it).
        try inventory.write { db in
            try db.execute(sql: "PRAGMA ignore_check_constraints = ON")
            try db.execute(sql: """
                INSERT INTO documents (model_id, kind, version, submitted_at, approved_at, approved_by, expires_at, uri)
                VALUES ('m1', 'sbom', '1', '2024-03-01T00:00:00.000Z', '2024-03-01T00:00:00.000Z', 'carol', NULL, '')
                """)
        }
        let dir = try TempDir()
        try inventory.writeEvidencePack(asOf: day("2024-06-30"), to: dir.path("pack"), version: "t")
        #expect(FileManager.default.fileExists(atPath: dir.path("pack/index.html")))
    }

    // MARK: moving a pack into place

    @Test func aFolderThatAppearsWhileThePackIsWrittenIsNeverRemoved() throws {
        let dir = try TempDir()
        for existing in [Inventory.ExistingFolder.refuse("new folder"), .mustBeEmpty("empty folder")] {
            let target = dir.path("target-\(UUID().uuidString)")
            #expect(throws: StoreError.self) {
                try Inventory.writeFolder(target, whenExisting: existing) { staging in
                    // A colleague creates the folder meanwhile, with work in it.
                    try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: false)
                    try Data("mine".utf8).write(to: URL(fileURLWithPath: target + "/notes.txt"))
                    try Data("pack".utf8).write(to: URL(fileURLWithPath: staging + "/index.html"))
                }
            }
            #expect(try FileManager.default.contentsOfDirectory(atPath: target) == ["notes.txt"])
            #expect(try String(contentsOfFile: target + "/notes.txt", encoding: .utf8) == "mine")
        }
        // An empty folder that appears meanwhile is still filled when an export may fill an empty folder.
        let target = dir.path("empty-meanwhile")
        try Inventory.writeFolder(target, whenExisting: .mustBeEmpty("empty folder")) { staging in
            try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: false)
            try Data("pack".utf8).write(to: URL(fileURLWithPath: staging + "/index.html"))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: target) == ["index.html"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.url.path).filter { $0.hasPrefix(".") } == [])
    }
}
