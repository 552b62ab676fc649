import BourseJSONLines

/// SplitMix64: a small, fast, deterministic pseudo-random generator.
public struct RefSplitMix64 {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform integer in `range` (the modulo bias is irrelevant here).
    mutating func int(_ range: ClosedRange<Int>) -> Int {
        let width = UInt64(range.upperBound - range.lowerBound) + 1
        return range.lowerBound + Int(next() % width)
    }

    /// True with probability `percent` / 100.
    mutating func percent(_ percent: Double) -> Bool { Double(next() % 1_000_000) < percent * 10_000 }

    mutating func pick<T>(_ items: [T]) -> T { items[int(0...items.count - 1)] }

    /// One of the values, chosen with the given weights.
    mutating func weighted<T>(_ choices: [(T, Int)]) -> T {
        var roll = int(0...choices.reduce(0) { $0 + $1.1 } - 1)
        for (value, weight) in choices {
            if roll < weight { return value }
            roll -= weight
        }
        return choices[choices.count - 1].0
    }
}

/// A deterministic, seeded generator of command lines that exercises every command and option of the matching
/// contract, including malformed and invalid lines. It looks at the reference exchange's state (open orders,
/// clock, last trade prices) to aim cancels and replaces mostly at live orders and stops near the market.
public struct RandomCommandStream {
    struct InstrumentSpec {
        let symbol: String
        /// tick = tickMantissa * 10^-tickScale, lot likewise.
        let tickMantissa: Int
        let tickScale: Int
        let lotMantissa: Int
        let lotScale: Int
        let limits: [(String, String)]
        /// Central price in ticks; `mid` wanders around it.
        let base: Int
        var mid: Int
    }

    private var random: RefSplitMix64
    private var specs: [InstrumentSpec] = []
    /// Instruments not added yet (their add_instrument comes later in the stream).
    private var lateSpecs: [InstrumentSpec] = []
    private var setupLines: [String] = []
    private var accounts: [String] = []
    private var clientCounter = 0
    /// Client order ids used before (for reuse once their order is closed).
    private var recentClientIds: [String] = []
    private(set) var linesGenerated = 0

    public init(seed: UInt64) {
        random = RefSplitMix64(seed: seed ^ 0x5EED_0000_0000_0000)
        let all = [
            InstrumentSpec(
                symbol: "AAA", tickMantissa: 1, tickScale: 2, lotMantissa: 1, lotScale: 0, limits: [], base: 10_000,
                mid: 10_000),
            InstrumentSpec(
                symbol: "BTC-USD", tickMantissa: 5, tickScale: 1, lotMantissa: 1, lotScale: 3,
                limits: [("min_qty", "0.002"), ("max_qty", "5"), ("min_notional", "150")], base: 120_000, mid: 120_000),
            InstrumentSpec(
                symbol: "ES", tickMantissa: 25, tickScale: 2, lotMantissa: 1, lotScale: 0,
                limits: [("max_qty", "20")], base: 20_000, mid: 20_000),
            InstrumentSpec(
                symbol: "PNY", tickMantissa: 1, tickScale: 4, lotMantissa: 100, lotScale: 0,
                limits: [("min_qty", "100"), ("min_notional", "75.00")], base: 5_000, mid: 5_000),
            InstrumentSpec(
                symbol: "BIG", tickMantissa: 5, tickScale: 0, lotMantissa: 10, lotScale: 0,
                limits: [("min_qty", "0"), ("min_notional", "0")], base: 200, mid: 200),
        ]
        let late = InstrumentSpec(
            symbol: "LATE", tickMantissa: 1, tickScale: 0, lotMantissa: 5, lotScale: 1,
            limits: [("max_qty", "1000.5")], base: 50, mid: 50)
        // AAA and BTC-USD always; the others with some probability, so seeds differ in shape.
        for (index, spec) in all.enumerated() where index < 2 || random.percent(75) {
            specs.append(spec)
        }
        lateSpecs = [late]
        let accountCount = random.int(3...5)
        accounts = Array(["A", "B", "C", "D", "E"].prefix(accountCount))
        for spec in specs { setupLines.append(addInstrumentLine(spec)) }
    }

