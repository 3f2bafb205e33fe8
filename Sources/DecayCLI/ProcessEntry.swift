import Foundation

/// The executable's entry point (`Sources/decay-tutor/main.swift`): the
/// command line against this process's own input, output and environment,
/// ending the process with the command's status. Everything else lives in
/// this library, where tests run commands in-process.
public enum ProcessEntry {
    public static func main() -> Never {
        DecayTutor.configurePretrainingCache()
        exit(DecayTutor.runCommand(Array(CommandLine.arguments.dropFirst())))
    }
}
