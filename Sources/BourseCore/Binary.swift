/// Appends values in Bourse's binary forms (journal records, snapshots): integers
/// as LEB128 varints (signed ones zigzag-encoded) or fixed-width little endian,
/// strings as a varint length and their UTF-8 bytes. Its storage is reused.
///
/// Writes go through a `BinaryCursor` straight into the storage (spare capacity
/// beyond what is written), so a run of fields costs one capacity check and one
/// uniqueness check; the hot paths (the trading commands' journal payloads, the
/// compact events) write a run per command or event with `append(atMost:_:)`.
public struct BinaryWriter: Sendable {
    /// The written bytes, then spare capacity (zeros when added, old bytes after `removeAll()`).
    @usableFromInline var storage: [UInt8]
    /// How many bytes of `storage` are written.
    @usableFromInline var length = 0

    public init(capacity: Int = 256) { storage = [UInt8](repeating: 0, count: max(capacity, 16)) }

    /// The number of bytes written.
    public var count: Int { length }

    /// A copy of the bytes written (for the cold paths; see `withUnsafeBytes(_:)`).
    public var bytes: [UInt8] { Array(storage[..<length]) }

    /// The bytes written, without a copy (the spare capacity is cut off).
    public consuming func takeBytes() -> [UInt8] {
        storage.removeSubrange(length...)
        return storage
    }

    /// Calls `body` with the bytes written, in place.
    @inlinable
    public func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try storage.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[..<length])) }
    }

    public mutating func removeAll() { length = 0 }

    public mutating func byte(_ value: UInt8) { append(atMost: 1) { $0.byte(value) } }

    public mutating func bool(_ value: Bool) { append(atMost: 1) { $0.bool(value) } }

    public mutating func varint(_ value: UInt64) {
        append(atMost: BinaryCursor.maximumVarintSize) { $0.varint(value) }
    }

    public mutating func varint(_ value: Int) { varint(UInt64(value)) }

    public mutating func signedVarint(_ value: Int64) {
        append(atMost: BinaryCursor.maximumVarintSize) { $0.signedVarint(value) }
    }

    public mutating func int128(_ value: Int128) { append(atMost: 16) { $0.fixed(value) } }

    public mutating func uint128(_ value: UInt128) { int128(Int128(bitPattern: value)) }

    public mutating func string(_ value: String) {
        append(atMost: BinaryCursor.size(of: value)) { $0.string(value) }
    }

    /// Appends what `body` writes through a cursor, at most `maximum` bytes (a write
    /// beyond them stops the program). Inlinable, as the cursor is: called from other
    /// modules, each field would otherwise be a function call.
    @inlinable @inline(__always)
    public mutating func append(atMost maximum: Int, _ body: (inout BinaryCursor) -> Void) {
        if storage.count - length < maximum { grow(toHold: maximum) }
        let start = length
        length = storage.withUnsafeMutableBytes { buffer in
            var cursor = BinaryCursor(start: buffer.baseAddress! + start, capacity: maximum)
            body(&cursor)
            return start + cursor.count
        }
    }

    /// Makes room for `maximum` more bytes (at least doubling the capacity).
    @usableFromInline
    mutating func grow(toHold maximum: Int) {
        storage.append(contentsOf: repeatElement(0, count: max(storage.count, length + maximum - storage.count)))
    }
}

/// Writes Bourse's binary forms into memory of a known size (for `BinaryWriter`; see
/// `BinaryWriter.append(atMost:_:)`). A write past the end stops the program (the
/// caller's bound was wrong) instead of corrupting memory. A cursor is valid only
/// inside the closure it was handed to: kept beyond it, it points at freed memory.
@frozen
public struct BinaryCursor {
    /// The most bytes a varint takes.
    public static var maximumVarintSize: Int { 10 }

    /// The bytes `varint(_:)` writes for `value`.
    @inlinable
    public static func size(ofVarint value: UInt64) -> Int { (64 - (value | 1).leadingZeroBitCount + 6) / 7 }

