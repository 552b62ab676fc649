/// Seeded random command lines that exercise the risk layer: cash and credit accounts
/// with deposits and withdrawals, fees with tiers, limits, price bands, a circuit
/// breaker, kill switches, venue halts, settlements and reports, around a stream of
/// orders of every type, cancels and replaces. Used to check the risk invariants
/// (nothing negative, every asset conserved, holds equal to open orders' needs) and
/// that journal and snapshot keep the risk state exactly.
public struct RandomRiskStream {
    private var random: RefSplitMix64
    private var nextClientOrderID = 0
    private var now: Int64 = 0
    /// Client order ids sent, by account index (some are long gone; cancels of those are rejected).
    private var sent: [[(symbol: Int, id: String)]] = Array(repeating: [], count: Self.accounts.count)

    static let accounts = ["A", "B", "C", "D", "E", "F"]
    /// (symbol, price of tick 0 as text digits, tick, lot, assets)
    static let symbols: [(name: String, mid: Int, tick: String, lot: String, base: String, quote: String)] = [
        ("BTC-USD", 200, "0.5", "0.001", "BTC", "USD"),
        ("ETH-BTC", 500, "0.0001", "0.01", "ETH", "BTC"),
    ]

    public init(seed: UInt64) { random = RefSplitMix64(seed: seed) }