    // MARK: - Formatting

    private func addInstrumentLine(_ spec: InstrumentSpec) -> String {
        ReferenceJSON.object(addInstrumentMembers(spec))
    }

    private func addInstrumentMembers(_ spec: InstrumentSpec) -> [(String, JSONValue)] {
        var members: [(String, JSONValue)] = [
            ("cmd", .string("add_instrument")),
            ("symbol", .string(spec.symbol)),
            ("tick_size", .string(Self.decimal(spec.tickMantissa, scale: spec.tickScale))),
            ("lot_size", .string(Self.decimal(spec.lotMantissa, scale: spec.lotScale))),
        ]
        for (key, value) in spec.limits { members.append((key, .string(value))) }
        return members
    }

    /// The plain decimal text of mantissa * 10^-scale.
    static func decimal(_ mantissa: Int, scale: Int) -> String {
        RefNumbers.plainDecimal(digits: String(mantissa.magnitude), exponent: -scale, negative: mantissa < 0)
    }

    /// The text of `count` ticks, sometimes written with extra zeros.
    private mutating func priceText(_ count: Int, _ spec: InstrumentSpec) -> String {
        let (product, overflow) = count.multipliedReportingOverflow(by: spec.tickMantissa)
        let text =
            overflow
            ? RefNumbers.text(of: Int128(count) * Int128(spec.tickMantissa), in: unitOne(scale: spec.tickScale))
            : Self.decimal(product, scale: spec.tickScale)
        return random.percent(10) ? padded(text) : text
    }

    private mutating func qtyText(_ count: Int, _ spec: InstrumentSpec) -> String {
        let (product, overflow) = count.multipliedReportingOverflow(by: spec.lotMantissa)
        let text =
            overflow
            ? RefNumbers.text(of: Int128(count) * Int128(spec.lotMantissa), in: unitOne(scale: spec.lotScale))
            : Self.decimal(product, scale: spec.lotScale)
        return random.percent(10) ? padded(text) : text
    }

    private func unitOne(scale: Int) -> RefUnit {
        RefUnit(RefDecimalText(Self.decimal(1, scale: scale))!)
    }

    /// The same value with needless zeros added ("100.5" -> "100.500", "7" -> "7.0", "5" -> "05").
    private mutating func padded(_ text: String) -> String {
        if random.percent(20) && !text.hasPrefix("-") { return "0" + text }
        return text.contains(".") ? text + String(repeating: "0", count: random.int(1...3)) : text + ".0"
    }

    // MARK: - Lines

    /// The next command line; `exchange` is the reference state after every line so far.
    public mutating func nextLine(state exchange: ReferenceExchange) -> String {
        linesGenerated += 1
        if !setupLines.isEmpty { return setupLines.removeFirst() }
        // Keep the books from growing without bound: more cancels when many orders are open.
        let crowded = exchange.openOrderCount > 60
        let kind = random.weighted([
            ("new", crowded ? 45 : 58), ("cancel", crowded ? 16 : 9), ("replace", 12), ("mass", crowded ? 4 : 1),
            ("halt", 1), ("resume", 3), ("end", 1), ("time", 3), ("dump", 3), ("add", 1), ("bad", 6), ("blank", 1),
        ])
        var members: [(String, JSONValue)]
        switch kind {
        case "new": members = newOrder(exchange)
        case "cancel": members = cancel(exchange.openOrders)
        case "replace": members = replace(exchange, open: exchange.openOrders)
        case "mass": members = massCancel()
        case "halt": members = [("cmd", .string("halt")), ("symbol", .string(anySymbol()))]
        case "resume":
            let halted = exchange.instruments.values.filter(\.halted).map(\.symbol).sorted()
            members = [
                ("cmd", .string("resume")), ("symbol", .string(halted.isEmpty ? anySymbol() : random.pick(halted))),
            ]
        case "end":
            members = [("cmd", .string("end_session"))]
            if random.percent(50) { members.append(("symbol", .string(anySymbol()))) }
        case "time":
            let now = Int(exchange.now)
            let step = random.int(0...25)
            members = [("cmd", .string("time")), ("now", .number(String(random.percent(10) ? now - 5 : now + step)))]
        case "dump": members = [("cmd", .string("dump_book")), ("symbol", .string(anySymbol()))]
        case "add": members = addInstrument()
        case "blank": return random.pick(["", "   ", "\t"])
        default: return badLine(exchange)
        }
        if random.percent(55) {
            let now = Int(exchange.now)
            let back = random.int(1...10)
            let ts = random.percent(8) ? now - back : now + random.weighted([(0, 5), (1, 4), (2, 2), (5, 1)])
            members.append(("ts", .number(String(ts))))
        }
        return ReferenceJSON.object(members)
    }

