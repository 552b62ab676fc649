/// Records that a `HandleTable` can index: each record has an integer key.
protocol KeyedRecords {
    func key(at handle: UInt32) -> UInt64
}

/// An open-addressing hash index from a 64-bit key to a record handle.
///
/// Slots hold only handles (4 bytes); the key is read back from the records, so
/// the table costs 4 bytes a slot and a lookup touches the record it finds anyway.
/// At most half full; removal leaves a tombstone, and the table is rebuilt when
/// live entries and tombstones fill three quarters of it.
struct HandleTable {
    /// How keys map to slots.
    enum Hashing {
        /// For keys handed out in increasing order (order ids): the home slot is the
        /// key itself, so consecutive inserts share cache lines and the home of a new
        /// key is usually the tombstone of the key one table-length older. A key whose
        /// home is taken probes with a stride derived from the key (double hashing):
        /// linear probing would move it onto the homes of the keys that follow, and
        /// one long-lived entry would push every later key along.
        case sequential
        /// Fibonacci hashing, for keys with no such order (prices).
        case spread
    }

    private static let empty = UInt32.max
    private static let tombstone = UInt32.max - 1
    private let hashing: Hashing
    private var slots: Slab<UInt32>
    private var shift: UInt64
    /// Live entries.
    private(set) var count = 0
    /// Live entries and tombstones.
    private var used = 0
    /// Where a rebuild that keeps the size copies the old slots: allocated once, so
    /// that dropping tombstones in steady state allocates nothing.
    private var scratch: Slab<UInt32>?

    init(hashing: Hashing, minimumCapacity: Int = 16) {
        self.hashing = hashing
        var capacity = 16
        while capacity < minimumCapacity * 2 { capacity *= 2 }
        slots = Slab(repeating: Self.empty, count: capacity)
        shift = UInt64(64 - capacity.trailingZeroBitCount)
    }

    @inline(__always)
    private func home(_ key: UInt64) -> Int {
        switch hashing {
        case .sequential: return Int(truncatingIfNeeded: key) & (slots.count - 1)
        case .spread: return Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
        }
    }

    /// The distance between probes: odd, so a probe sequence visits every slot.
    @inline(__always)
    private func stride(_ key: UInt64) -> Int {
        switch hashing {
        case .sequential: return Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift) | 1
        case .spread: return 1
        }
    }

    /// The slot holding `key`, if any.
    @inline(__always)
    private func slot(of key: UInt64, in records: some KeyedRecords) -> Int? {
        let mask = slots.count - 1
        var i = home(key)
        while true {
            let handle = slots[i]
            if handle == Self.empty { return nil }
            if handle != Self.tombstone && records.key(at: handle) == key { return i }
            i = (i &+ stride(key)) & mask
        }
    }

    @inline(__always)
    func find(_ key: UInt64, in records: some KeyedRecords) -> UInt32? {
        guard let i = slot(of: key, in: records) else { return nil }
        return slots[i]
    }

    /// Adds `handle`, whose key must not be in the table yet.
    @inline(__always)
    mutating func insert(_ handle: UInt32, in records: some KeyedRecords) {
        if (count + 1) * 2 > slots.count || (used + 1) * 4 > slots.count * 3 {
            rebuild(capacity: (count + 1) * 2 > slots.count ? slots.count * 2 : slots.count, records)
        }
        let mask = slots.count - 1
        let key = records.key(at: handle)
        var i = home(key)
        while slots[i] != Self.empty && slots[i] != Self.tombstone { i = (i &+ stride(key)) & mask }
        if slots[i] == Self.empty { used += 1 }
        slots[i] = handle
        count += 1
    }

    /// Removes the entry of `key`, which must be present.
    @inline(__always)
    mutating func remove(_ key: UInt64, in records: some KeyedRecords) {
        guard let i = slot(of: key, in: records) else { preconditionFailure("removing a key that is not indexed") }
        slots[i] = Self.tombstone
        count -= 1
    }

    /// Grows the table so that `count` entries fit without growing again.
    mutating func reserveCapacity(_ count: Int, in records: some KeyedRecords) {
        var capacity = slots.count
        while count * 2 > capacity { capacity *= 2 }
        if capacity > slots.count { rebuild(capacity: capacity, records) }
    }

    /// Re-inserts the live entries into `capacity` slots, dropping the tombstones.
    private mutating func rebuild(capacity: Int, _ records: some KeyedRecords) {
        let old: Slab<UInt32>
        if capacity == slots.count {
            if scratch?.count != capacity { scratch = Slab(repeating: Self.empty, count: capacity) }
            old = scratch!
            for i in slots.indices {
                old[i] = slots[i]
                slots[i] = Self.empty
            }
        } else {
            old = slots
            slots = Slab(repeating: Self.empty, count: capacity)
            shift = UInt64(64 - capacity.trailingZeroBitCount)
            scratch = nil
        }
        let mask = capacity - 1
        for i in old.indices where old[i] != Self.empty && old[i] != Self.tombstone {
            let key = records.key(at: old[i])
            var j = home(key)
            while slots[j] != Self.empty { j = (j &+ stride(key)) & mask }
            slots[j] = old[i]
        }
        used = count
    }

    mutating func copyBuffer() {
        slots.copyBuffer()
        scratch = nil
    }

    /// Bytes of memory the table holds.
    var memoryFootprint: Int { slots.memoryFootprint }
}
