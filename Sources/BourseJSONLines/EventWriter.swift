import BourseCore

/// An instrument's names and units, for turning the core's integers into text.
struct InstrumentText {
    var symbol: String
    var tick: UnitSize
    var lot: UnitSize
}

/// What a rejection echoes of the command line that caused it.
struct CommandEcho {
    var cmd = ""
    var account = ""
    var symbol = ""
    var clientOrderID: String?
    var orderID: String?

    init() {}

    init(_ line: JSONValue) {
        cmd = line["cmd"]?.stringValue ?? ""
        account = line["account"]?.stringValue ?? ""
        symbol = line["symbol"]?.stringValue ?? ""
        guard cmd == "new_order" || cmd == "cancel" || cmd == "replace" else { return }
        clientOrderID = line["client_order_id"]?.stringValue
        guard cmd != "new_order" else { return }
        switch line["order_id"] {
        case .string(let text)?: orderID = text
        case .number(let text)? where CommandFields.isIntegerLiteral(text): orderID = text
        default: orderID = nil
        }
    }
}

/// The `accepted` event of a new order, written when the core accepts it.
struct PendingAcceptance {
    var symbol: SymbolID
    var clientTag: ClientTag
    var side: Side
    var type: OrderType
    var quantity: Int64
    var price: Int64?
    var stopPrice: Int64?
    var timeInForce: TimeInForce
}

/// Turns the core's events into the contract's JSON lines, and keeps the client
/// order ids in step with the orders' lives.
struct EventWriter: EventSink {
    var lines: [String] = []
    var instruments: [InstrumentText] = []
    var accountNames: [String] = []
    var clientOrderIDs = ClientOrderIDs()
    /// The command being processed.
    var echo = CommandEcho()
    var pendingAcceptance: PendingAcceptance?
    /// A replace's rename: it takes effect with the first event that shows the new tag.
    var pendingRename: (order: OrderID, old: ClientTag, new: ClientTag)?

    mutating func receive(_ event: Event) {
        switch event {
        case .accepted(let orderID): writeAccepted(orderID)
        case .rejected(let reason): reject(reason, reason.message)
        case .trade(let trade): writeTrade(trade)
        case .order(let update): writeOrder(update)
        case .book(let change): writeBook(change)
        case .massCancelled(let account, let count):
            var object = JSONObjectWriter()
            object.member("event", string: "mass_cancelled")
            object.member("account", string: accountNames[Int(account.rawValue)])
            object.member("count", integer: count)
            lines.append(object.finish())
        }
    }

    mutating func reject(_ reason: RejectReason, _ message: String) {
        var object = JSONObjectWriter()
        object.member("event", string: "rejected")
        if let clientOrderID = echo.clientOrderID { object.member("client_order_id", string: clientOrderID) }
        if let orderID = echo.orderID { object.member("order_id", string: orderID) }
        object.member("account", string: echo.account)
        object.member("symbol", string: echo.symbol)
        object.member("cmd", string: echo.cmd)
        object.member("reason", string: reason.code)
        object.member("message", string: message)
        lines.append(object.finish())
    }

    private mutating func writeAccepted(_ orderID: OrderID) {
        guard let order = pendingAcceptance else { preconditionFailure("an order was accepted that was not submitted") }
        pendingAcceptance = nil
        clientOrderIDs.bind(order.clientTag, to: orderID)
        let instrument = instruments[Int(order.symbol.rawValue)]
        var object = JSONObjectWriter()
        object.member("event", string: "accepted")
        object.member("order_id", string: String(orderID.rawValue))
        object.member("client_order_id", string: clientOrderIDs.name(order.clientTag))
        object.member("account", string: echo.account)
        object.member("symbol", string: echo.symbol)
        object.member("side", string: order.side.name)
        object.member("type", string: order.type.name)
        object.member("qty", string: instrument.lot.format(order.quantity))
        if let price = order.price { object.member("price", string: instrument.tick.format(price)) }
        if let stopPrice = order.stopPrice { object.member("stop_price", string: instrument.tick.format(stopPrice)) }
        object.member("tif", string: order.timeInForce.name)
        lines.append(object.finish())
    }

