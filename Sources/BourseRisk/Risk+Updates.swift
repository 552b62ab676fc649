import BourseCore

extension Risk {
    // MARK: Following the engine's events

    /// An order was accepted: it counts as open and toward the order rate, and a cash
    /// account's order holds its worst case (see `holdTerms`).
    /// `hold`: the terms `check` answered for it, if it was checked.
    public mutating func accepted(_ orderID: OrderID, _ order: NewOrder, now: Int64, hold terms: HoldTerms? = nil) {
        ensureAccount(order.account)
        let index = Int(order.account.rawValue)
        accounts[index].openOrders += 1
        let second = now / 1000
        if accounts[index].rateSecond != second {
            accounts[index].rateSecond = second
            accounts[index].rateCount = 0
        }
        accounts[index].rateCount += 1
        guard accounts[index].mode == .cash,
            let terms = terms
                ?? (try? holdTerms(order.side, price: order.price, Int(order.symbol.rawValue), order.account))
        else { return }
        let slot = holds.insert(
            orderID.rawValue,
            Hold(
                account: order.account, asset: terms.asset, perLot: terms.perLot, held: .zero,
                makerBasisPoints: Int32(terms.fees.maker), takerBasisPoints: Int32(terms.fees.taker)))
        setHeld(slot: slot, leaves: order.quantity)
    }

    /// A replace went through: a cash account's order now holds at its new price, with the
    /// fees in force now.
    public mutating func replaced(_ orderID: OrderID, side: Side, symbol: SymbolID, price: Int64) {
        guard let slot = holds.find(orderID.rawValue),
            let terms = try? holdTerms(side, price: price, Int(symbol.rawValue), holds[slot].account)
        else { return }
        holds[slot].perLot = terms.perLot
        holds[slot].makerBasisPoints = Int32(terms.fees.maker)
        holds[slot].takerBasisPoints = Int32(terms.fees.taker)
    }

    /// Starts loading the hold of `orderID` (a command is about to change the order): the
    /// cache miss then overlaps with the engine's own work on the order.
    @inline(__always)
    public func prefetchHold(_ orderID: OrderID) {
        if hasHolds { holds.prefetch(orderID.rawValue) }
    }

    /// Whether some open order holds a balance.
    @inline(__always)
    public var hasHolds: Bool { holds.count > 0 }

    /// An order changed: its hold follows its remaining quantity, and it stops counting
    /// as open when it ends.
    public mutating func orderChanged(_ update: OrderUpdate) {
        let index = Int(update.account.rawValue)
        let terminal = update.status.isTerminal
        if accounts[index].mode == .cash || holds.count > 0, let slot = holds.find(update.orderID.rawValue) {
            setHeld(slot: slot, leaves: terminal ? 0 : update.leaves.lots)
            if terminal { holds.remove(at: slot) }
        }
        if terminal { accounts[index].openOrders -= 1 }
    }

    @inline(__always)
    private mutating func setHeld(slot: Int, leaves: Int64) {
        let hold = holds[slot]
        let held = hold.perLot.timesSaturating(Int128(leaves))
        holds[slot].held = held
        changeBalance(hold.account, hold.asset, held: held - hold.held)
    }

    /// A trade: both positions, fees, and the balances of cash accounts (credit accounts'
    /// side goes to `externalFlow`); the mark price and the breaker's history.
    public mutating func traded(_ trade: Trade, now: Int64) {
        pnlEpoch &+= 1
        let symbol = trade.symbol
        // The instrument's fields that a trade needs, read in place (a copy of the whole
        // instrument was a call to memcpy).
        let instrumentIndex = Int(symbol.rawValue)
        let quotePerTickLot = instruments[instrumentIndex].quotePerTickLot
        let basePerLot = instruments[instrumentIndex].basePerLot
        let baseAsset = instruments[instrumentIndex].base
        let quoteAsset = instruments[instrumentIndex].quote
        let price = trade.price.ticks
        let quantity = trade.quantity.lots
        let buyer = trade.aggressor == .buy ? trade.takerAccount : trade.makerAccount
        let seller = trade.aggressor == .buy ? trade.makerAccount : trade.takerAccount
        let buyOrder = trade.aggressor == .buy ? trade.takerOrderID : trade.makerOrderID
        let sellOrder = trade.aggressor == .buy ? trade.makerOrderID : trade.takerOrderID
        let notionalTicks = Int128(price) * Int128(quantity)
        let notional = quotePerTickLot.map { $0.timesSaturating(notionalTicks) }
        let hasFees = !fees[instrumentIndex].tiers.isEmpty
        /// A cash order pays the fees its hold was computed with; others the fees in force.
        func fee(_ account: AccountID, _ orderID: OrderID, maker: Bool) -> Amount {
            guard hasFees, let notional, quoteAsset != nil else { return .zero }
            if holds.count > 0, let slot = holds.find(orderID.rawValue) {
                let hold = holds[slot]
                return instruments[instrumentIndex].fee(
                    ticks: notionalTicks, notional: notional,
                    basisPoints: Int(maker ? hold.makerBasisPoints : hold.takerBasisPoints))
            }
            let tier = Int(account.rawValue) < accounts.count ? accounts[Int(account.rawValue)].tier : 0
            let fees = self.fees[instrumentIndex].fees(tier: tier)
            return instruments[instrumentIndex].fee(
                ticks: notionalTicks, notional: notional, basisPoints: maker ? fees.maker : fees.taker)
        }
        let buyerFee = fee(buyer, buyOrder, maker: trade.aggressor == .sell)
        let sellerFee = fee(seller, sellOrder, maker: trade.aggressor == .buy)
        updatePosition(buyer, symbol, quantity: quantity, price: price, fee: buyerFee)
        updatePosition(seller, symbol, quantity: -quantity, price: price, fee: sellerFee)
        if let base = baseAsset, let quote = quoteAsset, let notional,
            let baseAmount = basePerLot?.timesSaturating(Int128(quantity))
        {
            feesCollected[Int(quote)] += buyerFee + sellerFee
            if mode(of: buyer) == .cash {
                changeBalance(buyer, quote, total: Amount.zero - notional - buyerFee)
                changeBalance(buyer, base, total: baseAmount)
            } else {
                externalFlow[Int(quote)] -= notional + buyerFee
                externalFlow[Int(base)] += baseAmount
            }
            if mode(of: seller) == .cash {
                changeBalance(seller, base, total: Amount.zero - baseAmount)
                changeBalance(seller, quote, total: notional - sellerFee)
            } else {
                externalFlow[Int(base)] -= baseAmount
                externalFlow[Int(quote)] += notional - sellerFee
            }
        }
        instruments[instrumentIndex].lastPrice = price
        if instruments[instrumentIndex].breaker != nil { recordTrade(symbol, price: price, now: now) }
    }

