// new_order, replace and matching of the reference exchange (see ReferenceExchange.swift).

import BourseJSONLines

extension ReferenceExchange {
    // MARK: - Validation helpers

    /// The rejection reason of the quantity bounds and minimum notional for `qty` lots at `price` ticks
    /// (price nil: no notional check), or nil.
    private func boundsProblem(_ instrument: Instrument, qty: Int64, price: Int64?) -> String? {
        let qtyValue = instrument.lot.value(of: RefBigUInt(UInt64(qty)))
        if let minQty = instrument.minQty, RefDecimal.compare(qtyValue, minQty) < 0 { return "qty_below_min" }
        if let maxQty = instrument.maxQty, RefDecimal.compare(qtyValue, maxQty) > 0 { return "qty_above_max" }
        if let price, let minNotional = instrument.minNotional {
            let notional = RefDecimal(
                significand: RefBigUInt(UInt64(price)) * RefBigUInt(UInt64(qty))
                    * RefBigUInt(instrument.tick.significand)
                    * RefBigUInt(instrument.lot.significand),
                exponent: instrument.tick.exponent + instrument.lot.exponent)
            if RefDecimal.compare(notional, minNotional) < 0 { return "notional_below_min" }
        }
        return nil
    }

    /// Whether a limit at `price` on `side` would trade against the best opposite price now.
    private func wouldCross(_ symbol: String, side: Side, price: Int64) -> Bool {
        guard let best = instruments[symbol]!.book(side.opposite).first?.price else { return false }
        return side == .buy ? price >= best : price <= best
    }

    private func clientOrderIdTaken(_ clientOrderId: String, account: String, except id: Int64?) -> Bool {
        !openOrders(where: { $0.account == account && $0.clientOrderId == clientOrderId && $0.id != id }).isEmpty
    }

    // MARK: - new_order

    mutating func newOrder(_ line: JSONValue) {
        func rejectOrder(_ reason: String, _ message: String) {
            reject(line, cmd: "new_order", reason: reason, message: message)
        }
        var fields = FieldReader(line: line)
        let symbol = fields.string("symbol", required: true)
        let account = fields.string("account", required: true)
        let clientOrderId = fields.string("client_order_id", required: true)
        let side = fields.enumeration("side", Side.self, required: true)
        let type = fields.enumeration("type", OrderType.self, required: true)
        let qtyText = fields.decimal("qty", required: true)
        // Fields that do not apply to the type are ignored completely (choices doc, Parsing).
        let usesPrice = type == .limit || type == .stopLimit
        let usesStopPrice = type == .stop || type == .stopLimit
        let priceText = usesPrice ? fields.decimal("price", required: false) : nil
        let stopPriceText = usesStopPrice ? fields.decimal("stop_price", required: false) : nil
        let tif = fields.enumeration("tif", TimeInForce.self, required: false) ?? .gtc
        let postOnly = fields.bool("post_only") ?? false
        let displayText = fields.decimal("display_qty", required: false)
        let stp = fields.enumeration("stp", SelfTradePrevention.self, required: false) ?? .cancelTaker
        let ts = fields.integer("ts", required: false)
        guard !fields.malformed, let symbol, let account, let clientOrderId, let side, let type, let qtyText else {
            return rejectOrder("malformed", "bad field")
        }
        guard let instrument = instruments[symbol] else {
            advanceClock(to: ts)
            return rejectOrder("unknown_symbol", "unknown symbol")
        }
        // The 64-bit range check (part of the malformed group; no effect, ts not applied).
        let qty = RefNumbers.count(of: qtyText, in: instrument.lot)
        let price = priceText.map { RefNumbers.count(of: $0, in: instrument.tick) }
        let stopPrice = stopPriceText.map { RefNumbers.count(of: $0, in: instrument.tick) }
        let display = displayText.map { RefNumbers.count(of: $0, in: instrument.lot) }
        guard ![qty, price, stopPrice, display].contains(.overflow) else {
            return rejectOrder("malformed", "number out of range")
        }
        advanceClock(to: ts)
        if usesPrice && price == nil { return rejectOrder("missing_price", "price needed") }
        if usesStopPrice && stopPrice == nil { return rejectOrder("missing_stop_price", "stop_price needed") }
        if let price, price.positive == nil { return rejectOrder("off_tick", "price off the tick grid") }
        if let stopPrice, stopPrice.positive == nil { return rejectOrder("off_tick", "stop_price off the tick grid") }
        guard let lots = qty.positive else { return rejectOrder("off_lot", "qty off the lot grid") }
        let allowedTifs: [TimeInForce] =
            type == .market || type == .stop ? [.gtc, .ioc, .fok] : [.gtc, .ioc, .fok, .day, .gtd]
        if !allowedTifs.contains(tif) { return rejectOrder("invalid_tif", "tif not allowed for the type") }
        if postOnly && (type != .limit || tif == .ioc || tif == .fok) {
            return rejectOrder("invalid_tif", "post_only needs a resting limit")
        }
        var displayLots: Int64?
        if let display {
            guard type == .limit, let value = display.positive, value < lots else {
                return rejectOrder("invalid_display_qty", "bad display_qty")
            }
            displayLots = value
        }
        var expireAt: Int64?
        if tif == .gtd {
            guard let value = line["expire_at"]?.int64Value, value > now else {
                return rejectOrder("invalid_expire_at", "gtd needs expire_at > now")
            }
            expireAt = value
        }
        let limitTicks = price?.positive
        if let problem = boundsProblem(instruments[symbol]!, qty: lots, price: limitTicks) {
            return rejectOrder(problem, "limits")
        }
        if clientOrderIdTaken(clientOrderId, account: account, except: nil) {
            return rejectOrder("duplicate_client_order_id", "client_order_id in use")
        }
        if instruments[symbol]!.halted { return rejectOrder("halted", "symbol halted") }
        if postOnly && wouldCross(symbol, side: side, price: limitTicks!) {
            return rejectOrder("would_cross", "post_only would cross")
        }

        let order = Order(
            id: nextOrderId, clientOrderId: clientOrderId, account: account, symbol: symbol, side: side, type: type,
            price: limitTicks, stopPrice: stopPrice?.positive, qty: lots, displayQty: displayLots, tif: tif,
            expireAt: expireAt, stp: stp, postOnly: postOnly)
        nextOrderId += 1
        emitAccepted(order)
        if order.isStop {
            enterStopList(order)
        } else {
            processIncoming(order)
        }
    }