    /// The bytes `signedVarint(_:)` writes for `value`.
    @inlinable
    public static func size(ofSignedVarint value: Int64) -> Int {
        size(ofVarint: UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    /// The bytes `string(_:)` writes for `value`.
    @inlinable
    public static func size(of value: String) -> Int {
        let count = value.utf8.count
        return size(ofVarint: UInt64(count)) + count
    }

    @usableFromInline let start: UnsafeMutableRawPointer
    @usableFromInline let capacity: Int
    @usableFromInline var written = 0
    /// The bytes written so far.
    @inlinable public var count: Int { written }

    @inlinable
    init(start: UnsafeMutableRawPointer, capacity: Int) {
        self.start = start
        self.capacity = capacity
    }

    @inlinable @inline(__always)
    public mutating func byte(_ value: UInt8) {
        precondition(count < capacity, "a binary cursor's bound was too small")
        start.storeBytes(of: value, toByteOffset: count, as: UInt8.self)
        written += 1
    }

    @inlinable @inline(__always)
    public mutating func bool(_ value: Bool) { byte(value ? 1 : 0) }

    @inlinable @inline(__always)
    public mutating func varint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            byte(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        byte(UInt8(value))
    }

    @inlinable @inline(__always)
    public mutating func signedVarint(_ value: Int64) { varint(UInt64(bitPattern: (value << 1) ^ (value >> 63))) }

    /// A fixed-width integer, little endian.
    @inlinable @inline(__always)
    public mutating func fixed<T: FixedWidthInteger>(_ value: T) {
        let size = MemoryLayout<T>.size
        precondition(size <= capacity - count, "a binary cursor's bound was too small")
        (start + count).storeBytes(of: value.littleEndian, as: T.self)
        written += size
    }

    @inlinable @inline(__always)
    public mutating func string(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            varint(UInt64(utf8.count))
            precondition(utf8.count <= capacity - count, "a binary cursor's bound was too small")
            if let base = utf8.baseAddress { (start + count).copyMemory(from: base, byteCount: utf8.count) }
            written += utf8.count
        }
    }
}

/// Reads what a `BinaryWriter` wrote; every read checks that the bytes are there
/// and well formed, and throws a `DecodingError` naming the offset otherwise.
public struct BinaryReader {
    private let bytes: UnsafeRawBufferPointer
    public private(set) var offset = 0

    /// Reads `bytes`, which must stay valid while the reader is used.
    public init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    public var isAtEnd: Bool { offset == bytes.count }

    public struct DecodingError: Error, Sendable, CustomStringConvertible {
        public var message: String
        public var offset: Int
        public var description: String { "\(message) at byte \(offset)" }
    }

    public func error(_ message: String) -> DecodingError { DecodingError(message: message, offset: offset) }

    public mutating func byte() throws(DecodingError) -> UInt8 {
        guard offset < bytes.count else { throw error("unexpected end of data") }
        defer { offset += 1 }
        return bytes[offset]
    }

    public mutating func bool() throws(DecodingError) -> Bool {
        switch try byte() {
        case 0: return false
        case 1: return true
        default: throw error("a flag is neither 0 nor 1")
        }
    }

    public mutating func varint() throws(DecodingError) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let next = try byte()
            if shift == 63 && next > 1 { throw error("a number is too large") }
            value |= UInt64(next & 0x7F) << shift
            if next < 0x80 { return value }
            shift += 7
        }
    }

    /// A varint that must be a count of at most `limit`.
    public mutating func count(limit: Int = Int(Int32.max)) throws(DecodingError) -> Int {
        let value = try varint()
        guard value <= UInt64(limit) else { throw error("a count is out of range") }
        return Int(value)
    }

    public mutating func signedVarint() throws(DecodingError) -> Int64 {
        let bits = try varint()
        return Int64(bitPattern: bits >> 1) ^ -Int64(bitPattern: bits & 1)
    }

    public mutating func int128() throws(DecodingError) -> Int128 {
        guard bytes.count - offset >= 16 else { throw error("unexpected end of data") }
        var bits: UInt128 = 0
        for i in 0..<16 { bits |= UInt128(bytes[offset + i]) << (8 * i) }
        offset += 16
        return Int128(bitPattern: bits)
    }

    public mutating func uint128() throws(DecodingError) -> UInt128 { UInt128(bitPattern: try int128()) }

    public mutating func string() throws(DecodingError) -> String {
        let length = try count()
        guard bytes.count - offset >= length else { throw error("unexpected end of data") }
        let start = offset
        offset += length
        let utf8 = UnsafeRawBufferPointer(rebasing: bytes[start..<start + length])
        guard let text = String(validating: utf8, as: UTF8.self) else {
            throw DecodingError(message: "a string is not UTF-8", offset: start)
        }
        return text
    }

    /// An enum stored as its raw value.
    public mutating func enumeration<Value: RawRepresentable<UInt8>>(_: Value.Type) throws(DecodingError) -> Value {
        let raw = try byte()
        guard let value = Value(rawValue: raw) else { throw error("\(raw) is not a \(Value.self)") }
        return value
    }
}
