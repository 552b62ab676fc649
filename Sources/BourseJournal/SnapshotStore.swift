import CRC32C

/// Snapshot files: `snapshots/<seq, 20 digits>.snap`, each the venue's encoded state
/// after record `seq`:
///
///     "BRSS" | format u32 | seq u64 | state length u64 | state | crc32c u32 (of all before)
///
/// A snapshot is written to a temporary file, synced, renamed into place and its
/// folder synced, so a crash leaves either the whole new snapshot or none.
public enum SnapshotStore {
    static let magic: [UInt8] = Array("BRSS".utf8)
    static let format: UInt32 = 1
    static let suffix = ".snap"
    static let headerSize = 24

    public struct Snapshot: Sendable {
        /// The last command whose effects the state holds.
        public var seq: UInt64
        public var state: [UInt8]
        public var path: String
    }

    static func name(seq: UInt64) -> String {
        let digits = String(seq)
        return String(repeating: "0", count: max(0, 20 - digits.count)) + digits + suffix
    }

    /// The snapshots in `folder`, oldest first.
    public static func list(_ folder: String) throws(JournalError) -> [(seq: UInt64, path: String)] {
        guard Folder.exists(folder) else { return [] }
        return try Folder.entries(folder).compactMap { name -> (UInt64, String)? in
            guard name.hasSuffix(suffix), name.utf8.count == 20 + suffix.utf8.count,
                let seq = UInt64(name.dropLast(suffix.count))
            else { return nil }
            return (seq, folder + "/" + name)
        }.sorted { $0.0 < $1.0 }
    }

    /// Writes `state` (after record `seq`) atomically and returns its path.
    @discardableResult
    public static func write(state: [UInt8], seq: UInt64, folder: String) throws -> String {
        try Folder.create(folder)
        var bytes = magic
        bytes.reserveCapacity(headerSize + state.count + 4)
        withUnsafeBytes(of: format.littleEndian) { bytes.append(contentsOf: $0) }
        withUnsafeBytes(of: seq.littleEndian) { bytes.append(contentsOf: $0) }
        withUnsafeBytes(of: UInt64(state.count).littleEndian) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: state)
        let crc = bytes.withUnsafeBytes { bourse_crc32c(0, $0.baseAddress, $0.count) }
        withUnsafeBytes(of: crc.littleEndian) { bytes.append(contentsOf: $0) }
        let path = folder + "/" + name(seq: seq)
        let temporary = path + ".tmp"
        let file = try File(temporary, .create)
        do {
            try bytes.withUnsafeBytes { try file.write($0, at: 0) }
            try file.sync()
        } catch {
            file.close()
            throw error
        }
        file.close()
        try Folder.rename(temporary, path)
        try Folder.sync(folder)
        return path
    }

    /// Reads and checks one snapshot file.
    public static func load(_ path: String) throws -> Snapshot {
        let file = try File(path, .read)
        defer { file.close() }
        let bytes = try file.readAll()
        guard bytes.count >= headerSize + 4, Array(bytes[0..<4]) == magic else {
            throw JournalError(.unknownFormat, "\(path) is not a Bourse snapshot")
        }
        return try bytes.withUnsafeBytes { raw in
            let format = UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4, as: UInt32.self))
            guard format == self.format else {
                throw JournalError(.unknownFormat, "\(path) has snapshot format \(format)")
            }
            let seq = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
            let length = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self))
            guard length == UInt64(bytes.count - headerSize - 4) else {
                throw JournalError(.corrupt, "\(path): the state length does not match the file size")
            }
            let stored = UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: bytes.count - 4, as: UInt32.self))
            guard bourse_crc32c(0, raw.baseAddress, bytes.count - 4) == stored else {
                throw JournalError(.corrupt, "\(path): the snapshot fails its checksum")
            }
            return Snapshot(seq: seq, state: Array(bytes[headerSize..<(bytes.count - 4)]), path: path)
        }
    }

    /// Removes all but the newest `keep` snapshots, and leftover temporary files.
    public static func prune(_ folder: String, keep: Int) throws(JournalError) {
        for (_, path) in try list(folder).dropLast(keep) { try Folder.remove(path) }
        for name in try Folder.entries(folder) where name.hasSuffix(suffix + ".tmp") {
            try Folder.remove(folder + "/" + name)
        }
    }
}

/// What becomes of journal segments that a snapshot has made unnecessary for recovery.
public enum Retention: Sendable, Equatable {
    /// Keep every segment (the default: `bourse journal verify` can replay from the start).
    case keep
    /// Move them to this folder.
    case archive(String)
    /// Delete them.
    case delete

    /// Applies the retention to the segments in `journalFolder` all of whose records are at
    /// or before `snapshotSeq`. The last segment is never touched. Returns the paths handled.
    @discardableResult
    public func apply(journalFolder: String, snapshotSeq: UInt64) throws(JournalError) -> [String] {
        if self == .keep { return [] }
        let segments = try Segment.list(journalFolder)
        var handled: [String] = []
        for index in segments.indices.dropLast() where segments[index + 1].firstSeq <= snapshotSeq + 1 {
            let path = segments[index].path
            switch self {
            case .keep: break
            case .delete: try Folder.remove(path)
            case .archive(let folder):
                try Folder.create(folder)
                try Folder.rename(path, folder + "/" + String(path[path.index(after: path.lastIndex(of: "/")!)...]))
            }
            handled.append(path)
        }
        if !handled.isEmpty { try Folder.sync(journalFolder) }
        if case .archive(let folder) = self, !handled.isEmpty { try Folder.sync(folder) }
        return handled
    }
}