    /// Puts an untriggered stop at the end of the stop list; if its condition already holds, it triggers at once
    /// and is processed.
    private mutating func enterStopList(_ stop: Order) {
        if instruments[stop.symbol]!.stopHolds(stop) {
            emitOrder(stop, status: "triggered")
            processIncoming(stop)
        } else {
            instruments[stop.symbol]!.stops.append(stop)
        }
    }

    // MARK: - Matching

    /// Processes an incoming order (new, priority-losing replace, or triggered stop), then the trigger checks
    /// and the work list of the stops it sets off.
    private mutating func processIncoming(_ order: Order) {
        var workList: [Order] = []
        var current = order
        while true {
            if runIncoming(current) { workList += triggerCheck(current.symbol) }
            guard !workList.isEmpty else { return }
            current = workList.removeFirst()
        }
    }

    /// At a trigger check every stop whose condition holds triggers (in stop-list order) and is returned.
    private mutating func triggerCheck(_ symbol: String) -> [Order] {
        let instrument = instruments[symbol]!
        guard !instrument.halted else { return [] }
        let fired = instrument.stops.filter { instrument.stopHolds($0) }
        instruments[symbol]!.stops.removeAll { instrument.stopHolds($0) }
        for stop in fired { emitOrder(stop, status: "triggered") }
        return fired
    }

    private enum WalkOutcome {
        case filled
        case cancelledBySelfTradePrevention
        case remaining(Order)
    }

    /// One incoming order: FOK dry run, matching, then the remainder rests, is cancelled or expires.
    /// Answers whether it traded.
    private mutating func runIncoming(_ order: Order) -> Bool {
        if order.tif == .fok {
            var trial = self
            if case .filled = trial.walk(order).outcome {
                // It fills: executing it for real gives the same walk.
            } else {
                emitOrder(order, status: "expired", reason: "fok_unfilled")
                return false
            }
        }
        let (outcome, traded) = walk(order)
        guard case .remaining(let taker) = outcome else { return traded }
        if taker.isMarket {
            emitOrder(taker, status: "expired", reason: "no_liquidity")
        } else if taker.tif == .ioc || taker.tif == .fok {
            emitOrder(taker, status: "cancelled", reason: "ioc_remainder")
        } else {
            var resting = taker
            resting.shown = min(taker.displayQty ?? taker.leaves, taker.leaves)
            instruments[taker.symbol]!.rest(resting)
            emitBook(taker.symbol, taker.side, taker.price!)
        }
        return traded
    }

