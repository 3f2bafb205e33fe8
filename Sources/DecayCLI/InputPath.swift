import Foundation
import TextSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file or folder named on the command line (`--lessons DIR`,
/// `check PATH`), looked at before it is read, so that every command says
/// the same thing with the same status (66, EX_NOINPUT) when it cannot be:
/// no such path, no permission, a symbolic link loop, a file where a folder
/// is wanted.
enum InputPath {
    /// Why `path` cannot be read as a folder of lessons, or nil.
    static func folderProblem(_ path: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0 else { return reason(errno) }
        guard (info.st_mode & S_IFMT) == S_IFDIR else {
            return "is a file, not a folder (to check one lesson file: decay-tutor check FILE)"
        }
        guard let dir = opendir(path) else { return reason(errno) }
        closedir(dir)
        return nil
    }

    /// Why `path` cannot be read as a lesson file or a folder of them, or nil.
    static func fileOrFolderProblem(_ path: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0 else { return reason(errno) }
        if (info.st_mode & S_IFMT) == S_IFDIR { return folderProblem(path) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { return "is not a regular file (a FIFO or a device)" }
        guard access(path, R_OK) == 0 else { return reason(errno) }
        return nil
    }

    static func reason(_ code: Int32) -> String {
        switch code {
        case EACCES, EPERM: "permission denied (this user cannot read it, or cannot enter a folder on its path)"
        case ELOOP: "a symbolic link on the path leads in a loop"
        default: FileErrorText.explain(code)
        }
    }
}
