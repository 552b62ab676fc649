// Exact decimal arithmetic for the reference exchange (see ReferenceExchange.swift).
//
// Nothing here is fast or clever: a tiny unsigned big integer in base 10^18, decimal texts kept as digit
// strings, and a few conversions written the way one would do them by hand.

/// An unsigned integer of any size: little-endian limbs in base 10^18, without high zero limbs (zero has none).
struct RefBigUInt: Comparable, CustomStringConvertible {
    static let limbBase: UInt64 = 1_000_000_000_000_000_000
    private(set) var limbs: [UInt64]

    init() { limbs = [] }

    init(_ value: UInt64) {
        limbs = []
        var rest = value
        while rest > 0 {
            limbs.append(rest % Self.limbBase)
            rest /= Self.limbBase
        }
    }

    init(_ value: UInt128) {
        limbs = []
        var rest = value
        while rest > 0 {
            limbs.append(UInt64(rest % UInt128(Self.limbBase)))
            rest /= UInt128(Self.limbBase)
        }
    }

    /// The value of a non-empty string of ASCII digits (leading zeros allowed).
    init(decimalDigits digits: some StringProtocol) {
        precondition(!digits.isEmpty && digits.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }, "not digits: \(digits)")
        let bytes = Array(digits.utf8)
        limbs = []
        var end = bytes.count
        while end > 0 {
            let start = max(0, end - 18)
            var limb: UInt64 = 0
            for byte in bytes[start..<end] { limb = limb * 10 + UInt64(byte - 0x30) }
            limbs.append(limb)
            end = start
        }
        trim()
    }

    private mutating func trim() {
        while limbs.last == 0 { limbs.removeLast() }
    }

    var isZero: Bool { limbs.isEmpty }

    /// Decimal digits without leading zeros ("0" for zero).
    var description: String {
        guard let top = limbs.last else { return "0" }
        var text = String(top)
        for limb in limbs.dropLast().reversed() {
            let part = String(limb)
            text += String(repeating: "0", count: 18 - part.count) + part
        }
        return text
    }

    static func < (lhs: RefBigUInt, rhs: RefBigUInt) -> Bool {
        if lhs.limbs.count != rhs.limbs.count { return lhs.limbs.count < rhs.limbs.count }
        for index in stride(from: lhs.limbs.count - 1, through: 0, by: -1) where lhs.limbs[index] != rhs.limbs[index] {
            return lhs.limbs[index] < rhs.limbs[index]
        }
        return false
    }

    static func + (lhs: RefBigUInt, rhs: RefBigUInt) -> RefBigUInt {
        var result = RefBigUInt()
        var carry: UInt64 = 0
        for index in 0..<max(lhs.limbs.count, rhs.limbs.count) {
            let a = index < lhs.limbs.count ? lhs.limbs[index] : 0
            let b = index < rhs.limbs.count ? rhs.limbs[index] : 0
            let sum = a + b + carry  // < 2 * 10^18 + 1, fits
            result.limbs.append(sum % limbBase)
            carry = sum / limbBase
        }
        if carry > 0 { result.limbs.append(carry) }
        result.trim()
        return result
    }

    static func * (lhs: RefBigUInt, rhs: RefBigUInt) -> RefBigUInt {
        if lhs.isZero || rhs.isZero { return RefBigUInt() }
        var result = [UInt64](repeating: 0, count: lhs.limbs.count + rhs.limbs.count)
        for i in 0..<lhs.limbs.count {
            var carry: UInt128 = 0
            for j in 0..<rhs.limbs.count {
                // < 10^36 + 10^18 + 10^18 + 2: fits easily in 128 bits.
                let current = UInt128(lhs.limbs[i]) * UInt128(rhs.limbs[j]) + UInt128(result[i + j]) + carry
                result[i + j] = UInt64(current % UInt128(limbBase))
                carry = current / UInt128(limbBase)
            }
            var k = i + rhs.limbs.count
            while carry > 0 {
                let current = UInt128(result[k]) + carry
                result[k] = UInt64(current % UInt128(limbBase))
                carry = current / UInt128(limbBase)
                k += 1
            }
        }
        var product = RefBigUInt()
        product.limbs = result
        product.trim()
        return product
    }

    /// Quotient and remainder of the division by a positive `divisor`.
    func quotientAndRemainder(dividingBy divisor: UInt64) -> (quotient: RefBigUInt, remainder: UInt64) {
        precondition(divisor > 0)
        var quotient = [UInt64](repeating: 0, count: limbs.count)
        var remainder: UInt128 = 0
        for index in stride(from: limbs.count - 1, through: 0, by: -1) {
            // remainder < divisor < 2^64, so this is < 2^64 * 10^18 + 10^18 < 2^124.
            let current = remainder * UInt128(Self.limbBase) + UInt128(limbs[index])
            quotient[index] = UInt64(current / UInt128(divisor))
            remainder = current % UInt128(divisor)
        }
        var result = RefBigUInt()
        result.limbs = quotient
        result.trim()
        return (result, UInt64(remainder))
    }

    /// This value times 10^exponent (exponent >= 0).
    func timesPowerOfTen(_ exponent: Int) -> RefBigUInt {
        precondition(exponent >= 0)
        if isZero || exponent == 0 { return self }
        return RefBigUInt(decimalDigits: description + String(repeating: "0", count: exponent))
    }

    /// The value if it fits in a UInt64.
    var uint64Value: UInt64? {
        if limbs.count > 2 { return nil }
        let value = UInt128(limbs.count > 1 ? limbs[1] : 0) * UInt128(Self.limbBase) + UInt128(limbs.first ?? 0)
        return value <= UInt128(UInt64.max) ? UInt64(value) : nil
    }
}

