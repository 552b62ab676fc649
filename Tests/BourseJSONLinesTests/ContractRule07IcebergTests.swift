import Testing

/// Rule 7 of the matching contract: iceberg orders.
@Suite("contract rule 7: icebergs")
struct ContractRule07IcebergTests {
    @Test("rule 7: an iceberg shows one slice and book events show displayed quantity only")
    func showsOneSlice() {
        var s = ContractScenario()
        s.expect(
            #"""
            > {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"sell","type":"limit","qty":"10","price":"100","display_qty":"4"}
            {"event":"accepted","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","side":"sell","type":"limit","qty":"10","price":"100","tif":"gtc"}
            {"event":"book","symbol":"X","side":"sell","price":"100","qty":"4","orders":1}
            > {"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b1","side":"sell","type":"limit","qty":"2","price":"100"}
            {"event":"accepted","order_id":"2","client_order_id":"b1","account":"B","symbol":"X","side":"sell","type":"limit","qty":"2","price":"100","tif":"gtc"}
            {"event":"book","symbol":"X","side":"sell","price":"100","qty":"6","orders":2}
            > {"cmd":"dump_book","symbol":"X"}
            {"event":"book_snapshot","symbol":"X","bids":[],"asks":[{"order_id":"1","client_order_id":"a1","account":"A","price":"100","leaves_qty":"10","display_qty":"4"},{"order_id":"2","client_order_id":"b1","account":"B","price":"100","leaves_qty":"2","display_qty":"2"}],"stops":[]}
            > {"cmd":"cancel","symbol":"X","account":"A","order_id":"1"}
            {"event":"order","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","status":"cancelled","filled_qty":"0","leaves_qty":"0","reason":"cancelled"}
            {"event":"book","symbol":"X","side":"sell","price":"100","qty":"2","orders":1}
            """#)
    }

    @Test("rule 7: a used-up slice reveals a new slice at the back of the queue and matching continues")
    func revealAtBack() {
        var s = ContractScenario()
        s.run(
            #"""
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"sell","type":"limit","qty":"10","price":"100","display_qty":"3"}
            {"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b1","side":"sell","type":"limit","qty":"4","price":"100"}
            """#)
        s.expect(
            #"""
            > {"cmd":"new_order","symbol":"X","account":"C","client_order_id":"c1","side":"buy","type":"limit","qty":"5","price":"100"}
            {"event":"accepted","order_id":"3","client_order_id":"c1","account":"C","symbol":"X","side":"buy","type":"limit","qty":"5","price":"100","tif":"gtc"}
            {"event":"trade","trade_id":"1","symbol":"X","price":"100","qty":"3","maker_order_id":"1","taker_order_id":"3","maker_account":"A","taker_account":"C","aggressor":"buy"}
            {"event":"order","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","status":"partially_filled","filled_qty":"3","leaves_qty":"7","avg_price":"100"}
            {"event":"order","order_id":"3","client_order_id":"c1","account":"C","symbol":"X","status":"partially_filled","filled_qty":"3","leaves_qty":"2","avg_price":"100"}
            {"event":"book","symbol":"X","side":"sell","price":"100","qty":"7","orders":2}
            {"event":"trade","trade_id":"2","symbol":"X","price":"100","qty":"2","maker_order_id":"2","taker_order_id":"3","maker_account":"B","taker_account":"C","aggressor":"buy"}
            {"event":"order","order_id":"2","client_order_id":"b1","account":"B","symbol":"X","status":"partially_filled","filled_qty":"2","leaves_qty":"2","avg_price":"100"}
            {"event":"order","order_id":"3","client_order_id":"c1","account":"C","symbol":"X","status":"filled","filled_qty":"5","leaves_qty":"0","avg_price":"100"}
            {"event":"book","symbol":"X","side":"sell","price":"100","qty":"5","orders":2}
            > {"cmd":"dump_book","symbol":"X"}
            {"event":"book_snapshot","symbol":"X","bids":[],"asks":[{"order_id":"2","client_order_id":"b1","account":"B","price":"100","leaves_qty":"2","display_qty":"2"},{"order_id":"1","client_order_id":"a1","account":"A","price":"100","leaves_qty":"7","display_qty":"3"}],"stops":[]}
            """#)
    }

    @Test(
        "rule 7: displayed quantity ahead at the price trades before an iceberg's hidden part; the last slice is smaller"
    )
    func displayedAheadTradesFirst() {
        var s = ContractScenario()
        s.run(
            #"""
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"sell","type":"limit","qty":"5","price":"100","display_qty":"2"}
            {"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b1","side":"sell","type":"limit","qty":"3","price":"100"}
            """#)
        s.expect(
            #"""
            > {"cmd":"new_order","symbol":"X","account":"C","client_order_id":"c1","side":"buy","type":"limit","qty":"8","price":"100"}
            {"event":"accepted","order_id":"3","client_order_id":"c1","account":"C","symbol":"X","side":"buy","type":"limit","qty":"8","price":"100","tif":"gtc"}
            {"event":"trade","trade_id":"1","symbol":"X","price":"100","qty":"2","maker_order_id":"1","taker_order_id":"3","maker_account":"A","taker_account":"C","aggressor":"buy"}
            {"event":"order","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","status":"partially_filled","filled_qty":"2","leaves_qty":"3","avg_price":"100"}
            {"event":"order","order_id":"3","client_order_id":"c1","account":"C","symbol":"X","status":"partially_filled","filled_qty":"2","leaves_qty":"6","avg_price":"100"}
            {"event":"book","symbol":"X","side":"sell","price":"100","qty":"5","orders":2}
            {"event":"trade","trade_id":"2","symbol":"X","price":"100","qty":"3","maker_order_id":"2","taker_order_id":"3","maker_account":"B","taker_account":"C","aggressor":"buy"}
            {"event":"order","order_id":"2","client_order_id":"b1","account":"B","symbol":"X","status":"filled","filled_qty":"3","leaves_qty":"0","avg_price":"100"}
            {"event":"order","order_id":"3","client_order_id":"c1","account":"C","symbol":"X","status":"partially_filled","filled_qty":"5","leaves_qty":"3","avg_price":"100"}
            {"event":"book","symbol":"X","side":"sell","price":"100","qty":"2","orders":1}
            {"event":"trade","trade_id":"3","symbol":"X","price":"100","qty":"2","maker_order_id":"1","taker_order_id":"3","maker_account":"A","taker_account":"C","aggressor":"buy"}
            {"event":"order","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","status":"partially_filled","filled_qty":"4","leaves_qty":"1","avg_price":"100"}
            {"event":"order","order_id":"3","client_order_id":"c1","account":"C","symbol":"X","status":"partially_filled","filled_qty":"7","leaves_qty":"1","avg_price":"100"}
            {"event":"book","symbol":"X","side":"sell","price":"100","qty":"1","orders":1}
            {"event":"trade","trade_id":"4","symbol":"X","price":"100","qty":"1","maker_order_id":"1","taker_order_id":"3","maker_account":"A","taker_account":"C","aggressor":"buy"}
            {"event":"order","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","status":"filled","filled_qty":"5","leaves_qty":"0","avg_price":"100"}
            {"event":"order","order_id":"3","client_order_id":"c1","account":"C","symbol":"X","status":"filled","filled_qty":"8","leaves_qty":"0","avg_price":"100"}
            {"event":"book","symbol":"X","side":"sell","price":"100","qty":"0","orders":0}
            """#)
    }

    @Test("rule 7: an incoming iceberg trades its whole quantity as a taker and rests one slice")
    func incomingIceberg() {
        var s = ContractScenario()
        s.run(
            #"""
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"sell","type":"limit","qty":"4","price":"100"}
            """#)
        s.expect(
            #"""
            > {"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b1","side":"buy","type":"limit","qty":"10","price":"100","display_qty":"3"}
            {"event":"accepted","order_id":"2","client_order_id":"b1","account":"B","symbol":"X","side":"buy","type":"limit","qty":"10","price":"100","tif":"gtc"}
            {"event":"trade","trade_id":"1","symbol":"X","price":"100","qty":"4","maker_order_id":"1","taker_order_id":"2","maker_account":"A","taker_account":"B","aggressor":"buy"}
            {"event":"order","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","status":"filled","filled_qty":"4","leaves_qty":"0","avg_price":"100"}
            {"event":"order","order_id":"2","client_order_id":"b1","account":"B","symbol":"X","status":"partially_filled","filled_qty":"4","leaves_qty":"6","avg_price":"100"}
            {"event":"book","symbol":"X","side":"sell","price":"100","qty":"0","orders":0}
            {"event":"book","symbol":"X","side":"buy","price":"100","qty":"3","orders":1}
            > {"cmd":"dump_book","symbol":"X"}
            {"event":"book_snapshot","symbol":"X","bids":[{"order_id":"2","client_order_id":"b1","account":"B","price":"100","leaves_qty":"6","display_qty":"3"}],"asks":[],"stops":[]}
            """#)
    }

    @Test(
        "rule 7: display_qty must be a positive whole number of lots below qty, on a limit order (invalid_display_qty)")
    func invalidDisplayQty() {
        var s = ContractScenario()
        let rejected = #"""
            {"event":"rejected","client_order_id":"a1","account":"A","symbol":"X","cmd":"new_order","reason":"invalid_display_qty"}
            """#
        let limit = #"{"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"buy","type":"limit""#
        for tail in [
            #""qty":"5","price":"99","display_qty":"5"}"#,
            #""qty":"5","price":"99","display_qty":"6"}"#,
            #""qty":"5","price":"99","display_qty":"0"}"#,
            #""qty":"5","price":"99","display_qty":"-1"}"#,
            #""qty":"5","price":"99","display_qty":"1.5"}"#,
        ] {
            s.expectLast(limit + "," + tail, answers: rejected)
        }
        let others = [
            #"""
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"buy","type":"market","qty":"5","display_qty":"1"}
            """#,
            #"""
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"buy","type":"stop","qty":"5","stop_price":"99","display_qty":"1"}
            """#,
            #"""
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"buy","type":"stop_limit","qty":"5","price":"99","stop_price":"99","display_qty":"1"}
            """#,
        ]
        for line in others {
            s.expectLast(line, answers: rejected)
        }
        s.expect(
            #"""
            > {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":"5","price":"99","display_qty":"4"}
            {"event":"accepted","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","side":"buy","type":"limit","qty":"5","price":"99","tif":"gtc"}
            {"event":"book","symbol":"X","side":"buy","price":"99","qty":"4","orders":1}
            """#)
    }

    @Test("rule 7: an iceberg whose replace loses priority re-enters with its display_qty")
    func icebergReplaceKeepsDisplay() {
        var s = ContractScenario()
        s.run(
            #"""
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"sell","type":"limit","qty":"10","price":"100","display_qty":"4"}
            """#)
        s.expect(
            #"""
            > {"cmd":"replace","symbol":"X","account":"A","order_id":"1","price":"101"}
            {"event":"order","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","status":"replaced","filled_qty":"0","leaves_qty":"10"}
            {"event":"book","symbol":"X","side":"sell","price":"100","qty":"0","orders":0}
            {"event":"book","symbol":"X","side":"sell","price":"101","qty":"4","orders":1}
            > {"cmd":"dump_book","symbol":"X"}
            {"event":"book_snapshot","symbol":"X","bids":[],"asks":[{"order_id":"1","client_order_id":"a1","account":"A","price":"101","leaves_qty":"10","display_qty":"4"}],"stops":[]}
            """#)
    }
}
