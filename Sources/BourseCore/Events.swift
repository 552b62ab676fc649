/// What the engine answers. The matcher writes events into an `EventSink` as things happen.
@frozen public enum Event: Sendable {
    /// The order was accepted with this id (it stands for status `new`).
    case accepted(OrderID)
    /// The command was rejected and changed nothing.
    case rejected(RejectReason)
    case trade(Trade)
    case order(OrderUpdate)
    case book(BookUpdate)
    case massCancelled(AccountID, count: Int)
}

public struct Trade: Sendable {
    public var tradeID: UInt64
    public var symbol: SymbolID
    public var price: Price
    public var quantity: Quantity
    public var makerOrderID: OrderID
    public var takerOrderID: OrderID
    public var makerAccount: AccountID
    public var takerAccount: AccountID
    public var aggressor: Side
}

public struct OrderUpdate: Sendable {
    public var orderID: OrderID
    public var account: AccountID
    public var clientTag: ClientTag
    public var symbol: SymbolID
    public var status: OrderStatus
    public var filled: Quantity
    public var leaves: Quantity
    /// The sum of price x quantity over the order's trades, in ticks x lots.
    public var filledNotional: Int128
    public var reason: OrderReason?
}

/// A price level after a change: its displayed total (0 = gone) and number of orders.
public struct BookUpdate: Sendable {
    public var symbol: SymbolID
    public var side: Side
    public var price: Price
    /// Displayed total in lots; a sum of orders' quantities, so wider than `Quantity`.
    public var quantity: Int128
    public var orders: Int
}

/// Receives the events of each command, in the order things happened.
public protocol EventSink {
    mutating func receive(_ event: Event)
}
