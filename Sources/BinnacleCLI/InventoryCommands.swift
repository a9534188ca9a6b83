import ArgumentParser
import BinnacleBundle
import BinnacleCore
import BinnacleStore
import DisplayText
import Foundation

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create an empty inventory with its first administrator (a risk officer).",
        discussion: "The administrator adds everyone else (`binnacle people add`); nobody else can write until then.")
    @OptionGroup var database: DatabaseOptions
    @Option(help: ArgumentHelp("The first administrator's login (default: yours).", valueName: "login")) var admin: String?
    @Option(name: .customLong("admin-name"), help: ArgumentHelp("Their full name.", valueName: "name")) var adminName: String?
    @Option(name: .customLong("admin-email"), help: ArgumentHelp("Their e-mail.", valueName: "email")) var adminEmail: String?

    func run() throws {
        try running {
            let path = database.path
            if FileManager.default.fileExists(atPath: path) {
                throw Failure(message: "\(path) already exists; nothing was done (choose another --db to start a new inventory)")
            }
            let login = admin ?? currentLogin()
            let entry = try creatingInventory(at: path) {
                try $0.governance.addFirstAdministrator(login: login, name: adminName, email: adminEmail, by: currentLogin(), initial: true)
            }
            Console.out("created empty inventory \(path) with \(login) as its administrator (risk officer) "
                + "(audit #\(entry.seq), head \(entry.hash))\n")
        }
    }
}

struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Load an inventory from elsewhere.",
        subcommands: [ImportBundle.self, ImportMLflow.self, ImportUseCases.self]
    )
}

struct ImportBundle: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bundle",
        abstract: "Load a portfolio bundle (a folder of CSV files) into a new or empty database.",
        discussion: "Every file is validated first; any problem is reported as FILE:LINE: column COL: what is wrong, and nothing is written."
    )
    @OptionGroup var actor: ActorOptions
    @Argument(help: "The bundle folder.") var directory: String
    @Flag(help: "Replace a non-empty inventory in one transaction (the audit log is kept and records the replacement).")
    var replace = false
    @Option(help: ArgumentHelp("Into a new inventory: a first administrator besides the bundle's people.", valueName: "login"))
    var admin: String?

    func run() throws {
        try running {
            let path = actor.database.path
            do {
                let started = Date()
                let summary = try creatingInventory(at: path, admin: admin) {
                    try $0.importer.importBundle(directory: directory, replace: replace, actor: try actor.login())
                }
                let seconds = Date().timeIntervalSince(started)
                let parts = BundleFile.allCases.compactMap { f in summary.rows[f].map { "\(f.rawValue) \($0)" } }
                Console.out("imported \(summary.totalRows) rows from \(directory) into \(path) in \(Format.fixed(seconds, decimals: 2)) s "
                    + "(\(Int(Double(summary.totalRows) / max(seconds, 0.001))) rows/s)\n  \(parts.joined(separator: ", "))\n"
                    + (summary.keptRoles.isEmpty ? "" : "  kept the role and status the inventory gives \(summary.keptRoles.joined(separator: ", ")) "
                        + "(a bundle grants no one anything; change roles with `binnacle people set`)\n")
                    + "  audit #\(summary.auditEntry.seq) \(summary.auditEntry.action), head \(summary.auditEntry.hash)\n")
            } catch let e as BundleErrors {
                throw Failure(message: "\(directory): cannot import\n" + e.description)
            }
        }
    }
}

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Write the inventory out.", subcommands: [ExportBundle.self])
}

