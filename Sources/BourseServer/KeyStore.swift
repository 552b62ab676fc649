import Foundation
import Synchronization

/// API keys added through the admin API, kept (as SHA-256 digests) in the data folder's
/// `api-keys` file, one `account<TAB>digest` line each, so that they outlive a restart.
final class KeyStore: Sendable {
    let path: String
    private let lock = Mutex(())

    init(folder: String) { path = folder + "/api-keys" }

    /// The stored keys, as (account, digest).
    func load() throws -> [(account: String, digest: [UInt8])] {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            let parts = line.split(separator: "\t")
            guard parts.count == 2, let digest = Keys.bytes(hex: String(parts[1])), digest.count == 32 else {
                throw ConfigurationError("\(path): a line is not account<TAB>sha256")
            }
            return (String(parts[0]), digest)
        }
    }

    /// Appends a key, synced before the call returns.
    func append(account: String, digest: [UInt8]) throws {
        let line = account + "\t" + digest.map { String(format: "%02x", $0) }.joined() + "\n"
        try lock.withLock { _ in
            let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND, 0o600)
            guard descriptor >= 0 else { throw ConfigurationError("cannot open \(path)") }
            defer { close(descriptor) }
            let written = line.utf8CString.withUnsafeBufferPointer { write(descriptor, $0.baseAddress, $0.count - 1) }
            guard written == line.utf8.count, fsync(descriptor) == 0 else {
                throw ConfigurationError("cannot write \(path)")
            }
        }
    }
}
