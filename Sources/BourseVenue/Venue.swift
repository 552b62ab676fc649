import BourseCore
import BourseRisk

/// The whole sequenced state of a venue: the matching engine, and the names around
/// it (symbols and their units, accounts, client order ids).
///
/// It applies contract commands one at a time and answers their events. Like the
/// core it is pure and deterministic: the same commands give the same state and the
/// same events, which is what lets a journal of commands rebuild it exactly.
public struct Venue {
    var exchange = Exchange()
    /// Symbol ids by name (the names are `context.instruments`).
    var symbolIndex = NameIndex()
    /// Account ids by name (the names are `context.accountNames`).
    var accountIndex = NameIndex()
    var context = EventContext()
    /// Pre-trade checks, balances, positions, fees, kill switches, circuit breakers.
    public internal(set) var risk = Risk()
    /// Whether the risk layer follows orders and trades (off only to measure its cost).
    let riskEnabled: Bool
    /// The core's events of the call in progress (reused between commands).
    var coreEvents = CoreEventBuffer()
    /// The `accepted` event of the new order being submitted.
    private var pendingAcceptance: NewOrder?
    /// What the pending order holds, as the risk checks found (a cash account's order).
    private var pendingHold: HoldTerms?
    /// A replace's rename: it takes effect with the first event that shows the new tag.
    private var pendingRename: (order: OrderID, old: ClientTag, new: ClientTag)?

    /// A venue; with `risk: false` the risk layer is left out entirely (its commands
    /// still apply, but nothing checks or follows orders), to measure what it costs.
    public init(risk: Bool = true) { riskEnabled = risk }

    /// The engine clock (milliseconds).
    public var now: Milliseconds { exchange.now }

    /// The instruments, in the order they were added (a symbol's id is its index).
    public var instruments: [InstrumentText] { context.instruments }

    /// Orders and untriggered stops that are live.
    public var liveOrderCount: Int { exchange.liveOrderCount }

    /// Pre-sizes the order storage for `count` live orders.
    public mutating func reserveCapacity(orders count: Int) { exchange.reserveCapacity(orders: count) }

    /// Applies one command stamped `ts` (milliseconds; nil when it carries none) and
    /// answers its events into `sink`.
    public mutating func apply(_ command: consuming Command, ts: Int64?, into sink: inout some VenueEventSink) {
        switch consume command {
        case .newOrder(let order):
            do throws(Malformed) {
                try newOrder(order, ts: ts, into: &sink)
            } catch {
                reject(.malformed, error.message, echo: CommandEcho(order), into: &sink)
            }
        case .cancel(let cancel): self.cancel(cancel, ts: ts, into: &sink)
        case .replace(let replace):
            do throws(Malformed) {
                try self.replace(replace, ts: ts, into: &sink)
            } catch {
                reject(.malformed, error.message, echo: CommandEcho(replace), into: &sink)
            }
        case .massCancel(let massCancel):
            let echo = { CommandEcho(massCancel) }
            guard let symbol = optionalSymbol(massCancel.symbol, ts: ts, echo: echo, into: &sink) else { return }
            exchange.massCancel(
                account: accountID(massCancel.account), symbol: symbol, side: massCancel.side, into: &coreEvents)
            relay(echo: echo, into: &sink)
        case .addInstrument(let instrument):
            do throws(Malformed) {
                try addInstrument(instrument, ts: ts, into: &sink)
            } catch {
                reject(.malformed, error.message, echo: CommandEcho(instrument), into: &sink)
            }
        case .halt(let target):
            let echo = { CommandEcho(target, cmd: "halt") }
            guard let symbol = knownSymbol(target.symbol, ts: ts, echo: echo, into: &sink) else { return }
            exchange.halt(symbol)
            risk.clearBreakerHalt(symbol)
        case .resume(let target):
            let echo = { CommandEcho(target, cmd: "resume") }
            guard let symbol = knownSymbol(target.symbol, ts: ts, echo: echo, into: &sink) else { return }
            if riskEnabled && risk.venueHalted && exchange.isHalted(symbol) {
                // Resuming would run the trigger check a breaker halt left behind: not while the venue is halted.
                reject(.halted, "trading on the venue is halted: resume_venue first", echo: echo(), into: &sink)
                return
            }
            risk.clearBreakerHalt(symbol)
            resumeSymbol(symbol, echo: echo, into: &sink)
        case .dumpBook(let target):
            let echo = { CommandEcho(target, cmd: "dump_book") }
            guard let symbol = knownSymbol(target.symbol, ts: ts, echo: echo, into: &sink) else { return }
            sink.receive(snapshot: exchange.snapshot(of: symbol), of: symbol, context: context)
        case .endSession(let end):
            let echo = { CommandEcho(end) }
            guard let symbol = optionalSymbol(end.symbol, ts: ts, echo: echo, into: &sink) else { return }
            exchange.endSession(symbol: symbol, into: &coreEvents)
            relay(echo: echo, into: &sink)
        case .time(let now):
            advanceClock(ts, into: &sink)
            advanceClock(now, into: &sink)
        case .risk(let command):
            applyRisk(command, ts: ts, into: &sink)
        }
        if riskEnabled && risk.hasBalanceEvents {
            for index in 0..<risk.changedBalanceCount {
                let (account, asset, balance) = risk.changedBalance(index)
                sink.receive(
                    .risk(.balance(account, asset: asset, total: balance.total, held: balance.held)), context: context)
            }
            risk.clearChangedBalances()
        }
    }

