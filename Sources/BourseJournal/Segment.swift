/// Journal segment files: `journal/<first seq, 20 digits>.log`, each a 16-byte header
/// ("BRSJ", format version u32, first sequence number u64) then records back to back.
enum Segment {
    static let headerSize = 16
    static let magic: [UInt8] = Array("BRSJ".utf8)
    static let format: UInt32 = 1
    static let suffix = ".log"

    static func name(firstSeq: UInt64) -> String {
        let digits = String(firstSeq)
        return String(repeating: "0", count: max(0, 20 - digits.count)) + digits + suffix
    }

    /// The first sequence number a segment's file name gives, or nil for another file.
    static func firstSeq(ofFileNamed name: String) -> UInt64? {
        guard name.hasSuffix(suffix), name.utf8.count == 20 + suffix.utf8.count else { return nil }
        let digits = name.dropLast(suffix.count)
        guard digits.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
        return UInt64(digits)
    }

    static func header(firstSeq: UInt64) -> [UInt8] {
        var bytes = magic
        withUnsafeBytes(of: format.littleEndian) { bytes.append(contentsOf: $0) }
        withUnsafeBytes(of: firstSeq.littleEndian) { bytes.append(contentsOf: $0) }
        return bytes
    }

    /// The segments in `folder`, by first sequence number.
    static func list(_ folder: String) throws(JournalError) -> [(firstSeq: UInt64, path: String)] {
        guard Folder.exists(folder) else { return [] }
        return try Folder.entries(folder).compactMap { name in
            firstSeq(ofFileNamed: name).map { ($0, folder + "/" + name) }
        }.sorted { $0.firstSeq < $1.firstSeq }
    }
}

/// Appends records to the journal's segments, one write per batch, and syncs them.
///
/// Used by one thread at a time. A new segment begins at the first write after the
/// current one reached `segmentBytes`; every start of a writer begins a new segment.
public final class JournalWriter {
    public let folder: String
    private let segmentBytes: Int
    private var file: File?
    private var fileSize = 0
    /// A segment was created since the last sync: its folder entry must be synced too.
    private var folderDirty = false
    public private(set) var syncs = 0
    public private(set) var bytesWritten = 0

    /// A writer whose first record will be `nextSeq`, in `folder` (created if missing).
    public init(folder: String, segmentBytes: Int = 64 << 20) throws(JournalError) {
        self.folder = folder
        self.segmentBytes = segmentBytes
        try Folder.create(folder)
    }

    deinit { file?.close() }

    /// Seals (see `JournalRecord.seal`) and writes whole records, `firstSeq` first, and
    /// returns the last one's sequence number. They are durable once `sync()` returns.
    @discardableResult
    public func write(_ records: UnsafeMutableRawBufferPointer, firstSeq: UInt64) throws -> UInt64 {
        guard records.count > 0 else { return firstSeq - 1 }
        if file == nil || fileSize >= segmentBytes { try startSegment(firstSeq: firstSeq) }
        let lastSeq = JournalRecord.seal(records, firstSeq: firstSeq)
        try file!.write(UnsafeRawBufferPointer(records), at: fileSize)
        fileSize += records.count
        bytesWritten += records.count
        return lastSeq
    }

    /// Makes everything written so far durable.
    public func sync() throws(JournalError) {
        guard let file else { return }
        try file.syncData()
        if folderDirty {
            try Folder.sync(folder)
            folderDirty = false
        }
        syncs += 1
    }

    private func startSegment(firstSeq: UInt64) throws {
        if let file {
            try file.syncData()
            file.close()
        }
        let path = folder + "/" + Segment.name(firstSeq: firstSeq)
        let segment = try File(path, .create)
        file = segment
        let header = Segment.header(firstSeq: firstSeq)
        try header.withUnsafeBytes { try segment.write($0, at: 0) }
        fileSize = header.count
        folderDirty = true
    }
}
