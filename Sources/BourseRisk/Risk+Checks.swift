import BourseCore

/// What the risk layer needs to know of an instrument's market at a check (ticks).
public struct MarketView: Sendable {
    public var lastTrade: Int64?
    public var bid: Int64?
    public var ask: Int64?

    public init(lastTrade: Int64?, bid: Int64?, ask: Int64?) {
        self.lastTrade = lastTrade
        self.bid = bid
        self.ask = ask
    }

    /// The reference price of price bands: the last trade, else the mid, else none.
    public var reference: Int64? {
        if let lastTrade { return lastTrade }
        guard let bid, let ask else { return nil }
        return bid + (ask - bid) / 2
    }
}

/// What a cash account's order holds: an asset, and an amount per lot of remaining quantity.
public struct HoldTerms: Sendable {
    public var asset: UInt32
    public var perLot: Amount
    /// The maker and taker fees (basis points) the hold covers.
    public var fees: FeeTier
}

/// Why the risk layer refuses a command: a reason code, and a sentence when the
/// reason's own is not precise enough.
public struct RiskRejection: Error, Sendable {
    public var reason: RejectReason
    public var message: String?

    public init(_ reason: RejectReason, _ message: String? = nil) {
        self.reason = reason
        self.message = message
    }
}

extension Risk {
    /// Whether new orders and replaces need checking at all: not until some account has a
    /// setting, some instrument a band or breaker, or a kill switch was used.
    @inline(__always)
    public var needsChecks: Bool { checksActive }

    /// The pre-trade checks of a new order that the contract's validation accepted, in
    /// the order of `docs/risk.md`: kill switches, account disabled, order rate, max order
    /// quantity, max order notional, price band, max open orders, max position, max
    /// daily loss, balance. For a cash account's market or stop buy it also sets the
    /// protection price (`order.price`) that its hold is computed against. Answers a
    /// cash order's hold terms, for `accepted(_:_:now:hold:)`.
    @discardableResult
    public mutating func check(
        _ order: inout NewOrder, market: MarketView, now: Int64
    ) throws(RiskRejection) -> HoldTerms? {
        if venueKilled { throw RiskRejection(.killSwitch, "the venue's kill switch is engaged") }
        let symbol = Int(order.symbol.rawValue)
        let index = Int(order.account.rawValue)
        guard index < accounts.count else {
            // An account without settings: only the instrument's own check applies.
            if order.type.hasLimitPrice { try checkBand(order.price!, symbol, market) }
            return nil
        }
        try checkAccountState(order.account)
        let mode = accounts[index].mode
        if accounts[index].rateCount >= accounts[index].orderRateLimit, accounts[index].rateSecond == now / 1000 {
            throw RiskRejection(.rateLimit)
        }
        let needsProtection = mode == .cash && order.side == .buy && !order.type.hasLimitPrice
        if needsProtection {
            order.price = protectionPrice(order.type == .stop ? order.stopPrice : nil, symbol, market)
        }
        let sized = symbol < accounts[index].unitLimits.count
        if sized { try checkSize(quantity: order.quantity, price: pricing(order, market), symbol, account: index) }
        if order.type.hasLimitPrice { try checkBand(order.price!, symbol, market) }
        if accounts[index].openOrders >= accounts[index].openOrderLimit { throw RiskRejection(.maxOpenOrders) }
        if sized, case let maximum = accounts[index].unitLimits[symbol].position, maximum != UnitLimits.none {
            if maximum == UnitLimits.unsupported { throw unsupportedUnits }
            let net = positionIndex(order.account, order.symbol).map { positions[$0].net } ?? 0
            let after = Int128(net) + (order.side == .buy ? 1 : -1) * Int128(order.quantity)
            if after.magnitude > maximum.magnitude { throw RiskRejection(.maxPosition) }
        }
        if let maximum = accounts[index].limits[.maxDailyLoss], dailyPnL(of: index) < Amount.zero - maximum {
            throw RiskRejection(.maxDailyLoss)
        }
        guard mode == .cash else { return nil }
        if needsProtection && order.price == nil {
            throw RiskRejection(
                .insufficientBalance, "a market buy needs a reference price or an ask to be held against")
        }
        let terms = try holdTerms(order.side, price: order.price, symbol, order.account)
        guard let needed = terms.perLot.times(Int128(order.quantity)),
            needed <= balance(order.account, asset: terms.asset).available
        else { throw RiskRejection(.insufficientBalance) }
        return terms
    }

