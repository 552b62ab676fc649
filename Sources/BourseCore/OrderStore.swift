/// Marks the end of a linked list of handles, or no handle at all.
let noHandle = UInt32.max

/// Records a `HandleTable` can index by their `key`.
protocol Keyed {
    var key: UInt64 { get }
}

extension Slab: KeyedRecords where Element: Keyed {
    @inline(__always)
    func key(at handle: UInt32) -> UInt64 { self[Int(handle)].key }
}

/// The part of an order that matching and cancelling touch: 64 bytes, one cache
/// line (the slab is cache-line aligned).
struct OrderQueueEntry: Keyed {
    /// The engine's order id (0 while the slot is free).
    var id: UInt64
    /// Remaining quantity, hidden part of an iceberg included.
    var leaves: Int64
    /// Displayed remaining quantity: `leaves`, or what is left of an iceberg's slice.
    var shown: Int64
    var filled: Int64
    /// Neighbours in the order's price level or stop list; the free list uses `next`.
    var next: UInt32
    var prev: UInt32
    var account: UInt32
    /// The handle of the order's price level while it rests.
    var level: UInt32
    var symbol: UInt32
    var side: Side
    var state: OrderState
    /// The order's type now: a triggered stop becomes `market`, a triggered stop limit `limit`.
    var type: OrderType
    var selfTradePrevention: SelfTradePrevention
    /// The limit price (0 for market and stop orders).
    var price: Int64

    var key: UInt64 { id }
}

/// Where an order is.
enum OrderState: UInt8 {
    case free
    /// Being matched by the command that is running; in no queue.
    case working
    /// In a price level of its book.
    case resting
    /// In its book's stop list, not triggered yet.
    case waitingStop
}

/// The rest of an order (48 bytes): read when it enters, leaves or changes.
struct OrderDetails {
    /// Sum of price x quantity of the order's trades, in ticks x lots.
    var filledNotional: Int128
    var stopPrice: Int64
    /// Slice size of an iceberg; 0 for an order that shows everything.
    var displayQuantity: Int64
    var expireAt: Int64
    var clientTag: UInt32
    var timeInForce: TimeInForce
    var postOnly: Bool
}

/// A slab of orders: two parallel arrays addressed by handle, with a free list.
/// Nothing is allocated per order once the arrays have grown to the working set.
struct OrderStore {
    var queue = Slab<OrderQueueEntry>()
    var details = Slab<OrderDetails>()
    private var freeHead = noHandle
    private(set) var liveCount = 0

    /// A slot for a new order; the caller fills both records.
    @inline(__always)
    mutating func allocate() -> UInt32 {
        liveCount += 1
        if freeHead != noHandle {
            let handle = freeHead
            freeHead = queue[Int(handle)].next
            return handle
        }
        queue.append(
            OrderQueueEntry(
                id: 0, leaves: 0, shown: 0, filled: 0, next: noHandle, prev: noHandle, account: 0, level: 0, symbol: 0,
                side: .buy, state: .free, type: .limit, selfTradePrevention: .none, price: 0))
        details.append(
            OrderDetails(
                filledNotional: 0, stopPrice: 0, displayQuantity: 0, expireAt: 0, clientTag: 0,
                timeInForce: .goodTillCancel, postOnly: false))
        return UInt32(queue.count - 1)
    }

    @inline(__always)
    mutating func release(_ handle: UInt32) {
        let i = Int(handle)
        queue[i].id = 0
        queue[i].next = freeHead
        queue[i].state = .free
        freeHead = handle
        liveCount -= 1
    }

    /// Pre-sizes the slab for `count` orders.
    mutating func reserveCapacity(_ count: Int) {
        queue.reserveCapacity(count)
        details.reserveCapacity(count)
    }

    mutating func copyBuffers() {
        queue.copyBuffer()
        details.copyBuffer()
    }

    var memoryFootprint: Int { queue.memoryFootprint + details.memoryFootprint }
}
