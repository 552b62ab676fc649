import Dispatch

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
/// Used by one thread at a time. A writer goes on in the last segment (`resume(at:)`)
/// or begins a new one, and a new segment begins when the next write would take the
/// current one past `segmentBytes`. Segments are preallocated: a background queue writes the next one
/// full of zeros and syncs it before it is needed, so that a sync of the journal
/// flushes data only, never the file's size or block map (measured on ext4: a sync
/// after an append costs about 150 µs with multi-millisecond tails; after an
/// overwrite of allocated blocks about 100 µs with tails under 250 µs). The zeros
/// after the last record are where the data ends (see `JournalReader`).
public final class JournalWriter: @unchecked Sendable {
    public let folder: String
    private let segmentBytes: Int
    private let preallocate: Bool
    private var file: File?
    /// Where the data of the current segment ends.
    private var fileSize = 0
    /// A segment was created since the last sync: its folder entry must be synced too.
    private var folderDirty = false
    /// Prepares the spare segment in the background.
    private let preparer = DispatchQueue(label: "bourse.journal.preallocate")
    /// Left when the spare segment is prepared.
    private let spareReady = DispatchGroup()
    private var spareRequested = false
    /// Why the last spare could not be prepared (read once `spareReady` is left).
    private let spareFailure = SpareFailure()
    private var sparePath: String { folder + "/spare.prealloc" }

    /// A writer in `folder` (created if missing).
    public init(folder: String, segmentBytes: Int = 64 << 20, preallocate: Bool = true) throws(JournalError) {
        self.folder = folder
        self.segmentBytes = segmentBytes
        self.preallocate = preallocate
        try Folder.create(folder)
        if preallocate {
            try Folder.remove(sparePath)
            prepareSpare()
        }
    }

    deinit {
        spareReady.wait()
        file?.close()
    }

    /// Goes on writing in an existing segment, at `end` (where its data ends, as read back
    /// by `JournalReader`), if the segment has room; otherwise the next write begins a new one.
    public func resume(at end: JournalReader.DataEnd) throws(JournalError) {
        guard end.offset >= Segment.headerSize, end.offset < segmentBytes else { return }
        file?.close()
        file = try File(end.path, .update)
        fileSize = end.offset
    }

    /// Seals (see `JournalRecord.seal`) and writes whole records, `firstSeq` first, and
    /// returns the last one's sequence number. They are durable once `sync()` returns.
    @discardableResult
    public func write(_ records: UnsafeMutableRawBufferPointer, firstSeq: UInt64) throws -> UInt64 {
        guard records.count > 0 else { return firstSeq - 1 }
        if file == nil || (fileSize + records.count > segmentBytes && fileSize > Segment.headerSize) {
            try startSegment(firstSeq: firstSeq)
        }
        let lastSeq = JournalRecord.seal(records, firstSeq: firstSeq)
        try file!.write(UnsafeRawBufferPointer(records), at: fileSize)
        fileSize += records.count
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
    }

    private func startSegment(firstSeq: UInt64) throws {
        if let current = file {
            file = nil
            try current.syncData()
            current.close()
        }
        let path = folder + "/" + Segment.name(firstSeq: firstSeq)
        let header = Segment.header(firstSeq: firstSeq)
        let segment: File
        if spareRequested, spareReady.wait(timeout: .now()) == .success, spareFailure.error == nil {
            // The spare is whole and synced: with its header synced too, it becomes the segment
            // (a rename that reached the disk before the header would leave a segment of zeros).
            let spare = try File(sparePath, .update)
            do {
                try header.withUnsafeBytes { try spare.write($0, at: 0) }
                try spare.syncData()
            } catch {
                spare.close()
                throw error
            }
            spare.close()
            try Folder.rename(sparePath, path)
            segment = try File(path, .update)
            prepareSpare()
        } else {
            // No spare yet (or it failed): an empty file that grows with each write.
            segment = try File(path, .create)
            try header.withUnsafeBytes { try segment.write($0, at: 0) }
        }
        file = segment
        fileSize = header.count
        folderDirty = true
    }

    /// Waits until the spare segment is prepared (for tests that need to know which file a write lands in).
    func waitForSpare() { spareReady.wait() }

    /// Writes the spare segment full of zeros and syncs it, on the background queue.
    private func prepareSpare() {
        guard preallocate else { return }
        let (path, size) = (sparePath, segmentBytes)
        let (group, failure) = (spareReady, spareFailure)
        failure.error = nil
        spareRequested = true
        group.enter()
        preparer.async {
            defer { group.leave() }
            do {
                let file = try File(path, .create)
                defer { file.close() }
                let zeros = [UInt8](repeating: 0, count: 1 << 20)
                var offset = 0
                while offset < size {
                    let count = min(zeros.count, size - offset)
                    try zeros.withUnsafeBytes {
                        try file.write(UnsafeRawBufferPointer(rebasing: $0[..<count]), at: offset)
                    }
                    offset += count
                }
                try file.sync()
            } catch {
                failure.error = error as? JournalError ?? JournalError(.io, "\(error)")
            }
        }
    }
}

/// The failure of a spare segment's preparation, written on the preparer's queue and read
/// after waiting for it.
private final class SpareFailure: @unchecked Sendable {
    var error: JournalError?
}