    @inline(__always)
    private mutating func updatePosition(
        _ account: AccountID, _ symbol: SymbolID, quantity: Int64, price: Int64, fee: Amount
    ) {
        let index: Int
        if let existing = positionIndex(account, symbol) {
            index = existing
        } else {
            ensureAccount(account)
            index = positions.count
            positions.append(Position(account: account, symbol: symbol))
            let owner = Int(account.rawValue)
            accounts[owner].positions.append(Int32(index))
            while accounts[owner].positionBySymbol.count <= Int(symbol.rawValue) {
                accounts[owner].positionBySymbol.append(-1)
            }
            accounts[owner].positionBySymbol[Int(symbol.rawValue)] = Int32(index)
        }
        // Changed in place: a copy of the position out of the array and back was two calls to memcpy.
        positions[index].record(quantity: quantity, price: price, fee: fee)
    }

    /// Changes a balance (its total and what is held of it) and notes it for the `balance` events of the command.
    @inline(__always)
    mutating func changeBalance(_ account: AccountID, _ asset: UInt32, total: Amount = .zero, held: Amount = .zero) {
        let index = Int(account.rawValue)
        if index >= accounts.count { ensureAccount(account) }
        balances.add(account: index, asset: Int(asset), total: total, held: held)
        let key = Self.key(account, asset)
        for listed in 0..<changedBalanceCount where changedBalances[listed] == key { return }
        if changedBalanceCount < changedBalances.count {
            changedBalances[changedBalanceCount] = key
        } else {
            changedBalances.append(key)
        }
        changedBalanceCount += 1
    }

    /// Whether balances changed since the last `clearChangedBalances()`.
    @inline(__always)
    public var hasBalanceEvents: Bool { changedBalanceCount > 0 }

    /// The `index`th balance the command changed, in the order they first changed.
    /// (Mutating only so that the venue's call reads the state in place: a non-mutating
    /// call on the venue's risk state copied all of it first.)
    public mutating func changedBalance(_ index: Int) -> (account: AccountID, asset: UInt32, balance: Balance) {
        let key = changedBalances[index]
        let account = AccountID(UInt32(key >> 32))
        let asset = UInt32(truncatingIfNeeded: key)
        return (account, asset, balance(account, asset: asset))
    }

    /// Forgets the changed balances once their events are answered.
    public mutating func clearChangedBalances() { changedBalanceCount = 0 }

    // MARK: Circuit breakers

    @inline(__always)
    private mutating func recordTrade(_ symbol: SymbolID, price: Int64, now: Int64) {
        let index = Int(symbol.rawValue)
        let count = breakerHistories[index].marks.count
        if count > breakerHistories[index].head, breakerHistories[index].marks[count - 1].time == now {
            breakerHistories[index].marks[count - 1].last = price
        } else {
            breakerHistories[index].marks.append(TradeMark(time: now, first: price, last: price))
        }
    }