    /// Answers a command that was malformed before it could become a `Command` (not
    /// JSON, a missing field, a bad value): a `rejected` event echoing `echo`. Changes nothing.
    public mutating func rejectMalformed(echo: CommandEcho, message: String, into sink: inout some VenueEventSink) {
        reject(.malformed, message, echo: echo, into: &sink)
    }

    /// Checks the engine's invariants and that the client order ids follow the orders.
    public func checkInvariants() {
        exchange.checkInvariants()
        precondition(
            context.clientOrderIDs.openCount == exchange.liveOrderCount,
            "client order ids of open orders are out of step with the orders")
        risk.checkInvariants()
        risk.forEachHold { orderID, held, perLot in
            guard let order = exchange.order(orderID) else { preconditionFailure("a hold outlived its order") }
            precondition(
                held == perLot.times(Int128(order.leaves.lots)), "a hold is not its order's remaining quantity")
        }
    }

    // MARK: Commands

    private mutating func newOrder(
        _ command: NewOrderCommand, ts: Int64?, into sink: inout some VenueEventSink
    )
        throws(Malformed)
    {
        // A cash order's hold goes into the slot of the order's id: load it while the order is checked.
        if riskEnabled { risk.prefetchHold(exchange.upcomingOrderID) }
        guard let symbol = symbolID(command.symbol) else {
            advanceClock(ts, into: &sink)
            reject(.unknownSymbol, echo: CommandEcho(command), into: &sink)
            return
        }
        let instrument = context.instruments[Int(symbol.rawValue)]
        let quantity = try units(command.quantity, instrument.lot, "qty")
        let price = try command.price.map { value throws(Malformed) in try units(value, instrument.tick, "price") }
        let stopPrice = try command.stopPrice.map { value throws(Malformed) in
            try units(value, instrument.tick, "stop_price")
        }
        let display = try command.displayQuantity.map { value throws(Malformed) in
            try units(value, instrument.lot, "display_qty")
        }
        advanceClock(ts, into: &sink)
        let account = accountID(command.account)
        let hash = context.clientOrderIDs.hash(command.clientOrderID, account: account)
        let duplicate =
            context.clientOrderIDs.openOrder(account: account, name: command.clientOrderID, hash: hash) != nil
        let tag = context.clientOrderIDs.reserve(command.clientOrderID, account: account, hash: hash)
        var order = NewOrder(
            symbol: symbol, account: account, clientTag: tag, side: command.side, type: command.type,
            quantity: quantity, price: price, stopPrice: stopPrice, timeInForce: command.timeInForce,
            expireAt: command.expireAt, postOnly: command.postOnly, displayQuantity: display,
            selfTradePrevention: command.selfTradePrevention, duplicateClientOrderID: duplicate)
        if riskEnabled && (risk.venueHalted || risk.needsChecks), exchange.validate(order) == nil {
            do throws(RiskRejection) {
                pendingHold = try checkRisk(&order)
            } catch {
                context.clientOrderIDs.discard(tag)
                reject(error.reason, error.message, echo: CommandEcho(command), into: &sink)
                return
            }
        }
        let armed = armBreaker(symbol)
        pendingAcceptance = order
        exchange.submit(order, into: &coreEvents)
        relay(echo: { CommandEcho(command) }, into: &sink)
        if armed { noticeBreakerTrip(symbol, into: &sink) }
        pendingHold = nil
        if pendingAcceptance != nil {
            pendingAcceptance = nil
            context.clientOrderIDs.discard(tag)
        }
    }

