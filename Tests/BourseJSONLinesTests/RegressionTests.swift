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
}
