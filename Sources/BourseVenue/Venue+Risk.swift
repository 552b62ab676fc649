import BourseCore
import BourseRisk

/// The risk layer inside the venue: the pre-trade checks between the contract's
/// validation and matching, circuit breakers around matching, and the risk commands.
extension Venue {
    /// The market the risk checks of `symbol` see. With a last trade the best prices are
    /// not read: every check that uses them takes the last trade first.
    mutating func market(_ symbol: SymbolID) -> MarketView {
        if let lastTrade = exchange.lastTradePrice(symbol) {
            return MarketView(lastTrade: lastTrade, bid: nil, ask: nil)
        }
        let best = exchange.bestPrices(symbol)
        return MarketView(lastTrade: nil, bid: best.bid, ask: best.ask)
    }

    /// The venue halt and the pre-trade checks of a new order the contract accepts.
    mutating func checkRisk(_ order: inout NewOrder) throws(RiskRejection) -> HoldTerms? {
        if risk.venueHalted { throw RiskRejection(.halted, "trading on the venue is halted") }
        // The market first: read as an argument, it would be a change of the venue between
        // reading `risk` and calling it, and `risk` would be copied to keep it as it was.
        let market = market(order.symbol)
        return try risk.check(&order, market: market, now: exchange.now)
    }

    /// The venue halt and the risk checks of a replace of `order`; sets a cash stop
    /// buy's new protection price. Answers the price the order's hold is computed at
    /// afterwards, when it changes.
    mutating func checkRisk(replacing order: OrderView, _ replace: inout Replace) throws(RiskRejection) -> Int64? {
        if risk.venueHalted { throw RiskRejection(.halted, "trading on the venue is halted") }
        let market = market(order.symbol)  // first: see `checkRisk(_:)`
        let protection = try risk.checkReplace(
            order, price: replace.price, stopPrice: replace.stopPrice, quantity: replace.quantity, market: market)
        replace.protectionPrice = protection
        return order.type.hasLimitPrice ? replace.price : protection
    }

    /// Whether a replace passes the contract's checks that come before the risk checks
    /// (a field that applies, prices and quantity on the grid, not a duplicate client order
    /// id, a change): one that does not is left to the engine, which answers its reason.
    static func passesContractChecks(_ replace: Replace, of order: OrderView) -> Bool {
        let resting = !order.isWaitingStop
        if replace.price != nil && !((resting && order.type == .limit) || (!resting && order.type == .stopLimit)) {
            return false
        }
        if replace.stopPrice != nil && resting { return false }
        if let price = replace.price, price <= 0 { return false }
        if let stopPrice = replace.stopPrice, stopPrice <= 0 { return false }
        if let quantity = replace.quantity, quantity <= 0 { return false }
        if replace.duplicateClientOrderID { return false }
        let total = order.leaves.lots + order.filled.lots
        return replace.price.map { $0 != order.price.ticks } ?? false
            || replace.stopPrice.map { $0 != order.stopPrice.ticks } ?? false
            || replace.quantity.map { $0 != total } ?? false
    }

    /// Sets the circuit breaker's band of `symbol` for a command that may trade; answers
    /// whether the breaker is armed (the symbol has one and is trading).
    mutating func armBreaker(_ symbol: SymbolID) -> Bool {
        guard riskEnabled, let band = risk.breakerBand(symbol, now: exchange.now) else { return false }
        exchange.setPriceBand(symbol, band)
        return !exchange.isHalted(symbol)
    }

    /// After a command on a symbol whose breaker was armed: if matching met the band's
    /// edge, the engine halted the symbol; the halt is timed and answered.
    mutating func noticeBreakerTrip(_ symbol: SymbolID, into sink: inout some VenueEventSink) {
        guard exchange.isHalted(symbol) else { return }
        risk.breakerTripped(symbol, now: exchange.now)
        sink.receive(.risk(.halted(symbol, .circuitBreaker)), context: context)
    }

    /// Resumes the symbols whose breaker halt has run out, in symbol order.
    mutating func resumeAfterBreakers(into sink: inout some VenueEventSink) {
        for symbol in risk.breakerResumes(now: exchange.now) where exchange.isHalted(symbol) {
            sink.receive(.risk(.resumed(symbol, .circuitBreaker)), context: context)
            resumeSymbol(symbol, echo: { preconditionFailure("a resume rejects nothing") }, into: &sink)
        }
    }

