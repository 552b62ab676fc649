/// Finds a 32-bit value (an id, a tag) by name within a scope (an account, or none).
///
/// Names are compared byte for byte: `String` equality follows Unicode canonical
/// equivalence, so "caf\u{E9}" and "cafe\u{301}" are equal strings, but as account
/// names they must be two accounts. The index holds no names: the caller keeps them
/// (by value) and says whether a candidate value's name is the one looked for.
///
/// Open addressing with linear probing, at most half full; a slot holds 32 bits of
/// the name's hash and the value, so a rebuild needs no name. The hash is seeded per
/// process (so that clients cannot choose names that collide): it decides where entries
/// sit, never what a lookup finds. Each index keeps the seed in a stored property: the
/// static one is initialised lazily, and reading it cost a `swift_once` call per lookup.
struct NameIndex {
    private static let empty: UInt64 = 0
    private static let tombstone: UInt64 = .max
    private static let processSeed = UInt64.random(in: 0 ... .max) | 1

    private let seed = Self.processSeed
    private var slots: [UInt64]
    private var mask: Int
    private(set) var count = 0
    /// Live entries and tombstones.
    private var used = 0

    init(minimumCapacity: Int = 16) {
        var capacity = 16
        while capacity < minimumCapacity * 2 { capacity <<= 1 }
        slots = [UInt64](repeating: Self.empty, count: capacity)
        mask = capacity - 1
    }

    /// The hash of `name` in `scope`.
    @inline(__always)
    func hash(_ name: String, scope: UInt32 = 0) -> UInt32 {
        if let hash = name.utf8.withContiguousStorageIfAvailable({ (bytes) -> UInt32 in
            hash(UnsafeRawBufferPointer(bytes), scope: scope)
        }) {
            return hash
        }
        return Array(name.utf8).withUnsafeBytes { hash($0, scope: scope) }
    }

    /// A multiply-and-fold hash over 8 bytes at a time.
    @inline(__always)
    private func hash(_ bytes: UnsafeRawBufferPointer, scope: UInt32) -> UInt32 {
        var h = seed ^ (UInt64(scope) << 32 | UInt64(bytes.count))
        var offset = 0
        while offset + 8 <= bytes.count {
            h = (h ^ bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* 0x9E37_79B9_7F4A_7C15
            h ^= h >> 29
            offset += 8
        }
        if offset < bytes.count {
            var tail: UInt64 = 0
            for i in offset..<bytes.count { tail |= UInt64(bytes[i]) << (8 * UInt64(i - offset)) }
            h = (h ^ tail) &* 0x9E37_79B9_7F4A_7C15
            h ^= h >> 29
        }
        h = (h ^ (h >> 32)) &* 0xD6E8_FEB8_6659_FD93
        return UInt32(truncatingIfNeeded: h ^ (h >> 32))
    }

    /// Whether two names are the same bytes.
    @inline(__always)
    static func same(_ a: String, _ b: String) -> Bool {
        let result = a.utf8.withContiguousStorageIfAvailable { (x) -> Bool? in
            b.utf8.withContiguousStorageIfAvailable { y in x.count == y.count && x.elementsEqual(y) }
        }
        if let result, let same = result { return same }
        return a.utf8.elementsEqual(b.utf8)
    }

    /// The value stored under `hash` for which `isMatch` is true.
    @inline(__always)
    func find(hash: UInt32, where isMatch: (UInt32) -> Bool) -> UInt32? {
        var index = Int(hash) & mask
        while true {
            let slot = slots[index]
            if slot == Self.empty { return nil }
            if slot != Self.tombstone && UInt32(truncatingIfNeeded: slot >> 32) == hash {
                let value = UInt32(truncatingIfNeeded: slot) &- 1
                if isMatch(value) { return value }
            }
            index = (index + 1) & mask
        }
    }

    /// Adds `value` under `hash` (the caller made sure no equal name is there).
    mutating func insert(hash: UInt32, value: UInt32) {
        precondition(value < UInt32.max - 1)
        if (used + 1) * 2 > slots.count { rebuild(capacity: count * 4 > slots.count ? slots.count * 2 : slots.count) }
        var index = Int(hash) & mask
        while slots[index] != Self.empty && slots[index] != Self.tombstone { index = (index + 1) & mask }
        if slots[index] == Self.empty { used += 1 }
        slots[index] = UInt64(hash) << 32 | UInt64(value + 1)
        count += 1
    }

    /// Removes `value`, stored under `hash`.
    mutating func remove(hash: UInt32, value: UInt32) {
        let entry = UInt64(hash) << 32 | UInt64(value + 1)
        var index = Int(hash) & mask
        while slots[index] != Self.empty {
            if slots[index] == entry {
                slots[index] = Self.tombstone
                count -= 1
                return
            }
            index = (index + 1) & mask
        }
        preconditionFailure("removing a name that is not in the index")
    }

    private mutating func rebuild(capacity: Int) {
        let old = slots
        slots = [UInt64](repeating: Self.empty, count: capacity)
        mask = capacity - 1
        used = 0
        count = 0
        for slot in old where slot != Self.empty && slot != Self.tombstone {
            var index = Int(truncatingIfNeeded: slot >> 32) & mask
            while slots[index] != Self.empty { index = (index + 1) & mask }
            slots[index] = slot
            used += 1
            count += 1
        }
    }
}
