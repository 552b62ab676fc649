#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A data folder: `journal/` (segments), `snapshots/`, and `archive/` for retired
/// segments. One engine at a time may use it: `lock()` takes an exclusive lock on its
/// `LOCK` file.
public struct DataFolder: Sendable {
    public let path: String

    public init(_ path: String) { self.path = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path }

    public var journal: String { path + "/journal" }
    public var snapshots: String { path + "/snapshots" }
    public var archive: String { path + "/archive" }

    /// Creates the folder and takes its lock; fails if another user holds it.
    public func lock() throws(JournalError) -> FolderLock {
        try Folder.create(path)
        let descriptor = open(path + "/LOCK", O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .system("open", path + "/LOCK") }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw JournalError(.locked, "\(path) is in use by another bourse process")
        }
        return FolderLock(descriptor: descriptor)
    }
}

/// The lock on a data folder, held until `release()` or until it is freed (the
/// operating system drops it when the process dies).
public final class FolderLock: @unchecked Sendable {
    private var descriptor: Int32

    init(descriptor: Int32) { self.descriptor = descriptor }

    deinit { release() }

    public func release() {
        guard descriptor >= 0 else { return }
        close(descriptor)
        descriptor = -1
    }
}