    /// The matching walk of an incoming order against the opposite side, with self-trade prevention.
    private mutating func walk(_ incoming: Order) -> (outcome: WalkOutcome, traded: Bool) {
        var taker = incoming
        var traded = false
        let symbol = taker.symbol
        let makerSide = taker.side.opposite
        while taker.leaves > 0 {
            guard var maker = instruments[symbol]!.book(makerSide).first else { break }
            let makerPrice = maker.price!
            if let limit = taker.limitPrice, taker.side == .buy ? makerPrice > limit : makerPrice < limit { break }

            if maker.account == taker.account && taker.stp != .noPrevention {
                switch taker.stp {
                case .cancelTaker:
                    emitOrder(taker, status: "cancelled", reason: "self_trade")
                    return (.cancelledBySelfTradePrevention, traded)
                case .cancelMaker:
                    close(maker, status: "cancelled", reason: "self_trade")
                    continue
                case .cancelBoth:
                    close(maker, status: "cancelled", reason: "self_trade")
                    emitOrder(taker, status: "cancelled", reason: "self_trade")
                    return (.cancelledBySelfTradePrevention, traded)
                case .decrement:
                    let amount = min(maker.leaves, taker.leaves)
                    let fromHidden = min(amount, maker.leaves - maker.shown)
                    let fromShown = amount - fromHidden
                    maker.qty -= amount
                    maker.shown -= fromShown
                    taker.qty -= amount
                    if maker.leaves == 0 {
                        _ = instruments[symbol]!.removeResting(id: maker.id)
                        emitOrder(maker, status: "cancelled", reason: "self_trade")
                    } else {
                        instruments[symbol]!.updateResting(maker)
                        emitOrder(maker, status: maker.liveStatus)
                    }
                    if taker.leaves == 0 {
                        emitOrder(taker, status: "cancelled", reason: "self_trade")
                    } else {
                        emitOrder(taker, status: taker.liveStatus)
                    }
                    if fromShown > 0 { emitBook(symbol, makerSide, makerPrice) }
                    if taker.leaves == 0 { return (.cancelledBySelfTradePrevention, traded) }
                    continue
                case .noPrevention:
                    break
                }
            }

            let qty = min(taker.leaves, maker.shown)
            emitTrade(maker: maker, taker: taker, price: makerPrice, qty: qty)
            traded = true
            instruments[symbol]!.lastTradePrice = makerPrice
            let value = RefBigUInt(UInt64(makerPrice)) * RefBigUInt(UInt64(qty))
            maker.filled += qty
            maker.shown -= qty
            maker.tradedValue = maker.tradedValue + value
            taker.filled += qty
            taker.tradedValue = taker.tradedValue + value
            if maker.leaves == 0 {
                _ = instruments[symbol]!.removeResting(id: maker.id)
            } else if maker.shown == 0 {
                // Iceberg: reveal a new slice at the back of the queue (new priority time).
                _ = instruments[symbol]!.removeResting(id: maker.id)
                maker.shown = min(maker.displayQty!, maker.leaves)
                instruments[symbol]!.rest(maker)
            } else {
                instruments[symbol]!.updateResting(maker)
            }
            emitOrder(maker, status: maker.leaves == 0 ? "filled" : "partially_filled")
            emitOrder(taker, status: taker.leaves == 0 ? "filled" : "partially_filled")
            emitBook(symbol, makerSide, makerPrice)
        }
        if taker.leaves == 0 { return (.filled, traded) }
        return (.remaining(taker), traded)
    }

    // MARK: - replace

