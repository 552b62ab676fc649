#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why the journal or a snapshot could not be read or written: a code and a message
/// that names the file (and the offset, for damaged data).
public struct JournalError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// A system call failed (the message has the call, the file and the system's reason).
        case io
        /// A record or snapshot fails its check in a place where that cannot be a torn write.
        case corrupt
        /// Records are missing: sequence numbers jump, or the journal starts after the snapshot.
        case gap
        /// The data folder is in use by another process.
        case locked
        /// A file that is not Bourse's, or from a newer version.
        case unknownFormat
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }

    /// The error of a failed system call on `path`, with `errno`'s reason.
    static func system(_ call: String, _ path: String) -> JournalError {
        JournalError(.io, "\(call) \(path): \(String(cString: strerror(errno)))")
    }
}
