import BourseJSONLines
import ContractReference
import Testing

/// Differential test: seeded random command streams go through the engine's `JSONLinesSession` and through the
/// plain `ReferenceExchange` (Tests/BourseJSONLinesTests/Reference); both must answer the same events, line by
/// line. The book invariants are checked after every line, and quantities are conserved (`QuantityLedger`).
@Suite("differential: engine against the reference exchange")
struct DifferentialTests {
    static let seeds: [UInt64] = [1, 2, 3, 4, 5, 6, 7, 8]
    static let linesPerSeed = 25_000

    @Test("random command streams answer the reference's events", arguments: seeds)
    func randomStream(seed: UInt64) {
        var session = JSONLinesSession()
        var reference = ReferenceExchange()
        var stream = RandomCommandStream(seed: seed)
        var recent: [String] = []
        var ledger = QuantityLedger()
        for lineNumber in 1...Self.linesPerSeed {
            let line = stream.nextLine(state: reference)
            recent.append(line)
            if recent.count > 20 { recent.removeFirst() }
            var output: [String] = []
            session.process(line: line, into: &output)
            session.checkInvariants()
            var actual: [JSONValue] = []
            for text in output {
                guard let event = try? JSONParser.parse(text) else {
                    Issue.record(
                        Self.report(
                            seed: seed, lineNumber: lineNumber, recent: recent, problem: "output is not JSON: \(text)",
                            expected: [], actual: []))
                    return
                }
                actual.append(event)
            }
            let expected = reference.process(line: line)
            if let violation = ledger.apply(actual) {
                Issue.record(
                    Self.report(
                        seed: seed, lineNumber: lineNumber, recent: recent, problem: violation, expected: expected,
                        actual: actual))
                return
            }
            if let difference = DifferentialComparison.difference(expected: expected, actual: actual) {
                Issue.record(
                    Self.report(
                        seed: seed, lineNumber: lineNumber, recent: recent, problem: difference, expected: expected,
                        actual: actual))
                return
            }
        }
    }

    static func report(
        seed: UInt64, lineNumber: Int, recent: [String], problem: String, expected: [JSONValue], actual: [JSONValue]
    ) -> Comment {
        let render: ([JSONValue]) -> String = { events in
            events.isEmpty ? "  (none)" : events.map { "  " + ReferenceJSON.render($0) }.joined(separator: "\n")
        }
        return """
            Engine and reference differ: seed \(seed), line \(lineNumber): \(problem)
            Last \(recent.count) input lines (the last one answered differently):
            \(recent.map { "  " + $0 }.joined(separator: "\n"))
            Reference events (\(expected.count)):
            \(render(expected))
            Engine events (\(actual.count)):
            \(render(actual))
            """
    }
}

/// Hand-checked scenarios for the reference itself, so that the oracle is known to follow the contract.
@Suite("reference exchange: hand-checked scenarios")
struct ReferenceExchangeTests {
    private static let setup = [
        #"{"cmd":"add_instrument","symbol":"X","tick_size":"0.01","lot_size":"1"}"#
    ]

    /// Runs `steps` (command, expected events as JSON lines) on a fresh reference after `setup`.
    private func check(_ steps: [(String, [String])], setup: [String] = setup) {
        var reference = ReferenceExchange()
        var inputs: [String] = []
        for line in setup {
            inputs.append(line)
            let events = reference.process(line: line)
            #expect(events.isEmpty, "setup line answered \(events.map(ReferenceJSON.render)): \(line)")
        }
        for (line, wanted) in steps {
            inputs.append(line)
            let expected = wanted.map { try! JSONParser.parse($0) }
            let actual = reference.process(line: line)
            if let difference = DifferentialComparison.difference(expected: expected, actual: actual) {
                Issue.record(
                    """
                    \(difference)
                    Input:
                    \(inputs.map { "  " + $0 }.joined(separator: "\n"))
                    Expected:
                    \(expected.map { "  " + ReferenceJSON.render($0) }.joined(separator: "\n"))
                    Reference:
                    \(actual.map { "  " + ReferenceJSON.render($0) }.joined(separator: "\n"))
                    """)
                return
            }
        }
    }