    private mutating func anySymbol() -> String {
        if random.percent(3) { return random.pick(["ZZZ", "LATE", ""]) }
        return random.pick(specs).symbol
    }

    /// A symbol's spec for an order; rarely one that is unknown or not yet added.
    private mutating func orderSpec() -> InstrumentSpec {
        if random.percent(1.5) { return lateSpecs.first ?? random.pick(specs) }
        if random.percent(0.5) {
            return InstrumentSpec(
                symbol: "NOPE", tickMantissa: 1, tickScale: 2, lotMantissa: 1, lotScale: 0, limits: [], base: 100,
                mid: 100)
        }
        let index = random.int(0...specs.count - 1)
        if random.percent(5) {
            specs[index].mid = min(
                specs[index].base + 12, max(specs[index].base - 12, specs[index].mid + random.pick([-1, 1])))
        }
        return specs[index]
    }

    private mutating func freshClientId() -> String {
        clientCounter += 1
        let id = "c\(clientCounter)"
        recentClientIds.append(id)
        if recentClientIds.count > 50 { recentClientIds.removeFirst() }
        return id
    }

    private mutating func newOrder(_ exchange: ReferenceExchange) -> [(String, JSONValue)] {
        let spec = orderSpec()
        let account = random.pick(accounts)
        let side = random.pick(["buy", "sell"])
        let type = random.weighted([("limit", 52), ("market", 12), ("stop", 15), ("stop_limit", 18), ("iceberg", 1)])
        var clientId = freshClientId()
        if random.percent(4),
            let reused = exchange.openOrders(where: { $0.account == account }).randomElement(using: &random)
        {
            clientId = reused.clientOrderId  // duplicate_client_order_id
        } else if random.percent(4), let other = exchange.openOrders.randomElement(using: &random) {
            clientId = other.clientOrderId  // held by another account or closed: allowed unless it is ours
        } else if random.percent(3) {
            clientId = random.pick(recentClientIds)
        }
        let small = random.int(1...5)
        let medium = random.int(6...30)
        let large = random.int(31...300)
        let lots = random.weighted([(small, 70), (medium, 22), (large, 6), (6_000, 1), (0, 1), (-1, 1)])
        var members: [(String, JSONValue)] = [
            ("cmd", .string("new_order")), ("symbol", .string(spec.symbol)), ("account", .string(account)),
            ("client_order_id", .string(clientId)), ("side", .string(side)), ("type", .string(type)),
        ]
        if random.percent(0.3) {
            members.append(("qty", .string(random.pick(["9223372036854775807", "1.5", "0.0005"]))))
        } else {
            members.append(("qty", .string(qtyText(lots, spec))))
        }
        let last = exchange.instruments[spec.symbol]?.lastTradePrice.map(Int.init) ?? spec.mid
        let price = random.percent(8) ? spec.mid + random.int(-25...25) : spec.mid + random.int(-6...6)
        let away = random.int(1...4)
        let through = random.int(-2...0)
        let stopDistance = random.weighted([(away, 3), (through, 1)])
        let stopPrice = side == "buy" ? last + stopDistance : last - stopDistance
        switch type {
        case "limit":
            if !random.percent(1) { members.append(("price", .string(priceText(price, spec)))) }
        case "stop":
            if !random.percent(1) { members.append(("stop_price", .string(priceText(stopPrice, spec)))) }
            if random.percent(5) { members.append(("price", .string(random.pick(["1e3", "x", "100"])))) }  // ignored
        case "stop_limit":
            if !random.percent(1) {
                let limit = stopPrice + (side == "buy" ? random.int(-1...3) : random.int(-3...1))
                members.append(("price", .string(priceText(limit, spec))))
            }
            if !random.percent(1) { members.append(("stop_price", .string(priceText(stopPrice, spec)))) }
        default:
            if random.percent(10) { members.append(("price", .string(random.pick(["1e3", "100", "-1"])))) }  // ignored
            if random.percent(5) { members.append(("stop_price", .string("bad"))) }  // ignored
        }
        if random.percent(0.3) {
            // Off the tick grid (or not positive).
            members.removeAll { $0.0 == "price" || $0.0 == "stop_price" }
            let offTick = random.pick(["0.000001", "-5", "0", "100.00001"])
            if type == "limit" || type == "stop_limit" { members.append(("price", .string(offTick))) }
            if type == "stop" || type == "stop_limit" {
                members.append(("stop_price", .string(priceText(stopPrice, spec))))
            }
        }
        let tif = random.weighted([("gtc", 33), ("ioc", 15), ("fok", 10), ("day", 25), ("gtd", 17)])
        if tif != "gtc" || random.percent(30) { members.append(("tif", .string(tif))) }
        if tif == "gtd" {
            let now = Int(exchange.now)
            switch random.int(0...99) {
            case 0..<4: break  // missing: invalid_expire_at
            case 4..<8: members.append(("expire_at", .number(String(now - random.int(0...3)))))
            case 8..<10: members.append(("expire_at", .string(String(now + 10))))
            default: members.append(("expire_at", .number(String(now + random.int(1...80)))))
            }
        } else if random.percent(3) {
            members.append(("expire_at", .string("ignored")))
        }
        if type == "limit" ? random.percent(10) : random.percent(1) {
            members.append(("post_only", .bool(true)))
        } else if random.percent(3) {
            members.append(("post_only", .bool(false)))
        }
        if type == "limit" ? random.percent(18) : random.percent(1) {
            let slice = random.int(1...max(1, lots - 1))
            let display = random.weighted([(slice, 90), (lots, 4), (lots + 1, 2), (0, 2), (-1, 2)])
            members.append(("display_qty", .string(random.percent(2) ? "0.0001" : qtyText(display, spec))))
        }
        if random.percent(60) {
            members.append(
                ("stp", .string(random.pick(["cancel_taker", "cancel_maker", "cancel_both", "decrement", "none"]))))
        }
        return members
    }

