import Foundation

/// The executable's entry point (`Sources/decay-tutor/main.swift`): the
/// command line against this process's own input, output and environment,
/// ending the process with the command's status. Everything else lives in
/// this library, where tests run commands in-process.
public enum ProcessEntry {
    public static func main() -> Never {
        occupyClosedStandardDescriptors()
        DecayTutor.configurePretrainingCache()
        exit(DecayTutor.runCommand(Array(CommandLine.arguments.dropFirst())))
    }

    /// A standard descriptor the parent closed (`decay-tutor bench >&-`) is
    /// opened on /dev/null the wrong way round, before anything else can
    /// open a file and be given its number: otherwise output meant for
    /// stdout would go into whatever file took descriptor 1. Writing to a
    /// descriptor open only for reading fails with EBADF, which is said as
    /// "standard output is closed" (status 74), as for every command.
    static func occupyClosedStandardDescriptors() {
        for fd in [STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO] where fcntl(fd, F_GETFD) < 0 && errno == EBADF {
            let opened = open("/dev/null", fd == STDIN_FILENO ? O_WRONLY : O_RDONLY)
            if opened >= 0 && opened != fd {
                dup2(opened, fd)
                close(opened)
            }
        }
    }
}