    /// The checks of a replace that the engine will apply: kill switches, disabled
    /// account, quantity and notional limits and the price band on the new values, and
    /// for a cash account the balance for a hold that grows. Answers the new
    /// protection price of a cash account's stop buy whose stop price changes.
    public func checkReplace(
        _ order: OrderView, price newPrice: Int64?, stopPrice newStop: Int64?, quantity newTotal: Int64?,
        market: MarketView
    ) throws(RiskRejection) -> Int64? {
        if venueKilled { throw RiskRejection(.killSwitch, "the venue's kill switch is engaged") }
        let symbol = Int(order.symbol.rawValue)
        let index = Int(order.account.rawValue)
        guard index < accounts.count else {
            if let newPrice, order.type.hasLimitPrice { try checkBand(newPrice, symbol, market) }
            return nil
        }
        let mode = accounts[index].mode
        try checkAccountState(order.account)
        let total = newTotal ?? (order.leaves.lots + order.filled.lots)
        let leaves = total - order.filled.lots
        guard leaves > 0 else { return nil }  // the replace cancels the order
        var protection: Int64?
        if mode == .cash && order.side == .buy && order.type == .stop, let newStop {
            protection = protectionPrice(newStop, symbol, market)
        }
        let limitPrice = order.type.hasLimitPrice ? (newPrice ?? order.price.ticks) : nil
        let stopPrice = newStop ?? (order.stopPrice.ticks > 0 ? order.stopPrice.ticks : nil)
        let price =
            limitPrice ?? (order.type == .stop ? stopPrice : nil) ?? protection
            ?? (order.price.ticks > 0 ? order.price.ticks : nil)
        if symbol < accounts[index].unitLimits.count {
            try checkSize(quantity: total, price: price, symbol, account: index)
        }
        if let newPrice, order.type.hasLimitPrice { try checkBand(newPrice, symbol, market) }
        if mode == .cash, let slot = holds.find(order.orderID.rawValue) {
            let hold = holds[slot]
            let holdPrice = limitPrice ?? protection ?? order.price.ticks
            let terms = try holdTerms(order.side, price: holdPrice, symbol, order.account)
            guard let needed = terms.perLot.times(Int128(leaves)),
                needed - hold.held <= balance(order.account, asset: hold.asset).available
            else { throw RiskRejection(.insufficientBalance) }
        }
        return protection
    }

    @inline(__always)
    private func checkAccountState(_ account: AccountID) throws(RiskRejection) {
        let index = Int(account.rawValue)
        if accounts[index].killed { throw RiskRejection(.killSwitch, "the account's kill switch is engaged") }
        if !accounts[index].enabled { throw RiskRejection(.accountDisabled) }
    }

    /// Max order quantity and max order notional, in the instrument's units (`UnitLimits`).
    @inline(__always)
    private func checkSize(quantity: Int64, price: Int64?, _ symbol: Int, account: Int) throws(RiskRejection) {
        let limits = accounts[account].unitLimits[symbol]
        if limits.orderQuantity != UnitLimits.none {
            if limits.orderQuantity == UnitLimits.unsupported { throw unsupportedUnits }
            if Int128(quantity) > limits.orderQuantity { throw RiskRejection(.maxOrderQuantity) }
        }
        if limits.orderNotional != UnitLimits.none, let price {
            if limits.orderNotional == UnitLimits.unsupported { throw unsupportedUnits }
            if Int128(price) * Int128(quantity) > limits.orderNotional { throw RiskRejection(.maxOrderNotional) }
        }
    }

    /// The price band: at most the instrument's band away from the reference price.
    @inline(__always)
    private func checkBand(_ price: Int64, _ symbol: Int, _ market: MarketView) throws(RiskRejection) {
        guard let band = instruments[symbol].bandBasisPoints, let reference = market.reference else { return }
        let distance = (Int128(price) - Int128(reference)).magnitude * 10_000
        if distance > UInt128(band) * Int128(reference).magnitude {
            throw RiskRejection(.priceBand)
        }
    }

    /// The price a new order's notional is measured at: its limit price; for a stop its
    /// stop price; for a market order its protection price, else the reference price,
    /// else the best opposite price (none: the notional check does not apply).
    @inline(__always)
    private func pricing(_ order: NewOrder, _ market: MarketView) -> Int64? {
        if order.type.hasLimitPrice { return order.price }
        if order.type == .stop { return order.stopPrice }
        if let price = order.price, price > 0 { return price }
        return market.reference ?? (order.side == .buy ? market.ask : market.bid)
    }

