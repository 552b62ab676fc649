import BourseCore

/// The engine behind `bourse run`: one line of the contract's command format in,
/// the answering events out, as JSON lines.
///
/// It owns the text side of things (symbol and account names, client order ids,
/// decimal numbers) and hands the core commands in integers.
public struct JSONLinesSession {
    private var exchange = Exchange()
    private var writer = EventWriter()
    private var symbols: [ExactName: SymbolID] = [:]
    private var accounts: [ExactName: AccountID] = [:]

    public init() {}

    /// Processes one input line and appends the answering events (one JSON object
    /// per string, without newline) to `output`. Blank lines answer nothing.
    public mutating func process(line: some StringProtocol, into output: inout [String]) {
        if line.utf8.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D || $0 == 0x0A }) { return }
        writer.echo = CommandEcho()
        do {
            let value = try JSONParser.parse(line)
            writer.echo = CommandEcho(value)
            guard case .object = value else { throw Malformed("a command must be a JSON object") }
            try handle(CommandFields(value))
        } catch let error as Malformed {
            writer.reject(.malformed, error.message)
        } catch let error as JSONParser.Error {
            writer.reject(.malformed, "not valid JSON: \(error.message) at byte \(error.offset)")
        } catch {
            writer.reject(.malformed, "\(error)")
        }
        output.append(contentsOf: writer.lines)
        writer.lines.removeAll(keepingCapacity: true)
    }

    /// Checks the engine's invariants and that the client order ids follow the orders.
    public func checkInvariants() {
        exchange.checkInvariants()
        precondition(
            writer.clientOrderIDs.openCount == exchange.liveOrderCount,
            "client order ids of open orders are out of step with the orders")
    }

    // MARK: Commands

    private mutating func handle(_ line: CommandFields) throws(Malformed) {
        guard let cmd = line.value["cmd"] else { throw Malformed("missing field cmd") }
        guard case .string(let name) = cmd else { throw Malformed("cmd must be a string") }
        let ts = try line.integer("ts")
        switch name {
        case "new_order": try newOrder(line, ts: ts)
        case "cancel": try cancel(line, ts: ts)
        case "replace": try replace(line, ts: ts)
        case "mass_cancel": try massCancel(line, ts: ts)
        case "add_instrument": try addInstrument(line, ts: ts)
        case "halt", "resume", "dump_book":
            let symbolName = try line.requiredString("symbol")
            guard let symbol = knownSymbol(symbolName, ts: ts) else { return }
            switch name {
            case "halt": exchange.halt(symbol)
            case "resume": exchange.resume(symbol)
            default: writer.writeSnapshot(exchange.snapshot(of: symbol), symbol: symbol)
            }
        case "end_session":
            guard let symbol = optionalSymbol(try line.string("symbol"), ts: ts) else { return }
            exchange.endSession(symbol: symbol, into: &writer)
        case "time":
            guard let now = try line.integer("now") else { throw Malformed("time needs an integer now") }
            advanceClock(ts)
            advanceClock(now)
        default:
            throw Malformed("unknown cmd \"\(name)\"")
        }
    }

    private mutating func newOrder(_ line: CommandFields, ts: Int64?) throws(Malformed) {
        let symbolName = try line.requiredString("symbol")
        let accountName = try line.requiredString("account")
        let clientOrderID = try line.requiredString("client_order_id")
        let side = try line.requiredEnum("side", Side.byName)
        let type = try line.requiredEnum("type", OrderType.byName)
        let quantityText = try line.requiredDecimal("qty")
        let priceText = type.hasLimitPrice ? try line.decimal("price") : nil
        let stopPriceText = type.isStop ? try line.decimal("stop_price") : nil
        let timeInForce = try line.enumeration("tif", TimeInForce.byName) ?? .goodTillCancel
        let expireAt = timeInForce == .goodTillDate ? line.value["expire_at"]?.int64Value : nil
        let postOnly = try line.bool("post_only") ?? false
        let displayText = try line.decimal("display_qty")
        let prevention = try line.enumeration("stp", SelfTradePrevention.byName) ?? .cancelTaker
        guard let symbol = symbols[ExactName(symbolName)] else {
            advanceClock(ts)
            writer.reject(.unknownSymbol, RejectReason.unknownSymbol.message)
            return
        }
        let instrument = writer.instruments[Int(symbol.rawValue)]
        let quantity = try units(quantityText, instrument.lot, "qty")
        let price = try priceText.map { text throws(Malformed) in try units(text, instrument.tick, "price") }
        let stopPrice = try stopPriceText.map { text throws(Malformed) in try units(text, instrument.tick, "stop_price")
        }
        let display = try displayText.map { text throws(Malformed) in try units(text, instrument.lot, "display_qty") }
        advanceClock(ts)
        let account = accountID(accountName)
        let duplicate = writer.clientOrderIDs.openOrder(account: account, name: clientOrderID) != nil
        let tag = writer.clientOrderIDs.reserve(clientOrderID, account: account)
        writer.pendingAcceptance = PendingAcceptance(
            symbol: symbol, clientTag: tag, side: side, type: type, quantity: quantity, price: price,
            stopPrice: stopPrice,
            timeInForce: timeInForce)
        let order = NewOrder(
            symbol: symbol, account: account, clientTag: tag, side: side, type: type, quantity: quantity, price: price,
            stopPrice: stopPrice, timeInForce: timeInForce, expireAt: expireAt, postOnly: postOnly,
            displayQuantity: display, selfTradePrevention: prevention, duplicateClientOrderID: duplicate)
        exchange.submit(order, into: &writer)
        if writer.pendingAcceptance != nil {
            writer.pendingAcceptance = nil
            writer.clientOrderIDs.discard(tag)
        }
    }

    private mutating func cancel(_ line: CommandFields, ts: Int64?) throws(Malformed) {
        let symbolName = try line.requiredString("symbol")
        let accountName = try line.requiredString("account")
        let reference = try line.orderReference()
        guard let symbol = knownSymbol(symbolName, ts: ts) else { return }
        let account = accountID(accountName)
        guard let orderID = resolve(reference, account: account) else {
            writer.reject(.unknownOrder, RejectReason.unknownOrder.message)
            return
        }
        exchange.cancel(orderID, account: account, symbol: symbol, into: &writer)
    }

    private mutating func replace(_ line: CommandFields, ts: Int64?) throws(Malformed) {
        let symbolName = try line.requiredString("symbol")
        let accountName = try line.requiredString("account")
        let reference = try line.orderReference()
        let priceText = try line.decimal("price")
        let quantityText = try line.decimal("qty")
        let stopPriceText = try line.decimal("stop_price")
        let newClientOrderID = try line.string("new_client_order_id")
        if priceText == nil && quantityText == nil && stopPriceText == nil {
            throw Malformed("replace needs at least one of price, qty, stop_price")
        }
        guard let symbol = symbols[ExactName(symbolName)] else {
            advanceClock(ts)
            writer.reject(.unknownSymbol, RejectReason.unknownSymbol.message)
            return
        }
        let instrument = writer.instruments[Int(symbol.rawValue)]
        let price = try priceText.map { text throws(Malformed) in try units(text, instrument.tick, "price") }
        let stopPrice = try stopPriceText.map { text throws(Malformed) in try units(text, instrument.tick, "stop_price")
        }
        let quantity = try quantityText.map { text throws(Malformed) in try units(text, instrument.lot, "qty") }
        advanceClock(ts)
        let account = accountID(accountName)
        guard let orderID = resolve(reference, account: account) else {
            writer.reject(.unknownOrder, RejectReason.unknownOrder.message)
            return
        }
        var command = Replace(
            symbol: symbol, account: account, orderID: orderID, price: price, stopPrice: stopPrice, quantity: quantity)
        if let newName = newClientOrderID, let order = exchange.order(orderID), order.account == account,
            ExactName(writer.clientOrderIDs.name(order.clientTag)) != ExactName(newName)
        {
            command.duplicateClientOrderID = writer.clientOrderIDs.openOrder(account: account, name: newName) != nil
            let tag = writer.clientOrderIDs.reserve(newName, account: account)
            command.newClientTag = tag
            writer.pendingRename = (orderID, order.clientTag, tag)
        }
        exchange.replace(command, into: &writer)
        if let rename = writer.pendingRename {
            writer.pendingRename = nil
            writer.clientOrderIDs.discard(rename.new)
        }
    }

    private mutating func massCancel(_ line: CommandFields, ts: Int64?) throws(Malformed) {
        let accountName = try line.requiredString("account")
        let symbolName = try line.string("symbol")
        let side = try line.enumeration("side", Side.byName)
        guard let symbol = optionalSymbol(symbolName, ts: ts) else { return }
        exchange.massCancel(account: accountID(accountName), symbol: symbol, side: side, into: &writer)
    }

    private mutating func addInstrument(_ line: CommandFields, ts: Int64?) throws(Malformed) {
        let symbolName = try line.requiredString("symbol")
        guard let tick = UnitSize(try line.requiredString("tick_size")) else {
            throw Malformed("tick_size must be a positive decimal string")
        }
        guard let lot = UnitSize(try line.requiredString("lot_size")) else {
            throw Malformed("lot_size must be a positive decimal string")
        }
        func bound(_ key: String) throws(Malformed) -> DecimalText? {
            guard let value = try line.decimal(key) else { return nil }
            if value.isNegative && !value.isZero { throw Malformed("\(key) must not be negative") }
            return value
        }
        let minimumQuantity = try bound("min_qty")
        let maximumQuantity = try bound("max_qty")
        let minimumNotional = try bound("min_notional")
        advanceClock(ts)
        if symbols[ExactName(symbolName)] != nil {
            writer.reject(.duplicateSymbol, RejectReason.duplicateSymbol.message)
            return
        }
        var rules = InstrumentRules()
        if let minimumQuantity { rules.minimumQuantity = Int64(clamping: lot.unitsRoundedUp(minimumQuantity)) }
        if let maximumQuantity { rules.maximumQuantity = Int64(clamping: lot.unitsRoundedDown(maximumQuantity)) }
        if let minimumNotional { rules.minimumNotional = tick.times(lot).unitsRoundedUp(minimumNotional) }
        symbols[ExactName(symbolName)] = exchange.addInstrument(rules)
        writer.instruments.append(InstrumentText(symbol: symbolName, tick: tick, lot: lot))
    }

    // MARK: Helpers

    /// Applies a command's clock (`now = max(now, ts)`), expiring GTD orders.
    private mutating func advanceClock(_ ts: Int64?) {
        guard let ts else { return }
        exchange.advanceClock(to: ts, into: &writer)
    }

    /// Applies the clock, then the symbol's id, or answers `unknown_symbol` and nil.
    private mutating func knownSymbol(_ name: String, ts: Int64?) -> SymbolID? {
        advanceClock(ts)
        guard let symbol = symbols[ExactName(name)] else {
            writer.reject(.unknownSymbol, RejectReason.unknownSymbol.message)
            return nil
        }
        return symbol
    }

    /// Applies the clock, then the symbol a command may name: `.some(nil)` when it names
    /// none (all symbols), nil when the name is unknown (answered with `unknown_symbol`).
    private mutating func optionalSymbol(_ name: String?, ts: Int64?) -> SymbolID?? {
        guard let name else {
            advanceClock(ts)
            return .some(nil)
        }
        guard let symbol = knownSymbol(name, ts: ts) else { return nil }
        return .some(symbol)
    }

    private mutating func accountID(_ name: String) -> AccountID {
        if let id = accounts[ExactName(name)] { return id }
        let id = AccountID(UInt32(writer.accountNames.count))
        writer.accountNames.append(name)
        accounts[ExactName(name)] = id
        return id
    }

    /// The order a cancel or replace names: by `order_id` when given, else by client order id.
    private func resolve(_ reference: CommandFields.OrderReference, account: AccountID) -> OrderID? {
        switch reference {
        case .orderID(let text):
            // Decimal digits only: `UInt64("+1")` would parse, but "+1" names no order.
            guard text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
                let id = UInt64(text), id > 0
            else { return nil }
            return OrderID(id)
        case .clientOrderID(let name):
            return writer.clientOrderIDs.openOrder(account: account, name: name)
        }
    }

    /// `text` in units of `size`: off-grid becomes 0 (which the core rejects as not
    /// positive); too many units for 64 bits is malformed.
    private func units(_ text: DecimalText, _ size: UnitSize, _ field: String) throws(Malformed) -> Int64 {
        switch size.units(in: text) {
        case .units(let units): return units
        case .offGrid: return 0
        case .overflow: throw Malformed("\(field) is out of range")
        }
    }
}
