import CPUHints

/// The holds of open orders by order id: an open-addressing hash table with linear
/// probing, so that the sequencer finds an order's hold without hashing through
/// `Hasher`. Order ids are given out in sequence, so the id itself is the hash: the
/// holds of orders accepted one after another sit side by side (as in the core's
/// `HandleTable`). An entry is one cache line (64 bytes, the storage is line aligned),
/// and a removal leaves a tombstone, so that it touches no other line; the slot of a
/// tombstone is taken again by an insert that passes it. A lookup goes no further than
/// the longest distance any insert went from its home slot, so tombstones never need
/// clearing (they all go when the table grows).
struct HoldTable: Sendable {
    struct Entry {
        var hold: Hold
        /// The order id; `empty` or `removed` when the slot holds none (order ids start at 1
        /// and never reach `UInt64.max`).
        var orderID: UInt64
    }

    static var empty: UInt64 { 0 }
    static var removed: UInt64 { .max }

    /// Line-aligned entries. Copy-on-write: a mutation copies a shared storage first.
    private final class Storage: @unchecked Sendable {
        let entries: UnsafeMutablePointer<Entry>
        let capacity: Int

        init(capacity: Int) {
            self.capacity = capacity
            entries = UnsafeMutableRawPointer.allocate(
                byteCount: capacity * MemoryLayout<Entry>.stride, alignment: 64
            ).bindMemory(to: Entry.self, capacity: capacity)
            entries.initialize(
                repeating: Entry(
                    hold: Hold(account: .init(0), asset: 0, perLot: .zero, held: .zero), orderID: HoldTable.empty),
                count: capacity)
        }

        func copy() -> Storage {
            let copy = Storage(capacity: capacity)
            copy.entries.update(from: entries, count: capacity)
            return copy
        }

        deinit { UnsafeMutableRawPointer(entries).deallocate() }
    }

    private var storage: Storage
    /// Holds in the table.
    private(set) var count = 0
    /// The longest distance from its home slot at which an insert put a hold.
    private var longestProbe = 0

    init(capacity: Int = 16) {
        var size = 16
        while size < capacity * 2 { size *= 2 }
        storage = Storage(capacity: size)
    }

    @inline(__always)
    private var mask: Int { storage.capacity - 1 }

    @inline(__always)
    private mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
    }

    /// Starts loading the home slot of `orderID`, for a `find` that comes later.
    @inline(__always)
    func prefetch(_ orderID: UInt64) {
        bourse_prefetch(storage.entries + (Int(truncatingIfNeeded: orderID) & mask))
    }

    /// The slot of `orderID`, if it has a hold.
    @inline(__always)
    func find(_ orderID: UInt64) -> Int? {
        let entries = storage.entries
        var slot = Int(truncatingIfNeeded: orderID) & mask
        for _ in 0...longestProbe {
            let found = entries[slot].orderID
            if found == orderID { return slot }
            if found == Self.empty { return nil }
            slot = (slot + 1) & mask
        }
        return nil
    }

    subscript(slot: Int) -> Hold {
        @inline(__always) get {
            precondition(slot >= 0 && slot < storage.capacity, "hold slot out of range")
            return storage.entries[slot].hold
        }
        @inline(__always) set {
            precondition(slot >= 0 && slot < storage.capacity, "hold slot out of range")
            makeUnique()
            storage.entries[slot].hold = newValue
        }
    }

    /// Adds the hold of a new order (whose id is not in the table); answers its slot.
    @discardableResult
    @inline(__always)
    mutating func insert(_ orderID: UInt64, _ hold: Hold) -> Int {
        precondition(orderID != Self.empty && orderID != Self.removed, "not an order id")
        if (count + 1) * 2 > storage.capacity { grow() }
        makeUnique()
        let entries = storage.entries
        var slot = Int(truncatingIfNeeded: orderID) & mask
        var distance = 0
        while entries[slot].orderID != Self.empty && entries[slot].orderID != Self.removed {
            slot = (slot + 1) & mask
            distance += 1
        }
        longestProbe = max(longestProbe, distance)
        entries[slot] = Entry(hold: hold, orderID: orderID)
        count += 1
        return slot
    }

    /// Removes the hold in `slot`, leaving a tombstone (lookups pass it, inserts reuse it).
    @inline(__always)
    mutating func remove(at slot: Int) {
        precondition(slot >= 0 && slot < storage.capacity, "hold slot out of range")
        makeUnique()
        storage.entries[slot].orderID = Self.removed
        count -= 1
    }

    /// Twice as many slots, the holds re-laid out without tombstones.
    private mutating func grow() {
        let old = storage
        storage = Storage(capacity: old.capacity * 2)
        count = 0
        longestProbe = 0
        for slot in 0..<old.capacity {
            let entry = old.entries[slot]
            if entry.orderID != Self.empty && entry.orderID != Self.removed { insert(entry.orderID, entry.hold) }
        }
    }

    /// The holds in order of order id.
    var sorted: [(orderID: UInt64, hold: Hold)] {
        var holds: [(orderID: UInt64, hold: Hold)] = []
        holds.reserveCapacity(count)
        for slot in 0..<storage.capacity {
            let entry = storage.entries[slot]
            if entry.orderID != Self.empty && entry.orderID != Self.removed {
                holds.append((entry.orderID, entry.hold))
            }
        }
        return holds.sorted { $0.orderID < $1.orderID }
    }
}
