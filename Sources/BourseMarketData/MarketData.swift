import BourseJSONLines
import BourseVenue
import Foundation
import Synchronization

/// What the server knows from the engine's events, for the reads the REST API answers
/// without the engine: each book's levels (with a sequence number per book), recent
/// trades, 1-minute candles (5m and 1h are built from them), and per account its orders
/// and fills. Updated by the gateway's consumer thread; read by request handlers. Every
/// change is also published to the WebSocket's streams (`hub`), under the same lock, so a
/// book snapshot and the deltas after it fit together exactly.
///
/// Times are the server's wall clock when an event is released (the contract's events
/// carry none). The history is saved when the server stops (`saved()`, `load(_:)`); after
/// a crash only the open orders come back, from the books' snapshots at start-up (see
/// `docs/server.md`).
public final class MarketData: Sendable {
    struct Level: Sendable {
        var qty: String
        var orders: Int
    }

    struct Candle: Sendable {
        var minute: Int64
        var open: Int64
        var high: Int64
        var low: Int64
        var close: Int64
        var volume: Int128
        var trades: Int
    }

    struct Book: Sendable {
        var instrument: InstrumentText
        var bids: [Int64: Level] = [:]
        var asks: [Int64: Level] = [:]
        /// Counts the book's changes: a client that sees a gap missed one.
        var seq: UInt64 = 0
        var trades: [JSONValue] = []
        var candles: [Candle] = []
        var last: Int64?
    }

    struct OrderRecord: Sendable {
        var members: [(String, JSONValue)]
        var isOpen: Bool

        subscript(key: String) -> JSONValue? {
            get { members.last { $0.0 == key }?.1 }
            set {
                members.removeAll { $0.0 == key }
                if let newValue { members.append((key, newValue)) }
            }
        }
    }

    /// An account's order ids, oldest first, and its closed orders in the order they closed:
    /// past `ordersKeptPerAccount` closed orders the oldest closed one is forgotten (open
    /// orders are always kept). `ids` may name forgotten orders until it is compacted.
    struct AccountOrders: Sendable {
        var ids: [String] = []
        var closed: [String] = []
        var closedHead = 0
        /// Ids in `ids` whose orders were forgotten.
        var forgotten = 0

        mutating func add(_ orderID: String) { ids.append(orderID) }

        /// Records a closed order; answers the order to forget, if one is due.
        mutating func close(_ orderID: String) -> String? {
            closed.append(orderID)
            guard closed.count - closedHead > MarketData.ordersKeptPerAccount else { return nil }
            let forgotten = closed[closedHead]
            closedHead += 1
            self.forgotten += 1
            if closedHead > MarketData.ordersKeptPerAccount {
                closed.removeFirst(closedHead)
                closedHead = 0
            }
            return forgotten
        }

        /// Drops forgotten ids once they are half the list (amortized constant time per order).
        mutating func compact(keeping isKept: (String) -> Bool) {
            guard forgotten * 2 > ids.count else { return }
            ids = ids.filter(isKept)
            forgotten = 0
        }
    }

    struct State: Sendable {
        var books: [String: Book] = [:]
        var symbols: [String] = []
        var orders: [String: OrderRecord] = [:]
        var accountOrders: [String: AccountOrders] = [:]
        var fills: [String: [JSONValue]] = [:]
        /// Symbols whose ticker changed since the last `publishTickers`.
        var tickerChanged: Set<String> = []
    }

    /// What one command's events publish: book changes by symbol (in order), and messages.
    /// Messages are encoded only for topics someone subscribes to (`active`); a book's
    /// changes still count, for its sequence number.
    struct Outbox {
        let active: Set<StreamHub.Topic>
        var bookChanges: [(symbol: String, changes: [String])] = []
        var messages: [StreamHub.Entry] = []
        let published = DispatchTime.now().uptimeNanoseconds

        /// A change of a book; its text is nil when nobody follows the book.
        mutating func change(_ symbol: String, _ text: String?) {
            if let index = bookChanges.firstIndex(where: { $0.symbol == symbol }) {
                if let text { bookChanges[index].changes.append(text) }
            } else {
                bookChanges.append((symbol, text.map { [$0] } ?? []))
            }
        }

        mutating func message(_ topic: StreamHub.Topic, _ members: @autoclosure () -> [(String, JSONValue)]) {
            guard active.contains(topic) else { return }
            messages.append(
                StreamHub.Entry(topic: topic, text: JSONValue.object(members()).jsonText, seq: 0, published: published))
        }
    }

