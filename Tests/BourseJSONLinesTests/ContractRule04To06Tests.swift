import Testing

/// Rules 4 to 6 of the matching contract: FOK, market orders, post-only.
@Suite("contract rules 4-6: FOK, market, post-only")
struct ContractRule04To06Tests {
    @Test("rule 4: a FOK that can fill executes completely, hidden iceberg quantity included")
    func fokFills() {
        var s = ContractScenario()
        s.run(
            #"""
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"sell","type":"limit","qty":"3","price":"100"}
            {"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b1","side":"sell","type":"limit","qty":"3","price":"101"}
            {"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b2","side":"sell","type":"limit","qty":"4","price":"102","display_qty":"2"}
            """#)
        s.expect(
            #"""
            > {"cmd":"new_order","symbol":"X","account":"C","client_order_id":"c1","side":"buy","type":"limit","qty":"6","price":"101","tif":"fok"}
            {"event":"accepted","order_id":"4","client_order_id":"c1","account":"C","symbol":"X","side":"buy","type":"limit","qty":"6","price":"101","tif":"fok"}
            {"event":"trade","trade_id":"1","symbol":"X","price":"100","qty":"3","maker_order_id":"1","taker_order_id":"4","maker_account":"A","taker_account":"C","aggressor":"buy"}
            {"event":"order","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","status":"filled","filled_qty":"3","leaves_qty":"0","avg_price":"100"}
            {"event":"order","order_id":"4","client_order_id":"c1","account":"C","symbol":"X","status":"partially_filled","filled_qty":"3","leaves_qty":"3","avg_price":"100"}
            {"event":"book","symbol":"X","side":"sell","price":"100","qty":"0","orders":0}
            {"event":"trade","trade_id":"2","symbol":"X","price":"101","qty":"3","maker_order_id":"2","taker_order_id":"4","maker_account":"B","taker_account":"C","aggressor":"buy"}
            {"event":"order","order_id":"2","client_order_id":"b1","account":"B","symbol":"X","status":"filled","filled_qty":"3","leaves_qty":"0","avg_price":"101"}
            {"event":"order","order_id":"4","client_order_id":"c1","account":"C","symbol":"X","status":"filled","filled_qty":"6","leaves_qty":"0","avg_price":"100.5"}
            {"event":"book","symbol":"X","side":"sell","price":"101","qty":"0","orders":0}
            // Only 2 of the iceberg's 4 are displayed, but a FOK for 4 fills.
            > {"cmd":"new_order","symbol":"X","account":"C","client_order_id":"c2","side":"buy","type":"limit","qty":"4","price":"102","tif":"fok"}
            {"event":"accepted","order_id":"5","client_order_id":"c2","account":"C","symbol":"X","side":"buy","type":"limit","qty":"4","price":"102","tif":"fok"}
            {"event":"trade","trade_id":"3","symbol":"X","price":"102","qty":"2","maker_order_id":"3","taker_order_id":"5","maker_account":"B","taker_account":"C","aggressor":"buy"}
            {"event":"order","order_id":"3","client_order_id":"b2","account":"B","symbol":"X","status":"partially_filled","filled_qty":"2","leaves_qty":"2","avg_price":"102"}
            {"event":"order","order_id":"5","client_order_id":"c2","account":"C","symbol":"X","status":"partially_filled","filled_qty":"2","leaves_qty":"2","avg_price":"102"}
            {"event":"book","symbol":"X","side":"sell","price":"102","qty":"2","orders":1}
            {"event":"trade","trade_id":"4","symbol":"X","price":"102","qty":"2","maker_order_id":"3","taker_order_id":"5","maker_account":"B","taker_account":"C","aggressor":"buy"}
            {"event":"order","order_id":"3","client_order_id":"b2","account":"B","symbol":"X","status":"filled","filled_qty":"4","leaves_qty":"0","avg_price":"102"}
            {"event":"order","order_id":"5","client_order_id":"c2","account":"C","symbol":"X","status":"filled","filled_qty":"4","leaves_qty":"0","avg_price":"102"}
            {"event":"book","symbol":"X","side":"sell","price":"102","qty":"0","orders":0}
            """#)
    }

    @Test("rule 4: a FOK that cannot fill has no effect and expires with fok_unfilled")
    func fokUnfilled() {
        var s = ContractScenario()
        s.run(
            #"""
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"sell","type":"limit","qty":"3","price":"100"}
            {"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b1","side":"sell","type":"limit","qty":"3","price":"102"}
            """#)
        s.expect(
            #"""
            > {"cmd":"new_order","symbol":"X","account":"C","client_order_id":"c1","side":"buy","type":"limit","qty":"6","price":"101","tif":"fok"}
            {"event":"accepted","order_id":"3","client_order_id":"c1","account":"C","symbol":"X","side":"buy","type":"limit","qty":"6","price":"101","tif":"fok"}
            {"event":"order","order_id":"3","client_order_id":"c1","account":"C","symbol":"X","status":"expired","filled_qty":"0","leaves_qty":"0","reason":"fok_unfilled"}
            > {"cmd":"new_order","symbol":"X","account":"C","client_order_id":"c2","side":"buy","type":"market","qty":"7","tif":"fok"}
            {"event":"accepted","order_id":"4","client_order_id":"c2","account":"C","symbol":"X","side":"buy","type":"market","qty":"7","tif":"fok"}
            {"event":"order","order_id":"4","client_order_id":"c2","account":"C","symbol":"X","status":"expired","filled_qty":"0","leaves_qty":"0","reason":"fok_unfilled"}
            > {"cmd":"dump_book","symbol":"X"}
            {"event":"book_snapshot","symbol":"X","bids":[],"asks":[{"order_id":"1","client_order_id":"a1","account":"A","price":"100","leaves_qty":"3","display_qty":"3"},{"order_id":"2","client_order_id":"b1","account":"B","price":"102","leaves_qty":"3","display_qty":"3"}],"stops":[]}
            // No trade happened: a stop at 100 does not trigger on entry because there is no last trade price.
            > {"cmd":"new_order","symbol":"X","account":"D","client_order_id":"d1","side":"sell","type":"stop","qty":"1","stop_price":"100"}
            {"event":"accepted","order_id":"5","client_order_id":"d1","account":"D","symbol":"X","side":"sell","type":"stop","qty":"1","stop_price":"100","tif":"gtc"}
            """#)
    }

    @Test("rule 4: a FOK whose STP cancels it (cancel_taker) is fok_unfilled, with no STP cancel")
    func fokCancelTaker() {
        var s = ContractScenario()
        s.run(
            #"""
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"sell","type":"limit","qty":"2","price":"100"}
            {"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b1","side":"sell","type":"limit","qty":"5","price":"100"}
            """#)
        s.expect(
            #"""
            > {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a2","side":"buy","type":"limit","qty":"5","price":"100","tif":"fok"}
            {"event":"accepted","order_id":"3","client_order_id":"a2","account":"A","symbol":"X","side":"buy","type":"limit","qty":"5","price":"100","tif":"fok"}
            {"event":"order","order_id":"3","client_order_id":"a2","account":"A","symbol":"X","status":"expired","filled_qty":"0","leaves_qty":"0","reason":"fok_unfilled"}
            // cancel_both would cancel the resting order too: the FOK has no effect at all.
            > {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a3","side":"buy","type":"limit","qty":"5","price":"100","tif":"fok","stp":"cancel_both"}
            {"event":"accepted","order_id":"4","client_order_id":"a3","account":"A","symbol":"X","side":"buy","type":"limit","qty":"5","price":"100","tif":"fok"}
            {"event":"order","order_id":"4","client_order_id":"a3","account":"A","symbol":"X","status":"expired","filled_qty":"0","leaves_qty":"0","reason":"fok_unfilled"}
            > {"cmd":"dump_book","symbol":"X"}
            {"event":"book_snapshot","symbol":"X","bids":[],"asks":[{"order_id":"1","client_order_id":"a1","account":"A","price":"100","leaves_qty":"2","display_qty":"2"},{"order_id":"2","client_order_id":"b1","account":"B","price":"100","leaves_qty":"5","display_qty":"5"}],"stops":[]}
            """#)
    }

    @Test("rule 4: a FOK that STP decrements and that trades for the rest counts as filled")
    func fokDecrementFills() {
        var s = ContractScenario()
        s.run(
            #"""
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"sell","type":"limit","qty":"2","price":"100"}
            {"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b1","side":"sell","type":"limit","qty":"5","price":"100"}
            """#)
        s.expect(
            #"""
            > {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a2","side":"buy","type":"limit","qty":"6","price":"100","tif":"fok","stp":"decrement"}
            {"event":"accepted","order_id":"3","client_order_id":"a2","account":"A","symbol":"X","side":"buy","type":"limit","qty":"6","price":"100","tif":"fok"}
            {"event":"order","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","status":"cancelled","filled_qty":"0","leaves_qty":"0","reason":"self_trade"}
            {"event":"order","order_id":"3","client_order_id":"a2","account":"A","symbol":"X","status":"new","filled_qty":"0","leaves_qty":"4"}
            {"event":"book","symbol":"X","side":"sell","price":"100","qty":"5","orders":1}
            {"event":"trade","trade_id":"1","symbol":"X","price":"100","qty":"4","maker_order_id":"2","taker_order_id":"3","maker_account":"B","taker_account":"A","aggressor":"buy"}
            {"event":"order","order_id":"2","client_order_id":"b1","account":"B","symbol":"X","status":"partially_filled","filled_qty":"4","leaves_qty":"1","avg_price":"100"}
            {"event":"order","order_id":"3","client_order_id":"a2","account":"A","symbol":"X","status":"filled","filled_qty":"4","leaves_qty":"0","avg_price":"100"}
            {"event":"book","symbol":"X","side":"sell","price":"100","qty":"1","orders":1}
            """#)
    }

    @Test("rule 4: a FOK that STP decrements to zero is fok_unfilled and leaves the resting order as it was")
    func fokDecrementToZero() {
        var s = ContractScenario()
        s.run(
            #"""
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"sell","type":"limit","qty":"5","price":"100"}
            """#)
        s.expect(
            #"""
            > {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a2","side":"buy","type":"limit","qty":"3","price":"100","tif":"fok","stp":"decrement"}
            {"event":"accepted","order_id":"2","client_order_id":"a2","account":"A","symbol":"X","side":"buy","type":"limit","qty":"3","price":"100","tif":"fok"}
            {"event":"order","order_id":"2","client_order_id":"a2","account":"A","symbol":"X","status":"expired","filled_qty":"0","leaves_qty":"0","reason":"fok_unfilled"}
            > {"cmd":"dump_book","symbol":"X"}
            {"event":"book_snapshot","symbol":"X","bids":[],"asks":[{"order_id":"1","client_order_id":"a1","account":"A","price":"100","leaves_qty":"5","display_qty":"5"}],"stops":[]}
            """#)
    }

    @Test(
        "rule 4: a FOK with cancel_maker fills only if the rest of the book fills it; otherwise no maker is cancelled")
    func fokCancelMaker() {
        var s = ContractScenario()
        s.run(
            #"""
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"sell","type":"limit","qty":"2","price":"100"}
            {"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b1","side":"sell","type":"limit","qty":"5","price":"100"}
            """#)
        s.expect(
            #"""
            > {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a2","side":"buy","type":"limit","qty":"6","price":"100","tif":"fok","stp":"cancel_maker"}
            {"event":"accepted","order_id":"3","client_order_id":"a2","account":"A","symbol":"X","side":"buy","type":"limit","qty":"6","price":"100","tif":"fok"}
            {"event":"order","order_id":"3","client_order_id":"a2","account":"A","symbol":"X","status":"expired","filled_qty":"0","leaves_qty":"0","reason":"fok_unfilled"}
            > {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a3","side":"buy","type":"limit","qty":"5","price":"100","tif":"fok","stp":"cancel_maker"}
            {"event":"accepted","order_id":"4","client_order_id":"a3","account":"A","symbol":"X","side":"buy","type":"limit","qty":"5","price":"100","tif":"fok"}
            {"event":"order","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","status":"cancelled","filled_qty":"0","leaves_qty":"0","reason":"self_trade"}
            {"event":"book","symbol":"X","side":"sell","price":"100","qty":"5","orders":1}
            {"event":"trade","trade_id":"1","symbol":"X","price":"100","qty":"5","maker_order_id":"2","taker_order_id":"4","maker_account":"B","taker_account":"A","aggressor":"buy"}
            {"event":"order","order_id":"2","client_order_id":"b1","account":"B","symbol":"X","status":"filled","filled_qty":"5","leaves_qty":"0","avg_price":"100"}
            {"event":"order","order_id":"4","client_order_id":"a3","account":"A","symbol":"X","status":"filled","filled_qty":"5","leaves_qty":"0","avg_price":"100"}
            {"event":"book","symbol":"X","side":"sell","price":"100","qty":"0","orders":0}
            """#)
    }

    @Test("rule 5: a market order trades at any price and its rest expires with no_liquidity")
    func marketSweeps() {
        var s = ContractScenario()
        s.run(
            #"""
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"sell","type":"limit","qty":"2","price":"100"}
            {"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b1","side":"sell","type":"limit","qty":"2","price":"105"}
            """#)
        s.expect(
            #"""
            > {"cmd":"new_order","symbol":"X","account":"C","client_order_id":"c1","side":"buy","type":"market","qty":"5"}
            {"event":"accepted","order_id":"3","client_order_id":"c1","account":"C","symbol":"X","side":"buy","type":"market","qty":"5","tif":"gtc"}
            {"event":"trade","trade_id":"1","symbol":"X","price":"100","qty":"2","maker_order_id":"1","taker_order_id":"3","maker_account":"A","taker_account":"C","aggressor":"buy"}
            {"event":"order","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","status":"filled","filled_qty":"2","leaves_qty":"0","avg_price":"100"}
            {"event":"order","order_id":"3","client_order_id":"c1","account":"C","symbol":"X","status":"partially_filled","filled_qty":"2","leaves_qty":"3","avg_price":"100"}
            {"event":"book","symbol":"X","side":"sell","price":"100","qty":"0","orders":0}
            {"event":"trade","trade_id":"2","symbol":"X","price":"105","qty":"2","maker_order_id":"2","taker_order_id":"3","maker_account":"B","taker_account":"C","aggressor":"buy"}
            {"event":"order","order_id":"2","client_order_id":"b1","account":"B","symbol":"X","status":"filled","filled_qty":"2","leaves_qty":"0","avg_price":"105"}
            {"event":"order","order_id":"3","client_order_id":"c1","account":"C","symbol":"X","status":"partially_filled","filled_qty":"4","leaves_qty":"1","avg_price":"102.5"}
            {"event":"book","symbol":"X","side":"sell","price":"105","qty":"0","orders":0}
            {"event":"order","order_id":"3","client_order_id":"c1","account":"C","symbol":"X","status":"expired","filled_qty":"4","leaves_qty":"0","avg_price":"102.5","reason":"no_liquidity"}
            > {"cmd":"dump_book","symbol":"X"}
            {"event":"book_snapshot","symbol":"X","bids":[],"asks":[],"stops":[]}
            """#)
    }

    @Test("rule 5: a market order accepts gtc, ioc and fok; day and gtd are invalid_tif; it never rests")
    func marketTif() {
        var s = ContractScenario()
        s.run(
            #"""
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":"3","price":"100"}
            """#)
        s.expect(
            #"""
            > {"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b1","side":"sell","type":"market","qty":"1","tif":"day"}
            {"event":"rejected","client_order_id":"b1","account":"B","symbol":"X","cmd":"new_order","reason":"invalid_tif"}
            > {"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b1","side":"sell","type":"market","qty":"1","tif":"gtd","expire_at":1000}
            {"event":"rejected","client_order_id":"b1","account":"B","symbol":"X","cmd":"new_order","reason":"invalid_tif"}
            > {"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b1","side":"sell","type":"market","qty":"1","tif":"fok"}
            {"event":"accepted","order_id":"2","client_order_id":"b1","account":"B","symbol":"X","side":"sell","type":"market","qty":"1","tif":"fok"}
            {"event":"trade","trade_id":"1","symbol":"X","price":"100","qty":"1","maker_order_id":"1","taker_order_id":"2","maker_account":"A","taker_account":"B","aggressor":"sell"}
            {"event":"order","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","status":"partially_filled","filled_qty":"1","leaves_qty":"2","avg_price":"100"}
            {"event":"order","order_id":"2","client_order_id":"b1","account":"B","symbol":"X","status":"filled","filled_qty":"1","leaves_qty":"0","avg_price":"100"}
            {"event":"book","symbol":"X","side":"buy","price":"100","qty":"2","orders":1}
            // The rest of a market IOC expires with no_liquidity too, not ioc_remainder.
            > {"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b2","side":"sell","type":"market","qty":"3","tif":"ioc"}
            {"event":"accepted","order_id":"3","client_order_id":"b2","account":"B","symbol":"X","side":"sell","type":"market","qty":"3","tif":"ioc"}
            {"event":"trade","trade_id":"2","symbol":"X","price":"100","qty":"2","maker_order_id":"1","taker_order_id":"3","maker_account":"A","taker_account":"B","aggressor":"sell"}
            {"event":"order","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","status":"filled","filled_qty":"3","leaves_qty":"0","avg_price":"100"}
            {"event":"order","order_id":"3","client_order_id":"b2","account":"B","symbol":"X","status":"partially_filled","filled_qty":"2","leaves_qty":"1","avg_price":"100"}
            {"event":"book","symbol":"X","side":"buy","price":"100","qty":"0","orders":0}
            {"event":"order","order_id":"3","client_order_id":"b2","account":"B","symbol":"X","status":"expired","filled_qty":"2","leaves_qty":"0","avg_price":"100","reason":"no_liquidity"}
            > {"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b3","side":"sell","type":"market","qty":"3","tif":"gtc"}
            {"event":"accepted","order_id":"4","client_order_id":"b3","account":"B","symbol":"X","side":"sell","type":"market","qty":"3","tif":"gtc"}
            {"event":"order","order_id":"4","client_order_id":"b3","account":"B","symbol":"X","status":"expired","filled_qty":"0","leaves_qty":"0","reason":"no_liquidity"}
            > {"cmd":"dump_book","symbol":"X"}
            {"event":"book_snapshot","symbol":"X","bids":[],"asks":[],"stops":[]}
            """#)
    }

    @Test("rule 6: a post-only order that does not cross rests")
    func postOnlyRests() {
        var s = ContractScenario()
        s.run(
            #"""
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"sell","type":"limit","qty":"5","price":"101"}
            """#)
        s.expect(
            #"""
            > {"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b1","side":"buy","type":"limit","qty":"5","price":"100.99","post_only":true}
            {"event":"accepted","order_id":"2","client_order_id":"b1","account":"B","symbol":"X","side":"buy","type":"limit","qty":"5","price":"100.99","tif":"gtc"}
            {"event":"book","symbol":"X","side":"buy","price":"100.99","qty":"5","orders":1}
            > {"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b2","side":"sell","type":"limit","qty":"5","price":"101","post_only":true,"tif":"day"}
            {"event":"accepted","order_id":"3","client_order_id":"b2","account":"B","symbol":"X","side":"sell","type":"limit","qty":"5","price":"101","tif":"day"}
            {"event":"book","symbol":"X","side":"sell","price":"101","qty":"10","orders":2}
            """#)
    }

    @Test("rule 6: a post-only order that would cross is rejected with would_cross, whatever the STP mode")
    func postOnlyWouldCross() {
        var s = ContractScenario()
        s.run(
            #"""
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"sell","type":"limit","qty":"5","price":"101"}
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a2","side":"buy","type":"limit","qty":"5","price":"99"}
            """#)
        s.expect(
            #"""
            > {"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b1","side":"buy","type":"limit","qty":"5","price":"101","post_only":true}
            {"event":"rejected","client_order_id":"b1","account":"B","symbol":"X","cmd":"new_order","reason":"would_cross"}
            > {"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b1","side":"buy","type":"limit","qty":"5","price":"102","post_only":true}
            {"event":"rejected","client_order_id":"b1","account":"B","symbol":"X","cmd":"new_order","reason":"would_cross"}
            > {"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b1","side":"sell","type":"limit","qty":"5","price":"99","post_only":true}
            {"event":"rejected","client_order_id":"b1","account":"B","symbol":"X","cmd":"new_order","reason":"would_cross"}
            > {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a3","side":"buy","type":"limit","qty":"5","price":"101","post_only":true,"stp":"cancel_maker"}
            {"event":"rejected","client_order_id":"a3","account":"A","symbol":"X","cmd":"new_order","reason":"would_cross"}
            > {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a3","side":"sell","type":"limit","qty":"5","price":"98","post_only":true,"stp":"none"}
            {"event":"rejected","client_order_id":"a3","account":"A","symbol":"X","cmd":"new_order","reason":"would_cross"}
            > {"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b1","side":"sell","type":"limit","qty":"5","price":"99.01","post_only":true}
            {"event":"accepted","order_id":"3","client_order_id":"b1","account":"B","symbol":"X","side":"sell","type":"limit","qty":"5","price":"99.01","tif":"gtc"}
            {"event":"book","symbol":"X","side":"sell","price":"99.01","qty":"5","orders":1}
            """#)
    }

    @Test("rule 6: post-only needs type limit and a tif other than ioc or fok, else invalid_tif")
    func postOnlyInvalidTif() {
        var s = ContractScenario()
        let rejected = #"""
            {"event":"rejected","client_order_id":"a1","account":"A","symbol":"X","cmd":"new_order","reason":"invalid_tif"}
            """#
        let lines = [
            #"""
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":"1","price":"99","post_only":true,"tif":"ioc"}
            """#,
            #"""
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":"1","price":"99","post_only":true,"tif":"fok"}
            """#,
            #"""
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"buy","type":"market","qty":"1","post_only":true}
            """#,
            #"""
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"buy","type":"stop","qty":"1","stop_price":"99","post_only":true}
            """#,
            #"""
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"buy","type":"stop_limit","qty":"1","price":"99","stop_price":"99","post_only":true}
            """#,
        ]
        for line in lines {
            s.expectLast(line, answers: rejected)
        }
        s.expect(
            #"""
            > {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"buy","type":"market","qty":"1","post_only":false}
            {"event":"accepted","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","side":"buy","type":"market","qty":"1","tif":"gtc"}
            {"event":"order","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","status":"expired","filled_qty":"0","leaves_qty":"0","reason":"no_liquidity"}
            """#)
    }
}
