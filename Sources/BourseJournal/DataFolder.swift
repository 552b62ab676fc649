#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A data folder: `journal/` (segments), `snapshots/`, and `archive/` for retired
/// segments. One process at a time may use it: `lock()` takes an exclusive lock on
/// its `LOCK` file for as long as the process lives.
public struct DataFolder: Sendable {
    public let path: String

    public init(_ path: String) { self.path = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path }

    public var journal: String { path + "/journal" }
    public var snapshots: String { path + "/snapshots" }
    public var archive: String { path + "/archive" }

    /// Creates the folder and takes its lock; fails if another process holds it.
    public func lock() throws(JournalError) {
        try Folder.create(path)
        let descriptor = open(path + "/LOCK", O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .system("open", path + "/LOCK") }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw JournalError(.locked, "\(path) is in use by another bourse process")
        }
        // The descriptor stays open (and the lock held) until the process exits.
    }
}
