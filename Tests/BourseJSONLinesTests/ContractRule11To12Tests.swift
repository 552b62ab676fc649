import Testing

/// Rules 11 and 12 of the matching contract: cancel, mass cancel, halt.
@Suite("contract rules 11-12: cancel, mass cancel, halt")
struct ContractRule11To12Tests {
    @Test("rule 11: cancelling an unknown order, another account's or another symbol's is unknown_order")
    func cancelUnknownOrder() {
        var s = ContractScenario()
        s.run(
            #"""
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":"1","price":"99"}
            """#)
        s.expect(
            #"""
            > {"cmd":"cancel","symbol":"X","account":"B","order_id":"1"}
            {"event":"rejected","order_id":"1","account":"B","symbol":"X","cmd":"cancel","reason":"unknown_order"}
            > {"cmd":"cancel","symbol":"X","account":"B","client_order_id":"a1"}
            {"event":"rejected","client_order_id":"a1","account":"B","symbol":"X","cmd":"cancel","reason":"unknown_order"}
            > {"cmd":"cancel","symbol":"Y","account":"A","order_id":"1"}
            {"event":"rejected","order_id":"1","account":"A","symbol":"Y","cmd":"cancel","reason":"unknown_order"}
            > {"cmd":"cancel","symbol":"Y","account":"A","client_order_id":"a1"}
            {"event":"rejected","client_order_id":"a1","account":"A","symbol":"Y","cmd":"cancel","reason":"unknown_order"}
            > {"cmd":"cancel","symbol":"X","account":"A","order_id":"77"}
            {"event":"rejected","order_id":"77","account":"A","symbol":"X","cmd":"cancel","reason":"unknown_order"}
            > {"cmd":"cancel","symbol":"X","account":"A","order_id":"abc"}
            {"event":"rejected","order_id":"abc","account":"A","symbol":"X","cmd":"cancel","reason":"unknown_order"}
            > {"cmd":"cancel","symbol":"X","account":"A","client_order_id":"zz","order_id":"78"}
            {"event":"rejected","client_order_id":"zz","order_id":"78","account":"A","symbol":"X","cmd":"cancel","reason":"unknown_order"}
            > {"cmd":"cancel","symbol":"X","account":"A","order_id":true}
            {"event":"rejected","account":"A","symbol":"X","cmd":"cancel","reason":"malformed"}
            > {"cmd":"cancel","symbol":"X","account":"A"}
            {"event":"rejected","account":"A","symbol":"X","cmd":"cancel","reason":"malformed"}
            > {"cmd":"cancel","symbol":"Q","account":"A","order_id":"1"}
            {"event":"rejected","order_id":"1","account":"A","symbol":"Q","cmd":"cancel","reason":"unknown_symbol"}
            > {"cmd":"cancel","symbol":"X","account":"A","order_id":"1"}
            {"event":"order","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","status":"cancelled","filled_qty":"0","leaves_qty":"0","reason":"cancelled"}
            {"event":"book","symbol":"X","side":"buy","price":"99","qty":"0","orders":0}
            """#)
    }

    @Test("rule 11: mass_cancel cancels the account's open orders and stops in acceptance order, also when halted")
    func massCancelAll() {
        var s = ContractScenario()
        s.run(
            #"""
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":"1","price":"99"}
            {"cmd":"new_order","symbol":"Y","account":"A","client_order_id":"a2","side":"sell","type":"limit","qty":"2","price":"101"}
            {"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b1","side":"buy","type":"limit","qty":"1","price":"99"}
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a3","side":"buy","type":"stop","qty":"1","stop_price":"105"}
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a4","side":"sell","type":"limit","qty":"3","price":"102","display_qty":"1"}
            {"cmd":"halt","symbol":"Y"}
            """#)
        s.expect(
            #"""
            > {"cmd":"mass_cancel","account":"A"}
            {"event":"order","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","status":"cancelled","filled_qty":"0","leaves_qty":"0","reason":"mass_cancel"}
            {"event":"book","symbol":"X","side":"buy","price":"99","qty":"1","orders":1}
            {"event":"order","order_id":"2","client_order_id":"a2","account":"A","symbol":"Y","status":"cancelled","filled_qty":"0","leaves_qty":"0","reason":"mass_cancel"}
            {"event":"book","symbol":"Y","side":"sell","price":"101","qty":"0","orders":0}
            {"event":"order","order_id":"4","client_order_id":"a3","account":"A","symbol":"X","status":"cancelled","filled_qty":"0","leaves_qty":"0","reason":"mass_cancel"}
            {"event":"order","order_id":"5","client_order_id":"a4","account":"A","symbol":"X","status":"cancelled","filled_qty":"0","leaves_qty":"0","reason":"mass_cancel"}
            {"event":"book","symbol":"X","side":"sell","price":"102","qty":"0","orders":0}
            {"event":"mass_cancelled","account":"A","count":4}
            > {"cmd":"mass_cancel","account":"A"}
            {"event":"mass_cancelled","account":"A","count":0}
            > {"cmd":"mass_cancel","account":"C"}
            {"event":"mass_cancelled","account":"C","count":0}
            > {"cmd":"dump_book","symbol":"X"}
            {"event":"book_snapshot","symbol":"X","bids":[{"order_id":"3","client_order_id":"b1","account":"B","price":"99","leaves_qty":"1","display_qty":"1"}],"asks":[],"stops":[]}
            """#)
    }

    @Test("rule 11: mass_cancel can be limited to a symbol and a side")
    func massCancelFilters() {
        var s = ContractScenario()
        s.run(
            #"""
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":"1","price":"99"}
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a2","side":"sell","type":"limit","qty":"1","price":"101"}
            {"cmd":"new_order","symbol":"Y","account":"A","client_order_id":"a3","side":"buy","type":"limit","qty":"1","price":"99"}
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a4","side":"sell","type":"stop","qty":"1","stop_price":"90"}
            """#)
        s.expect(
            #"""
            > {"cmd":"mass_cancel","account":"A","symbol":"X","side":"sell"}
            {"event":"order","order_id":"2","client_order_id":"a2","account":"A","symbol":"X","status":"cancelled","filled_qty":"0","leaves_qty":"0","reason":"mass_cancel"}
            {"event":"book","symbol":"X","side":"sell","price":"101","qty":"0","orders":0}
            {"event":"order","order_id":"4","client_order_id":"a4","account":"A","symbol":"X","status":"cancelled","filled_qty":"0","leaves_qty":"0","reason":"mass_cancel"}
            {"event":"mass_cancelled","account":"A","count":2}
            > {"cmd":"mass_cancel","account":"A","symbol":"Y"}
            {"event":"order","order_id":"3","client_order_id":"a3","account":"A","symbol":"Y","status":"cancelled","filled_qty":"0","leaves_qty":"0","reason":"mass_cancel"}
            {"event":"book","symbol":"Y","side":"buy","price":"99","qty":"0","orders":0}
            {"event":"mass_cancelled","account":"A","count":1}
            > {"cmd":"mass_cancel","account":"A","side":"sell"}
            {"event":"mass_cancelled","account":"A","count":0}
            > {"cmd":"mass_cancel","account":"A","side":"buy"}
            {"event":"order","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","status":"cancelled","filled_qty":"0","leaves_qty":"0","reason":"mass_cancel"}
            {"event":"book","symbol":"X","side":"buy","price":"99","qty":"0","orders":0}
            {"event":"mass_cancelled","account":"A","count":1}
            > {"cmd":"mass_cancel","account":"A","symbol":"Q"}
            {"event":"rejected","account":"A","symbol":"Q","cmd":"mass_cancel","reason":"unknown_symbol"}
            > {"cmd":"mass_cancel","account":"A","side":"both"}
            {"event":"rejected","account":"A","symbol":"","cmd":"mass_cancel","reason":"malformed"}
            > {"cmd":"mass_cancel","symbol":"X"}
            {"event":"rejected","account":"","symbol":"X","cmd":"mass_cancel","reason":"malformed"}
            """#)
    }

    @Test("rule 12: a halted symbol rejects new orders and replaces, cancels work, nothing trades")
    func halt() {
        var s = ContractScenario()
        s.run(
            #"""
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"sell","type":"limit","qty":"5","price":"100"}
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a2","side":"sell","type":"limit","qty":"5","price":"101"}
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a3","side":"buy","type":"stop","qty":"1","stop_price":"110"}
            """#)
        s.expect(
            #"""
            > {"cmd":"halt","symbol":"X"}
            > {"cmd":"halt","symbol":"X"}
            > {"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b1","side":"buy","type":"limit","qty":"5","price":"100"}
            {"event":"rejected","client_order_id":"b1","account":"B","symbol":"X","cmd":"new_order","reason":"halted"}
            > {"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b1","side":"buy","type":"market","qty":"5"}
            {"event":"rejected","client_order_id":"b1","account":"B","symbol":"X","cmd":"new_order","reason":"halted"}
            > {"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b1","side":"buy","type":"stop","qty":"5","stop_price":"90"}
            {"event":"rejected","client_order_id":"b1","account":"B","symbol":"X","cmd":"new_order","reason":"halted"}
            > {"cmd":"replace","symbol":"X","account":"A","order_id":"1","price":"99"}
            {"event":"rejected","order_id":"1","account":"A","symbol":"X","cmd":"replace","reason":"halted"}
            > {"cmd":"replace","symbol":"X","account":"A","order_id":"3","stop_price":"111"}
            {"event":"rejected","order_id":"3","account":"A","symbol":"X","cmd":"replace","reason":"halted"}
            > {"cmd":"cancel","symbol":"X","account":"A","order_id":"2"}
            {"event":"order","order_id":"2","client_order_id":"a2","account":"A","symbol":"X","status":"cancelled","filled_qty":"0","leaves_qty":"0","reason":"cancelled"}
            {"event":"book","symbol":"X","side":"sell","price":"101","qty":"0","orders":0}
            // Other symbols trade on.
            > {"cmd":"new_order","symbol":"Y","account":"B","client_order_id":"b1","side":"buy","type":"limit","qty":"5","price":"100"}
            {"event":"accepted","order_id":"4","client_order_id":"b1","account":"B","symbol":"Y","side":"buy","type":"limit","qty":"5","price":"100","tif":"gtc"}
            {"event":"book","symbol":"Y","side":"buy","price":"100","qty":"5","orders":1}
            > {"cmd":"resume","symbol":"X"}
            > {"cmd":"resume","symbol":"X"}
            > {"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b2","side":"buy","type":"limit","qty":"5","price":"100"}
            {"event":"accepted","order_id":"5","client_order_id":"b2","account":"B","symbol":"X","side":"buy","type":"limit","qty":"5","price":"100","tif":"gtc"}
            {"event":"trade","trade_id":"1","symbol":"X","price":"100","qty":"5","maker_order_id":"1","taker_order_id":"5","maker_account":"A","taker_account":"B","aggressor":"buy"}
            {"event":"order","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","status":"filled","filled_qty":"5","leaves_qty":"0","avg_price":"100"}
            {"event":"order","order_id":"5","client_order_id":"b2","account":"B","symbol":"X","status":"filled","filled_qty":"5","leaves_qty":"0","avg_price":"100"}
            {"event":"book","symbol":"X","side":"sell","price":"100","qty":"0","orders":0}
            > {"cmd":"halt","symbol":"Q"}
            {"event":"rejected","account":"","symbol":"Q","cmd":"halt","reason":"unknown_symbol"}
            > {"cmd":"resume","symbol":"Q"}
            {"event":"rejected","account":"","symbol":"Q","cmd":"resume","reason":"unknown_symbol"}
            > {"cmd":"halt"}
            {"event":"rejected","account":"","symbol":"","cmd":"halt","reason":"malformed"}
            > {"cmd":"resume","symbol":["X"]}
            {"event":"rejected","account":"","symbol":"","cmd":"resume","reason":"malformed"}
            """#)
    }
}