    /// The band of trade prices the breaker allows in `symbol` for a command at `now`
    /// (the full range when it has no reference price yet; nil when it has no breaker).
    /// The reference price is the price that stood `window` ago: the last trade at or
    /// before that time, else the first trade since.
    public mutating func breakerBand(_ symbol: SymbolID, now: Int64) -> ClosedRange<Int64>? {
        let index = Int(symbol.rawValue)
        guard let breaker = instruments[index].breaker else { return nil }
        let start = now - breaker.windowMilliseconds
        while breakerHistories[index].head < breakerHistories[index].marks.count,
            breakerHistories[index].marks[breakerHistories[index].head].time <= start
        {
            breakerHistories[index].standingPrice = breakerHistories[index].marks[breakerHistories[index].head].last
            breakerHistories[index].head += 1
        }
        var head = breakerHistories[index].head
        if head > 64 && head * 2 > breakerHistories[index].marks.count {
            breakerHistories[index].marks.removeFirst(head)
            breakerHistories[index].head = 0
            head = 0
        }
        // Read in place: a copy of the history would retain and release its marks.
        let reference =
            breakerHistories[index].standingPrice
            ?? (head < breakerHistories[index].marks.count ? breakerHistories[index].marks[head].first : nil)
        guard let reference else { return Int64.min...Int64.max }
        if let memo = breakerHistories[index].band, memo.reference == reference,
            memo.basisPoints == breaker.basisPoints
        {
            return memo.band
        }
        let width = Int128(reference) * Int128(breaker.basisPoints) / 10_000
        let low = max(Int128(Int64.min), Int128(reference) - width)
        let high = min(Int128(Int64.max), Int128(reference) + width)
        let band = Int64(low)...Int64(high)
        breakerHistories[index].band = BandMemo(reference: reference, basisPoints: breaker.basisPoints, band: band)
        return band
    }

    /// The breaker halted `symbol` at `now`: it resumes when the engine clock reaches the end of the halt.
    public mutating func breakerTripped(_ symbol: SymbolID, now: Int64) {
        let index = Int(symbol.rawValue)
        guard let breaker = instruments[index].breaker else { return }
        instruments[index].resumeAt = Int64(clamping: Int128(now) + Int128(breaker.haltMilliseconds))
        updateNextResume()
    }

    /// Forgets a breaker halt (a manual `halt` or `resume` took over).
    public mutating func clearBreakerHalt(_ symbol: SymbolID) {
        guard instruments[Int(symbol.rawValue)].resumeAt != nil else { return }
        instruments[Int(symbol.rawValue)].resumeAt = nil
        updateNextResume()
    }

    /// The symbols whose breaker halt ends at or before `now`, in symbol order; they are forgotten.
    public mutating func breakerResumes(now: Int64) -> [SymbolID] {
        var due: [SymbolID] = []
        for index in instruments.indices {
            if let resumeAt = instruments[index].resumeAt, resumeAt <= now {
                instruments[index].resumeAt = nil
                due.append(SymbolID(UInt32(index)))
            }
        }
        updateNextResume()
        return due
    }

    /// Whether a breaker halt ends at or before `now` (one comparison: the clock asks on every move).
    @inline(__always)
    public func breakerResumeDue(now: Int64) -> Bool {
        guard let next = nextResumeAt else { return false }
        return next <= now
    }

    mutating func updateNextResume() {
        nextResumeAt = instruments.compactMap(\.resumeAt).min()
    }

    // MARK: Sessions

    /// `settle` ends the trading day: every position traded since the last settlement
    /// answers its settlement (in the order positions were opened), then the netting
    /// restarts and daily P&L is measured from now.
    public mutating func endSession(_ body: (RiskEvent) -> Void) {
        pnlEpoch &+= 1
        for index in positions.indices {
            let mark = instruments[Int(positions[index].symbol.rawValue)].lastPrice
            if positions[index].tradedThisSession { body(.settlement(positions[index])) }
            positions[index].sessionNet = 0
            positions[index].sessionCash = 0
            positions[index].sessionFees = .zero
            positions[index].tradedThisSession = false
            positions[index].sessionStartPnL = positions[index].realized + positions[index].unrealized(mark: mark)
        }
    }
}

extension Position {
    /// A trade of `quantity` lots (positive: bought) at `price` ticks, paying `fee`.
    @inline(__always)
    mutating func record(quantity: Int64, price: Int64, fee: Amount) {
        let delta = Int128(quantity)
        let before = Int128(net)
        // Saturating arithmetic: exact for any real position, and absurd sizes cannot stop the engine.
        if before == 0 || (before > 0) == (delta > 0) {
            cost = cost.saturatingAdd(delta * Int128(price))
        } else {
            // Reducing: the closed part's share of the cost leaves, the difference is realized.
            let closed = Int128(min(delta.magnitude, before.magnitude))
            let costRemoved =
                closed == Int128(before.magnitude)
                ? cost : cost.saturatingMultiply(closed) / Int128(before.magnitude)
            let sign: Int128 = before > 0 ? 1 : -1
            realized = realized.saturatingAdd((sign * Int128(price) * closed).saturatingAdd(0 &- costRemoved))
            cost = cost.saturatingAdd(0 &- costRemoved)
            if delta.magnitude > before.magnitude {
                // The position flips: the rest opens at this price.
                cost = (delta + before) * Int128(price)
            }
        }
        net = Int64(clamping: before + delta)
        fees += fee
        sessionNet = Int64(clamping: Int128(sessionNet) + delta)
        sessionCash = sessionCash.saturatingAdd(0 &- delta * Int128(price))
        sessionFees += fee
        tradedThisSession = true
    }
}