    @Test("two crossing limits trade at the maker's price")
    func crossingLimits() {
        check([
            (
                #"{"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"sell","type":"limit","qty":"5","price":"100.5"}"#,
                [
                    #"{"event":"accepted","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","side":"sell","type":"limit","qty":"5","price":"100.5","tif":"gtc"}"#,
                    #"{"event":"book","symbol":"X","side":"sell","price":"100.5","qty":"5","orders":1}"#,
                ]
            ),
            (
                #"{"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b1","side":"buy","type":"limit","qty":"7","price":"101","tif":"ioc"}"#,
                [
                    #"{"event":"accepted","order_id":"2","client_order_id":"b1","account":"B","symbol":"X","side":"buy","type":"limit","qty":"7","price":"101","tif":"ioc"}"#,
                    #"{"event":"trade","trade_id":"1","symbol":"X","price":"100.5","qty":"5","maker_order_id":"1","taker_order_id":"2","maker_account":"A","taker_account":"B","aggressor":"buy"}"#,
                    #"{"event":"order","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","status":"filled","filled_qty":"5","leaves_qty":"0","avg_price":"100.5"}"#,
                    #"{"event":"order","order_id":"2","client_order_id":"b1","account":"B","symbol":"X","status":"partially_filled","filled_qty":"5","leaves_qty":"2","avg_price":"100.5"}"#,
                    #"{"event":"book","symbol":"X","side":"sell","price":"100.5","qty":"0","orders":0}"#,
                    #"{"event":"order","order_id":"2","client_order_id":"b1","account":"B","symbol":"X","status":"cancelled","filled_qty":"5","leaves_qty":"0","avg_price":"100.5","reason":"ioc_remainder"}"#,
                ]
            ),
        ])
    }

    @Test("avg_price rounds half-even to 28 significant digits when it does not terminate")
    func averagePrice() {
        check([
            (
                #"{"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"sell","type":"limit","qty":"1","price":"100"}"#,
                [
                    #"{"event":"accepted","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","side":"sell","type":"limit","qty":"1","price":"100","tif":"gtc"}"#,
                    #"{"event":"book","symbol":"X","side":"sell","price":"100","qty":"1","orders":1}"#,
                ]
            ),
            (
                #"{"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a2","side":"sell","type":"limit","qty":"2","price":"100.01"}"#,
                [
                    #"{"event":"accepted","order_id":"2","client_order_id":"a2","account":"A","symbol":"X","side":"sell","type":"limit","qty":"2","price":"100.01","tif":"gtc"}"#,
                    #"{"event":"book","symbol":"X","side":"sell","price":"100.01","qty":"2","orders":1}"#,
                ]
            ),
            (
                #"{"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b1","side":"buy","type":"market","qty":"3"}"#,
                [
                    #"{"event":"accepted","order_id":"3","client_order_id":"b1","account":"B","symbol":"X","side":"buy","type":"market","qty":"3","tif":"gtc"}"#,
                    #"{"event":"trade","trade_id":"1","symbol":"X","price":"100","qty":"1","maker_order_id":"1","taker_order_id":"3","maker_account":"A","taker_account":"B","aggressor":"buy"}"#,
                    #"{"event":"order","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","status":"filled","filled_qty":"1","leaves_qty":"0","avg_price":"100"}"#,
                    #"{"event":"order","order_id":"3","client_order_id":"b1","account":"B","symbol":"X","status":"partially_filled","filled_qty":"1","leaves_qty":"2","avg_price":"100"}"#,
                    #"{"event":"book","symbol":"X","side":"sell","price":"100","qty":"0","orders":0}"#,
                    #"{"event":"trade","trade_id":"2","symbol":"X","price":"100.01","qty":"2","maker_order_id":"2","taker_order_id":"3","maker_account":"A","taker_account":"B","aggressor":"buy"}"#,
                    #"{"event":"order","order_id":"2","client_order_id":"a2","account":"A","symbol":"X","status":"filled","filled_qty":"2","leaves_qty":"0","avg_price":"100.01"}"#,
                    // (100 + 2 * 100.01) / 3 = 100.00666...
                    #"{"event":"order","order_id":"3","client_order_id":"b1","account":"B","symbol":"X","status":"filled","filled_qty":"3","leaves_qty":"0","avg_price":"100.0066666666666666666666667"}"#,
                    #"{"event":"book","symbol":"X","side":"sell","price":"100.01","qty":"0","orders":0}"#,
                ]
            ),
        ])
    }

