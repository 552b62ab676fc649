import BourseJSONLines
import BourseVenue
import Testing

@testable import BourseMarketData

/// The market data's history as `bourse serve` saves it at shutdown and loads it at start.
@Suite("Market data history: saved and loaded")
struct SavedHistoryTests {
    static let instrument = InstrumentText(symbol: "ACME", tick: UnitSize("0.01")!, lot: UnitSize("1")!)

    static func event(_ members: [(String, JSONValue)]) -> JSONValue { .object(members) }

    /// Two orders, a trade between them, one order closed: history of every kind.
    static func filled() -> MarketData {
        let marketData = MarketData(clock: { 1_800_000_000_000 })
        marketData.addInstrument(instrument)
        func accepted(_ id: String, _ account: String, _ side: String) -> JSONValue {
            event([
                ("event", .string("accepted")), ("order_id", .string(id)), ("client_order_id", .string("c" + id)),
                ("account", .string(account)), ("symbol", .string("ACME")), ("side", .string(side)),
                ("type", .string("limit")), ("qty", .string("5")), ("price", .string("10.00")), ("tif", .string("gtc")),
            ])
        }
        marketData.apply([accepted("1", "alice", "buy")])
        marketData.apply([
            accepted("2", "bob", "sell"),
            event([
                ("event", .string("trade")), ("trade_id", .string("1")), ("symbol", .string("ACME")),
                ("price", .string("10.00")), ("qty", .string("5")), ("maker_order_id", .string("1")),
                ("taker_order_id", .string("2")), ("maker_account", .string("alice")),
                ("taker_account", .string("bob")),
                ("aggressor", .string("sell")),
            ]),
            event([
                ("event", .string("order")), ("order_id", .string("1")), ("account", .string("alice")),
                ("symbol", .string("ACME")), ("status", .string("filled")), ("filled_qty", .string("5")),
                ("leaves_qty", .string("0")),
            ]),
        ])
        return marketData
    }

    static func reads(_ marketData: MarketData) -> [JSONValue] {
        [
            marketData.orders(account: "alice", openOnly: false, symbol: nil, limit: 100),
            marketData.orders(account: "bob", openOnly: true, symbol: nil, limit: 100),
            marketData.fills(account: "alice", symbol: nil, limit: 100),
            marketData.fills(account: "bob", symbol: nil, limit: 100),
            marketData.trades("ACME", limit: 100)!, marketData.candles("ACME", minutes: 1, limit: 100)!,
            marketData.ticker("ACME")!,
        ]
    }

    @Test("a saved history loaded into a new market data answers every read the same")
    func roundTrip() throws {
        let original = Self.filled()
        let text = original.saved().jsonText
        let restored = MarketData(clock: { 1_800_000_000_000 })
        restored.addInstrument(Self.instrument)
        #expect(restored.load(try JSONParser.parse(text)))
        #expect(Self.reads(restored) == Self.reads(original))
        #expect(restored.saved().jsonText == text)
    }

    @Test("a damaged history is refused whole: wrong shape, an order id twice, candle values out of range")
    func damagedHistoryIsRefused() throws {
        let saved = Self.filled().saved()
        guard case .object(let members) = saved, case .array(let orders)? = saved["orders"] else {
            Issue.record("unexpected saved form")
            return
        }
        var twice = members
        twice[0] = ("orders", .array(orders + orders))
        // A candle starting before 1970: `[[minute,open,...]]` with the minute made -5.
        let candles = saved["books"]?["ACME"]?["candles"]?.jsonText ?? ""
        #expect(candles.hasPrefix("[[") && candles.count > 10)
        let badCandle = saved.jsonText.replacingOccurrences(
            of: candles, with: "[[-5" + candles.dropFirst(2).drop { $0 != "," })
        for damaged in [JSONValue.array([]), .object(twice), try JSONParser.parse(badCandle)] {
            let marketData = MarketData()
            marketData.addInstrument(Self.instrument)
            #expect(!marketData.load(damaged))
            #expect(marketData.orders(account: "alice", openOnly: false, symbol: nil, limit: 100) == .array([]))
        }
    }
}
