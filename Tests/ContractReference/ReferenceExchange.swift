// A small, deliberately plain reference implementation of the matching contract
// (shared/spec/matching-contract.md v1.1) and of docs/matching-rules.md (its choices section), used as the oracle of the
// differential test. It favours clarity over speed: each book side is a plain array kept in priority order
// (best price first, then time), the stop list is a plain array, and every lookup is a linear scan.
//
// Readings of my own where the two documents left room (the most literal reading was chosen):
//  1. A blank line is one made only of JSON whitespace (space, tab, CR, LF); it answers nothing.
//  2. A JSON `null` counts as a present field of the wrong type (malformed), except in fields the choices doc
//     says are ignored (`price` on market/stop, `stop_price` on limit/market, `expire_at` without gtd).
//  3. Every known field that is present is type-checked, optional ones included: on cancel/replace a
//     `client_order_id` of the wrong type is malformed even when `order_id` (which wins) is present.
//  4. `rejected` echoes `account` and `symbol` whenever the line has them as strings, whatever the command,
//     `client_order_id` for new_order/cancel/replace when it is a string, and `order_id` for cancel/replace
//     when it is a string or an integer literal (echoed as a decimal string of the literal's text).
//  5. "JSON integer" (ts, now, expire_at) means a number literal without fraction or exponent that fits in a
//     signed 64-bit integer. A command `order_id` that is a number with a fraction or exponent is malformed;
//     an integer literal that does not fit names no order (unknown_order). A string `order_id` of decimal
//     digits names the order with that value ("007" is order 7); any other string names no order.
//  6. Decimal texts may have leading zeros ("0100.5" is 100.5). The range check compares the exact quotient:
//     a value whose exact count of ticks/lots is above Int64.max (or below Int64.min) is malformed, even when
//     it is not a whole count.
//  7. `time` with a `ts` advances the clock twice: first to ts (expiries), then to `now` (expiries).
//  8. An incoming iceberg matches with its whole remaining quantity; the slice only matters once it rests.
//  9. `mass_cancelled` comes after the `order`/`book` events of the orders it cancelled.
// 10. A replace answered by `replaced_below_filled` takes effect as a cancel: a `new_client_order_id` in it is
//     applied, so the `cancelled` event carries the new client_order_id (duplicate_client_order_id is checked
//     before replaced_below_filled, which only matters if the new id is used).
// 11. On replace, qty_below_min / qty_above_max / notional_below_min are checked on the order as it would be
//     after the replace (new or current total quantity, new or current price), whatever fields changed.
// 12. `add_instrument` does not check min_qty <= max_qty; a tick or lot size must be positive and the limits
//     non-negative (else malformed). The reference supports tick/lot sizes of at most 19 significant digits.
// 13. The `order` event of an FOK that cannot fill, of a cancel and of an expiry carries the order's filled
//     quantity and leaves_qty 0; `triggered` carries filled 0 and the full quantity as leaves.
// 14. A replace that keeps priority emits `book` only if the displayed quantity changed; an untriggered stop
//     never emits `book`.

import BourseJSONLines

public struct ReferenceExchange {
    enum Side: String {
        case buy, sell
        var opposite: Side { self == .buy ? .sell : .buy }
    }

    enum OrderType: String {
        case limit, market, stop
        case stopLimit = "stop_limit"
    }

    enum TimeInForce: String {
        case gtc, ioc, fok, day, gtd
    }

    enum SelfTradePrevention: String {
        case cancelTaker = "cancel_taker"
        case cancelMaker = "cancel_maker"
        case cancelBoth = "cancel_both"
        case decrement
        case noPrevention = "none"
    }

    struct Order {
        let id: Int64
        var clientOrderId: String
        let account: String
        let symbol: String
        let side: Side
        /// The type as submitted; a triggered stop then behaves as market (stop) or limit (stop_limit).
        let type: OrderType
        /// Limit price in ticks (limit, stop_limit).
        var price: Int64?
        /// Stop price in ticks (stop, stop_limit).
        var stopPrice: Int64?
        /// Total quantity in lots, filled part included (STP decrement lowers it).
        var qty: Int64
        var filled: Int64 = 0
        /// Sum of trade price (ticks) times trade quantity (lots), for avg_price.
        var tradedValue = RefBigUInt()
        /// Displayed lots while resting (the current slice for an iceberg, else all of leaves).
        var shown: Int64 = 0
        let displayQty: Int64?
        let tif: TimeInForce
        let expireAt: Int64?
        let stp: SelfTradePrevention
        let postOnly: Bool