    /// Resumes a halted symbol: the stops a breaker halt kept from triggering trigger
    /// now, inside the breaker's band (which may halt the symbol again).
    mutating func resumeSymbol(_ symbol: SymbolID, echo: () -> CommandEcho, into sink: inout some VenueEventSink) {
        guard exchange.isHalted(symbol) else { return }
        let hasBreaker =
            riskEnabled
            && risk.breakerBand(symbol, now: exchange.now).map {
                exchange.setPriceBand(symbol, $0)
            } != nil
        exchange.resume(symbol, into: &coreEvents)
        relay(echo: echo, into: &sink)
        if hasBreaker { noticeBreakerTrip(symbol, into: &sink) }
    }

    // MARK: Commands

    mutating func applyRisk(_ command: RiskCommand, ts: Int64?, into sink: inout some VenueEventSink) {
        let echo = { CommandEcho(.risk(command)) }
        do throws(RiskRejection) {
            try applyRiskOrReject(command, ts: ts, into: &sink)
        } catch {
            reject(error.reason, error.message, echo: echo(), into: &sink)
        }
        context.assetNames = risk.assetNames
    }

    private mutating func applyRiskOrReject(
        _ command: RiskCommand, ts: Int64?, into sink: inout some VenueEventSink
    ) throws(RiskRejection) {
        // Values are checked first: a malformed command has no effect at all, not even on the clock.
        switch command.kind {
        case .deposit, .withdraw:
            let amount = try Self.amount(command, "amount")
            advanceClock(ts, into: &sink)
            let account = accountID(command["account"]!)
            if command.kind == .deposit {
                try risk.deposit(account, asset: command["asset"]!, amount: amount)
            } else {
                try risk.withdraw(account, asset: command["asset"]!, amount: amount)
            }
        case .setAccount:
            var mode: AccountMode?
            switch command["mode"] {
            case nil: mode = nil
            case "cash": mode = .cash
            case "credit": mode = .credit
            case let other?: throw RiskRejection(.malformed, "mode has no value \"\(other)\"")
            }
            let tier = try command["tier"].map { text throws(RiskRejection) in try Self.count(text, "tier") }
            advanceClock(ts, into: &sink)
            try risk.setAccount(
                accountID(command["account"]!), mode: mode, tier: tier, enabled: command["enabled"].map { $0 == "true" }
            )
        case .setLimits:
            var changes: [(Limits.Field, Amount?)] = []
            for (name, field) in zip(RiskCommand.limitFields, Limits.Field.allCases) {
                guard let text = command[name] else { continue }
                if text == "none" {
                    changes.append((field, nil))
                    continue
                }
                guard let value = Amount(text), value >= .zero else {
                    throw RiskRejection(.malformed, "\(name) must be a non-negative decimal string or \"none\"")
                }
                if (field == .maxOpenOrders || field == .maxOrderRate) && value.raw % Amount.scale != 0 {
                    throw RiskRejection(.malformed, "\(name) must be a whole number")
                }
                changes.append((field, value))
            }
            let perInstrument: [Limits.Field] = [.maxOrderQuantity, .maxOrderNotional, .maxPosition]
            if command["symbol"] != nil && changes.contains(where: { !perInstrument.contains($0.0) }) {
                throw RiskRejection(
                    .malformed, "only max_order_qty, max_order_notional and max_position can be set for one symbol")
            }
            let symbol = try command["symbol"].map { name throws(RiskRejection) in
                try riskSymbol(name, ts: ts, into: &sink)
            }
            advanceClock(ts, into: &sink)
            risk.setLimits(accountID(command["account"]!), symbol: symbol, changes)
        case .setInstrumentRisk:
            let band: Int?? = try command["price_band_pct"].map { text throws(RiskRejection) in
                text == "none" ? nil : try Self.percent(text, "price_band_pct")
            }
            let protection = try command["market_protection_pct"].map { text throws(RiskRejection) in
                try Self.percent(text, "market_protection_pct")
            }
            var breaker: BreakerSettings??
            if let text = command["breaker_pct"] {
                if text == "none" {
                    breaker = .some(nil)
                } else {
                    guard let window = command["breaker_window_ms"].flatMap({ Int64($0) }), window > 0,
                        let halt = command["breaker_halt_ms"].flatMap({ Int64($0) }), halt > 0
                    else {
                        throw RiskRejection(
                            .malformed, "breaker_pct needs a positive breaker_window_ms and breaker_halt_ms")
                    }
                    breaker = BreakerSettings(
                        basisPoints: try Self.percent(text, "breaker_pct"), windowMilliseconds: window,
                        haltMilliseconds: halt)
                }
            }
            let symbol = try riskSymbol(command["symbol"]!, ts: ts, into: &sink)
            risk.setInstrumentRisk(symbol, band: band, protection: protection, breaker: breaker)
            if case .some(nil) = breaker { exchange.setPriceBand(symbol, Int64.min...Int64.max) }
        case .setFees:
            let tier = try command["tier"].map { text throws(RiskRejection) in try Self.count(text, "tier") } ?? 0
            let maker = try Self.count(command["maker_bps"]!, "maker_bps")
            let taker = try Self.count(command["taker_bps"]!, "taker_bps")
            guard maker <= 10_000, taker <= 10_000 else {
                throw RiskRejection(.malformed, "a fee is at most 10000 basis points")
            }
            let symbol = try riskSymbol(command["symbol"]!, ts: ts, into: &sink)
            try risk.setFees(symbol, FeeTier(tier: tier, maker: maker, taker: taker))
        case .kill, .unkill:
            advanceClock(ts, into: &sink)
            let account = command["account"].map { accountID($0) }
            let engaged = command.kind == .kill
            guard risk.setKillSwitch(account, engaged: engaged) else { return }
            if engaged {
                exchange.cancelAll(account: account, reason: .killSwitch, into: &coreEvents)
                relay(echo: { preconditionFailure("a kill switch rejects nothing") }, into: &sink)
            }
            sink.receive(.risk(.killSwitch(account, engaged: engaged)), context: context)
        case .haltVenue, .resumeVenue:
            advanceClock(ts, into: &sink)
            let halted = command.kind == .haltVenue
            guard risk.setVenueHalt(halted) else { return }
            sink.receive(.risk(halted ? .halted(nil, .venueHalt) : .resumed(nil, .venueHalt)), context: context)
            // Breaker halts that ran out while the venue was halted end now.
            if !halted && risk.breakerResumeDue(now: exchange.now) { resumeAfterBreakers(into: &sink) }
        case .settle:
            advanceClock(ts, into: &sink)
            risk.endSession { sink.receive(.risk($0), context: context) }
        case .accountReport:
            advanceClock(ts, into: &sink)
            let account = accountID(command["account"]!)
            for (asset, balance) in risk.balances(of: account) {
                sink.receive(
                    .risk(.balance(account, asset: asset, total: balance.total, held: balance.held)), context: context)
            }
            for position in risk.positions(of: account) {
                sink.receive(.risk(.position(position, mark: risk.markPrice(position.symbol))), context: context)
            }
        }
    }

