import BourseCore

/// A command of the matching contract, read from its text but not yet applied.
///
/// Names are the client's strings and numbers the client's decimal values, as sent:
/// turning them into ids, ticks and lots depends on the venue's state, so it happens
/// when the command is applied (`Venue.apply`). This is what the journal
/// records. A field the contract ignores for the command (a `price` on a market
/// order) is not kept.
public enum Command: Equatable, Sendable {
    case newOrder(NewOrderCommand)
    case cancel(CancelCommand)
    case replace(ReplaceCommand)
    case massCancel(MassCancelCommand)
    case addInstrument(AddInstrumentCommand)
    case halt(SymbolCommand)
    case resume(SymbolCommand)
    case dumpBook(SymbolCommand)
    /// `end_session`, for one symbol or (no symbol) all of them.
    case endSession(SessionEndCommand)
    /// `time`: moves the engine clock to `now` (milliseconds).
    case time(now: Int64)
    /// A command of the risk layer.
    case risk(RiskCommand)

    /// The contract's `cmd` name.
    public var name: String {
        switch self {
        case .newOrder: return "new_order"
        case .cancel: return "cancel"
        case .replace: return "replace"
        case .massCancel: return "mass_cancel"
        case .addInstrument: return "add_instrument"
        case .halt: return "halt"
        case .resume: return "resume"
        case .dumpBook: return "dump_book"
        case .endSession: return "end_session"
        case .time: return "time"
        case .risk(let command): return command.kind.rawValue
        }
    }
}

public struct NewOrderCommand: Equatable, Sendable {
    public var symbol: String
    public var account: String
    public var clientOrderID: String
    public var side: Side
    public var type: OrderType
    public var quantity: DecimalValue
    /// Kept for limit and stop limit orders only.
    public var price: DecimalValue?
    /// Kept for stop and stop limit orders only.
    public var stopPrice: DecimalValue?
    public var timeInForce: TimeInForce
    /// Kept for GTD orders whose `expire_at` is an integer.
    public var expireAt: Int64?
    public var postOnly: Bool
    public var displayQuantity: DecimalValue?
    public var selfTradePrevention: SelfTradePrevention

    public init(
        symbol: String, account: String, clientOrderID: String, side: Side, type: OrderType, quantity: DecimalValue,
        price: DecimalValue? = nil, stopPrice: DecimalValue? = nil, timeInForce: TimeInForce = .goodTillCancel,
        expireAt: Int64? = nil, postOnly: Bool = false, displayQuantity: DecimalValue? = nil,
        selfTradePrevention: SelfTradePrevention = .cancelTaker
    ) {
        self.symbol = symbol
        self.account = account
        self.clientOrderID = clientOrderID
        self.side = side
        self.type = type
        self.quantity = quantity
        self.price = type.hasLimitPrice ? price : nil
        self.stopPrice = type.isStop ? stopPrice : nil
        self.timeInForce = timeInForce
        self.expireAt = timeInForce == .goodTillDate ? expireAt : nil
        self.postOnly = postOnly
        self.displayQuantity = displayQuantity
        self.selfTradePrevention = selfTradePrevention
    }
}

/// How a cancel or replace names its order: `order_id` wins when both are given.
public struct OrderReference: Equatable, Sendable {
    /// The `order_id` text (a JSON string, or an integer literal's digits).
    public var orderID: String?
    public var clientOrderID: String?

    public init(orderID: String? = nil, clientOrderID: String? = nil) {
        self.orderID = orderID
        self.clientOrderID = clientOrderID
    }
}

public struct CancelCommand: Equatable, Sendable {
    public var symbol: String
    public var account: String
    public var order: OrderReference

    public init(symbol: String, account: String, order: OrderReference) {
        self.symbol = symbol
        self.account = account
        self.order = order
    }
}

public struct ReplaceCommand: Equatable, Sendable {
    public var symbol: String
    public var account: String
    public var order: OrderReference
    public var price: DecimalValue?
    /// The new total quantity, filled part included.
    public var quantity: DecimalValue?
    public var stopPrice: DecimalValue?
    public var newClientOrderID: String?

    public init(
        symbol: String, account: String, order: OrderReference, price: DecimalValue? = nil,
        quantity: DecimalValue? = nil, stopPrice: DecimalValue? = nil, newClientOrderID: String? = nil
    ) {
        self.symbol = symbol
        self.account = account
        self.order = order
        self.price = price
        self.quantity = quantity
        self.stopPrice = stopPrice
        self.newClientOrderID = newClientOrderID
    }
}

