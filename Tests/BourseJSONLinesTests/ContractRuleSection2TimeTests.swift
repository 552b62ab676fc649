import Testing

/// Section 2 of the matching contract: time.
@Suite("contract section 2: time")
struct ContractRuleSection2TimeTests {
    @Test("section 2: ts advances the clock and GTD orders expire before the command runs")
    func tsExpiresBeforeCommand() {
        var s = ContractScenario()
        s.expect(
            #"""
            > {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":"5","price":"99","tif":"gtd","expire_at":100,"ts":10}
            {"event":"accepted","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","side":"buy","type":"limit","qty":"5","price":"99","tif":"gtd"}
            {"event":"book","symbol":"X","side":"buy","price":"99","qty":"5","orders":1}
            > {"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b1","side":"sell","type":"limit","qty":"3","price":"99","ts":99}
            {"event":"accepted","order_id":"2","client_order_id":"b1","account":"B","symbol":"X","side":"sell","type":"limit","qty":"3","price":"99","tif":"gtc"}
            {"event":"trade","trade_id":"1","symbol":"X","price":"99","qty":"3","maker_order_id":"1","taker_order_id":"2","maker_account":"A","taker_account":"B","aggressor":"sell"}
            {"event":"order","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","status":"partially_filled","filled_qty":"3","leaves_qty":"2","avg_price":"99"}
            {"event":"order","order_id":"2","client_order_id":"b1","account":"B","symbol":"X","status":"filled","filled_qty":"3","leaves_qty":"0","avg_price":"99"}
            {"event":"book","symbol":"X","side":"buy","price":"99","qty":"2","orders":1}
            // expire_at <= now: the order expires before this sell can trade with it.
            > {"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b2","side":"sell","type":"limit","qty":"3","price":"99","ts":100}
            {"event":"order","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","status":"expired","filled_qty":"3","leaves_qty":"0","avg_price":"99","reason":"gtd_expired"}
            {"event":"book","symbol":"X","side":"buy","price":"99","qty":"0","orders":0}
            {"event":"accepted","order_id":"3","client_order_id":"b2","account":"B","symbol":"X","side":"sell","type":"limit","qty":"3","price":"99","tif":"gtc"}
            {"event":"book","symbol":"X","side":"sell","price":"99","qty":"3","orders":1}
            """#)
    }

    @Test("section 2: the time command advances the clock and never moves it back")
    func timeCommand() {
        var s = ContractScenario()
        s.expect(
            #"""
            > {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":"5","price":"99","tif":"gtd","expire_at":100}
            {"event":"accepted","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","side":"buy","type":"limit","qty":"5","price":"99","tif":"gtd"}
            {"event":"book","symbol":"X","side":"buy","price":"99","qty":"5","orders":1}
            > {"cmd":"time","now":50}
            > {"cmd":"time","now":20}
            // now is still 50, so expire_at 50 is not in the future.
            > {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a2","side":"buy","type":"limit","qty":"1","price":"98","tif":"gtd","expire_at":50}
            {"event":"rejected","client_order_id":"a2","account":"A","symbol":"X","cmd":"new_order","reason":"invalid_expire_at"}
            > {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a2","side":"buy","type":"limit","qty":"1","price":"98","tif":"gtd","expire_at":51,"ts":30}
            {"event":"accepted","order_id":"2","client_order_id":"a2","account":"A","symbol":"X","side":"buy","type":"limit","qty":"1","price":"98","tif":"gtd"}
            {"event":"book","symbol":"X","side":"buy","price":"98","qty":"1","orders":1}
            > {"cmd":"time","now":99}
            {"event":"order","order_id":"2","client_order_id":"a2","account":"A","symbol":"X","status":"expired","filled_qty":"0","leaves_qty":"0","reason":"gtd_expired"}
            {"event":"book","symbol":"X","side":"buy","price":"98","qty":"0","orders":0}
            > {"cmd":"time","now":100}
            {"event":"order","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","status":"expired","filled_qty":"0","leaves_qty":"0","reason":"gtd_expired"}
            {"event":"book","symbol":"X","side":"buy","price":"99","qty":"0","orders":0}
            > {"cmd":"time","now":"200"}
            {"event":"rejected","account":"","symbol":"","cmd":"time","reason":"malformed"}
            > {"cmd":"time"}
            {"event":"rejected","account":"","symbol":"","cmd":"time","reason":"malformed"}
            > {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a3","side":"buy","type":"limit","qty":"1","price":"97","tif":"gtd","expire_at":150}
            {"event":"accepted","order_id":"3","client_order_id":"a3","account":"A","symbol":"X","side":"buy","type":"limit","qty":"1","price":"97","tif":"gtd"}
            {"event":"book","symbol":"X","side":"buy","price":"97","qty":"1","orders":1}
            // ts first (now = 150), then now = max(150, 120).
            > {"cmd":"time","now":120,"ts":150}
            {"event":"order","order_id":"3","client_order_id":"a3","account":"A","symbol":"X","status":"expired","filled_qty":"0","leaves_qty":"0","reason":"gtd_expired"}
            {"event":"book","symbol":"X","side":"buy","price":"97","qty":"0","orders":0}
            """#)
    }

    @Test("section 2: GTD orders and untriggered GTD stops expire in acceptance order, across symbols")
    func expiryInAcceptanceOrder() {
        var s = ContractScenario()
        s.run(
            #"""
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":"1","price":"99","tif":"gtd","expire_at":300}
            {"cmd":"new_order","symbol":"Y","account":"B","client_order_id":"b1","side":"buy","type":"stop_limit","qty":"2","price":"105","stop_price":"104","tif":"gtd","expire_at":100}
            {"cmd":"new_order","symbol":"X","account":"C","client_order_id":"c1","side":"sell","type":"limit","qty":"1","price":"101","tif":"gtd","expire_at":200}
            {"cmd":"new_order","symbol":"Y","account":"A","client_order_id":"a2","side":"buy","type":"limit","qty":"1","price":"50"}
            {"cmd":"new_order","symbol":"Y","account":"C","client_order_id":"c2","side":"sell","type":"limit","qty":"1","price":"150","tif":"gtd","expire_at":150}
            {"cmd":"new_order","symbol":"X","account":"C","client_order_id":"c3","side":"sell","type":"limit","qty":"1","price":"102","tif":"gtd","expire_at":301}
            """#)
        s.expect(
            #"""
            > {"cmd":"time","now":300}
            {"event":"order","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","status":"expired","filled_qty":"0","leaves_qty":"0","reason":"gtd_expired"}
            {"event":"book","symbol":"X","side":"buy","price":"99","qty":"0","orders":0}
            {"event":"order","order_id":"2","client_order_id":"b1","account":"B","symbol":"Y","status":"expired","filled_qty":"0","leaves_qty":"0","reason":"gtd_expired"}
            {"event":"order","order_id":"3","client_order_id":"c1","account":"C","symbol":"X","status":"expired","filled_qty":"0","leaves_qty":"0","reason":"gtd_expired"}
            {"event":"book","symbol":"X","side":"sell","price":"101","qty":"0","orders":0}
            {"event":"order","order_id":"5","client_order_id":"c2","account":"C","symbol":"Y","status":"expired","filled_qty":"0","leaves_qty":"0","reason":"gtd_expired"}
            {"event":"book","symbol":"Y","side":"sell","price":"150","qty":"0","orders":0}
            > {"cmd":"dump_book","symbol":"X"}
            {"event":"book_snapshot","symbol":"X","bids":[],"asks":[{"order_id":"6","client_order_id":"c3","account":"C","price":"102","leaves_qty":"1","display_qty":"1"}],"stops":[]}
            """#)
    }

    @Test("section 2: GTD expiry also happens on a halted symbol")
    func expiryWhileHalted() {
        var s = ContractScenario()
        s.run(
            #"""
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":"5","price":"99","tif":"gtd","expire_at":100}
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a2","side":"sell","type":"stop_limit","qty":"1","price":"90","stop_price":"91","tif":"gtd","expire_at":150}
            {"cmd":"halt","symbol":"X"}
            """#)
        s.expect(
            #"""
            > {"cmd":"time","now":100}
            {"event":"order","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","status":"expired","filled_qty":"0","leaves_qty":"0","reason":"gtd_expired"}
            {"event":"book","symbol":"X","side":"buy","price":"99","qty":"0","orders":0}
            // A command rejected as halted still applies its ts first.
            > {"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b1","side":"buy","type":"limit","qty":"1","price":"99","ts":150}
            {"event":"order","order_id":"2","client_order_id":"a2","account":"A","symbol":"X","status":"expired","filled_qty":"0","leaves_qty":"0","reason":"gtd_expired"}
            {"event":"rejected","client_order_id":"b1","account":"B","symbol":"X","cmd":"new_order","reason":"halted"}
            """#)
    }

    @Test("section 2: ts is applied even when the command is then rejected")
    func tsAppliedOnRejection() {
        var s = ContractScenario()
        s.run(
            #"""
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":"5","price":"99","tif":"gtd","expire_at":100}
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a2","side":"buy","type":"limit","qty":"1","price":"98","tif":"gtd","expire_at":200}
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a3","side":"buy","type":"limit","qty":"1","price":"97","tif":"gtd","expire_at":300}
            """#)
        s.expect(
            #"""
            > {"cmd":"new_order","symbol":"Q","account":"B","client_order_id":"b1","side":"buy","type":"limit","qty":"1","price":"99","ts":100}
            {"event":"order","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","status":"expired","filled_qty":"0","leaves_qty":"0","reason":"gtd_expired"}
            {"event":"book","symbol":"X","side":"buy","price":"99","qty":"0","orders":0}
            {"event":"rejected","client_order_id":"b1","account":"B","symbol":"Q","cmd":"new_order","reason":"unknown_symbol"}
            // The order expires first, so the cancel no longer finds it.
            > {"cmd":"cancel","symbol":"X","account":"A","order_id":"2","ts":200}
            {"event":"order","order_id":"2","client_order_id":"a2","account":"A","symbol":"X","status":"expired","filled_qty":"0","leaves_qty":"0","reason":"gtd_expired"}
            {"event":"book","symbol":"X","side":"buy","price":"98","qty":"0","orders":0}
            {"event":"rejected","order_id":"2","account":"A","symbol":"X","cmd":"cancel","reason":"unknown_order"}
            > {"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b1","side":"buy","type":"limit","qty":"1.5","price":"99","ts":300}
            {"event":"order","order_id":"3","client_order_id":"a3","account":"A","symbol":"X","status":"expired","filled_qty":"0","leaves_qty":"0","reason":"gtd_expired"}
            {"event":"book","symbol":"X","side":"buy","price":"97","qty":"0","orders":0}
            {"event":"rejected","client_order_id":"b1","account":"B","symbol":"X","cmd":"new_order","reason":"off_lot"}
            """#)
    }

    @Test("section 2: a malformed command does not apply its ts")
    func malformedSkipsTs() {
        var s = ContractScenario()
        s.run(
            #"""
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":"5","price":"99","tif":"gtd","expire_at":100}
            """#)
        s.expect(
            #"""
            > {"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b1","side":"up","type":"limit","qty":"1","price":"99","ts":100}
            {"event":"rejected","client_order_id":"b1","account":"B","symbol":"X","cmd":"new_order","reason":"malformed"}
            > {"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b1","side":"buy","type":"limit","qty":"1","price":"99","ts":"100"}
            {"event":"rejected","client_order_id":"b1","account":"B","symbol":"X","cmd":"new_order","reason":"malformed"}
            > {"cmd":"cancel","symbol":"X","account":"A","ts":100}
            {"event":"rejected","account":"A","symbol":"X","cmd":"cancel","reason":"malformed"}
            > {"cmd":"time","now":"100","ts":100}
            {"event":"rejected","account":"","symbol":"","cmd":"time","reason":"malformed"}
            > {"cmd":"launch","ts":100}
            {"event":"rejected","account":"","symbol":"","cmd":"launch","reason":"malformed"}
            > {"cmd":"time","now":99}
            > {"cmd":"time","now":100}
            {"event":"order","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","status":"expired","filled_qty":"0","leaves_qty":"0","reason":"gtd_expired"}
            {"event":"book","symbol":"X","side":"buy","price":"99","qty":"0","orders":0}
            """#)
    }

    @Test("section 2: gtd needs an integer expire_at after now, checked after ts is applied")
    func expireAtAfterTs() {
        var s = ContractScenario()
        let rejected = #"""
            {"event":"rejected","client_order_id":"a1","account":"A","symbol":"X","cmd":"new_order","reason":"invalid_expire_at"}
            """#
        s.expectLast(
            #"""
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":"1","price":"99","tif":"gtd","expire_at":100,"ts":100}
            """#, answers: rejected)
        s.expectLast(
            #"""
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":"1","price":"99","tif":"gtd"}
            """#, answers: rejected)
        s.expectLast(
            #"""
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":"1","price":"99","tif":"gtd","expire_at":"500"}
            """#, answers: rejected)
        s.expectLast(
            #"""
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":"1","price":"99","tif":"gtd","expire_at":500.5}
            """#, answers: rejected)
        s.expectLast(
            #"""
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":"1","price":"99","tif":"gtd","expire_at":50}
            """#, answers: rejected)
        s.expect(
            #"""
            > {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":"1","price":"99","tif":"gtd","expire_at":101}
            {"event":"accepted","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","side":"buy","type":"limit","qty":"1","price":"99","tif":"gtd"}
            {"event":"book","symbol":"X","side":"buy","price":"99","qty":"1","orders":1}
            // expire_at without gtd is ignored, whatever its value.
            > {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a2","side":"buy","type":"limit","qty":"1","price":"98","expire_at":"soon"}
            {"event":"accepted","order_id":"2","client_order_id":"a2","account":"A","symbol":"X","side":"buy","type":"limit","qty":"1","price":"98","tif":"gtc"}
            {"event":"book","symbol":"X","side":"buy","price":"98","qty":"1","orders":1}
            > {"cmd":"time","now":1000}
            {"event":"order","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","status":"expired","filled_qty":"0","leaves_qty":"0","reason":"gtd_expired"}
            {"event":"book","symbol":"X","side":"buy","price":"99","qty":"0","orders":0}
            """#)
    }

    @Test("section 2: end_session with a ts expires GTD orders first, then DAY orders")
    func endSessionWithTs() {
        var s = ContractScenario()
        s.run(
            #"""
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":"1","price":"97","tif":"day"}
            {"cmd":"new_order","symbol":"X","account":"A","client_order_id":"a2","side":"buy","type":"limit","qty":"1","price":"98","tif":"gtd","expire_at":100}
            """#)
        s.expect(
            #"""
            > {"cmd":"end_session","symbol":"X","ts":100}
            {"event":"order","order_id":"2","client_order_id":"a2","account":"A","symbol":"X","status":"expired","filled_qty":"0","leaves_qty":"0","reason":"gtd_expired"}
            {"event":"book","symbol":"X","side":"buy","price":"98","qty":"0","orders":0}
            {"event":"order","order_id":"1","client_order_id":"a1","account":"A","symbol":"X","status":"expired","filled_qty":"0","leaves_qty":"0","reason":"end_session"}
            {"event":"book","symbol":"X","side":"buy","price":"97","qty":"0","orders":0}
            """#)
    }
}
