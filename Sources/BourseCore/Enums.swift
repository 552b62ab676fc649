@frozen public enum Side: UInt8, Sendable {
    case buy
    case sell

    @inlinable public var opposite: Side { self == .buy ? .sell : .buy }

    /// Whether `price` is at least as good as `other` for an order resting on this side
    /// (higher for bids, lower for asks).
    @inlinable public func isAtLeastAsGood(_ price: Int64, as other: Int64) -> Bool {
        self == .buy ? price >= other : price <= other
    }
}

@frozen public enum OrderType: UInt8, Sendable {
    case limit
    case market
    case stop
    case stopLimit

    /// Whether the order carries a limit price (`price`).
    @inlinable @inline(__always) public var hasLimitPrice: Bool { self == .limit || self == .stopLimit }
    /// Whether the order waits for a trigger (`stop_price`).
    @inlinable @inline(__always) public var isStop: Bool { self == .stop || self == .stopLimit }
}

@frozen public enum TimeInForce: UInt8, Sendable {
    case goodTillCancel
    case immediateOrCancel
    case fillOrKill
    case day
    case goodTillDate
}

/// What happens when an incoming order would trade with a resting order of its own account.
@frozen public enum SelfTradePrevention: UInt8, Sendable {
    case cancelTaker
    case cancelMaker
    case cancelBoth
    case decrement
    case none
}

@frozen public enum OrderStatus: UInt8, Sendable {
    case new
    case partiallyFilled
    case filled
    case cancelled
    case expired
    case replaced
    case triggered

    @inlinable @inline(__always) public var isTerminal: Bool {
        self == .filled || self == .cancelled || self == .expired
    }
}

/// Why an order was cancelled or expired (the `reason` of an `order` event).
@frozen public enum OrderReason: UInt8, Sendable {
    case cancelled
    case iocRemainder
    case fokUnfilled
    case noLiquidity
    case selfTrade
    case gtdExpired
    case endSession
    case massCancel
    case replacedBelowFilled
    /// The account's or the venue's kill switch was engaged.
    case killSwitch
    /// The order would have traded outside the circuit breaker's band, which halted the symbol.
    case circuitBreaker
}

/// Why a command was rejected. A rejection has no effect on the book.
@frozen public enum RejectReason: UInt8, Sendable {
    case malformed
    case unknownSymbol
    case missingPrice
    case missingStopPrice
    case offTick
    case offLot
    case invalidTimeInForce
    case invalidDisplayQuantity
    case invalidExpireAt
    case quantityBelowMinimum
    case quantityAboveMaximum
    case notionalBelowMinimum
    case duplicateClientOrderID
    case halted
    case wouldCross
    case unknownOrder
    case noChange
    case duplicateSymbol
    // Pre-trade risk checks (`BourseRisk`); the core itself never answers these.
    case accountDisabled
    case killSwitch
    case rateLimit
    case maxOrderQuantity
    case maxOrderNotional
    case priceBand
    case maxOpenOrders
    case maxPosition
    case maxDailyLoss
    case insufficientBalance
    /// The instrument's symbol names no base and quote asset, so a cash account cannot trade it.
    case unknownAsset
    /// A command that needs the account to have no open orders (changing its mode).
    case openOrders
}
