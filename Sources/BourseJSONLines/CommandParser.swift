import BourseCore
import BourseVenue

/// One line of the contract's command format, read.
public enum ParsedLine: Sendable {
    /// Whitespace only: answers nothing.
    case blank
    /// A command for the venue, with its `ts` when the line carries one.
    case command(Command, ts: Int64?)
    /// A line the contract calls `malformed` before it reaches the venue (not JSON, a
    /// missing field, a value of the wrong type or outside its enum); it changes nothing.
    case malformed(CommandEcho, message: String)
}

/// Reads command lines: checks their JSON shape, in the order the contract's
/// validation implies, and keeps their names and numbers as text (see `Command`).
public enum CommandParser {
    public static func parse(_ line: some StringProtocol) -> ParsedLine {
        if line.utf8.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D || $0 == 0x0A }) { return .blank }
        let value: JSONValue
        do {
            value = try JSONParser.parse(line)
        } catch {
            return .malformed(CommandEcho(), message: "not valid JSON: \(error.message) at byte \(error.offset)")
        }
        return parse(value)
    }

    /// A command that is JSON already (a request's body, with the server's fields added).
    public static func parse(_ value: JSONValue) -> ParsedLine {
        do throws(Malformed) {
            guard case .object = value else { throw Malformed("a command must be a JSON object") }
            let (command, ts) = try command(CommandFields(value))
            return .command(command, ts: ts)
        } catch {
            return .malformed(echo(of: value), message: error.message)
        }
    }

    private static func command(_ line: CommandFields) throws(Malformed) -> (Command, Int64?) {
        guard let cmd = line.value["cmd"] else { throw Malformed("missing field cmd") }
        guard case .string(let name) = cmd else { throw Malformed("cmd must be a string") }
        let ts = try line.integer("ts")
        let echoAccount = line.value["account"]?.stringValue ?? ""
        switch name {
        case "new_order": return (.newOrder(try newOrder(line)), ts)
        case "cancel":
            let symbol = try line.requiredString("symbol")
            let account = try line.requiredString("account")
            let order = try line.orderReference()
            return (.cancel(CancelCommand(symbol: symbol, account: account, order: order)), ts)
        case "replace": return (.replace(try replace(line)), ts)
        case "mass_cancel":
            let account = try line.requiredString("account")
            let symbol = try line.string("symbol")
            let side = try line.enumeration("side", Side.byName)
            return (.massCancel(MassCancelCommand(account: account, symbol: symbol, side: side)), ts)
        case "add_instrument": return (.addInstrument(try addInstrument(line, account: echoAccount)), ts)
        case "halt", "resume", "dump_book":
            let target = SymbolCommand(symbol: try line.requiredString("symbol"), account: echoAccount)
            switch name {
            case "halt": return (.halt(target), ts)
            case "resume": return (.resume(target), ts)
            default: return (.dumpBook(target), ts)
            }
        case "end_session":
            return (.endSession(SessionEndCommand(symbol: try line.string("symbol"), account: echoAccount)), ts)
        case "time":
            guard let now = try line.integer("now") else { throw Malformed("time needs an integer now") }
            return (.time(now: now), ts)
        default:
            guard let kind = RiskCommand.Kind(rawValue: name) else { throw Malformed("unknown cmd \"\(name)\"") }
            return (.risk(try riskCommand(kind, line)), ts)
        }
    }

    /// A risk command: each field it knows, checked against its JSON type and kept as text.
    private static func riskCommand(_ kind: RiskCommand.Kind, _ line: CommandFields) throws(Malformed) -> RiskCommand {
        var fields: [String: String] = [:]
        for field in RiskCommand.fields(of: kind) {
            let text: String?
            switch field.type {
            case .string: text = try line.string(field.name)
            case .integer: text = try line.integer(field.name).map { String($0) }
            case .boolean: text = try line.bool(field.name).map { String($0) }
            }
            if let text {
                fields[field.name] = text
            } else if field.required {
                throw Malformed("missing field \(field.name)")
            }
        }
        return RiskCommand(kind, fields)
    }

    private static func newOrder(_ line: CommandFields) throws(Malformed) -> NewOrderCommand {
        let symbol = try line.requiredString("symbol")
        let account = try line.requiredString("account")
        let clientOrderID = try line.requiredString("client_order_id")
        let side = try line.requiredEnum("side", Side.byName)
        let type = try line.requiredEnum("type", OrderType.byName)
        let quantity = try line.requiredDecimal("qty")
        let price = type.hasLimitPrice ? try line.decimal("price") : nil
        let stopPrice = type.isStop ? try line.decimal("stop_price") : nil
        let timeInForce = try line.enumeration("tif", TimeInForce.byName) ?? .goodTillCancel
        let expireAt = timeInForce == .goodTillDate ? line.value["expire_at"]?.int64Value : nil
        let postOnly = try line.bool("post_only") ?? false
        let displayQuantity = try line.decimal("display_qty")
        let prevention = try line.enumeration("stp", SelfTradePrevention.byName) ?? .cancelTaker
        return NewOrderCommand(
            symbol: symbol, account: account, clientOrderID: clientOrderID, side: side, type: type,
            quantity: quantity, price: price, stopPrice: stopPrice, timeInForce: timeInForce, expireAt: expireAt,
            postOnly: postOnly, displayQuantity: displayQuantity, selfTradePrevention: prevention)
    }

    private static func replace(_ line: CommandFields) throws(Malformed) -> ReplaceCommand {
        let symbol = try line.requiredString("symbol")
        let account = try line.requiredString("account")
        let order = try line.orderReference()
        let price = try line.decimal("price")
        let quantity = try line.decimal("qty")
        let stopPrice = try line.decimal("stop_price")
        let newClientOrderID = try line.string("new_client_order_id")
        if price == nil && quantity == nil && stopPrice == nil {
            throw Malformed("replace needs at least one of price, qty, stop_price")
        }
        return ReplaceCommand(
            symbol: symbol, account: account, order: order, price: price, quantity: quantity, stopPrice: stopPrice,
            newClientOrderID: newClientOrderID)
    }

    private static func addInstrument(
        _ line: CommandFields, account: String
    ) throws(Malformed)
        -> AddInstrumentCommand
    {
        let symbol = try line.requiredString("symbol")
        let tickSize = try line.requiredString("tick_size")
        guard UnitSize(tickSize) != nil else { throw Malformed("tick_size must be a positive decimal string") }
        let lotSize = try line.requiredString("lot_size")
        guard UnitSize(lotSize) != nil else { throw Malformed("lot_size must be a positive decimal string") }
        func bound(_ key: String) throws(Malformed) -> String? {
            guard let text = try line.string(key) else {
                if line.value[key] != nil { throw Malformed("\(key) must be a decimal string") }
                return nil
            }
            guard let value = DecimalText(text) else { throw Malformed("\(key) is not a decimal number") }
            if value.isNegative && !value.isZero { throw Malformed("\(key) must not be negative") }
            return text
        }
        return AddInstrumentCommand(
            symbol: symbol, tickSize: tickSize, lotSize: lotSize, minimumQuantity: try bound("min_qty"),
            maximumQuantity: try bound("max_qty"), minimumNotional: try bound("min_notional"), account: account)
    }

    /// What a rejection of a malformed line echoes of it.
    static func echo(of line: JSONValue) -> CommandEcho {
        let cmd = line["cmd"]?.stringValue ?? ""
        var echo = CommandEcho(
            cmd: cmd, account: line["account"]?.stringValue ?? "", symbol: line["symbol"]?.stringValue ?? "")
        guard cmd == "new_order" || cmd == "cancel" || cmd == "replace" else { return echo }
        echo.clientOrderID = line["client_order_id"]?.stringValue
        guard cmd != "new_order" else { return echo }
        switch line["order_id"] {
        case .string(let text)?: echo.orderID = text
        case .number(let text)? where CommandFields.isIntegerLiteral(text): echo.orderID = text
        default: echo.orderID = nil
        }
        return echo
    }
}