    mutating func replace(_ line: JSONValue) {
        func rejectReplace(_ reason: String, _ message: String) {
            reject(line, cmd: "replace", reason: reason, message: message)
        }
        var fields = FieldReader(line: line)
        let symbol = fields.string("symbol", required: true)
        let account = fields.string("account", required: true)
        let reference = fields.orderReference()
        let priceText = fields.decimal("price", required: false)
        let qtyText = fields.decimal("qty", required: false)
        let stopPriceText = fields.decimal("stop_price", required: false)
        let newClientOrderId = fields.string("new_client_order_id", required: false)
        let ts = fields.integer("ts", required: false)
        let changesSomething = priceText != nil || qtyText != nil || stopPriceText != nil
        guard !fields.malformed, changesSomething, let symbol, let account, let reference else {
            return rejectReplace("malformed", "bad replace")
        }
        guard let instrument = instruments[symbol] else {
            advanceClock(to: ts)
            return rejectReplace("unknown_symbol", "unknown symbol")
        }
        let price = priceText.map { RefNumbers.count(of: $0, in: instrument.tick) }
        let qty = qtyText.map { RefNumbers.count(of: $0, in: instrument.lot) }
        let stopPrice = stopPriceText.map { RefNumbers.count(of: $0, in: instrument.tick) }
        guard ![price, qty, stopPrice].contains(.overflow) else {
            return rejectReplace("malformed", "number out of range")
        }
        advanceClock(to: ts)
        guard var order = findOrder(reference, account: account, symbol: symbol) else {
            return rejectReplace("unknown_order", "unknown order")
        }
        if instruments[symbol]!.halted { return rejectReplace("halted", "symbol halted") }
        let resting = isResting(order)
        let untriggeredStop = !resting
        // price: a resting limit (a triggered stop_limit rests as one) or an untriggered stop_limit.
        if price != nil && !(resting || order.type == .stopLimit) {
            return rejectReplace("malformed", "price does not apply")
        }
        if stopPrice != nil && !untriggeredStop { return rejectReplace("malformed", "stop_price does not apply") }
        if let price, price.positive == nil { return rejectReplace("off_tick", "price off the tick grid") }
        if let stopPrice, stopPrice.positive == nil { return rejectReplace("off_tick", "stop_price off the tick grid") }
        if let qty, qty.positive == nil { return rejectReplace("off_lot", "qty off the lot grid") }
        if let newClientOrderId, clientOrderIdTaken(newClientOrderId, account: account, except: order.id) {
            return rejectReplace("duplicate_client_order_id", "client_order_id in use")
        }
        let newPrice = price?.positive ?? order.price
        let newStopPrice = stopPrice?.positive ?? order.stopPrice
        let newQty = qty?.positive ?? order.qty
        let newClient = newClientOrderId ?? order.clientOrderId
        if newPrice == order.price && newStopPrice == order.stopPrice && newQty == order.qty
            && newClient == order.clientOrderId
        {
            return rejectReplace("no_change", "nothing changes")
        }
        if newQty <= order.filled {
            // The replace takes effect as a cancel: the order ends under its new client_order_id.
            order.clientOrderId = newClient
            close(order, status: "cancelled", reason: "replaced_below_filled")
            return
        }
        if let problem = boundsProblem(instruments[symbol]!, qty: newQty, price: newPrice) {
            return rejectReplace(problem, "limits")
        }
        let keepsPriority =
            newPrice == order.price && newStopPrice == order.stopPrice && newQty - order.filled <= order.leaves
        if !keepsPriority && order.postOnly && wouldCross(symbol, side: order.side, price: newPrice!) {
            return rejectReplace("would_cross", "post_only would cross")
        }

        if keepsPriority {
            let oldShown = order.shown
            order.qty = newQty
            order.clientOrderId = newClient
            if resting {
                order.shown = min(order.shown, order.leaves)
                instruments[symbol]!.updateResting(order)
            } else {
                let index = instruments[symbol]!.stops.firstIndex { $0.id == order.id }!
                instruments[symbol]!.stops[index] = order
            }
            emitOrder(order, status: order.liveStatus)
            if resting && order.shown != oldShown { emitBook(symbol, order.side, order.price!) }
            return
        }

        let oldPrice = order.price
        _ = removeOpen(order)
        order.price = newPrice
        order.stopPrice = newStopPrice
        order.qty = newQty
        order.clientOrderId = newClient
        emitOrder(order, status: "replaced")
        if resting {
            emitBook(symbol, order.side, oldPrice!)
            processIncoming(order)
        } else {
            enterStopList(order)
        }
    }
}