    @Test("an iceberg reveals a new slice at the back of its level")
    func iceberg() {
        check([
            (
                #"{"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"sell","type":"limit","qty":"5","price":"10","display_qty":"2"}"#,
                [
                    #"{"event":"accepted","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","side":"sell","type":"limit","qty":"5","price":"10","tif":"gtc"}"#,
                    #"{"event":"book","symbol":"X","side":"sell","price":"10","qty":"2","orders":1}"#,
                ]
            ),
            (
                #"{"cmd":"new_order","symbol":"X","account":"C","client_order_id":"c1","side":"sell","type":"limit","qty":"1","price":"10"}"#,
                [
                    #"{"event":"accepted","order_id":"2","client_order_id":"c1","account":"C","symbol":"X","side":"sell","type":"limit","qty":"1","price":"10","tif":"gtc"}"#,
                    #"{"event":"book","symbol":"X","side":"sell","price":"10","qty":"3","orders":2}"#,
                ]
            ),
            (
                #"{"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b1","side":"buy","type":"limit","qty":"3","price":"10"}"#,
                [
                    #"{"event":"accepted","order_id":"3","client_order_id":"b1","account":"B","symbol":"X","side":"buy","type":"limit","qty":"3","price":"10","tif":"gtc"}"#,
                    #"{"event":"trade","trade_id":"1","symbol":"X","price":"10","qty":"2","maker_order_id":"1","taker_order_id":"3","maker_account":"A","taker_account":"B","aggressor":"buy"}"#,
                    #"{"event":"order","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","status":"partially_filled","filled_qty":"2","leaves_qty":"3","avg_price":"10"}"#,
                    #"{"event":"order","order_id":"3","client_order_id":"b1","account":"B","symbol":"X","status":"partially_filled","filled_qty":"2","leaves_qty":"1","avg_price":"10"}"#,
                    #"{"event":"book","symbol":"X","side":"sell","price":"10","qty":"3","orders":2}"#,
                    // The new slice went behind order 2.
                    #"{"event":"trade","trade_id":"2","symbol":"X","price":"10","qty":"1","maker_order_id":"2","taker_order_id":"3","maker_account":"C","taker_account":"B","aggressor":"buy"}"#,
                    #"{"event":"order","order_id":"2","client_order_id":"c1","account":"C","symbol":"X","status":"filled","filled_qty":"1","leaves_qty":"0","avg_price":"10"}"#,
                    #"{"event":"order","order_id":"3","client_order_id":"b1","account":"B","symbol":"X","status":"filled","filled_qty":"3","leaves_qty":"0","avg_price":"10"}"#,
                    #"{"event":"book","symbol":"X","side":"sell","price":"10","qty":"2","orders":1}"#,
                ]
            ),
            (
                #"{"cmd":"dump_book","symbol":"X"}"#,
                [
                    #"{"event":"book_snapshot","symbol":"X","bids":[],"asks":[{"order_id":"1","client_order_id":"a1","account":"A","price":"10","leaves_qty":"3","display_qty":"2"}],"stops":[]}"#
                ]
            ),
        ])
    }

