import BourseCore
import BourseVenue

/// Writes commands back in the contract's command format (what `bourse journal dump`
/// prints): `CommandParser` reads the line back to the same command.
public enum CommandJSON {
    /// One JSON object: `cmd`, the command's fields, then `ts` when it has one and `seq`
    /// when given (the parser ignores `seq`).
    public static func line(_ command: Command, ts: Int64?, seq: UInt64? = nil) -> String {
        var object = JSONObjectWriter()
        object.member("cmd", string: command.name)
        switch command {
        case .newOrder(let order):
            object.member("symbol", string: order.symbol)
            object.member("account", string: order.account)
            object.member("client_order_id", string: order.clientOrderID)
            object.member("side", string: order.side.name)
            object.member("type", string: order.type.name)
            object.member("qty", string: order.quantity.description)
            if let price = order.price { object.member("price", string: price.description) }
            if let stopPrice = order.stopPrice { object.member("stop_price", string: stopPrice.description) }
            object.member("tif", string: order.timeInForce.name)
            if let expireAt = order.expireAt { object.member("expire_at", integer: Int(expireAt)) }
            if order.postOnly { object.member("post_only", json: "true") }
            if let display = order.displayQuantity { object.member("display_qty", string: display.description) }
            if order.selfTradePrevention != .cancelTaker {
                object.member("stp", string: order.selfTradePrevention.name)
            }
        case .cancel(let cancel):
            object.member("symbol", string: cancel.symbol)
            object.member("account", string: cancel.account)
            reference(cancel.order, into: &object)
        case .replace(let replace):
            object.member("symbol", string: replace.symbol)
            object.member("account", string: replace.account)
            reference(replace.order, into: &object)
            if let price = replace.price { object.member("price", string: price.description) }
            if let quantity = replace.quantity { object.member("qty", string: quantity.description) }
            if let stopPrice = replace.stopPrice { object.member("stop_price", string: stopPrice.description) }
            if let name = replace.newClientOrderID { object.member("new_client_order_id", string: name) }
        case .massCancel(let massCancel):
            object.member("account", string: massCancel.account)
            if let symbol = massCancel.symbol { object.member("symbol", string: symbol) }
            if let side = massCancel.side { object.member("side", string: side.name) }
        case .addInstrument(let instrument):
            object.member("symbol", string: instrument.symbol)
            object.member("tick_size", string: instrument.tickSize)
            object.member("lot_size", string: instrument.lotSize)
            if let text = instrument.minimumQuantity { object.member("min_qty", string: text) }
            if let text = instrument.maximumQuantity { object.member("max_qty", string: text) }
            if let text = instrument.minimumNotional { object.member("min_notional", string: text) }
            echoAccount(instrument.account, into: &object)
        case .halt(let target), .resume(let target), .dumpBook(let target):
            object.member("symbol", string: target.symbol)
            echoAccount(target.account, into: &object)
        case .endSession(let end):
            if let symbol = end.symbol { object.member("symbol", string: symbol) }
            echoAccount(end.account, into: &object)
        case .time(let now):
            object.member("now", integer: Int(now))
        case .risk(let risk):
            for field in RiskCommand.fields(of: risk.kind) {
                guard let text = risk[field.name] else { continue }
                var json: [UInt8] = []
                if field.type == .string {
                    JSONObjectWriter.appendQuoted(text, to: &json)
                } else {
                    json = Array(text.utf8)
                }
                object.member(named: field.name, json: String(decoding: json, as: UTF8.self))
            }
        }
        if let ts { object.member("ts", integer: Int(ts)) }
        if let seq { object.member("seq", integer: Int(seq)) }
        return object.finish()
    }

    private static func reference(_ reference: OrderReference, into object: inout JSONObjectWriter) {
        if let orderID = reference.orderID { object.member("order_id", string: orderID) }
        if let clientOrderID = reference.clientOrderID { object.member("client_order_id", string: clientOrderID) }
    }

    private static func echoAccount(_ account: String, into object: inout JSONObjectWriter) {
        if !account.isEmpty { object.member("account", string: account) }
    }
}
