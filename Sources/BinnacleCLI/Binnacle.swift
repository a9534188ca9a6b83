import ArgumentParser
import BinnacleCore
import DisplayText
import Foundation

public struct Binnacle: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "binnacle",
        abstract: "Governs a portfolio of AI models from one SQLite inventory: KPIs, alerts, documents, lineage, audit.",
        version: BinnacleVersion.current,
        subcommands: [
            TUI.self, Init.self, Import.self, Export.self, Ingest.self, DriftCommand.self, Report.self, Check.self, Models.self, Show.self,
            TaskCommand.self, DocCommand.self, StageCommand.self, MonitorCommand.self, PeopleCommand.self, ModelCommand.self,
            Share.self, Migrate.self, Recover.self,
            Audit.self, Evidence.self, Snapshot.self, Prepare.self, Generate.self, Demo.self, KPICommand.self,
        ],
        defaultSubcommand: TUI.self
    )
    public init() {}

    /// Runs the command line. A first word that names no command is said to be one, rather than
    /// handed to the default command (the dashboard) as a stray argument.
    public static func mainNamingUnknownCommands() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if let first = arguments.first, !first.hasPrefix("-"), first != "help" {
            let names = configuration.subcommands.map { $0.configuration.commandName ?? "\($0)".lowercased() }
            if !names.contains(first) {
                FileHandle.standardError.write(Data(("binnacle: '\(DisplayWidth.sanitize(first))' is not a command; the commands are: "
                    + names.joined(separator: ", ") + " (see `binnacle --help`)\n").utf8))
                Foundation.exit(64)  // EX_USAGE, as ArgumentParser exits for other usage errors
            }
        }
        main()
    }
}
