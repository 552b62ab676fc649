import BourseCore

/// The whole sequenced state of a venue: the matching engine, and the names around
/// it (symbols and their units, accounts, client order ids).
///
/// It applies contract commands one at a time and answers their events. Like the
/// core it is pure and deterministic: the same commands give the same state and the
/// same events, which is what lets a journal of commands rebuild it exactly.
public struct Venue {
    var exchange = Exchange()
    var symbols: [ExactName: SymbolID] = [:]
    var accounts: [ExactName: AccountID] = [:]
    var context = EventContext()
    /// The core's events of the call in progress (reused between commands).
    private var coreEvents = CoreEventBuffer()
    /// The `accepted` event of the new order being submitted.
    private var pendingAcceptance: AcceptedOrder?
    /// A replace's rename: it takes effect with the first event that shows the new tag.
    private var pendingRename: (order: OrderID, old: ClientTag, new: ClientTag)?

    public init() {}

    /// The engine clock (milliseconds).
    public var now: Milliseconds { exchange.now }

    /// Orders and untriggered stops that are live.
    public var liveOrderCount: Int { exchange.liveOrderCount }

    /// Pre-sizes the order storage for `count` live orders.
    public mutating func reserveCapacity(orders count: Int) { exchange.reserveCapacity(orders: count) }

    /// Applies one command stamped `ts` (milliseconds; nil when it carries none) and
    /// answers its events into `sink`.
    public mutating func apply(_ command: Command, ts: Int64?, into sink: inout some VenueEventSink) {
        context.echo = CommandEcho(command)
        do {
            switch command {
            case .newOrder(let order): try newOrder(order, ts: ts, into: &sink)
            case .cancel(let cancel): self.cancel(cancel, ts: ts, into: &sink)
            case .replace(let replace): try self.replace(replace, ts: ts, into: &sink)
            case .massCancel(let massCancel):
                guard let symbol = optionalSymbol(massCancel.symbol, ts: ts, into: &sink) else { return }
                exchange.massCancel(
                    account: accountID(massCancel.account), symbol: symbol, side: massCancel.side, into: &coreEvents)
                relay(into: &sink)
            case .addInstrument(let instrument): try addInstrument(instrument, ts: ts, into: &sink)
            case .halt(let target):
                guard let symbol = knownSymbol(target.symbol, ts: ts, into: &sink) else { return }
                exchange.halt(symbol)
            case .resume(let target):
                guard let symbol = knownSymbol(target.symbol, ts: ts, into: &sink) else { return }
                exchange.resume(symbol)
            case .dumpBook(let target):
                guard let symbol = knownSymbol(target.symbol, ts: ts, into: &sink) else { return }
                sink.receive(.bookSnapshot(symbol, exchange.snapshot(of: symbol)), context: context)
            case .endSession(let end):
                guard let symbol = optionalSymbol(end.symbol, ts: ts, into: &sink) else { return }
                exchange.endSession(symbol: symbol, into: &coreEvents)
                relay(into: &sink)
            case .time(let now):
                advanceClock(ts, into: &sink)
                advanceClock(now, into: &sink)
            }
        } catch {
            reject(.malformed, error.message, into: &sink)
        }
    }

    /// Answers a command that was malformed before it could become a `Command` (not
    /// JSON, a missing field, a bad value): a `rejected` event echoing `echo`. Changes nothing.
    public mutating func rejectMalformed(echo: CommandEcho, message: String, into sink: inout some VenueEventSink) {
        context.echo = echo
        reject(.malformed, message, into: &sink)
    }

    /// Checks the engine's invariants and that the client order ids follow the orders.
    public func checkInvariants() {
        exchange.checkInvariants()
        precondition(
            context.clientOrderIDs.openCount == exchange.liveOrderCount,
            "client order ids of open orders are out of step with the orders")
    }

    // MARK: Commands

