import Testing

/// Rule 10 of the matching contract: replace.
@Suite("contract rule 10: replace")
struct ContractRule10ReplaceTests {
    @Test("rule 10: a price change loses priority: replaced, the level it left, then re-entry")
    func priceChangeLosesPriority() {
        var s = ContractScenario()
        s.run(
            #"""
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"sell","type":"limit","qty":"5","price":"100"}
            {"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b1","side":"sell","type":"limit","qty":"5","price":"100"}
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a2","side":"sell","type":"limit","qty":"5","price":"101"}
            """#)
        s.expect(
            #"""
            > {"cmd":"replace","symbol":"X","account":"A","order_id":"1","price":"101"}
            {"event":"order","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","status":"replaced","filled_qty":"0","leaves_qty":"5"}
            {"event":"book","symbol":"X","side":"sell","price":"100","qty":"5","orders":1}
            {"event":"book","symbol":"X","side":"sell","price":"101","qty":"10","orders":2}
            > {"cmd":"new_order","symbol":"X","account":"C","client_order_id":"c1","side":"buy","type":"limit","qty":"10","price":"101"}
            {"event":"accepted","order_id":"4","client_order_id":"c1","account":"C","symbol":"X","side":"buy","type":"limit","qty":"10","price":"101","tif":"gtc"}
            {"event":"trade","trade_id":"1","symbol":"X","price":"100","qty":"5","maker_order_id":"2","taker_order_id":"4","maker_account":"B","taker_account":"C","aggressor":"buy"}
            {"event":"order","order_id":"2","client_order_id":"b1","account":"B","symbol":"X","status":"filled","filled_qty":"5","leaves_qty":"0","avg_price":"100"}
            {"event":"order","order_id":"4","client_order_id":"c1","account":"C","symbol":"X","status":"partially_filled","filled_qty":"5","leaves_qty":"5","avg_price":"100"}
            {"event":"book","symbol":"X","side":"sell","price":"100","qty":"0","orders":0}
            {"event":"trade","trade_id":"2","symbol":"X","price":"101","qty":"5","maker_order_id":"3","taker_order_id":"4","maker_account":"A","taker_account":"C","aggressor":"buy"}
            {"event":"order","order_id":"3","client_order_id":"a2","account":"A","symbol":"X","status":"filled","filled_qty":"5","leaves_qty":"0","avg_price":"101"}
            {"event":"order","order_id":"4","client_order_id":"c1","account":"C","symbol":"X","status":"filled","filled_qty":"10","leaves_qty":"0","avg_price":"100.5"}
            {"event":"book","symbol":"X","side":"sell","price":"101","qty":"5","orders":1}
            > {"cmd":"dump_book","symbol":"X"}
            {"event":"book_snapshot","symbol":"X","bids":[],"asks":[{"order_id":"1","client_order_id":"a1","account":"A","price":"101","leaves_qty":"5","display_qty":"5"}],"stops":[]}
            """#)
    }

    @Test("rule 10: growing the quantity loses priority; shrinking it keeps priority")
    func quantityChanges() {
        var s = ContractScenario()
        s.run(
            #"""
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"sell","type":"limit","qty":"5","price":"100"}
            {"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b1","side":"sell","type":"limit","qty":"5","price":"100"}
            """#)
        s.expect(
            #"""
            > {"cmd":"replace","symbol":"X","account":"A","order_id":"1","qty":"8"}
            {"event":"order","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","status":"replaced","filled_qty":"0","leaves_qty":"8"}
            {"event":"book","symbol":"X","side":"sell","price":"100","qty":"5","orders":1}
            {"event":"book","symbol":"X","side":"sell","price":"100","qty":"13","orders":2}
            > {"cmd":"replace","symbol":"X","account":"B","order_id":2,"qty":"3"}
            {"event":"order","order_id":"2","client_order_id":"b1","account":"B","symbol":"X","status":"new","filled_qty":"0","leaves_qty":"3"}
            {"event":"book","symbol":"X","side":"sell","price":"100","qty":"11","orders":2}
            > {"cmd":"dump_book","symbol":"X"}
            {"event":"book_snapshot","symbol":"X","bids":[],"asks":[{"order_id":"2","client_order_id":"b1","account":"B","price":"100","leaves_qty":"3","display_qty":"3"},{"order_id":"1","client_order_id":"a1","account":"A","price":"100","leaves_qty":"8","display_qty":"8"}],"stops":[]}
            > {"cmd":"new_order","symbol":"X","account":"C","client_order_id":"c1","side":"buy","type":"limit","qty":"4","price":"100"}
            {"event":"accepted","order_id":"3","client_order_id":"c1","account":"C","symbol":"X","side":"buy","type":"limit","qty":"4","price":"100","tif":"gtc"}
            {"event":"trade","trade_id":"1","symbol":"X","price":"100","qty":"3","maker_order_id":"2","taker_order_id":"3","maker_account":"B","taker_account":"C","aggressor":"buy"}
            {"event":"order","order_id":"2","client_order_id":"b1","account":"B","symbol":"X","status":"filled","filled_qty":"3","leaves_qty":"0","avg_price":"100"}
            {"event":"order","order_id":"3","client_order_id":"c1","account":"C","symbol":"X","status":"partially_filled","filled_qty":"3","leaves_qty":"1","avg_price":"100"}
            {"event":"book","symbol":"X","side":"sell","price":"100","qty":"8","orders":1}
            {"event":"trade","trade_id":"2","symbol":"X","price":"100","qty":"1","maker_order_id":"1","taker_order_id":"3","maker_account":"A","taker_account":"C","aggressor":"buy"}
            {"event":"order","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","status":"partially_filled","filled_qty":"1","leaves_qty":"7","avg_price":"100"}
            {"event":"order","order_id":"3","client_order_id":"c1","account":"C","symbol":"X","status":"filled","filled_qty":"4","leaves_qty":"0","avg_price":"100"}
            {"event":"book","symbol":"X","side":"sell","price":"100","qty":"7","orders":1}
            // The new qty is the new total, filled part included: 6 total, 1 filled, 5 left; it keeps priority.
            > {"cmd":"replace","symbol":"X","account":"A","order_id":"1","qty":"6"}
            {"event":"order","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","status":"partially_filled","filled_qty":"1","leaves_qty":"5","avg_price":"100"}
            {"event":"book","symbol":"X","side":"sell","price":"100","qty":"5","orders":1}
            """#)
    }

    @Test("rule 10: a new qty at or below the filled quantity cancels the order (replaced_below_filled)")
    func replacedBelowFilled() {
        var s = ContractScenario()
        s.run(
            #"""
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"sell","type":"limit","qty":"10","price":"100"}
            {"cmd":"new_order","symbol":"Y","account":"A","client_order_id":"a2","side":"sell","type":"limit","qty":"10","price":"101"}
            {"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b1","side":"buy","type":"limit","qty":"4","price":"100"}
            {"cmd":"new_order","symbol":"Y","account":"B","client_order_id":"b2","side":"buy","type":"limit","qty":"4","price":"101"}
            """#)
        s.expect(
            #"""
            > {"cmd":"replace","symbol":"X","account":"A","order_id":"1","qty":"4"}
            {"event":"order","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","status":"cancelled","filled_qty":"4","leaves_qty":"0","avg_price":"100","reason":"replaced_below_filled"}
            {"event":"book","symbol":"X","side":"sell","price":"100","qty":"0","orders":0}
            > {"cmd":"replace","symbol":"Y","account":"A","client_order_id":"a2","qty":"3","price":"105"}
            {"event":"order","order_id":"2","client_order_id":"a2","account":"A","symbol":"Y","status":"cancelled","filled_qty":"4","leaves_qty":"0","avg_price":"101","reason":"replaced_below_filled"}
            {"event":"book","symbol":"Y","side":"sell","price":"101","qty":"0","orders":0}
            > {"cmd":"dump_book","symbol":"X"}
            {"event":"book_snapshot","symbol":"X","bids":[],"asks":[],"stops":[]}
            > {"cmd":"dump_book","symbol":"Y"}
            {"event":"book_snapshot","symbol":"Y","bids":[],"asks":[],"stops":[]}
            """#)
    }

    @Test("rule 10: a rename only keeps priority; a replace that changes nothing is no_change")
    func renameAndNoChange() {
        var s = ContractScenario()
        s.run(
            #"""
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"sell","type":"limit","qty":"5","price":"100"}
            {"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b1","side":"sell","type":"limit","qty":"5","price":"100"}
            """#)
        s.expect(
            #"""
            > {"cmd":"replace","symbol":"X","account":"A","order_id":"1","price":"100","new_client_order_id":"a9"}
            {"event":"order","order_id":"1","client_order_id":"a9","account":"A","symbol":"X","status":"new","filled_qty":"0","leaves_qty":"5"}
            > {"cmd":"cancel","symbol":"X","account":"A","client_order_id":"a1"}
            {"event":"rejected","client_order_id":"a1","account":"A","symbol":"X","cmd":"cancel","reason":"unknown_order"}
            > {"cmd":"replace","symbol":"X","account":"A","client_order_id":"a9","qty":"5"}
            {"event":"rejected","client_order_id":"a9","account":"A","symbol":"X","cmd":"replace","reason":"no_change"}
            > {"cmd":"replace","symbol":"X","account":"A","order_id":"1","price":"100.00","qty":"5.0"}
            {"event":"rejected","order_id":"1","account":"A","symbol":"X","cmd":"replace","reason":"no_change"}
            > {"cmd":"replace","symbol":"X","account":"A","order_id":"1","price":"100","new_client_order_id":"a9"}
            {"event":"rejected","order_id":"1","account":"A","symbol":"X","cmd":"replace","reason":"no_change"}
            // A new client_order_id held by no other open order: a1 is free again.
            > {"cmd":"replace","symbol":"X","account":"A","order_id":"1","qty":"5","new_client_order_id":"a1"}
            {"event":"order","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","status":"new","filled_qty":"0","leaves_qty":"5"}
            > {"cmd":"new_order","symbol":"X","account":"C","client_order_id":"c1","side":"buy","type":"limit","qty":"5","price":"100"}
            {"event":"accepted","order_id":"3","client_order_id":"c1","account":"C","symbol":"X","side":"buy","type":"limit","qty":"5","price":"100","tif":"gtc"}
            {"event":"trade","trade_id":"1","symbol":"X","price":"100","qty":"5","maker_order_id":"1","taker_order_id":"3","maker_account":"A","taker_account":"C","aggressor":"buy"}
            {"event":"order","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","status":"filled","filled_qty":"5","leaves_qty":"0","avg_price":"100"}
            {"event":"order","order_id":"3","client_order_id":"c1","account":"C","symbol":"X","status":"filled","filled_qty":"5","leaves_qty":"0","avg_price":"100"}
            {"event":"book","symbol":"X","side":"sell","price":"100","qty":"5","orders":1}
            """#)
    }

    @Test("rule 10: a replace needs price, qty or stop_price; a new_client_order_id alone is malformed")
    func replaceNeedsAField() {
        var s = ContractScenario()
        s.run(
            #"""
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"sell","type":"limit","qty":"5","price":"100"}
            """#)
        s.expect(
            #"""
            > {"cmd":"replace","symbol":"X","account":"A","order_id":"1","new_client_order_id":"a9"}
            {"event":"rejected","order_id":"1","account":"A","symbol":"X","cmd":"replace","reason":"malformed"}
            > {"cmd":"replace","symbol":"X","account":"A","order_id":"1"}
            {"event":"rejected","order_id":"1","account":"A","symbol":"X","cmd":"replace","reason":"malformed"}
            > {"cmd":"replace","symbol":"X","account":"A","price":"101"}
            {"event":"rejected","account":"A","symbol":"X","cmd":"replace","reason":"malformed"}
            """#)
    }

    @Test("rule 10: a priority-losing replace re-enters as a taker, keeping its stp")
    func replaceReentersAsTaker() {
        var s = ContractScenario()
        s.run(
            #"""
            {"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b1","side":"sell","type":"limit","qty":"2","price":"101"}
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"sell","type":"limit","qty":"3","price":"102"}
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a2","side":"buy","type":"limit","qty":"5","price":"100","stp":"cancel_maker"}
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a3","side":"buy","type":"limit","qty":"1","price":"99"}
            """#)
        s.expect(
            #"""
            > {"cmd":"replace","symbol":"X","account":"A","order_id":"3","price":"102"}
            {"event":"order","order_id":"3","client_order_id":"a2","account":"A","symbol":"X","status":"replaced","filled_qty":"0","leaves_qty":"5"}
            {"event":"book","symbol":"X","side":"buy","price":"100","qty":"0","orders":0}
            {"event":"trade","trade_id":"1","symbol":"X","price":"101","qty":"2","maker_order_id":"1","taker_order_id":"3","maker_account":"B","taker_account":"A","aggressor":"buy"}
            {"event":"order","order_id":"1","client_order_id":"b1","account":"B","symbol":"X","status":"filled","filled_qty":"2","leaves_qty":"0","avg_price":"101"}
            {"event":"order","order_id":"3","client_order_id":"a2","account":"A","symbol":"X","status":"partially_filled","filled_qty":"2","leaves_qty":"3","avg_price":"101"}
            {"event":"book","symbol":"X","side":"sell","price":"101","qty":"0","orders":0}
            {"event":"order","order_id":"2","client_order_id":"a1","account":"A","symbol":"X","status":"cancelled","filled_qty":"0","leaves_qty":"0","reason":"self_trade"}
            {"event":"book","symbol":"X","side":"sell","price":"102","qty":"0","orders":0}
            {"event":"book","symbol":"X","side":"buy","price":"102","qty":"3","orders":1}
            > {"cmd":"dump_book","symbol":"X"}
            {"event":"book_snapshot","symbol":"X","bids":[{"order_id":"3","client_order_id":"a2","account":"A","price":"102","leaves_qty":"3","display_qty":"3"},{"order_id":"4","client_order_id":"a3","account":"A","price":"99","leaves_qty":"1","display_qty":"1"}],"asks":[],"stops":[]}
            """#)
    }

    @Test("rule 10: a priority-losing replace keeps the order's tif")
    func replaceKeepsTif() {
        var s = ContractScenario()
        s.run(
            #"""
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"sell","type":"limit","qty":"5","price":"100","tif":"day"}
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a2","side":"sell","type":"limit","qty":"5","price":"110","tif":"gtd","expire_at":100}
            """#)
        s.expect(
            #"""
            > {"cmd":"replace","symbol":"X","account":"A","order_id":"1","price":"101"}
            {"event":"order","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","status":"replaced","filled_qty":"0","leaves_qty":"5"}
            {"event":"book","symbol":"X","side":"sell","price":"100","qty":"0","orders":0}
            {"event":"book","symbol":"X","side":"sell","price":"101","qty":"5","orders":1}
            > {"cmd":"replace","symbol":"X","account":"A","order_id":"2","qty":"6"}
            {"event":"order","order_id":"2","client_order_id":"a2","account":"A","symbol":"X","status":"replaced","filled_qty":"0","leaves_qty":"6"}
            {"event":"book","symbol":"X","side":"sell","price":"110","qty":"0","orders":0}
            {"event":"book","symbol":"X","side":"sell","price":"110","qty":"6","orders":1}
            > {"cmd":"end_session","symbol":"X"}
            {"event":"order","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","status":"expired","filled_qty":"0","leaves_qty":"0","reason":"end_session"}
            {"event":"book","symbol":"X","side":"sell","price":"101","qty":"0","orders":0}
            > {"cmd":"time","now":100}
            {"event":"order","order_id":"2","client_order_id":"a2","account":"A","symbol":"X","status":"expired","filled_qty":"0","leaves_qty":"0","reason":"gtd_expired"}
            {"event":"book","symbol":"X","side":"sell","price":"110","qty":"0","orders":0}
            """#)
    }

    @Test("rule 10: a post-only order whose replace would cross is rejected (would_cross) and stays as it was")
    func postOnlyReplaceWouldCross() {
        var s = ContractScenario()
        s.run(
            #"""
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":"5","price":"99","post_only":true}
            {"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b1","side":"sell","type":"limit","qty":"5","price":"101"}
            {"cmd":"new_order","symbol":"X","account":"C","client_order_id":"c1","side":"buy","type":"limit","qty":"1","price":"99"}
            """#)
        s.expect(
            #"""
            > {"cmd":"replace","symbol":"X","account":"A","order_id":"1","price":"101"}
            {"event":"rejected","order_id":"1","account":"A","symbol":"X","cmd":"replace","reason":"would_cross"}
            > {"cmd":"replace","symbol":"X","account":"A","order_id":"1","price":"101","qty":"7","new_client_order_id":"a9"}
            {"event":"rejected","order_id":"1","account":"A","symbol":"X","cmd":"replace","reason":"would_cross"}
            > {"cmd":"dump_book","symbol":"X"}
            {"event":"book_snapshot","symbol":"X","bids":[{"order_id":"1","client_order_id":"a1","account":"A","price":"99","leaves_qty":"5","display_qty":"5"},{"order_id":"3","client_order_id":"c1","account":"C","price":"99","leaves_qty":"1","display_qty":"1"}],"asks":[{"order_id":"2","client_order_id":"b1","account":"B","price":"101","leaves_qty":"5","display_qty":"5"}],"stops":[]}
            // It is still post-only: a price that does not cross is accepted and rests.
            > {"cmd":"replace","symbol":"X","account":"A","order_id":"1","price":"100"}
            {"event":"order","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","status":"replaced","filled_qty":"0","leaves_qty":"5"}
            {"event":"book","symbol":"X","side":"buy","price":"99","qty":"1","orders":1}
            {"event":"book","symbol":"X","side":"buy","price":"100","qty":"5","orders":1}
            """#)
    }

    @Test("rule 10: a replaced field that does not apply to the order is malformed, after ts is applied")
    func inapplicableField() {
        var s = ContractScenario()
        s.run(
            #"""
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":"5","price":"99"}
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a2","side":"buy","type":"stop","qty":"1","stop_price":"105"}
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a3","side":"sell","type":"limit","qty":"1","price":"100","tif":"gtd","expire_at":100}
            """#)
        s.expect(
            #"""
            > {"cmd":"replace","symbol":"X","account":"A","order_id":"1","stop_price":"98","ts":100}
            {"event":"order","order_id":"3","client_order_id":"a3","account":"A","symbol":"X","status":"expired","filled_qty":"0","leaves_qty":"0","reason":"gtd_expired"}
            {"event":"book","symbol":"X","side":"sell","price":"100","qty":"0","orders":0}
            {"event":"rejected","order_id":"1","account":"A","symbol":"X","cmd":"replace","reason":"malformed"}
            > {"cmd":"replace","symbol":"X","account":"A","order_id":"2","price":"106"}
            {"event":"rejected","order_id":"2","account":"A","symbol":"X","cmd":"replace","reason":"malformed"}
            > {"cmd":"replace","symbol":"X","account":"A","order_id":"2","stop_price":"106","price":"106"}
            {"event":"rejected","order_id":"2","account":"A","symbol":"X","cmd":"replace","reason":"malformed"}
            > {"cmd":"dump_book","symbol":"X"}
            {"event":"book_snapshot","symbol":"X","bids":[{"order_id":"1","client_order_id":"a1","account":"A","price":"99","leaves_qty":"5","display_qty":"5"}],"asks":[],"stops":[{"order_id":"2","client_order_id":"a2","account":"A","side":"buy","stop_price":"105","leaves_qty":"1"}]}
            """#)
    }

    @Test("rule 10: a triggered stop_limit resting as a limit takes price but not stop_price")
    func triggeredStopLimitReplace() {
        var s = ContractScenario()
        s.run(
            #"""
            {"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b1","side":"sell","type":"limit","qty":"1","price":"100"}
            {"cmd":"new_order","symbol":"X","account":"C","client_order_id":"c1","side":"buy","type":"limit","qty":"1","price":"100"}
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"sell","type":"stop_limit","qty":"2","price":"102","stop_price":"100"}
            """#)
        s.expect(
            #"""
            > {"cmd":"replace","symbol":"X","account":"A","order_id":"3","stop_price":"99"}
            {"event":"rejected","order_id":"3","account":"A","symbol":"X","cmd":"replace","reason":"malformed"}
            > {"cmd":"replace","symbol":"X","account":"A","order_id":"3","price":"103"}
            {"event":"order","order_id":"3","client_order_id":"a1","account":"A","symbol":"X","status":"replaced","filled_qty":"0","leaves_qty":"2"}
            {"event":"book","symbol":"X","side":"sell","price":"102","qty":"0","orders":0}
            {"event":"book","symbol":"X","side":"sell","price":"103","qty":"2","orders":1}
            """#)
    }

    @Test("rule 10: a kept iceberg shows at most its new remaining quantity")
    func icebergKeptShowsAtMostRemaining() {
        var s = ContractScenario()
        s.run(
            #"""
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"sell","type":"limit","qty":"10","price":"100","display_qty":"4"}
            {"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b1","side":"sell","type":"limit","qty":"2","price":"100"}
            """#)
        s.expect(
            #"""
            // Hidden quantity only shrinks: no book event.
            > {"cmd":"replace","symbol":"X","account":"A","order_id":"1","qty":"6"}
            {"event":"order","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","status":"new","filled_qty":"0","leaves_qty":"6"}
            > {"cmd":"replace","symbol":"X","account":"A","order_id":"1","qty":"3"}
            {"event":"order","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","status":"new","filled_qty":"0","leaves_qty":"3"}
            {"event":"book","symbol":"X","side":"sell","price":"100","qty":"5","orders":2}
            > {"cmd":"dump_book","symbol":"X"}
            {"event":"book_snapshot","symbol":"X","bids":[],"asks":[{"order_id":"1","client_order_id":"a1","account":"A","price":"100","leaves_qty":"3","display_qty":"3"},{"order_id":"2","client_order_id":"b1","account":"B","price":"100","leaves_qty":"2","display_qty":"2"}],"stops":[]}
            """#)
    }

    @Test("rule 10: min_qty, max_qty and min_notional apply to the replaced order")
    func limitsApplyToReplace() {
        var s = ContractScenario(
            #"""
            {"cmd":"add_instrument","symbol":"Z","tick_size":"0.01","lot_size":"1","min_qty":"2","max_qty":"10","min_notional":"200"}
            {"cmd":"new_order","symbol":"Z","account":"A","client_order_id":"a1","side":"sell","type":"limit","qty":"5","price":"100"}
            """#)
        s.expect(
            #"""
            > {"cmd":"replace","symbol":"Z","account":"A","order_id":"1","qty":"1"}
            {"event":"rejected","order_id":"1","account":"A","symbol":"Z","cmd":"replace","reason":"qty_below_min"}
            > {"cmd":"replace","symbol":"Z","account":"A","order_id":"1","qty":"11"}
            {"event":"rejected","order_id":"1","account":"A","symbol":"Z","cmd":"replace","reason":"qty_above_max"}
            > {"cmd":"replace","symbol":"Z","account":"A","order_id":"1","price":"39.99"}
            {"event":"rejected","order_id":"1","account":"A","symbol":"Z","cmd":"replace","reason":"notional_below_min"}
            > {"cmd":"replace","symbol":"Z","account":"A","order_id":"1","price":"40"}
            {"event":"order","order_id":"1","client_order_id":"a1","account":"A","symbol":"Z","status":"replaced","filled_qty":"0","leaves_qty":"5"}
            {"event":"book","symbol":"Z","side":"sell","price":"100","qty":"0","orders":0}
            {"event":"book","symbol":"Z","side":"sell","price":"40","qty":"5","orders":1}
            > {"cmd":"replace","symbol":"Z","account":"A","order_id":"1","qty":"10"}
            {"event":"order","order_id":"1","client_order_id":"a1","account":"A","symbol":"Z","status":"replaced","filled_qty":"0","leaves_qty":"10"}
            {"event":"book","symbol":"Z","side":"sell","price":"40","qty":"0","orders":0}
            {"event":"book","symbol":"Z","side":"sell","price":"40","qty":"10","orders":1}
            """#)
    }
}
