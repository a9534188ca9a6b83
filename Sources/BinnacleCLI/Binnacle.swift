import ArgumentParser

public struct Binnacle: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "binnacle",
        abstract: "Governs a portfolio of AI models from one SQLite inventory: KPIs, alerts, documents, lineage, audit.",
        subcommands: [
            TUI.self, Init.self, Import.self, Export.self, Ingest.self, DriftCommand.self, Report.self, Check.self, Models.self, Show.self,
            TaskCommand.self, DocCommand.self, StageCommand.self, MonitorCommand.self, PeopleCommand.self, ModelCommand.self,
            Share.self, Migrate.self, Recover.self,
            Audit.self, Snapshot.self, Prepare.self, Generate.self, Demo.self,
        ],
        defaultSubcommand: TUI.self
    )
    public init() {}
}
