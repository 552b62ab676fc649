/// The order book of one instrument: both sides, its stop list and its trading state.
struct Book {
    var bids = BookSide(side: .buy)
    var asks = BookSide(side: .sell)
    /// Untriggered stops in stop-list order, linked through their queue entries.
    var stopHead = noHandle
    var stopTail = noHandle
    var lastTradePrice: Int64?
    var halted = false
    var rules: InstrumentRules

    init(rules: InstrumentRules) { self.rules = rules }

    @inline(__always)
    subscript(side: Side) -> BookSide {
        get { side == .buy ? bids : asks }
        _modify {
            if side == .buy { yield &bids } else { yield &asks }
        }
    }

    mutating func appendStop(_ handle: UInt32, orders: inout [OrderQueueEntry]) {
        orders[Int(handle)].prev = stopTail
        orders[Int(handle)].next = noHandle
        if stopTail == noHandle { stopHead = handle } else { orders[Int(stopTail)].next = handle }
        stopTail = handle
    }

    mutating func unlinkStop(_ handle: UInt32, orders: inout [OrderQueueEntry]) {
        let order = orders[Int(handle)]
        if order.prev == noHandle { stopHead = order.next } else { orders[Int(order.prev)].next = order.next }
        if order.next == noHandle { stopTail = order.prev } else { orders[Int(order.next)].prev = order.prev }
    }

    /// Whether a stop on `side` at `stopPrice` triggers at the last trade price.
    func stopCondition(side: Side, stopPrice: Int64) -> Bool {
        guard let last = lastTradePrice else { return false }
        return side == .buy ? last >= stopPrice : last <= stopPrice
    }
}
