import BourseCore
import BourseRisk
import BourseVenue

/// Writes the venue's events as the contract's JSON lines (one object per string,
/// without newline) into `lines`.
public struct JSONEventWriter: VenueEventSink {
    public var lines: [String] = []

    public init() {}

    public mutating func receive(_ event: VenueEvent, context: EventContext) {
        switch event {
        case .accepted(let orderID, let order): writeAccepted(orderID, order, context)
        case .rejected(let reason): writeRejected(reason, context.rejectionMessage, context.echo)
        case .trade(let trade): writeTrade(trade, context)
        case .order(let update): writeOrder(update, context)
        case .book(let change): writeBook(change, context)
        case .massCancelled(let account, let count):
            var object = JSONObjectWriter()
            object.member("event", string: "mass_cancelled")
            object.member("account", string: context.accountNames[Int(account.rawValue)])
            object.member("count", integer: count)
            lines.append(object.finish())
        case .risk(let event): writeRisk(event, context)
        }
    }

    private mutating func writeRisk(_ event: RiskEvent, _ context: EventContext) {
        var object = JSONObjectWriter()
        switch event {
        case .balance(let account, let asset, let total, let held):
            object.member("event", string: "balance")
            object.member("account", string: context.accountNames[Int(account.rawValue)])
            object.member("asset", string: context.assetNames[Int(asset)])
            object.member("total", string: total.text)
            object.member("held", string: held.text)
            object.member("available", string: (total - held).text)
        case .position(let position, let mark):
            let instrument = context.instruments[Int(position.symbol.rawValue)]
            object.member("event", string: "position")
            object.member("account", string: context.accountNames[Int(position.account.rawValue)])
            object.member("symbol", string: instrument.symbol)
            object.member("net_qty", string: instrument.lot.format(position.net))
            if position.net != 0 {
                object.member(
                    "avg_price",
                    string: instrument.tick.formatQuotient(
                        Int128(position.cost.magnitude), dividedBy: Int64(position.net.magnitude)))
            }
            object.member("realized_pnl", string: instrument.formatNotional(position.realized))
            object.member("unrealized_pnl", string: instrument.formatNotional(position.unrealized(mark: mark)))
            if let mark { object.member("mark_price", string: instrument.tick.format(mark)) }
            object.member("fees", string: position.fees.text)
        case .settlement(let position):
            let instrument = context.instruments[Int(position.symbol.rawValue)]
            object.member("event", string: "settlement")
            object.member("account", string: context.accountNames[Int(position.account.rawValue)])
            object.member("symbol", string: instrument.symbol)
            object.member("net_qty", string: instrument.lot.format(position.sessionNet))
            object.member("net_cash", string: instrument.formatNotional(position.sessionCash))
            object.member("fees", string: position.sessionFees.text)
        case .halted(let symbol, let reason), .resumed(let symbol, let reason):
            if case .halted = event {
                object.member("event", string: "halted")
            } else {
                object.member("event", string: "resumed")
            }
            object.member("symbol", string: symbol.map { context.instruments[Int($0.rawValue)].symbol } ?? "")
            object.member("reason", string: reason == .circuitBreaker ? "circuit_breaker" : "venue_halt")
        case .killSwitch(let account, let engaged):
            object.member("event", string: "kill_switch")
            object.member("account", string: account.map { context.accountNames[Int($0.rawValue)] } ?? "")
            object.member("engaged", json: engaged ? "true" : "false")
        }
        lines.append(object.finish())
    }

    public mutating func receive(snapshot: BookSnapshot, of symbol: SymbolID, context: EventContext) {
        writeSnapshot(snapshot, symbol: symbol, context)
    }

    private mutating func writeRejected(_ reason: RejectReason, _ message: String, _ echo: CommandEcho) {
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

    private mutating func writeAccepted(_ orderID: OrderID, _ order: NewOrder, _ context: EventContext) {
        let instrument = context.instruments[Int(order.symbol.rawValue)]
        var object = JSONObjectWriter()
        object.member("event", string: "accepted")
        object.member("order_id", string: String(orderID.rawValue))
        object.member("client_order_id", string: context.clientOrderID(order.clientTag))
        object.member("account", string: context.accountNames[Int(order.account.rawValue)])
        object.member("symbol", string: instrument.symbol)
        object.member("side", string: order.side.name)
        object.member("type", string: order.type.name)
        object.member("qty", string: instrument.lot.format(order.quantity))
        if order.type.hasLimitPrice, let price = order.price {
            object.member("price", string: instrument.tick.format(price))
        }
        if let stopPrice = order.stopPrice { object.member("stop_price", string: instrument.tick.format(stopPrice)) }
        object.member("tif", string: order.timeInForce.name)
        lines.append(object.finish())
    }

    private mutating func writeTrade(_ trade: Trade, _ context: EventContext) {
        let instrument = context.instruments[Int(trade.symbol.rawValue)]
        var object = JSONObjectWriter()
        object.member("event", string: "trade")
        object.member("trade_id", string: String(trade.tradeID))
        object.member("symbol", string: instrument.symbol)
        object.member("price", string: instrument.tick.format(trade.price.ticks))
        object.member("qty", string: instrument.lot.format(trade.quantity.lots))
        object.member("maker_order_id", string: String(trade.makerOrderID.rawValue))
        object.member("taker_order_id", string: String(trade.takerOrderID.rawValue))
        object.member("maker_account", string: context.accountNames[Int(trade.makerAccount.rawValue)])
        object.member("taker_account", string: context.accountNames[Int(trade.takerAccount.rawValue)])
        object.member("aggressor", string: trade.aggressor.name)
        lines.append(object.finish())
    }

    private mutating func writeOrder(_ update: OrderUpdate, _ context: EventContext) {
        let instrument = context.instruments[Int(update.symbol.rawValue)]
        var object = JSONObjectWriter()
        object.member("event", string: "order")
        object.member("order_id", string: String(update.orderID.rawValue))
        object.member("client_order_id", string: context.clientOrderID(update.clientTag))
        object.member("account", string: context.accountNames[Int(update.account.rawValue)])
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
    }

    private mutating func writeBook(_ change: BookUpdate, _ context: EventContext) {
        let instrument = context.instruments[Int(change.symbol.rawValue)]
        var object = JSONObjectWriter()
        object.member("event", string: "book")
        object.member("symbol", string: instrument.symbol)
        object.member("side", string: change.side.name)
        object.member("price", string: instrument.tick.format(change.price.ticks))
        object.member("qty", string: instrument.lot.format(change.quantity))
        object.member("orders", integer: change.orders)
        lines.append(object.finish())
    }

    private mutating func writeSnapshot(_ snapshot: BookSnapshot, symbol: SymbolID, _ context: EventContext) {
        let instrument = context.instruments[Int(symbol.rawValue)]
        func entries(_ orders: [OrderView], stops: Bool) -> String {
            var text = "["
            for (i, order) in orders.enumerated() {
                if i > 0 { text += "," }
                var object = JSONObjectWriter()
                object.member("order_id", string: String(order.orderID.rawValue))
                object.member("client_order_id", string: context.clientOrderID(order.clientTag))
                object.member("account", string: context.accountNames[Int(order.account.rawValue)])
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