    @Test("stops trigger in stop-list order and cascade through the work list")
    func stopCascade() {
        check([
            (
                #"{"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"sell","type":"limit","qty":"1","price":"10"}"#,
                [
                    #"{"event":"accepted","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","side":"sell","type":"limit","qty":"1","price":"10","tif":"gtc"}"#,
                    #"{"event":"book","symbol":"X","side":"sell","price":"10","qty":"1","orders":1}"#,
                ]
            ),
            (
                #"{"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a2","side":"sell","type":"limit","qty":"1","price":"11"}"#,
                [
                    #"{"event":"accepted","order_id":"2","client_order_id":"a2","account":"A","symbol":"X","side":"sell","type":"limit","qty":"1","price":"11","tif":"gtc"}"#,
                    #"{"event":"book","symbol":"X","side":"sell","price":"11","qty":"1","orders":1}"#,
                ]
            ),
            (
                #"{"cmd":"new_order","symbol":"X","account":"C","client_order_id":"c1","side":"buy","type":"stop","qty":"1","stop_price":"11"}"#,
                [
                    #"{"event":"accepted","order_id":"3","client_order_id":"c1","account":"C","symbol":"X","side":"buy","type":"stop","qty":"1","stop_price":"11","tif":"gtc"}"#
                ]
            ),
            (
                #"{"cmd":"new_order","symbol":"X","account":"C","client_order_id":"c2","side":"buy","type":"stop_limit","qty":"1","price":"10","stop_price":"10"}"#,
                [
                    #"{"event":"accepted","order_id":"4","client_order_id":"c2","account":"C","symbol":"X","side":"buy","type":"stop_limit","qty":"1","price":"10","stop_price":"10","tif":"gtc"}"#
                ]
            ),
            (
                #"{"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b1","side":"buy","type":"market","qty":"1"}"#,
                [
                    #"{"event":"accepted","order_id":"5","client_order_id":"b1","account":"B","symbol":"X","side":"buy","type":"market","qty":"1","tif":"gtc"}"#,
                    #"{"event":"trade","trade_id":"1","symbol":"X","price":"10","qty":"1","maker_order_id":"1","taker_order_id":"5","maker_account":"A","taker_account":"B","aggressor":"buy"}"#,
                    #"{"event":"order","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","status":"filled","filled_qty":"1","leaves_qty":"0","avg_price":"10"}"#,
                    #"{"event":"order","order_id":"5","client_order_id":"b1","account":"B","symbol":"X","status":"filled","filled_qty":"1","leaves_qty":"0","avg_price":"10"}"#,
                    #"{"event":"book","symbol":"X","side":"sell","price":"10","qty":"0","orders":0}"#,
                    // Last trade 10: the stop_limit at 10 triggers, rests (nothing at 10 to sell), no trade.
                    #"{"event":"order","order_id":"4","client_order_id":"c2","account":"C","symbol":"X","status":"triggered","filled_qty":"0","leaves_qty":"1"}"#,
                    #"{"event":"book","symbol":"X","side":"buy","price":"10","qty":"1","orders":1}"#,
                ]
            ),
            (
                #"{"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b2","side":"buy","type":"limit","qty":"1","price":"11"}"#,
                [
                    #"{"event":"accepted","order_id":"6","client_order_id":"b2","account":"B","symbol":"X","side":"buy","type":"limit","qty":"1","price":"11","tif":"gtc"}"#,
                    #"{"event":"trade","trade_id":"2","symbol":"X","price":"11","qty":"1","maker_order_id":"2","taker_order_id":"6","maker_account":"A","taker_account":"B","aggressor":"buy"}"#,
                    #"{"event":"order","order_id":"2","client_order_id":"a2","account":"A","symbol":"X","status":"filled","filled_qty":"1","leaves_qty":"0","avg_price":"11"}"#,
                    #"{"event":"order","order_id":"6","client_order_id":"b2","account":"B","symbol":"X","status":"filled","filled_qty":"1","leaves_qty":"0","avg_price":"11"}"#,
                    #"{"event":"book","symbol":"X","side":"sell","price":"11","qty":"0","orders":0}"#,
                    #"{"event":"order","order_id":"3","client_order_id":"c1","account":"C","symbol":"X","status":"triggered","filled_qty":"0","leaves_qty":"1"}"#,
                    #"{"event":"order","order_id":"3","client_order_id":"c1","account":"C","symbol":"X","status":"expired","filled_qty":"0","leaves_qty":"0","reason":"no_liquidity"}"#,
                ]
            ),
        ])
    }