    private mutating func cancel(_ command: CancelCommand, ts: Int64?, into sink: inout some VenueEventSink) {
        guard let symbol = knownSymbol(command.symbol, ts: ts, echo: { CommandEcho(command) }, into: &sink) else {
            return
        }
        let account = accountID(command.account)
        guard let orderID = resolve(command.order, account: account) else {
            reject(.unknownOrder, echo: CommandEcho(command), into: &sink)
            return
        }
        if riskEnabled { risk.prefetchHold(orderID) }
        exchange.cancel(orderID, account: account, symbol: symbol, into: &coreEvents)
        relay(echo: { CommandEcho(command) }, into: &sink)
    }

    private mutating func replace(
        _ command: ReplaceCommand, ts: Int64?, into sink: inout some VenueEventSink
    )
        throws(Malformed)
    {
        if command.price == nil && command.quantity == nil && command.stopPrice == nil {
            throw Malformed("replace needs at least one of price, qty, stop_price")
        }
        guard let symbol = symbolID(command.symbol) else {
            advanceClock(ts, into: &sink)
            reject(.unknownSymbol, echo: CommandEcho(command), into: &sink)
            return
        }
        let instrument = context.instruments[Int(symbol.rawValue)]
        let price = try command.price.map { value throws(Malformed) in try units(value, instrument.tick, "price") }
        let stopPrice = try command.stopPrice.map { value throws(Malformed) in
            try units(value, instrument.tick, "stop_price")
        }
        let quantity = try command.quantity.map { value throws(Malformed) in
            try units(value, instrument.lot, "qty")
        }
        advanceClock(ts, into: &sink)
        let account = accountID(command.account)
        guard let orderID = resolve(command.order, account: account) else {
            reject(.unknownOrder, echo: CommandEcho(command), into: &sink)
            return
        }
        var replace = Replace(
            symbol: symbol, account: account, orderID: orderID, price: price, stopPrice: stopPrice, quantity: quantity)
        if let newName = command.newClientOrderID, let order = exchange.order(orderID), order.account == account,
            !NameIndex.same(context.clientOrderIDs.name(order.clientTag), newName)
        {
            replace.duplicateClientOrderID = context.clientOrderIDs.openOrder(account: account, name: newName) != nil
            let tag = context.clientOrderIDs.reserve(newName, account: account)
            replace.newClientTag = tag
            pendingRename = (orderID, order.clientTag, tag)
        }
        var holdUpdate: (side: Side, price: Int64)?
        if riskEnabled && (risk.venueHalted || risk.needsChecks),
            let order = exchange.order(orderID), order.account == account, order.symbol == symbol,
            !exchange.isHalted(symbol), risk.venueHalted || Self.passesContractChecks(replace, of: order)
        {
            do throws(RiskRejection) {
                if let price = try checkRisk(replacing: order, &replace) { holdUpdate = (order.side, price) }
            } catch {
                if let rename = pendingRename {
                    pendingRename = nil
                    context.clientOrderIDs.discard(rename.new)
                }
                reject(error.reason, error.message, echo: CommandEcho(command), into: &sink)
                return
            }
        }
        let armed = armBreaker(symbol)
        exchange.replace(replace, into: &coreEvents)
        if let holdUpdate, !coreEvents.events.contains(where: { if case .rejected = $0 { true } else { false } }) {
            risk.replaced(orderID, side: holdUpdate.side, symbol: symbol, price: holdUpdate.price)
        }
        relay(echo: { CommandEcho(command) }, into: &sink)
        if armed { noticeBreakerTrip(symbol, into: &sink) }
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
            guard let value = DecimalText(text) else { throw Malformed("\(key) is not a decimal number") }
            if value.isNegative && !value.isZero { throw Malformed("\(key) must not be negative") }
            return value
        }
        let minimumQuantity = try bound(command.minimumQuantity, "min_qty")
        let maximumQuantity = try bound(command.maximumQuantity, "max_qty")
        let minimumNotional = try bound(command.minimumNotional, "min_notional")
        advanceClock(ts, into: &sink)
        if symbolID(command.symbol) != nil {
            reject(.duplicateSymbol, echo: CommandEcho(command), into: &sink)
            return
        }
        var rules = InstrumentRules()
        if let minimumQuantity { rules.minimumQuantity = Int64(clamping: lot.unitsRoundedUp(minimumQuantity)) }
        if let maximumQuantity { rules.maximumQuantity = Int64(clamping: lot.unitsRoundedDown(maximumQuantity)) }
        if let minimumNotional { rules.minimumNotional = tick.times(lot).unitsRoundedUp(minimumNotional) }
        addSymbol(command.symbol, InstrumentText(symbol: command.symbol, tick: tick, lot: lot), rules)
    }

    // MARK: Events

    /// Hands the core's events of the last call to `sink`, keeping the client order ids
    /// in step with the orders' lives on the way.
    mutating func relay(echo: () -> CommandEcho, into sink: inout some VenueEventSink) {
        if riskEnabled && risk.hasHolds {
            // The makers' holds (each fill pays its fee and shrinks its hold): their cache misses overlap.
            for event in coreEvents.events {
                if case .trade(let trade) = event { risk.prefetchHold(trade.makerOrderID) }
            }
        }
        for event in coreEvents.events {
            switch event {
            case .accepted(let orderID):
                guard let order = pendingAcceptance else {
                    preconditionFailure("an order was accepted that was not submitted")
                }
                pendingAcceptance = nil
                context.clientOrderIDs.bind(order.clientTag, to: orderID)
                if riskEnabled { risk.accepted(orderID, order, now: exchange.now, hold: pendingHold) }
                sink.receive(.accepted(orderID, order), context: context)
            case .rejected(let reason):
                reject(reason, echo: echo(), into: &sink)
            case .trade(let trade):
                if riskEnabled { risk.traded(trade, now: exchange.now) }
                sink.receive(.trade(trade), context: context)
            case .order(let update):
                if let rename = pendingRename, rename.order == update.orderID, update.clientTag == rename.new {
                    context.clientOrderIDs.close(rename.old)
                    context.clientOrderIDs.bind(rename.new, to: rename.order)
                    pendingRename = nil
                }
                if riskEnabled { risk.orderChanged(update) }
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

    mutating func reject(
        _ reason: RejectReason, _ message: String? = nil, echo: CommandEcho, into sink: inout some VenueEventSink
    ) {
        context.echo = echo
        context.rejectionMessage = message ?? reason.message
        sink.receive(.rejected(reason), context: context)
    }

    // MARK: Helpers

    /// Applies a command's clock (`now = max(now, ts)`), expiring GTD orders.
    mutating func advanceClock(_ ts: Int64?, into sink: inout some VenueEventSink) {
        guard let ts, ts > exchange.now else { return }
        exchange.advanceClock(to: ts, into: &coreEvents)
        relay(echo: { preconditionFailure("the clock rejects nothing") }, into: &sink)
        if risk.breakerResumeDue(now: ts) && !risk.venueHalted { resumeAfterBreakers(into: &sink) }
    }

    /// Applies the clock, then the symbol's id, or answers `unknown_symbol` and nil.
    mutating func knownSymbol(
        _ name: String, ts: Int64?, echo: () -> CommandEcho, into sink: inout some VenueEventSink
    ) -> SymbolID? {
        advanceClock(ts, into: &sink)
        guard let symbol = symbolID(name) else {
            reject(.unknownSymbol, echo: echo(), into: &sink)
            return nil
        }
        return symbol
    }

    /// Applies the clock, then the symbol a command may name: `.some(nil)` when it names
    /// none (all symbols), nil when the name is unknown (answered with `unknown_symbol`).
    mutating func optionalSymbol(
        _ name: String?, ts: Int64?, echo: () -> CommandEcho, into sink: inout some VenueEventSink
    ) -> SymbolID?? {
        guard let name else {
            advanceClock(ts, into: &sink)
            return .some(nil)
        }
        guard let symbol = knownSymbol(name, ts: ts, echo: echo, into: &sink) else { return nil }
        return .some(symbol)
    }

    /// The id of account `name`, given out on first use.
    @inline(__always)
    mutating func accountID(_ name: String) -> AccountID {
        let hash = accountIndex.hash(name)
        if let id = accountIndex.find(hash: hash, where: { NameIndex.same(context.accountNames[Int($0)], name) }) {
            return AccountID(id)
        }
        let id = UInt32(context.accountNames.count)
        context.accountNames.append(name)
        accountIndex.insert(hash: hash, value: id)
        return AccountID(id)
    }

    @inline(__always)
    func symbolID(_ name: String) -> SymbolID? {
        symbolIndex.find(
            hash: symbolIndex.hash(name), where: { NameIndex.same(context.instruments[Int($0)].symbol, name) }
        )
        .map(SymbolID.init)
    }

    /// Adds an instrument whose symbol is new.
    mutating func addSymbol(_ name: String, _ instrument: InstrumentText, _ rules: InstrumentRules) {
        let symbol = exchange.addInstrument(rules)
        precondition(Int(symbol.rawValue) == context.instruments.count)
        context.instruments.append(instrument)
        symbolIndex.insert(hash: symbolIndex.hash(name), value: symbol.rawValue)
        let assets = Self.assets(of: name)
        risk.addInstrument(
            base: assets?.base, quote: assets?.quote, basePerLot: instrument.lot.amount,
            quotePerTickLot: instrument.tick.times(instrument.lot).amount)
        context.assetNames = risk.assetNames
    }

    /// The order a cancel or replace names: by `order_id` when given, else by client order id.
    private func resolve(_ reference: OrderReference, account: AccountID) -> OrderID? {
        if let text = reference.orderID {
            // Decimal digits only (`UInt64("+1")` would parse, but "+1" names no order), without overflow.
            var id: UInt64 = 0
            for byte in text.utf8 {
                let digit = byte &- UInt8(ascii: "0")
                guard digit < 10 else { return nil }
                let (times10, overflow) = id.multipliedReportingOverflow(by: 10)
                let (sum, carry) = times10.addingReportingOverflow(UInt64(digit))
                guard !overflow && !carry else { return nil }
                id = sum
            }
            return id > 0 ? OrderID(id) : nil
        }
        guard let name = reference.clientOrderID else { return nil }
        return context.clientOrderIDs.openOrder(account: account, name: name)
    }

    /// `text` in units of `size`: off-grid becomes 0 (which the core rejects as not
    /// positive); too many units for 64 bits is malformed.
    @inline(__always)
    func units(_ text: DecimalValue, _ size: UnitSize, _ field: String) throws(Malformed) -> Int64 {
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
