import PackagePlugin
import Foundation

/// Embeds every `schema/NNNN_*.sql` file into the store module as a generated Swift source,
/// so the binary applies exactly the files in schema/ (the single source of truth).
@main
struct EmbedSchemaPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let schemaDir = context.package.directoryURL.appending(path: "schema")
        let files = try FileManager.default.contentsOfDirectory(atPath: schemaDir.path)
            .filter { $0.hasSuffix(".sql") }
            .sorted()
            .map { schemaDir.appending(path: $0) }
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedSchema.swift")
        return [
            .buildCommand(
                displayName: "Embedding schema/ into \(target.name)",
                executable: try context.tool(named: "EmbedSchema").url,
                arguments: [output.path] + files.map(\.path),
                inputFiles: files,
                outputFiles: [output]
            )
        ]
    }
}