    @Test("STP decrement shrinks both orders without a trade; FOK dry run counts it as filled")
    func decrementAndFOK() {
        check([
            (
                #"{"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"sell","type":"limit","qty":"2","price":"10"}"#,
                [
                    #"{"event":"accepted","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","side":"sell","type":"limit","qty":"2","price":"10","tif":"gtc"}"#,
                    #"{"event":"book","symbol":"X","side":"sell","price":"10","qty":"2","orders":1}"#,
                ]
            ),
            (
                #"{"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b1","side":"sell","type":"limit","qty":"3","price":"10"}"#,
                [
                    #"{"event":"accepted","order_id":"2","client_order_id":"b1","account":"B","symbol":"X","side":"sell","type":"limit","qty":"3","price":"10","tif":"gtc"}"#,
                    #"{"event":"book","symbol":"X","side":"sell","price":"10","qty":"5","orders":2}"#,
                ]
            ),
            // 4 = 2 decremented + 2 traded: filled (with qty now 2).
            (
                #"{"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a2","side":"buy","type":"limit","qty":"4","price":"10","tif":"fok","stp":"decrement"}"#,
                [
                    #"{"event":"accepted","order_id":"3","client_order_id":"a2","account":"A","symbol":"X","side":"buy","type":"limit","qty":"4","price":"10","tif":"fok"}"#,
                    #"{"event":"order","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","status":"cancelled","filled_qty":"0","leaves_qty":"0","reason":"self_trade"}"#,
                    #"{"event":"order","order_id":"3","client_order_id":"a2","account":"A","symbol":"X","status":"new","filled_qty":"0","leaves_qty":"2"}"#,
                    #"{"event":"book","symbol":"X","side":"sell","price":"10","qty":"3","orders":1}"#,
                    #"{"event":"trade","trade_id":"1","symbol":"X","price":"10","qty":"2","maker_order_id":"2","taker_order_id":"3","maker_account":"B","taker_account":"A","aggressor":"buy"}"#,
                    #"{"event":"order","order_id":"2","client_order_id":"b1","account":"B","symbol":"X","status":"partially_filled","filled_qty":"2","leaves_qty":"1","avg_price":"10"}"#,
                    #"{"event":"order","order_id":"3","client_order_id":"a2","account":"A","symbol":"X","status":"filled","filled_qty":"2","leaves_qty":"0","avg_price":"10"}"#,
                    #"{"event":"book","symbol":"X","side":"sell","price":"10","qty":"1","orders":1}"#,
                ]
            ),
            (
                #"{"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a3","side":"buy","type":"limit","qty":"2","price":"10","tif":"fok"}"#,
                [
                    #"{"event":"accepted","order_id":"4","client_order_id":"a3","account":"A","symbol":"X","side":"buy","type":"limit","qty":"2","price":"10","tif":"fok"}"#,
                    #"{"event":"order","order_id":"4","client_order_id":"a3","account":"A","symbol":"X","status":"expired","filled_qty":"0","leaves_qty":"0","reason":"fok_unfilled"}"#,
                ]
            ),
        ])
    }

    @Test("replace: keeping and losing priority, below filled, GTD expiry with ts")
    func replaceAndExpiry() {
        check([
            (
                #"{"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":"5","price":"10","tif":"gtd","expire_at":50}"#,
                [
                    #"{"event":"accepted","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","side":"buy","type":"limit","qty":"5","price":"10","tif":"gtd"}"#,
                    #"{"event":"book","symbol":"X","side":"buy","price":"10","qty":"5","orders":1}"#,
                ]
            ),
            (
                #"{"cmd":"replace","symbol":"X","account":"A","client_order_id":"a1","qty":"3","new_client_order_id":"a1b"}"#,
                [
                    #"{"event":"order","order_id":"1","client_order_id":"a1b","account":"A","symbol":"X","status":"new","filled_qty":"0","leaves_qty":"3"}"#,
                    #"{"event":"book","symbol":"X","side":"buy","price":"10","qty":"3","orders":1}"#,
                ]
            ),
            (
                #"{"cmd":"replace","symbol":"X","account":"A","order_id":1,"price":"10.5"}"#,
                [
                    #"{"event":"order","order_id":"1","client_order_id":"a1b","account":"A","symbol":"X","status":"replaced","filled_qty":"0","leaves_qty":"3"}"#,
                    #"{"event":"book","symbol":"X","side":"buy","price":"10","qty":"0","orders":0}"#,
                    #"{"event":"book","symbol":"X","side":"buy","price":"10.5","qty":"3","orders":1}"#,
                ]
            ),
            (
                #"{"cmd":"replace","symbol":"X","account":"A","order_id":"1","qty":"3"}"#,
                [
                    #"{"event":"rejected","order_id":"1","account":"A","symbol":"X","cmd":"replace","reason":"no_change"}"#
                ]
            ),
            (
                #"{"cmd":"replace","symbol":"X","account":"A","order_id":"1","stop_price":"3","ts":20}"#,
                [
                    #"{"event":"rejected","order_id":"1","account":"A","symbol":"X","cmd":"replace","reason":"malformed"}"#
                ]
            ),
            (
                #"{"cmd":"dump_book","symbol":"Q","ts":50}"#,
                [
                    #"{"event":"order","order_id":"1","client_order_id":"a1b","account":"A","symbol":"X","status":"expired","filled_qty":"0","leaves_qty":"0","reason":"gtd_expired"}"#,
                    #"{"event":"book","symbol":"X","side":"buy","price":"10.5","qty":"0","orders":0}"#,
                    #"{"event":"rejected","account":"","symbol":"Q","cmd":"dump_book","reason":"unknown_symbol"}"#,
                ]
            ),
        ])
    }
}

