/// Records that a `HandleTable` can index: each record has an integer key.
protocol KeyedRecords {
    func key(at handle: UInt32) -> UInt64
}

/// An open-addressing hash index from a 64-bit key to a record handle.
///
/// Slots hold only handles (4 bytes); the key is read back from the records, so
/// the table costs 4 bytes a slot and a lookup touches the record it finds anyway.
/// Linear probing, backward-shift deletion (no tombstones), at most half full.
struct HandleTable {
    private static let empty = UInt32.max
    private var slots: Slab<UInt32>
    private var shift: UInt64
    private(set) var count = 0

    init(minimumCapacity: Int = 16) {
        var capacity = 16
        while capacity < minimumCapacity * 2 { capacity *= 2 }
        slots = Slab(repeating: Self.empty, count: capacity)
        shift = UInt64(64 - capacity.trailingZeroBitCount)
    }

    var capacity: Int { slots.count }

    @inline(__always)
    private func home(_ key: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    @inline(__always)
    func find(_ key: UInt64, in records: some KeyedRecords) -> UInt32? {
        let mask = slots.count - 1
        var i = home(key)
        while true {
            let handle = slots[i]
            if handle == Self.empty { return nil }
            if records.key(at: handle) == key { return handle }
            i = (i + 1) & mask
        }
    }

    /// Adds `handle`, whose key must not be in the table yet.
    @inline(__always)
    mutating func insert(_ handle: UInt32, in records: some KeyedRecords) {
        if (count + 1) * 2 > slots.count { grow(records) }
        let mask = slots.count - 1
        var i = home(records.key(at: handle))
        while slots[i] != Self.empty { i = (i + 1) & mask }
        slots[i] = handle
        count += 1
    }

    /// Removes the entry of `key`, which must be present.
    @inline(__always)
    mutating func remove(_ key: UInt64, in records: some KeyedRecords) {
        let mask = slots.count - 1
        var i = home(key)
        while records.key(at: slots[i]) != key { i = (i + 1) & mask }
        // Backward-shift deletion: move later members of the probe run into the hole.
        var hole = i
        var j = i
        while true {
            j = (j + 1) & mask
            let handle = slots[j]
            if handle == Self.empty { break }
            let ideal = home(records.key(at: handle))
            // Move it if its ideal slot is not in the cyclic range (hole, j].
            let distanceToHole = (j - ideal) & mask
            let distanceToJ = (j - hole) & mask
            if distanceToHole >= distanceToJ {
                slots[hole] = handle
                hole = j
            }
        }
        slots[hole] = Self.empty
        count -= 1
    }

    /// Grows the table so that `count` entries fit without growing again.
    mutating func reserveCapacity(_ count: Int, in records: some KeyedRecords) {
        while count * 2 > slots.count { grow(records) }
    }

    private mutating func grow(_ records: some KeyedRecords) {
        let old = slots
        slots = Slab(repeating: Self.empty, count: old.count * 2)
        shift -= 1
        let mask = slots.count - 1
        for i in old.indices where old[i] != Self.empty {
            let handle = old[i]
            var i = home(records.key(at: handle))
            while slots[i] != Self.empty { i = (i + 1) & mask }
            slots[i] = handle
        }
    }

    /// Every handle in the table, in no particular order.
    var handles: [UInt32] { slots.indices.map { slots[$0] }.filter { $0 != Self.empty } }

    mutating func copyBuffer() { slots.copyBuffer() }

    /// Bytes of memory the table holds.
    var memoryFootprint: Int { slots.memoryFootprint }
}