/// A decimal text with the strict syntax of the contract (section 1): an optional '-', one or more digits, and
/// optionally a '.' followed by one or more digits. Nothing else: no '+', no exponent, no spaces.
/// The value is `digits` (all digits, the point removed) times 10^-scale, negated when `negative`.
struct RefDecimalText: Equatable {
    var negative: Bool
    var digits: String
    var scale: Int

    init?(_ text: String) {
        var bytes = Substring(text).utf8[...]
        negative = bytes.first == UInt8(ascii: "-")
        if negative { bytes = bytes.dropFirst() }
        let isDigit: (UInt8) -> Bool = { $0 >= 0x30 && $0 <= 0x39 }
        let integerPart = bytes.prefix(while: isDigit)
        guard !integerPart.isEmpty else { return nil }
        let rest = bytes.dropFirst(integerPart.count)
        var fractionPart = rest[rest.startIndex..<rest.startIndex]
        if !rest.isEmpty {
            guard rest.first == UInt8(ascii: "."), rest.count > 1 else { return nil }
            fractionPart = rest.dropFirst()
            guard fractionPart.allSatisfy(isDigit) else { return nil }
        }
        digits = String(decoding: integerPart, as: UTF8.self) + String(decoding: fractionPart, as: UTF8.self)
        scale = fractionPart.count
    }

    var isZero: Bool { digits.utf8.allSatisfy { $0 == 0x30 } }

    /// The exact value as a significand and a power of ten (negative values are not used by callers).
    var value: RefDecimal { RefDecimal(significand: RefBigUInt(decimalDigits: digits), exponent: -scale) }
}

/// A non-negative exact decimal: significand times 10^exponent.
struct RefDecimal {
    var significand: RefBigUInt
    var exponent: Int

    /// Exact comparison by value.
    static func compare(_ a: RefDecimal, _ b: RefDecimal) -> Int {
        let common = min(a.exponent, b.exponent)
        let left = a.significand.timesPowerOfTen(a.exponent - common)
        let right = b.significand.timesPowerOfTen(b.exponent - common)
        return left < right ? -1 : (right < left ? 1 : 0)
    }
}

