import Testing

/// Rules 1 to 3 of the matching contract: priority, trade price, limit orders.
@Suite("contract rules 1-3: priority, trade price, limit")
struct ContractRule01To03Tests {
    @Test("rule 1: an incoming order trades the best price first, in time priority within a level, up to its limit")
    func priceTimePriority() {
        var s = ContractScenario()
        s.run(
            #"""
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"sell","type":"limit","qty":"10","price":"101"}
            {"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b1","side":"sell","type":"limit","qty":"5","price":"100"}
            {"cmd":"new_order","symbol":"X","account":"C","client_order_id":"c1","side":"sell","type":"limit","qty":"5","price":"100"}
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a2","side":"sell","type":"limit","qty":"5","price":"102"}
            """#)
        s.expect(
            #"""
            > {"cmd":"new_order","symbol":"X","account":"D","client_order_id":"d1","side":"buy","type":"limit","qty":"25","price":"101"}
            {"event":"accepted","order_id":"5","client_order_id":"d1","account":"D","symbol":"X","side":"buy","type":"limit","qty":"25","price":"101","tif":"gtc"}
            {"event":"trade","trade_id":"1","symbol":"X","price":"100","qty":"5","maker_order_id":"2","taker_order_id":"5","maker_account":"B","taker_account":"D","aggressor":"buy"}
            {"event":"order","order_id":"2","client_order_id":"b1","account":"B","symbol":"X","status":"filled","filled_qty":"5","leaves_qty":"0","avg_price":"100"}
            {"event":"order","order_id":"5","client_order_id":"d1","account":"D","symbol":"X","status":"partially_filled","filled_qty":"5","leaves_qty":"20","avg_price":"100"}
            {"event":"book","symbol":"X","side":"sell","price":"100","qty":"5","orders":1}
            {"event":"trade","trade_id":"2","symbol":"X","price":"100","qty":"5","maker_order_id":"3","taker_order_id":"5","maker_account":"C","taker_account":"D","aggressor":"buy"}
            {"event":"order","order_id":"3","client_order_id":"c1","account":"C","symbol":"X","status":"filled","filled_qty":"5","leaves_qty":"0","avg_price":"100"}
            {"event":"order","order_id":"5","client_order_id":"d1","account":"D","symbol":"X","status":"partially_filled","filled_qty":"10","leaves_qty":"15","avg_price":"100"}
            {"event":"book","symbol":"X","side":"sell","price":"100","qty":"0","orders":0}
            {"event":"trade","trade_id":"3","symbol":"X","price":"101","qty":"10","maker_order_id":"1","taker_order_id":"5","maker_account":"A","taker_account":"D","aggressor":"buy"}
            {"event":"order","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","status":"filled","filled_qty":"10","leaves_qty":"0","avg_price":"101"}
            {"event":"order","order_id":"5","client_order_id":"d1","account":"D","symbol":"X","status":"partially_filled","filled_qty":"20","leaves_qty":"5","avg_price":"100.5"}
            {"event":"book","symbol":"X","side":"sell","price":"101","qty":"0","orders":0}
            {"event":"book","symbol":"X","side":"buy","price":"101","qty":"5","orders":1}
            > {"cmd":"dump_book","symbol":"X"}
            {"event":"book_snapshot","symbol":"X","bids":[{"order_id":"5","client_order_id":"d1","account":"D","price":"101","leaves_qty":"5","display_qty":"5"}],"asks":[{"order_id":"4","client_order_id":"a2","account":"A","price":"102","leaves_qty":"5","display_qty":"5"}],"stops":[]}
            """#)
    }

    @Test("rule 1: a triggered stop that rests gets a new priority time behind the orders at its price")
    func triggeredStopQueuesBehind() {
        var s = ContractScenario()
        s.run(
            #"""
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"sell","type":"limit","qty":"1","price":"100"}
            {"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b1","side":"buy","type":"limit","qty":"1","price":"100"}
            {"cmd":"new_order","symbol":"X","account":"C","client_order_id":"c1","side":"sell","type":"limit","qty":"1","price":"101"}
            """#)
        s.expect(
            #"""
            > {"cmd":"new_order","symbol":"X","account":"D","client_order_id":"d1","side":"sell","type":"stop_limit","qty":"1","price":"101","stop_price":"100"}
            {"event":"accepted","order_id":"4","client_order_id":"d1","account":"D","symbol":"X","side":"sell","type":"stop_limit","qty":"1","price":"101","stop_price":"100","tif":"gtc"}
            {"event":"order","order_id":"4","client_order_id":"d1","account":"D","symbol":"X","status":"triggered","filled_qty":"0","leaves_qty":"1"}
            {"event":"book","symbol":"X","side":"sell","price":"101","qty":"2","orders":2}
            > {"cmd":"dump_book","symbol":"X"}
            {"event":"book_snapshot","symbol":"X","bids":[],"asks":[{"order_id":"3","client_order_id":"c1","account":"C","price":"101","leaves_qty":"1","display_qty":"1"},{"order_id":"4","client_order_id":"d1","account":"D","price":"101","leaves_qty":"1","display_qty":"1"}],"stops":[]}
            """#)
    }

    @Test("rule 2: the trade price is the resting (maker) order's price")
    func makerPrice() {
        var s = ContractScenario()
        s.run(
            #"""
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"sell","type":"limit","qty":"5","price":"100"}
            """#)
        s.expect(
            #"""
            > {"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b1","side":"buy","type":"limit","qty":"5","price":"105"}
            {"event":"accepted","order_id":"2","client_order_id":"b1","account":"B","symbol":"X","side":"buy","type":"limit","qty":"5","price":"105","tif":"gtc"}
            {"event":"trade","trade_id":"1","symbol":"X","price":"100","qty":"5","maker_order_id":"1","taker_order_id":"2","maker_account":"A","taker_account":"B","aggressor":"buy"}
            {"event":"order","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","status":"filled","filled_qty":"5","leaves_qty":"0","avg_price":"100"}
            {"event":"order","order_id":"2","client_order_id":"b1","account":"B","symbol":"X","status":"filled","filled_qty":"5","leaves_qty":"0","avg_price":"100"}
            {"event":"book","symbol":"X","side":"sell","price":"100","qty":"0","orders":0}
            > {"cmd":"new_order","symbol":"X","account":"C","client_order_id":"c1","side":"buy","type":"limit","qty":"5","price":"105"}
            {"event":"accepted","order_id":"3","client_order_id":"c1","account":"C","symbol":"X","side":"buy","type":"limit","qty":"5","price":"105","tif":"gtc"}
            {"event":"book","symbol":"X","side":"buy","price":"105","qty":"5","orders":1}
            > {"cmd":"new_order","symbol":"X","account":"D","client_order_id":"d1","side":"sell","type":"limit","qty":"5","price":"100"}
            {"event":"accepted","order_id":"4","client_order_id":"d1","account":"D","symbol":"X","side":"sell","type":"limit","qty":"5","price":"100","tif":"gtc"}
            {"event":"trade","trade_id":"2","symbol":"X","price":"105","qty":"5","maker_order_id":"3","taker_order_id":"4","maker_account":"C","taker_account":"D","aggressor":"sell"}
            {"event":"order","order_id":"3","client_order_id":"c1","account":"C","symbol":"X","status":"filled","filled_qty":"5","leaves_qty":"0","avg_price":"105"}
            {"event":"order","order_id":"4","client_order_id":"d1","account":"D","symbol":"X","status":"filled","filled_qty":"5","leaves_qty":"0","avg_price":"105"}
            {"event":"book","symbol":"X","side":"buy","price":"105","qty":"0","orders":0}
            """#)
    }

    @Test("rule 3: a limit order trades what crosses and rests the rest (gtc, day, gtd)")
    func limitRests() {
        var s = ContractScenario()
        s.run(
            #"""
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"sell","type":"limit","qty":"3","price":"100"}
            """#)
        s.expect(
            #"""
            > {"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b1","side":"buy","type":"limit","qty":"5","price":"100","tif":"day"}
            {"event":"accepted","order_id":"2","client_order_id":"b1","account":"B","symbol":"X","side":"buy","type":"limit","qty":"5","price":"100","tif":"day"}
            {"event":"trade","trade_id":"1","symbol":"X","price":"100","qty":"3","maker_order_id":"1","taker_order_id":"2","maker_account":"A","taker_account":"B","aggressor":"buy"}
            {"event":"order","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","status":"filled","filled_qty":"3","leaves_qty":"0","avg_price":"100"}
            {"event":"order","order_id":"2","client_order_id":"b1","account":"B","symbol":"X","status":"partially_filled","filled_qty":"3","leaves_qty":"2","avg_price":"100"}
            {"event":"book","symbol":"X","side":"sell","price":"100","qty":"0","orders":0}
            {"event":"book","symbol":"X","side":"buy","price":"100","qty":"2","orders":1}
            > {"cmd":"new_order","symbol":"X","account":"C","client_order_id":"c1","side":"buy","type":"limit","qty":"4","price":"99","tif":"gtd","expire_at":1000}
            {"event":"accepted","order_id":"3","client_order_id":"c1","account":"C","symbol":"X","side":"buy","type":"limit","qty":"4","price":"99","tif":"gtd"}
            {"event":"book","symbol":"X","side":"buy","price":"99","qty":"4","orders":1}
            > {"cmd":"new_order","symbol":"X","account":"D","client_order_id":"d1","side":"sell","type":"limit","qty":"1","price":"101","tif":"gtc"}
            {"event":"accepted","order_id":"4","client_order_id":"d1","account":"D","symbol":"X","side":"sell","type":"limit","qty":"1","price":"101","tif":"gtc"}
            {"event":"book","symbol":"X","side":"sell","price":"101","qty":"1","orders":1}
            """#)
    }

    @Test("rule 3: an IOC remainder is cancelled with reason ioc_remainder")
    func iocRemainder() {
        var s = ContractScenario()
        s.run(
            #"""
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"sell","type":"limit","qty":"3","price":"100"}
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a2","side":"sell","type":"limit","qty":"3","price":"101"}
            """#)
        s.expect(
            #"""
            > {"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b1","side":"buy","type":"limit","qty":"5","price":"100","tif":"ioc"}
            {"event":"accepted","order_id":"3","client_order_id":"b1","account":"B","symbol":"X","side":"buy","type":"limit","qty":"5","price":"100","tif":"ioc"}
            {"event":"trade","trade_id":"1","symbol":"X","price":"100","qty":"3","maker_order_id":"1","taker_order_id":"3","maker_account":"A","taker_account":"B","aggressor":"buy"}
            {"event":"order","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","status":"filled","filled_qty":"3","leaves_qty":"0","avg_price":"100"}
            {"event":"order","order_id":"3","client_order_id":"b1","account":"B","symbol":"X","status":"partially_filled","filled_qty":"3","leaves_qty":"2","avg_price":"100"}
            {"event":"book","symbol":"X","side":"sell","price":"100","qty":"0","orders":0}
            {"event":"order","order_id":"3","client_order_id":"b1","account":"B","symbol":"X","status":"cancelled","filled_qty":"3","leaves_qty":"0","avg_price":"100","reason":"ioc_remainder"}
            > {"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b2","side":"buy","type":"limit","qty":"5","price":"100","tif":"ioc"}
            {"event":"accepted","order_id":"4","client_order_id":"b2","account":"B","symbol":"X","side":"buy","type":"limit","qty":"5","price":"100","tif":"ioc"}
            {"event":"order","order_id":"4","client_order_id":"b2","account":"B","symbol":"X","status":"cancelled","filled_qty":"0","leaves_qty":"0","reason":"ioc_remainder"}
            > {"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b3","side":"buy","type":"limit","qty":"3","price":"101","tif":"ioc"}
            {"event":"accepted","order_id":"5","client_order_id":"b3","account":"B","symbol":"X","side":"buy","type":"limit","qty":"3","price":"101","tif":"ioc"}
            {"event":"trade","trade_id":"2","symbol":"X","price":"101","qty":"3","maker_order_id":"2","taker_order_id":"5","maker_account":"A","taker_account":"B","aggressor":"buy"}
            {"event":"order","order_id":"2","client_order_id":"a2","account":"A","symbol":"X","status":"filled","filled_qty":"3","leaves_qty":"0","avg_price":"101"}
            {"event":"order","order_id":"5","client_order_id":"b3","account":"B","symbol":"X","status":"filled","filled_qty":"3","leaves_qty":"0","avg_price":"101"}
            {"event":"book","symbol":"X","side":"sell","price":"101","qty":"0","orders":0}
            > {"cmd":"dump_book","symbol":"X"}
            {"event":"book_snapshot","symbol":"X","bids":[],"asks":[],"stops":[]}
            """#)
    }
}