    private mutating func newOrder(
        _ command: NewOrderCommand, ts: Int64?, into sink: inout some VenueEventSink
    )
        throws(Malformed)
    {
        let quantityText = try decimal(command.quantity, "qty")
        let priceText = try command.price.map { text throws(Malformed) in try decimal(text, "price") }
        let stopPriceText = try command.stopPrice.map { text throws(Malformed) in try decimal(text, "stop_price") }
        let displayText = try command.displayQuantity.map { text throws(Malformed) in
            try decimal(text, "display_qty")
        }
        guard let symbol = symbols[ExactName(command.symbol)] else {
            advanceClock(ts, into: &sink)
            reject(.unknownSymbol, into: &sink)
            return
        }
        let instrument = context.instruments[Int(symbol.rawValue)]
        let quantity = try units(quantityText, instrument.lot, "qty")
        let price = try priceText.map { text throws(Malformed) in try units(text, instrument.tick, "price") }
        let stopPrice = try stopPriceText.map { text throws(Malformed) in
            try units(text, instrument.tick, "stop_price")
        }
        let display = try displayText.map { text throws(Malformed) in try units(text, instrument.lot, "display_qty") }
        advanceClock(ts, into: &sink)
        let account = accountID(command.account)
        let duplicate = context.clientOrderIDs.openOrder(account: account, name: command.clientOrderID) != nil
        let tag = context.clientOrderIDs.reserve(command.clientOrderID, account: account)
        pendingAcceptance = AcceptedOrder(
            symbol: symbol, account: account, clientTag: tag, side: command.side, type: command.type,
            quantity: quantity, price: price, stopPrice: stopPrice, timeInForce: command.timeInForce)
        let order = NewOrder(
            symbol: symbol, account: account, clientTag: tag, side: command.side, type: command.type,
            quantity: quantity, price: price, stopPrice: stopPrice, timeInForce: command.timeInForce,
            expireAt: command.expireAt, postOnly: command.postOnly, displayQuantity: display,
            selfTradePrevention: command.selfTradePrevention, duplicateClientOrderID: duplicate)
        exchange.submit(order, into: &coreEvents)
        relay(into: &sink)
        if pendingAcceptance != nil {
            pendingAcceptance = nil
            context.clientOrderIDs.discard(tag)
        }
    }

    private mutating func cancel(_ command: CancelCommand, ts: Int64?, into sink: inout some VenueEventSink) {
        guard let symbol = knownSymbol(command.symbol, ts: ts, into: &sink) else { return }
        let account = accountID(command.account)
        guard let orderID = resolve(command.order, account: account) else {
            reject(.unknownOrder, into: &sink)
            return
        }
        exchange.cancel(orderID, account: account, symbol: symbol, into: &coreEvents)
        relay(into: &sink)
    }

    private mutating func replace(
        _ command: ReplaceCommand, ts: Int64?, into sink: inout some VenueEventSink
    )
        throws(Malformed)
    {
        let priceText = try command.price.map { text throws(Malformed) in try decimal(text, "price") }
        let quantityText = try command.quantity.map { text throws(Malformed) in try decimal(text, "qty") }
        let stopPriceText = try command.stopPrice.map { text throws(Malformed) in try decimal(text, "stop_price") }
        if priceText == nil && quantityText == nil && stopPriceText == nil {
            throw Malformed("replace needs at least one of price, qty, stop_price")
        }
        guard let symbol = symbols[ExactName(command.symbol)] else {
            advanceClock(ts, into: &sink)
            reject(.unknownSymbol, into: &sink)
            return
        }
        let instrument = context.instruments[Int(symbol.rawValue)]
        let price = try priceText.map { text throws(Malformed) in try units(text, instrument.tick, "price") }
        let stopPrice = try stopPriceText.map { text throws(Malformed) in
            try units(text, instrument.tick, "stop_price")
        }
        let quantity = try quantityText.map { text throws(Malformed) in try units(text, instrument.lot, "qty") }
        advanceClock(ts, into: &sink)
        let account = accountID(command.account)
        guard let orderID = resolve(command.order, account: account) else {
            reject(.unknownOrder, into: &sink)
            return
        }
        var replace = Replace(
            symbol: symbol, account: account, orderID: orderID, price: price, stopPrice: stopPrice, quantity: quantity)
        if let newName = command.newClientOrderID, let order = exchange.order(orderID), order.account == account,
            ExactName(context.clientOrderIDs.name(order.clientTag)) != ExactName(newName)
        {
            replace.duplicateClientOrderID = context.clientOrderIDs.openOrder(account: account, name: newName) != nil
            let tag = context.clientOrderIDs.reserve(newName, account: account)
            replace.newClientTag = tag
            pendingRename = (orderID, order.clientTag, tag)
        }
        exchange.replace(replace, into: &coreEvents)
        relay(into: &sink)
        if let rename = pendingRename {
            pendingRename = nil
            context.clientOrderIDs.discard(rename.new)
        }
    }

    private mutating func addInstrument(
        _ command: AddInstrumentCommand, ts: Int64?, into sink: inout some VenueEventSink
    ) throws(Malformed) {
        guard let tick = UnitSize(command.tickSize) else {
            throw Malformed("tick_size must be a positive decimal string")
        }
        guard let lot = UnitSize(command.lotSize) else { throw Malformed("lot_size must be a positive decimal string") }
        func bound(_ text: String?, _ key: String) throws(Malformed) -> DecimalText? {
            guard let text else { return nil }
            let value = try decimal(text, key)
            if value.isNegative && !value.isZero { throw Malformed("\(key) must not be negative") }
            return value
        }
        let minimumQuantity = try bound(command.minimumQuantity, "min_qty")
        let maximumQuantity = try bound(command.maximumQuantity, "max_qty")
        let minimumNotional = try bound(command.minimumNotional, "min_notional")
        advanceClock(ts, into: &sink)
        if symbols[ExactName(command.symbol)] != nil {
            reject(.duplicateSymbol, into: &sink)
            return
        }
        var rules = InstrumentRules()
        if let minimumQuantity { rules.minimumQuantity = Int64(clamping: lot.unitsRoundedUp(minimumQuantity)) }
        if let maximumQuantity { rules.maximumQuantity = Int64(clamping: lot.unitsRoundedDown(maximumQuantity)) }
        if let minimumNotional { rules.minimumNotional = tick.times(lot).unitsRoundedUp(minimumNotional) }
        symbols[ExactName(command.symbol)] = exchange.addInstrument(rules)
        context.instruments.append(InstrumentText(symbol: command.symbol, tick: tick, lot: lot))
    }

