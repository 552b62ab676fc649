import BourseJSONLines
import Testing

/// Regression tests for defects a review of the risk layer found; each names what went wrong.
@Suite("risk: regressions from review")
struct RiskReviewTests {
    /// Runs lines through a session (no invariant checks: amounts this large saturate) and answers the output.
    static func run(_ lines: [String]) -> [String] {
        var session = JSONLinesSession()
        var output: [String] = []
        for line in lines { session.process(line: line, into: &output) }
        return output
    }

    @Test(
        "absurd sizes never stop the engine: huge deposits, trades past Int64 positions, fees on huge notionals, endless halts"
    )
    func hugeValuesDoNotCrash() {
        let deposits = Self.run([
            #"{"cmd":"deposit","account":"A","asset":"USD","amount":"100000000000000000000"}"#,
            #"{"cmd":"deposit","account":"A","asset":"USD","amount":"100000000000000000000"}"#,
        ])
        #expect(deposits.last?.contains(#""reason":"malformed""#) == true)
        let positions = Self.run(
            [#"{"cmd":"add_instrument","symbol":"X","tick_size":"1","lot_size":"1"}"#]
                + Array(
                    repeating: [
                        #"{"cmd":"new_order","symbol":"X","account":"S","client_order_id":"s","side":"sell","type":"limit","qty":"5000000000000000000","price":"1"}"#,
                        #"{"cmd":"new_order","symbol":"X","account":"B","client_order_id":"b","side":"buy","type":"limit","qty":"5000000000000000000","price":"1"}"#,
                    ], count: 3
                ).flatMap { $0 })
        #expect(positions.filter { $0.contains(#""event":"trade""#) }.count == 3)
        let fees = Self.run([
            #"{"cmd":"add_instrument","symbol":"BTC-USD","tick_size":"1","lot_size":"1"}"#,
            #"{"cmd":"set_fees","symbol":"BTC-USD","maker_bps":10,"taker_bps":10}"#,
            #"{"cmd":"new_order","symbol":"BTC-USD","account":"S","client_order_id":"s1","side":"sell","type":"limit","qty":"10000000000","price":"17000000000"}"#,
            #"{"cmd":"new_order","symbol":"BTC-USD","account":"B","client_order_id":"b1","side":"buy","type":"limit","qty":"10000000000","price":"17000000000"}"#,
        ])
        #expect(fees.contains { $0.contains(#""event":"trade""#) })
        // A notional past every amount saturates; a fee of 100% on it did overflow and stop the engine.
        let saturatedFees = Self.run([
            #"{"cmd":"add_instrument","symbol":"BTC-USD","tick_size":"1","lot_size":"1"}"#,
            #"{"cmd":"set_fees","symbol":"BTC-USD","maker_bps":10000,"taker_bps":10000}"#,
            #"{"cmd":"new_order","symbol":"BTC-USD","account":"S","client_order_id":"s1","side":"sell","type":"limit","qty":"9000000000000000000","price":"9000000000000000000"}"#,
            #"{"cmd":"new_order","symbol":"BTC-USD","account":"B","client_order_id":"b1","side":"buy","type":"limit","qty":"9000000000000000000","price":"9000000000000000000"}"#,
        ])
        #expect(saturatedFees.contains { $0.contains(#""event":"trade""#) })
        let halt = Self.run([
            #"{"cmd":"add_instrument","symbol":"BTC-USD","tick_size":"1","lot_size":"1"}"#,
            #"{"cmd":"set_instrument_risk","symbol":"BTC-USD","breaker_pct":"10","breaker_window_ms":1000,"breaker_halt_ms":9223372036854775807}"#,
            #"{"cmd":"new_order","symbol":"BTC-USD","account":"S","client_order_id":"s0","side":"sell","type":"limit","qty":"1","price":"100","ts":5}"#,
            #"{"cmd":"new_order","symbol":"BTC-USD","account":"B","client_order_id":"b0","side":"buy","type":"limit","qty":"1","price":"100"}"#,
            #"{"cmd":"new_order","symbol":"BTC-USD","account":"S","client_order_id":"s1","side":"sell","type":"limit","qty":"1","price":"200"}"#,
            #"{"cmd":"new_order","symbol":"BTC-USD","account":"B","client_order_id":"b1","side":"buy","type":"market","qty":"1"}"#,
            #"{"cmd":"time","now":9223372036854775807}"#,
        ])
        #expect(halt.contains(#"{"event":"resumed","symbol":"BTC-USD","reason":"circuit_breaker"}"#))
    }

    @Test(
        "a fee raised while a cash buy rests cannot take more than its hold: the order pays the fees it was accepted with"
    )
    func feeChangeWhileOpen() {
        var s = ContractScenario(
            #"""
            {"cmd":"add_instrument","symbol":"BTC-USD","tick_size":"1","lot_size":"1"}
            {"cmd":"set_account","account":"A","mode":"cash"}
            {"cmd":"deposit","account":"A","asset":"USD","amount":"100"}
            {"cmd":"new_order","symbol":"BTC-USD","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":"1","price":"100"}
            {"cmd":"set_fees","symbol":"BTC-USD","maker_bps":20,"taker_bps":20}
            {"cmd":"set_account","account":"A","tier":3}
            {"cmd":"new_order","symbol":"BTC-USD","account":"B","client_order_id":"b1","side":"sell","type":"limit","qty":"1","price":"100"}
            """#)
        s.expect(
            #"""
            > {"cmd":"account_report","account":"A"}
            {"event":"balance","account":"A","asset":"BTC","total":"1","held":"0","available":"1"}
            {"event":"position","account":"A","symbol":"BTC-USD","net_qty":"1","avg_price":"100","realized_pnl":"0","unrealized_pnl":"0","mark_price":"100","fees":"0"}
            """#)
    }

    @Test("the price band applies to an account's first order too, and an off-tick replace of a cash order is off_tick")
    func bandAndReplaceOrder() {
        var s = ContractScenario(
            #"""
            {"cmd":"add_instrument","symbol":"BTC-USD","tick_size":"1","lot_size":"1"}
            {"cmd":"new_order","symbol":"BTC-USD","account":"S","client_order_id":"s1","side":"sell","type":"limit","qty":"1","price":"100"}
            {"cmd":"new_order","symbol":"BTC-USD","account":"B","client_order_id":"b1","side":"buy","type":"limit","qty":"1","price":"100"}
            {"cmd":"set_instrument_risk","symbol":"BTC-USD","price_band_pct":"10"}
            {"cmd":"set_account","account":"A","mode":"cash"}
            {"cmd":"deposit","account":"A","asset":"USD","amount":"1000"}
            {"cmd":"new_order","symbol":"BTC-USD","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":"1","price":"100"}
            """#)
        s.expect(
            #"""
            > {"cmd":"new_order","symbol":"BTC-USD","account":"C","client_order_id":"c1","side":"buy","type":"limit","qty":"1","price":"50"}
            {"event":"rejected","client_order_id":"c1","account":"C","symbol":"BTC-USD","cmd":"new_order","reason":"price_band"}
            > {"cmd":"replace","symbol":"BTC-USD","account":"A","client_order_id":"a1","price":"100.5"}
            {"event":"rejected","client_order_id":"a1","account":"A","symbol":"BTC-USD","cmd":"replace","reason":"off_tick"}
            > {"cmd":"replace","symbol":"BTC-USD","account":"A","client_order_id":"a1","qty":"1"}
            {"event":"rejected","client_order_id":"a1","account":"A","symbol":"BTC-USD","cmd":"replace","reason":"no_change"}
            """#)
    }

    @Test("a replace of a stop is held to max_order_notional at its stop price")
    func stopReplaceNotional() {
        var s = ContractScenario(
            #"""
            {"cmd":"add_instrument","symbol":"BTC-USD","tick_size":"1","lot_size":"1"}
            {"cmd":"set_limits","account":"C","max_order_notional":"1000"}
            {"cmd":"new_order","symbol":"BTC-USD","account":"C","client_order_id":"c1","side":"buy","type":"stop","qty":"10","stop_price":"100"}
            """#)
        s.expect(
            #"""
            > {"cmd":"replace","symbol":"BTC-USD","account":"C","client_order_id":"c1","qty":"50"}
            {"event":"rejected","client_order_id":"c1","account":"C","symbol":"BTC-USD","cmd":"replace","reason":"max_order_notional"}
            """#)
    }

    @Test("a breaker set after trades takes the price standing then as its reference")
    func breakerAfterTrades() {
        var s = ContractScenario(
            #"""
            {"cmd":"add_instrument","symbol":"BTC-USD","tick_size":"1","lot_size":"1"}
            {"cmd":"new_order","symbol":"BTC-USD","account":"S","client_order_id":"s0","side":"sell","type":"limit","qty":"1","price":"100"}
            {"cmd":"new_order","symbol":"BTC-USD","account":"B","client_order_id":"b0","side":"buy","type":"limit","qty":"1","price":"100"}
            {"cmd":"set_instrument_risk","symbol":"BTC-USD","breaker_pct":"10","breaker_window_ms":1000,"breaker_halt_ms":1000,"ts":5000}
            {"cmd":"new_order","symbol":"BTC-USD","account":"S","client_order_id":"s1","side":"sell","type":"limit","qty":"1","price":"200"}
            """#)
        s.expect(
            #"""
            > {"cmd":"new_order","symbol":"BTC-USD","account":"B","client_order_id":"b1","side":"buy","type":"market","qty":"1"}
            {"event":"accepted","order_id":"4","client_order_id":"b1","account":"B","symbol":"BTC-USD","side":"buy","type":"market","qty":"1","tif":"gtc"}
            {"event":"order","order_id":"4","client_order_id":"b1","account":"B","symbol":"BTC-USD","status":"cancelled","filled_qty":"0","leaves_qty":"0","reason":"circuit_breaker"}
            {"event":"halted","symbol":"BTC-USD","reason":"circuit_breaker"}
            """#)
    }

    @Test(
        "a breaker halt that runs out during a venue halt ends with resume_venue; an operator resume waits for it too")
    func venueHaltHoldsBreakerResume() {
        var s = ContractScenario(
            #"""
            {"cmd":"add_instrument","symbol":"BTC-USD","tick_size":"1","lot_size":"1"}
            {"cmd":"set_instrument_risk","symbol":"BTC-USD","breaker_pct":"10","breaker_window_ms":60000,"breaker_halt_ms":1000}
            {"cmd":"new_order","symbol":"BTC-USD","account":"S","client_order_id":"s0","side":"sell","type":"limit","qty":"1","price":"100"}
            {"cmd":"new_order","symbol":"BTC-USD","account":"B","client_order_id":"b0","side":"buy","type":"limit","qty":"1","price":"100"}
            {"cmd":"new_order","symbol":"BTC-USD","account":"S","client_order_id":"s1","side":"sell","type":"limit","qty":"1","price":"105"}
            {"cmd":"new_order","symbol":"BTC-USD","account":"S","client_order_id":"s2","side":"sell","type":"limit","qty":"1","price":"115"}
            {"cmd":"new_order","symbol":"BTC-USD","account":"D","client_order_id":"d1","side":"buy","type":"stop","qty":"1","stop_price":"105"}
            {"cmd":"new_order","symbol":"BTC-USD","account":"B","client_order_id":"b1","side":"buy","type":"market","qty":"2","ts":10}
            {"cmd":"halt_venue","ts":20}
            """#)
        s.expect(
            #"""
            > {"cmd":"time","now":5000}
            > {"cmd":"resume","symbol":"BTC-USD"}
            {"event":"rejected","account":"","symbol":"BTC-USD","cmd":"resume","reason":"halted"}
            > {"cmd":"resume_venue"}
            {"event":"resumed","symbol":"","reason":"venue_halt"}
            {"event":"resumed","symbol":"BTC-USD","reason":"circuit_breaker"}
            {"event":"order","order_id":"5","client_order_id":"d1","account":"D","symbol":"BTC-USD","status":"triggered","filled_qty":"0","leaves_qty":"1"}
            {"event":"order","order_id":"5","client_order_id":"d1","account":"D","symbol":"BTC-USD","status":"cancelled","filled_qty":"0","leaves_qty":"0","reason":"circuit_breaker"}
            {"event":"halted","symbol":"BTC-USD","reason":"circuit_breaker"}
            """#)
    }
}
