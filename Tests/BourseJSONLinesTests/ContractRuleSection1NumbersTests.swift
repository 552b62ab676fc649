import Testing

/// Section 1 of the matching contract: numbers.
@Suite("contract section 1: numbers")
struct ContractRuleSection1NumbersTests {
    @Test("section 1: prices and quantities are decimal strings, compared by value")
    func decimalStrings() {
        var s = ContractScenario(
            #"""
            {"cmd":"add_instrument","symbol":"Z","tick_size":"0.25","lot_size":"0.1"}
            """#)
        s.expect(
            #"""
            > {"cmd":"new_order","symbol":"Z","account":"A","client_order_id":"a1","side":"sell","type":"limit","qty":"1.5","price":"101.25"}
            {"event":"accepted","order_id":"1","client_order_id":"a1","account":"A","symbol":"Z","side":"sell","type":"limit","qty":"1.5","price":"101.25","tif":"gtc"}
            {"event":"book","symbol":"Z","side":"sell","price":"101.25","qty":"1.5","orders":1}
            > {"cmd":"new_order","symbol":"Z","account":"B","client_order_id":"b1","side":"buy","type":"limit","qty":"0.50","price":"101.500"}
            {"event":"accepted","order_id":"2","client_order_id":"b1","account":"B","symbol":"Z","side":"buy","type":"limit","qty":"0.5","price":"101.5","tif":"gtc"}
            {"event":"trade","trade_id":"1","symbol":"Z","price":"101.25","qty":"0.5","maker_order_id":"1","taker_order_id":"2","maker_account":"A","taker_account":"B","aggressor":"buy"}
            {"event":"order","order_id":"1","client_order_id":"a1","account":"A","symbol":"Z","status":"partially_filled","filled_qty":"0.5","leaves_qty":"1","avg_price":"101.25"}
            {"event":"order","order_id":"2","client_order_id":"b1","account":"B","symbol":"Z","status":"filled","filled_qty":"0.5","leaves_qty":"0","avg_price":"101.25"}
            {"event":"book","symbol":"Z","side":"sell","price":"101.25","qty":"1.0","orders":1}
            > {"cmd":"new_order","symbol":"Z","account":"B","client_order_id":"b2","side":"buy","type":"limit","qty":"0.1","price":"0100.00"}
            {"event":"accepted","order_id":"3","client_order_id":"b2","account":"B","symbol":"Z","side":"buy","type":"limit","qty":"0.1","price":"100","tif":"gtc"}
            {"event":"book","symbol":"Z","side":"buy","price":"100","qty":"0.1","orders":1}
            """#)
    }

    @Test("section 1: every malformed number form is malformed and has no effect")
    func malformedNumberForms() {
        // The contract's list (a JSON number, "1e3", "+1", ".5", "NaN") and other texts that are not an
        // optional sign, decimal digits and an optional fraction.
        let forms = [
            #"101"#, #""1e3""#, #""+1""#, #"".5""#, #""NaN""#, #""""#, #""1.""#, #""-""#, #""1.2.3""#, #"" 1""#,
            #""1 ""#, #""0x10""#, #""Infinity""#, #""1,5""#, #""--1""#, #"true"#, #"["1"]"#, #"{}"#,
        ]
        var s = ContractScenario()
        let rejected = #"""
            {"event":"rejected","client_order_id":"a1","account":"A","symbol":"X","cmd":"new_order","reason":"malformed"}
            """#
        for form in forms {
            s.expectLast(
                #"""
                {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":"1","price":\#(form)}
                """#, answers: rejected)
            s.expectLast(
                #"""
                {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":\#(form),"price":"100"}
                """#, answers: rejected)
            s.expectLast(
                #"""
                {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"buy","type":"stop_limit","qty":"1","price":"100","stop_price":\#(form)}
                """#, answers: rejected)
            s.expectLast(
                #"""
                {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":"5","price":"100","display_qty":\#(form)}
                """#, answers: rejected)
        }
        // Nothing happened: the first accepted order still gets id 1 and the book was empty.
        s.expect(
            #"""
            > {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":"1","price":"100"}
            {"event":"accepted","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","side":"buy","type":"limit","qty":"1","price":"100","tif":"gtc"}
            {"event":"book","symbol":"X","side":"buy","price":"100","qty":"1","orders":1}
            > {"cmd":"replace","symbol":"X","account":"A","order_id":"1","price":"1e2"}
            {"event":"rejected","order_id":"1","account":"A","symbol":"X","cmd":"replace","reason":"malformed"}
            > {"cmd":"replace","symbol":"X","account":"A","order_id":"1","qty":2}
            {"event":"rejected","order_id":"1","account":"A","symbol":"X","cmd":"replace","reason":"malformed"}
            > {"cmd":"dump_book","symbol":"X"}
            {"event":"book_snapshot","symbol":"X","bids":[{"order_id":"1","client_order_id":"a1","account":"A","price":"100","leaves_qty":"1","display_qty":"1"}],"asks":[],"stops":[]}
            """#)
    }

    @Test("section 1: a null price or quantity is not a decimal string: malformed, not absent")
    func nullNumbers() {
        var s = ContractScenario()
        let rejected = #"""
            {"event":"rejected","client_order_id":"a1","account":"A","symbol":"X","cmd":"new_order","reason":"malformed"}
            """#
        let lines = [
            #"""
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":"1","price":null}
            """#,
            #"""
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":null,"price":"100"}
            """#,
            #"""
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"buy","type":"stop_limit","qty":"1","price":"100","stop_price":null}
            """#,
            #"""
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":"5","price":"100","display_qty":null}
            """#,
        ]
        for line in lines {
            s.expectLast(line, answers: rejected)
        }
    }

    @Test("section 1: a price or stop price off the tick grid or not positive is off_tick")
    func offTick() {
        var s = ContractScenario()
        let rejected = #"""
            {"event":"rejected","client_order_id":"a1","account":"A","symbol":"X","cmd":"new_order","reason":"off_tick"}
            """#
        for price in ["100.001", "100.005", "0", "0.00", "-1", "-0.01", "-3"] {
            s.expectLast(
                #"""
                {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":"1","price":"\#(price)"}
                """#, answers: rejected)
            s.expectLast(
                #"""
                {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"buy","type":"stop","qty":"1","stop_price":"\#(price)"}
                """#, answers: rejected)
            s.expectLast(
                #"""
                {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"sell","type":"stop_limit","qty":"1","price":"100","stop_price":"\#(price)"}
                """#, answers: rejected)
        }
        // Trailing zeros beyond the tick are still on the grid.
        s.expect(
            #"""
            > {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":"1","price":"100.1000"}
            {"event":"accepted","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","side":"buy","type":"limit","qty":"1","price":"100.1","tif":"gtc"}
            {"event":"book","symbol":"X","side":"buy","price":"100.10","qty":"1","orders":1}
            """#)
    }

    @Test("section 1: a quantity not a whole number of lots or not positive is off_lot")
    func offLot() {
        var s = ContractScenario(
            #"""
            {"cmd":"add_instrument","symbol":"X","tick_size":"0.01","lot_size":"1"}
            {"cmd":"add_instrument","symbol":"Z","tick_size":"0.01","lot_size":"0.1"}
            """#)
        for (symbol, qty) in [("X", "1.5"), ("X", "0"), ("X", "-2"), ("X", "0.0"), ("Z", "0.05"), ("Z", "-0.1")] {
            s.expectLast(
                #"""
                {"cmd":"new_order","symbol":"\#(symbol)","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":"\#(qty)","price":"100"}
                """#,
                answers: #"""
                    {"event":"rejected","client_order_id":"a1","account":"A","symbol":"\#(symbol)","cmd":"new_order","reason":"off_lot"}
                    """#)
            s.expectLast(
                #"""
                {"cmd":"new_order","symbol":"\#(symbol)","account":"A","client_order_id":"a1","side":"buy","type":"market","qty":"\#(qty)"}
                """#,
                answers: #"""
                    {"event":"rejected","client_order_id":"a1","account":"A","symbol":"\#(symbol)","cmd":"new_order","reason":"off_lot"}
                    """#)
        }
        s.expect(
            #"""
            > {"cmd":"new_order","symbol":"Z","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":"0.30","price":"100"}
            {"event":"accepted","order_id":"1","client_order_id":"a1","account":"A","symbol":"Z","side":"buy","type":"limit","qty":"0.3","price":"100","tif":"gtc"}
            {"event":"book","symbol":"Z","side":"buy","price":"100","qty":"0.3","orders":1}
            """#)
    }

    @Test("section 1: a count of ticks or lots beyond a signed 64-bit integer is malformed and has no effect")
    func overflow() {
        var s = ContractScenario()
        s.expect(
            #"""
            > {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":"5","price":"99","tif":"gtd","expire_at":100}
            {"event":"accepted","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","side":"buy","type":"limit","qty":"5","price":"99","tif":"gtd"}
            {"event":"book","symbol":"X","side":"buy","price":"99","qty":"5","orders":1}
            // 9223372036854775808 ticks of 0.01: one more than Int64.max. The ts must not be applied.
            > {"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b1","side":"sell","type":"limit","qty":"1","price":"92233720368547758.08","ts":100}
            {"event":"rejected","client_order_id":"b1","account":"B","symbol":"X","cmd":"new_order","reason":"malformed"}
            > {"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b1","side":"sell","type":"limit","qty":"9223372036854775808","price":"100","ts":100}
            {"event":"rejected","client_order_id":"b1","account":"B","symbol":"X","cmd":"new_order","reason":"malformed"}
            > {"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b1","side":"sell","type":"stop","qty":"1","stop_price":"100000000000000000000","ts":100}
            {"event":"rejected","client_order_id":"b1","account":"B","symbol":"X","cmd":"new_order","reason":"malformed"}
            > {"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b1","side":"sell","type":"limit","qty":"5","price":"100","display_qty":"100000000000000000000","ts":100}
            {"event":"rejected","client_order_id":"b1","account":"B","symbol":"X","cmd":"new_order","reason":"malformed"}
            > {"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b1","side":"sell","type":"limit","qty":"1","price":"-100000000000000000000000","ts":100}
            {"event":"rejected","client_order_id":"b1","account":"B","symbol":"X","cmd":"new_order","reason":"malformed"}
            > {"cmd":"replace","symbol":"X","account":"A","order_id":"1","price":"92233720368547758.08","ts":100}
            {"event":"rejected","order_id":"1","account":"A","symbol":"X","cmd":"replace","reason":"malformed"}
            // The largest counts that fit are accepted.
            > {"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b1","side":"sell","type":"limit","qty":"1","price":"92233720368547758.07"}
            {"event":"accepted","order_id":"2","client_order_id":"b1","account":"B","symbol":"X","side":"sell","type":"limit","qty":"1","price":"92233720368547758.07","tif":"gtc"}
            {"event":"book","symbol":"X","side":"sell","price":"92233720368547758.07","qty":"1","orders":1}
            > {"cmd":"cancel","symbol":"X","account":"B","order_id":"2"}
            {"event":"order","order_id":"2","client_order_id":"b1","account":"B","symbol":"X","status":"cancelled","filled_qty":"0","leaves_qty":"0","reason":"cancelled"}
            {"event":"book","symbol":"X","side":"sell","price":"92233720368547758.07","qty":"0","orders":0}
            > {"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b2","side":"buy","type":"market","qty":"9223372036854775807"}
            {"event":"accepted","order_id":"3","client_order_id":"b2","account":"B","symbol":"X","side":"buy","type":"market","qty":"9223372036854775807","tif":"gtc"}
            {"event":"order","order_id":"3","client_order_id":"b2","account":"B","symbol":"X","status":"expired","filled_qty":"0","leaves_qty":"0","reason":"no_liquidity"}
            // The clock never reached 100: order 1 expires only now.
            > {"cmd":"time","now":99}
            > {"cmd":"time","now":100}
            {"event":"order","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","status":"expired","filled_qty":"0","leaves_qty":"0","reason":"gtd_expired"}
            {"event":"book","symbol":"X","side":"buy","price":"99","qty":"0","orders":0}
            """#)
    }

    @Test("section 1: the range check needs the instrument, so an overflow on an unknown symbol is unknown_symbol")
    func overflowOnUnknownSymbol() {
        var s = ContractScenario()
        s.expect(
            #"""
            > {"cmd":"new_order","symbol":"Q","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":"1","price":"100000000000000000000000"}
            {"event":"rejected","client_order_id":"a1","account":"A","symbol":"Q","cmd":"new_order","reason":"unknown_symbol"}
            """#)
    }

    @Test("section 1: ts, now and expire_at are JSON integers, post_only a JSON boolean")
    func integerAndBooleanFields() {
        var s = ContractScenario()
        s.expect(
            #"""
            > {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":"1","price":"100","ts":"5"}
            {"event":"rejected","client_order_id":"a1","account":"A","symbol":"X","cmd":"new_order","reason":"malformed"}
            > {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":"1","price":"100","ts":5.5}
            {"event":"rejected","client_order_id":"a1","account":"A","symbol":"X","cmd":"new_order","reason":"malformed"}
            > {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":"1","price":"100","post_only":"true"}
            {"event":"rejected","client_order_id":"a1","account":"A","symbol":"X","cmd":"new_order","reason":"malformed"}
            > {"cmd":"time","now":"5"}
            {"event":"rejected","account":"","symbol":"","cmd":"time","reason":"malformed"}
            > {"cmd":"time","now":5.5}
            {"event":"rejected","account":"","symbol":"","cmd":"time","reason":"malformed"}
            > {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":"1","price":"100","ts":5,"post_only":false}
            {"event":"accepted","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","side":"buy","type":"limit","qty":"1","price":"100","tif":"gtc"}
            {"event":"book","symbol":"X","side":"buy","price":"100","qty":"1","orders":1}
            """#)
    }
}
