/// The holds of open orders by order id: an open-addressing hash table with linear
/// probing, so that the sequencer finds an order's hold without hashing through
/// `Hasher`. Order ids are given out in sequence, so the id itself is the hash: the
/// holds of orders accepted one after another sit side by side (as in the core's
/// `HandleTable`), and each entry keeps its id next to its hold (one cache line).
struct HoldTable: Sendable {
    struct Entry: Sendable {
        /// The order id; 0 is an empty slot (order ids start at 1).
        var orderID: UInt64
        var hold: Hold
    }

    private var entries: [Entry]
    private(set) var count = 0

    init(capacity: Int = 16) {
        var size = 16
        while size < capacity * 2 { size *= 2 }
        entries = Array(
            repeating: Entry(orderID: 0, hold: Hold(account: .init(0), asset: 0, perLot: .zero, held: .zero)),
            count: size)
    }

    @inline(__always)
    private var mask: Int { entries.count - 1 }

    /// The slot of `orderID`, if it has a hold.
    @inline(__always)
    func find(_ orderID: UInt64) -> Int? {
        var slot = Int(truncatingIfNeeded: orderID) & mask
        while true {
            let found = entries[slot].orderID
            if found == orderID { return slot }
            if found == 0 { return nil }
            slot = (slot + 1) & mask
        }
    }

    subscript(slot: Int) -> Hold {
        get { entries[slot].hold }
        set { entries[slot].hold = newValue }
    }

    /// Adds the hold of a new order (whose id is not in the table); answers its slot.
    @discardableResult
    mutating func insert(_ orderID: UInt64, _ hold: Hold) -> Int {
        if (count + 1) * 2 > entries.count { grow() }
        var slot = Int(truncatingIfNeeded: orderID) & mask
        while entries[slot].orderID != 0 { slot = (slot + 1) & mask }
        entries[slot] = Entry(orderID: orderID, hold: hold)
        count += 1
        return slot
    }

    /// Removes the hold in `slot`, moving later entries of its probe run back so that lookups need no tombstones.
    mutating func remove(at slot: Int) {
        var hole = slot
        var next = (hole + 1) & mask
        while entries[next].orderID != 0 {
            let home = Int(truncatingIfNeeded: entries[next].orderID) & mask
            // The entry at `next` may move into the hole unless its home lies in (hole, next].
            if (hole - home) & mask < (next - home) & mask {
                entries[hole] = entries[next]
                hole = next
            }
            next = (next + 1) & mask
        }
        entries[hole].orderID = 0
        count -= 1
    }

    private mutating func grow() {
        let old = entries.filter { $0.orderID != 0 }
        self = HoldTable(capacity: entries.count)
        for entry in old { insert(entry.orderID, entry.hold) }
    }

    /// The holds in order of order id.
    var sorted: [(orderID: UInt64, hold: Hold)] {
        entries.filter { $0.orderID != 0 }.sorted { $0.orderID < $1.orderID }.map { ($0.orderID, $0.hold) }
    }
}