struct ExportBundle: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bundle", abstract: "Write the whole inventory as a portfolio bundle into a new folder.")
    @OptionGroup var database: DatabaseOptions
    @Argument(help: "A folder that does not exist yet (or is empty).") var directory: String

    func run() throws {
        try running {
            let counts = try database.open(.read, readOnly: true).exportBundle(to: directory)
            let total = counts.values.reduce(0, +)
            Console.out("exported \(total) rows to \(directory)\n")
        }
    }
}

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The portfolio's KPIs as of a date, by domain, with the 12-month trend.")
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var asOf: AsOfOption
    @Option(help: "Only this domain (business unit).") var domain: String?
    @Option(help: "text, json, csv, markdown or html (the board pack: one self-contained page, for a browser or print).")
    var format: OutputFormat = .text
    @Flag(name: .customLong("emit-sql"), help: ArgumentHelp("Print the SQL the report runs instead of running it.", visibility: .hidden))
    var emitSQL = false

    func run() throws {
        try running {
            if emitSQL { return Console.out(Inventory.reportSQL(asOf: asOf.day, domain: domain)) }
            let inventory = try database.open(.read, readOnly: true)
            try checkDomain(inventory, domain)
            func report() throws -> PortfolioReport { try inventory.report(asOf: asOf.day, domain: domain) }
            switch format {
            case .text: Console.out(try report().text())
            case .json: Console.out(try report().json())
            case .csv: Console.out(try report().csv())
            case .markdown: Console.out(try report().markdown())
            case .html:
                var stream = Console.Stream()
                try inventory.boardPack(asOf: asOf.day, domain: domain).write(to: &stream) { _ in }
                stream.flush()
            }
        }
    }
}

/// A `--domain` that names no domain is a mistake worth saying, not an empty report.
func checkDomain(_ inventory: Inventory, _ domain: String?) throws {
    guard let domain else { return }
    let domains = try inventory.domains()
    if !domains.contains(domain) {
        throw Failure("no domain '\(domain)'; the domains are: \(domains.joined(separator: ", "))")
    }
}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "For cron and CI: print each breach; exit 0 healthy, 1 breached, 2 could not check.")
    @OptionGroup var database: DatabaseOptions
    @Option(name: .customLong("as-of"), help: "Check as of this date (YYYY-MM-DD). Default: today.") var asOf: String?
    @Option(name: .customLong("min-impact-share"), help: "Breach when the impact share is below this (0 to 1).")
    var minImpactShare: Double = Targets.impactShare
    @Option(name: .customLong("fail-on"), help: "critical: breach on critical alerts; warning: on any alert.")
    var failOn: Alert.Severity = .critical

    func run() throws {
        try running(failureCode: 2) {
            var day = Day.today()
            if let asOf {
                guard let d = Day(asOf) else { throw Failure("--as-of '\(asOf)' is not a date (YYYY-MM-DD)", code: 2) }
                day = d
            }
            guard (0...1).contains(minImpactShare) else {
                throw Failure(message: "--min-impact-share \(minImpactShare) is not between 0 and 1", code: 2)
            }
            let inventory = try database.open(.read, readOnly: true)
            let (kpis, alerts, coverage) = try inventory.health(asOf: day)
            var breaches: [SafeText] = []   // one line each, whatever a metric is called
            // No data (no production model, or no value recorded in 90 days) is not a breach: it cannot be checked.
            if let share = KPIName.impactShare.value(kpis), share < minImpactShare {
                let production = "\(kpis.productionWithImpact) of \(kpis.productionModels) production models"
                breaches.append("impact share \(Format.percent(share)) is below \(Format.percent(minImpactShare)) (\(production) have value in 90 days)")
            }
            let impact = KPIName.impactShare.value(kpis) == nil
                ? "impact share \(TargetStatus.noData.label) (not checkable: "
                    + (kpis.productionModels == 0 ? "no production models" : "no value recorded in 90 days") + ")"
                : "impact share \(Format.percent(kpis.impactShare))"
            for alert in alerts where alert.severity == .critical || failOn == .warning {
                breaches.append("\(alert.severity.rawValue) alert on \(alert.modelId): \(alert.summary)")
            }
            if breaches.isEmpty {
                Console.out("healthy as of \(day): \(impact), "
                    + "alerts \(Format.alerts(critical: kpis.alertsCritical, models: kpis.modelsWithCritical, warning: kpis.alertsWarning))"
                    + "\(coverage.monitors ? "" : " (no monitors recorded)")\n")
            } else {
                var out: SafeText = ""
                for breach in breaches { out += "BREACH \(breach)\n" }
                Console.out(out.description)
                Console.out("\(breaches.count) breach\(breaches.count == 1 ? "" : "es") as of \(day); \(impact)\n")
                throw ExitCode(1)
            }
        }
    }
}

extension Alert.Severity: ExpressibleByArgument {}