    // MARK: Events

    /// Hands the core's events of the last call to `sink`, keeping the client order ids
    /// in step with the orders' lives on the way.
    private mutating func relay(into sink: inout some VenueEventSink) {
        for event in coreEvents.events {
            switch event {
            case .accepted(let orderID):
                guard let order = pendingAcceptance else {
                    preconditionFailure("an order was accepted that was not submitted")
                }
                pendingAcceptance = nil
                context.clientOrderIDs.bind(order.clientTag, to: orderID)
                sink.receive(.accepted(orderID, order), context: context)
            case .rejected(let reason):
                sink.receive(.rejected(reason, message: reason.message), context: context)
            case .trade(let trade):
                sink.receive(.trade(trade), context: context)
            case .order(let update):
                if let rename = pendingRename, rename.order == update.orderID, update.clientTag == rename.new {
                    context.clientOrderIDs.close(rename.old)
                    context.clientOrderIDs.bind(rename.new, to: rename.order)
                    pendingRename = nil
                }
                sink.receive(.order(update), context: context)
                if update.status.isTerminal { context.clientOrderIDs.close(update.clientTag) }
            case .book(let change):
                sink.receive(.book(change), context: context)
            case .massCancelled(let account, let count):
                sink.receive(.massCancelled(account, count: count), context: context)
            }
        }
        coreEvents.events.removeAll(keepingCapacity: true)
    }

    private mutating func reject(
        _ reason: RejectReason, _ message: String? = nil, into sink: inout some VenueEventSink
    ) {
        sink.receive(.rejected(reason, message: message ?? reason.message), context: context)
    }

    // MARK: Helpers

    /// Applies a command's clock (`now = max(now, ts)`), expiring GTD orders.
    private mutating func advanceClock(_ ts: Int64?, into sink: inout some VenueEventSink) {
        guard let ts, ts > exchange.now else { return }
        exchange.advanceClock(to: ts, into: &coreEvents)
        relay(into: &sink)
    }

    /// Applies the clock, then the symbol's id, or answers `unknown_symbol` and nil.
    private mutating func knownSymbol(_ name: String, ts: Int64?, into sink: inout some VenueEventSink) -> SymbolID? {
        advanceClock(ts, into: &sink)
        guard let symbol = symbols[ExactName(name)] else {
            reject(.unknownSymbol, into: &sink)
            return nil
        }
        return symbol
    }

    /// Applies the clock, then the symbol a command may name: `.some(nil)` when it names
    /// none (all symbols), nil when the name is unknown (answered with `unknown_symbol`).
    private mutating func optionalSymbol(
        _ name: String?, ts: Int64?, into sink: inout some VenueEventSink
    ) -> SymbolID?? {
        guard let name else {
            advanceClock(ts, into: &sink)
            return .some(nil)
        }
        guard let symbol = knownSymbol(name, ts: ts, into: &sink) else { return nil }
        return .some(symbol)
    }

    private mutating func accountID(_ name: String) -> AccountID {
        if let id = accounts[ExactName(name)] { return id }
        let id = AccountID(UInt32(context.accountNames.count))
        context.accountNames.append(name)
        accounts[ExactName(name)] = id
        return id
    }

    /// The order a cancel or replace names: by `order_id` when given, else by client order id.
    private func resolve(_ reference: OrderReference, account: AccountID) -> OrderID? {
        if let text = reference.orderID {
            // Decimal digits only: `UInt64("+1")` would parse, but "+1" names no order.
            guard text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
                let id = UInt64(text), id > 0
            else { return nil }
            return OrderID(id)
        }
        guard let name = reference.clientOrderID else { return nil }
        return context.clientOrderIDs.openOrder(account: account, name: name)
    }

    private func decimal(_ text: String, _ field: String) throws(Malformed) -> DecimalText {
        guard let value = DecimalText(text) else { throw Malformed("\(field) is not a decimal number") }
        return value
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

/// A command that the contract calls `malformed`; `message` says what is wrong.
package struct Malformed: Error {
    package var message: String
    package init(_ message: String) { self.message = message }
}

/// Collects the core's events of one call, so that the venue can relay them with its
/// own bookkeeping; its storage is reused.
struct CoreEventBuffer: EventSink {
    var events: [Event] = []

    @inline(__always)
    mutating func receive(_ event: Event) { events.append(event) }
}