public struct MassCancelCommand: Equatable, Sendable {
    public var account: String
    public var symbol: String?
    public var side: Side?

    public init(account: String, symbol: String? = nil, side: Side? = nil) {
        self.account = account
        self.symbol = symbol
        self.side = side
    }
}

public struct AddInstrumentCommand: Equatable, Sendable {
    public var symbol: String
    public var tickSize: String
    public var lotSize: String
    public var minimumQuantity: String?
    public var maximumQuantity: String?
    public var minimumNotional: String?
    /// The command line's `account`, if any: only echoed in a rejection.
    public var account: String

    public init(
        symbol: String, tickSize: String, lotSize: String, minimumQuantity: String? = nil,
        maximumQuantity: String? = nil, minimumNotional: String? = nil, account: String = ""
    ) {
        self.symbol = symbol
        self.tickSize = tickSize
        self.lotSize = lotSize
        self.minimumQuantity = minimumQuantity
        self.maximumQuantity = maximumQuantity
        self.minimumNotional = minimumNotional
        self.account = account
    }
}

/// `halt`, `resume` and `dump_book`: a command about one symbol.
public struct SymbolCommand: Equatable, Sendable {
    public var symbol: String
    /// The command line's `account`, if any: only echoed in a rejection.
    public var account: String

    public init(symbol: String, account: String = "") {
        self.symbol = symbol
        self.account = account
    }
}

public struct SessionEndCommand: Equatable, Sendable {
    /// The symbol whose session ends; nil for all of them.
    public var symbol: String?
    /// The command line's `account`, if any: only echoed in a rejection.
    public var account: String

    public init(symbol: String? = nil, account: String = "") {
        self.symbol = symbol
        self.account = account
    }
}

/// What a rejection echoes of the command that caused it.
public struct CommandEcho: Equatable, Sendable {
    public var cmd: String
    public var account: String
    public var symbol: String
    public var clientOrderID: String?
    public var orderID: String?

    public init(
        cmd: String = "", account: String = "", symbol: String = "", clientOrderID: String? = nil,
        orderID: String? = nil
    ) {
        self.cmd = cmd
        self.account = account
        self.symbol = symbol
        self.clientOrderID = clientOrderID
        self.orderID = orderID
    }

    /// The echo of a command that reached the venue.
    public init(_ command: Command) {
        switch command {
        case .newOrder(let order): self.init(order)
        case .cancel(let cancel): self.init(cancel)
        case .replace(let replace): self.init(replace)
        case .massCancel(let massCancel): self.init(massCancel)
        case .addInstrument(let instrument): self.init(instrument)
        case .halt(let target), .resume(let target), .dumpBook(let target): self.init(target, cmd: command.name)
        case .endSession(let end): self.init(end)
        case .time: self.init(cmd: command.name)
        case .risk(let risk): self.init(cmd: command.name, account: risk["account"] ?? "", symbol: risk["symbol"] ?? "")
        }
    }

    init(_ order: NewOrderCommand) {
        self.init(cmd: "new_order", account: order.account, symbol: order.symbol, clientOrderID: order.clientOrderID)
    }

    init(_ cancel: CancelCommand) {
        self.init(
            cmd: "cancel", account: cancel.account, symbol: cancel.symbol, clientOrderID: cancel.order.clientOrderID,
            orderID: cancel.order.orderID)
    }

    init(_ replace: ReplaceCommand) {
        self.init(
            cmd: "replace", account: replace.account, symbol: replace.symbol,
            clientOrderID: replace.order.clientOrderID, orderID: replace.order.orderID)
    }

    init(_ massCancel: MassCancelCommand) {
        self.init(cmd: "mass_cancel", account: massCancel.account, symbol: massCancel.symbol ?? "")
    }

    init(_ instrument: AddInstrumentCommand) {
        self.init(cmd: "add_instrument", account: instrument.account, symbol: instrument.symbol)
    }

    init(_ target: SymbolCommand, cmd: String) {
        self.init(cmd: cmd, account: target.account, symbol: target.symbol)
    }

    init(_ end: SessionEndCommand) {
        self.init(cmd: "end_session", account: end.account, symbol: end.symbol ?? "")
    }
}
