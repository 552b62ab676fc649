import Testing

/// Section 5 of the matching contract: events, their fields and their order.
@Suite("contract section 5: events")
struct ContractRuleSection5EventsTests {
    @Test("section 5: accepted carries exactly the fields of the order's type")
    func acceptedFields() {
        var s = ContractScenario()
        s.expect(
            #"""
            > {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":"1","price":"90","stop_price":"80","tif":"day","display_qty":"0.5e1","stp":"none"}
            {"event":"rejected","client_order_id":"a1","account":"A","symbol":"X","cmd":"new_order","reason":"malformed"}
            > {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":"2","price":"90","stop_price":"80","tif":"day","display_qty":"1","stp":"none"}
            {"event":"accepted","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","side":"buy","type":"limit","qty":"2","price":"90","tif":"day"}
            {"event":"book","symbol":"X","side":"buy","price":"90","qty":"1","orders":1}
            > {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a2","side":"sell","type":"stop","qty":"1","stop_price":"80","price":"79","tif":"ioc"}
            {"event":"accepted","order_id":"2","client_order_id":"a2","account":"A","symbol":"X","side":"sell","type":"stop","qty":"1","stop_price":"80","tif":"ioc"}
            > {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a3","side":"sell","type":"stop_limit","qty":"1","stop_price":"80","price":"79","tif":"gtd","expire_at":99}
            {"event":"accepted","order_id":"3","client_order_id":"a3","account":"A","symbol":"X","side":"sell","type":"stop_limit","qty":"1","price":"79","stop_price":"80","tif":"gtd"}
            > {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a4","side":"sell","type":"market","qty":"1","price":"91","tif":"ioc"}
            {"event":"accepted","order_id":"4","client_order_id":"a4","account":"A","symbol":"X","side":"sell","type":"market","qty":"1","tif":"ioc"}
            {"event":"order","order_id":"4","client_order_id":"a4","account":"A","symbol":"X","status":"cancelled","filled_qty":"0","leaves_qty":"0","reason":"self_trade"}
            """#)
    }

    @Test("section 5: avg_price is the quantity-weighted mean of the fills, rounded half-even to 28 significant digits")
    func averagePrice() {
        var s = ContractScenario()
        s.run(
            #"""
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"sell","type":"limit","qty":"1","price":"100"}
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a2","side":"sell","type":"limit","qty":"2","price":"101"}
            """#)
        s.expect(
            #"""
            > {"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b1","side":"buy","type":"limit","qty":"3","price":"101"}
            {"event":"accepted","order_id":"3","client_order_id":"b1","account":"B","symbol":"X","side":"buy","type":"limit","qty":"3","price":"101","tif":"gtc"}
            {"event":"trade","trade_id":"1","symbol":"X","price":"100","qty":"1","maker_order_id":"1","taker_order_id":"3","maker_account":"A","taker_account":"B","aggressor":"buy"}
            {"event":"order","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","status":"filled","filled_qty":"1","leaves_qty":"0","avg_price":"100"}
            {"event":"order","order_id":"3","client_order_id":"b1","account":"B","symbol":"X","status":"partially_filled","filled_qty":"1","leaves_qty":"2","avg_price":"100"}
            {"event":"book","symbol":"X","side":"sell","price":"100","qty":"0","orders":0}
            {"event":"trade","trade_id":"2","symbol":"X","price":"101","qty":"2","maker_order_id":"2","taker_order_id":"3","maker_account":"A","taker_account":"B","aggressor":"buy"}
            {"event":"order","order_id":"2","client_order_id":"a2","account":"A","symbol":"X","status":"filled","filled_qty":"2","leaves_qty":"0","avg_price":"101"}
            {"event":"order","order_id":"3","client_order_id":"b1","account":"B","symbol":"X","status":"filled","filled_qty":"3","leaves_qty":"0","avg_price":"100.6666666666666666666666667"}
            {"event":"book","symbol":"X","side":"sell","price":"101","qty":"0","orders":0}
            """#)
    }

    @Test("section 5: rejected echoes cmd, account, symbol and the line's ids of a valid type")
    func rejectedFields() {
        var s = ContractScenario()
        s.expect(
            #"""
            > {"cmd":"replace","symbol":"X","account":"A","order_id":"5","client_order_id":"c5","qty":"2","new_client_order_id":"n5"}
            {"event":"rejected","order_id":"5","client_order_id":"c5","account":"A","symbol":"X","cmd":"replace","reason":"unknown_order"}
            > {"cmd":"cancel","symbol":"X","account":"A","order_id":"5","client_order_id":7}
            {"event":"rejected","order_id":"5","account":"A","symbol":"X","cmd":"cancel","reason":"malformed"}
            > {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","order_id":"9","side":"buy","type":"limit","qty":"1"}
            {"event":"rejected","client_order_id":"a1","account":"A","symbol":"X","cmd":"new_order","reason":"missing_price"}
            > {"cmd":"mass_cancel","account":"A","symbol":"Q"}
            {"event":"rejected","account":"A","symbol":"Q","cmd":"mass_cancel","reason":"unknown_symbol"}
            > {"cmd":"time","now":1,"symbol":"X","account":"A"}
            > [{"cmd":"time","now":1}]
            {"event":"rejected","account":"","symbol":"","cmd":"","reason":"malformed"}
            """#)
    }

    @Test("section 5: every trade is followed by its maker's and taker's order events and the book change")
    func tradeFollowedByOrdersAndBook() {
        var s = ContractScenario()
        s.run(
            #"""
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":"2","price":"100"}
            {"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b1","side":"buy","type":"limit","qty":"3","price":"100"}
            {"cmd":"new_order","symbol":"X","account":"C","client_order_id":"c1","side":"buy","type":"limit","qty":"4","price":"99"}
            """#)
        s.expect(
            #"""
            > {"cmd":"new_order","symbol":"X","account":"D","client_order_id":"d1","side":"sell","type":"limit","qty":"6","price":"99","tif":"fok"}
            {"event":"accepted","order_id":"4","client_order_id":"d1","account":"D","symbol":"X","side":"sell","type":"limit","qty":"6","price":"99","tif":"fok"}
            {"event":"trade","trade_id":"1","symbol":"X","price":"100","qty":"2","maker_order_id":"1","taker_order_id":"4","maker_account":"A","taker_account":"D","aggressor":"sell"}
            {"event":"order","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","status":"filled","filled_qty":"2","leaves_qty":"0","avg_price":"100"}
            {"event":"order","order_id":"4","client_order_id":"d1","account":"D","symbol":"X","status":"partially_filled","filled_qty":"2","leaves_qty":"4","avg_price":"100"}
            {"event":"book","symbol":"X","side":"buy","price":"100","qty":"3","orders":1}
            {"event":"trade","trade_id":"2","symbol":"X","price":"100","qty":"3","maker_order_id":"2","taker_order_id":"4","maker_account":"B","taker_account":"D","aggressor":"sell"}
            {"event":"order","order_id":"2","client_order_id":"b1","account":"B","symbol":"X","status":"filled","filled_qty":"3","leaves_qty":"0","avg_price":"100"}
            {"event":"order","order_id":"4","client_order_id":"d1","account":"D","symbol":"X","status":"partially_filled","filled_qty":"5","leaves_qty":"1","avg_price":"100"}
            {"event":"book","symbol":"X","side":"buy","price":"100","qty":"0","orders":0}
            {"event":"trade","trade_id":"3","symbol":"X","price":"99","qty":"1","maker_order_id":"3","taker_order_id":"4","maker_account":"C","taker_account":"D","aggressor":"sell"}
            {"event":"order","order_id":"3","client_order_id":"c1","account":"C","symbol":"X","status":"partially_filled","filled_qty":"1","leaves_qty":"3","avg_price":"99"}
            {"event":"order","order_id":"4","client_order_id":"d1","account":"D","symbol":"X","status":"filled","filled_qty":"6","leaves_qty":"0","avg_price":"99.83333333333333333333333333"}
            {"event":"book","symbol":"X","side":"buy","price":"99","qty":"3","orders":1}
            """#)
    }

    @Test("section 5: order ids count accepted orders only, across symbols; trade ids count trades across the engine")
    func identifierCounters() {
        var s = ContractScenario()
        s.expect(
            #"""
            > {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"sell","type":"limit","qty":"1","price":"100"}
            {"event":"accepted","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","side":"sell","type":"limit","qty":"1","price":"100","tif":"gtc"}
            {"event":"book","symbol":"X","side":"sell","price":"100","qty":"1","orders":1}
            > {"cmd":"new_order","symbol":"Y","account":"A","client_order_id":"a2","side":"sell","type":"limit","qty":"1"}
            {"event":"rejected","client_order_id":"a2","account":"A","symbol":"Y","cmd":"new_order","reason":"missing_price"}
            > {"cmd":"new_order","symbol":"Y","account":"A","client_order_id":"a2","side":"sell","type":"limit","qty":"1","price":"50"}
            {"event":"accepted","order_id":"2","client_order_id":"a2","account":"A","symbol":"Y","side":"sell","type":"limit","qty":"1","price":"50","tif":"gtc"}
            {"event":"book","symbol":"Y","side":"sell","price":"50","qty":"1","orders":1}
            > {"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b1","side":"buy","type":"market","qty":"1"}
            {"event":"accepted","order_id":"3","client_order_id":"b1","account":"B","symbol":"X","side":"buy","type":"market","qty":"1","tif":"gtc"}
            {"event":"trade","trade_id":"1","symbol":"X","price":"100","qty":"1","maker_order_id":"1","taker_order_id":"3","maker_account":"A","taker_account":"B","aggressor":"buy"}
            {"event":"order","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","status":"filled","filled_qty":"1","leaves_qty":"0","avg_price":"100"}
            {"event":"order","order_id":"3","client_order_id":"b1","account":"B","symbol":"X","status":"filled","filled_qty":"1","leaves_qty":"0","avg_price":"100"}
            {"event":"book","symbol":"X","side":"sell","price":"100","qty":"0","orders":0}
            > {"cmd":"new_order","symbol":"Y","account":"B","client_order_id":"b2","side":"buy","type":"market","qty":"1"}
            {"event":"accepted","order_id":"4","client_order_id":"b2","account":"B","symbol":"Y","side":"buy","type":"market","qty":"1","tif":"gtc"}
            {"event":"trade","trade_id":"2","symbol":"Y","price":"50","qty":"1","maker_order_id":"2","taker_order_id":"4","maker_account":"A","taker_account":"B","aggressor":"buy"}
            {"event":"order","order_id":"2","client_order_id":"a2","account":"A","symbol":"Y","status":"filled","filled_qty":"1","leaves_qty":"0","avg_price":"50"}
            {"event":"order","order_id":"4","client_order_id":"b2","account":"B","symbol":"Y","status":"filled","filled_qty":"1","leaves_qty":"0","avg_price":"50"}
            {"event":"book","symbol":"Y","side":"sell","price":"50","qty":"0","orders":0}
            """#)
    }
}
