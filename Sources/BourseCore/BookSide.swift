/// A price level: a FIFO of orders linked through their queue entries.
struct Level: Keyed {
    var price: Int64
    /// Total displayed quantity of the level's orders (wider than one order's quantity).
    var shown: Int128
    var head: UInt32
    var tail: UInt32
    var count: UInt32

    var key: UInt64 { UInt64(bitPattern: price) }
}

/// One side of an order book.
///
/// Levels live in a slab addressed by handle, found by price through a hash
/// index, and ordered in `ladder` from the worst price to the best, so the best
/// level is the last element. A level that empties stays in the ladder and the
/// index (an order often comes back to that price); empty levels at the best
/// end are dropped as soon as the best is asked for, the others when they
/// outnumber the live ones.
struct BookSide {
    let side: Side
    var levels = Slab<Level>()
    private var freeLevels: [UInt32] = []
    private(set) var ladder: [UInt32] = []
    private var index = HandleTable(hashing: .spread)
    private(set) var emptyLevelCount = 0

    init(side: Side) { self.side = side }

    /// Orders the ladder: higher rank is better (bids: higher price, asks: lower price).
    @inline(__always)
    private func rank(_ price: Int64) -> Int64 { side == .buy ? price : -price }

    /// The best non-empty level, dropping empty levels at the best end first.
    @inline(__always)
    mutating func bestLevel() -> UInt32? {
        while let last = ladder.last {
            if levels[Int(last)].count != 0 { return last }
            ladder.removeLast()
            dropLevel(last)
        }
        return nil
    }

    /// The best price with orders, without changing anything.
    func bestPrice() -> Int64? {
        for handle in ladder.reversed() where levels[Int(handle)].count != 0 {
            return levels[Int(handle)].price
        }
        return nil
    }

    /// Non-empty levels from the best to the worst.
    func levelsBestFirst() -> some Sequence<Level> {
        ladder.reversed().lazy.map { levels[Int($0)] }.filter { $0.count != 0 }
    }

    /// The level at `price`, created (empty) if there is none.
    @inline(__always)
    mutating func level(at price: Int64) -> UInt32 {
        if let handle = index.find(UInt64(bitPattern: price), in: levels) { return handle }
        let level = Level(price: price, shown: 0, head: noHandle, tail: noHandle, count: 0)
        let handle: UInt32
        if let reused = freeLevels.popLast() {
            handle = reused
            levels[Int(handle)] = level
        } else {
            handle = UInt32(levels.count)
            levels.append(level)
        }
        index.insert(handle, in: levels)
        ladder.insert(handle, at: ladderPosition(for: rank(price)))
        emptyLevelCount += 1
        return handle
    }

    /// Where a new level of rank `r` goes: after every level of lower rank.
    private func ladderPosition(for r: Int64) -> Int {
        // New levels are usually near the touch: look there first.
        var i = ladder.count
        let stop = max(0, ladder.count - 8)
        while i > stop {
            if rank(levels[Int(ladder[i - 1])].price) < r { return i }
            i -= 1
        }
        var low = 0
        var high = i
        while low < high {
            let mid = (low + high) / 2
            if rank(levels[Int(ladder[mid])].price) < r { low = mid + 1 } else { high = mid }
        }
        return low
    }

    private mutating func dropLevel(_ handle: UInt32) {
        index.remove(UInt64(bitPattern: levels[Int(handle)].price), in: levels)
        freeLevels.append(handle)
        emptyLevelCount -= 1
    }

    /// Appends order `handle` at the back of `level`'s queue.
    @inline(__always)
    mutating func append(_ handle: UInt32, to level: UInt32, orders: inout Slab<OrderQueueEntry>) {
        let l = Int(level)
        let tail = levels[l].tail
        orders[Int(handle)].prev = tail
        orders[Int(handle)].next = noHandle
        orders[Int(handle)].level = level
        if tail == noHandle { levels[l].head = handle } else { orders[Int(tail)].next = handle }
        levels[l].tail = handle
        if levels[l].count == 0 { emptyLevelCount -= 1 }
        levels[l].count += 1
        levels[l].shown += Int128(orders[Int(handle)].shown)
    }