/// A tick size or lot size: significand times 10^exponent, the significand without trailing zeros.
struct RefUnit: Equatable {
    var significand: UInt64
    var exponent: Int

    /// The unit for a positive decimal text. The reference supports units with at most 19 significant digits.
    init(_ text: RefDecimalText) {
        precondition(!text.negative && !text.isZero, "a unit must be positive")
        var digits = Substring(text.digits.drop(while: { $0 == "0" }))
        var exponent = -text.scale
        while digits.last == "0" {
            digits = digits.dropLast()
            exponent += 1
        }
        guard let significand = UInt64(digits), digits.count <= 19 else {
            preconditionFailure("ReferenceExchange supports tick and lot sizes of at most 19 significant digits")
        }
        self.significand = significand
        self.exponent = exponent
    }

    /// The exact value of `count` units.
    func value(of count: RefBigUInt) -> RefDecimal {
        RefDecimal(significand: count * RefBigUInt(significand), exponent: exponent)
    }
}

/// How many units a decimal text is.
enum RefUnitCount: Equatable {
    /// The exact count does not fit in a signed 64-bit integer (whole or not): `malformed`.
    case overflow
    /// The value is not a whole number of units (and the count would fit).
    case fractional
    /// A whole number of units.
    case whole(Int64)

    /// The positive whole count, if it is one (else `off_tick` / `off_lot`).
    var positive: Int64? {
        if case .whole(let count) = self, count > 0 { return count }
        return nil
    }
}

public enum RefNumbers {
    /// The exact count of `unit` in the value of `text`: q = digits * 10^(-scale) / (significand * 10^exponent).
    ///
    /// Write W = digits * 10^(-scale - exponent) = Wint + Wfrac (0 <= Wfrac < 1). Then q = W / significand,
    /// floor(q) = floor(Wint / significand), and q is whole exactly when Wfrac = 0 and significand divides Wint.
    static func count(of text: RefDecimalText, in unit: RefUnit) -> RefUnitCount {
        let shift = -text.scale - unit.exponent
        var integerDigits: Substring
        var fractionNonZero = false
        if shift >= 0 {
            integerDigits = Substring(text.digits + String(repeating: "0", count: shift))
        } else {
            let dropped = min(-shift, text.digits.count)
            integerDigits = text.digits.dropLast(dropped)
            fractionNonZero = text.digits.suffix(dropped).contains { $0 != "0" }
        }
        if integerDigits.isEmpty { integerDigits = "0" }
        let (quotient, remainder) = RefBigUInt(decimalDigits: integerDigits).quotientAndRemainder(
            dividingBy: unit.significand)
        let exact = !fractionNonZero && remainder == 0
        // |q| must be <= 2^63 - 1 (positive) or <= 2^63 (negative); q is in [quotient, quotient + 1).
        let limit = text.negative ? UInt64(1) << 63 : UInt64(Int64.max)
        guard let whole = quotient.uint64Value, whole <= limit, whole < limit || exact else { return .overflow }
        guard exact else { return .fractional }
        if text.negative {
            return .whole(whole == UInt64(1) << 63 ? Int64.min : -Int64(whole))
        }
        return .whole(Int64(whole))
    }

    /// The plain decimal text of a count of units (e.g. 10125 ticks of 0.01 -> "101.25").
    static func text(of count: Int128, in unit: RefUnit) -> String {
        let magnitude = count.magnitude
        let (product, overflow) = magnitude.multipliedReportingOverflow(by: UInt128(unit.significand))
        let digits =
            overflow
            ? (RefBigUInt(magnitude) * RefBigUInt(unit.significand)).description : String(product)
        return plainDecimal(digits: digits, exponent: unit.exponent, negative: count < 0)
    }

    static func text(of count: Int64, in unit: RefUnit) -> String { text(of: Int128(count), in: unit) }