    /// A live order for cancel/replace, or nil.
    private mutating func target(_ open: [ReferenceExchange.Order]) -> ReferenceExchange.Order? {
        open.isEmpty ? nil : random.pick(open)
    }

    /// order_id / client_order_id members naming `order`, in one of the accepted forms.
    private mutating func reference(to order: ReferenceExchange.Order) -> [(String, JSONValue)] {
        switch random.int(0...9) {
        case 0..<5: return [("order_id", .string(String(order.id)))]
        case 5..<7: return [("order_id", .number(String(order.id)))]
        case 7: return [("order_id", .string(String(order.id))), ("client_order_id", .string(order.clientOrderId))]
        default: return [("client_order_id", .string(order.clientOrderId))]
        }
    }

    private mutating func unknownReference() -> [(String, JSONValue)] {
        let number = random.int(1...9)
        switch random.int(0...4) {
        case 0: return [("order_id", .string(String(900_000 + number)))]
        case 1: return [("order_id", .number(String(800_000 + number)))]
        case 2: return [("order_id", .string("x\(number)"))]
        case 3: return [("order_id", .number("-\(number)"))]
        default: return [("client_order_id", .string("nope\(number)"))]
        }
    }

    private mutating func cancel(_ open: [ReferenceExchange.Order]) -> [(String, JSONValue)] {
        var members: [(String, JSONValue)] = [("cmd", .string("cancel"))]
        if random.percent(85), let order = target(open) {
            let symbol = random.percent(4) ? random.pick(specs).symbol : order.symbol
            let account = random.percent(8) ? random.pick(accounts) : order.account
            members += [("symbol", .string(symbol)), ("account", .string(account))] + reference(to: order)
        } else {
            members +=
                [("symbol", .string(anySymbol())), ("account", .string(random.pick(accounts)))] + unknownReference()
        }
        return members
    }

