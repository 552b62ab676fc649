#if canImport(Glibc)
import Glibc
#endif

/// Reads the journal back, checking every record on the way.
///
/// Records must carry consecutive sequence numbers across segments. A segment's data
/// ends where only zeros follow (segments are preallocated). A record that is damaged
/// (short, bad length, bad crc) is a torn write only in the last segment and only if
/// nothing written after it survived: then it and everything after it are the
/// unfinished last write, which no one was told about (`TornTail`). Anywhere else it
/// is damage to acknowledged data, and reading stops with an error naming the file and
/// offset: nothing is skipped silently.
public enum JournalReader {
    /// The unfinished last write at the end of the journal.
    public struct TornTail: Sendable, Equatable {
        public var path: String
        /// Where the unfinished write begins; everything from here on is cut.
        public var offset: Int
        /// Bytes from `offset` to the end of the file.
        public var length: Int
    }

    public struct Summary: Sendable {
        /// The last whole record's sequence number (nil when the journal has none).
        public var lastSeq: UInt64?
        /// Records passed to the visitor.
        public var visited = 0
        /// Records checked, visited or not.
        public var checked = 0
        public var segments = 0
        /// The first sequence number of the first segment read.
        public var firstSeq: UInt64?
        public var tornTail: TornTail?
        /// Where the data of the last segment ends (after a torn tail is cut): a writer may go on there.
        public var end: DataEnd?
    }

    /// The end of the journal's data: the last segment, and the offset in it where the next record goes.
    public struct DataEnd: Sendable, Equatable {
        public var path: String
        public var offset: Int
    }

    /// Reads the records in `folder` whose sequence number is above `afterSeq`, in order.
    /// Segments that hold only earlier records are not read.
    public static func read(
        folder: String, after afterSeq: UInt64 = 0, visit: (JournalRecord.View) throws -> Void
    ) throws -> Summary {
        let segments = try Segment.list(folder)
        var summary = Summary()
        guard !segments.isEmpty else { return summary }
        let start = segments.lastIndex { $0.firstSeq <= afterSeq + 1 } ?? 0
        if segments[start].firstSeq > afterSeq + 1 {
            throw JournalError(
                .gap,
                "records \(afterSeq + 1) to \(segments[start].firstSeq - 1) are missing: the journal in \(folder) "
                    + "starts at \(segments[start].firstSeq)")
        }
        var expected = segments[start].firstSeq
        summary.firstSeq = expected
        for index in start..<segments.count {
            let segment = segments[index]
            let isLast = index == segments.count - 1
            summary.segments += 1
            if segment.firstSeq != expected {
                throw JournalError(
                    .gap, "\(segment.path) starts at record \(segment.firstSeq) where \(expected) was expected")
            }
            let file = try File(segment.path, .read)
            let bytes = try file.readAll()
            file.close()
            if bytes.count < Segment.headerSize {
                guard isLast else {
                    throw JournalError(.corrupt, "\(segment.path) is shorter than a segment header")
                }
                summary.tornTail = TornTail(path: segment.path, offset: 0, length: bytes.count)
                break
            }
            if isLast && bytes[0..<Segment.headerSize].allSatisfy({ $0 == 0 }) {
                // A preallocated segment whose header never reached the disk: it holds nothing.
                summary.tornTail = TornTail(path: segment.path, offset: 0, length: bytes.count)
                break
            }
            guard Array(bytes[0..<4]) == Segment.magic else {
                throw JournalError(.unknownFormat, "\(segment.path) is not a Bourse journal segment")
            }
            let (format, headerSeq) = bytes.withUnsafeBytes {
                (
                    UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: 4, as: UInt32.self)),
                    UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
                )
            }
            guard format == Segment.format else {
                throw JournalError(.unknownFormat, "\(segment.path) has segment format \(format)")
            }
            guard headerSeq == segment.firstSeq else {
                throw JournalError(.corrupt, "\(segment.path) says it starts at record \(headerSeq)")
            }
            let end = try bytes.withUnsafeBytes { raw -> Int in
                var offset = Segment.headerSize
                while offset < raw.count {
                    if let record = JournalRecord.read(raw, at: offset) {
                        guard record.seq == expected else {
                            throw JournalError(
                                .corrupt,
                                "\(segment.path) at offset \(offset): record \(record.seq) where \(expected) was expected"
                            )
                        }
                        if record.seq > afterSeq {
                            try visit(record)
                            summary.visited += 1
                        }
                        summary.checked += 1
                        summary.lastSeq = record.seq
                        expected += 1
                        offset += record.size
                        continue
                    }
                    // Zeros to the end: the data ends here (segments are preallocated with zeros).
                    let zeroTail = isZero(raw, from: offset)
                    guard isLast || zeroTail else {
                        throw JournalError(
                            .corrupt,
                            "\(segment.path) at offset \(offset): damaged record in a segment that is not the last")
                    }
                    if !zeroTail, let later = laterWrite(in: raw, after: offset, seq: expected) {
                        throw JournalError(
                            .corrupt,
                            "\(segment.path) at offset \(offset): damaged record \(expected), but record "
                                + "\(later.record.seq) of a later write survives at offset \(later.offset)")
                    }
                    if !zeroTail {
                        summary.tornTail = TornTail(path: segment.path, offset: offset, length: raw.count - offset)
                    }
                    return offset
                }
                return offset
            }
            if isLast { summary.end = DataEnd(path: segment.path, offset: end) }
        }
        return summary
    }

    /// Whether every byte from `offset` on is zero.
    private static func isZero(_ bytes: UnsafeRawBufferPointer, from offset: Int) -> Bool {
        zeros.withUnsafeBytes { zero in
            var index = offset
            while index < bytes.count {
                let count = min(zero.count, bytes.count - index)
                if memcmp(bytes.baseAddress! + index, zero.baseAddress!, count) != 0 { return false }
                index += count
            }
            return true
        }
    }

    private static let zeros = [UInt8](repeating: 0, count: 1 << 16)

    /// The first whole record after `offset` that belongs to a write later than the one that
    /// holds record `seq`: proof that the damage at `offset` hit data already acknowledged.
    private static func laterWrite(
        in bytes: UnsafeRawBufferPointer, after offset: Int, seq: UInt64
    ) -> (
        record: JournalRecord.View, offset: Int
    )? {
        var candidate = offset + 1
        while candidate + JournalRecord.headerSize <= bytes.count {
            let recordSeq = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: candidate + 8, as: UInt64.self))
            if recordSeq >= seq && recordSeq - seq < 1 << 32, let record = JournalRecord.read(bytes, at: candidate) {
                if record.batchFirstSeq > seq { return (record, candidate) }
                // A record of the same write: the next one, if whole, follows it directly.
                candidate += record.size
                continue
            }
            candidate += 1
        }
        return nil
    }

    /// The first sequence number of the oldest segment in `folder`, if there is one.
    public static func firstSeq(folder: String) throws(JournalError) -> UInt64? {
        try Segment.list(folder).first?.firstSeq
    }

    /// Removes a torn tail: the file is cut at its offset (a segment with no whole
    /// header is removed) and the cut is synced.
    public static func cut(_ tail: TornTail) throws(JournalError) {
        if tail.offset < Segment.headerSize {
            try Folder.remove(tail.path)
        } else {
            let file = try File(tail.path, .update)
            defer { file.close() }
            try file.truncate(to: tail.offset)
            try file.sync()
        }
        let folder = String(tail.path[..<(tail.path.lastIndex(of: "/") ?? tail.path.startIndex)])
        try Folder.sync(folder.isEmpty ? "." : folder)
    }
}