/// Field-by-field comparison of event lists: member order ignored, `message` ignored, decimal fields compared by
/// value; an `order_id` echoed in `rejected` may be a string or a number with the same text.
enum DifferentialComparison {
    /// Fields holding decimal strings, compared by numeric value.
    static func isDecimalField(_ name: String) -> Bool {
        switch name {
        case "price", "qty", "stop_price", "filled_qty", "leaves_qty", "avg_price", "display_qty": return true
        default: return false
        }
    }

    /// Fields never compared.
    static func isIgnoredField(_ name: String) -> Bool { name == "message" }

    /// A description of the first difference, or nil when the lists are equal.
    static func difference(expected: [JSONValue], actual: [JSONValue]) -> String? {
        for (index, (wanted, got)) in zip(expected, actual).enumerated() {
            if let difference = difference(wanted, got, field: nil) { return "event \(index + 1)\(difference)" }
        }
        if expected.count != actual.count { return "expected \(expected.count) events, got \(actual.count)" }
        return nil
    }

    private static func mismatch(_ expected: JSONValue, _ actual: JSONValue) -> String {
        ": expected \(ReferenceJSON.render(expected)), got \(ReferenceJSON.render(actual))"
    }

    /// The first difference as a path suffix and a message (e.g. `.price: expected "1", got "2"`), or nil.
    private static func difference(_ expected: JSONValue, _ actual: JSONValue, field: String?) -> String? {
        if let field, isDecimalField(field), case .string(let wanted) = expected {
            guard case .string(let got) = actual else { return mismatch(expected, actual) }
            if got == wanted { return nil }
            guard let canonicalGot = RefNumbers.canonical(got), canonicalGot == RefNumbers.canonical(wanted) else {
                return mismatch(expected, actual)
            }
            return nil
        }
        if field == "order_id" {
            switch (expected, actual) {
            case (.string(let a), .number(let b)), (.number(let a), .string(let b)), (.string(let a), .string(let b)):
                return a == b ? nil : mismatch(expected, actual)
            default: break
            }
        }
        switch (expected, actual) {
        case (.object(let wantedMembers), .object(let gotMembers)):
            var compared = 0
            for (key, wanted) in wantedMembers where !isIgnoredField(key) {
                guard let got = actual[key] else { return ": missing field \(key)" }
                if let difference = difference(wanted, got, field: key) { return ".\(key)\(difference)" }
                compared += 1
            }
            var gotCount = 0
            for member in gotMembers where !isIgnoredField(member.0) { gotCount += 1 }
            if gotCount != compared {
                let extra = gotMembers.map(\.0).filter { !isIgnoredField($0) && expected[$0] == nil }
                if extra.isEmpty { return ": repeated field(s)" + mismatch(expected, actual) }
                return ": unexpected field(s) \(extra.joined(separator: ", "))"
            }
            return nil
        case (.array(let wantedElements), .array(let gotElements)):
            for (index, (wanted, got)) in zip(wantedElements, gotElements).enumerated() {
                if let difference = difference(wanted, got, field: nil) { return "[\(index)]\(difference)" }
            }
            if wantedElements.count != gotElements.count {
                return ": expected \(wantedElements.count) elements, got \(gotElements.count)"
            }
            return nil
        default:
            return expected == actual ? nil : mismatch(expected, actual)
        }
    }
}
