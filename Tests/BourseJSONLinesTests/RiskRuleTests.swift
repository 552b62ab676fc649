import Testing

/// The risk layer's rules (`docs/risk.md`), each checked through `bourse run`'s JSON Lines session.
@Suite("risk: balances and holds, pre-trade checks, kill switches, halts, circuit breakers, positions")
struct RiskRuleTests {
    /// BTC-USD with tick 1 and lot 1, two cash accounts with money, fees of 10 (maker) and 20 (taker) bps.
    static let cashSetup = #"""
        {"cmd":"add_instrument","symbol":"BTC-USD","tick_size":"1","lot_size":"1"}
        {"cmd":"set_fees","symbol":"BTC-USD","maker_bps":10,"taker_bps":20}
        {"cmd":"set_account","account":"A","mode":"cash"}
        {"cmd":"set_account","account":"B","mode":"cash"}
        {"cmd":"deposit","account":"A","asset":"USD","amount":"10000"}
        {"cmd":"deposit","account":"B","asset":"BTC","amount":"10"}
        """#

    /// BTC-USD with tick 1 and lot 1 and no risk settings.
    static let plainSetup = #"""
        {"cmd":"add_instrument","symbol":"BTC-USD","tick_size":"1","lot_size":"1"}
        """#

    @Test("a buy holds price x qty plus the worst-case fee; a fill moves base, quote and fees; a cancel releases")
    func holdsAndFills() {
        var s = ContractScenario(Self.cashSetup)
        s.expect(
            #"""
            > {"cmd":"new_order","symbol":"BTC-USD","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":"5","price":"100"}
            {"event":"accepted","order_id":"1","client_order_id":"a1","account":"A","symbol":"BTC-USD","side":"buy","type":"limit","qty":"5","price":"100","tif":"gtc"}
            {"event":"book","symbol":"BTC-USD","side":"buy","price":"100","qty":"5","orders":1}
            {"event":"balance","account":"A","asset":"USD","total":"10000","held":"501","available":"9499"}
            // B sells 3 as taker at A's price: A pays 300 + 0.3 (maker 10 bps), B gets 300 - 0.6 (taker 20 bps).
            > {"cmd":"new_order","symbol":"BTC-USD","account":"B","client_order_id":"b1","side":"sell","type":"limit","qty":"3","price":"99"}
            {"event":"accepted","order_id":"2","client_order_id":"b1","account":"B","symbol":"BTC-USD","side":"sell","type":"limit","qty":"3","price":"99","tif":"gtc"}
            {"event":"trade","trade_id":"1","symbol":"BTC-USD","price":"100","qty":"3","maker_order_id":"1","taker_order_id":"2","maker_account":"A","taker_account":"B","aggressor":"sell"}
            {"event":"order","order_id":"1","client_order_id":"a1","account":"A","symbol":"BTC-USD","status":"partially_filled","filled_qty":"3","leaves_qty":"2","avg_price":"100"}
            {"event":"order","order_id":"2","client_order_id":"b1","account":"B","symbol":"BTC-USD","status":"filled","filled_qty":"3","leaves_qty":"0","avg_price":"100"}
            {"event":"book","symbol":"BTC-USD","side":"buy","price":"100","qty":"2","orders":1}
            {"event":"balance","account":"B","asset":"BTC","total":"7","held":"0","available":"7"}
            {"event":"balance","account":"A","asset":"USD","total":"9699.7","held":"200.4","available":"9499.3"}
            {"event":"balance","account":"A","asset":"BTC","total":"3","held":"0","available":"3"}
            {"event":"balance","account":"B","asset":"USD","total":"299.4","held":"0","available":"299.4"}
            > {"cmd":"cancel","symbol":"BTC-USD","account":"A","order_id":"1"}
            {"event":"order","order_id":"1","client_order_id":"a1","account":"A","symbol":"BTC-USD","status":"cancelled","filled_qty":"3","leaves_qty":"0","avg_price":"100","reason":"cancelled"}
            {"event":"book","symbol":"BTC-USD","side":"buy","price":"100","qty":"0","orders":0}
            {"event":"balance","account":"A","asset":"USD","total":"9699.7","held":"0","available":"9699.7"}
            """#)
    }

    @Test("insufficient_balance: a buy beyond the available quote, a sell beyond the available base, a withdrawal")
    func insufficientBalance() {
        var s = ContractScenario(Self.cashSetup)
        s.expect(
            #"""
            // 99 x 100 + 0.2% = 9919.8 fits; 100 x 100 + 0.2% = 10020 does not.
            > {"cmd":"new_order","symbol":"BTC-USD","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":"100","price":"100"}
            {"event":"rejected","client_order_id":"a1","account":"A","symbol":"BTC-USD","cmd":"new_order","reason":"insufficient_balance"}
            > {"cmd":"new_order","symbol":"BTC-USD","account":"B","client_order_id":"b1","side":"sell","type":"limit","qty":"11","price":"100"}
            {"event":"rejected","client_order_id":"b1","account":"B","symbol":"BTC-USD","cmd":"new_order","reason":"insufficient_balance"}
            > {"cmd":"withdraw","account":"A","asset":"USD","amount":"10000.5"}
            {"event":"rejected","account":"A","symbol":"","cmd":"withdraw","reason":"insufficient_balance"}
            > {"cmd":"withdraw","account":"A","asset":"EUR","amount":"1"}
            {"event":"rejected","account":"A","symbol":"","cmd":"withdraw","reason":"insufficient_balance"}
            > {"cmd":"withdraw","account":"A","asset":"USD","amount":"0"}
            {"event":"rejected","account":"A","symbol":"","cmd":"withdraw","reason":"malformed"}
            > {"cmd":"withdraw","account":"A","asset":"USD","amount":"80.08"}
            {"event":"balance","account":"A","asset":"USD","total":"9919.92","held":"0","available":"9919.92"}
            > {"cmd":"new_order","symbol":"BTC-USD","account":"A","client_order_id":"a2","side":"buy","type":"limit","qty":"99","price":"100"}
            {"event":"accepted","order_id":"1","client_order_id":"a2","account":"A","symbol":"BTC-USD","side":"buy","type":"limit","qty":"99","price":"100","tif":"gtc"}
            {"event":"book","symbol":"BTC-USD","side":"buy","price":"100","qty":"99","orders":1}
            {"event":"balance","account":"A","asset":"USD","total":"9919.92","held":"9919.8","available":"0.12"}
            // Held money cannot be withdrawn.
            > {"cmd":"withdraw","account":"A","asset":"USD","amount":"1"}
            {"event":"rejected","account":"A","symbol":"","cmd":"withdraw","reason":"insufficient_balance"}
            """#)
    }

    @Test("the contract's validation comes first: an invalid order keeps its contract reason, not a risk reason")
    func contractReasonsComeFirst() {
        var s = ContractScenario(Self.cashSetup)
        s.expect(
            #"""
            > {"cmd":"new_order","symbol":"BTC-USD","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":"1000","price":"0"}
            {"event":"rejected","client_order_id":"a1","account":"A","symbol":"BTC-USD","cmd":"new_order","reason":"off_tick"}
            > {"cmd":"set_account","account":"A","enabled":false}
            > {"cmd":"new_order","symbol":"BTC-USD","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":"1","price":"100","tif":"gtd"}
            {"event":"rejected","client_order_id":"a1","account":"A","symbol":"BTC-USD","cmd":"new_order","reason":"invalid_expire_at"}
            > {"cmd":"new_order","symbol":"BTC-USD","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":"1","price":"100"}
            {"event":"rejected","client_order_id":"a1","account":"A","symbol":"BTC-USD","cmd":"new_order","reason":"account_disabled"}
            // A disabled account still cancels, and comes back when enabled.
            > {"cmd":"set_account","account":"A","enabled":true}
            > {"cmd":"new_order","symbol":"BTC-USD","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":"1","price":"100"}
            {"event":"accepted","order_id":"1","client_order_id":"a1","account":"A","symbol":"BTC-USD","side":"buy","type":"limit","qty":"1","price":"100","tif":"gtc"}
            {"event":"book","symbol":"BTC-USD","side":"buy","price":"100","qty":"1","orders":1}
            {"event":"balance","account":"A","asset":"USD","total":"10000","held":"100.2","available":"9899.8"}
            """#)
    }

    @Test("max_order_qty and max_order_notional, for the account and overridden for one instrument")
    func sizeLimits() {
        var s = ContractScenario(Self.plainSetup)
        s.expect(
            #"""
            > {"cmd":"set_limits","account":"A","max_order_qty":"10","max_order_notional":"1000"}
            > {"cmd":"new_order","symbol":"BTC-USD","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":"11","price":"50"}
            {"event":"rejected","client_order_id":"a1","account":"A","symbol":"BTC-USD","cmd":"new_order","reason":"max_order_qty"}
            > {"cmd":"new_order","symbol":"BTC-USD","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":"10","price":"101"}
            {"event":"rejected","client_order_id":"a1","account":"A","symbol":"BTC-USD","cmd":"new_order","reason":"max_order_notional"}
            > {"cmd":"set_limits","account":"A","symbol":"BTC-USD","max_order_qty":"20"}
            > {"cmd":"new_order","symbol":"BTC-USD","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":"20","price":"50"}
            {"event":"accepted","order_id":"1","client_order_id":"a1","account":"A","symbol":"BTC-USD","side":"buy","type":"limit","qty":"20","price":"50","tif":"gtc"}
            {"event":"book","symbol":"BTC-USD","side":"buy","price":"50","qty":"20","orders":1}
            // A replace is held to the same limits.
            > {"cmd":"replace","symbol":"BTC-USD","account":"A","order_id":"1","price":"51"}
            {"event":"rejected","order_id":"1","account":"A","symbol":"BTC-USD","cmd":"replace","reason":"max_order_notional"}
            > {"cmd":"set_limits","account":"A","max_order_notional":"none"}
            > {"cmd":"replace","symbol":"BTC-USD","account":"A","order_id":"1","qty":"21"}
            {"event":"rejected","order_id":"1","account":"A","symbol":"BTC-USD","cmd":"replace","reason":"max_order_qty"}
            > {"cmd":"set_limits","account":"A","max_order_qty":"-1"}
            {"event":"rejected","account":"A","symbol":"","cmd":"set_limits","reason":"malformed"}
            // Only the quantity, notional and position limits exist per instrument.
            > {"cmd":"set_limits","account":"A","symbol":"BTC-USD","max_open_orders":"3"}
            {"event":"rejected","account":"A","symbol":"BTC-USD","cmd":"set_limits","reason":"malformed"}
            """#)
    }

    @Test(
        "size limits are in base and quote units whatever the instrument's lot and tick, and cover instruments added later"
    )
    func sizeLimitsInInstrumentUnits() {
        var s = ContractScenario(
            #"""
            {"cmd":"set_limits","account":"A","max_order_qty":"1.5","max_order_notional":"200.05","max_position":"2.5"}
            {"cmd":"add_instrument","symbol":"ETH-USD","tick_size":"0.05","lot_size":"0.5"}
            {"cmd":"add_instrument","symbol":"TINY-USD","tick_size":"1","lot_size":"0.0000000000000000001"}
            """#)
        s.expect(
            #"""
            // 1.5 ETH is 3 lots: 3.5 lots' worth is over, exactly 1.5 is not.
            > {"cmd":"new_order","symbol":"ETH-USD","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":"2","price":"1"}
            {"event":"rejected","client_order_id":"a1","account":"A","symbol":"ETH-USD","cmd":"new_order","reason":"max_order_qty"}
            // 1.5 x 133.40 = 200.10 is over 200.05; 1.5 x 133.35 = 200.025 is not.
            > {"cmd":"new_order","symbol":"ETH-USD","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":"1.5","price":"133.40"}
            {"event":"rejected","client_order_id":"a1","account":"A","symbol":"ETH-USD","cmd":"new_order","reason":"max_order_notional"}
            > {"cmd":"new_order","symbol":"ETH-USD","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":"1.5","price":"133.35"}
            {"event":"accepted","order_id":"1","client_order_id":"a1","account":"A","symbol":"ETH-USD","side":"buy","type":"limit","qty":"1.5","price":"133.35","tif":"gtc"}
            {"event":"book","symbol":"ETH-USD","side":"buy","price":"133.35","qty":"1.5","orders":1}
            > {"cmd":"new_order","symbol":"ETH-USD","account":"B","client_order_id":"b1","side":"sell","type":"limit","qty":"1.5","price":"133.35"}
            {"event":"accepted","order_id":"2","client_order_id":"b1","account":"B","symbol":"ETH-USD","side":"sell","type":"limit","qty":"1.5","price":"133.35","tif":"gtc"}
            {"event":"trade","trade_id":"1","symbol":"ETH-USD","price":"133.35","qty":"1.5","maker_order_id":"1","taker_order_id":"2","maker_account":"A","taker_account":"B","aggressor":"sell"}
            {"event":"order","order_id":"1","client_order_id":"a1","account":"A","symbol":"ETH-USD","status":"filled","filled_qty":"1.5","leaves_qty":"0","avg_price":"133.35"}
            {"event":"order","order_id":"2","client_order_id":"b1","account":"B","symbol":"ETH-USD","status":"filled","filled_qty":"1.5","leaves_qty":"0","avg_price":"133.35"}
            {"event":"book","symbol":"ETH-USD","side":"buy","price":"133.35","qty":"0","orders":0}
            // Long 1.5: another 1.5 would make 3, over the 2.5 position limit; 1 makes 2.5, not over.
            > {"cmd":"new_order","symbol":"ETH-USD","account":"A","client_order_id":"a2","side":"buy","type":"limit","qty":"1.5","price":"100"}
            {"event":"rejected","client_order_id":"a2","account":"A","symbol":"ETH-USD","cmd":"new_order","reason":"max_position"}
            > {"cmd":"new_order","symbol":"ETH-USD","account":"A","client_order_id":"a2","side":"buy","type":"limit","qty":"1","price":"100"}
            {"event":"accepted","order_id":"3","client_order_id":"a2","account":"A","symbol":"ETH-USD","side":"buy","type":"limit","qty":"1","price":"100","tif":"gtc"}
            {"event":"book","symbol":"ETH-USD","side":"buy","price":"100","qty":"1","orders":1}
            // A lot finer than an amount's 18 decimals: a size limit cannot be measured there.
            > {"cmd":"new_order","symbol":"TINY-USD","account":"A","client_order_id":"a3","side":"buy","type":"limit","qty":"0.0000000000000000001","price":"1"}
            {"event":"rejected","client_order_id":"a3","account":"A","symbol":"TINY-USD","cmd":"new_order","reason":"unknown_asset"}
            """#)
    }

    @Test("price_band: a limit price more than the band from the last trade (else the mid) is refused")
    func priceBand() {
        var s = ContractScenario(Self.plainSetup)
        s.expect(
            #"""
            > {"cmd":"set_instrument_risk","symbol":"BTC-USD","price_band_pct":"10"}
            // No reference price yet: anything goes.
            > {"cmd":"new_order","symbol":"BTC-USD","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":"1","price":"90"}
            {"event":"accepted","order_id":"1","client_order_id":"a1","account":"A","symbol":"BTC-USD","side":"buy","type":"limit","qty":"1","price":"90","tif":"gtc"}
            {"event":"book","symbol":"BTC-USD","side":"buy","price":"90","qty":"1","orders":1}
            > {"cmd":"new_order","symbol":"BTC-USD","account":"B","client_order_id":"b1","side":"sell","type":"limit","qty":"1","price":"110"}
            {"event":"accepted","order_id":"2","client_order_id":"b1","account":"B","symbol":"BTC-USD","side":"sell","type":"limit","qty":"1","price":"110","tif":"gtc"}
            {"event":"book","symbol":"BTC-USD","side":"sell","price":"110","qty":"1","orders":1}
            // The mid is 100: 89 and 111 are more than 10% away, 110 and 90 are not.
            > {"cmd":"new_order","symbol":"BTC-USD","account":"A","client_order_id":"a2","side":"buy","type":"limit","qty":"1","price":"89"}
            {"event":"rejected","client_order_id":"a2","account":"A","symbol":"BTC-USD","cmd":"new_order","reason":"price_band"}
            > {"cmd":"new_order","symbol":"BTC-USD","account":"A","client_order_id":"a2","side":"sell","type":"stop_limit","qty":"1","stop_price":"95","price":"111"}
            {"event":"rejected","client_order_id":"a2","account":"A","symbol":"BTC-USD","cmd":"new_order","reason":"price_band"}
            > {"cmd":"replace","symbol":"BTC-USD","account":"A","order_id":"1","price":"111"}
            {"event":"rejected","order_id":"1","account":"A","symbol":"BTC-USD","cmd":"replace","reason":"price_band"}
            > {"cmd":"set_instrument_risk","symbol":"BTC-USD","price_band_pct":"none"}
            > {"cmd":"new_order","symbol":"BTC-USD","account":"A","client_order_id":"a2","side":"buy","type":"limit","qty":"1","price":"10"}
            {"event":"accepted","order_id":"3","client_order_id":"a2","account":"A","symbol":"BTC-USD","side":"buy","type":"limit","qty":"1","price":"10","tif":"gtc"}
            {"event":"book","symbol":"BTC-USD","side":"buy","price":"10","qty":"1","orders":1}
            """#)
    }

    @Test(
        "max_open_orders counts orders and stops until they end; max_position counts the order on top of the net position"
    )
    func openOrdersAndPosition() {
        var s = ContractScenario(Self.plainSetup)
        s.expect(
            #"""
            > {"cmd":"set_limits","account":"A","max_open_orders":"2","max_position":"5"}
            > {"cmd":"new_order","symbol":"BTC-USD","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":"5","price":"100"}
            {"event":"accepted","order_id":"1","client_order_id":"a1","account":"A","symbol":"BTC-USD","side":"buy","type":"limit","qty":"5","price":"100","tif":"gtc"}
            {"event":"book","symbol":"BTC-USD","side":"buy","price":"100","qty":"5","orders":1}
            > {"cmd":"new_order","symbol":"BTC-USD","account":"A","client_order_id":"a2","side":"buy","type":"stop","qty":"1","stop_price":"200"}
            {"event":"accepted","order_id":"2","client_order_id":"a2","account":"A","symbol":"BTC-USD","side":"buy","type":"stop","qty":"1","stop_price":"200","tif":"gtc"}
            > {"cmd":"new_order","symbol":"BTC-USD","account":"A","client_order_id":"a3","side":"sell","type":"limit","qty":"1","price":"300"}
            {"event":"rejected","client_order_id":"a3","account":"A","symbol":"BTC-USD","cmd":"new_order","reason":"max_open_orders"}
            > {"cmd":"cancel","symbol":"BTC-USD","account":"A","order_id":"2"}
            {"event":"order","order_id":"2","client_order_id":"a2","account":"A","symbol":"BTC-USD","status":"cancelled","filled_qty":"0","leaves_qty":"0","reason":"cancelled"}
            // B fills A's 5: A is long 5, the limit.
            > {"cmd":"new_order","symbol":"BTC-USD","account":"B","client_order_id":"b1","side":"sell","type":"market","qty":"5"}
            {"event":"accepted","order_id":"3","client_order_id":"b1","account":"B","symbol":"BTC-USD","side":"sell","type":"market","qty":"5","tif":"gtc"}
            {"event":"trade","trade_id":"1","symbol":"BTC-USD","price":"100","qty":"5","maker_order_id":"1","taker_order_id":"3","maker_account":"A","taker_account":"B","aggressor":"sell"}
            {"event":"order","order_id":"1","client_order_id":"a1","account":"A","symbol":"BTC-USD","status":"filled","filled_qty":"5","leaves_qty":"0","avg_price":"100"}
            {"event":"order","order_id":"3","client_order_id":"b1","account":"B","symbol":"BTC-USD","status":"filled","filled_qty":"5","leaves_qty":"0","avg_price":"100"}
            {"event":"book","symbol":"BTC-USD","side":"buy","price":"100","qty":"0","orders":0}
            > {"cmd":"new_order","symbol":"BTC-USD","account":"A","client_order_id":"a4","side":"buy","type":"limit","qty":"1","price":"90"}
            {"event":"rejected","client_order_id":"a4","account":"A","symbol":"BTC-USD","cmd":"new_order","reason":"max_position"}
            // Selling reduces the position, so it passes (long 5 - 10 = short 5).
            > {"cmd":"new_order","symbol":"BTC-USD","account":"A","client_order_id":"a5","side":"sell","type":"limit","qty":"10","price":"105"}
            {"event":"accepted","order_id":"4","client_order_id":"a5","account":"A","symbol":"BTC-USD","side":"sell","type":"limit","qty":"10","price":"105","tif":"gtc"}
            {"event":"book","symbol":"BTC-USD","side":"sell","price":"105","qty":"10","orders":1}
            > {"cmd":"new_order","symbol":"BTC-USD","account":"A","client_order_id":"a6","side":"sell","type":"limit","qty":"11","price":"105"}
            {"event":"rejected","client_order_id":"a6","account":"A","symbol":"BTC-USD","cmd":"new_order","reason":"max_position"}
            """#)
    }

    @Test("rate_limit counts accepted orders per second of engine time")
    func orderRate() {
        var s = ContractScenario(Self.plainSetup)
        s.run(#"{"cmd":"set_limits","account":"A","max_order_rate":"2"}"#)
        for (index, ts) in [1_000, 1_999].enumerated() {
            let events = s.send(
                #"{"cmd":"new_order","symbol":"BTC-USD","account":"A","client_order_id":"a\#(index)","side":"buy","type":"limit","qty":"1","price":"\#(10 + index)","ts":\#(ts)}"#
            )
            #expect(events.first?["event"]?.stringValue == "accepted")
        }
        s.expect(
            #"""
            > {"cmd":"new_order","symbol":"BTC-USD","account":"A","client_order_id":"a9","side":"buy","type":"limit","qty":"1","price":"5","ts":1999}
            {"event":"rejected","client_order_id":"a9","account":"A","symbol":"BTC-USD","cmd":"new_order","reason":"rate_limit"}
            > {"cmd":"new_order","symbol":"BTC-USD","account":"A","client_order_id":"a9","side":"buy","type":"limit","qty":"1","price":"5","ts":2000}
            {"event":"accepted","order_id":"3","client_order_id":"a9","account":"A","symbol":"BTC-USD","side":"buy","type":"limit","qty":"1","price":"5","tif":"gtc"}
            {"event":"book","symbol":"BTC-USD","side":"buy","price":"5","qty":"1","orders":1}
            """#)
    }

    @Test("max_daily_loss: realized plus unrealized loss since the last settle; positions and settlement reports")
    func dailyLossPositionsAndSettlement() {
        var s = ContractScenario(Self.plainSetup)
        s.expect(
            #"""
            > {"cmd":"set_limits","account":"A","max_daily_loss":"50"}
            > {"cmd":"new_order","symbol":"BTC-USD","account":"B","client_order_id":"b1","side":"sell","type":"limit","qty":"10","price":"100"}
            {"event":"accepted","order_id":"1","client_order_id":"b1","account":"B","symbol":"BTC-USD","side":"sell","type":"limit","qty":"10","price":"100","tif":"gtc"}
            {"event":"book","symbol":"BTC-USD","side":"sell","price":"100","qty":"10","orders":1}
            > {"cmd":"new_order","symbol":"BTC-USD","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":"10","price":"100"}
            {"event":"accepted","order_id":"2","client_order_id":"a1","account":"A","symbol":"BTC-USD","side":"buy","type":"limit","qty":"10","price":"100","tif":"gtc"}
            {"event":"trade","trade_id":"1","symbol":"BTC-USD","price":"100","qty":"10","maker_order_id":"1","taker_order_id":"2","maker_account":"B","taker_account":"A","aggressor":"buy"}
            {"event":"order","order_id":"1","client_order_id":"b1","account":"B","symbol":"BTC-USD","status":"filled","filled_qty":"10","leaves_qty":"0","avg_price":"100"}
            {"event":"order","order_id":"2","client_order_id":"a1","account":"A","symbol":"BTC-USD","status":"filled","filled_qty":"10","leaves_qty":"0","avg_price":"100"}
            {"event":"book","symbol":"BTC-USD","side":"sell","price":"100","qty":"0","orders":0}
            """#)
        s.run(
            #"""
            // A sells 4 at 110 (realized +40), then C and D trade at 93: A's 6 are marked at 93 (unrealized -42).
            {"cmd":"new_order","symbol":"BTC-USD","account":"C","client_order_id":"c1","side":"buy","type":"limit","qty":"4","price":"110"}
            {"cmd":"new_order","symbol":"BTC-USD","account":"A","client_order_id":"a2","side":"sell","type":"market","qty":"4"}
            {"cmd":"new_order","symbol":"BTC-USD","account":"C","client_order_id":"c2","side":"buy","type":"limit","qty":"1","price":"93"}
            {"cmd":"new_order","symbol":"BTC-USD","account":"D","client_order_id":"d1","side":"sell","type":"market","qty":"1"}
            """#)
        s.expect(
            #"""
            > {"cmd":"account_report","account":"A"}
            {"event":"position","account":"A","symbol":"BTC-USD","net_qty":"6","avg_price":"100","realized_pnl":"40","unrealized_pnl":"-42","mark_price":"93","fees":"0"}
            // -2 is within the limit; after a trade at 80 the day's P&L is 40 - 120 = -80: refused.
            > {"cmd":"new_order","symbol":"BTC-USD","account":"A","client_order_id":"a3","side":"buy","type":"limit","qty":"1","price":"1"}
            {"event":"accepted","order_id":"7","client_order_id":"a3","account":"A","symbol":"BTC-USD","side":"buy","type":"limit","qty":"1","price":"1","tif":"gtc"}
            {"event":"book","symbol":"BTC-USD","side":"buy","price":"1","qty":"1","orders":1}
            """#)
        s.run(
            #"""
            {"cmd":"new_order","symbol":"BTC-USD","account":"C","client_order_id":"c3","side":"buy","type":"limit","qty":"1","price":"80"}
            {"cmd":"new_order","symbol":"BTC-USD","account":"D","client_order_id":"d2","side":"sell","type":"limit","qty":"1","price":"80"}
            """#)
        s.expect(
            #"""
            > {"cmd":"new_order","symbol":"BTC-USD","account":"A","client_order_id":"a4","side":"buy","type":"limit","qty":"1","price":"1"}
            {"event":"rejected","client_order_id":"a4","account":"A","symbol":"BTC-USD","cmd":"new_order","reason":"max_daily_loss"}
            // The day's settlement: trades netted per account and instrument, in the order positions opened.
            > {"cmd":"settle"}
            {"event":"settlement","account":"A","symbol":"BTC-USD","net_qty":"6","net_cash":"-560","fees":"0"}
            {"event":"settlement","account":"B","symbol":"BTC-USD","net_qty":"-10","net_cash":"1000","fees":"0"}
            {"event":"settlement","account":"C","symbol":"BTC-USD","net_qty":"6","net_cash":"-613","fees":"0"}
            {"event":"settlement","account":"D","symbol":"BTC-USD","net_qty":"-2","net_cash":"173","fees":"0"}
            // A new day measures from here.
            > {"cmd":"new_order","symbol":"BTC-USD","account":"A","client_order_id":"a4","side":"buy","type":"limit","qty":"1","price":"1"}
            {"event":"accepted","order_id":"10","client_order_id":"a4","account":"A","symbol":"BTC-USD","side":"buy","type":"limit","qty":"1","price":"1","tif":"gtc"}
            {"event":"book","symbol":"BTC-USD","side":"buy","price":"1","qty":"2","orders":2}
            > {"cmd":"settle"}
            """#)
    }

    @Test("kill switch: engaging cancels the account's orders and refuses new ones until released; venue-wide too")
    func killSwitch() {
        var s = ContractScenario(Self.plainSetup)
        s.run(
            #"""
            {"cmd":"new_order","symbol":"BTC-USD","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":"1","price":"100"}
            {"cmd":"new_order","symbol":"BTC-USD","account":"A","client_order_id":"a2","side":"sell","type":"stop","qty":"1","stop_price":"50"}
            {"cmd":"new_order","symbol":"BTC-USD","account":"B","client_order_id":"b1","side":"buy","type":"limit","qty":"1","price":"99"}
            """#)
        s.expect(
            #"""
            > {"cmd":"kill","account":"A"}
            {"event":"order","order_id":"1","client_order_id":"a1","account":"A","symbol":"BTC-USD","status":"cancelled","filled_qty":"0","leaves_qty":"0","reason":"kill_switch"}
            {"event":"book","symbol":"BTC-USD","side":"buy","price":"100","qty":"0","orders":0}
            {"event":"order","order_id":"2","client_order_id":"a2","account":"A","symbol":"BTC-USD","status":"cancelled","filled_qty":"0","leaves_qty":"0","reason":"kill_switch"}
            {"event":"kill_switch","account":"A","engaged":true}
            > {"cmd":"kill","account":"A"}
            > {"cmd":"new_order","symbol":"BTC-USD","account":"A","client_order_id":"a3","side":"buy","type":"limit","qty":"1","price":"100"}
            {"event":"rejected","client_order_id":"a3","account":"A","symbol":"BTC-USD","cmd":"new_order","reason":"kill_switch"}
            // The kill switch comes before a disabled account.
            > {"cmd":"set_account","account":"A","enabled":false}
            > {"cmd":"new_order","symbol":"BTC-USD","account":"A","client_order_id":"a3","side":"buy","type":"limit","qty":"1","price":"100"}
            {"event":"rejected","client_order_id":"a3","account":"A","symbol":"BTC-USD","cmd":"new_order","reason":"kill_switch"}
            > {"cmd":"set_account","account":"A","enabled":true}
            > {"cmd":"unkill","account":"A"}
            {"event":"kill_switch","account":"A","engaged":false}
            > {"cmd":"kill"}
            {"event":"order","order_id":"3","client_order_id":"b1","account":"B","symbol":"BTC-USD","status":"cancelled","filled_qty":"0","leaves_qty":"0","reason":"kill_switch"}
            {"event":"book","symbol":"BTC-USD","side":"buy","price":"99","qty":"0","orders":0}
            {"event":"kill_switch","account":"","engaged":true}
            > {"cmd":"new_order","symbol":"BTC-USD","account":"C","client_order_id":"c1","side":"buy","type":"limit","qty":"1","price":"100"}
            {"event":"rejected","client_order_id":"c1","account":"C","symbol":"BTC-USD","cmd":"new_order","reason":"kill_switch"}
            > {"cmd":"unkill"}
            {"event":"kill_switch","account":"","engaged":false}
            > {"cmd":"new_order","symbol":"BTC-USD","account":"A","client_order_id":"a3","side":"buy","type":"limit","qty":"1","price":"100"}
            {"event":"accepted","order_id":"4","client_order_id":"a3","account":"A","symbol":"BTC-USD","side":"buy","type":"limit","qty":"1","price":"100","tif":"gtc"}
            {"event":"book","symbol":"BTC-USD","side":"buy","price":"100","qty":"1","orders":1}
            """#)
    }

    @Test("a venue halt refuses new orders and replaces with halted; cancels work; each halt and resume is an event")
    func venueHalt() {
        var s = ContractScenario(Self.plainSetup)
        s.run(
            #"{"cmd":"new_order","symbol":"BTC-USD","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":"1","price":"100"}"#
        )
        s.expect(
            #"""
            > {"cmd":"halt_venue"}
            {"event":"halted","symbol":"","reason":"venue_halt"}
            > {"cmd":"halt_venue"}
            > {"cmd":"new_order","symbol":"BTC-USD","account":"B","client_order_id":"b1","side":"sell","type":"limit","qty":"1","price":"100"}
            {"event":"rejected","client_order_id":"b1","account":"B","symbol":"BTC-USD","cmd":"new_order","reason":"halted"}
            > {"cmd":"replace","symbol":"BTC-USD","account":"A","order_id":"1","qty":"2"}
            {"event":"rejected","order_id":"1","account":"A","symbol":"BTC-USD","cmd":"replace","reason":"halted"}
            > {"cmd":"cancel","symbol":"BTC-USD","account":"A","order_id":"1"}
            {"event":"order","order_id":"1","client_order_id":"a1","account":"A","symbol":"BTC-USD","status":"cancelled","filled_qty":"0","leaves_qty":"0","reason":"cancelled"}
            {"event":"book","symbol":"BTC-USD","side":"buy","price":"100","qty":"0","orders":0}
            > {"cmd":"resume_venue"}
            {"event":"resumed","symbol":"","reason":"venue_halt"}
            """#)
    }

    /// A 10% breaker over one minute (halts of five seconds), and a trade at 100 at 1 s.
    static let breakerTradedAt100 = #"""
            {"cmd":"set_instrument_risk","symbol":"BTC-USD","breaker_pct":"10","breaker_window_ms":60000,"breaker_halt_ms":5000}
            {"cmd":"new_order","symbol":"BTC-USD","account":"B","client_order_id":"b1","side":"sell","type":"limit","qty":"1","price":"100","ts":1000}
            {"cmd":"new_order","symbol":"BTC-USD","account":"A","client_order_id":"a1","side":"buy","type":"market","qty":"1","ts":1000}
        """#

    @Test("circuit breaker: a trade beyond the band around the price of N seconds ago halts the symbol for M seconds")
    func circuitBreaker() {
        var s = ContractScenario(Self.plainSetup)
        s.run(Self.breakerTradedAt100)
        s.run(
            #"""
            {"cmd":"new_order","symbol":"BTC-USD","account":"B","client_order_id":"b2","side":"sell","type":"limit","qty":"1","price":"105"}
            {"cmd":"new_order","symbol":"BTC-USD","account":"B","client_order_id":"b3","side":"sell","type":"limit","qty":"1","price":"115"}
            {"cmd":"new_order","symbol":"BTC-USD","account":"C","client_order_id":"c1","side":"buy","type":"stop","qty":"1","stop_price":"104"}
            """#)
        s.expect(
            #"""
            // The reference is 100, the band 90..110. A FOK that would reach 115 just expires.
            > {"cmd":"new_order","symbol":"BTC-USD","account":"A","client_order_id":"a2","side":"buy","type":"market","qty":"2","tif":"fok","ts":2000}
            {"event":"accepted","order_id":"6","client_order_id":"a2","account":"A","symbol":"BTC-USD","side":"buy","type":"market","qty":"2","tif":"fok"}
            {"event":"order","order_id":"6","client_order_id":"a2","account":"A","symbol":"BTC-USD","status":"expired","filled_qty":"0","leaves_qty":"0","reason":"fok_unfilled"}
            // A market buy of 2 trades at 105, then meets 115: it is cancelled and the symbol halts. The stop
            // at 104 that the trade at 105 would trigger waits for the resume.
            > {"cmd":"new_order","symbol":"BTC-USD","account":"A","client_order_id":"a3","side":"buy","type":"market","qty":"2","ts":2000}
            {"event":"accepted","order_id":"7","client_order_id":"a3","account":"A","symbol":"BTC-USD","side":"buy","type":"market","qty":"2","tif":"gtc"}
            {"event":"trade","trade_id":"2","symbol":"BTC-USD","price":"105","qty":"1","maker_order_id":"3","taker_order_id":"7","maker_account":"B","taker_account":"A","aggressor":"buy"}
            {"event":"order","order_id":"3","client_order_id":"b2","account":"B","symbol":"BTC-USD","status":"filled","filled_qty":"1","leaves_qty":"0","avg_price":"105"}
            {"event":"order","order_id":"7","client_order_id":"a3","account":"A","symbol":"BTC-USD","status":"partially_filled","filled_qty":"1","leaves_qty":"1","avg_price":"105"}
            {"event":"book","symbol":"BTC-USD","side":"sell","price":"105","qty":"0","orders":0}
            {"event":"order","order_id":"7","client_order_id":"a3","account":"A","symbol":"BTC-USD","status":"cancelled","filled_qty":"1","leaves_qty":"0","avg_price":"105","reason":"circuit_breaker"}
            {"event":"halted","symbol":"BTC-USD","reason":"circuit_breaker"}
            > {"cmd":"new_order","symbol":"BTC-USD","account":"A","client_order_id":"a4","side":"buy","type":"limit","qty":"1","price":"100","ts":6999}
            {"event":"rejected","client_order_id":"a4","account":"A","symbol":"BTC-USD","cmd":"new_order","reason":"halted"}
            // Five seconds of engine time later it resumes by itself, and the stop triggers: it becomes a
            // market buy that meets 115, beyond the band, so the breaker halts the symbol again.
            > {"cmd":"time","now":7000}
            {"event":"resumed","symbol":"BTC-USD","reason":"circuit_breaker"}
            {"event":"order","order_id":"5","client_order_id":"c1","account":"C","symbol":"BTC-USD","status":"triggered","filled_qty":"0","leaves_qty":"1"}
            {"event":"order","order_id":"5","client_order_id":"c1","account":"C","symbol":"BTC-USD","status":"cancelled","filled_qty":"0","leaves_qty":"0","reason":"circuit_breaker"}
            {"event":"halted","symbol":"BTC-USD","reason":"circuit_breaker"}
            // An operator's resume takes over from the timer.
            > {"cmd":"resume","symbol":"BTC-USD"}
            > {"cmd":"time","now":20000}
            """#)
    }

    @Test("circuit breaker: a new width applies at once, around the same reference price")
    func circuitBreakerWidthChange() {
        var s = ContractScenario(Self.plainSetup)
        s.run(Self.breakerTradedAt100)
        s.run(
            #"""
            {"cmd":"new_order","symbol":"BTC-USD","account":"B","client_order_id":"b2","side":"sell","type":"limit","qty":"1","price":"115"}
            """#)
        s.expect(
            #"""
            // The reference is 100, the band 90..110: a FOK that would trade at 115 expires.
            > {"cmd":"new_order","symbol":"BTC-USD","account":"A","client_order_id":"a2","side":"buy","type":"market","qty":"1","tif":"fok","ts":2000}
            {"event":"accepted","order_id":"4","client_order_id":"a2","account":"A","symbol":"BTC-USD","side":"buy","type":"market","qty":"1","tif":"fok"}
            {"event":"order","order_id":"4","client_order_id":"a2","account":"A","symbol":"BTC-USD","status":"expired","filled_qty":"0","leaves_qty":"0","reason":"fok_unfilled"}
            // 20% around the same reference is 80..120: the same FOK trades.
            > {"cmd":"set_instrument_risk","symbol":"BTC-USD","breaker_pct":"20","breaker_window_ms":60000,"breaker_halt_ms":5000}
            > {"cmd":"new_order","symbol":"BTC-USD","account":"A","client_order_id":"a3","side":"buy","type":"market","qty":"1","tif":"fok","ts":2000}
            {"event":"accepted","order_id":"5","client_order_id":"a3","account":"A","symbol":"BTC-USD","side":"buy","type":"market","qty":"1","tif":"fok"}
            {"event":"trade","trade_id":"2","symbol":"BTC-USD","price":"115","qty":"1","maker_order_id":"3","taker_order_id":"5","maker_account":"B","taker_account":"A","aggressor":"buy"}
            {"event":"order","order_id":"3","client_order_id":"b2","account":"B","symbol":"BTC-USD","status":"filled","filled_qty":"1","leaves_qty":"0","avg_price":"115"}
            {"event":"order","order_id":"5","client_order_id":"a3","account":"A","symbol":"BTC-USD","status":"filled","filled_qty":"1","leaves_qty":"0","avg_price":"115"}
            {"event":"book","symbol":"BTC-USD","side":"sell","price":"115","qty":"0","orders":0}
            """#)
    }

    @Test("a cash market buy holds against the protection price and trades no higher")
    func marketProtection() {
        var s = ContractScenario(Self.cashSetup)
        s.run(
            #"""
            {"cmd":"set_fees","symbol":"BTC-USD","maker_bps":0,"taker_bps":0}
            {"cmd":"set_instrument_risk","symbol":"BTC-USD","market_protection_pct":"5"}
            {"cmd":"new_order","symbol":"BTC-USD","account":"B","client_order_id":"b1","side":"sell","type":"limit","qty":"2","price":"104"}
            {"cmd":"new_order","symbol":"BTC-USD","account":"B","client_order_id":"b2","side":"sell","type":"limit","qty":"3","price":"106"}
            """#)
        s.expect(
            #"""
            // No trade yet: the protection price is 5% above the best ask, 104 -> 109.2 -> 109 on the grid.
            // With a trade at 100 it would be 105.
            > {"cmd":"new_order","symbol":"BTC-USD","account":"A","client_order_id":"a1","side":"buy","type":"market","qty":"100"}
            {"event":"rejected","client_order_id":"a1","account":"A","symbol":"BTC-USD","cmd":"new_order","reason":"insufficient_balance"}
            """#)
        s.run(
            #"""
            {"cmd":"new_order","symbol":"BTC-USD","account":"B","client_order_id":"b3","side":"sell","type":"limit","qty":"1","price":"100"}
            {"cmd":"new_order","symbol":"BTC-USD","account":"A","client_order_id":"a2","side":"buy","type":"limit","qty":"1","price":"100"}
            """#)
        s.expect(
            #"""
            > {"cmd":"new_order","symbol":"BTC-USD","account":"A","client_order_id":"a3","side":"buy","type":"market","qty":"5"}
            {"event":"accepted","order_id":"5","client_order_id":"a3","account":"A","symbol":"BTC-USD","side":"buy","type":"market","qty":"5","tif":"gtc"}
            {"event":"trade","trade_id":"2","symbol":"BTC-USD","price":"104","qty":"2","maker_order_id":"1","taker_order_id":"5","maker_account":"B","taker_account":"A","aggressor":"buy"}
            {"event":"order","order_id":"1","client_order_id":"b1","account":"B","symbol":"BTC-USD","status":"filled","filled_qty":"2","leaves_qty":"0","avg_price":"104"}
            {"event":"order","order_id":"5","client_order_id":"a3","account":"A","symbol":"BTC-USD","status":"partially_filled","filled_qty":"2","leaves_qty":"3","avg_price":"104"}
            {"event":"book","symbol":"BTC-USD","side":"sell","price":"104","qty":"0","orders":0}
            {"event":"order","order_id":"5","client_order_id":"a3","account":"A","symbol":"BTC-USD","status":"expired","filled_qty":"2","leaves_qty":"0","avg_price":"104","reason":"no_liquidity"}
            {"event":"balance","account":"A","asset":"USD","total":"9692","held":"0","available":"9692"}
            {"event":"balance","account":"A","asset":"BTC","total":"3","held":"0","available":"3"}
            {"event":"balance","account":"B","asset":"BTC","total":"7","held":"3","available":"4"}
            {"event":"balance","account":"B","asset":"USD","total":"308","held":"0","available":"308"}
            """#)
    }

    @Test("a cash account's mode changes only without open orders; risk commands check their values")
    func accountSettings() {
        var s = ContractScenario(Self.cashSetup)
        s.run(
            #"{"cmd":"new_order","symbol":"BTC-USD","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":"1","price":"100"}"#
        )
        s.expect(
            #"""
            > {"cmd":"set_account","account":"A","mode":"credit"}
            {"event":"rejected","account":"A","symbol":"","cmd":"set_account","reason":"open_orders"}
            > {"cmd":"set_account","account":"A","mode":"margin"}
            {"event":"rejected","account":"A","symbol":"","cmd":"set_account","reason":"malformed"}
            > {"cmd":"set_account","account":"A","tier":"1"}
            {"event":"rejected","account":"A","symbol":"","cmd":"set_account","reason":"malformed"}
            > {"cmd":"deposit","account":"A","asset":"USD","amount":"1e3"}
            {"event":"rejected","account":"A","symbol":"","cmd":"deposit","reason":"malformed"}
            > {"cmd":"deposit","account":"A","asset":"USD"}
            {"event":"rejected","account":"A","symbol":"","cmd":"deposit","reason":"malformed"}
            > {"cmd":"set_fees","symbol":"NOPE","maker_bps":1,"taker_bps":2}
            {"event":"rejected","account":"","symbol":"NOPE","cmd":"set_fees","reason":"unknown_symbol"}
            > {"cmd":"set_fees","symbol":"BTC-USD","maker_bps":1,"taker_bps":20000}
            {"event":"rejected","account":"","symbol":"BTC-USD","cmd":"set_fees","reason":"malformed"}
            > {"cmd":"set_instrument_risk","symbol":"BTC-USD","breaker_pct":"5"}
            {"event":"rejected","account":"","symbol":"BTC-USD","cmd":"set_instrument_risk","reason":"malformed"}
            > {"cmd":"add_instrument","symbol":"PLAIN","tick_size":"1","lot_size":"1"}
            > {"cmd":"new_order","symbol":"PLAIN","account":"A","client_order_id":"p1","side":"buy","type":"limit","qty":"1","price":"1"}
            {"event":"rejected","client_order_id":"p1","account":"A","symbol":"PLAIN","cmd":"new_order","reason":"unknown_asset"}
            """#)
    }

    @Test("a cash replace holds more only if the balance allows, and holds at its new price after")
    func cashReplace() {
        var s = ContractScenario(Self.cashSetup)
        s.run(
            #"""
            {"cmd":"set_fees","symbol":"BTC-USD","maker_bps":0,"taker_bps":0}
            {"cmd":"new_order","symbol":"BTC-USD","account":"A","client_order_id":"a1","side":"buy","type":"limit","qty":"50","price":"100"}
            """#)
        s.expect(
            #"""
            > {"cmd":"replace","symbol":"BTC-USD","account":"A","order_id":"1","qty":"101"}
            {"event":"rejected","order_id":"1","account":"A","symbol":"BTC-USD","cmd":"replace","reason":"insufficient_balance"}
            > {"cmd":"replace","symbol":"BTC-USD","account":"A","order_id":"1","price":"200"}
            {"event":"order","order_id":"1","client_order_id":"a1","account":"A","symbol":"BTC-USD","status":"replaced","filled_qty":"0","leaves_qty":"50"}
            {"event":"book","symbol":"BTC-USD","side":"buy","price":"100","qty":"0","orders":0}
            {"event":"book","symbol":"BTC-USD","side":"buy","price":"200","qty":"50","orders":1}
            {"event":"balance","account":"A","asset":"USD","total":"10000","held":"10000","available":"0"}
            > {"cmd":"replace","symbol":"BTC-USD","account":"A","order_id":"1","qty":"10"}
            {"event":"order","order_id":"1","client_order_id":"a1","account":"A","symbol":"BTC-USD","status":"new","filled_qty":"0","leaves_qty":"10"}
            {"event":"book","symbol":"BTC-USD","side":"buy","price":"200","qty":"10","orders":1}
            {"event":"balance","account":"A","asset":"USD","total":"10000","held":"2000","available":"8000"}
            """#)
    }
}
