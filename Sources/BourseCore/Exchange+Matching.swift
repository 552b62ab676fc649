extension Exchange {
    /// The records of a valid new order, about to be accepted.
    @inline(__always)
    func newRecords(_ order: NewOrder) -> (OrderQueueEntry, OrderDetails) {
        let queue = OrderQueueEntry(
            id: nextOrderID, leaves: order.quantity, shown: 0, filled: 0, next: noHandle, prev: noHandle,
            account: order.account.rawValue, level: 0, symbol: order.symbol.rawValue, side: order.side, state: .working,
            type: order.type, selfTradePrevention: order.selfTradePrevention,
            price: order.type.hasLimitPrice ? order.price! : max(0, order.price ?? 0))
        let details = OrderDetails(
            filledNotional: 0, stopPrice: order.type.isStop ? order.stopPrice! : 0,
            displayQuantity: order.displayQuantity ?? 0,
            expireAt: order.timeInForce == .goodTillDate ? order.expireAt! : 0, clientTag: order.clientTag.rawValue,
            timeInForce: order.timeInForce, postOnly: order.postOnly)
        return (queue, details)
    }

    /// Validates an order; stores it, answers `accepted` and processes it, or rejects it.
    mutating func accept(_ order: NewOrder, in book: inout Book, into sink: inout some EventSink) {
        if let reason = book.validate(order, now: now) {
            sink.receive(.rejected(reason))
            return
        }
        let handle = orders.allocate()
        (orders.queue[Int(handle)], orders.details[Int(handle)]) = newRecords(order)
        orderIndex.insert(handle, in: orders.queue)
        let orderID = nextOrderID
        nextOrderID += 1
        if order.timeInForce == .goodTillDate { expiries.push(expireAt: order.expireAt!, orderID: orderID) }
        sink.receive(.accepted(OrderID(orderID)))
        if order.type.isStop {
            enterStopList(handle, in: &book, into: &sink)
        } else {
            process(handle, in: &book, into: &sink)
        }
    }

    /// Puts a stop at the end of the stop list, or triggers and processes it at once
    /// if its condition already holds.
    mutating func enterStopList(_ handle: UInt32, in book: inout Book, into sink: inout some EventSink) {
        let details = orders.details[Int(handle)]
        let entry = orders.queue[Int(handle)]
        if book.stopCondition(side: entry.side, stopPrice: details.stopPrice) {
            trigger(handle, into: &sink)
            process(handle, in: &book, into: &sink)
        } else {
            orders.queue[Int(handle)].state = .waitingStop
            book.appendStop(handle, orders: &orders.queue)
        }
    }

    /// Turns a stop into the order it stands for and answers `triggered`.
    mutating func trigger(_ handle: UInt32, into sink: inout some EventSink) {
        let h = Int(handle)
        orders.queue[h].type = orders.queue[h].type == .stop ? .market : .limit
        orders.queue[h].state = .working
        sink.receive(orderEvent(handle, status: .triggered))
    }

    /// Matches an incoming order completely, then processes the stops its trades
    /// trigger, and the stops their trades trigger, until none is left (rule 8).
    @inline(__always)
    mutating func process(_ handle: UInt32, in book: inout Book, into sink: inout some EventSink) {
        guard execute(handle, in: &book, into: &sink), !book.halted else { return }
        runTriggerCheck(in: &book, into: &sink)
    }

    /// A trigger check, then the work list of triggered stops processed one at a time
    /// (the stops their trades trigger join its end).
    mutating func runTriggerCheck(in book: inout Book, into sink: inout some EventSink) {
        workList.removeAll(keepingCapacity: true)
        collectTriggeredStops(in: &book, into: &sink)
        var next = 0
        while next < workList.count {
            let stop = workList[next]
            next += 1
            if book.halted {
                // The circuit breaker halted the symbol: triggered stops do not trade.
                finish(stop, status: .cancelled, reason: .circuitBreaker, in: &book, into: &sink)
            } else if execute(stop, in: &book, into: &sink) && !book.halted {
                collectTriggeredStops(in: &book, into: &sink)
            }
        }
    }

    /// The trigger check: every stop whose condition holds, in stop-list order,
    /// triggers and joins the end of the work list.
    mutating func collectTriggeredStops(in book: inout Book, into sink: inout some EventSink) {
        var cursor = book.stopHead
        while cursor != noHandle {
            let next = orders.queue[Int(cursor)].next
            let details = orders.details[Int(cursor)]
            let entry = orders.queue[Int(cursor)]
            if book.stopCondition(side: entry.side, stopPrice: details.stopPrice) {
                book.unlinkStop(cursor, orders: &orders.queue)
                trigger(cursor, into: &sink)
                workList.append(cursor)
            }
            cursor = next
        }
    }

    /// Matches an incoming order and settles what is left of it: rest, IOC
    /// cancel, market expiry, or FOK expiry. Returns whether it traded.
    @inline(__always)
    mutating func execute(_ handle: UInt32, in book: inout Book, into sink: inout some EventSink) -> Bool {
        let details = orders.details[Int(handle)]
        let entry = orders.queue[Int(handle)]
        if details.timeInForce == .fillOrKill && !canFillCompletely(handle, in: book) {
            finish(handle, status: .expired, reason: .fokUnfilled, in: &book, into: &sink)
            return false
        }
        let (traded, remains) = match(handle, in: &book, into: &sink)
        guard remains else { return traded }
        if book.bandBreached {
            // The next trade would print outside the circuit breaker's band: the symbol halts.
            book.bandBreached = false
            book.halted = true
            finish(handle, status: .cancelled, reason: .circuitBreaker, in: &book, into: &sink)
        } else if entry.type == .market {
            finish(handle, status: .expired, reason: .noLiquidity, in: &book, into: &sink)
        } else if details.timeInForce == .immediateOrCancel || details.timeInForce == .fillOrKill {
            finish(handle, status: .cancelled, reason: .iocRemainder, in: &book, into: &sink)
        } else {
            rest(handle, in: &book, into: &sink)
        }
        return traded
    }

    /// Puts a working order at the back of its price level and answers the `book` event.
    @inline(__always)
    mutating func rest(_ handle: UInt32, in book: inout Book, into sink: inout some EventSink) {
        let h = Int(handle)
        let details = orders.details[h]
        let entry = orders.queue[h]
        let leaves = orders.queue[h].leaves
        orders.queue[h].shown = details.displayQuantity > 0 ? min(details.displayQuantity, leaves) : leaves
        orders.queue[h].state = .resting
        let level = book.levelHandle(entry.side, at: entry.price)
        book.append(handle, side: entry.side, level: level, orders: &orders.queue)
        sink.receive(bookEvent(book, side: entry.side, level: level))
    }

    /// Trades the incoming order against the opposite side in price-time priority,
    /// applying self-trade prevention. Returns whether it traded and whether any
    /// of it remains (false once it is filled or cancelled by STP).
    mutating func match(
        _ taker: UInt32, in book: inout Book, into sink: inout some EventSink
    ) -> (traded: Bool, remains: Bool) {
        let entry = orders.queue[Int(taker)]
        let opposite = entry.side.opposite
        // A limit order's price, or a market order's protection price (0: none).
        let limit = entry.price > 0 ? entry.price : nil
        let account = orders.queue[Int(taker)].account
        let prevention = entry.selfTradePrevention
        var traded = false
        while orders.queue[Int(taker)].leaves > 0, let level = book.bestLevel(opposite) {
            let price = book.level(opposite, level).price
            if let limit, !opposite.isAtLeastAsGood(price, as: limit) { break }
            if price < book.bandLow || price > book.bandHigh {
                book.bandBreached = true
                break
            }
            while orders.queue[Int(taker)].leaves > 0 {
                let maker = book.level(opposite, level).head
                if maker == noHandle { break }
                if prevention != .none && orders.queue[Int(maker)].account == account {
                    if !preventSelfTrade(
                        taker: taker, maker: maker, level: level, prevention: prevention, in: &book, into: &sink)
                    {
                        return (traded, false)
                    }
                    continue
                }
                let quantity = min(orders.queue[Int(taker)].leaves, orders.queue[Int(maker)].shown)
                fill(taker: taker, maker: maker, level: level, price: price, quantity: quantity, in: &book, into: &sink)
                traded = true
            }
        }
        return (traded, orders.queue[Int(taker)].leaves > 0)
    }

    /// One trade between the incoming order and the order at the head of `level`,
    /// with its events: trade, maker's order, taker's order, book.
    @inline(__always)
    mutating func fill(
        taker: UInt32, maker: UInt32, level: UInt32, price: Int64, quantity: Int64, in book: inout Book,
        into sink: inout some EventSink
    ) {
        let t = Int(taker)
        let m = Int(maker)
        let side = orders.queue[m].side
        let notional = Int128(price) * Int128(quantity)
        orders.queue[m].leaves -= quantity
        orders.queue[m].shown -= quantity
        orders.queue[m].filled += quantity
        orders.details[m].filledNotional += notional
        book.changeShown(side, level: level, by: -quantity)
        orders.queue[t].leaves -= quantity
        orders.queue[t].filled += quantity
        orders.details[t].filledNotional += notional
        book.lastTradePrice = price
        let tradeID = nextTradeID
        nextTradeID += 1
        sink.receive(
            .trade(
                Trade(
                    tradeID: tradeID, symbol: SymbolID(orders.queue[t].symbol), price: Price(ticks: price),
                    quantity: Quantity(lots: quantity), makerOrderID: OrderID(orders.queue[m].id),
                    takerOrderID: OrderID(orders.queue[t].id), makerAccount: AccountID(orders.queue[m].account),
                    takerAccount: AccountID(orders.queue[t].account), aggressor: side.opposite)))
        let makerDone = orders.queue[m].leaves == 0
        if makerDone {
            book.unlink(maker, side: side, orders: &orders.queue)
        } else if orders.queue[m].shown == 0 {
            // An iceberg's slice is used up: the next slice goes to the back of the queue.
            let slice = min(orders.details[m].displayQuantity, orders.queue[m].leaves)
            orders.queue[m].shown = slice
            book.changeShown(side, level: level, by: slice)
            book.moveToBack(maker, side: side, orders: &orders.queue)
        }
        sink.receive(orderEvent(maker, status: makerDone ? .filled : .partiallyFilled))
        if makerDone { free(maker) }
        let takerDone = orders.queue[t].leaves == 0
        sink.receive(orderEvent(taker, status: takerDone ? .filled : .partiallyFilled))
        sink.receive(bookEvent(book, side: side, level: level))
        if takerDone { free(taker) }
    }

    /// Applies the taker's STP mode to a match with its own resting order (rule 9).
    /// Returns whether the taker goes on matching.
    mutating func preventSelfTrade(
        taker: UInt32, maker: UInt32, level: UInt32, prevention: SelfTradePrevention, in book: inout Book,
        into sink: inout some EventSink
    ) -> Bool {
        switch prevention {
        case .cancelTaker:
            finish(taker, status: .cancelled, reason: .selfTrade, in: &book, into: &sink)
            return false
        case .cancelMaker:
            finish(maker, status: .cancelled, reason: .selfTrade, in: &book, into: &sink)
            return true
        case .cancelBoth:
            finish(maker, status: .cancelled, reason: .selfTrade, in: &book, into: &sink)
            finish(taker, status: .cancelled, reason: .selfTrade, in: &book, into: &sink)
            return false
        case .decrement:
            let t = Int(taker)
            let m = Int(maker)
            let side = orders.queue[m].side
            let cut = min(orders.queue[t].leaves, orders.queue[m].leaves)
            // A resting iceberg loses hidden quantity first.
            let hidden = orders.queue[m].leaves - orders.queue[m].shown
            let shownCut = max(0, cut - hidden)
            orders.queue[m].leaves -= cut
            orders.queue[m].shown -= shownCut
            book.changeShown(side, level: level, by: -shownCut)
            orders.queue[t].leaves -= cut
            let makerDone = orders.queue[m].leaves == 0
            let takerDone = orders.queue[t].leaves == 0
            if makerDone {
                book.unlink(maker, side: side, orders: &orders.queue)
                sink.receive(orderEvent(maker, status: .cancelled, reason: .selfTrade))
            } else {
                sink.receive(orderEvent(maker, status: currentStatus(maker)))
            }
            if takerDone {
                sink.receive(orderEvent(taker, status: .cancelled, reason: .selfTrade))
            } else {
                sink.receive(orderEvent(taker, status: currentStatus(taker)))
            }
            if makerDone || shownCut > 0 {
                sink.receive(bookEvent(book, side: side, level: level))
            }
            if makerDone { free(maker) }
            if takerDone { free(taker) }
            return !takerDone
        case .none:
            return true
        }
    }

    /// The FOK dry run (rule 4): whether matching `taker` as an IOC would fill it,
    /// STP included, without changing anything.
    ///
    /// Within a level the first pass meets the queue in order, taking each other
    /// account's displayed quantity; every own order is met there (STP removes it
    /// or ends the taker), so what is left after the pass is the hidden quantity
    /// of other accounts' icebergs, all of which the taker can reach.
    // Inlined: as a call it copied the engine and the book (non-mutating method on `inout` state).
    @inline(__always)
    func canFillCompletely(_ taker: UInt32, in book: borrowing Book) -> Bool {
        let entry = orders.queue[Int(taker)]
        let side = book.side(entry.side.opposite)
        let account = orders.queue[Int(taker)].account
        let prevention = entry.selfTradePrevention
        var remaining = orders.queue[Int(taker)].leaves
        for handle in side.ladder.reversed() {
            let level = side.levels[Int(handle)]
            if level.count == 0 { continue }
            if entry.price > 0 && !side.side.isAtLeastAsGood(level.price, as: entry.price) { return false }
            // A FOK never trips the circuit breaker: beyond its band the book counts as empty.
            if level.price < book.bandLow || level.price > book.bandHigh { return false }
            var hidden: Int128 = 0
            var cursor = level.head
            while cursor != noHandle {
                let maker = orders.queue[Int(cursor)]
                cursor = maker.next
                if prevention != .none && maker.account == account {
                    switch prevention {
                    case .cancelTaker, .cancelBoth: return false
                    case .cancelMaker, .none: continue
                    case .decrement:
                        remaining -= min(remaining, maker.leaves)
                        if remaining == 0 { return false }
                        continue
                    }
                }
                remaining -= min(remaining, maker.shown)
                if remaining == 0 { return true }
                hidden += Int128(maker.leaves - maker.shown)
            }
            // The other accounts' hidden quantity at this level, met after the first pass.
            if Int128(remaining) <= hidden { return true }
            remaining -= Int64(hidden)
        }
        return false
    }
}
