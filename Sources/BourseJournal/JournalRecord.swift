import CRC32C

/// The layout of one journal record, little endian:
///
///     length u32 | crc32c u32 | seq u64 | batch u32 | ts i64 | type u8 | payload
///
/// `length` counts the bytes after itself. `crc32c` covers `length` and every byte
/// after the crc. `batch` is how far `seq` is from the first record of the write that
/// carried it to disk: recovery uses it to tell a torn last write from damage in the
/// middle. `ts` is the command's timestamp (`Int64.min` when it has none), `type` the
/// command kind, `payload` the command's binary form.
public enum JournalRecord {
    public static let headerSize = 29
    /// Bytes of `length`, which the crc covers before the rest.
    static let lengthSize = 4
    /// The most a record may hold; a longer length is damage.
    public static let maximumSize = 16 << 20
    /// `ts` of a command that carries none.
    public static let noTimestamp = Int64.min

    /// Writes a record at `destination` (which must have room for `headerSize + payload.count`
    /// bytes) with batch and crc left 0 for `seal` to fill; returns its size.
    @inline(__always)
    public static func write(
        seq: UInt64, ts: Int64?, type: UInt8, payload: UnsafeRawBufferPointer, at destination: UnsafeMutableRawPointer
    ) -> Int {
        let size = headerSize + payload.count
        destination.storeBytes(of: UInt32(size - lengthSize).littleEndian, toByteOffset: 0, as: UInt32.self)
        destination.storeBytes(of: UInt32(0), toByteOffset: 4, as: UInt32.self)
        destination.storeBytes(of: seq.littleEndian, toByteOffset: 8, as: UInt64.self)
        destination.storeBytes(of: UInt32(0), toByteOffset: 16, as: UInt32.self)
        destination.storeBytes(of: (ts ?? noTimestamp).littleEndian, toByteOffset: 20, as: Int64.self)
        destination.storeBytes(of: type, toByteOffset: 28, as: UInt8.self)
        if payload.count > 0 {
            (destination + headerSize).copyMemory(from: payload.baseAddress!, byteCount: payload.count)
        }
        return size
    }

    /// Stamps every record in `records` (whole records, back to back) with its distance
    /// from `firstSeq`, the first record of the write, and its crc; returns the last
    /// record's sequence number.
    @discardableResult
    public static func seal(_ records: UnsafeMutableRawBufferPointer, firstSeq: UInt64) -> UInt64 {
        var offset = 0
        var seq = firstSeq
        while offset < records.count {
            let record = records.baseAddress! + offset
            let size = Int(UInt32(littleEndian: record.loadUnaligned(as: UInt32.self))) + lengthSize
            seq = UInt64(littleEndian: record.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
            record.storeBytes(
                of: UInt32(truncatingIfNeeded: seq &- firstSeq).littleEndian, toByteOffset: 16, as: UInt32.self)
            record.storeBytes(
                of: checksum(UnsafeRawPointer(record), size: size).littleEndian, toByteOffset: 4, as: UInt32.self)
            offset += size
        }
        return seq
    }

    /// The crc of the record of `size` bytes at `record`.
    static func checksum(_ record: UnsafeRawPointer, size: Int) -> UInt32 {
        let crc = bourse_crc32c(0, record, lengthSize)
        return bourse_crc32c(crc, record + 8, size - 8)
    }

    /// A record read back from disk.
    public struct View {
        public var seq: UInt64
        /// The first sequence number of the write that carried the record.
        public var batchFirstSeq: UInt64
        public var ts: Int64?
        public var type: UInt8
        public var payload: UnsafeRawBufferPointer
        /// The record's size on disk, header included.
        public var size: Int
    }

    /// The record at `offset` in `bytes` if it is whole and its crc matches; nil otherwise.
    static func read(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> View? {
        let available = bytes.count - offset
        guard available >= headerSize else { return nil }
        let record = bytes.baseAddress! + offset
        let size = Int(UInt32(littleEndian: record.loadUnaligned(as: UInt32.self))) + lengthSize
        guard size >= headerSize, size <= maximumSize, size <= available else { return nil }
        guard
            UInt32(littleEndian: record.loadUnaligned(fromByteOffset: 4, as: UInt32.self))
                == checksum(record, size: size)
        else { return nil }
        let seq = UInt64(littleEndian: record.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        let batch = UInt32(littleEndian: record.loadUnaligned(fromByteOffset: 16, as: UInt32.self))
        let ts = Int64(littleEndian: record.loadUnaligned(fromByteOffset: 20, as: Int64.self))
        return View(
            seq: seq, batchFirstSeq: seq &- UInt64(batch), ts: ts == noTimestamp ? nil : ts,
            type: record.load(fromByteOffset: 28, as: UInt8.self),
            payload: UnsafeRawBufferPointer(start: record + headerSize, count: size - headerSize), size: size)
    }
}