    /// The lines that set the venue up: instruments, fees, accounts (A, B, C, D cash; E, F credit), deposits, limits.
    public static var setup: [String] {
        var lines: [String] = []
        for symbol in symbols {
            lines.append(
                #"{"cmd":"add_instrument","symbol":"\#(symbol.name)","tick_size":"\#(symbol.tick)","lot_size":"\#(symbol.lot)"}"#
            )
            lines.append(#"{"cmd":"set_fees","symbol":"\#(symbol.name)","maker_bps":5,"taker_bps":25}"#)
            lines.append(#"{"cmd":"set_fees","symbol":"\#(symbol.name)","tier":1,"maker_bps":0,"taker_bps":10}"#)
        }
        lines.append(
            #"{"cmd":"set_instrument_risk","symbol":"BTC-USD","price_band_pct":"8","market_protection_pct":"3","breaker_pct":"4","breaker_window_ms":5000,"breaker_halt_ms":3000}"#
        )
        for (index, account) in accounts.enumerated() {
            let mode = index < 4 ? "cash" : "credit"
            lines.append(#"{"cmd":"set_account","account":"\#(account)","mode":"\#(mode)","tier":\#(index % 2)}"#)
            for (asset, amount) in [("USD", "800"), ("BTC", "2"), ("ETH", "30")] {
                lines.append(#"{"cmd":"deposit","account":"\#(account)","asset":"\#(asset)","amount":"\#(amount)"}"#)
            }
        }
        lines.append(
            #"{"cmd":"set_limits","account":"C","max_order_qty":"1","max_open_orders":"12","max_order_rate":"40"}"#)
        lines.append(
            #"{"cmd":"set_limits","account":"E","symbol":"BTC-USD","max_position":"0.2","max_order_notional":"4000"}"#)
        lines.append(#"{"cmd":"set_limits","account":"F","max_daily_loss":"30"}"#)
        return lines
    }

    public mutating func nextLine() -> String {
        if random.below(5) == 0 { now += Int64(random.below(700)) }
        let ts = #","ts":\#(now)"#
        let roll = random.below(1000)
        let accountIndex = random.below(Self.accounts.count)
        let account = Self.accounts[accountIndex]
        let symbolIndex = random.below(Self.symbols.count)
        let symbol = Self.symbols[symbolIndex]
        switch roll {
        case 0..<520:
            return newOrder(accountIndex, symbolIndex) + ts + "}"
        case 520..<680:
            guard let order = sent[accountIndex].randomElement(using: &random) else { return nextLine() }
            let name = Self.symbols[order.symbol].name
            return
                #"{"cmd":"cancel","symbol":"\#(name)","account":"\#(account)","client_order_id":"\#(order.id)"\#(ts)}"#
        case 680..<800:
            guard let order = sent[accountIndex].randomElement(using: &random) else { return nextLine() }
            let instrument = Self.symbols[order.symbol]
            let change =
                random.below(2) == 0
                ? #""price":"\#(price(instrument))""# : #""qty":"\#(quantity(instrument))""#
            return
                #"{"cmd":"replace","symbol":"\#(instrument.name)","account":"\#(account)","client_order_id":"\#(order.id)",\#(change)\#(ts)}"#
        case 800..<850:
            let asset = [symbol.base, symbol.quote][random.below(2)]
            let amount = asset == "USD" ? "\(1 + random.below(500))" : "\(random.below(3)).\(1 + random.below(99))"
            let cmd = random.below(3) == 0 ? "withdraw" : "deposit"
            return #"{"cmd":"\#(cmd)","account":"\#(account)","asset":"\#(asset)","amount":"\#(amount)"\#(ts)}"#
        case 850..<880:
            let cmd = random.below(2) == 0 ? "kill" : "unkill"
            return #"{"cmd":"\#(cmd)","account":"\#(account)"\#(ts)}"#
        case 880..<890:
            // Venue-wide switches: engaged rarely, released often, so that trading goes on.
            let cmd = ["kill", "halt_venue", "unkill", "resume_venue", "unkill", "resume_venue"][random.below(6)]
            return #"{"cmd":"\#(cmd)"\#(ts)}"#
        case 890..<930:
            now += Int64(random.below(4000))
            return #"{"cmd":"time","now":\#(now)}"#
        case 930..<950:
            let mode = random.below(2) == 0 ? "cash" : "credit"
            return #"{"cmd":"set_account","account":"\#(account)","mode":"\#(mode)","tier":\#(random.below(3))\#(ts)}"#
        case 950..<970:
            return #"{"cmd":"mass_cancel","account":"\#(account)"\#(ts)}"#
        case 970..<980:
            return #"{"cmd":"settle"\#(ts)}"#
        case 980..<990:
            return #"{"cmd":"account_report","account":"\#(account)"\#(ts)}"#
        default:
            return #"{"cmd":"end_session"\#(ts)}"#
        }
    }

    private mutating func newOrder(_ accountIndex: Int, _ symbolIndex: Int) -> String {
        let symbol = Self.symbols[symbolIndex]
        nextClientOrderID += 1
        let id = "r\(nextClientOrderID)"
        sent[accountIndex].append((symbolIndex, id))
        if sent[accountIndex].count > 40 { sent[accountIndex].removeFirst(20) }
        let side = random.below(2) == 0 ? "buy" : "sell"
        var line =
            #"{"cmd":"new_order","symbol":"\#(symbol.name)","account":"\#(Self.accounts[accountIndex])","client_order_id":"\#(id)","side":"\#(side)","qty":"\#(quantity(symbol))""#
        switch random.below(20) {
        case 0..<12:
            line += #","type":"limit","price":"\#(price(symbol))""#
            switch random.below(10) {
            case 0: line += #","tif":"ioc""#
            case 1: line += #","tif":"fok""#
            case 2: line += #","post_only":true"#
            case 3: line += #","display_qty":"\#(symbol.lot)""#
            case 4: line += #","tif":"day""#
            default: break
            }
        case 12..<15:
            line += #","type":"market""#
            if random.below(3) == 0 { line += #","tif":"fok""# }
        case 15..<18:
            line += #","type":"stop","stop_price":"\#(price(symbol))""#
        default:
            line += #","type":"stop_limit","stop_price":"\#(price(symbol))","price":"\#(price(symbol))""#
        }
        line += #","stp":"\#(["cancel_taker", "cancel_maker", "cancel_both", "decrement", "none"][random.below(5)])""#
        return line
    }

    /// A price a few ticks around the symbol's middle, on its grid.
    private mutating func price(
        _ symbol: (name: String, mid: Int, tick: String, lot: String, base: String, quote: String)
    )
        -> String
    {
        let ticks = symbol.mid + random.below(25) - 12
        return symbol.name == "BTC-USD" ? "\(ticks / 2)" + (ticks % 2 == 1 ? ".5" : "") : "0.0" + String(ticks)
    }

    private mutating func quantity(
        _ symbol: (name: String, mid: Int, tick: String, lot: String, base: String, quote: String)
    )
        -> String
    {
        let lots = 1 + random.below(random.below(8) == 0 ? 3_000 : 300)
        return symbol.name == "BTC-USD"
            ? "\(lots / 1000).\(String(lots % 1000 + 1000).dropFirst())"
            : "\(lots / 100).\(String(lots % 100 + 100).dropFirst())"
    }
}

extension RefSplitMix64 {
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
}
