/// A live order as seen from outside the engine (for `dump_book` and lookups).
public struct OrderView: Sendable {
    public var orderID: OrderID
    public var account: AccountID
    public var clientTag: ClientTag
    public var symbol: SymbolID
    public var side: Side
    /// The order's type now (a triggered stop is `market`, a triggered stop limit `limit`).
    public var type: OrderType
    /// The limit price; on a market or stop order its protection price (0: none).
    public var price: Price
    public var stopPrice: Price
    public var leaves: Quantity
    public var filled: Quantity
    /// What is displayed now: the rest of an iceberg's slice, else `leaves`.
    public var shown: Quantity
    public var isWaitingStop: Bool
}

/// The contents of one book: levels best first, orders in priority order; stops in stop-list order.
public struct BookSnapshot: Sendable {
    public var bids: [OrderView]
    public var asks: [OrderView]
    public var stops: [OrderView]
}

extension Exchange {
    /// The live order with this id, if any.
    public func order(_ orderID: OrderID) -> OrderView? {
        guard let handle = orderIndex.find(orderID.rawValue, in: orders.queue) else { return nil }
        return view(handle)
    }

    public var liveOrderCount: Int { orders.liveCount }

    public func snapshot(of symbol: SymbolID) -> BookSnapshot {
        let book = books[Int(symbol.rawValue)]
        func side(_ side: BookSide) -> [OrderView] {
            var views: [OrderView] = []
            for level in side.levelsBestFirst() {
                var cursor = level.head
                while cursor != noHandle {
                    views.append(view(cursor))
                    cursor = orders.queue[Int(cursor)].next
                }
            }
            return views
        }
        var stops: [OrderView] = []
        var cursor = book.stopHead
        while cursor != noHandle {
            stops.append(view(cursor))
            cursor = orders.queue[Int(cursor)].next
        }
        return BookSnapshot(bids: side(book.bids), asks: side(book.asks), stops: stops)
    }

    private func view(_ handle: UInt32) -> OrderView {
        let order = orders.queue[Int(handle)]
        let details = orders.details[Int(handle)]
        return OrderView(
            orderID: OrderID(order.id), account: AccountID(order.account), clientTag: ClientTag(details.clientTag),
            symbol: SymbolID(order.symbol), side: order.side, type: order.type, price: Price(ticks: order.price),
            stopPrice: Price(ticks: details.stopPrice), leaves: Quantity(lots: order.leaves),
            filled: Quantity(lots: order.filled), shown: Quantity(lots: order.shown),
            isWaitingStop: order.state == .waitingStop)
    }

    /// Bytes held by the order storage, the id index and the books.
    public var memoryFootprint: Int {
        var total = orders.memoryFootprint + orderIndex.memoryFootprint
        for i in 0..<books.count { total += books[i].bids.memoryFootprint + books[i].asks.memoryFootprint }
        return total
    }

    /// Checks every structural invariant of the engine; traps on a violation.
    ///
    /// No book is crossed at rest; level totals and counts equal the sum of their
    /// orders; every live order is in exactly one level or stop list of its own
    /// book; the id index finds exactly the live orders. Tests call it after every
    /// command; it walks everything, so it is for tests only.
    public func checkInvariants() {
        var placed = Set<UInt32>()
        for symbol in 0..<books.count {
            let book = books[symbol]
            let bids = book.bids.checkInvariants(orders: orders.queue, details: orders.details)
            let asks = book.asks.checkInvariants(orders: orders.queue, details: orders.details)
            for handle in bids.union(asks) {
                precondition(orders.queue[Int(handle)].symbol == UInt32(symbol), "order in another symbol's book")
            }
            if let bid = book.bids.bestPrice(), let ask = book.asks.bestPrice() {
                precondition(bid < ask, "book \(symbol) is crossed at rest: \(bid) >= \(ask)")
            }
            var previous = noHandle
            var cursor = book.stopHead
            var stops = Set<UInt32>()
            while cursor != noHandle {
                let details = orders.details[Int(cursor)]
                let entry = orders.queue[Int(cursor)]
                precondition(entry.state == .waitingStop && entry.type.isStop, "stop list holds a non-stop")
                precondition(entry.symbol == UInt32(symbol), "stop in another symbol's list")
                precondition(orders.queue[Int(cursor)].prev == previous, "broken back link in the stop list")
                // A circuit breaker's halt can keep stops from triggering until the symbol resumes.
                precondition(
                    book.halted || !book.stopCondition(side: entry.side, stopPrice: details.stopPrice),
                    "untriggered stop")
                precondition(orders.queue[Int(cursor)].leaves > 0, "stop without quantity")
                stops.insert(cursor)
                previous = cursor
                cursor = orders.queue[Int(cursor)].next
            }
            precondition(book.stopTail == previous, "stop list tail is not its last stop")
            for set in [bids, asks, stops] {
                precondition(placed.isDisjoint(with: set), "an order is in two places")
                placed.formUnion(set)
            }
        }
        var live = 0
        for i in orders.details.indices where orders.queue[i].state != .free {
            live += 1
            precondition(orders.queue[i].state != .working, "an order was left working between commands")
            precondition(placed.contains(UInt32(i)), "a live order is in no level or stop list")
            precondition(orderIndex.find(orders.queue[i].id, in: orders.queue) == UInt32(i), "id index misses an order")
        }
        precondition(live == orders.liveCount && live == orderIndex.count, "live order count disagrees with the index")
    }
}