    private mutating func writeTrade(_ trade: Trade) {
        let instrument = instruments[Int(trade.symbol.rawValue)]
        var object = JSONObjectWriter()
        object.member("event", string: "trade")
        object.member("trade_id", string: String(trade.tradeID))
        object.member("symbol", string: instrument.symbol)
        object.member("price", string: instrument.tick.format(trade.price.ticks))
        object.member("qty", string: instrument.lot.format(trade.quantity.lots))
        object.member("maker_order_id", string: String(trade.makerOrderID.rawValue))
        object.member("taker_order_id", string: String(trade.takerOrderID.rawValue))
        object.member("maker_account", string: accountNames[Int(trade.makerAccount.rawValue)])
        object.member("taker_account", string: accountNames[Int(trade.takerAccount.rawValue)])
        object.member("aggressor", string: trade.aggressor.name)
        lines.append(object.finish())
    }

    private mutating func writeOrder(_ update: OrderUpdate) {
        if let rename = pendingRename, rename.order == update.orderID, update.clientTag == rename.new {
            clientOrderIDs.close(rename.old)
            clientOrderIDs.bind(rename.new, to: rename.order)
            pendingRename = nil
        }
        let instrument = instruments[Int(update.symbol.rawValue)]
        var object = JSONObjectWriter()
        object.member("event", string: "order")
        object.member("order_id", string: String(update.orderID.rawValue))
        object.member("client_order_id", string: clientOrderIDs.name(update.clientTag))
        object.member("account", string: accountNames[Int(update.account.rawValue)])
        object.member("symbol", string: instrument.symbol)
        object.member("status", string: update.status.name)
        object.member("filled_qty", string: instrument.lot.format(update.filled.lots))
        object.member("leaves_qty", string: instrument.lot.format(update.leaves.lots))
        if update.filled.lots > 0 {
            object.member(
                "avg_price",
                string: instrument.tick.formatQuotient(update.filledNotional, dividedBy: update.filled.lots))
        }
        if let reason = update.reason { object.member("reason", string: reason.name) }
        lines.append(object.finish())
        if update.status.isTerminal { clientOrderIDs.close(update.clientTag) }
    }

    private mutating func writeBook(_ change: BookUpdate) {
        let instrument = instruments[Int(change.symbol.rawValue)]
        var object = JSONObjectWriter()
        object.member("event", string: "book")
        object.member("symbol", string: instrument.symbol)
        object.member("side", string: change.side.name)
        object.member("price", string: instrument.tick.format(change.price.ticks))
        object.member("qty", string: instrument.lot.format(change.quantity))
        object.member("orders", integer: change.orders)
        lines.append(object.finish())
    }

    mutating func writeSnapshot(_ snapshot: BookSnapshot, symbol: SymbolID) {
        let instrument = instruments[Int(symbol.rawValue)]
        func entries(_ orders: [OrderView], stops: Bool) -> String {
            var text = "["
            for (i, order) in orders.enumerated() {
                if i > 0 { text += "," }
                var object = JSONObjectWriter()
                object.member("order_id", string: String(order.orderID.rawValue))
                object.member("client_order_id", string: clientOrderIDs.name(order.clientTag))
                object.member("account", string: accountNames[Int(order.account.rawValue)])
                if stops {
                    object.member("side", string: order.side.name)
                    object.member("stop_price", string: instrument.tick.format(order.stopPrice.ticks))
                    object.member("leaves_qty", string: instrument.lot.format(order.leaves.lots))
                } else {
                    object.member("price", string: instrument.tick.format(order.price.ticks))
                    object.member("leaves_qty", string: instrument.lot.format(order.leaves.lots))
                    object.member("display_qty", string: instrument.lot.format(order.shown.lots))
                }
                text += object.finish()
            }
            return text + "]"
        }
        var object = JSONObjectWriter()
        object.member("event", string: "book_snapshot")
        object.member("symbol", string: instrument.symbol)
        object.member("bids", json: entries(snapshot.bids, stops: false))
        object.member("asks", json: entries(snapshot.asks, stops: false))
        object.member("stops", json: entries(snapshot.stops, stops: true))
        lines.append(object.finish())
    }
}