        var leaves: Int64 { qty - filled }
        /// Trades at any price: a market order or a triggered stop.
        var isMarket: Bool { type == .market || type == .stop }
        /// The limit price once it trades (nil for market-like).
        var limitPrice: Int64? { isMarket ? nil : price }
        var isStop: Bool { type == .stop || type == .stopLimit }
        var liveStatus: String { filled == 0 ? "new" : "partially_filled" }
    }

    struct Instrument {
        let symbol: String
        let tick: RefUnit
        let lot: RefUnit
        let minQty: RefDecimal?
        let maxQty: RefDecimal?
        let minNotional: RefDecimal?
        var halted = false
        /// Resting buy orders, best (highest) price first, then priority time.
        var bids: [Order] = []
        /// Resting sell orders, best (lowest) price first, then priority time.
        var asks: [Order] = []
        /// Untriggered stops in stop-list order.
        var stops: [Order] = []
        var lastTradePrice: Int64?

        func book(_ side: Side) -> [Order] { side == .buy ? bids : asks }

        /// `a` is a strictly better price than `b` for orders of `side`.
        static func isBetter(_ a: Int64, than b: Int64, for side: Side) -> Bool { side == .buy ? a > b : a < b }

        /// Puts a resting order at the back of its price level (new priority time).
        mutating func rest(_ order: Order) {
            let side = order.side
            let price = order.price!
            var orders = book(side)
            let index = orders.firstIndex { Self.isBetter(price, than: $0.price!, for: side) } ?? orders.count
            orders.insert(order, at: index)
            if side == .buy { bids = orders } else { asks = orders }
        }

        /// Removes and returns the resting order `id`, if it rests here.
        mutating func removeResting(id: Int64) -> Order? {
            if let index = bids.firstIndex(where: { $0.id == id }) { return bids.remove(at: index) }
            if let index = asks.firstIndex(where: { $0.id == id }) { return asks.remove(at: index) }
            return nil
        }

        /// Replaces the stored copy of a resting order in place (same place in the queue).
        mutating func updateResting(_ order: Order) {
            if let index = bids.firstIndex(where: { $0.id == order.id }) { bids[index] = order }
            if let index = asks.firstIndex(where: { $0.id == order.id }) { asks[index] = order }
        }

        /// Displayed total and order count of one price level.
        func level(_ side: Side, _ price: Int64) -> (qty: Int128, orders: Int) {
            let orders = book(side).filter { $0.price == price }
            return (orders.reduce(Int128(0)) { $0 + Int128($1.shown) }, orders.count)
        }

        /// Whether a stop's condition holds at the last trade price.
        func stopHolds(_ stop: Order) -> Bool {
            guard let last = lastTradePrice else { return false }
            return stop.side == .buy ? last >= stop.stopPrice! : last <= stop.stopPrice!
        }
    }

    /// The engine clock in milliseconds.
    var now: Int64 = 0
    var instruments: [String: Instrument] = [:]
    var nextOrderId: Int64 = 1
    var nextTradeId: Int64 = 1
    /// Events of the line being processed.
    var events: [JSONValue] = []

    public init() {}

