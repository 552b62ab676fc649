import Testing

@testable import BourseVenue

@Suite("decimal text: exact conversion between the contract's numbers and ticks or lots")
struct DecimalTextTests {
    let cent = UnitSize("0.01")!
    let hundred = UnitSize("100")!

    @Test("the number syntax accepts digits with an optional fraction and sign, nothing else")
    func syntax() {
        for good in ["0", "1", "-3", "101.25", "0.0001", "007", "1.000"] {
            #expect(DecimalText(good) != nil, "\(good)")
        }
        for bad in ["", "-", "+1", ".5", "1.", "1e3", "NaN", " 1", "1 ", "1,5", "--1", "0x10", "1.2.3"] {
            #expect(DecimalText(bad) == nil, "\(bad)")
        }
    }

    @Test("conversion to units is exact: off the grid, overflow and sign are told apart")
    func units() {
        #expect(cent.units(in: DecimalText("101.25")!) == .units(10125))
        #expect(cent.units(in: DecimalText("101.250000")!) == .units(10125))
        #expect(cent.units(in: DecimalText("101.255")!) == .offGrid)
        #expect(cent.units(in: DecimalText("-3")!) == .units(-300))
        #expect(cent.units(in: DecimalText("0")!) == .units(0))
        #expect(hundred.units(in: DecimalText("2500")!) == .units(25))
        #expect(hundred.units(in: DecimalText("2550")!) == .offGrid)
        #expect(cent.units(in: DecimalText("92233720368547758.07")!) == .units(Int64.max))
        #expect(cent.units(in: DecimalText("92233720368547758.08")!) == .overflow)
        #expect(cent.units(in: DecimalText("1" + String(repeating: "0", count: 60))!) == .overflow)
        // 39 significant digits: the dropped digit is not zero, so it is off the grid.
        #expect(cent.units(in: DecimalText("1.00000000000000000000000000000000000001")!) == .offGrid)
    }

    @Test("formatting gives plain decimals; a mean price is exact or rounded half-even to 28 digits")
    func formatting() {
        #expect(cent.format(10125) == "101.25")
        #expect(cent.format(5) == "0.05")
        #expect(hundred.format(3) == "300")
        #expect(cent.formatQuotient(30375, dividedBy: 3) == "101.25")  // (101 + 101.25 + 101.5) / 3
        #expect(UnitSize("1")!.formatQuotient(2, dividedBy: 3) == "0.6666666666666666666666666667")
        #expect(UnitSize("1")!.formatQuotient(10, dividedBy: 4) == "2.5")
        #expect(UnitSize("0.5")!.formatQuotient(7, dividedBy: 2) == "1.75")
    }

    @Test("instrument bounds round toward the inside of the bound")
    func bounds() {
        let lot = UnitSize("0.5")!
        #expect(lot.unitsRoundedUp(DecimalText("1.2")!) == 3)
        #expect(lot.unitsRoundedDown(DecimalText("1.2")!) == 2)
        #expect(lot.unitsRoundedUp(DecimalText("1.5")!) == 3)
    }
}

@Suite("decimal text: zero")
struct DecimalZeroTests {
    @Test("zero of a unit of ten or more prints as 0, not 00")
    func zero() {
        #expect(UnitSize("10")!.format(0) == "0")
        #expect(UnitSize("100")!.format(3) == "300")
        #expect(UnitSize("0.01")!.format(0) == "0.00")
    }
}

@Suite("decimal value: numbers read once, with a 64-bit fast path of unit conversion")
struct DecimalValueTests {
    @Test("the fast path converts every number to the same units as the exact 128-bit path")
    func fastPathAgreesWithExactPath() {
        var random = SystemRandomNumberGenerator()
        let units = ["1", "0.01", "0.25", "5", "0.001", "100", "0.0000001", "7", "0.5", "9223372036854775807"].map {
            UnitSize($0)!
        }
        var texts = [
            "0", "0.0", "1", "10", "0.25", "0.26", "123456789012345678", "999999999999999999", "1234567890123456789",
            "9223372036854775807", "9223372036854775806.5", "0.000000000000000001", "00012.3400", "-1", "-0", "1.",
            ".5", "1e3", "+1", "", "12a",
        ]
        for _ in 0..<20_000 {
            let whole = String(UInt64.random(in: 0...999_999_999_999, using: &random))
            let fraction = String(UInt64.random(in: 0...99_999_999, using: &random))
            let digits = Int.random(in: 0...9, using: &random)
            texts.append(digits == 0 ? whole : whole + "." + String(fraction.prefix(digits)))
        }
        for text in texts {
            let number = DecimalValue(text)
            let exact = DecimalText(text)
            #expect((number == nil) == (exact == nil), "\(text)")
            guard let number, let exact else { continue }
            // Written back, it reads as the same value.
            #expect(DecimalValue(number.description) == number && DecimalText(number.description) == exact, "\(text)")
            for unit in units {
                #expect(unit.units(in: number) == unit.units(in: exact), "\(text) in units of \(unit)")
            }
        }
    }
}