    /// The plain decimal text of digits * 10^exponent, without needless zeros ("0" for zero).
    static func plainDecimal(digits: String, exponent: Int, negative: Bool) -> String {
        var integer: String
        var fraction: String
        if exponent >= 0 {
            integer = digits + String(repeating: "0", count: exponent)
            fraction = ""
        } else {
            let fractionLength = -exponent
            let padded = String(repeating: "0", count: max(0, fractionLength - digits.count + 1)) + digits
            integer = String(padded.dropLast(fractionLength))
            fraction = String(padded.suffix(fractionLength))
        }
        integer = String(integer.drop(while: { $0 == "0" }))
        if integer.isEmpty { integer = "0" }
        while fraction.last == "0" { fraction.removeLast() }
        let magnitude = fraction.isEmpty ? integer : integer + "." + fraction
        return negative && magnitude != "0" ? "-" + magnitude : magnitude
    }

    /// The average price text: (sum of price * qty in ticks * lots) / (filled lots) ticks, rounded half-even to 28
    /// significant digits, so exact whenever the exact value has at most 28 (choices section, Events).
    static func averagePrice(tradedValue: RefBigUInt, filled: Int64, tick: RefUnit) -> String {
        precondition(filled > 0)
        let divisor = UInt64(filled)
        // avg = N / D * 10^tick.exponent with N = tradedValue * tick.significand, D = filled.
        let numerator = tradedValue * RefBigUInt(tick.significand)
        let (integerPart, firstRemainder) = numerator.quotientAndRemainder(dividingBy: divisor)
        // digits * 10^(integerCount - digits.count) is the value in units of the tick exponent.
        var digits: [UInt8] = integerPart.isZero ? [] : integerPart.description.utf8.map { $0 - 0x30 }
        let integerCount = digits.count
        var remainder = firstRemainder

        func nextDigit() {
            let scaled = UInt128(remainder) * 10
            digits.append(UInt8(scaled / UInt128(divisor)))
            remainder = UInt64(scaled % UInt128(divisor))
        }
        func significantCount() -> Int {
            guard let first = digits.firstIndex(where: { $0 != 0 }) else { return 0 }
            return digits.count - first
        }
        while remainder != 0 && significantCount() < 29 { nextDigit() }
        if remainder == 0 && significantCount() <= 28 {
            return plainDecimal(
                digits: digitText(digits), exponent: tick.exponent + integerCount - digits.count, negative: false)
        }
        // More than 28 significant digits: keep 28 and round half-even, with the rest as sticky.
        let first = digits.firstIndex(where: { $0 != 0 })!
        let keptEnd = first + 28
        var kept = Array(digits[..<keptEnd])
        let guardDigit = digits[keptEnd]
        let sticky = remainder != 0 || digits[(keptEnd + 1)...].contains { $0 != 0 }
        let roundUp = guardDigit > 5 || (guardDigit == 5 && (sticky || kept.last! % 2 == 1))
        if roundUp {
            var index = kept.count - 1
            while index >= 0 && kept[index] == 9 {
                kept[index] = 0
                index -= 1
            }
            if index >= 0 { kept[index] += 1 } else { kept.insert(1, at: 0) }
        }
        // kept has the same place values as digits[..<keptEnd] (an inserted leading 1 is one place higher).
        let exponent = tick.exponent + integerCount - keptEnd
        return plainDecimal(digits: digitText(kept), exponent: exponent, negative: false)
    }

    private static func digitText(_ digits: [UInt8]) -> String {
        digits.isEmpty ? "0" : String(decoding: digits.map { $0 + 0x30 }, as: UTF8.self)
    }

    /// The canonical text of a plain decimal string (for comparing by value), or nil if it is not one.
    public static func canonical(_ text: String) -> String? {
        guard let parsed = RefDecimalText(text) else { return nil }
        let digits = parsed.digits.drop(while: { $0 == "0" })
        return plainDecimal(
            digits: digits.isEmpty ? "0" : String(digits), exponent: -parsed.scale, negative: parsed.negative)
    }
}
