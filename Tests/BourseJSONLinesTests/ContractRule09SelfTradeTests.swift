import Testing

/// Rule 9 of the matching contract: self-trade prevention.
@Suite("contract rule 9: self-trade prevention")
struct ContractRule09SelfTradeTests {
    @Test("rule 9: cancel_taker (the default) cancels the incoming order's remainder and stops matching")
    func cancelTaker() {
        var s = ContractScenario()
        s.run(
            #"""
            {"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b1","side":"sell","type":"limit","qty":"2","price":"100"}
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"sell","type":"limit","qty":"5","price":"100","stp":"none"}
            {"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b2","side":"sell","type":"limit","qty":"5","price":"100"}
            """#)
        s.expect(
            #"""
            > {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a2","side":"buy","type":"limit","qty":"6","price":"100"}
            {"event":"accepted","order_id":"4","client_order_id":"a2","account":"A","symbol":"X","side":"buy","type":"limit","qty":"6","price":"100","tif":"gtc"}
            {"event":"trade","trade_id":"1","symbol":"X","price":"100","qty":"2","maker_order_id":"1","taker_order_id":"4","maker_account":"B","taker_account":"A","aggressor":"buy"}
            {"event":"order","order_id":"1","client_order_id":"b1","account":"B","symbol":"X","status":"filled","filled_qty":"2","leaves_qty":"0","avg_price":"100"}
            {"event":"order","order_id":"4","client_order_id":"a2","account":"A","symbol":"X","status":"partially_filled","filled_qty":"2","leaves_qty":"4","avg_price":"100"}
            {"event":"book","symbol":"X","side":"sell","price":"100","qty":"10","orders":2}
            {"event":"order","order_id":"4","client_order_id":"a2","account":"A","symbol":"X","status":"cancelled","filled_qty":"2","leaves_qty":"0","avg_price":"100","reason":"self_trade"}
            > {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a3","side":"buy","type":"limit","qty":"1","price":"100","stp":"cancel_taker"}
            {"event":"accepted","order_id":"5","client_order_id":"a3","account":"A","symbol":"X","side":"buy","type":"limit","qty":"1","price":"100","tif":"gtc"}
            {"event":"order","order_id":"5","client_order_id":"a3","account":"A","symbol":"X","status":"cancelled","filled_qty":"0","leaves_qty":"0","reason":"self_trade"}
            > {"cmd":"dump_book","symbol":"X"}
            {"event":"book_snapshot","symbol":"X","bids":[],"asks":[{"order_id":"2","client_order_id":"a1","account":"A","price":"100","leaves_qty":"5","display_qty":"5"},{"order_id":"3","client_order_id":"b2","account":"B","price":"100","leaves_qty":"5","display_qty":"5"}],"stops":[]}
            """#)
    }

    @Test("rule 9: cancel_maker cancels the resting order and goes on matching")
    func cancelMaker() {
        var s = ContractScenario()
        s.run(
            #"""
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"sell","type":"limit","qty":"3","price":"100"}
            {"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b1","side":"sell","type":"limit","qty":"5","price":"100"}
            """#)
        s.expect(
            #"""
            > {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a2","side":"buy","type":"limit","qty":"4","price":"100","stp":"cancel_maker"}
            {"event":"accepted","order_id":"3","client_order_id":"a2","account":"A","symbol":"X","side":"buy","type":"limit","qty":"4","price":"100","tif":"gtc"}
            {"event":"order","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","status":"cancelled","filled_qty":"0","leaves_qty":"0","reason":"self_trade"}
            {"event":"book","symbol":"X","side":"sell","price":"100","qty":"5","orders":1}
            {"event":"trade","trade_id":"1","symbol":"X","price":"100","qty":"4","maker_order_id":"2","taker_order_id":"3","maker_account":"B","taker_account":"A","aggressor":"buy"}
            {"event":"order","order_id":"2","client_order_id":"b1","account":"B","symbol":"X","status":"partially_filled","filled_qty":"4","leaves_qty":"1","avg_price":"100"}
            {"event":"order","order_id":"3","client_order_id":"a2","account":"A","symbol":"X","status":"filled","filled_qty":"4","leaves_qty":"0","avg_price":"100"}
            {"event":"book","symbol":"X","side":"sell","price":"100","qty":"1","orders":1}
            """#)
    }

    @Test("rule 9: cancel_both cancels the resting order, then the incoming order")
    func cancelBoth() {
        var s = ContractScenario()
        s.run(
            #"""
            {"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b1","side":"sell","type":"limit","qty":"2","price":"100"}
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"sell","type":"limit","qty":"3","price":"100"}
            {"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b2","side":"sell","type":"limit","qty":"4","price":"100"}
            """#)
        s.expect(
            #"""
            > {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a2","side":"buy","type":"limit","qty":"5","price":"100","stp":"cancel_both"}
            {"event":"accepted","order_id":"4","client_order_id":"a2","account":"A","symbol":"X","side":"buy","type":"limit","qty":"5","price":"100","tif":"gtc"}
            {"event":"trade","trade_id":"1","symbol":"X","price":"100","qty":"2","maker_order_id":"1","taker_order_id":"4","maker_account":"B","taker_account":"A","aggressor":"buy"}
            {"event":"order","order_id":"1","client_order_id":"b1","account":"B","symbol":"X","status":"filled","filled_qty":"2","leaves_qty":"0","avg_price":"100"}
            {"event":"order","order_id":"4","client_order_id":"a2","account":"A","symbol":"X","status":"partially_filled","filled_qty":"2","leaves_qty":"3","avg_price":"100"}
            {"event":"book","symbol":"X","side":"sell","price":"100","qty":"7","orders":2}
            {"event":"order","order_id":"2","client_order_id":"a1","account":"A","symbol":"X","status":"cancelled","filled_qty":"0","leaves_qty":"0","reason":"self_trade"}
            {"event":"book","symbol":"X","side":"sell","price":"100","qty":"4","orders":1}
            {"event":"order","order_id":"4","client_order_id":"a2","account":"A","symbol":"X","status":"cancelled","filled_qty":"2","leaves_qty":"0","avg_price":"100","reason":"self_trade"}
            > {"cmd":"dump_book","symbol":"X"}
            {"event":"book_snapshot","symbol":"X","bids":[],"asks":[{"order_id":"3","client_order_id":"b2","account":"B","price":"100","leaves_qty":"4","display_qty":"4"}],"stops":[]}
            """#)
    }

    @Test("rule 9: decrement reduces both orders without a trade and cancels whichever reaches zero")
    func decrement() {
        var s = ContractScenario()
        s.run(
            #"""
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"sell","type":"limit","qty":"3","price":"100"}
            {"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b1","side":"sell","type":"limit","qty":"5","price":"100"}
            """#)
        s.expect(
            #"""
            // The resting order reaches zero; the incoming order goes on with 2 and trades them.
            > {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a2","side":"buy","type":"limit","qty":"5","price":"100","stp":"decrement"}
            {"event":"accepted","order_id":"3","client_order_id":"a2","account":"A","symbol":"X","side":"buy","type":"limit","qty":"5","price":"100","tif":"gtc"}
            {"event":"order","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","status":"cancelled","filled_qty":"0","leaves_qty":"0","reason":"self_trade"}
            {"event":"order","order_id":"3","client_order_id":"a2","account":"A","symbol":"X","status":"new","filled_qty":"0","leaves_qty":"2"}
            {"event":"book","symbol":"X","side":"sell","price":"100","qty":"5","orders":1}
            {"event":"trade","trade_id":"1","symbol":"X","price":"100","qty":"2","maker_order_id":"2","taker_order_id":"3","maker_account":"B","taker_account":"A","aggressor":"buy"}
            {"event":"order","order_id":"2","client_order_id":"b1","account":"B","symbol":"X","status":"partially_filled","filled_qty":"2","leaves_qty":"3","avg_price":"100"}
            {"event":"order","order_id":"3","client_order_id":"a2","account":"A","symbol":"X","status":"filled","filled_qty":"2","leaves_qty":"0","avg_price":"100"}
            {"event":"book","symbol":"X","side":"sell","price":"100","qty":"3","orders":1}
            > {"cmd":"new_order","symbol":"X","account":"C","client_order_id":"c1","side":"sell","type":"limit","qty":"1","price":"100"}
            {"event":"accepted","order_id":"4","client_order_id":"c1","account":"C","symbol":"X","side":"sell","type":"limit","qty":"1","price":"100","tif":"gtc"}
            {"event":"book","symbol":"X","side":"sell","price":"100","qty":"4","orders":2}
            // The incoming order reaches zero; the resting one survives with 1, keeps its status and its place.
            > {"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b2","side":"buy","type":"limit","qty":"2","price":"100","stp":"decrement"}
            {"event":"accepted","order_id":"5","client_order_id":"b2","account":"B","symbol":"X","side":"buy","type":"limit","qty":"2","price":"100","tif":"gtc"}
            {"event":"order","order_id":"2","client_order_id":"b1","account":"B","symbol":"X","status":"partially_filled","filled_qty":"2","leaves_qty":"1","avg_price":"100"}
            {"event":"order","order_id":"5","client_order_id":"b2","account":"B","symbol":"X","status":"cancelled","filled_qty":"0","leaves_qty":"0","reason":"self_trade"}
            {"event":"book","symbol":"X","side":"sell","price":"100","qty":"2","orders":2}
            > {"cmd":"dump_book","symbol":"X"}
            {"event":"book_snapshot","symbol":"X","bids":[],"asks":[{"order_id":"2","client_order_id":"b1","account":"B","price":"100","leaves_qty":"1","display_qty":"1"},{"order_id":"4","client_order_id":"c1","account":"C","price":"100","leaves_qty":"1","display_qty":"1"}],"stops":[]}
            // Equal remainders: both are cancelled.
            > {"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b3","side":"buy","type":"limit","qty":"1","price":"100","stp":"decrement"}
            {"event":"accepted","order_id":"6","client_order_id":"b3","account":"B","symbol":"X","side":"buy","type":"limit","qty":"1","price":"100","tif":"gtc"}
            {"event":"order","order_id":"2","client_order_id":"b1","account":"B","symbol":"X","status":"cancelled","filled_qty":"2","leaves_qty":"0","avg_price":"100","reason":"self_trade"}
            {"event":"order","order_id":"6","client_order_id":"b3","account":"B","symbol":"X","status":"cancelled","filled_qty":"0","leaves_qty":"0","reason":"self_trade"}
            {"event":"book","symbol":"X","side":"sell","price":"100","qty":"1","orders":1}
            """#)
    }

    @Test("rule 9: decrement against a resting iceberg takes hidden quantity first and the iceberg keeps its place")
    func decrementIceberg() {
        var s = ContractScenario()
        s.run(
            #"""
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"sell","type":"limit","qty":"10","price":"100","display_qty":"4"}
            {"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b1","side":"sell","type":"limit","qty":"3","price":"100"}
            """#)
        s.expect(
            #"""
            // 10 = 4 shown + 6 hidden; decrement 5 leaves 4 shown + 1 hidden: no displayed change, no book event.
            > {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a2","side":"buy","type":"limit","qty":"5","price":"100","stp":"decrement"}
            {"event":"accepted","order_id":"3","client_order_id":"a2","account":"A","symbol":"X","side":"buy","type":"limit","qty":"5","price":"100","tif":"gtc"}
            {"event":"order","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","status":"new","filled_qty":"0","leaves_qty":"5"}
            {"event":"order","order_id":"3","client_order_id":"a2","account":"A","symbol":"X","status":"cancelled","filled_qty":"0","leaves_qty":"0","reason":"self_trade"}
            > {"cmd":"dump_book","symbol":"X"}
            {"event":"book_snapshot","symbol":"X","bids":[],"asks":[{"order_id":"1","client_order_id":"a1","account":"A","price":"100","leaves_qty":"5","display_qty":"4"},{"order_id":"2","client_order_id":"b1","account":"B","price":"100","leaves_qty":"3","display_qty":"3"}],"stops":[]}
            // Decrement 3 more: the last hidden 1, then 2 of the shown 4.
            > {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a3","side":"buy","type":"limit","qty":"3","price":"100","stp":"decrement"}
            {"event":"accepted","order_id":"4","client_order_id":"a3","account":"A","symbol":"X","side":"buy","type":"limit","qty":"3","price":"100","tif":"gtc"}
            {"event":"order","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","status":"new","filled_qty":"0","leaves_qty":"2"}
            {"event":"order","order_id":"4","client_order_id":"a3","account":"A","symbol":"X","status":"cancelled","filled_qty":"0","leaves_qty":"0","reason":"self_trade"}
            {"event":"book","symbol":"X","side":"sell","price":"100","qty":"5","orders":2}
            // The iceberg is still first in the queue.
            > {"cmd":"new_order","symbol":"X","account":"C","client_order_id":"c1","side":"buy","type":"limit","qty":"4","price":"100"}
            {"event":"accepted","order_id":"5","client_order_id":"c1","account":"C","symbol":"X","side":"buy","type":"limit","qty":"4","price":"100","tif":"gtc"}
            {"event":"trade","trade_id":"1","symbol":"X","price":"100","qty":"2","maker_order_id":"1","taker_order_id":"5","maker_account":"A","taker_account":"C","aggressor":"buy"}
            {"event":"order","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","status":"filled","filled_qty":"2","leaves_qty":"0","avg_price":"100"}
            {"event":"order","order_id":"5","client_order_id":"c1","account":"C","symbol":"X","status":"partially_filled","filled_qty":"2","leaves_qty":"2","avg_price":"100"}
            {"event":"book","symbol":"X","side":"sell","price":"100","qty":"3","orders":1}
            {"event":"trade","trade_id":"2","symbol":"X","price":"100","qty":"2","maker_order_id":"2","taker_order_id":"5","maker_account":"B","taker_account":"C","aggressor":"buy"}
            {"event":"order","order_id":"2","client_order_id":"b1","account":"B","symbol":"X","status":"partially_filled","filled_qty":"2","leaves_qty":"1","avg_price":"100"}
            {"event":"order","order_id":"5","client_order_id":"c1","account":"C","symbol":"X","status":"filled","filled_qty":"4","leaves_qty":"0","avg_price":"100"}
            {"event":"book","symbol":"X","side":"sell","price":"100","qty":"1","orders":1}
            """#)
    }

    @Test("rule 9: none lets orders of the same account trade")
    func none() {
        var s = ContractScenario()
        s.run(
            #"""
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"sell","type":"limit","qty":"2","price":"100","stp":"cancel_both"}
            """#)
        s.expect(
            #"""
            > {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a2","side":"buy","type":"limit","qty":"2","price":"100","stp":"none"}
            {"event":"accepted","order_id":"2","client_order_id":"a2","account":"A","symbol":"X","side":"buy","type":"limit","qty":"2","price":"100","tif":"gtc"}
            {"event":"trade","trade_id":"1","symbol":"X","price":"100","qty":"2","maker_order_id":"1","taker_order_id":"2","maker_account":"A","taker_account":"A","aggressor":"buy"}
            {"event":"order","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","status":"filled","filled_qty":"2","leaves_qty":"0","avg_price":"100"}
            {"event":"order","order_id":"2","client_order_id":"a2","account":"A","symbol":"X","status":"filled","filled_qty":"2","leaves_qty":"0","avg_price":"100"}
            {"event":"book","symbol":"X","side":"sell","price":"100","qty":"0","orders":0}
            """#)
    }

    @Test("rule 9: STP only applies where the prices cross, and a market order is subject to it")
    func onlyWhenCrossing() {
        var s = ContractScenario()
        s.run(
            #"""
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"sell","type":"limit","qty":"2","price":"101"}
            {"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b1","side":"sell","type":"limit","qty":"2","price":"100"}
            """#)
        s.expect(
            #"""
            > {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a2","side":"buy","type":"limit","qty":"3","price":"100"}
            {"event":"accepted","order_id":"3","client_order_id":"a2","account":"A","symbol":"X","side":"buy","type":"limit","qty":"3","price":"100","tif":"gtc"}
            {"event":"trade","trade_id":"1","symbol":"X","price":"100","qty":"2","maker_order_id":"2","taker_order_id":"3","maker_account":"B","taker_account":"A","aggressor":"buy"}
            {"event":"order","order_id":"2","client_order_id":"b1","account":"B","symbol":"X","status":"filled","filled_qty":"2","leaves_qty":"0","avg_price":"100"}
            {"event":"order","order_id":"3","client_order_id":"a2","account":"A","symbol":"X","status":"partially_filled","filled_qty":"2","leaves_qty":"1","avg_price":"100"}
            {"event":"book","symbol":"X","side":"sell","price":"100","qty":"0","orders":0}
            {"event":"book","symbol":"X","side":"buy","price":"100","qty":"1","orders":1}
            > {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a3","side":"buy","type":"market","qty":"1","stp":"cancel_maker"}
            {"event":"accepted","order_id":"4","client_order_id":"a3","account":"A","symbol":"X","side":"buy","type":"market","qty":"1","tif":"gtc"}
            {"event":"order","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","status":"cancelled","filled_qty":"0","leaves_qty":"0","reason":"self_trade"}
            {"event":"book","symbol":"X","side":"sell","price":"101","qty":"0","orders":0}
            {"event":"order","order_id":"4","client_order_id":"a3","account":"A","symbol":"X","status":"expired","filled_qty":"0","leaves_qty":"0","reason":"no_liquidity"}
            """#)
    }
}
