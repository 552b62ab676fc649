import BourseJSONLines
import Testing

/// Cases found by review and adversarial streams, kept so that they stay fixed.
@Suite("regressions")
struct RegressionTests {
    /// Runs `lines` through a fresh session, checking the invariants after each, and returns the last line's events.
    private func run(_ lines: [String]) throws -> [JSONValue] {
        var session = JSONLinesSession()
        var output: [String] = []
        for line in lines {
            output.removeAll()
            session.process(line: line, into: &output)
            session.checkInvariants()
        }
        return try output.map { try JSONParser.parse($0) }
    }

    @Test("rule 7: an iceberg that reveals a slice stays in the book when empty price levels are swept away")
    func icebergRevealSurvivesEmptyLevelSweep() throws {
        var lines = [
            #"{"cmd":"add_instrument","symbol":"X","tick_size":"1","lot_size":"1"}"#,
            #"{"cmd":"new_order","symbol":"X","account":"A","client_order_id":"ice","side":"sell","type":"limit","qty":"10","price":"100","display_qty":"1"}"#,
        ]
        // 32 other levels, then emptied: the book now holds many empty levels, swept once they outnumber the rest.
        for i in 0..<32 {
            lines.append(
                #"{"cmd":"new_order","symbol":"X","account":"B","client_order_id":"s\#(i)","side":"sell","type":"limit","qty":"1","price":"\#(101 + i)"}"#
            )
        }
        lines.append(#"{"cmd":"mass_cancel","account":"B"}"#)
        // Taking the iceberg's only displayed lot empties its level for a moment while the next slice is revealed.
        lines.append(
            #"{"cmd":"new_order","symbol":"X","account":"C","client_order_id":"c1","side":"buy","type":"limit","qty":"1","price":"100"}"#
        )
        lines.append(#"{"cmd":"dump_book","symbol":"X"}"#)
        let snapshot = try #require(try run(lines).first)
        guard case .array(let asks)? = snapshot["asks"] else {
            Issue.record("no asks in \(snapshot)")
            return
        }
        #expect(asks.count == 1)
        #expect(asks.first?["client_order_id"] == .string("ice"))
        #expect(asks.first?["leaves_qty"] == .string("9"))
        #expect(asks.first?["display_qty"] == .string("1"))
        // And it still trades.
        lines.append(
            #"{"cmd":"new_order","symbol":"X","account":"C","client_order_id":"c2","side":"buy","type":"limit","qty":"9","price":"100"}"#
        )
        lines.append(#"{"cmd":"dump_book","symbol":"X"}"#)
        let after = try #require(try run(lines).first)
        #expect(after["asks"] == .array([]))
    }

    @Test("avg_price is the exact mean rounded half-even to 28 significant digits, also when it terminates later")
    func averagePriceRoundsLongTerminatingMeans() throws {
        // The mean is 2 - 2^-60 = 1.999999999999999999132638262011596452794037759304046630859375.
        let events = try run([
            #"{"cmd":"add_instrument","symbol":"X","tick_size":"1","lot_size":"1"}"#,
            #"{"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"sell","type":"limit","qty":"1","price":"1"}"#,
            #"{"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a2","side":"sell","type":"limit","qty":"1152921504606846975","price":"2"}"#,
            #"{"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b1","side":"buy","type":"market","qty":"1152921504606846976"}"#,
        ])
        let taker = try #require(events.last { $0["client_order_id"] == .string("b1") && $0["status"] != nil })
        #expect(taker["avg_price"] == .string("1.999999999999999999132638262"))
    }

    @Test("avg_price rounds to 28 significant digits when its integer part alone is longer")
    func averagePriceRoundsLongIntegerParts() throws {
        // The mean is 12345678901000000008230452600.666...
        let events = try run([
            #"{"cmd":"add_instrument","symbol":"X","tick_size":"12345678901","lot_size":"1"}"#,
            #"{"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"sell","type":"limit","qty":"1","price":"12345678901000000000000000000"}"#,
            #"{"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a2","side":"sell","type":"limit","qty":"2","price":"12345678901000000012345678901"}"#,
            #"{"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b1","side":"buy","type":"market","qty":"3"}"#,
        ])
        let taker = try #require(events.last { $0["client_order_id"] == .string("b1") && $0["status"] != nil })
        #expect(taker["avg_price"] == .string("12345678901000000008230452600"))
    }

    @Test("rule 11: names are compared byte for byte: canonically equivalent spellings are different accounts")
    func namesAreExactBytes() throws {
        let setup = [
            #"{"cmd":"add_instrument","symbol":"X","tick_size":"1","lot_size":"1"}"#,
            #"{"cmd":"new_order","symbol":"X","account":"café","client_order_id":"é","side":"sell","type":"limit","qty":"5","price":"10"}"#,
        ]
        let cancel = try run(setup + [#"{"cmd":"cancel","symbol":"X","account":"café","order_id":"1"}"#])
        #expect(cancel.first?["reason"] == .string("unknown_order"))
        // No self-trade prevention between the two spellings: they trade.
        let cross = try run(
            setup + [
                #"{"cmd":"new_order","symbol":"X","account":"café","client_order_id":"b","side":"buy","type":"limit","qty":"5","price":"10"}"#
            ])
        #expect(cross.contains { $0["event"] == .string("trade") })
        // A client order id in the other spelling is not a duplicate.
        let other = try run(
            setup + [
                #"{"cmd":"new_order","symbol":"X","account":"café","client_order_id":"é","side":"sell","type":"limit","qty":"5","price":"11"}"#
            ])
        #expect(other.first?["event"] == .string("accepted"))
        // Nor is a symbol.
        let symbols = try run([
            #"{"cmd":"add_instrument","symbol":"Café","tick_size":"1","lot_size":"1"}"#,
            #"{"cmd":"add_instrument","symbol":"Café","tick_size":"1","lot_size":"1"}"#,
        ])
        #expect(symbols.isEmpty)
    }
}
