import Testing

/// Section 3 of the matching contract: the commands.
@Suite("contract section 3: commands")
struct ContractRuleSection3CommandsTests {
    @Test("section 3: add_instrument answers nothing and rejects an existing symbol (duplicate_symbol)")
    func addInstrument() {
        var s = ContractScenario("")
        s.expect(
            #"""
            > {"cmd":"add_instrument","symbol":"X","tick_size":"0.01","lot_size":"1"}
            > {"cmd":"add_instrument","symbol":"X","tick_size":"0.05","lot_size":"10"}
            {"event":"rejected","account":"","symbol":"X","cmd":"add_instrument","reason":"duplicate_symbol"}
            > {"cmd":"add_instrument","symbol":"Y","tick_size":"0.5","lot_size":"0.001","min_qty":"0","max_qty":"1000","min_notional":"0"}
            // The first definition of X stands: 0.01 is on its grid, qty 1 is a whole lot.
            > {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":"1","price":"100.01"}
            {"event":"accepted","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","side":"buy","type":"limit","qty":"1","price":"100.01","tif":"gtc"}
            {"event":"book","symbol":"X","side":"buy","price":"100.01","qty":"1","orders":1}
            > {"cmd":"new_order","symbol":"Y","account":"A","client_order_id":"a2","side":"buy","type":"limit","qty":"0.001","price":"100.5"}
            {"event":"accepted","order_id":"2","client_order_id":"a2","account":"A","symbol":"Y","side":"buy","type":"limit","qty":"0.001","price":"100.5","tif":"gtc"}
            {"event":"book","symbol":"Y","side":"buy","price":"100.5","qty":"0.001","orders":1}
            """#)
    }

    @Test("section 3: add_instrument with a bad size or limit is malformed and adds nothing")
    func addInstrumentMalformed() {
        var s = ContractScenario(
            #"""
            {"cmd":"add_instrument","symbol":"X","tick_size":"0.01","lot_size":"1"}
            """#)
        let lines = [
            #"{"cmd":"add_instrument","symbol":"Q","tick_size":"0","lot_size":"1"}"#,
            #"{"cmd":"add_instrument","symbol":"Q","tick_size":"-0.01","lot_size":"1"}"#,
            #"{"cmd":"add_instrument","symbol":"Q","tick_size":0.01,"lot_size":"1"}"#,
            #"{"cmd":"add_instrument","symbol":"Q","tick_size":"1e-2","lot_size":"1"}"#,
            #"{"cmd":"add_instrument","symbol":"Q","lot_size":"1"}"#,
            #"{"cmd":"add_instrument","symbol":"Q","tick_size":"0.01"}"#,
            #"{"cmd":"add_instrument","symbol":"Q","tick_size":"0.01","lot_size":"0"}"#,
            #"{"cmd":"add_instrument","symbol":"Q","tick_size":"0.01","lot_size":"-1"}"#,
            #"{"cmd":"add_instrument","symbol":"Q","tick_size":"0.01","lot_size":"1","min_qty":"-1"}"#,
            #"{"cmd":"add_instrument","symbol":"Q","tick_size":"0.01","lot_size":"1","max_qty":"-5"}"#,
            #"{"cmd":"add_instrument","symbol":"Q","tick_size":"0.01","lot_size":"1","min_notional":"-0.01"}"#,
            #"{"cmd":"add_instrument","symbol":"Q","tick_size":"0.01","lot_size":"1","min_qty":5}"#,
            // Malformed comes before duplicate_symbol.
            #"{"cmd":"add_instrument","symbol":"X","tick_size":"0","lot_size":"1"}"#,
        ]
        for line in lines {
            let symbol = line.contains(#""symbol":"X""#) ? "X" : "Q"
            s.expectLast(
                line,
                answers: #"""
                    {"event":"rejected","account":"","symbol":"\#(symbol)","cmd":"add_instrument","reason":"malformed"}
                    """#)
        }
        s.expect(
            #"""
            > {"cmd":"add_instrument","tick_size":"0.01","lot_size":"1"}
            {"event":"rejected","account":"","symbol":"","cmd":"add_instrument","reason":"malformed"}
            > {"cmd":"new_order","symbol":"Q","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":"1","price":"100"}
            {"event":"rejected","client_order_id":"a1","account":"A","symbol":"Q","cmd":"new_order","reason":"unknown_symbol"}
            """#)
    }

    @Test("section 3: min_qty, max_qty and min_notional bound orders, inclusively")
    func instrumentLimits() {
        var s = ContractScenario(
            #"""
            {"cmd":"add_instrument","symbol":"Z","tick_size":"0.01","lot_size":"1","min_qty":"2","max_qty":"10","min_notional":"200"}
            """#)
        s.expect(
            #"""
            > {"cmd":"new_order","symbol":"Z","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":"1","price":"500"}
            {"event":"rejected","client_order_id":"a1","account":"A","symbol":"Z","cmd":"new_order","reason":"qty_below_min"}
            > {"cmd":"new_order","symbol":"Z","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":"11","price":"100"}
            {"event":"rejected","client_order_id":"a1","account":"A","symbol":"Z","cmd":"new_order","reason":"qty_above_max"}
            > {"cmd":"new_order","symbol":"Z","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":"2","price":"99.99"}
            {"event":"rejected","client_order_id":"a1","account":"A","symbol":"Z","cmd":"new_order","reason":"notional_below_min"}
            > {"cmd":"new_order","symbol":"Z","account":"A","client_order_id":"a1","side":"buy","type":"stop_limit","qty":"2","price":"99","stop_price":"150"}
            {"event":"rejected","client_order_id":"a1","account":"A","symbol":"Z","cmd":"new_order","reason":"notional_below_min"}
            > {"cmd":"new_order","symbol":"Z","account":"A","client_order_id":"a1","side":"buy","type":"market","qty":"11"}
            {"event":"rejected","client_order_id":"a1","account":"A","symbol":"Z","cmd":"new_order","reason":"qty_above_max"}
            > {"cmd":"new_order","symbol":"Z","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":"2","price":"100"}
            {"event":"accepted","order_id":"1","client_order_id":"a1","account":"A","symbol":"Z","side":"buy","type":"limit","qty":"2","price":"100","tif":"gtc"}
            {"event":"book","symbol":"Z","side":"buy","price":"100","qty":"2","orders":1}
            > {"cmd":"new_order","symbol":"Z","account":"A","client_order_id":"a2","side":"buy","type":"limit","qty":"10","price":"100"}
            {"event":"accepted","order_id":"2","client_order_id":"a2","account":"A","symbol":"Z","side":"buy","type":"limit","qty":"10","price":"100","tif":"gtc"}
            {"event":"book","symbol":"Z","side":"buy","price":"100","qty":"12","orders":2}
            // No notional check without a price: market and stop orders.
            > {"cmd":"new_order","symbol":"Z","account":"B","client_order_id":"b1","side":"buy","type":"market","qty":"2"}
            {"event":"accepted","order_id":"3","client_order_id":"b1","account":"B","symbol":"Z","side":"buy","type":"market","qty":"2","tif":"gtc"}
            {"event":"order","order_id":"3","client_order_id":"b1","account":"B","symbol":"Z","status":"expired","filled_qty":"0","leaves_qty":"0","reason":"no_liquidity"}
            > {"cmd":"new_order","symbol":"Z","account":"B","client_order_id":"b2","side":"buy","type":"stop","qty":"2","stop_price":"1"}
            {"event":"accepted","order_id":"4","client_order_id":"b2","account":"B","symbol":"Z","side":"buy","type":"stop","qty":"2","stop_price":"1","tif":"gtc"}
            > {"cmd":"new_order","symbol":"Z","account":"B","client_order_id":"b3","side":"buy","type":"stop_limit","qty":"2","price":"100","stop_price":"1"}
            {"event":"accepted","order_id":"5","client_order_id":"b3","account":"B","symbol":"Z","side":"buy","type":"stop_limit","qty":"2","price":"100","stop_price":"1","tif":"gtc"}
            """#)
    }

    @Test("section 3: min_qty, max_qty and min_notional need not be on the lot grid and compare by value")
    func instrumentLimitsOffGrid() {
        var s = ContractScenario(
            #"""
            {"cmd":"add_instrument","symbol":"Z","tick_size":"1","lot_size":"1","min_qty":"2.5","max_qty":"4.5","min_notional":"300.5"}
            """#)
        s.expect(
            #"""
            > {"cmd":"new_order","symbol":"Z","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":"2","price":"200"}
            {"event":"rejected","client_order_id":"a1","account":"A","symbol":"Z","cmd":"new_order","reason":"qty_below_min"}
            > {"cmd":"new_order","symbol":"Z","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":"5","price":"200"}
            {"event":"rejected","client_order_id":"a1","account":"A","symbol":"Z","cmd":"new_order","reason":"qty_above_max"}
            > {"cmd":"new_order","symbol":"Z","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":"3","price":"100"}
            {"event":"rejected","client_order_id":"a1","account":"A","symbol":"Z","cmd":"new_order","reason":"notional_below_min"}
            > {"cmd":"new_order","symbol":"Z","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":"4","price":"76"}
            {"event":"accepted","order_id":"1","client_order_id":"a1","account":"A","symbol":"Z","side":"buy","type":"limit","qty":"4","price":"76","tif":"gtc"}
            {"event":"book","symbol":"Z","side":"buy","price":"76","qty":"4","orders":1}
            """#)
    }

    @Test("section 3: fields that do not apply to the order's type are ignored, even when not valid numbers")
    func inapplicableFieldsIgnored() {
        var s = ContractScenario()
        s.expect(
            #"""
            > {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"buy","type":"market","qty":"1","price":"junk","stop_price":1}
            {"event":"accepted","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","side":"buy","type":"market","qty":"1","tif":"gtc"}
            {"event":"order","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","status":"expired","filled_qty":"0","leaves_qty":"0","reason":"no_liquidity"}
            > {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a2","side":"buy","type":"limit","qty":"1","price":"100","stop_price":"1e9","expire_at":"never"}
            {"event":"accepted","order_id":"2","client_order_id":"a2","account":"A","symbol":"X","side":"buy","type":"limit","qty":"1","price":"100","tif":"gtc"}
            {"event":"book","symbol":"X","side":"buy","price":"100","qty":"1","orders":1}
            > {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a3","side":"sell","type":"stop","qty":"1","stop_price":"90","price":"+5","tif":"ioc"}
            {"event":"accepted","order_id":"3","client_order_id":"a3","account":"A","symbol":"X","side":"sell","type":"stop","qty":"1","stop_price":"90","tif":"ioc"}
            """#)
    }

    @Test("section 3: blank lines are ignored and anything else that is not a JSON object is malformed")
    func blankAndNonObjectLines() {
        var s = ContractScenario()
        s.expect(
            #"""
            >
            > not json
            {"event":"rejected","account":"","symbol":"","cmd":"","reason":"malformed"}
            > [1,2]
            {"event":"rejected","account":"","symbol":"","cmd":"","reason":"malformed"}
            > "new_order"
            {"event":"rejected","account":"","symbol":"","cmd":"","reason":"malformed"}
            > {}
            {"event":"rejected","account":"","symbol":"","cmd":"","reason":"malformed"}
            > {"cmd":"fly"}
            {"event":"rejected","account":"","symbol":"","cmd":"fly","reason":"malformed"}
            > {"cmd":7}
            {"event":"rejected","account":"","symbol":"","cmd":"","reason":"malformed"}
            > {"cmd":"new_order","symbol":"X"
            {"event":"rejected","account":"","symbol":"","cmd":"","reason":"malformed"}
            """#)
        #expect(s.send("   ").isEmpty, "a line of spaces is blank")
    }

    @Test("section 3: cancel by order_id (string or integer) or client_order_id; order_id wins when both are given")
    func cancelIdentifiers() {
        var s = ContractScenario()
        s.run(
            #"""
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"sell","type":"limit","qty":"5","price":"101"}
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a2","side":"sell","type":"limit","qty":"3","price":"102"}
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a3","side":"sell","type":"limit","qty":"2","price":"103"}
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a4","side":"sell","type":"limit","qty":"1","price":"104"}
            """#)
        s.expect(
            #"""
            > {"cmd":"cancel","symbol":"X","account":"A","order_id":"1"}
            {"event":"order","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","status":"cancelled","filled_qty":"0","leaves_qty":"0","reason":"cancelled"}
            {"event":"book","symbol":"X","side":"sell","price":"101","qty":"0","orders":0}
            > {"cmd":"cancel","symbol":"X","account":"A","client_order_id":"a2"}
            {"event":"order","order_id":"2","client_order_id":"a2","account":"A","symbol":"X","status":"cancelled","filled_qty":"0","leaves_qty":"0","reason":"cancelled"}
            {"event":"book","symbol":"X","side":"sell","price":"102","qty":"0","orders":0}
            > {"cmd":"cancel","symbol":"X","account":"A","order_id":"3","client_order_id":"a4"}
            {"event":"order","order_id":"3","client_order_id":"a3","account":"A","symbol":"X","status":"cancelled","filled_qty":"0","leaves_qty":"0","reason":"cancelled"}
            {"event":"book","symbol":"X","side":"sell","price":"103","qty":"0","orders":0}
            > {"cmd":"dump_book","symbol":"X"}
            {"event":"book_snapshot","symbol":"X","bids":[],"asks":[{"order_id":"4","client_order_id":"a4","account":"A","price":"104","leaves_qty":"1","display_qty":"1"}],"stops":[]}
            > {"cmd":"cancel","symbol":"X","account":"A","order_id":4}
            {"event":"order","order_id":"4","client_order_id":"a4","account":"A","symbol":"X","status":"cancelled","filled_qty":"0","leaves_qty":"0","reason":"cancelled"}
            {"event":"book","symbol":"X","side":"sell","price":"104","qty":"0","orders":0}
            > {"cmd":"cancel","symbol":"X","account":"A","order_id":"1"}
            {"event":"rejected","order_id":"1","account":"A","symbol":"X","cmd":"cancel","reason":"unknown_order"}
            """#)
    }

    @Test("section 3: a cancelled order keeps its fills in the cancel event")
    func cancelPartiallyFilled() {
        var s = ContractScenario()
        s.run(
            #"""
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"sell","type":"limit","qty":"5","price":"101"}
            {"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b1","side":"buy","type":"limit","qty":"2","price":"101"}
            """#)
        s.expect(
            #"""
            > {"cmd":"cancel","symbol":"X","account":"A","client_order_id":"a1"}
            {"event":"order","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","status":"cancelled","filled_qty":"2","leaves_qty":"0","avg_price":"101","reason":"cancelled"}
            {"event":"book","symbol":"X","side":"sell","price":"101","qty":"0","orders":0}
            // A filled order is not open: it cannot be cancelled.
            > {"cmd":"cancel","symbol":"X","account":"B","order_id":"2"}
            {"event":"rejected","order_id":"2","account":"B","symbol":"X","cmd":"cancel","reason":"unknown_order"}
            """#)
    }

    @Test("section 3: dump_book answers a book_snapshot with icebergs and stops")
    func dumpBook() {
        var s = ContractScenario()
        s.run(
            #"""
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":"5","price":"99"}
            {"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b1","side":"buy","type":"limit","qty":"10","price":"100","display_qty":"4"}
            {"cmd":"new_order","symbol":"X","account":"C","client_order_id":"c1","side":"buy","type":"limit","qty":"2","price":"100"}
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a2","side":"sell","type":"limit","qty":"3","price":"102"}
            {"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b2","side":"sell","type":"limit","qty":"6","price":"101"}
            {"cmd":"new_order","symbol":"X","account":"C","client_order_id":"c2","side":"buy","type":"stop","qty":"2","stop_price":"105"}
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a3","side":"sell","type":"stop_limit","qty":"1","price":"95","stop_price":"96"}
            """#)
        s.expect(
            #"""
            > {"cmd":"dump_book","symbol":"X"}
            {"event":"book_snapshot","symbol":"X","bids":[{"order_id":"2","client_order_id":"b1","account":"B","price":"100","leaves_qty":"10","display_qty":"4"},{"order_id":"3","client_order_id":"c1","account":"C","price":"100","leaves_qty":"2","display_qty":"2"},{"order_id":"1","client_order_id":"a1","account":"A","price":"99","leaves_qty":"5","display_qty":"5"}],"asks":[{"order_id":"5","client_order_id":"b2","account":"B","price":"101","leaves_qty":"6","display_qty":"6"},{"order_id":"4","client_order_id":"a2","account":"A","price":"102","leaves_qty":"3","display_qty":"3"}],"stops":[{"order_id":"6","client_order_id":"c2","account":"C","side":"buy","stop_price":"105","leaves_qty":"2"},{"order_id":"7","client_order_id":"a3","account":"A","side":"sell","stop_price":"96","leaves_qty":"1"}]}
            > {"cmd":"new_order","symbol":"X","account":"D","client_order_id":"d1","side":"sell","type":"limit","qty":"3","price":"100"}
            {"event":"accepted","order_id":"8","client_order_id":"d1","account":"D","symbol":"X","side":"sell","type":"limit","qty":"3","price":"100","tif":"gtc"}
            {"event":"trade","trade_id":"1","symbol":"X","price":"100","qty":"3","maker_order_id":"2","taker_order_id":"8","maker_account":"B","taker_account":"D","aggressor":"sell"}
            {"event":"order","order_id":"2","client_order_id":"b1","account":"B","symbol":"X","status":"partially_filled","filled_qty":"3","leaves_qty":"7","avg_price":"100"}
            {"event":"order","order_id":"8","client_order_id":"d1","account":"D","symbol":"X","status":"filled","filled_qty":"3","leaves_qty":"0","avg_price":"100"}
            {"event":"book","symbol":"X","side":"buy","price":"100","qty":"3","orders":2}
            // The iceberg shows what remains of its current slice: 1 of 4.
            > {"cmd":"dump_book","symbol":"X"}
            {"event":"book_snapshot","symbol":"X","bids":[{"order_id":"2","client_order_id":"b1","account":"B","price":"100","leaves_qty":"7","display_qty":"1"},{"order_id":"3","client_order_id":"c1","account":"C","price":"100","leaves_qty":"2","display_qty":"2"},{"order_id":"1","client_order_id":"a1","account":"A","price":"99","leaves_qty":"5","display_qty":"5"}],"asks":[{"order_id":"5","client_order_id":"b2","account":"B","price":"101","leaves_qty":"6","display_qty":"6"},{"order_id":"4","client_order_id":"a2","account":"A","price":"102","leaves_qty":"3","display_qty":"3"}],"stops":[{"order_id":"6","client_order_id":"c2","account":"C","side":"buy","stop_price":"105","leaves_qty":"2"},{"order_id":"7","client_order_id":"a3","account":"A","side":"sell","stop_price":"96","leaves_qty":"1"}]}
            > {"cmd":"dump_book","symbol":"Y"}
            {"event":"book_snapshot","symbol":"Y","bids":[],"asks":[],"stops":[]}
            > {"cmd":"dump_book","symbol":"Q"}
            {"event":"rejected","account":"","symbol":"Q","cmd":"dump_book","reason":"unknown_symbol"}
            > {"cmd":"dump_book"}
            {"event":"rejected","account":"","symbol":"","cmd":"dump_book","reason":"malformed"}
            """#)
    }

    @Test("section 3: end_session with a symbol expires its DAY orders and untriggered DAY stops, also when halted")
    func endSessionOneSymbol() {
        var s = ContractScenario()
        s.run(
            #"""
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":"1","price":"99","tif":"day"}
            {"cmd":"new_order","symbol":"Y","account":"A","client_order_id":"a2","side":"buy","type":"limit","qty":"1","price":"99","tif":"day"}
            {"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b1","side":"buy","type":"stop_limit","qty":"1","price":"110","stop_price":"109","tif":"day"}
            {"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b2","side":"sell","type":"limit","qty":"1","price":"101"}
            {"cmd":"new_order","symbol":"X","account":"C","client_order_id":"c1","side":"sell","type":"limit","qty":"2","price":"102","tif":"day"}
            {"cmd":"new_order","symbol":"X","account":"C","client_order_id":"c2","side":"sell","type":"stop_limit","qty":"1","price":"90","stop_price":"91"}
            {"cmd":"halt","symbol":"X"}
            """#)
        s.expect(
            #"""
            > {"cmd":"end_session","symbol":"X"}
            {"event":"order","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","status":"expired","filled_qty":"0","leaves_qty":"0","reason":"end_session"}
            {"event":"book","symbol":"X","side":"buy","price":"99","qty":"0","orders":0}
            {"event":"order","order_id":"3","client_order_id":"b1","account":"B","symbol":"X","status":"expired","filled_qty":"0","leaves_qty":"0","reason":"end_session"}
            {"event":"order","order_id":"5","client_order_id":"c1","account":"C","symbol":"X","status":"expired","filled_qty":"0","leaves_qty":"0","reason":"end_session"}
            {"event":"book","symbol":"X","side":"sell","price":"102","qty":"0","orders":0}
            > {"cmd":"end_session","symbol":"X"}
            > {"cmd":"dump_book","symbol":"X"}
            {"event":"book_snapshot","symbol":"X","bids":[],"asks":[{"order_id":"4","client_order_id":"b2","account":"B","price":"101","leaves_qty":"1","display_qty":"1"}],"stops":[{"order_id":"6","client_order_id":"c2","account":"C","side":"sell","stop_price":"91","leaves_qty":"1"}]}
            > {"cmd":"dump_book","symbol":"Y"}
            {"event":"book_snapshot","symbol":"Y","bids":[{"order_id":"2","client_order_id":"a2","account":"A","price":"99","leaves_qty":"1","display_qty":"1"}],"asks":[],"stops":[]}
            > {"cmd":"end_session","symbol":"Q"}
            {"event":"rejected","account":"","symbol":"Q","cmd":"end_session","reason":"unknown_symbol"}
            > {"cmd":"end_session","symbol":7}
            {"event":"rejected","account":"","symbol":"","cmd":"end_session","reason":"malformed"}
            """#)
    }

    @Test("section 3: end_session without a symbol expires DAY orders of every symbol in acceptance order")
    func endSessionAllSymbols() {
        var s = ContractScenario()
        s.run(
            #"""
            {"cmd":"new_order","symbol":"Y","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":"1","price":"99","tif":"day"}
            {"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b1","side":"sell","type":"limit","qty":"2","price":"101","tif":"day"}
            {"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b2","side":"sell","type":"limit","qty":"2","price":"102","tif":"gtc"}
            {"cmd":"new_order","symbol":"Y","account":"C","client_order_id":"c1","side":"buy","type":"limit","qty":"3","price":"99","tif":"day"}
            """#)
        s.expect(
            #"""
            > {"cmd":"end_session"}
            {"event":"order","order_id":"1","client_order_id":"a1","account":"A","symbol":"Y","status":"expired","filled_qty":"0","leaves_qty":"0","reason":"end_session"}
            {"event":"book","symbol":"Y","side":"buy","price":"99","qty":"3","orders":1}
            {"event":"order","order_id":"2","client_order_id":"b1","account":"B","symbol":"X","status":"expired","filled_qty":"0","leaves_qty":"0","reason":"end_session"}
            {"event":"book","symbol":"X","side":"sell","price":"101","qty":"0","orders":0}
            {"event":"order","order_id":"4","client_order_id":"c1","account":"C","symbol":"Y","status":"expired","filled_qty":"0","leaves_qty":"0","reason":"end_session"}
            {"event":"book","symbol":"Y","side":"buy","price":"99","qty":"0","orders":0}
            > {"cmd":"end_session"}
            """#)
    }

    @Test("section 3: client_order_id is unique among the account's open orders in every symbol, stops included")
    func duplicateClientOrderID() {
        var s = ContractScenario()
        s.expect(
            #"""
            > {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"dup","side":"buy","type":"limit","qty":"1","price":"99"}
            {"event":"accepted","order_id":"1","client_order_id":"dup","account":"A","symbol":"X","side":"buy","type":"limit","qty":"1","price":"99","tif":"gtc"}
            {"event":"book","symbol":"X","side":"buy","price":"99","qty":"1","orders":1}
            > {"cmd":"new_order","symbol":"Y","account":"A","client_order_id":"dup","side":"sell","type":"limit","qty":"1","price":"101"}
            {"event":"rejected","client_order_id":"dup","account":"A","symbol":"Y","cmd":"new_order","reason":"duplicate_client_order_id"}
            > {"cmd":"new_order","symbol":"X","account":"B","client_order_id":"dup","side":"buy","type":"limit","qty":"1","price":"98"}
            {"event":"accepted","order_id":"2","client_order_id":"dup","account":"B","symbol":"X","side":"buy","type":"limit","qty":"1","price":"98","tif":"gtc"}
            {"event":"book","symbol":"X","side":"buy","price":"98","qty":"1","orders":1}
            > {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"stp","side":"buy","type":"stop","qty":"1","stop_price":"105"}
            {"event":"accepted","order_id":"3","client_order_id":"stp","account":"A","symbol":"X","side":"buy","type":"stop","qty":"1","stop_price":"105","tif":"gtc"}
            > {"cmd":"new_order","symbol":"Y","account":"A","client_order_id":"stp","side":"buy","type":"limit","qty":"1","price":"50"}
            {"event":"rejected","client_order_id":"stp","account":"A","symbol":"Y","cmd":"new_order","reason":"duplicate_client_order_id"}
            > {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"stp","side":"sell","type":"stop_limit","qty":"1","price":"90","stop_price":"91"}
            {"event":"rejected","client_order_id":"stp","account":"A","symbol":"X","cmd":"new_order","reason":"duplicate_client_order_id"}
            // Once the order is no longer open its client_order_id may be used again.
            > {"cmd":"cancel","symbol":"X","account":"A","order_id":"1"}
            {"event":"order","order_id":"1","client_order_id":"dup","account":"A","symbol":"X","status":"cancelled","filled_qty":"0","leaves_qty":"0","reason":"cancelled"}
            {"event":"book","symbol":"X","side":"buy","price":"99","qty":"0","orders":0}
            > {"cmd":"new_order","symbol":"Y","account":"A","client_order_id":"dup","side":"sell","type":"limit","qty":"1","price":"101"}
            {"event":"accepted","order_id":"4","client_order_id":"dup","account":"A","symbol":"Y","side":"sell","type":"limit","qty":"1","price":"101","tif":"gtc"}
            {"event":"book","symbol":"Y","side":"sell","price":"101","qty":"1","orders":1}
            > {"cmd":"new_order","symbol":"Y","account":"C","client_order_id":"c1","side":"buy","type":"limit","qty":"1","price":"101"}
            {"event":"accepted","order_id":"5","client_order_id":"c1","account":"C","symbol":"Y","side":"buy","type":"limit","qty":"1","price":"101","tif":"gtc"}
            {"event":"trade","trade_id":"1","symbol":"Y","price":"101","qty":"1","maker_order_id":"4","taker_order_id":"5","maker_account":"A","taker_account":"C","aggressor":"buy"}
            {"event":"order","order_id":"4","client_order_id":"dup","account":"A","symbol":"Y","status":"filled","filled_qty":"1","leaves_qty":"0","avg_price":"101"}
            {"event":"order","order_id":"5","client_order_id":"c1","account":"C","symbol":"Y","status":"filled","filled_qty":"1","leaves_qty":"0","avg_price":"101"}
            {"event":"book","symbol":"Y","side":"sell","price":"101","qty":"0","orders":0}
            > {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"dup","side":"buy","type":"limit","qty":"1","price":"97"}
            {"event":"accepted","order_id":"6","client_order_id":"dup","account":"A","symbol":"X","side":"buy","type":"limit","qty":"1","price":"97","tif":"gtc"}
            {"event":"book","symbol":"X","side":"buy","price":"97","qty":"1","orders":1}
            // A replace to a client_order_id held by another open order of the account (a stop here).
            > {"cmd":"replace","symbol":"X","account":"A","order_id":"6","price":"97","new_client_order_id":"stp"}
            {"event":"rejected","order_id":"6","account":"A","symbol":"X","cmd":"replace","reason":"duplicate_client_order_id"}
            """#)
    }
}
