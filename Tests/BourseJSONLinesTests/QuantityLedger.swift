import BourseJSONLines
import Foundation
import Testing

/// Checks that the engine's events conserve quantity: every order's `filled_qty`
/// equals the sum of the trades it took part in, never decreases, and its
/// `leaves_qty` is never negative and is zero when the order ends.
struct QuantityLedger {
    private var traded: [String: Decimal] = [:]
    private var lastFilled: [String: Decimal] = [:]

    private static func decimal(_ event: JSONValue, _ key: String) -> Decimal? {
        event[key]?.stringValue.flatMap { Decimal(string: $0, locale: Locale(identifier: "en_US_POSIX")) }
    }

    /// Applies one command's events; returns a description of the first violation.
    mutating func apply(_ events: [JSONValue]) -> String? {
        for event in events {
            switch event["event"]?.stringValue {
            case "trade":
                guard let quantity = Self.decimal(event, "qty"), quantity > 0,
                    let maker = event["maker_order_id"]?.stringValue, let taker = event["taker_order_id"]?.stringValue
                else { return "a trade without a positive qty or order ids" }
                traded[maker, default: 0] += quantity
                traded[taker, default: 0] += quantity
            case "order":
                guard let id = event["order_id"]?.stringValue, let filled = Self.decimal(event, "filled_qty"),
                    let leaves = Self.decimal(event, "leaves_qty"), let status = event["status"]?.stringValue
                else { return "an order event without order_id, filled_qty, leaves_qty or status" }
                if filled != traded[id, default: 0] {
                    return "order \(id) reports filled_qty \(filled) but its trades add up to \(traded[id, default: 0])"
                }
                if filled < lastFilled[id, default: 0] { return "order \(id)'s filled_qty went down" }
                if leaves < 0 { return "order \(id) has negative leaves_qty" }
                if ["filled", "cancelled", "expired"].contains(status) && leaves != 0 {
                    return "order \(id) ended (\(status)) with leaves_qty \(leaves)"
                }
                lastFilled[id] = filled
            default:
                break
            }
        }
        return nil
    }
}

@Suite("quantity ledger")
struct QuantityLedgerTests {
    private func events(_ lines: [String]) -> [JSONValue] { lines.map { try! JSONParser.parse($0) } }

    @Test("it accepts filled quantities that match the trades, and catches those that do not")
    func catchesMismatches() {
        var ledger = QuantityLedger()
        let trade = #"{"event":"trade","qty":"2","maker_order_id":"1","taker_order_id":"2"}"#
        let good = #"{"event":"order","order_id":"1","status":"partially_filled","filled_qty":"2.0","leaves_qty":"1"}"#
        #expect(ledger.apply(events([trade, good])) == nil)
        let wrong = #"{"event":"order","order_id":"2","status":"filled","filled_qty":"3","leaves_qty":"0"}"#
        #expect(ledger.apply(events([wrong])) != nil)
        let open = #"{"event":"order","order_id":"1","status":"cancelled","filled_qty":"2","leaves_qty":"1"}"#
        #expect(ledger.apply(events([open])) != nil)
    }
}
