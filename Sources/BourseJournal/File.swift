#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An open file descriptor with the few calls the journal needs; every failure is a
/// `JournalError` naming the call and the file.
struct File {
    let descriptor: Int32
    let path: String

    enum Mode {
        case read
        /// Read and write, created if missing.
        case update
        /// Write only, created, and emptied if it exists.
        case create
    }

    init(_ path: String, _ mode: Mode) throws(JournalError) {
        let flags: Int32
        switch mode {
        case .read: flags = O_RDONLY
        case .update: flags = O_RDWR | O_CREAT
        case .create: flags = O_WRONLY | O_CREAT | O_TRUNC
        }
        let descriptor = open(path, flags | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .system("open", path) }
        self.descriptor = descriptor
        self.path = path
    }

    func close() { _ = Glibc.close(descriptor) }

    var size: Int {
        get throws(JournalError) {
            var status = stat()
            guard fstat(descriptor, &status) == 0 else { throw .system("fstat", path) }
            return Int(status.st_size)
        }
    }

    /// Writes all of `bytes` at `offset`.
    func write(_ bytes: UnsafeRawBufferPointer, at offset: Int) throws(JournalError) {
        var done = 0
        while done < bytes.count {
            let result = pwrite(descriptor, bytes.baseAddress! + done, bytes.count - done, off_t(offset + done))
            if result < 0 {
                if errno == EINTR { continue }
                throw .system("write", path)
            }
            done += result
        }
    }

    /// The whole file.
    func readAll() throws(JournalError) -> [UInt8] {
        let count = try size
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let result = bytes.withUnsafeMutableBytes { buffer in
                pread(descriptor, buffer.baseAddress! + done, count - done, off_t(done))
            }
            if result < 0 {
                if errno == EINTR { continue }
                throw .system("read", path)
            }
            if result == 0 { break }
            done += result
        }
        return Array(bytes[..<done])
    }

    /// Flushes the file's data (and the metadata needed to read it back) to the disk.
    func syncData() throws(JournalError) {
        guard fdatasync(descriptor) == 0 else { throw .system("fdatasync", path) }
    }

    func sync() throws(JournalError) {
        guard fsync(descriptor) == 0 else { throw .system("fsync", path) }
    }

    func truncate(to length: Int) throws(JournalError) {
        guard ftruncate(descriptor, off_t(length)) == 0 else { throw .system("ftruncate", path) }
    }
}

/// Folder operations: listing, creating, syncing (a new or renamed file is durable
/// only once its folder is synced), renaming, removing.
enum Folder {
    /// Creates `path` and any missing folder above it.
    static func create(_ path: String) throws(JournalError) {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for part in path.split(separator: "/") {
            prefix += part
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST { throw .system("mkdir", prefix) }
            prefix += "/"
        }
    }

    /// The names of the entries of `path` (not `.` and `..`), sorted.
    static func entries(_ path: String) throws(JournalError) -> [String] {
        guard let folder = opendir(path) else { throw .system("opendir", path) }
        defer { closedir(folder) }
        var names: [String] = []
        while let entry = readdir(folder) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    static func sync(_ path: String) throws(JournalError) {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .system("open", path) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw .system("fsync", path) }
    }

    static func rename(_ from: String, _ to: String) throws(JournalError) {
        guard Glibc.rename(from, to) == 0 else { throw .system("rename", from) }
    }

    static func remove(_ path: String) throws(JournalError) {
        guard unlink(path) == 0 || errno == ENOENT else { throw .system("unlink", path) }
    }

    static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }
}