    /// Processes one input line and returns the events it answers.
    public mutating func process(line: String) -> [JSONValue] {
        events = []
        if line.utf8.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) { return [] }
        guard let json = try? JSONParser.parse(line), case .object = json else {
            reject(.null, cmd: "", reason: "malformed", message: "the line is not a JSON object")
            return events
        }
        guard case .string(let cmd) = json["cmd"] else {
            reject(json, cmd: "", reason: "malformed", message: "no string cmd")
            return events
        }
        switch cmd {
        case "add_instrument": addInstrument(json)
        case "new_order": newOrder(json)
        case "cancel": cancel(json)
        case "replace": replace(json)
        case "mass_cancel": massCancel(json)
        case "halt", "resume": haltOrResume(json, halt: cmd == "halt")
        case "end_session": endSession(json)
        case "time": time(json)
        case "dump_book": dumpBook(json)
        default: reject(json, cmd: cmd, reason: "malformed", message: "unknown cmd")
        }
        return events
    }

    // MARK: - Open orders

    /// The open orders (resting, or untriggered stops) of every symbol that satisfy `predicate`, in acceptance
    /// order.
    func openOrders(where predicate: (Order) -> Bool) -> [Order] {
        var result: [Order] = []
        for instrument in instruments.values {
            for order in instrument.bids where predicate(order) { result.append(order) }
            for order in instrument.asks where predicate(order) { result.append(order) }
            for order in instrument.stops where predicate(order) { result.append(order) }
        }
        return result.sorted { $0.id < $1.id }
    }

    /// Every open order of every symbol, in acceptance order.
    var openOrders: [Order] { openOrders(where: { _ in true }) }

    var openOrderCount: Int { instruments.values.reduce(0) { $0 + $1.bids.count + $1.asks.count + $1.stops.count } }

    func openOrder(id: Int64) -> Order? {
        openOrders(where: { $0.id == id }).first
    }

    /// The open order of `account` with this client order id, in any symbol.
    func openOrder(account: String, clientOrderId: String) -> Order? {
        openOrders(where: { $0.account == account && $0.clientOrderId == clientOrderId }).first
    }

    func isResting(_ order: Order) -> Bool {
        instruments[order.symbol]!.book(order.side).contains { $0.id == order.id }
    }

    /// Removes an open order from its book or stop list; answers whether it was resting.
    mutating func removeOpen(_ order: Order) -> Bool {
        if instruments[order.symbol]!.removeResting(id: order.id) != nil { return true }
        instruments[order.symbol]!.stops.removeAll { $0.id == order.id }
        return false
    }

    /// Ends an open order without a trade (cancel, expiry, mass cancel): `order` event, then `book` if it rested.
    mutating func close(_ order: Order, status: String, reason: String) {
        let wasResting = removeOpen(order)
        emitOrder(order, status: status, reason: reason)
        if wasResting { emitBook(order.symbol, order.side, order.price!) }
    }

    // MARK: - Clock

    /// Applies `now = max(now, time)`; when the clock advances, GTD orders due expire in acceptance order.
    mutating func advanceClock(to time: Int64?) {
        guard let time, time > now else { return }
        now = time
        for order in openOrders(where: { $0.tif == .gtd && $0.expireAt! <= now }) {
            close(order, status: "expired", reason: "gtd_expired")
        }
    }

    // MARK: - Events

    mutating func reject(_ line: JSONValue, cmd: String, reason: String, message: String) {
        var members: [(String, JSONValue)] = [("event", .string("rejected"))]
        if ["new_order", "cancel", "replace"].contains(cmd), case .string(let clientOrderId) = line["client_order_id"] {
            members.append(("client_order_id", .string(clientOrderId)))
        }
        if ["cancel", "replace"].contains(cmd) {
            switch line["order_id"] {
            case .string(let text): members.append(("order_id", .string(text)))
            case .number(let text) where Self.isIntegerLiteral(text): members.append(("order_id", .string(text)))
            default: break
            }
        }
        members.append(("account", .string(line["account"]?.stringValue ?? "")))
        members.append(("symbol", .string(line["symbol"]?.stringValue ?? "")))
        members.append(("cmd", .string(cmd)))
        members.append(("reason", .string(reason)))
        members.append(("message", .string(message)))
        events.append(.object(members))
    }

    mutating func emitOrder(_ order: Order, status: String, reason: String? = nil) {
        let instrument = instruments[order.symbol]!
        let terminal = ["filled", "cancelled", "expired"].contains(status)
        var members: [(String, JSONValue)] = [
            ("event", .string("order")),
            ("order_id", .string(String(order.id))),
            ("client_order_id", .string(order.clientOrderId)),
            ("account", .string(order.account)),
            ("symbol", .string(order.symbol)),
            ("status", .string(status)),
            ("filled_qty", .string(RefNumbers.text(of: order.filled, in: instrument.lot))),
            ("leaves_qty", .string(terminal ? "0" : RefNumbers.text(of: order.leaves, in: instrument.lot))),
        ]
        if order.filled > 0 {
            let average = RefNumbers.averagePrice(
                tradedValue: order.tradedValue, filled: order.filled, tick: instrument.tick)
            members.append(("avg_price", .string(average)))
        }
        if let reason { members.append(("reason", .string(reason))) }
        events.append(.object(members))
    }

    mutating func emitBook(_ symbol: String, _ side: Side, _ price: Int64) {
        let instrument = instruments[symbol]!
        let level = instrument.level(side, price)
        events.append(
            .object([
                ("event", .string("book")),
                ("symbol", .string(symbol)),
                ("side", .string(side.rawValue)),
                ("price", .string(RefNumbers.text(of: price, in: instrument.tick))),
                ("qty", .string(RefNumbers.text(of: level.qty, in: instrument.lot))),
                ("orders", .number(String(level.orders))),
            ]))
    }

    mutating func emitAccepted(_ order: Order) {
        let instrument = instruments[order.symbol]!
        var members: [(String, JSONValue)] = [
            ("event", .string("accepted")),
            ("order_id", .string(String(order.id))),
            ("client_order_id", .string(order.clientOrderId)),
            ("account", .string(order.account)),
            ("symbol", .string(order.symbol)),
            ("side", .string(order.side.rawValue)),
            ("type", .string(order.type.rawValue)),
            ("qty", .string(RefNumbers.text(of: order.qty, in: instrument.lot))),
        ]
        if let price = order.price {
            members.append(("price", .string(RefNumbers.text(of: price, in: instrument.tick))))
        }
        if let stopPrice = order.stopPrice {
            members.append(("stop_price", .string(RefNumbers.text(of: stopPrice, in: instrument.tick))))
        }
        members.append(("tif", .string(order.tif.rawValue)))
        events.append(.object(members))
    }

    mutating func emitTrade(maker: Order, taker: Order, price: Int64, qty: Int64) {
        let instrument = instruments[maker.symbol]!
        events.append(
            .object([
                ("event", .string("trade")),
                ("trade_id", .string(String(nextTradeId))),
                ("symbol", .string(maker.symbol)),
                ("price", .string(RefNumbers.text(of: price, in: instrument.tick))),
                ("qty", .string(RefNumbers.text(of: qty, in: instrument.lot))),
                ("maker_order_id", .string(String(maker.id))),
                ("taker_order_id", .string(String(taker.id))),
                ("maker_account", .string(maker.account)),
                ("taker_account", .string(taker.account)),
                ("aggressor", .string(taker.side.rawValue)),
            ]))
        nextTradeId += 1
    }

    mutating func emitSnapshot(_ symbol: String) {
        let instrument = instruments[symbol]!
        func entry(_ order: Order) -> JSONValue {
            .object([
                ("order_id", .string(String(order.id))),
                ("client_order_id", .string(order.clientOrderId)),
                ("account", .string(order.account)),
                ("price", .string(RefNumbers.text(of: order.price!, in: instrument.tick))),
                ("leaves_qty", .string(RefNumbers.text(of: order.leaves, in: instrument.lot))),
                ("display_qty", .string(RefNumbers.text(of: order.shown, in: instrument.lot))),
            ])
        }
        let stops: [JSONValue] = instrument.stops.map { stop in
            .object([
                ("order_id", .string(String(stop.id))),
                ("client_order_id", .string(stop.clientOrderId)),
                ("account", .string(stop.account)),
                ("side", .string(stop.side.rawValue)),
                ("stop_price", .string(RefNumbers.text(of: stop.stopPrice!, in: instrument.tick))),
                ("leaves_qty", .string(RefNumbers.text(of: stop.leaves, in: instrument.lot))),
            ])
        }
        events.append(
            .object([
                ("event", .string("book_snapshot")),
                ("symbol", .string(symbol)),
                ("bids", .array(instrument.bids.map(entry))),
                ("asks", .array(instrument.asks.map(entry))),
                ("stops", .array(stops)),
            ]))
    }

    // MARK: - Field reading

    /// A number literal without fraction or exponent.
    static func isIntegerLiteral(_ text: String) -> Bool {
        !text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" })
    }

    /// Reads the fields of one command; any present field of the wrong type, bad enum value or bad number
    /// sets `malformed`, and so does a missing required field.
    struct FieldReader {
        let line: JSONValue
        var malformed = false

        mutating func string(_ key: String, required: Bool) -> String? {
            guard let value = line[key] else {
                if required { malformed = true }
                return nil
            }
            guard case .string(let text) = value else {
                malformed = true
                return nil
            }
            return text
        }

        mutating func enumeration<E: RawRepresentable>(_ key: String, _: E.Type, required: Bool) -> E?
        where E.RawValue == String {
            guard let text = string(key, required: required) else { return nil }
            guard let value = E(rawValue: text) else {
                malformed = true
                return nil
            }
            return value
        }

        mutating func decimal(_ key: String, required: Bool) -> RefDecimalText? {
            guard let text = string(key, required: required) else { return nil }
            guard let value = RefDecimalText(text) else {
                malformed = true
                return nil
            }
            return value
        }

        mutating func bool(_ key: String) -> Bool? {
            guard let value = line[key] else { return nil }
            guard case .bool(let flag) = value else {
                malformed = true
                return nil
            }
            return flag
        }

        mutating func integer(_ key: String, required: Bool) -> Int64? {
            guard let value = line[key] else {
                if required { malformed = true }
                return nil
            }
            guard let number = value.int64Value else {
                malformed = true
                return nil
            }
            return number
        }

        enum OrderReference {
            /// By order id; nil when the value names no order.
            case id(Int64?)
            case clientOrderId(String)
        }

        /// `order_id` (wins) or `client_order_id`; one of them is required.
        mutating func orderReference() -> OrderReference? {
            var byId: OrderReference?
            if let value = line["order_id"] {
                switch value {
                case .string(let text):
                    let isDigits = !text.isEmpty && text.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
                    byId = .id(isDigits ? Int64(text) : nil)
                case .number(let text) where ReferenceExchange.isIntegerLiteral(text):
                    byId = .id(Int64(text))
                default:
                    malformed = true
                }
            }
            let clientOrderId = string("client_order_id", required: false)
            if let byId { return byId }
            if let clientOrderId { return .clientOrderId(clientOrderId) }
            malformed = true
            return nil
        }
    }

    // MARK: - Commands without orders

    mutating func addInstrument(_ line: JSONValue) {
        var fields = FieldReader(line: line)
        let symbol = fields.string("symbol", required: true)
        let tick = fields.decimal("tick_size", required: true)
        let lot = fields.decimal("lot_size", required: true)
        let minQty = fields.decimal("min_qty", required: false)
        let maxQty = fields.decimal("max_qty", required: false)
        let minNotional = fields.decimal("min_notional", required: false)
        let ts = fields.integer("ts", required: false)
        let sizesPositive = [tick, lot].allSatisfy { $0.map { !$0.negative && !$0.isZero } ?? false }
        let limitsNonNegative = [minQty, maxQty, minNotional].allSatisfy {
            $0.map { !$0.negative || $0.isZero } ?? true
        }
        guard !fields.malformed, let symbol, let tick, let lot, sizesPositive, limitsNonNegative else {
            return reject(line, cmd: "add_instrument", reason: "malformed", message: "bad add_instrument")
        }
        advanceClock(to: ts)
        guard instruments[symbol] == nil else {
            return reject(line, cmd: "add_instrument", reason: "duplicate_symbol", message: "symbol exists")
        }
        instruments[symbol] = Instrument(
            symbol: symbol, tick: RefUnit(tick), lot: RefUnit(lot), minQty: minQty?.value, maxQty: maxQty?.value,
            minNotional: minNotional?.value)
    }

    mutating func haltOrResume(_ line: JSONValue, halt: Bool) {
        let cmd = halt ? "halt" : "resume"
        var fields = FieldReader(line: line)
        let symbol = fields.string("symbol", required: true)
        let ts = fields.integer("ts", required: false)
        guard !fields.malformed, let symbol else { return reject(line, cmd: cmd, reason: "malformed", message: cmd) }
        advanceClock(to: ts)
        guard instruments[symbol] != nil else {
            return reject(line, cmd: cmd, reason: "unknown_symbol", message: "unknown symbol")
        }
        instruments[symbol]!.halted = halt
    }

    mutating func endSession(_ line: JSONValue) {
        var fields = FieldReader(line: line)
        let symbol = fields.string("symbol", required: false)
        let ts = fields.integer("ts", required: false)
        guard !fields.malformed else {
            return reject(line, cmd: "end_session", reason: "malformed", message: "bad end_session")
        }
        advanceClock(to: ts)
        if let symbol, instruments[symbol] == nil {
            return reject(line, cmd: "end_session", reason: "unknown_symbol", message: "unknown symbol")
        }
        for order in openOrders(where: { $0.tif == .day && (symbol == nil || $0.symbol == symbol) }) {
            close(order, status: "expired", reason: "end_session")
        }
    }

    mutating func time(_ line: JSONValue) {
        var fields = FieldReader(line: line)
        let newNow = fields.integer("now", required: true)
        let ts = fields.integer("ts", required: false)
        guard !fields.malformed, let newNow else {
            return reject(line, cmd: "time", reason: "malformed", message: "bad time")
        }
        advanceClock(to: ts)
        advanceClock(to: newNow)
    }

    mutating func dumpBook(_ line: JSONValue) {
        var fields = FieldReader(line: line)
        let symbol = fields.string("symbol", required: true)
        let ts = fields.integer("ts", required: false)
        guard !fields.malformed, let symbol else {
            return reject(line, cmd: "dump_book", reason: "malformed", message: "bad dump_book")
        }
        advanceClock(to: ts)
        guard instruments[symbol] != nil else {
            return reject(line, cmd: "dump_book", reason: "unknown_symbol", message: "unknown symbol")
        }
        emitSnapshot(symbol)
    }

    mutating func massCancel(_ line: JSONValue) {
        var fields = FieldReader(line: line)
        let account = fields.string("account", required: true)
        let symbol = fields.string("symbol", required: false)
        let side = fields.enumeration("side", Side.self, required: false)
        let ts = fields.integer("ts", required: false)
        guard !fields.malformed, let account else {
            return reject(line, cmd: "mass_cancel", reason: "malformed", message: "bad mass_cancel")
        }
        advanceClock(to: ts)
        if let symbol, instruments[symbol] == nil {
            return reject(line, cmd: "mass_cancel", reason: "unknown_symbol", message: "unknown symbol")
        }
        var count = 0
        let matching = openOrders(where: {
            $0.account == account && (symbol == nil || $0.symbol == symbol) && (side == nil || $0.side == side)
        })
        for order in matching {
            close(order, status: "cancelled", reason: "mass_cancel")
            count += 1
        }
        events.append(
            .object([
                ("event", .string("mass_cancelled")), ("account", .string(account)), ("count", .number(String(count))),
            ]))
    }

    // MARK: - Cancel

    /// The open order a cancel or replace names, if it belongs to `account` and `symbol`.
    func findOrder(_ reference: FieldReader.OrderReference, account: String, symbol: String) -> Order? {
        let order: Order?
        switch reference {
        case .id(let id): order = id.flatMap { openOrder(id: $0) }
        case .clientOrderId(let clientOrderId): order = openOrder(account: account, clientOrderId: clientOrderId)
        }
        guard let order, order.account == account, order.symbol == symbol else { return nil }
        return order
    }

    mutating func cancel(_ line: JSONValue) {
        var fields = FieldReader(line: line)
        let symbol = fields.string("symbol", required: true)
        let account = fields.string("account", required: true)
        let reference = fields.orderReference()
        let ts = fields.integer("ts", required: false)
        guard !fields.malformed, let symbol, let account, let reference else {
            return reject(line, cmd: "cancel", reason: "malformed", message: "bad cancel")
        }
        advanceClock(to: ts)
        guard instruments[symbol] != nil else {
            return reject(line, cmd: "cancel", reason: "unknown_symbol", message: "unknown symbol")
        }
        guard let order = findOrder(reference, account: account, symbol: symbol) else {
            return reject(line, cmd: "cancel", reason: "unknown_order", message: "unknown order")
        }
        close(order, status: "cancelled", reason: "cancelled")
    }
}
