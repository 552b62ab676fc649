/// The trading rules of one instrument, in its own units (ticks and lots).
public struct InstrumentRules: Sendable, Equatable {
    /// Smallest total quantity accepted, in lots (inclusive).
    public var minimumQuantity: Int64
    /// Largest total quantity accepted, in lots (inclusive); `Int64.max` for none.
    public var maximumQuantity: Int64
    /// Smallest `price x qty` accepted for orders with a limit price, in ticks x lots (inclusive).
    public var minimumNotional: Int128

    public init(minimumQuantity: Int64 = 0, maximumQuantity: Int64 = .max, minimumNotional: Int128 = 0) {
        self.minimumQuantity = minimumQuantity
        self.maximumQuantity = maximumQuantity
        self.minimumNotional = minimumNotional
    }
}

/// A `new_order` command whose text has already been parsed.
///
/// Numbers are in the instrument's units. A value that was not on the tick or lot
/// grid is passed as 0, which the engine rejects like any other non-positive value.
public struct NewOrder: Sendable {
    public var symbol: SymbolID
    public var account: AccountID
    public var clientTag: ClientTag
    public var side: Side
    public var type: OrderType
    public var quantity: Int64
    /// The limit price of a limit or stop limit order. On a market or stop order, a
    /// protection price: the order trades only at prices at least as good (the risk
    /// layer sets it for cash accounts); nil or 0 for none.
    public var price: Int64?
    public var stopPrice: Int64?
    public var timeInForce: TimeInForce
    /// `expire_at` when the order is GTD and the field is an integer; nil otherwise.
    public var expireAt: Milliseconds?
    public var postOnly: Bool
    public var displayQuantity: Int64?
    public var selfTradePrevention: SelfTradePrevention
    /// Whether the caller found the client order id among the account's open orders.
    public var duplicateClientOrderID: Bool

    @inlinable
    public init(
        symbol: SymbolID, account: AccountID, clientTag: ClientTag = .none, side: Side, type: OrderType,
        quantity: Int64, price: Int64? = nil, stopPrice: Int64? = nil, timeInForce: TimeInForce = .goodTillCancel,
        expireAt: Milliseconds? = nil, postOnly: Bool = false, displayQuantity: Int64? = nil,
        selfTradePrevention: SelfTradePrevention = .cancelTaker, duplicateClientOrderID: Bool = false
    ) {
        self.symbol = symbol
        self.account = account
        self.clientTag = clientTag
        self.side = side
        self.type = type
        self.quantity = quantity
        self.price = price
        self.stopPrice = stopPrice
        self.timeInForce = timeInForce
        self.expireAt = expireAt
        self.postOnly = postOnly
        self.displayQuantity = displayQuantity
        self.selfTradePrevention = selfTradePrevention
        self.duplicateClientOrderID = duplicateClientOrderID
    }
}

/// A `replace` command whose text has already been parsed (same conventions as `NewOrder`).
public struct Replace: Sendable {
    public var symbol: SymbolID
    public var account: AccountID
    public var orderID: OrderID
    public var price: Int64?
    public var stopPrice: Int64?
    /// The new total quantity, filled part included.
    public var quantity: Int64?
    /// The new client tag, when the command renames the order.
    public var newClientTag: ClientTag?
    /// Whether the new client order id is held by another open order of the account.
    public var duplicateClientOrderID: Bool
    /// A new protection price for an untriggered stop (see `NewOrder.price`), applied
    /// when the replace goes through; the risk layer sets it when `stopPrice` changes.
    public var protectionPrice: Int64?

    public init(
        symbol: SymbolID, account: AccountID, orderID: OrderID, price: Int64? = nil, stopPrice: Int64? = nil,
        quantity: Int64? = nil, newClientTag: ClientTag? = nil, duplicateClientOrderID: Bool = false,
        protectionPrice: Int64? = nil
    ) {
        self.protectionPrice = protectionPrice
        self.symbol = symbol
        self.account = account
        self.orderID = orderID
        self.price = price
        self.stopPrice = stopPrice
        self.quantity = quantity
        self.newClientTag = newClientTag
        self.duplicateClientOrderID = duplicateClientOrderID
    }
}