    /// The protection price of a cash account's market buy (from the reference price,
    /// else the best ask) or stop buy (from its stop price): the instrument's protection
    /// percentage above it, on the tick grid. A market buy with no price to start from
    /// cannot be held against and is refused.
    private func protectionPrice(_ stopPrice: Int64?, _ symbol: Int, _ market: MarketView) -> Int64? {
        guard let base = stopPrice ?? market.reference ?? market.ask else { return nil }
        let capped = Int128(base) * Int128(10_000 + instruments[symbol].protectionBasisPoints) / 10_000
        return capped > Int128(Int64.max) ? .max : Int64(capped)
    }

    /// What a cash account's order holds: the asset, and the amount per lot of
    /// remaining quantity (a buy: price x lot in quote plus the worst-case fee, rounded
    /// up per lot so that it covers every fill; a sell: one lot of base).
    @inline(__always)
    func holdTerms(
        _ side: Side, price: Int64?, _ symbol: Int, _ account: AccountID
    ) throws(RiskRejection) -> HoldTerms {
        // The instrument's fields read in place: a copy of the whole instrument was a call to memcpy.
        guard let base = instruments[symbol].base, let quote = instruments[symbol].quote else {
            throw RiskRejection(.unknownAsset)
        }
        guard let basePerLot = instruments[symbol].basePerLot, let quotePerTickLot = instruments[symbol].quotePerTickLot
        else {
            throw unsupportedUnits
        }
        let fees = self.fees[symbol].fees(tier: accounts[Int(account.rawValue)].tier)
        if side == .sell { return HoldTerms(asset: base, perLot: basePerLot, fees: fees) }
        guard let price, price > 0, let notional = quotePerTickLot.times(Int128(price)) else {
            throw RiskRejection(.insufficientBalance)
        }
        return HoldTerms(
            asset: quote,
            perLot: notional
                + instruments[symbol].fee(
                    ticks: Int128(price), notional: notional, basisPoints: max(fees.maker, fees.taker)),
            fees: fees)
    }

    private var unsupportedUnits: RiskRejection {
        RiskRejection(.unknownAsset, "the instrument's tick or lot size has more than 18 decimal places")
    }

    /// The account's limits for one instrument: its own for the instrument, else the account's.
    @inline(__always)
    func effectiveLimits(_ account: AccountID, _ symbol: SymbolID) -> Limits {
        var limits = accounts[Int(account.rawValue)].limits
        guard accounts[Int(account.rawValue)].hasInstrumentLimits,
            let specific = instrumentLimits[Self.key(account, symbol.rawValue)]
        else { return limits }
        for field in Limits.Field.allCases where specific[field] != nil { limits[field] = specific[field] }
        return limits
    }

    /// `dailyPnL(_:)` of the account at `index`, computed again only when a trade or a
    /// settlement came since it last was (orders come far more often than trades).
    @inline(__always)
    mutating func dailyPnL(of index: Int) -> Amount {
        if accounts[index].dailyPnLEpoch == pnlEpoch { return accounts[index].dailyPnL }
        let pnl = dailyPnL(AccountID(UInt32(index)))
        accounts[index].dailyPnLEpoch = pnlEpoch
        accounts[index].dailyPnL = pnl
        return pnl
    }

    /// Realized plus unrealized P&L since the session started, in quote units (summed
    /// over the account's instruments).
    func dailyPnL(_ account: AccountID) -> Amount {
        var total = Amount.zero
        let owner = Int(account.rawValue)
        // By index: a for-in would copy (retain and release) the account's list on every order.
        for listed in 0..<accounts[owner].positions.count {
            // Fields read in place: copies of the position and the instrument were calls to memcpy.
            let index = Int(accounts[owner].positions[listed])
            let symbol = Int(positions[index].symbol.rawValue)
            guard let perTickLot = instruments[symbol].quotePerTickLot else { continue }
            let pnl = positions[index].realized.saturatingAdd(
                positions[index].unrealized(mark: instruments[symbol].lastPrice)
            )
            .saturatingAdd(0 &- positions[index].sessionStartPnL)
            total += perTickLot.timesSaturating(pnl)
        }
        return total
    }
}