    private mutating func replace(
        _ exchange: ReferenceExchange, open: [ReferenceExchange.Order]
    ) -> [(String, JSONValue)] {
        var members: [(String, JSONValue)] = [("cmd", .string("replace"))]
        guard random.percent(92), let order = target(open),
            let spec = (specs + lateSpecs).first(where: { $0.symbol == order.symbol })
        else {
            members +=
                [("symbol", .string(anySymbol())), ("account", .string(random.pick(accounts)))] + unknownReference()
            members.append(("qty", .string("3")))
            return members
        }
        let account = random.percent(3) ? random.pick(accounts) : order.account
        members += [("symbol", .string(order.symbol)), ("account", .string(account))] + reference(to: order)
        let isStop = order.type == .stop || order.type == .stopLimit
        let untriggered = isStop && exchange.instruments[order.symbol]!.stops.contains { $0.id == order.id }
        let hasPrice = order.price != nil
        let variant = random.weighted([
            ("price", hasPrice ? 22 : 0), ("qtyDown", 14), ("qtyUp", 14), ("belowFilled", order.filled > 0 ? 6 : 0),
            ("stopPrice", untriggered ? 14 : 0), ("rename", 8), ("renameDuplicate", 3), ("noChange", 5),
            ("notApplicable", 4), ("offTick", 2), ("priceAndQty", hasPrice ? 6 : 0), ("offLot", 2),
        ])
        switch variant {
        case "price":
            members.append(("price", .string(priceText(Int(order.price!) + random.pick([-3, -2, -1, 1, 2, 3]), spec))))
        case "qtyDown":
            let total = Int(order.filled) + max(1, Int(order.leaves) - random.int(1...3))
            members.append(("qty", .string(qtyText(total, spec))))
        case "qtyUp":
            // Orders of Int64.max lots exist in the stream; grow only what can grow.
            let grown = Int(order.qty) <= Int.max - 4 ? Int(order.qty) + random.int(1...4) : Int(order.qty) - 1
            members.append(("qty", .string(qtyText(grown, spec))))
        case "belowFilled":
            members.append(("qty", .string(qtyText(random.int(1...Int(order.filled)), spec))))
        case "stopPrice":
            members.append(
                ("stop_price", .string(priceText(Int(order.stopPrice!) + random.pick([-2, -1, 1, 2]), spec))))
        case "rename":
            members.append(("qty", .string(qtyText(Int(order.qty), spec))))
            members.append(("new_client_order_id", .string(freshClientId())))
        case "renameDuplicate":
            let others = open.filter { $0.account == order.account && $0.id != order.id }
            members.append(("qty", .string(qtyText(Int(order.qty), spec))))
            members.append(
                (
                    "new_client_order_id",
                    .string(others.randomElement(using: &random)?.clientOrderId ?? order.clientOrderId)
                ))
        case "noChange":
            members.append(("qty", .string(qtyText(Int(order.qty), spec))))
            if hasPrice && random.percent(50) { members.append(("price", .string(priceText(Int(order.price!), spec)))) }
        case "notApplicable":
            if hasPrice && !untriggered {
                members.append(("stop_price", .string(priceText(spec.mid, spec))))
            } else {
                members.append(("price", .string(priceText(spec.mid, spec))))
            }
        case "offTick":
            members.append((hasPrice ? "price" : "stop_price", .string("0.000001")))
        case "priceAndQty":
            members.append(("price", .string(priceText(Int(order.price!) + random.int(-2...2), spec))))
            members.append(
                (
                    "qty",
                    .string(
                        qtyText(max(1, Int(order.qty).addingReportingOverflow(random.int(-2...2)).partialValue), spec))
                ))
        default:
            members.append(("qty", .string(random.pick(["0", "-1", "0.0001"]))))
        }
        if random.percent(8) && variant != "rename" && variant != "renameDuplicate" {
            members.append(("new_client_order_id", .string(random.percent(70) ? freshClientId() : order.clientOrderId)))
        }
        return members
    }

