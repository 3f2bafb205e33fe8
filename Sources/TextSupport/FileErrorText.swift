import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A failed file operation said as a sentence for the learner, never as
/// Foundation's error dump (`Error Domain=NSCocoaErrorDomain Code=516 …`):
/// what is wrong with which path, and what to do about it.
public enum FileErrorText {
    /// The reason an errno gives, in words a learner can act on.
    public static func explain(_ code: Int32) -> String {
        switch code {
        case ENOENT: "no such file or folder"
        case ENOTDIR: "a part of the path is a file, not a folder"
        case EACCES, EPERM: "permission denied"
        case ELOOP: "the path has a symbolic link that leads in a loop"
        case ENOSPC: "no space left on the device"
        case EROFS: "the file system is read-only"
        case EDQUOT: "the disk quota is exhausted"
        case EEXIST: "a file is already there"
        case EISDIR: "it is a folder"
        default: String(cString: strerror(code))
        }
    }

    /// What a path that is not a regular file is, from its `st_mode & S_IFMT`,
    /// for messages such as "it is a folder, not a lesson file".
    public static func kind(_ type: mode_t) -> String {
        switch type {
        case S_IFDIR: "a folder"
        case S_IFIFO: "a FIFO (named pipe)"
        case S_IFSOCK: "a socket"
        case S_IFCHR, S_IFBLK: "a device"
        default: "a special file"
        }
    }

    /// The errno behind a Foundation or POSIX error, when there is one.
    public static func errnoCode(of error: Error) -> Int32? {
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? Error {
            let posix = underlying as NSError
            if posix.domain == NSPOSIXErrorDomain { return Int32(posix.code) }
        }
        if ns.domain == NSPOSIXErrorDomain { return Int32(ns.code) }
        guard ns.domain == NSCocoaErrorDomain else { return nil }
        switch ns.code {
        case NSFileWriteNoPermissionError, NSFileReadNoPermissionError: return EACCES
        case NSFileNoSuchFileError, NSFileReadNoSuchFileError: return ENOENT
        case NSFileWriteOutOfSpaceError: return ENOSPC
        case NSFileWriteVolumeReadOnlyError: return EROFS
        default: return nil
        }
    }

    /// `explain` for the errno behind `error`; otherwise Foundation's own
    /// one-line description, never its dictionary dump.
    public static func describe(_ error: Error) -> String {
        if let code = errnoCode(of: error) { return explain(code) }
        let ns = error as NSError
        if ns.domain == NSCocoaErrorDomain {
            switch ns.code {
            case NSFileWriteFileExistsError, 512: return "a part of the path is a file, not a folder"
            case NSFileWriteNoPermissionError, NSFileReadNoPermissionError: return "permission denied"
            case NSFileNoSuchFileError, NSFileReadNoSuchFileError: return "no such file or folder"
            case NSFileWriteOutOfSpaceError: return "no space left on the device"
            case NSFileWriteVolumeReadOnlyError: return "the file system is read-only"
            default: break
            }
            return ns.localizedFailureReason ?? ns.localizedDescription
        }
        if ns.domain == NSPOSIXErrorDomain { return explain(Int32(ns.code)) }
        if let described = error as? CustomStringConvertible { return described.description }
        return ns.localizedDescription
    }

    /// Why `folder` cannot be made or used, found by looking at it and at
    /// each folder above it: a dangling symbolic link, a file in a folder's
    /// place, a folder without write permission. Nil when nothing is wrong
    /// with the path itself (the cause was elsewhere: a full disk, say).
    public static func folderProblem(_ folder: String) -> String? {
        var path = folder
        var below: String? = nil
        while !path.isEmpty {
            var info = stat()
            if lstat(path, &info) == 0 {
                let kind = info.st_mode & S_IFMT
                if kind == S_IFLNK {
                    var target = stat()
                    if stat(path, &target) != 0 {
                        return "\(path) is a symbolic link to \(errno == ELOOP ? "itself, in a loop" : "a folder that does not exist"); "
                            + "remove the link, or create the folder it points to"
                    }
                    if (target.st_mode & S_IFMT) != S_IFDIR { return "\(path) is a link to a file, not a folder; remove it or rename it" }
                } else if kind != S_IFDIR {
                    return "\(path) is a file, not a folder; remove it or rename it"
                }
                if below != nil || path == folder, access(path, W_OK | X_OK) != 0, errno == EACCES || errno == EROFS {
                    let why = errno == EROFS ? "is on a read-only file system" : "is not writable by this user"
                    return "\(path) \(why); give your user write access to it (chmod u+w \(path)) or choose another folder"
                }
                return nil
            }
            below = path
            let parent = (path as NSString).deletingLastPathComponent
            if parent == path { break }
            path = parent
        }
        return nil
    }
}
