import Testing

@testable import BourseRisk

/// The fixed-point amounts of the risk layer: text in and out, products, fees.
@Suite("risk amounts: parsing, formatting, products, fees")
struct AmountTests {
    @Test("decimal text reads exactly and writes back without trailing zeros; anything else is refused")
    func text() {
        #expect(Amount("12.50")?.text == "12.5")
        #expect(Amount("-0.000000000000000001")?.text == "-0.000000000000000001")
        #expect(Amount("100000000000000000000")?.text == "100000000000000000000")
        #expect(Amount("0")?.text == "0")
        for bad in ["", "-", ".5", "5.", "1e3", "+1", "1.0000000000000000001", "1,5", "١"] {
            #expect(Amount(bad) == nil, "\(bad)")
        }
        #expect(Amount("1000000000000000000000000000000000000000") == nil)
    }

    @Test("a product takes its fast path only where it cannot overflow, and answers nil where it does")
    func products() {
        var random = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let raw = Int128(Int64.random(in: .min ... .max, using: &random)) << Int.random(in: 0...62, using: &random)
            let units =
                Int128(Int64.random(in: .min ... .max, using: &random)) >> Int.random(in: 0...62, using: &random)
            let (product, overflow) = raw.multipliedReportingOverflow(by: units)
            #expect(Amount(raw: raw).times(units) == (overflow ? nil : Amount(raw: product)))
        }
    }

    @Test("a fee is notional x bps / 10,000 rounded up, exactly, for any notional")
    func fees() {
        var random = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            // Up to 2^112 so that raw x 10,000 fits the reference's own Int128 product.
            let raw = Int128(UInt64.random(in: 0 ... .max, using: &random)) << Int.random(in: 0...48, using: &random)
            let points = Int.random(in: 0...10_000, using: &random)
            let (quotient, remainder) = (raw * Int128(points)).quotientAndRemainder(dividingBy: 10_000)
            #expect(Amount(raw: raw).fee(basisPoints: points).raw == quotient + (remainder > 0 ? 1 : 0))
        }
        #expect(Amount("100")!.fee(basisPoints: 20).text == "0.2")
        #expect(Amount("0.000000000000000001")!.fee(basisPoints: 1).text == "0.000000000000000001")
        // Beyond the exact range a fee still answers (rounded up), it never traps.
        let huge = Amount(raw: .max / 2)
        #expect(huge.fee(basisPoints: 10_000).raw >= huge.raw)
        // A saturated notional (a trade of absurd size) saturates its fee too.
        #expect(Amount(raw: .max).fee(basisPoints: 10_000).raw == .max)
        #expect(Amount(raw: .min).fee(basisPoints: 10_000).raw < 0)
    }

    @Test("an instrument's fee by product answers what the division answers, also at the edges")
    func instrumentFees() {
        var random = SystemRandomNumberGenerator()
        // Tick x lot sizes with an exact fee unit (at most 14 fraction digits) and without.
        let units = ["0.000001", "1", "0.01", "250", "0.00000000000001", "0.000000000000001", "0.000000000000000007"]
        for text in units {
            var instrument = RiskInstrument()
            instrument.quotePerTickLot = Amount(text)!
            #expect((instrument.feeUnit != nil) == (Amount(text)!.raw % 10_000 == 0), "\(text)")
            for _ in 0..<5_000 {
                let small = Int64.random(in: 1 ... .max, using: &random) >> Int.random(in: 0...62, using: &random)
                let ticks = Int128(small) << Int.random(in: 0...70, using: &random)
                let points = Int.random(in: 0...10_000, using: &random)
                let notional = instrument.quotePerTickLot!.timesSaturating(ticks)
                #expect(
                    instrument.fee(ticks: ticks, notional: notional, basisPoints: points)
                        == notional.fee(basisPoints: points), "\(text) x \(ticks) at \(points) bps")
            }
        }
    }

    @Test("sums saturate instead of trapping")
    func saturation() {
        let huge = Amount(raw: .max - 5)
        #expect((huge + Amount(raw: 10)).raw == .max)
        #expect((Amount(raw: .min + 5) - Amount(raw: 10)).raw == .min)
        #expect(BasisPoints.fromPercent("2.5") == 250 && BasisPoints.fromPercent("2.555") == nil)
    }
}