    public static let tradesKept = 500
    public static let ordersKeptPerAccount = 5_000
    public static let fillsKeptPerAccount = 5_000
    static let minutesKept = 7 * 24 * 60

    let state = Mutex(State())
    private let clock: @Sendable () -> Int64
    /// The WebSocket's streams.
    public let hub: StreamHub

    public init(
        hub: StreamHub = StreamHub(),
        clock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1000) }
    ) {
        self.hub = hub
        self.clock = clock
    }

    // MARK: Following the engine

    /// An instrument the engine has (from recovery, or once `add_instrument` went through).
    /// Answers false if the symbol is known already.
    @discardableResult
    public func addInstrument(_ instrument: InstrumentText) -> Bool {
        state.withLock { state in
            guard state.books[instrument.symbol] == nil else { return false }
            state.books[instrument.symbol] = Book(instrument: instrument)
            state.symbols.append(instrument.symbol)
            return true
        }
    }

    public var symbols: [String] { state.withLock { $0.symbols } }

    public func instrument(_ symbol: String) -> InstrumentText? { state.withLock { $0.books[symbol]?.instrument } }

    /// One command's events, in order. A book's changes in one command become one delta
    /// (one step of its sequence number), so no client sees the half-applied book.
    public func apply(_ events: [JSONValue]) {
        guard !events.isEmpty else { return }
        let now = clock()
        state.withLock { state in
            var outbox = Outbox(active: hub.activeTopics)
            for event in events { Self.apply(event, now: now, to: &state, outbox: &outbox) }
            var entries: [StreamHub.Entry] = []
            for (symbol, changes) in outbox.bookChanges {
                state.books[symbol]!.seq += 1
                state.tickerChanged.insert(symbol)
                guard outbox.active.contains(.book(symbol)) else { continue }
                entries.append(
                    StreamHub.Entry(
                        topic: .book(symbol), text: changes.joined(separator: ","), seq: state.books[symbol]!.seq,
                        published: outbox.published))
            }
            hub.publish(entries + outbox.messages)
        }
    }

    private static func apply(_ event: JSONValue, now: Int64, to state: inout State, outbox: inout Outbox) {
        guard case .object(let members) = event, let kind = event["event"]?.stringValue else { return }
        let symbol = event["symbol"]?.stringValue ?? ""
        switch kind {
        case "book":
            // The book is changed in place (`state.books[symbol]!`): a copy taken out of the
            // dictionary would copy its levels, trades and candles on the first write.
            guard let instrument = state.books[symbol]?.instrument, let side = event["side"]?.stringValue,
                let price = event["price"]?.stringValue, let ticks = instrument.ticks(price),
                let qty = event["qty"]?.stringValue
            else { return }
            let orders = event["orders"]?.int64Value.map(Int.init) ?? 0
            let level: Level? = DecimalText(qty)?.isZero == true ? nil : Level(qty: qty, orders: orders)
            if side == "buy" {
                state.books[symbol]!.bids[ticks] = level
            } else {
                state.books[symbol]!.asks[ticks] = level
            }
            if outbox.active.contains(.book(symbol)) {
                outbox.change(
                    symbol,
                    JSONValue.array([
                        .string(side), .string(price), .string(level?.qty ?? qty), .number(String(orders)),
                    ])
                    .jsonText)
            } else {
                outbox.change(symbol, nil)
            }
        case "book_snapshot":
            guard var book = state.books[symbol] else { return }
            book.bids = levels(event["bids"], book.instrument)
            book.asks = levels(event["asks"], book.instrument)
            book.seq += 1
            state.books[symbol] = book
            for (side, list) in [("buy", event["bids"]), ("sell", event["asks"])] {
                guard case .array(let orders)? = list else { continue }
                for order in orders { recoverOrder(order, symbol: symbol, side: side, to: &state) }
            }
            if case .array(let stops)? = event["stops"] {
                for stop in stops { recoverOrder(stop, symbol: symbol, side: nil, to: &state) }
            }
        case "trade":
            guard let instrument = state.books[symbol]?.instrument, let price = event["price"]?.stringValue,
                let ticks = instrument.ticks(price), let qty = event["qty"]?.stringValue,
                let lots = instrument.lots(qty)
            else { return }
            // The public record of a trade names neither accounts nor orders.
            let trade: [(String, JSONValue)] = [
                ("trade_id", event["trade_id"] ?? .null), ("symbol", .string(symbol)), ("price", .string(price)),
                ("qty", .string(qty)), ("aggressor", event["aggressor"] ?? .null), ("ts", .number(String(now))),
            ]
            state.books[symbol]!.trades.append(.object(trade))
            outbox.message(.trades(symbol), [("channel", .string("trades")), ("type", .string("trade"))] + trade)
            state.tickerChanged.insert(symbol)
            let kept = state.books[symbol]!.trades.count
            if kept > tradesKept * 2 { state.books[symbol]!.trades.removeFirst(kept - tradesKept) }
            state.books[symbol]!.last = ticks
            addToCandle(&state.books[symbol]!, minute: now / 60_000, price: ticks, lots: lots)
            for (role, account, orderID) in [
                ("maker", event["maker_account"], event["maker_order_id"]),
                ("taker", event["taker_account"], event["taker_order_id"]),
            ] {
                guard let account = account?.stringValue, let orderID = orderID?.stringValue else { continue }
                let side = state.orders[orderID]?["side"]
                var fill: [(String, JSONValue)] = [
                    ("trade_id", event["trade_id"] ?? .null), ("order_id", .string(orderID)),
                    ("symbol", .string(symbol)), ("price", .string(price)), ("qty", .string(qty)),
                    ("liquidity", .string(role)), ("ts", .number(String(now))),
                ]
                if let side { fill.insert(("side", side), at: 3) }
                state.fills[account, default: []].append(.object(fill))
                outbox.message(
                    .orders(account),
                    [("channel", .string("orders")), ("type", .string("fill")), ("fill", .object(fill))])
                if state.fills[account]!.count > fillsKeptPerAccount * 2 {
                    state.fills[account]!.removeFirst(state.fills[account]!.count - fillsKeptPerAccount)
                }
            }
        case "accepted":
            guard let orderID = event["order_id"]?.stringValue, let account = event["account"]?.stringValue else {
                return
            }
            var record = OrderRecord(members: members.filter { $0.0 != "event" }, isOpen: true)
            record["status"] = .string("new")
            record["filled_qty"] = .string("0")
            record["leaves_qty"] = event["qty"]
            record["created"] = .number(String(now))
            record["updated"] = .number(String(now))
            state.orders[orderID] = record
            state.accountOrders[account, default: AccountOrders()].add(orderID)
            outbox.message(
                .orders(account),
                [("channel", .string("orders")), ("type", .string("order")), ("order", .object(record.members))])
        case "order":
            guard let orderID = event["order_id"]?.stringValue, var record = state.orders[orderID] else { return }
            for key in ["client_order_id", "status", "filled_qty", "leaves_qty", "avg_price", "reason"] {
                if let value = event[key] { record[key] = value }
            }
            record["updated"] = .number(String(now))
            let status = event["status"]?.stringValue ?? ""
            let wasOpen = record.isOpen
            record.isOpen = !["filled", "cancelled", "expired"].contains(status)
            state.orders[orderID] = record
            if wasOpen, !record.isOpen, let account = record["account"]?.stringValue,
                let forgotten = state.accountOrders[account]?.close(orderID)
            {
                state.orders[forgotten] = nil
                let orders = state.orders
                state.accountOrders[account]!.compact { orders[$0] != nil }
            }
            if let account = record["account"]?.stringValue {
                outbox.message(
                    .orders(account),
                    [("channel", .string("orders")), ("type", .string("order")), ("order", .object(record.members))])
            }
        default:
            break
        }
    }

    private static func levels(_ list: JSONValue?, _ instrument: InstrumentText) -> [Int64: Level] {
        guard case .array(let orders)? = list else { return [:] }
        var lots: [Int64: (Int64, Int)] = [:]
        for order in orders {
            guard let price = order["price"]?.stringValue, let ticks = instrument.ticks(price),
                let shown = order["display_qty"]?.stringValue, let shownLots = instrument.lots(shown)
            else { continue }
            let level = lots[ticks] ?? (0, 0)
            lots[ticks] = (level.0 + shownLots, level.1 + 1)
        }
        return lots.mapValues { Level(qty: instrument.lot.format($0.0), orders: $0.1) }
    }

    /// An open order that a book snapshot shows (at start-up: what came before is not kept).
    private static func recoverOrder(_ order: JSONValue, symbol: String, side: String?, to state: inout State) {
        guard case .object(var members) = order, let orderID = order["order_id"]?.stringValue,
            let account = order["account"]?.stringValue, state.orders[orderID] == nil
        else { return }
        members.removeAll { $0.0 == "display_qty" }
        members.append(("symbol", .string(symbol)))
        if let side { members.append(("side", .string(side))) }
        members.append(("status", .string("new")))
        state.orders[orderID] = OrderRecord(members: members, isOpen: true)
        state.accountOrders[account, default: AccountOrders()].add(orderID)
    }

    private static func addToCandle(_ book: inout Book, minute: Int64, price: Int64, lots: Int64) {
        if let last = book.candles.last, last.minute == minute {
            let index = book.candles.count - 1
            book.candles[index].high = max(last.high, price)
            book.candles[index].low = min(last.low, price)
            book.candles[index].close = price
            book.candles[index].volume += Int128(lots)
            book.candles[index].trades += 1
        } else {
            book.candles.append(
                Candle(
                    minute: minute, open: price, high: price, low: price, close: price, volume: Int128(lots), trades: 1
                ))
            if book.candles.count > minutesKept * 2 { book.candles.removeFirst(book.candles.count - minutesKept) }
        }
    }

    // MARK: Reads

    /// The L2 book: `depth` levels a side, best first, and its sequence number.
    public func depth(_ symbol: String, levels depth: Int) -> JSONValue? {
        state.withLock { state in
            state.books[symbol].map { .object(Self.levels(of: $0, symbol: symbol, depth: depth)) }
        }
    }

    private static func levels(of book: Book, symbol: String, depth: Int) -> [(String, JSONValue)] {
        func side(_ levels: [Int64: Level], descending: Bool) -> JSONValue {
            let prices = levels.keys.sorted(by: descending ? (>) : (<)).prefix(depth)
            return .array(
                prices.map { price in
                    .array([
                        .string(book.instrument.tick.format(price)), .string(levels[price]!.qty),
                        .number(String(levels[price]!.orders)),
                    ])
                })
        }
        return [
            ("symbol", .string(symbol)), ("seq", .number(String(book.seq))),
            ("bids", side(book.bids, descending: true)), ("asks", side(book.asks, descending: false)),
        ]
    }

    // MARK: Streams

    /// Subscribes to a book: the whole book as a snapshot first, then every delta after it.
    /// Answers false for an unknown symbol.
    public func subscribeBook(_ subscriber: Int, symbol: String) -> Bool {
        state.withLock { state in
            guard let book = state.books[symbol] else { return false }
            let snapshot: [(String, JSONValue)] =
                [("channel", .string("book")), ("type", .string("snapshot"))]
                + Self.levels(of: book, symbol: symbol, depth: .max)
            hub.subscribe(subscriber, to: .book(symbol), snapshot: JSONValue.object(snapshot).jsonText, seq: book.seq)
            return true
        }
    }

    /// Subscribes to a symbol's trades or ticker (the ticker comes at once, then on changes).
    public func subscribe(_ subscriber: Int, to topic: StreamHub.Topic) -> Bool {
        switch topic {
        case .trades(let symbol):
            guard instrument(symbol) != nil else { return false }
            hub.subscribe(subscriber, to: topic)
        case .ticker(let symbol):
            let now = clock()
            return state.withLock { state in
                guard let book = state.books[symbol] else { return false }
                hub.subscribe(subscriber, to: topic, snapshot: Self.tickerMessage(book, symbol, now: now))
                return true
            }
        case .book(let symbol):
            return subscribeBook(subscriber, symbol: symbol)
        case .orders, .everyone:
            hub.subscribe(subscriber, to: topic)
        }
        return true
    }

    /// Publishes the ticker of every symbol whose book or trades changed since the last call
    /// (the server calls it a few times a second).
    public func publishTickers() {
        let now = clock()
        let published = DispatchTime.now().uptimeNanoseconds
        // Under the lock, as a subscription's first ticker is made: no older ticker can
        // follow a newer one.
        state.withLock { state in
            let active = hub.activeTopics
            var entries: [StreamHub.Entry] = []
            for symbol in state.tickerChanged.sorted() where active.contains(.ticker(symbol)) {
                guard let book = state.books[symbol] else { continue }
                entries.append(
                    StreamHub.Entry(
                        topic: .ticker(symbol), text: Self.tickerMessage(book, symbol, now: now), seq: 0,
                        published: published))
            }
            state.tickerChanged = []
            hub.publish(entries)
        }
    }

    private static func tickerMessage(_ book: Book, _ symbol: String, now: Int64) -> String {
        JSONValue.object(
            [("channel", .string("ticker")), ("type", .string("ticker"))] + ticker(of: book, symbol, now: now)
        )
        .jsonText
    }

    // MARK: Reads

    /// The most recent trades, newest first.
    public func trades(_ symbol: String, limit: Int) -> JSONValue? {
        state.withLock { state in
            guard let book = state.books[symbol] else { return nil }
            return .array(Array(book.trades.suffix(limit).reversed()))
        }
    }

    /// Best bid and ask, last price, and the last 24 hours' volume, high and low.
    public func ticker(_ symbol: String) -> JSONValue? {
        let now = clock()
        return state.withLock { state in state.books[symbol].map { .object(Self.ticker(of: $0, symbol, now: now)) } }
    }

    private static func ticker(of book: Book, _ symbol: String, now: Int64) -> [(String, JSONValue)] {
        let tick = book.instrument.tick
        let since = now / 60_000 - 24 * 60
        let day = book.candles.reversed().prefix { $0.minute > since }
        var members: [(String, JSONValue)] = [("symbol", .string(symbol))]
        members.append(("bid", book.bids.keys.max().map { .string(tick.format($0)) } ?? .null))
        members.append(("ask", book.asks.keys.min().map { .string(tick.format($0)) } ?? .null))
        members.append(("last", book.last.map { .string(tick.format($0)) } ?? .null))
        members.append(("volume_24h", .string(book.instrument.lot.format(day.reduce(Int128(0)) { $0 + $1.volume }))))
        members.append(("high_24h", day.map(\.high).max().map { .string(tick.format($0)) } ?? .null))
        members.append(("low_24h", day.map(\.low).min().map { .string(tick.format($0)) } ?? .null))
        members.append(("trades_24h", .number(String(day.reduce(0) { $0 + $1.trades }))))
        return members
    }

    /// OHLCV candles of `minutes` minutes (1, 5 or 60), oldest first, at most `limit`.
    public func candles(_ symbol: String, minutes: Int64, limit: Int) -> JSONValue? {
        state.withLock { state in
            guard let book = state.books[symbol] else { return nil }
            var merged: [Candle] = []
            for candle in book.candles {
                let start = candle.minute - candle.minute % minutes
                if let last = merged.last, last.minute == start {
                    merged[merged.count - 1].high = max(last.high, candle.high)
                    merged[merged.count - 1].low = min(last.low, candle.low)
                    merged[merged.count - 1].close = candle.close
                    merged[merged.count - 1].volume += candle.volume
                    merged[merged.count - 1].trades += candle.trades
                } else {
                    var first = candle
                    first.minute = start
                    merged.append(first)
                }
            }
            let tick = book.instrument.tick
            return .array(
                merged.suffix(limit).map { candle in
                    .object([
                        ("start", .number(String(candle.minute * 60_000))), ("open", .string(tick.format(candle.open))),
                        ("high", .string(tick.format(candle.high))), ("low", .string(tick.format(candle.low))),
                        ("close", .string(tick.format(candle.close))),
                        ("volume", .string(book.instrument.lot.format(candle.volume))),
                        ("trades", .number(String(candle.trades))),
                    ])
                })
        }
    }

    /// An order of `account` by order id or client order id (the newest with that id).
    public func order(account: String, orderID: String?, clientOrderID: String?) -> JSONValue? {
        state.withLock { state in
            if let orderID {
                guard let record = state.orders[orderID], record["account"]?.stringValue == account else { return nil }
                return .object(record.members)
            }
            for id in (state.accountOrders[account]?.ids ?? []).reversed() {
                if let record = state.orders[id], record["client_order_id"]?.stringValue == clientOrderID {
                    return .object(record.members)
                }
            }
            return nil
        }
    }

    /// The account's orders, newest first: only open ones, or all that are kept.
    public func orders(account: String, openOnly: Bool, symbol: String?, limit: Int) -> JSONValue {
        state.withLock { state in
            var result: [JSONValue] = []
            for id in (state.accountOrders[account]?.ids ?? []).reversed() where result.count < limit {
                guard let record = state.orders[id], !openOnly || record.isOpen,
                    symbol == nil || record["symbol"]?.stringValue == symbol
                else { continue }
                result.append(.object(record.members))
            }
            return .array(result)
        }
    }

    /// The account's fills, newest first.
    public func fills(account: String, symbol: String?, limit: Int) -> JSONValue {
        state.withLock { state in
            let fills = (state.fills[account] ?? []).reversed().filter {
                symbol == nil || $0["symbol"]?.stringValue == symbol
            }
            return .array(Array(fills.prefix(limit)))
        }
    }
}

extension InstrumentText {
    /// A price in ticks, if it is a decimal on the tick grid.
    func ticks(_ text: String) -> Int64? {
        guard let value = DecimalText(text), case .units(let ticks) = tick.units(in: value) else { return nil }
        return ticks
    }

    /// A quantity in lots, if it is a decimal on the lot grid.
    func lots(_ text: String) -> Int64? {
        guard let value = DecimalText(text), case .units(let lots) = lot.units(in: value) else { return nil }
        return lots
    }
}
