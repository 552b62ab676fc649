/// The order book of one instrument: both sides, its stop list and its trading state.
struct Book {
    var bids = BookSide(side: .buy)
    var asks = BookSide(side: .sell)
    /// Untriggered stops in stop-list order, linked through their queue entries.
    var stopHead = noHandle
    var stopTail = noHandle
    var lastTradePrice: Int64?
    var halted = false
    /// The circuit breaker's band for the command being applied: no trade prints
    /// outside `bandLow...bandHigh` (ticks). The venue sets it before each command
    /// that may trade; the full range when the symbol has no breaker.
    var bandLow: Int64 = .min
    var bandHigh: Int64 = .max
    /// Set when matching met a price outside the band: the incoming order stops there
    /// and the symbol halts (see `Exchange.execute`).
    var bandBreached = false
    var rules: InstrumentRules
    let symbol: SymbolID

    init(symbol: SymbolID, rules: InstrumentRules) {
        self.symbol = symbol
        self.rules = rules
    }

    mutating func copyBuffers() {
        bids.copyBuffers()
        asks.copyBuffers()
    }

    // Per-side access. These branch on the side explicitly: a subscript that yields
    // one of the two sides allocated a coroutine frame per call (seen in bourse bench).

    /// One side, copied: for code off the hot path.
    func side(_ side: Side) -> BookSide { side == .buy ? bids : asks }

    @inline(__always)
    func level(_ side: Side, _ handle: UInt32) -> Level {
        side == .buy ? bids.levels[Int(handle)] : asks.levels[Int(handle)]
    }

    @inline(__always)
    mutating func bestLevel(_ side: Side) -> UInt32? { side == .buy ? bids.bestLevel() : asks.bestLevel() }

    @inline(__always)
    func bestPrice(_ side: Side) -> Int64? { side == .buy ? bids.bestPrice() : asks.bestPrice() }

    /// Changes a level's displayed total as one of its orders' displayed quantity changed.
    @inline(__always)
    mutating func changeShown(_ side: Side, level: UInt32, by delta: Int64) {
        if side == .buy {
            bids.levels[Int(level)].shown += Int128(delta)
        } else {
            asks.levels[Int(level)].shown += Int128(delta)
        }
    }

    @inline(__always)
    mutating func moveToBack(_ handle: UInt32, side: Side, orders: inout Slab<OrderQueueEntry>) {
        if side == .buy { bids.moveToBack(handle, orders: &orders) } else { asks.moveToBack(handle, orders: &orders) }
    }

    @inline(__always)
    mutating func levelHandle(_ side: Side, at price: Int64) -> UInt32 {
        side == .buy ? bids.level(at: price) : asks.level(at: price)
    }

    @inline(__always)
    mutating func append(_ handle: UInt32, side: Side, level: UInt32, orders: inout Slab<OrderQueueEntry>) {
        if side == .buy {
            bids.append(handle, to: level, orders: &orders)
        } else {
            asks.append(handle, to: level, orders: &orders)
        }
    }

    @inline(__always)
    mutating func unlink(_ handle: UInt32, side: Side, orders: inout Slab<OrderQueueEntry>) {
        if side == .buy { bids.unlink(handle, orders: &orders) } else { asks.unlink(handle, orders: &orders) }
    }

    mutating func appendStop(_ handle: UInt32, orders: inout Slab<OrderQueueEntry>) {
        orders[Int(handle)].prev = stopTail
        orders[Int(handle)].next = noHandle
        if stopTail == noHandle { stopHead = handle } else { orders[Int(stopTail)].next = handle }
        stopTail = handle
    }

    mutating func unlinkStop(_ handle: UInt32, orders: inout Slab<OrderQueueEntry>) {
        let order = orders[Int(handle)]
        if order.prev == noHandle { stopHead = order.next } else { orders[Int(order.prev)].next = order.next }
        if order.next == noHandle { stopTail = order.prev } else { orders[Int(order.next)].prev = order.prev }
    }

    /// Whether a stop on `side` at `stopPrice` triggers at the last trade price.
    @inline(__always)
    func stopCondition(side: Side, stopPrice: Int64) -> Bool {
        guard let last = lastTradePrice else { return false }
        return side == .buy ? last >= stopPrice : last <= stopPrice
    }

    /// The first reason, in the contract's order, that rejects `order`; nil if it is accepted.
    // `mutating` only so that the book is read in place: as a non-mutating method the
    // whole book was copied to the stack on every order (seen in the generated code).
    @inline(__always)
    mutating func validate(_ order: NewOrder, now: Milliseconds) -> RejectReason? {
        let type = order.type
        if type.hasLimitPrice && order.price == nil { return .missingPrice }
        if type.isStop && order.stopPrice == nil { return .missingStopPrice }
        if type.hasLimitPrice && order.price! <= 0 { return .offTick }
        if type.isStop && order.stopPrice! <= 0 { return .offTick }
        if order.quantity <= 0 { return .offLot }
        switch order.timeInForce {
        case .day, .goodTillDate:
            if type == .market || type == .stop { return .invalidTimeInForce }
        case .immediateOrCancel, .fillOrKill:
            if order.postOnly { return .invalidTimeInForce }
        case .goodTillCancel:
            break
        }
        if order.postOnly && type != .limit { return .invalidTimeInForce }
        if let display = order.displayQuantity, type != .limit || display <= 0 || display >= order.quantity {
            return .invalidDisplayQuantity
        }
        if order.timeInForce == .goodTillDate {
            guard let expireAt = order.expireAt, expireAt > now else { return .invalidExpireAt }
        }

        if order.quantity < rules.minimumQuantity { return .quantityBelowMinimum }
        if order.quantity > rules.maximumQuantity { return .quantityAboveMaximum }
        if type.hasLimitPrice && rules.minimumNotional > 0
            && Int128(order.price!) * Int128(order.quantity) < rules.minimumNotional
        {
            return .notionalBelowMinimum
        }
        if order.duplicateClientOrderID { return .duplicateClientOrderID }
        if halted { return .halted }
        if order.postOnly && wouldCross(side: order.side, price: order.price!) { return .wouldCross }
        return nil
    }

    /// Whether a limit at `price` would trade against the best opposite price.
    @inline(__always)
    func wouldCross(side: Side, price: Int64) -> Bool {
        guard let best = bestPrice(side.opposite) else { return false }
        return side == .buy ? price >= best : price <= best
    }

}