    private mutating func massCancel() -> [(String, JSONValue)] {
        var members: [(String, JSONValue)] = [
            ("cmd", .string("mass_cancel")), ("account", .string(random.pick(accounts))),
        ]
        if random.percent(50) { members.append(("symbol", .string(anySymbol()))) }
        if random.percent(30) { members.append(("side", .string(random.pick(["buy", "sell"])))) }
        return members
    }

    private mutating func addInstrument() -> [(String, JSONValue)] {
        if !lateSpecs.isEmpty && random.percent(50) {
            let spec = lateSpecs.removeFirst()
            specs.append(spec)
            return addInstrumentMembers(spec)
        }
        let symbol = random.pick(specs).symbol
        return random.pick([
            [
                ("cmd", .string("add_instrument")), ("symbol", .string(symbol)), ("tick_size", .string("0.01")),
                ("lot_size", .string("1")),
            ],
            [
                ("cmd", .string("add_instrument")), ("symbol", .string("BAD")), ("tick_size", .string("0")),
                ("lot_size", .string("1")),
            ],
            [
                ("cmd", .string("add_instrument")), ("symbol", .string("BAD")), ("tick_size", .string("0.01")),
                ("lot_size", .string("-1")),
            ],
            [
                ("cmd", .string("add_instrument")), ("symbol", .string("BAD")), ("tick_size", .string("1e-2")),
                ("lot_size", .string("1")),
            ],
            [
                ("cmd", .string("add_instrument")), ("symbol", .string("BAD")), ("tick_size", .string("0.01")),
                ("lot_size", .string("1")), ("min_qty", .string("-1")),
            ],
            [("cmd", .string("add_instrument")), ("symbol", .string("BAD")), ("tick_size", .string("0.01"))],
            [
                ("cmd", .string("add_instrument")), ("symbol", .number("7")), ("tick_size", .string("0.01")),
                ("lot_size", .string("1")),
            ],
        ])
    }

