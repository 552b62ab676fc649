import Testing

/// Rule 13 of the matching contract: validation, one reason at a time, then the precedence between reasons.
@Suite("contract rule 13: validation")
struct ContractRule13ValidationTests {
    @Test("rule 13: malformed: a bad field, type, enum value or number, and the engine goes on")
    func malformed() {
        var s = ContractScenario()
        let rejected = #"""
            {"event":"rejected","client_order_id":"a1","account":"A","symbol":"X","cmd":"new_order","reason":"malformed"}
            """#
        let base = #""symbol":"X","account":"A","client_order_id":"a1""#
        for fields in [
            #""side":"buy","type":"limit","price":"100""#,
            #""type":"limit","qty":"1","price":"100""#,
            #""side":"up","type":"limit","qty":"1","price":"100""#,
            #""side":"buy","qty":"1","price":"100""#,
            #""side":"buy","type":"iceberg","qty":"1","price":"100""#,
            #""side":"buy","type":"limit","qty":"1","price":"100","tif":"gtx""#,
            #""side":"buy","type":"limit","qty":"1","price":"100","tif":5"#,
            #""side":"buy","type":"limit","qty":"1","price":"100","stp":"maybe""#,
            #""side":"buy","type":"limit","qty":"1","price":"100","post_only":1"#,
            #""side":"BUY","type":"limit","qty":"1","price":"100""#,
            #""side":"buy","type":"limit","qty":"1","price":100"#,
        ] {
            s.expectLast(#"{"cmd":"new_order","# + base + "," + fields + "}", answers: rejected)
        }
        s.expect(
            #"""
            > {"cmd":"new_order","symbol":"X","account":"A","client_order_id":7,"side":"buy","type":"limit","qty":"1","price":"100"}
            {"event":"rejected","account":"A","symbol":"X","cmd":"new_order","reason":"malformed"}
            > {"cmd":"new_order","symbol":"X","account":"A","side":"buy","type":"limit","qty":"1","price":"100"}
            {"event":"rejected","account":"A","symbol":"X","cmd":"new_order","reason":"malformed"}
            > {"cmd":"new_order","symbol":"X","client_order_id":"a1","side":"buy","type":"limit","qty":"1","price":"100"}
            {"event":"rejected","client_order_id":"a1","account":"","symbol":"X","cmd":"new_order","reason":"malformed"}
            > {"cmd":"new_order","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":"1","price":"100"}
            {"event":"rejected","client_order_id":"a1","account":"A","symbol":"","cmd":"new_order","reason":"malformed"}
            > {"cmd":"replace","symbol":"X","account":"A","order_id":"1","price":"1.0.0"}
            {"event":"rejected","order_id":"1","account":"A","symbol":"X","cmd":"replace","reason":"malformed"}
            > {"cmd":"replace","symbol":"X","account":"A","order_id":{},"price":"100"}
            {"event":"rejected","account":"A","symbol":"X","cmd":"replace","reason":"malformed"}
            > {"cmd":"mass_cancel","account":"A","symbol":5}
            {"event":"rejected","account":"A","symbol":"","cmd":"mass_cancel","reason":"malformed"}
            > garbage
            {"event":"rejected","account":"","symbol":"","cmd":"","reason":"malformed"}
            > {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":"1","price":"100"}
            {"event":"accepted","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","side":"buy","type":"limit","qty":"1","price":"100","tif":"gtc"}
            {"event":"book","symbol":"X","side":"buy","price":"100","qty":"1","orders":1}
            """#)
    }

    @Test("rule 13: unknown_symbol, for every command that names a symbol")
    func unknownSymbol() {
        var s = ContractScenario()
        s.expect(
            #"""
            > {"cmd":"new_order","symbol":"Q","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":"1","price":"100"}
            {"event":"rejected","client_order_id":"a1","account":"A","symbol":"Q","cmd":"new_order","reason":"unknown_symbol"}
            > {"cmd":"cancel","symbol":"Q","account":"A","client_order_id":"a1"}
            {"event":"rejected","client_order_id":"a1","account":"A","symbol":"Q","cmd":"cancel","reason":"unknown_symbol"}
            > {"cmd":"replace","symbol":"Q","account":"A","order_id":"1","qty":"2"}
            {"event":"rejected","order_id":"1","account":"A","symbol":"Q","cmd":"replace","reason":"unknown_symbol"}
            > {"cmd":"mass_cancel","symbol":"Q","account":"A"}
            {"event":"rejected","account":"A","symbol":"Q","cmd":"mass_cancel","reason":"unknown_symbol"}
            > {"cmd":"halt","symbol":"Q"}
            {"event":"rejected","account":"","symbol":"Q","cmd":"halt","reason":"unknown_symbol"}
            > {"cmd":"resume","symbol":"Q"}
            {"event":"rejected","account":"","symbol":"Q","cmd":"resume","reason":"unknown_symbol"}
            > {"cmd":"end_session","symbol":"Q"}
            {"event":"rejected","account":"","symbol":"Q","cmd":"end_session","reason":"unknown_symbol"}
            > {"cmd":"dump_book","symbol":"Q"}
            {"event":"rejected","account":"","symbol":"Q","cmd":"dump_book","reason":"unknown_symbol"}
            """#)
    }

    @Test("rule 13: missing_price, for limit and stop_limit orders")
    func missingPrice() {
        var s = ContractScenario()
        s.expect(
            #"""
            > {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":"1"}
            {"event":"rejected","client_order_id":"a1","account":"A","symbol":"X","cmd":"new_order","reason":"missing_price"}
            > {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"buy","type":"stop_limit","qty":"1","stop_price":"100"}
            {"event":"rejected","client_order_id":"a1","account":"A","symbol":"X","cmd":"new_order","reason":"missing_price"}
            """#)
    }

    @Test("rule 13: missing_stop_price, for stop and stop_limit orders")
    func missingStopPrice() {
        var s = ContractScenario()
        s.expect(
            #"""
            > {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"buy","type":"stop","qty":"1"}
            {"event":"rejected","client_order_id":"a1","account":"A","symbol":"X","cmd":"new_order","reason":"missing_stop_price"}
            > {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"buy","type":"stop_limit","qty":"1","price":"100"}
            {"event":"rejected","client_order_id":"a1","account":"A","symbol":"X","cmd":"new_order","reason":"missing_stop_price"}
            """#)
    }

    @Test("rule 13: off_tick, on new orders and replaces")
    func offTick() {
        var s = ContractScenario()
        s.expect(
            #"""
            > {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":"1","price":"99.999"}
            {"event":"rejected","client_order_id":"a1","account":"A","symbol":"X","cmd":"new_order","reason":"off_tick"}
            > {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"buy","type":"stop","qty":"1","stop_price":"0"}
            {"event":"rejected","client_order_id":"a1","account":"A","symbol":"X","cmd":"new_order","reason":"off_tick"}
            > {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":"1","price":"99"}
            {"event":"accepted","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","side":"buy","type":"limit","qty":"1","price":"99","tif":"gtc"}
            {"event":"book","symbol":"X","side":"buy","price":"99","qty":"1","orders":1}
            > {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a2","side":"buy","type":"stop","qty":"1","stop_price":"105"}
            {"event":"accepted","order_id":"2","client_order_id":"a2","account":"A","symbol":"X","side":"buy","type":"stop","qty":"1","stop_price":"105","tif":"gtc"}
            > {"cmd":"replace","symbol":"X","account":"A","order_id":"1","price":"99.005"}
            {"event":"rejected","order_id":"1","account":"A","symbol":"X","cmd":"replace","reason":"off_tick"}
            > {"cmd":"replace","symbol":"X","account":"A","order_id":"1","price":"-99"}
            {"event":"rejected","order_id":"1","account":"A","symbol":"X","cmd":"replace","reason":"off_tick"}
            > {"cmd":"replace","symbol":"X","account":"A","order_id":"2","stop_price":"0.001"}
            {"event":"rejected","order_id":"2","account":"A","symbol":"X","cmd":"replace","reason":"off_tick"}
            """#)
    }

    @Test("rule 13: off_lot, on new orders and replaces")
    func offLot() {
        var s = ContractScenario()
        s.expect(
            #"""
            > {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":"0.5","price":"99"}
            {"event":"rejected","client_order_id":"a1","account":"A","symbol":"X","cmd":"new_order","reason":"off_lot"}
            > {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":"1","price":"99"}
            {"event":"accepted","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","side":"buy","type":"limit","qty":"1","price":"99","tif":"gtc"}
            {"event":"book","symbol":"X","side":"buy","price":"99","qty":"1","orders":1}
            > {"cmd":"replace","symbol":"X","account":"A","order_id":"1","qty":"2.5"}
            {"event":"rejected","order_id":"1","account":"A","symbol":"X","cmd":"replace","reason":"off_lot"}
            > {"cmd":"replace","symbol":"X","account":"A","order_id":"1","qty":"0"}
            {"event":"rejected","order_id":"1","account":"A","symbol":"X","cmd":"replace","reason":"off_lot"}
            """#)
    }

    @Test("rule 13: invalid_tif")
    func invalidTif() {
        var s = ContractScenario()
        let lines = [
            #"""
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"buy","type":"market","qty":"1","tif":"day"}
            """#,
            #"""
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"buy","type":"stop","qty":"1","stop_price":"1","tif":"gtd","expire_at":1000}
            """#,
            #"""
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":"1","price":"1","tif":"ioc","post_only":true}
            """#,
        ]
        for line in lines {
            s.expectLast(
                line,
                answers: #"""
                    {"event":"rejected","client_order_id":"a1","account":"A","symbol":"X","cmd":"new_order","reason":"invalid_tif"}
                    """#)
        }
    }

    @Test("rule 13: invalid_display_qty")
    func invalidDisplayQty() {
        var s = ContractScenario()
        s.expect(
            #"""
            > {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":"3","price":"1","display_qty":"3"}
            {"event":"rejected","client_order_id":"a1","account":"A","symbol":"X","cmd":"new_order","reason":"invalid_display_qty"}
            > {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"buy","type":"market","qty":"3","display_qty":"1"}
            {"event":"rejected","client_order_id":"a1","account":"A","symbol":"X","cmd":"new_order","reason":"invalid_display_qty"}
            """#)
    }

    @Test("rule 13: invalid_expire_at")
    func invalidExpireAt() {
        var s = ContractScenario()
        s.expect(
            #"""
            > {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":"1","price":"1","tif":"gtd"}
            {"event":"rejected","client_order_id":"a1","account":"A","symbol":"X","cmd":"new_order","reason":"invalid_expire_at"}
            > {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":"1","price":"1","tif":"gtd","expire_at":0}
            {"event":"rejected","client_order_id":"a1","account":"A","symbol":"X","cmd":"new_order","reason":"invalid_expire_at"}
            """#)
    }

    /// An instrument with tick 0.5, lot 0.5, quantity between 1.5 and 3 and notional of at least 10.25.
    private static let boundedInstrument = #"""
        {"cmd":"add_instrument","symbol":"Z","tick_size":"0.5","lot_size":"0.5","min_qty":"1.5","max_qty":"3","min_notional":"10.25"}
        """#

    @Test("rule 13: qty_below_min, the minimum itself included")
    func qtyBelowMin() {
        var s = ContractScenario(Self.boundedInstrument)
        s.expect(
            #"""
            > {"cmd":"new_order","symbol":"Z","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":"1","price":"100"}
            {"event":"rejected","client_order_id":"a1","account":"A","symbol":"Z","cmd":"new_order","reason":"qty_below_min"}
            > {"cmd":"new_order","symbol":"Z","account":"A","client_order_id":"a1","side":"buy","type":"market","qty":"1"}
            {"event":"rejected","client_order_id":"a1","account":"A","symbol":"Z","cmd":"new_order","reason":"qty_below_min"}
            // 1.5 x 7 = 10.5 >= 10.25
            > {"cmd":"new_order","symbol":"Z","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":"1.5","price":"7"}
            {"event":"accepted","order_id":"1","client_order_id":"a1","account":"A","symbol":"Z","side":"buy","type":"limit","qty":"1.5","price":"7","tif":"gtc"}
            {"event":"book","symbol":"Z","side":"buy","price":"7","qty":"1.5","orders":1}
            """#)
    }

    @Test("rule 13: qty_above_max, the maximum itself included")
    func qtyAboveMax() {
        var s = ContractScenario(Self.boundedInstrument)
        s.expect(
            #"""
            > {"cmd":"new_order","symbol":"Z","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":"3.5","price":"100"}
            {"event":"rejected","client_order_id":"a1","account":"A","symbol":"Z","cmd":"new_order","reason":"qty_above_max"}
            > {"cmd":"new_order","symbol":"Z","account":"A","client_order_id":"a1","side":"buy","type":"stop","qty":"3.5","stop_price":"100"}
            {"event":"rejected","client_order_id":"a1","account":"A","symbol":"Z","cmd":"new_order","reason":"qty_above_max"}
            > {"cmd":"new_order","symbol":"Z","account":"A","client_order_id":"a2","side":"buy","type":"limit","qty":"3","price":"6.5"}
            {"event":"accepted","order_id":"1","client_order_id":"a2","account":"A","symbol":"Z","side":"buy","type":"limit","qty":"3","price":"6.5","tif":"gtc"}
            {"event":"book","symbol":"Z","side":"buy","price":"6.5","qty":"3","orders":1}
            """#)
    }

    @Test("rule 13: notional_below_min, for limit and stop_limit orders")
    func notionalBelowMin() {
        var s = ContractScenario(Self.boundedInstrument)
        s.expect(
            #"""
            > {"cmd":"new_order","symbol":"Z","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":"2","price":"5"}
            {"event":"rejected","client_order_id":"a1","account":"A","symbol":"Z","cmd":"new_order","reason":"notional_below_min"}
            > {"cmd":"new_order","symbol":"Z","account":"A","client_order_id":"a1","side":"buy","type":"stop_limit","qty":"2","price":"5","stop_price":"50"}
            {"event":"rejected","client_order_id":"a1","account":"A","symbol":"Z","cmd":"new_order","reason":"notional_below_min"}
            > {"cmd":"new_order","symbol":"Z","account":"A","client_order_id":"a1","side":"buy","type":"stop_limit","qty":"2","price":"5.5","stop_price":"50"}
            {"event":"accepted","order_id":"1","client_order_id":"a1","account":"A","symbol":"Z","side":"buy","type":"stop_limit","qty":"2","price":"5.5","stop_price":"50","tif":"gtc"}
            """#)
    }

    @Test("rule 13: notional_below_min is inclusive at the exact minimum")
    func notionalInclusive() {
        var s = ContractScenario(
            #"""
            {"cmd":"add_instrument","symbol":"Z","tick_size":"0.25","lot_size":"1","min_notional":"10.5"}
            """#)
        s.expect(
            #"""
            > {"cmd":"new_order","symbol":"Z","account":"A","client_order_id":"a1","side":"sell","type":"limit","qty":"2","price":"5"}
            {"event":"rejected","client_order_id":"a1","account":"A","symbol":"Z","cmd":"new_order","reason":"notional_below_min"}
            > {"cmd":"new_order","symbol":"Z","account":"A","client_order_id":"a1","side":"sell","type":"limit","qty":"2","price":"5.25"}
            {"event":"accepted","order_id":"1","client_order_id":"a1","account":"A","symbol":"Z","side":"sell","type":"limit","qty":"2","price":"5.25","tif":"gtc"}
            {"event":"book","symbol":"Z","side":"sell","price":"5.25","qty":"2","orders":1}
            """#)
    }

    @Test("rule 13: duplicate_client_order_id, on new orders and on replace's new_client_order_id")
    func duplicateClientOrderID() {
        var s = ContractScenario()
        s.run(
            #"""
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":"1","price":"99"}
            {"cmd":"new_order","symbol":"Y","account":"A","client_order_id":"a2","side":"buy","type":"limit","qty":"1","price":"99"}
            """#)
        s.expect(
            #"""
            > {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":"1","price":"98"}
            {"event":"rejected","client_order_id":"a1","account":"A","symbol":"X","cmd":"new_order","reason":"duplicate_client_order_id"}
            > {"cmd":"replace","symbol":"X","account":"A","order_id":"1","qty":"2","new_client_order_id":"a2"}
            {"event":"rejected","order_id":"1","account":"A","symbol":"X","cmd":"replace","reason":"duplicate_client_order_id"}
            """#)
    }

    @Test("rule 13: halted, on new orders and replaces")
    func halted() {
        var s = ContractScenario()
        s.run(
            #"""
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":"1","price":"99"}
            {"cmd":"halt","symbol":"X"}
            """#)
        s.expect(
            #"""
            > {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a2","side":"buy","type":"limit","qty":"1","price":"98"}
            {"event":"rejected","client_order_id":"a2","account":"A","symbol":"X","cmd":"new_order","reason":"halted"}
            > {"cmd":"replace","symbol":"X","account":"A","client_order_id":"a1","qty":"2"}
            {"event":"rejected","client_order_id":"a1","account":"A","symbol":"X","cmd":"replace","reason":"halted"}
            """#)
    }

    @Test("rule 13: would_cross, on new orders and replaces")
    func wouldCross() {
        var s = ContractScenario()
        s.run(
            #"""
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"sell","type":"limit","qty":"1","price":"101","post_only":true}
            {"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b1","side":"buy","type":"limit","qty":"1","price":"99"}
            """#)
        s.expect(
            #"""
            > {"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b2","side":"buy","type":"limit","qty":"1","price":"101","post_only":true}
            {"event":"rejected","client_order_id":"b2","account":"B","symbol":"X","cmd":"new_order","reason":"would_cross"}
            > {"cmd":"replace","symbol":"X","account":"A","order_id":"1","price":"99"}
            {"event":"rejected","order_id":"1","account":"A","symbol":"X","cmd":"replace","reason":"would_cross"}
            """#)
    }

    @Test("rule 13: unknown_order, on cancel and replace")
    func unknownOrder() {
        var s = ContractScenario()
        s.run(
            #"""
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":"1","price":"99"}
            """#)
        s.expect(
            #"""
            > {"cmd":"cancel","symbol":"X","account":"A","order_id":"2"}
            {"event":"rejected","order_id":"2","account":"A","symbol":"X","cmd":"cancel","reason":"unknown_order"}
            > {"cmd":"replace","symbol":"X","account":"B","order_id":"1","qty":"2"}
            {"event":"rejected","order_id":"1","account":"B","symbol":"X","cmd":"replace","reason":"unknown_order"}
            > {"cmd":"replace","symbol":"Y","account":"A","order_id":"1","qty":"2"}
            {"event":"rejected","order_id":"1","account":"A","symbol":"Y","cmd":"replace","reason":"unknown_order"}
            > {"cmd":"replace","symbol":"X","account":"A","client_order_id":"nope","qty":"2"}
            {"event":"rejected","client_order_id":"nope","account":"A","symbol":"X","cmd":"replace","reason":"unknown_order"}
            """#)
    }

    @Test("rule 13: no_change")
    func noChange() {
        var s = ContractScenario()
        s.run(
            #"""
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"buy","type":"stop_limit","qty":"2","price":"99","stop_price":"98"}
            """#)
        s.expect(
            #"""
            > {"cmd":"replace","symbol":"X","account":"A","order_id":"1","price":"99","stop_price":"98","qty":"2","new_client_order_id":"a1"}
            {"event":"rejected","order_id":"1","account":"A","symbol":"X","cmd":"replace","reason":"no_change"}
            """#)
    }

    @Test("rule 13: duplicate_symbol")
    func duplicateSymbol() {
        var s = ContractScenario()
        s.expect(
            #"""
            > {"cmd":"add_instrument","symbol":"Y","tick_size":"1","lot_size":"1"}
            {"event":"rejected","account":"","symbol":"Y","cmd":"add_instrument","reason":"duplicate_symbol"}
            """#)
    }

    @Test("rule 13: new_order reasons take precedence in the contract's order when two apply at once")
    func newOrderPrecedence() {
        var s = ContractScenario(
            #"""
            {"cmd":"add_instrument","symbol":"X","tick_size":"0.01","lot_size":"1"}
            {"cmd":"add_instrument","symbol":"Z","tick_size":"0.01","lot_size":"1","min_qty":"2","max_qty":"100","min_notional":"1000"}
            {"cmd":"new_order","symbol":"Z","account":"A","client_order_id":"dup","side":"buy","type":"limit","qty":"50","price":"50"}
            {"cmd":"new_order","symbol":"Z","account":"B","client_order_id":"b1","side":"sell","type":"limit","qty":"50","price":"60"}
            {"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b2","side":"sell","type":"limit","qty":"1","price":"50"}
            {"cmd":"halt","symbol":"X"}
            """#)
        // Each case breaks the named rule and the one after it in the contract's list.
        let cases: [(reason: String, symbol: String, fields: String)] = [
            ("malformed", "Q", #""side":"up","type":"limit","qty":"1","price":"100""#),
            ("malformed", "Q", #""side":"buy","type":"limit","qty":"1","price":"1e2""#),
            ("unknown_symbol", "Q", #""side":"buy","type":"limit","qty":"1""#),
            ("missing_price", "Z", #""side":"buy","type":"stop_limit","qty":"20""#),
            ("missing_stop_price", "Z", #""side":"buy","type":"stop_limit","qty":"20","price":"50.001""#),
            ("off_tick", "Z", #""side":"buy","type":"stop_limit","qty":"20","price":"50.001","stop_price":"49.999""#),
            ("off_tick", "Z", #""side":"buy","type":"limit","qty":"20.5","price":"50.001""#),
            ("off_lot", "Z", #""side":"buy","type":"market","qty":"20.5","tif":"day""#),
            ("invalid_tif", "Z", #""side":"buy","type":"market","qty":"20","tif":"day","display_qty":"5""#),
            (
                "invalid_display_qty", "Z",
                #""side":"buy","type":"limit","qty":"20","price":"55","display_qty":"20","tif":"gtd""#
            ),
            (
                "invalid_expire_at", "Z",
                #""side":"buy","type":"limit","qty":"1","price":"55","tif":"gtd","expire_at":0"#
            ),
            ("qty_below_min", "Z", #""side":"buy","type":"limit","qty":"1","price":"55""#),
            ("qty_above_max", "Z", #""side":"buy","type":"limit","qty":"101","price":"1""#),
            ("notional_below_min", "Z", #""side":"buy","type":"limit","qty":"10","price":"55""#),
            ("duplicate_client_order_id", "X", #""side":"buy","type":"limit","qty":"10","price":"55""#),
            ("halted", "X", #""side":"buy","type":"limit","qty":"10","price":"55","post_only":true"#),
        ]
        for (reason, symbol, fields) in cases {
            let clientOrderID = reason == "duplicate_client_order_id" ? "dup" : "a9"
            s.expectLast(
                #"{"cmd":"new_order","symbol":"\#(symbol)","account":"A","client_order_id":"\#(clientOrderID)","#
                    + fields + "}",
                answers: #"""
                    {"event":"rejected","client_order_id":"\#(clientOrderID)","account":"A","symbol":"\#(symbol)","cmd":"new_order","reason":"\#(reason)"}
                    """#)
        }
        // notional_below_min before duplicate_client_order_id, and duplicate_client_order_id before would_cross.
        s.expect(
            #"""
            > {"cmd":"new_order","symbol":"Z","account":"A","client_order_id":"dup","side":"buy","type":"limit","qty":"10","price":"55"}
            {"event":"rejected","client_order_id":"dup","account":"A","symbol":"Z","cmd":"new_order","reason":"notional_below_min"}
            > {"cmd":"new_order","symbol":"Z","account":"A","client_order_id":"dup","side":"buy","type":"limit","qty":"20","price":"60","post_only":true}
            {"event":"rejected","client_order_id":"dup","account":"A","symbol":"Z","cmd":"new_order","reason":"duplicate_client_order_id"}
            """#)
    }

    @Test("rule 13: replace reasons take precedence in the contract's order when two apply at once")
    func replacePrecedence() {
        var s = ContractScenario(
            #"""
            {"cmd":"add_instrument","symbol":"X","tick_size":"0.01","lot_size":"1"}
            {"cmd":"add_instrument","symbol":"Z","tick_size":"0.01","lot_size":"1","min_qty":"2","max_qty":"100","min_notional":"1000"}
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"x1","side":"buy","type":"limit","qty":"5","price":"99"}
            {"cmd":"new_order","symbol":"Z","account":"A","client_order_id":"z1","side":"sell","type":"limit","qty":"20","price":"60","post_only":true}
            {"cmd":"new_order","symbol":"Z","account":"A","client_order_id":"z2","side":"buy","type":"limit","qty":"20","price":"58"}
            {"cmd":"new_order","symbol":"Z","account":"B","client_order_id":"b1","side":"buy","type":"market","qty":"2"}
            {"cmd":"halt","symbol":"X"}
            """#)
        // Orders: 1 on halted X; 2 post-only sell 20 @ 60 on Z with 2 filled; 3 buy 20 @ 58 on Z; 4 filled.
        s.expect(
            #"""
            // malformed (a bad number) before unknown_symbol
            > {"cmd":"replace","symbol":"Q","account":"A","order_id":"1","price":"1e2"}
            {"event":"rejected","order_id":"1","account":"A","symbol":"Q","cmd":"replace","reason":"malformed"}
            // unknown_symbol before unknown_order
            > {"cmd":"replace","symbol":"Q","account":"A","order_id":"99","qty":"2"}
            {"event":"rejected","order_id":"99","account":"A","symbol":"Q","cmd":"replace","reason":"unknown_symbol"}
            // unknown_order before halted
            > {"cmd":"replace","symbol":"X","account":"A","order_id":"99","qty":"2"}
            {"event":"rejected","order_id":"99","account":"A","symbol":"X","cmd":"replace","reason":"unknown_order"}
            // halted before a field that does not apply
            > {"cmd":"replace","symbol":"X","account":"A","order_id":"1","stop_price":"98"}
            {"event":"rejected","order_id":"1","account":"A","symbol":"X","cmd":"replace","reason":"halted"}
            // a field that does not apply (malformed) before off_tick
            > {"cmd":"replace","symbol":"Z","account":"A","order_id":"2","stop_price":"60.001"}
            {"event":"rejected","order_id":"2","account":"A","symbol":"Z","cmd":"replace","reason":"malformed"}
            // off_tick before off_lot
            > {"cmd":"replace","symbol":"Z","account":"A","order_id":"2","price":"60.001","qty":"20.5"}
            {"event":"rejected","order_id":"2","account":"A","symbol":"Z","cmd":"replace","reason":"off_tick"}
            // off_lot before duplicate_client_order_id
            > {"cmd":"replace","symbol":"Z","account":"A","order_id":"2","qty":"20.5","new_client_order_id":"z2"}
            {"event":"rejected","order_id":"2","account":"A","symbol":"Z","cmd":"replace","reason":"off_lot"}
            // duplicate_client_order_id before no_change
            > {"cmd":"replace","symbol":"Z","account":"A","order_id":"2","price":"60","new_client_order_id":"x1"}
            {"event":"rejected","order_id":"2","account":"A","symbol":"Z","cmd":"replace","reason":"duplicate_client_order_id"}
            // no_change before the quantity bounds (the order itself is valid)
            > {"cmd":"replace","symbol":"Z","account":"A","order_id":"2","qty":"20","price":"60"}
            {"event":"rejected","order_id":"2","account":"A","symbol":"Z","cmd":"replace","reason":"no_change"}
            // qty_below_min before notional_below_min
            > {"cmd":"replace","symbol":"Z","account":"A","order_id":"3","qty":"1"}
            {"event":"rejected","order_id":"3","account":"A","symbol":"Z","cmd":"replace","reason":"qty_below_min"}
            // qty_above_max before notional_below_min
            > {"cmd":"replace","symbol":"Z","account":"A","order_id":"3","qty":"101","price":"1"}
            {"event":"rejected","order_id":"3","account":"A","symbol":"Z","cmd":"replace","reason":"qty_above_max"}
            // notional_below_min before would_cross
            > {"cmd":"replace","symbol":"Z","account":"A","order_id":"2","price":"40"}
            {"event":"rejected","order_id":"2","account":"A","symbol":"Z","cmd":"replace","reason":"notional_below_min"}
            > {"cmd":"replace","symbol":"Z","account":"A","order_id":"2","price":"58"}
            {"event":"rejected","order_id":"2","account":"A","symbol":"Z","cmd":"replace","reason":"would_cross"}
            // replaced_below_filled (a cancel) before qty_below_min: order 2 has 2 filled.
            > {"cmd":"replace","symbol":"Z","account":"A","order_id":"2","qty":"1"}
            {"event":"order","order_id":"2","client_order_id":"z1","account":"A","symbol":"Z","status":"cancelled","filled_qty":"2","leaves_qty":"0","avg_price":"60","reason":"replaced_below_filled"}
            {"event":"book","symbol":"Z","side":"sell","price":"60","qty":"0","orders":0}
            """#)
    }

    @Test("rule 13: cancel, mass_cancel, halt, resume, end_session and dump_book check malformed, then unknown_symbol")
    func otherCommandsPrecedence() {
        var s = ContractScenario()
        s.expect(
            #"""
            > {"cmd":"cancel","symbol":"Q","order_id":"1"}
            {"event":"rejected","order_id":"1","account":"","symbol":"Q","cmd":"cancel","reason":"malformed"}
            > {"cmd":"cancel","symbol":"Q","account":"A","order_id":"1"}
            {"event":"rejected","order_id":"1","account":"A","symbol":"Q","cmd":"cancel","reason":"unknown_symbol"}
            > {"cmd":"mass_cancel","account":"A","symbol":"Q","side":"up"}
            {"event":"rejected","account":"A","symbol":"Q","cmd":"mass_cancel","reason":"malformed"}
            > {"cmd":"halt","symbol":"Q","ts":"1"}
            {"event":"rejected","account":"","symbol":"Q","cmd":"halt","reason":"malformed"}
            > {"cmd":"resume","symbol":"Q","ts":-1.5}
            {"event":"rejected","account":"","symbol":"Q","cmd":"resume","reason":"malformed"}
            > {"cmd":"end_session","symbol":"Q","ts":true}
            {"event":"rejected","account":"","symbol":"Q","cmd":"end_session","reason":"malformed"}
            > {"cmd":"dump_book","symbol":"Q","ts":"x"}
            {"event":"rejected","account":"","symbol":"Q","cmd":"dump_book","reason":"malformed"}
            """#)
    }
}
