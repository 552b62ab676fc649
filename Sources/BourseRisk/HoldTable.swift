/// The holds of open orders by order id: an open-addressing hash table with linear
/// probing, so that the sequencer finds an order's hold without hashing through
/// `Hasher` (order ids are dense and sequential; a multiplicative hash spreads them).
struct HoldTable: Sendable {
    /// Order ids by slot; 0 is an empty slot (order ids start at 1).
    private var keys: [UInt64]
    private var values: [Hold]
    private(set) var count = 0

    init(capacity: Int = 16) {
        var size = 16
        while size < capacity * 2 { size *= 2 }
        keys = Array(repeating: 0, count: size)
        values = Array(repeating: Hold(account: .init(0), asset: 0, perLot: .zero, held: .zero), count: size)
    }

    @inline(__always)
    private func home(_ key: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 32) & (keys.count - 1)
    }

    /// The slot of `key`, if it has a hold.
    @inline(__always)
    func find(_ key: UInt64) -> Int? {
        var slot = home(key)
        while true {
            let found = keys[slot]
            if found == key { return slot }
            if found == 0 { return nil }
            slot = (slot + 1) & (keys.count - 1)
        }
    }

    subscript(slot: Int) -> Hold {
        get { values[slot] }
        set { values[slot] = newValue }
    }

    /// Adds the hold of a new order (whose id is not in the table).
    mutating func insert(_ key: UInt64, _ hold: Hold) {
        if (count + 1) * 2 > keys.count { grow() }
        var slot = home(key)
        while keys[slot] != 0 { slot = (slot + 1) & (keys.count - 1) }
        keys[slot] = key
        values[slot] = hold
        count += 1
    }

    /// Removes the hold in `slot`, moving later entries of its probe run back so that lookups need no tombstones.
    mutating func remove(at slot: Int) {
        var hole = slot
        var next = (hole + 1) & (keys.count - 1)
        while keys[next] != 0 {
            let wanted = home(keys[next])
            // The entry at `next` may move into the hole if its home is not within (hole, next].
            let distanceToNext = (next - wanted) & (keys.count - 1)
            let distanceToHole = (hole - wanted) & (keys.count - 1)
            if distanceToHole < distanceToNext {
                keys[hole] = keys[next]
                values[hole] = values[next]
                hole = next
            }
            next = (next + 1) & (keys.count - 1)
        }
        keys[hole] = 0
        count -= 1
    }

    private mutating func grow() {
        let old = zip(keys, values).filter { $0.0 != 0 }
        self = HoldTable(capacity: keys.count)
        for (key, value) in old { insert(key, value) }
    }

    /// The holds in order of order id.
    var sorted: [(orderID: UInt64, hold: Hold)] {
        zip(keys, values).filter { $0.0 != 0 }.sorted { $0.0 < $1.0 }.map { ($0.0, $0.1) }
    }
}