    /// A malformed or otherwise invalid line.
    private mutating func badLine(_ exchange: ReferenceExchange) -> String {
        let spec = random.pick(specs)
        let account = random.pick(accounts)
        func order(_ extra: [(String, JSONValue)], removing: [String] = []) -> String {
            var members: [(String, JSONValue)] = [
                ("cmd", .string("new_order")), ("symbol", .string(spec.symbol)), ("account", .string(account)),
                ("client_order_id", .string("bad\(random.int(1...99))")), ("side", .string("buy")),
                ("type", .string("limit")), ("qty", .string(Self.decimal(spec.lotMantissa, scale: spec.lotScale))),
                ("price", .string(Self.decimal(spec.mid * spec.tickMantissa, scale: spec.tickScale))),
            ]
            members.removeAll { member in removing.contains(member.0) || extra.contains { $0.0 == member.0 } }
            members += extra
            if random.percent(40) { members.append(("ts", .number(String(Int(exchange.now) + random.int(0...3))))) }
            return ReferenceJSON.object(members)
        }
        let maxCount = "9223372036854775808"  // one more than Int64.max
        switch random.int(0...33) {
        case 0: return order([("qty", .string("1e3"))])
        case 1: return order([("price", .number("100"))])
        case 2: return order([("qty", .number("1"))])
        case 3:
            return order([("price", .string(random.pick(["+1", ".5", "NaN", "1.", "", " 1", "--1", "0x10", "1,5"])))])
        case 4: return order([], removing: ["qty"])
        case 5: return order([], removing: [random.pick(["symbol", "account", "client_order_id", "side", "type"])])
        case 6: return order([("side", .string(random.pick(["BUY", "long", ""])))])
        case 7: return order([("type", .string("iceberg"))])
        case 8: return order([("tif", .string(random.pick(["GTC", "gfd", "x"])))])
        case 9: return order([("stp", .string("cancel_newest"))])
        case 10: return order([("post_only", .string("true"))])
        case 11: return order([("ts", .string("5"))])
        case 12: return order([("ts", .number("1.5"))])
        case 13:
            return order([("price", .string(Self.decimal(spec.mid * spec.tickMantissa + 1, scale: spec.tickScale + 2)))]
            )
        case 14: return order([("qty", .string(maxCount))])
        case 15:
            return order([
                ("price", .string(RefNumbers.text(of: Int128(Int64.max) + 1, in: unitOne(scale: spec.tickScale))))
            ])
        case 16: return order([("display_qty", .number("1"))])
        case 17: return order([("price", .null)])
        case 18: return order([("account", .number("12"))])
        case 19:
            return random.pick([
                "{\"cmd\":", "{cmd:\"time\"}", "[1,2]", "null", "42", "\"new_order\"", "{\"cmd\":\"time\",\"now\":1,}",
                "not json",
            ])
        case 20:
            return ReferenceJSON.object([
                ("cmd", .string(random.pick(["new", "cancel_all", "NEW_ORDER", ""]))), ("symbol", .string(spec.symbol)),
            ])
        case 21: return ReferenceJSON.object([("cmd", .number("1")), ("account", .string(account))])
        case 22: return ReferenceJSON.object([("symbol", .string(spec.symbol)), ("account", .string(account))])
        case 23: return ReferenceJSON.object([("cmd", .string("time")), ("now", .string("100"))])
        case 24: return ReferenceJSON.object([("cmd", .string("time"))])
        case 25:
            return ReferenceJSON.object([
                ("cmd", .string("cancel")), ("symbol", .string(spec.symbol)), ("account", .string(account)),
            ])
        case 26:
            return ReferenceJSON.object([
                ("cmd", .string("cancel")), ("symbol", .string(spec.symbol)), ("account", .string(account)),
                ("order_id", .number("1.5")),
            ])
        case 27:
            return ReferenceJSON.object([
                ("cmd", .string("cancel")), ("symbol", .string(spec.symbol)), ("account", .string(account)),
                ("order_id", .bool(true)),
            ])
        case 28:
            var members: [(String, JSONValue)] = [
                ("cmd", .string("replace")), ("symbol", .string(spec.symbol)), ("account", .string(account)),
            ]
            if let live = exchange.openOrders(where: { $0.account == account }).first {
                members.append(("order_id", .string(String(live.id))))
            }
            members.append(
                random.pick([
                    ("qty", .string("2e1")), ("price", .number("5")), ("new_client_order_id", .string("only-rename")),
                ]))
            return ReferenceJSON.object(members)
        case 29:
            return ReferenceJSON.object([
                ("cmd", .string("mass_cancel")), ("account", .string(account)), ("side", .string("both")),
            ])
        case 30: return ReferenceJSON.object([("cmd", .string("mass_cancel")), ("symbol", .string(spec.symbol))])
        case 31: return ReferenceJSON.object([("cmd", .string(random.pick(["halt", "resume", "dump_book"])))])
        case 32: return ReferenceJSON.object([("cmd", .string("end_session")), ("symbol", .number("3"))])
        default: return order([("qty", .string(Self.decimal(spec.lotMantissa * 3 + 1, scale: spec.lotScale + 1)))])
        }
    }
}

extension RefSplitMix64: RandomNumberGenerator {}
