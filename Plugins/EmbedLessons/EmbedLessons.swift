import Foundation
import PackagePlugin

/// Compiles the package's Lessons/*.md (except README.md) into the target as
/// text, so the installed binary needs no lessons folder. The files are the
/// command's inputs: editing, adding or removing one regenerates the source.
@main
struct EmbedLessons: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let folder = context.package.directoryURL.appendingPathComponent("Lessons")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".md") && $0.lowercased() != "readme.md" }
            .sorted()
        let inputs = names.map { folder.appendingPathComponent($0) }
        let output = context.pluginWorkDirectoryURL.appendingPathComponent("BuiltinLessonFiles.swift")
        return [
            .buildCommand(
                displayName: "Embedding \(names.count) lesson files",
                executable: try context.tool(named: "embed-lessons").url,
                arguments: [output.path] + inputs.map(\.path),
                inputFiles: inputs,
                outputFiles: [output]),
        ]
    }
}