    /// Applies the clock, then the id of a symbol a risk command names, or refuses it.
    private mutating func riskSymbol(
        _ name: String, ts: Int64?, into sink: inout some VenueEventSink
    ) throws(RiskRejection) -> SymbolID {
        advanceClock(ts, into: &sink)
        guard let symbol = symbolID(name) else { throw RiskRejection(.unknownSymbol) }
        return symbol
    }

    private static func amount(_ command: RiskCommand, _ field: String) throws(RiskRejection) -> Amount {
        guard let amount = command[field].flatMap(Amount.init), amount > .zero else {
            throw RiskRejection(.malformed, "\(field) must be a positive decimal string of at most 18 decimal places")
        }
        return amount
    }

    private static func count(_ text: String, _ field: String) throws(RiskRejection) -> Int {
        guard let value = Int(text), value >= 0, value <= 1_000_000 else {
            throw RiskRejection(.malformed, "\(field) must be an integer from 0 to 1000000")
        }
        return value
    }

    private static func percent(_ text: String, _ field: String) throws(RiskRejection) -> Int {
        guard let points = BasisPoints.fromPercent(text) else {
            throw RiskRejection(.malformed, "\(field) must be a non-negative percentage with at most 2 decimal places")
        }
        return points
    }

    /// The base and quote assets a symbol names: `BASE-QUOTE` or `BASE/QUOTE` (at the
    /// last separator). Nil when it names none.
    static func assets(of symbol: String) -> (base: String, quote: String)? {
        guard let separator = symbol.lastIndex(where: { $0 == "-" || $0 == "/" }) else { return nil }
        let base = String(symbol[..<separator])
        let quote = String(symbol[symbol.index(after: separator)...])
        guard !base.isEmpty, !quote.isEmpty else { return nil }
        return (base, quote)
    }
}

extension UnitSize {
    /// The size as an `Amount`, when it has at most 18 decimal places and fits.
    var amount: Amount? {
        let shift = exponent + Amount.fractionDigits
        guard shift >= 0, shift <= 38 else { return nil }
        var value = significand
        for _ in 0..<shift {
            let (product, overflow) = value.multipliedReportingOverflow(by: 10)
            guard !overflow else { return nil }
            value = product
        }
        guard value <= UInt128(Int128.max) else { return nil }
        return Amount(raw: Int128(value))
    }
}
