import BourseCore

// The contract's names for the core's enums, both ways.

extension Side {
    package static let byName: [String: Side] = ["buy": .buy, "sell": .sell]
    package var name: String { self == .buy ? "buy" : "sell" }
}

extension OrderType {
    package static let byName: [String: OrderType] = [
        "limit": .limit, "market": .market, "stop": .stop, "stop_limit": .stopLimit,
    ]
    package var name: String {
        switch self {
        case .limit: return "limit"
        case .market: return "market"
        case .stop: return "stop"
        case .stopLimit: return "stop_limit"
        }
    }
}

extension TimeInForce {
    package static let byName: [String: TimeInForce] = [
        "gtc": .goodTillCancel, "ioc": .immediateOrCancel, "fok": .fillOrKill, "day": .day, "gtd": .goodTillDate,
    ]
    package var name: String {
        switch self {
        case .goodTillCancel: return "gtc"
        case .immediateOrCancel: return "ioc"
        case .fillOrKill: return "fok"
        case .day: return "day"
        case .goodTillDate: return "gtd"
        }
    }
}

extension SelfTradePrevention {
    package static let byName: [String: SelfTradePrevention] = [
        "cancel_taker": .cancelTaker, "cancel_maker": .cancelMaker, "cancel_both": .cancelBoth,
        "decrement": .decrement, "none": .none,
    ]
    package var name: String {
        switch self {
        case .cancelTaker: return "cancel_taker"
        case .cancelMaker: return "cancel_maker"
        case .cancelBoth: return "cancel_both"
        case .decrement: return "decrement"
        case .none: return "none"
        }
    }
}

extension OrderStatus {
    package var name: String {
        switch self {
        case .new: return "new"
        case .partiallyFilled: return "partially_filled"
        case .filled: return "filled"
        case .cancelled: return "cancelled"
        case .expired: return "expired"
        case .replaced: return "replaced"
        case .triggered: return "triggered"
        }
    }
}

extension OrderReason {
    package var name: String {
        switch self {
        case .cancelled: return "cancelled"
        case .iocRemainder: return "ioc_remainder"
        case .fokUnfilled: return "fok_unfilled"
        case .noLiquidity: return "no_liquidity"
        case .selfTrade: return "self_trade"
        case .gtdExpired: return "gtd_expired"
        case .endSession: return "end_session"
        case .massCancel: return "mass_cancel"
        case .replacedBelowFilled: return "replaced_below_filled"
        case .killSwitch: return "kill_switch"
        case .circuitBreaker: return "circuit_breaker"
        }
    }
}

extension RejectReason {
    /// The contract's reason code.
    public var code: String {
        switch self {
        case .malformed: return "malformed"
        case .unknownSymbol: return "unknown_symbol"
        case .missingPrice: return "missing_price"
        case .missingStopPrice: return "missing_stop_price"
        case .offTick: return "off_tick"
        case .offLot: return "off_lot"
        case .invalidTimeInForce: return "invalid_tif"
        case .invalidDisplayQuantity: return "invalid_display_qty"
        case .invalidExpireAt: return "invalid_expire_at"
        case .quantityBelowMinimum: return "qty_below_min"
        case .quantityAboveMaximum: return "qty_above_max"
        case .notionalBelowMinimum: return "notional_below_min"
        case .duplicateClientOrderID: return "duplicate_client_order_id"
        case .halted: return "halted"
        case .wouldCross: return "would_cross"
        case .unknownOrder: return "unknown_order"
        case .noChange: return "no_change"
        case .duplicateSymbol: return "duplicate_symbol"
        case .accountDisabled: return "account_disabled"
        case .killSwitch: return "kill_switch"
        case .rateLimit: return "rate_limit"
        case .maxOrderQuantity: return "max_order_qty"
        case .maxOrderNotional: return "max_order_notional"
        case .priceBand: return "price_band"
        case .maxOpenOrders: return "max_open_orders"
        case .maxPosition: return "max_position"
        case .maxDailyLoss: return "max_daily_loss"
        case .insufficientBalance: return "insufficient_balance"
        case .unknownAsset: return "unknown_asset"
        case .openOrders: return "open_orders"
        }
    }

    /// A sentence for people reading the `message` field.
    public var message: String {
        switch self {
        case .malformed: return "the command is malformed"
        case .unknownSymbol: return "no instrument has this symbol"
        case .missingPrice: return "this order type needs a price"
        case .missingStopPrice: return "this order type needs a stop_price"
        case .offTick: return "the price is not a positive multiple of the tick size"
        case .offLot: return "the quantity is not a positive multiple of the lot size"
        case .invalidTimeInForce: return "this time in force is not allowed for this order"
        case .invalidDisplayQuantity: return "display_qty must be a positive number of lots below qty, on a limit order"
        case .invalidExpireAt: return "a gtd order needs an integer expire_at later than the engine clock"
        case .quantityBelowMinimum: return "the quantity is below the instrument's minimum"
        case .quantityAboveMaximum: return "the quantity is above the instrument's maximum"
        case .notionalBelowMinimum: return "price times quantity is below the instrument's minimum notional"
        case .duplicateClientOrderID: return "the account already has an open order with this client_order_id"
        case .halted: return "trading in this symbol is halted"
        case .wouldCross: return "a post-only order would trade on entry"
        case .unknownOrder: return "no open order of this account in this symbol has this id"
        case .noChange: return "the replace changes nothing"
        case .duplicateSymbol: return "an instrument with this symbol exists already"
        case .accountDisabled: return "the account is disabled"
        case .killSwitch: return "the kill switch is engaged"
        case .rateLimit: return "the account sent more orders this second than its limit allows"
        case .maxOrderQuantity: return "the quantity is above the account's maximum order quantity"
        case .maxOrderNotional: return "price times quantity is above the account's maximum order notional"
        case .priceBand: return "the price is too far from the reference price"
        case .maxOpenOrders: return "the account has as many open orders as its limit allows"
        case .maxPosition: return "the order could take the account's net position beyond its limit"
        case .maxDailyLoss: return "the account's loss since the session start is beyond its limit"
        case .insufficientBalance: return "the account's available balance does not cover the order"
        case .unknownAsset: return "the symbol names no base and quote asset (BASE-QUOTE)"
        case .openOrders: return "the account has open orders"
        }
    }
}
