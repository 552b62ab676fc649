import Testing

/// Rule 8 of the matching contract: stop and stop-limit orders.
@Suite("contract rule 8: stops")
struct ContractRule08StopTests {
    @Test("rule 8: a stop waits unseen and triggers when the last trade price reaches its stop price")
    func triggersOnLastTradePrice() {
        var s = ContractScenario()
        s.expect(
            #"""
            > {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"buy","type":"stop","qty":"2","stop_price":"101"}
            {"event":"accepted","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","side":"buy","type":"stop","qty":"2","stop_price":"101","tif":"gtc"}
            > {"cmd":"new_order","symbol":"X","account":"D","client_order_id":"d1","side":"sell","type":"stop","qty":"1","stop_price":"100"}
            {"event":"accepted","order_id":"2","client_order_id":"d1","account":"D","symbol":"X","side":"sell","type":"stop","qty":"1","stop_price":"100","tif":"gtc"}
            > {"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b1","side":"sell","type":"limit","qty":"3","price":"101"}
            {"event":"accepted","order_id":"3","client_order_id":"b1","account":"B","symbol":"X","side":"sell","type":"limit","qty":"3","price":"101","tif":"gtc"}
            {"event":"book","symbol":"X","side":"sell","price":"101","qty":"3","orders":1}
            > {"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b2","side":"sell","type":"limit","qty":"5","price":"102"}
            {"event":"accepted","order_id":"4","client_order_id":"b2","account":"B","symbol":"X","side":"sell","type":"limit","qty":"5","price":"102","tif":"gtc"}
            {"event":"book","symbol":"X","side":"sell","price":"102","qty":"5","orders":1}
            > {"cmd":"dump_book","symbol":"X"}
            {"event":"book_snapshot","symbol":"X","bids":[],"asks":[{"order_id":"3","client_order_id":"b1","account":"B","price":"101","leaves_qty":"3","display_qty":"3"},{"order_id":"4","client_order_id":"b2","account":"B","price":"102","leaves_qty":"5","display_qty":"5"}],"stops":[{"order_id":"1","client_order_id":"a1","account":"A","side":"buy","stop_price":"101","leaves_qty":"2"},{"order_id":"2","client_order_id":"d1","account":"D","side":"sell","stop_price":"100","leaves_qty":"1"}]}
            // Last trade 101: the buy stop at 101 triggers and becomes a market order; the sell stop at 100 waits.
            > {"cmd":"new_order","symbol":"X","account":"C","client_order_id":"c1","side":"buy","type":"limit","qty":"1","price":"101"}
            {"event":"accepted","order_id":"5","client_order_id":"c1","account":"C","symbol":"X","side":"buy","type":"limit","qty":"1","price":"101","tif":"gtc"}
            {"event":"trade","trade_id":"1","symbol":"X","price":"101","qty":"1","maker_order_id":"3","taker_order_id":"5","maker_account":"B","taker_account":"C","aggressor":"buy"}
            {"event":"order","order_id":"3","client_order_id":"b1","account":"B","symbol":"X","status":"partially_filled","filled_qty":"1","leaves_qty":"2","avg_price":"101"}
            {"event":"order","order_id":"5","client_order_id":"c1","account":"C","symbol":"X","status":"filled","filled_qty":"1","leaves_qty":"0","avg_price":"101"}
            {"event":"book","symbol":"X","side":"sell","price":"101","qty":"2","orders":1}
            {"event":"order","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","status":"triggered","filled_qty":"0","leaves_qty":"2"}
            {"event":"trade","trade_id":"2","symbol":"X","price":"101","qty":"2","maker_order_id":"3","taker_order_id":"1","maker_account":"B","taker_account":"A","aggressor":"buy"}
            {"event":"order","order_id":"3","client_order_id":"b1","account":"B","symbol":"X","status":"filled","filled_qty":"3","leaves_qty":"0","avg_price":"101"}
            {"event":"order","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","status":"filled","filled_qty":"2","leaves_qty":"0","avg_price":"101"}
            {"event":"book","symbol":"X","side":"sell","price":"101","qty":"0","orders":0}
            > {"cmd":"dump_book","symbol":"X"}
            {"event":"book_snapshot","symbol":"X","bids":[],"asks":[{"order_id":"4","client_order_id":"b2","account":"B","price":"102","leaves_qty":"5","display_qty":"5"}],"stops":[{"order_id":"2","client_order_id":"d1","account":"D","side":"sell","stop_price":"100","leaves_qty":"1"}]}
            // An untriggered stop cancels with no book event.
            > {"cmd":"cancel","symbol":"X","account":"D","client_order_id":"d1"}
            {"event":"order","order_id":"2","client_order_id":"d1","account":"D","symbol":"X","status":"cancelled","filled_qty":"0","leaves_qty":"0","reason":"cancelled"}
            """#)
    }

    @Test("rule 8: a stop whose condition already holds on entry triggers at once, then the stops its trades set off")
    func triggersOnEntry() {
        var s = ContractScenario()
        s.run(
            #"""
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"sell","type":"limit","qty":"1","price":"100"}
            {"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b1","side":"buy","type":"limit","qty":"1","price":"100"}
            {"cmd":"new_order","symbol":"X","account":"F","client_order_id":"f1","side":"buy","type":"stop","qty":"1","stop_price":"102"}
            {"cmd":"new_order","symbol":"X","account":"C","client_order_id":"c1","side":"sell","type":"limit","qty":"2","price":"102"}
            {"cmd":"new_order","symbol":"X","account":"C","client_order_id":"c2","side":"sell","type":"limit","qty":"1","price":"103"}
            """#)
        s.expect(
            #"""
            > {"cmd":"new_order","symbol":"X","account":"D","client_order_id":"d1","side":"buy","type":"stop","qty":"2","stop_price":"99"}
            {"event":"accepted","order_id":"6","client_order_id":"d1","account":"D","symbol":"X","side":"buy","type":"stop","qty":"2","stop_price":"99","tif":"gtc"}
            {"event":"order","order_id":"6","client_order_id":"d1","account":"D","symbol":"X","status":"triggered","filled_qty":"0","leaves_qty":"2"}
            {"event":"trade","trade_id":"2","symbol":"X","price":"102","qty":"2","maker_order_id":"4","taker_order_id":"6","maker_account":"C","taker_account":"D","aggressor":"buy"}
            {"event":"order","order_id":"4","client_order_id":"c1","account":"C","symbol":"X","status":"filled","filled_qty":"2","leaves_qty":"0","avg_price":"102"}
            {"event":"order","order_id":"6","client_order_id":"d1","account":"D","symbol":"X","status":"filled","filled_qty":"2","leaves_qty":"0","avg_price":"102"}
            {"event":"book","symbol":"X","side":"sell","price":"102","qty":"0","orders":0}
            {"event":"order","order_id":"3","client_order_id":"f1","account":"F","symbol":"X","status":"triggered","filled_qty":"0","leaves_qty":"1"}
            {"event":"trade","trade_id":"3","symbol":"X","price":"103","qty":"1","maker_order_id":"5","taker_order_id":"3","maker_account":"C","taker_account":"F","aggressor":"buy"}
            {"event":"order","order_id":"5","client_order_id":"c2","account":"C","symbol":"X","status":"filled","filled_qty":"1","leaves_qty":"0","avg_price":"103"}
            {"event":"order","order_id":"3","client_order_id":"f1","account":"F","symbol":"X","status":"filled","filled_qty":"1","leaves_qty":"0","avg_price":"103"}
            {"event":"book","symbol":"X","side":"sell","price":"103","qty":"0","orders":0}
            // Y has no last trade price: nothing triggers on entry.
            > {"cmd":"new_order","symbol":"Y","account":"D","client_order_id":"d2","side":"buy","type":"stop","qty":"1","stop_price":"1"}
            {"event":"accepted","order_id":"7","client_order_id":"d2","account":"D","symbol":"Y","side":"buy","type":"stop","qty":"1","stop_price":"1","tif":"gtc"}
            // Last trade on X is 103, so a sell stop_limit at 103 triggers at once and rests as a limit order.
            > {"cmd":"new_order","symbol":"X","account":"E","client_order_id":"e1","side":"sell","type":"stop_limit","qty":"1","price":"101","stop_price":"103"}
            {"event":"accepted","order_id":"8","client_order_id":"e1","account":"E","symbol":"X","side":"sell","type":"stop_limit","qty":"1","price":"101","stop_price":"103","tif":"gtc"}
            {"event":"order","order_id":"8","client_order_id":"e1","account":"E","symbol":"X","status":"triggered","filled_qty":"0","leaves_qty":"1"}
            {"event":"book","symbol":"X","side":"sell","price":"101","qty":"1","orders":1}
            > {"cmd":"dump_book","symbol":"X"}
            {"event":"book_snapshot","symbol":"X","bids":[],"asks":[{"order_id":"8","client_order_id":"e1","account":"E","price":"101","leaves_qty":"1","display_qty":"1"}],"stops":[]}
            // A triggered stop_limit is a limit order now: its status events continue from new.
            > {"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b2","side":"buy","type":"limit","qty":"1","price":"101"}
            {"event":"accepted","order_id":"9","client_order_id":"b2","account":"B","symbol":"X","side":"buy","type":"limit","qty":"1","price":"101","tif":"gtc"}
            {"event":"trade","trade_id":"4","symbol":"X","price":"101","qty":"1","maker_order_id":"8","taker_order_id":"9","maker_account":"E","taker_account":"B","aggressor":"buy"}
            {"event":"order","order_id":"8","client_order_id":"e1","account":"E","symbol":"X","status":"filled","filled_qty":"1","leaves_qty":"0","avg_price":"101"}
            {"event":"order","order_id":"9","client_order_id":"b2","account":"B","symbol":"X","status":"filled","filled_qty":"1","leaves_qty":"0","avg_price":"101"}
            {"event":"book","symbol":"X","side":"sell","price":"101","qty":"0","orders":0}
            """#)
    }

    @Test(
        "rule 8: stops whose condition holds at one check all trigger at once in stop-list order, then run one at a time"
    )
    func severalTriggerInStopListOrder() {
        var s = ContractScenario()
        s.run(
            #"""
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"buy","type":"stop","qty":"1","stop_price":"101"}
            {"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b1","side":"buy","type":"stop","qty":"1","stop_price":"100"}
            {"cmd":"new_order","symbol":"X","account":"C","client_order_id":"c1","side":"sell","type":"limit","qty":"1","price":"101"}
            {"cmd":"new_order","symbol":"X","account":"C","client_order_id":"c2","side":"sell","type":"limit","qty":"1","price":"102"}
            {"cmd":"new_order","symbol":"X","account":"C","client_order_id":"c3","side":"sell","type":"limit","qty":"1","price":"103"}
            """#)
        s.expect(
            #"""
            > {"cmd":"new_order","symbol":"X","account":"D","client_order_id":"d1","side":"buy","type":"limit","qty":"1","price":"101"}
            {"event":"accepted","order_id":"6","client_order_id":"d1","account":"D","symbol":"X","side":"buy","type":"limit","qty":"1","price":"101","tif":"gtc"}
            {"event":"trade","trade_id":"1","symbol":"X","price":"101","qty":"1","maker_order_id":"3","taker_order_id":"6","maker_account":"C","taker_account":"D","aggressor":"buy"}
            {"event":"order","order_id":"3","client_order_id":"c1","account":"C","symbol":"X","status":"filled","filled_qty":"1","leaves_qty":"0","avg_price":"101"}
            {"event":"order","order_id":"6","client_order_id":"d1","account":"D","symbol":"X","status":"filled","filled_qty":"1","leaves_qty":"0","avg_price":"101"}
            {"event":"book","symbol":"X","side":"sell","price":"101","qty":"0","orders":0}
            {"event":"order","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","status":"triggered","filled_qty":"0","leaves_qty":"1"}
            {"event":"order","order_id":"2","client_order_id":"b1","account":"B","symbol":"X","status":"triggered","filled_qty":"0","leaves_qty":"1"}
            {"event":"trade","trade_id":"2","symbol":"X","price":"102","qty":"1","maker_order_id":"4","taker_order_id":"1","maker_account":"C","taker_account":"A","aggressor":"buy"}
            {"event":"order","order_id":"4","client_order_id":"c2","account":"C","symbol":"X","status":"filled","filled_qty":"1","leaves_qty":"0","avg_price":"102"}
            {"event":"order","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","status":"filled","filled_qty":"1","leaves_qty":"0","avg_price":"102"}
            {"event":"book","symbol":"X","side":"sell","price":"102","qty":"0","orders":0}
            {"event":"trade","trade_id":"3","symbol":"X","price":"103","qty":"1","maker_order_id":"5","taker_order_id":"2","maker_account":"C","taker_account":"B","aggressor":"buy"}
            {"event":"order","order_id":"5","client_order_id":"c3","account":"C","symbol":"X","status":"filled","filled_qty":"1","leaves_qty":"0","avg_price":"103"}
            {"event":"order","order_id":"2","client_order_id":"b1","account":"B","symbol":"X","status":"filled","filled_qty":"1","leaves_qty":"0","avg_price":"103"}
            {"event":"book","symbol":"X","side":"sell","price":"103","qty":"0","orders":0}
            """#)
    }

    @Test("rule 8: stops triggered by a stop's trades join the end of the work list")
    func stopWorkList() {
        var s = ContractScenario()
        s.run(
            #"""
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"buy","type":"stop","qty":"1","stop_price":"101"}
            {"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b1","side":"buy","type":"stop","qty":"1","stop_price":"101"}
            {"cmd":"new_order","symbol":"X","account":"E","client_order_id":"e1","side":"buy","type":"stop","qty":"1","stop_price":"102"}
            {"cmd":"new_order","symbol":"X","account":"C","client_order_id":"c1","side":"sell","type":"limit","qty":"1","price":"101"}
            {"cmd":"new_order","symbol":"X","account":"C","client_order_id":"c2","side":"sell","type":"limit","qty":"1","price":"102"}
            {"cmd":"new_order","symbol":"X","account":"C","client_order_id":"c3","side":"sell","type":"limit","qty":"1","price":"103"}
            {"cmd":"new_order","symbol":"X","account":"C","client_order_id":"c4","side":"sell","type":"limit","qty":"1","price":"104"}
            """#)
        s.expect(
            #"""
            > {"cmd":"new_order","symbol":"X","account":"D","client_order_id":"d1","side":"buy","type":"limit","qty":"1","price":"101"}
            {"event":"accepted","order_id":"8","client_order_id":"d1","account":"D","symbol":"X","side":"buy","type":"limit","qty":"1","price":"101","tif":"gtc"}
            {"event":"trade","trade_id":"1","symbol":"X","price":"101","qty":"1","maker_order_id":"4","taker_order_id":"8","maker_account":"C","taker_account":"D","aggressor":"buy"}
            {"event":"order","order_id":"4","client_order_id":"c1","account":"C","symbol":"X","status":"filled","filled_qty":"1","leaves_qty":"0","avg_price":"101"}
            {"event":"order","order_id":"8","client_order_id":"d1","account":"D","symbol":"X","status":"filled","filled_qty":"1","leaves_qty":"0","avg_price":"101"}
            {"event":"book","symbol":"X","side":"sell","price":"101","qty":"0","orders":0}
            // Check at 101: stops 1 and 2 trigger; the work list is [1, 2].
            {"event":"order","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","status":"triggered","filled_qty":"0","leaves_qty":"1"}
            {"event":"order","order_id":"2","client_order_id":"b1","account":"B","symbol":"X","status":"triggered","filled_qty":"0","leaves_qty":"1"}
            {"event":"trade","trade_id":"2","symbol":"X","price":"102","qty":"1","maker_order_id":"5","taker_order_id":"1","maker_account":"C","taker_account":"A","aggressor":"buy"}
            {"event":"order","order_id":"5","client_order_id":"c2","account":"C","symbol":"X","status":"filled","filled_qty":"1","leaves_qty":"0","avg_price":"102"}
            {"event":"order","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","status":"filled","filled_qty":"1","leaves_qty":"0","avg_price":"102"}
            {"event":"book","symbol":"X","side":"sell","price":"102","qty":"0","orders":0}
            // Check at 102 after stop 1: stop 3 triggers and joins the end; the work list is [2, 3].
            {"event":"order","order_id":"3","client_order_id":"e1","account":"E","symbol":"X","status":"triggered","filled_qty":"0","leaves_qty":"1"}
            {"event":"trade","trade_id":"3","symbol":"X","price":"103","qty":"1","maker_order_id":"6","taker_order_id":"2","maker_account":"C","taker_account":"B","aggressor":"buy"}
            {"event":"order","order_id":"6","client_order_id":"c3","account":"C","symbol":"X","status":"filled","filled_qty":"1","leaves_qty":"0","avg_price":"103"}
            {"event":"order","order_id":"2","client_order_id":"b1","account":"B","symbol":"X","status":"filled","filled_qty":"1","leaves_qty":"0","avg_price":"103"}
            {"event":"book","symbol":"X","side":"sell","price":"103","qty":"0","orders":0}
            {"event":"trade","trade_id":"4","symbol":"X","price":"104","qty":"1","maker_order_id":"7","taker_order_id":"3","maker_account":"C","taker_account":"E","aggressor":"buy"}
            {"event":"order","order_id":"7","client_order_id":"c4","account":"C","symbol":"X","status":"filled","filled_qty":"1","leaves_qty":"0","avg_price":"104"}
            {"event":"order","order_id":"3","client_order_id":"e1","account":"E","symbol":"X","status":"filled","filled_qty":"1","leaves_qty":"0","avg_price":"104"}
            {"event":"book","symbol":"X","side":"sell","price":"104","qty":"0","orders":0}
            """#)
    }

    @Test("rule 8: work-list stops are not re-checked when their turn comes")
    func workListNotRechecked() {
        var s = ContractScenario()
        s.run(
            #"""
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"sell","type":"stop","qty":"1","stop_price":"101"}
            {"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b1","side":"buy","type":"stop","qty":"1","stop_price":"101"}
            {"cmd":"new_order","symbol":"X","account":"C","client_order_id":"c1","side":"buy","type":"limit","qty":"1","price":"99"}
            {"cmd":"new_order","symbol":"X","account":"C","client_order_id":"c2","side":"sell","type":"limit","qty":"1","price":"101"}
            {"cmd":"new_order","symbol":"X","account":"C","client_order_id":"c3","side":"sell","type":"limit","qty":"1","price":"103"}
            """#)
        s.expect(
            #"""
            > {"cmd":"new_order","symbol":"X","account":"D","client_order_id":"d1","side":"buy","type":"limit","qty":"1","price":"101"}
            {"event":"accepted","order_id":"6","client_order_id":"d1","account":"D","symbol":"X","side":"buy","type":"limit","qty":"1","price":"101","tif":"gtc"}
            {"event":"trade","trade_id":"1","symbol":"X","price":"101","qty":"1","maker_order_id":"4","taker_order_id":"6","maker_account":"C","taker_account":"D","aggressor":"buy"}
            {"event":"order","order_id":"4","client_order_id":"c2","account":"C","symbol":"X","status":"filled","filled_qty":"1","leaves_qty":"0","avg_price":"101"}
            {"event":"order","order_id":"6","client_order_id":"d1","account":"D","symbol":"X","status":"filled","filled_qty":"1","leaves_qty":"0","avg_price":"101"}
            {"event":"book","symbol":"X","side":"sell","price":"101","qty":"0","orders":0}
            {"event":"order","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","status":"triggered","filled_qty":"0","leaves_qty":"1"}
            {"event":"order","order_id":"2","client_order_id":"b1","account":"B","symbol":"X","status":"triggered","filled_qty":"0","leaves_qty":"1"}
            {"event":"trade","trade_id":"2","symbol":"X","price":"99","qty":"1","maker_order_id":"3","taker_order_id":"1","maker_account":"C","taker_account":"A","aggressor":"sell"}
            {"event":"order","order_id":"3","client_order_id":"c1","account":"C","symbol":"X","status":"filled","filled_qty":"1","leaves_qty":"0","avg_price":"99"}
            {"event":"order","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","status":"filled","filled_qty":"1","leaves_qty":"0","avg_price":"99"}
            {"event":"book","symbol":"X","side":"buy","price":"99","qty":"0","orders":0}
            // The last trade is now 99, below stop 2's 101, but stop 2 already triggered: it runs.
            {"event":"trade","trade_id":"3","symbol":"X","price":"103","qty":"1","maker_order_id":"5","taker_order_id":"2","maker_account":"C","taker_account":"B","aggressor":"buy"}
            {"event":"order","order_id":"5","client_order_id":"c3","account":"C","symbol":"X","status":"filled","filled_qty":"1","leaves_qty":"0","avg_price":"103"}
            {"event":"order","order_id":"2","client_order_id":"b1","account":"B","symbol":"X","status":"filled","filled_qty":"1","leaves_qty":"0","avg_price":"103"}
            {"event":"book","symbol":"X","side":"sell","price":"103","qty":"0","orders":0}
            """#)
    }

    @Test("rule 8: a triggered stop keeps its tif (stop_limit ioc, stop fok)")
    func triggeredStopKeepsTif() {
        var s = ContractScenario()
        s.run(
            #"""
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"buy","type":"stop_limit","qty":"3","price":"101","stop_price":"100","tif":"ioc"}
            {"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b1","side":"buy","type":"stop","qty":"5","stop_price":"100","tif":"fok"}
            {"cmd":"new_order","symbol":"X","account":"C","client_order_id":"c1","side":"sell","type":"limit","qty":"1","price":"100"}
            {"cmd":"new_order","symbol":"X","account":"C","client_order_id":"c2","side":"sell","type":"limit","qty":"1","price":"101"}
            {"cmd":"new_order","symbol":"X","account":"C","client_order_id":"c3","side":"sell","type":"limit","qty":"2","price":"105"}
            """#)
        s.expect(
            #"""
            > {"cmd":"new_order","symbol":"X","account":"D","client_order_id":"d1","side":"buy","type":"limit","qty":"1","price":"100"}
            {"event":"accepted","order_id":"6","client_order_id":"d1","account":"D","symbol":"X","side":"buy","type":"limit","qty":"1","price":"100","tif":"gtc"}
            {"event":"trade","trade_id":"1","symbol":"X","price":"100","qty":"1","maker_order_id":"3","taker_order_id":"6","maker_account":"C","taker_account":"D","aggressor":"buy"}
            {"event":"order","order_id":"3","client_order_id":"c1","account":"C","symbol":"X","status":"filled","filled_qty":"1","leaves_qty":"0","avg_price":"100"}
            {"event":"order","order_id":"6","client_order_id":"d1","account":"D","symbol":"X","status":"filled","filled_qty":"1","leaves_qty":"0","avg_price":"100"}
            {"event":"book","symbol":"X","side":"sell","price":"100","qty":"0","orders":0}
            {"event":"order","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","status":"triggered","filled_qty":"0","leaves_qty":"3"}
            {"event":"order","order_id":"2","client_order_id":"b1","account":"B","symbol":"X","status":"triggered","filled_qty":"0","leaves_qty":"5"}
            {"event":"trade","trade_id":"2","symbol":"X","price":"101","qty":"1","maker_order_id":"4","taker_order_id":"1","maker_account":"C","taker_account":"A","aggressor":"buy"}
            {"event":"order","order_id":"4","client_order_id":"c2","account":"C","symbol":"X","status":"filled","filled_qty":"1","leaves_qty":"0","avg_price":"101"}
            {"event":"order","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","status":"partially_filled","filled_qty":"1","leaves_qty":"2","avg_price":"101"}
            {"event":"book","symbol":"X","side":"sell","price":"101","qty":"0","orders":0}
            {"event":"order","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","status":"cancelled","filled_qty":"1","leaves_qty":"0","avg_price":"101","reason":"ioc_remainder"}
            {"event":"order","order_id":"2","client_order_id":"b1","account":"B","symbol":"X","status":"expired","filled_qty":"0","leaves_qty":"0","reason":"fok_unfilled"}
            > {"cmd":"dump_book","symbol":"X"}
            {"event":"book_snapshot","symbol":"X","bids":[],"asks":[{"order_id":"5","client_order_id":"c3","account":"C","price":"105","leaves_qty":"2","display_qty":"2"}],"stops":[]}
            """#)
    }

    @Test("rule 8: a stop accepts tif gtc, ioc and fok; a stop_limit all five")
    func stopTifs() {
        var s = ContractScenario()
        s.expect(
            #"""
            > {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"buy","type":"stop","qty":"1","stop_price":"105","tif":"day"}
            {"event":"rejected","client_order_id":"a1","account":"A","symbol":"X","cmd":"new_order","reason":"invalid_tif"}
            > {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"buy","type":"stop","qty":"1","stop_price":"105","tif":"gtd","expire_at":1000}
            {"event":"rejected","client_order_id":"a1","account":"A","symbol":"X","cmd":"new_order","reason":"invalid_tif"}
            > {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"buy","type":"stop","qty":"1","stop_price":"105","tif":"fok"}
            {"event":"accepted","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","side":"buy","type":"stop","qty":"1","stop_price":"105","tif":"fok"}
            > {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a2","side":"buy","type":"stop_limit","qty":"1","price":"106","stop_price":"105","tif":"day"}
            {"event":"accepted","order_id":"2","client_order_id":"a2","account":"A","symbol":"X","side":"buy","type":"stop_limit","qty":"1","price":"106","stop_price":"105","tif":"day"}
            > {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a3","side":"buy","type":"stop_limit","qty":"1","price":"106","stop_price":"105","tif":"gtd","expire_at":1000}
            {"event":"accepted","order_id":"3","client_order_id":"a3","account":"A","symbol":"X","side":"buy","type":"stop_limit","qty":"1","price":"106","stop_price":"105","tif":"gtd"}
            > {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a4","side":"buy","type":"stop_limit","qty":"1","price":"106","stop_price":"105","tif":"fok"}
            {"event":"accepted","order_id":"4","client_order_id":"a4","account":"A","symbol":"X","side":"buy","type":"stop_limit","qty":"1","price":"106","stop_price":"105","tif":"fok"}
            """#)
    }

    @Test("rule 8: a triggered stop keeps its expire_at, and a GTD stop_limit that rests expires")
    func triggeredStopKeepsExpireAt() {
        var s = ContractScenario()
        s.run(
            #"""
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"sell","type":"limit","qty":"1","price":"100"}
            {"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b1","side":"buy","type":"limit","qty":"1","price":"100"}
            """#)
        s.expect(
            #"""
            > {"cmd":"new_order","symbol":"X","account":"C","client_order_id":"c1","side":"buy","type":"stop_limit","qty":"2","price":"99","stop_price":"100","tif":"gtd","expire_at":500}
            {"event":"accepted","order_id":"3","client_order_id":"c1","account":"C","symbol":"X","side":"buy","type":"stop_limit","qty":"2","price":"99","stop_price":"100","tif":"gtd"}
            {"event":"order","order_id":"3","client_order_id":"c1","account":"C","symbol":"X","status":"triggered","filled_qty":"0","leaves_qty":"2"}
            {"event":"book","symbol":"X","side":"buy","price":"99","qty":"2","orders":1}
            > {"cmd":"time","now":500}
            {"event":"order","order_id":"3","client_order_id":"c1","account":"C","symbol":"X","status":"expired","filled_qty":"0","leaves_qty":"0","reason":"gtd_expired"}
            {"event":"book","symbol":"X","side":"buy","price":"99","qty":"0","orders":0}
            """#)
    }

    @Test("rule 8: replacing a stop's stop_price moves it to the end of the stop list")
    func stopReplaceMovesToEnd() {
        var s = ContractScenario()
        s.run(
            #"""
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"buy","type":"stop","qty":"1","stop_price":"102"}
            {"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b1","side":"buy","type":"stop","qty":"1","stop_price":"101"}
            {"cmd":"new_order","symbol":"X","account":"C","client_order_id":"c1","side":"sell","type":"limit","qty":"1","price":"101"}
            {"cmd":"new_order","symbol":"X","account":"C","client_order_id":"c2","side":"sell","type":"limit","qty":"1","price":"102"}
            {"cmd":"new_order","symbol":"X","account":"C","client_order_id":"c3","side":"sell","type":"limit","qty":"1","price":"103"}
            """#)
        s.expect(
            #"""
            > {"cmd":"replace","symbol":"X","account":"A","order_id":"1","stop_price":"101"}
            {"event":"order","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","status":"replaced","filled_qty":"0","leaves_qty":"1"}
            > {"cmd":"dump_book","symbol":"X"}
            {"event":"book_snapshot","symbol":"X","bids":[],"asks":[{"order_id":"3","client_order_id":"c1","account":"C","price":"101","leaves_qty":"1","display_qty":"1"},{"order_id":"4","client_order_id":"c2","account":"C","price":"102","leaves_qty":"1","display_qty":"1"},{"order_id":"5","client_order_id":"c3","account":"C","price":"103","leaves_qty":"1","display_qty":"1"}],"stops":[{"order_id":"2","client_order_id":"b1","account":"B","side":"buy","stop_price":"101","leaves_qty":"1"},{"order_id":"1","client_order_id":"a1","account":"A","side":"buy","stop_price":"101","leaves_qty":"1"}]}
            > {"cmd":"new_order","symbol":"X","account":"D","client_order_id":"d1","side":"buy","type":"limit","qty":"1","price":"101"}
            {"event":"accepted","order_id":"6","client_order_id":"d1","account":"D","symbol":"X","side":"buy","type":"limit","qty":"1","price":"101","tif":"gtc"}
            {"event":"trade","trade_id":"1","symbol":"X","price":"101","qty":"1","maker_order_id":"3","taker_order_id":"6","maker_account":"C","taker_account":"D","aggressor":"buy"}
            {"event":"order","order_id":"3","client_order_id":"c1","account":"C","symbol":"X","status":"filled","filled_qty":"1","leaves_qty":"0","avg_price":"101"}
            {"event":"order","order_id":"6","client_order_id":"d1","account":"D","symbol":"X","status":"filled","filled_qty":"1","leaves_qty":"0","avg_price":"101"}
            {"event":"book","symbol":"X","side":"sell","price":"101","qty":"0","orders":0}
            {"event":"order","order_id":"2","client_order_id":"b1","account":"B","symbol":"X","status":"triggered","filled_qty":"0","leaves_qty":"1"}
            {"event":"order","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","status":"triggered","filled_qty":"0","leaves_qty":"1"}
            {"event":"trade","trade_id":"2","symbol":"X","price":"102","qty":"1","maker_order_id":"4","taker_order_id":"2","maker_account":"C","taker_account":"B","aggressor":"buy"}
            {"event":"order","order_id":"4","client_order_id":"c2","account":"C","symbol":"X","status":"filled","filled_qty":"1","leaves_qty":"0","avg_price":"102"}
            {"event":"order","order_id":"2","client_order_id":"b1","account":"B","symbol":"X","status":"filled","filled_qty":"1","leaves_qty":"0","avg_price":"102"}
            {"event":"book","symbol":"X","side":"sell","price":"102","qty":"0","orders":0}
            {"event":"trade","trade_id":"3","symbol":"X","price":"103","qty":"1","maker_order_id":"5","taker_order_id":"1","maker_account":"C","taker_account":"A","aggressor":"buy"}
            {"event":"order","order_id":"5","client_order_id":"c3","account":"C","symbol":"X","status":"filled","filled_qty":"1","leaves_qty":"0","avg_price":"103"}
            {"event":"order","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","status":"filled","filled_qty":"1","leaves_qty":"0","avg_price":"103"}
            {"event":"book","symbol":"X","side":"sell","price":"103","qty":"0","orders":0}
            """#)
    }

    @Test("rule 8: a stop replace keeps its place when it shrinks or renames, and moves to the end when it grows")
    func stopReplacePlace() {
        var s = ContractScenario()
        s.run(
            #"""
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"buy","type":"stop_limit","qty":"3","price":"106","stop_price":"105"}
            {"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b1","side":"buy","type":"stop","qty":"1","stop_price":"105"}
            """#)
        s.expect(
            #"""
            > {"cmd":"replace","symbol":"X","account":"A","order_id":"1","qty":"2"}
            {"event":"order","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","status":"new","filled_qty":"0","leaves_qty":"2"}
            > {"cmd":"replace","symbol":"X","account":"A","order_id":"1","qty":"2","new_client_order_id":"a9"}
            {"event":"order","order_id":"1","client_order_id":"a9","account":"A","symbol":"X","status":"new","filled_qty":"0","leaves_qty":"2"}
            > {"cmd":"dump_book","symbol":"X"}
            {"event":"book_snapshot","symbol":"X","bids":[],"asks":[],"stops":[{"order_id":"1","client_order_id":"a9","account":"A","side":"buy","stop_price":"105","leaves_qty":"2"},{"order_id":"2","client_order_id":"b1","account":"B","side":"buy","stop_price":"105","leaves_qty":"1"}]}
            > {"cmd":"replace","symbol":"X","account":"A","client_order_id":"a9","qty":"4"}
            {"event":"order","order_id":"1","client_order_id":"a9","account":"A","symbol":"X","status":"replaced","filled_qty":"0","leaves_qty":"4"}
            > {"cmd":"dump_book","symbol":"X"}
            {"event":"book_snapshot","symbol":"X","bids":[],"asks":[],"stops":[{"order_id":"2","client_order_id":"b1","account":"B","side":"buy","stop_price":"105","leaves_qty":"1"},{"order_id":"1","client_order_id":"a9","account":"A","side":"buy","stop_price":"105","leaves_qty":"4"}]}
            // Changing a stop_limit's price also moves it to the end.
            > {"cmd":"replace","symbol":"X","account":"B","order_id":"2","stop_price":"104"}
            {"event":"order","order_id":"2","client_order_id":"b1","account":"B","symbol":"X","status":"replaced","filled_qty":"0","leaves_qty":"1"}
            > {"cmd":"replace","symbol":"X","account":"A","order_id":"1","price":"107"}
            {"event":"order","order_id":"1","client_order_id":"a9","account":"A","symbol":"X","status":"replaced","filled_qty":"0","leaves_qty":"4"}
            > {"cmd":"dump_book","symbol":"X"}
            {"event":"book_snapshot","symbol":"X","bids":[],"asks":[],"stops":[{"order_id":"2","client_order_id":"b1","account":"B","side":"buy","stop_price":"104","leaves_qty":"1"},{"order_id":"1","client_order_id":"a9","account":"A","side":"buy","stop_price":"105","leaves_qty":"4"}]}
            """#)
    }

    @Test("rule 8: a replaced stop whose condition now holds triggers at once")
    func stopReplaceTriggers() {
        var s = ContractScenario()
        s.run(
            #"""
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"sell","type":"limit","qty":"1","price":"100"}
            {"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b1","side":"buy","type":"limit","qty":"1","price":"100"}
            {"cmd":"new_order","symbol":"X","account":"C","client_order_id":"c1","side":"sell","type":"limit","qty":"2","price":"101"}
            {"cmd":"new_order","symbol":"X","account":"D","client_order_id":"d1","side":"buy","type":"stop","qty":"2","stop_price":"105"}
            """#)
        s.expect(
            #"""
            > {"cmd":"replace","symbol":"X","account":"D","order_id":"4","stop_price":"100"}
            {"event":"order","order_id":"4","client_order_id":"d1","account":"D","symbol":"X","status":"replaced","filled_qty":"0","leaves_qty":"2"}
            {"event":"order","order_id":"4","client_order_id":"d1","account":"D","symbol":"X","status":"triggered","filled_qty":"0","leaves_qty":"2"}
            {"event":"trade","trade_id":"2","symbol":"X","price":"101","qty":"2","maker_order_id":"3","taker_order_id":"4","maker_account":"C","taker_account":"D","aggressor":"buy"}
            {"event":"order","order_id":"3","client_order_id":"c1","account":"C","symbol":"X","status":"filled","filled_qty":"2","leaves_qty":"0","avg_price":"101"}
            {"event":"order","order_id":"4","client_order_id":"d1","account":"D","symbol":"X","status":"filled","filled_qty":"2","leaves_qty":"0","avg_price":"101"}
            {"event":"book","symbol":"X","side":"sell","price":"101","qty":"0","orders":0}
            """#)
    }

    @Test("rule 8: a priority-losing replace that trades is followed by a trigger check")
    func replaceRunsTriggerCheck() {
        var s = ContractScenario()
        s.run(
            #"""
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"buy","type":"stop","qty":"1","stop_price":"101"}
            {"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b1","side":"sell","type":"limit","qty":"1","price":"101"}
            {"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b2","side":"sell","type":"limit","qty":"1","price":"102"}
            {"cmd":"new_order","symbol":"X","account":"C","client_order_id":"c1","side":"buy","type":"limit","qty":"1","price":"100"}
            """#)
        s.expect(
            #"""
            > {"cmd":"replace","symbol":"X","account":"C","order_id":"4","price":"101"}
            {"event":"order","order_id":"4","client_order_id":"c1","account":"C","symbol":"X","status":"replaced","filled_qty":"0","leaves_qty":"1"}
            {"event":"book","symbol":"X","side":"buy","price":"100","qty":"0","orders":0}
            {"event":"trade","trade_id":"1","symbol":"X","price":"101","qty":"1","maker_order_id":"2","taker_order_id":"4","maker_account":"B","taker_account":"C","aggressor":"buy"}
            {"event":"order","order_id":"2","client_order_id":"b1","account":"B","symbol":"X","status":"filled","filled_qty":"1","leaves_qty":"0","avg_price":"101"}
            {"event":"order","order_id":"4","client_order_id":"c1","account":"C","symbol":"X","status":"filled","filled_qty":"1","leaves_qty":"0","avg_price":"101"}
            {"event":"book","symbol":"X","side":"sell","price":"101","qty":"0","orders":0}
            {"event":"order","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","status":"triggered","filled_qty":"0","leaves_qty":"1"}
            {"event":"trade","trade_id":"2","symbol":"X","price":"102","qty":"1","maker_order_id":"3","taker_order_id":"1","maker_account":"B","taker_account":"A","aggressor":"buy"}
            {"event":"order","order_id":"3","client_order_id":"b2","account":"B","symbol":"X","status":"filled","filled_qty":"1","leaves_qty":"0","avg_price":"102"}
            {"event":"order","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","status":"filled","filled_qty":"1","leaves_qty":"0","avg_price":"102"}
            {"event":"book","symbol":"X","side":"sell","price":"102","qty":"0","orders":0}
            """#)
    }
}