    /// Moves order `handle` to the back of its level's queue (an iceberg's new slice).
    /// The level never looks empty on the way, so it cannot be swept meanwhile.
    @inline(__always)
    mutating func moveToBack(_ handle: UInt32, orders: inout Slab<OrderQueueEntry>) {
        let order = orders[Int(handle)]
        let l = Int(order.level)
        let tail = levels[l].tail
        if tail == handle { return }
        if order.prev == noHandle { levels[l].head = order.next } else { orders[Int(order.prev)].next = order.next }
        orders[Int(order.next)].prev = order.prev
        orders[Int(handle)].prev = tail
        orders[Int(handle)].next = noHandle
        orders[Int(tail)].next = handle
        levels[l].tail = handle
    }

    /// Takes order `handle` out of its level's queue, with its displayed quantity.
    @inline(__always)
    mutating func unlink(_ handle: UInt32, orders: inout Slab<OrderQueueEntry>) {
        let order = orders[Int(handle)]
        let l = Int(order.level)
        if order.prev == noHandle { levels[l].head = order.next } else { orders[Int(order.prev)].next = order.next }
        if order.next == noHandle { levels[l].tail = order.prev } else { orders[Int(order.next)].prev = order.prev }
        levels[l].count -= 1
        levels[l].shown -= Int128(order.shown)
        if levels[l].count == 0 {
            emptyLevelCount += 1
            if emptyLevelCount > 32 && emptyLevelCount * 2 > ladder.count { dropEmptyLevels() }
        }
    }

    /// Removes every empty level from the ladder and the index.
    private mutating func dropEmptyLevels() {
        var kept = 0
        for i in ladder.indices {
            let handle = ladder[i]
            if levels[Int(handle)].count == 0 {
                dropLevel(handle)
            } else {
                ladder[kept] = handle
                kept += 1
            }
        }
        ladder.removeLast(ladder.count - kept)
    }

    mutating func copyBuffers() {
        levels.copyBuffer()
        index.copyBuffer()
    }

    var memoryFootprint: Int {
        levels.memoryFootprint + freeLevels.capacity * 4 + ladder.capacity * 4
            + index.memoryFootprint
    }

    /// Checks the side's own structure against the orders and returns the handles of
    /// its orders; traps on a violation.
    func checkInvariants(
        orders: Slab<OrderQueueEntry>, details: Slab<OrderDetails>
    ) -> Set<UInt32> {
        var handles = Set<UInt32>()
        var empties = 0
        var previousRank: Int64? = nil
        precondition(index.count == ladder.count, "level index and ladder disagree")
        for handle in ladder {
            let level = levels[Int(handle)]
            precondition(index.find(level.key, in: levels) == handle, "level index does not find its level")
            if let previous = previousRank { precondition(previous < rank(level.price), "ladder out of order") }
            previousRank = rank(level.price)
            if level.count == 0 { empties += 1 }
            var count: UInt32 = 0
            var shown: Int128 = 0
            var previous = noHandle
            var cursor = level.head
            while cursor != noHandle {
                let order = orders[Int(cursor)]
                let detail = details[Int(cursor)]
                precondition(order.state == .resting && order.level == handle, "order in a level is not resting there")
                precondition(order.prev == previous, "broken back link in a level")
                precondition(order.side == side && order.price == level.price, "order in the wrong level")
                precondition(order.leaves > 0 && order.shown > 0 && order.shown <= order.leaves, "bad order quantities")
                precondition(
                    detail.displayQuantity == 0 ? order.shown == order.leaves : order.shown <= detail.displayQuantity,
                    "displayed quantity does not follow the iceberg rule")
                count += 1
                shown += Int128(order.shown)
                handles.insert(cursor)
                previous = cursor
                cursor = order.next
            }
            precondition(level.tail == previous, "level tail is not its last order")
            precondition(level.count == count, "level order count differs from its queue")
            precondition(level.shown == shown, "level total differs from the sum of its orders")
        }
        precondition(empties == emptyLevelCount, "empty level count is wrong")
        return handles
    }
}
