/// A number in the contract's text form `-?[0-9]+(\.[0-9]+)?`, kept exactly:
/// value = ±significand x 10^exponent. Digits past the 38th significant one are
/// dropped, and `truncated` says whether any of them was not zero.
public struct DecimalText: Equatable, Sendable {
    public var isNegative: Bool
    public var significand: UInt128
    public var exponent: Int
    public var truncated: Bool

    static let maximumDigits = 38

    public init?(_ text: String) {
        var bytes = text.utf8[...]
        isNegative = bytes.first == UInt8(ascii: "-")
        if isNegative { bytes = bytes.dropFirst() }
        significand = 0
        exponent = 0
        truncated = false
        var digitCount = 0
        var significantDigits = 0
        var inFraction = false
        var fractionDigits = 0
        for byte in bytes {
            if byte == UInt8(ascii: ".") {
                if inFraction || digitCount == 0 { return nil }
                inFraction = true
                continue
            }
            guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") else { return nil }
            let digit = UInt128(byte - UInt8(ascii: "0"))
            digitCount += 1
            if inFraction { fractionDigits += 1 }
            if significantDigits == 0 && digit == 0 {
                if inFraction { exponent -= 1 }
                continue
            }
            if significantDigits < Self.maximumDigits {
                significand = significand * 10 + digit
                significantDigits += 1
                if inFraction { exponent -= 1 }
            } else {
                truncated = truncated || digit != 0
                if !inFraction { exponent += 1 }
            }
        }
        if digitCount == 0 || (inFraction && fractionDigits == 0) { return nil }
        if significand == 0 {
            exponent = 0
            truncated = false
            return
        }
        while significand % 10 == 0 {
            significand /= 10
            exponent += 1
        }
    }

    public var isZero: Bool { significand == 0 && !truncated }

    private static func powerOfTen(_ n: Int) -> UInt128? {
        guard n <= Self.maximumDigits else { return nil }
        var result: UInt128 = 1
        for _ in 0..<n { result *= 10 }
        return result
    }

    /// |self| / (divisor x 10^divisorExponent) as a whole quotient and whether it is
    /// exact; nil when the quotient does not fit in a UInt128.
    func divided(by divisor: UInt128, exponent divisorExponent: Int) -> (quotient: UInt128, exact: Bool)? {
        let shift = exponent - divisorExponent
        if shift >= 0 {
            guard let power = Self.powerOfTen(shift) else { return significand == 0 ? (0, !truncated) : nil }
            let (numerator, overflow) = significand.multipliedReportingOverflow(by: power)
            if overflow { return nil }
            let (q, r) = numerator.quotientAndRemainder(dividingBy: divisor)
            return (q, r == 0 && !truncated)
        }
        guard let power = Self.powerOfTen(-shift) else { return (0, significand == 0 && !truncated) }
        let (denominator, overflow) = divisor.multipliedReportingOverflow(by: power)
        if overflow { return (0, significand == 0 && !truncated) }
        let (q, r) = significand.quotientAndRemainder(dividingBy: denominator)
        return (q, r == 0 && !truncated)
    }
}

/// The size of one unit of an instrument (its tick or its lot): significand x 10^exponent.
public struct UnitSize: Equatable, Sendable {
    public var significand: UInt128
    public var exponent: Int

    /// A positive size written in the contract's number form; nil otherwise.
    public init?(_ text: String) {
        guard let value = DecimalText(text), !value.isNegative, value.significand > 0, !value.truncated,
            value.significand <= UInt128(Int64.max)
        else { return nil }
        significand = value.significand
        exponent = value.exponent
    }

    public init(significand: UInt128, exponent: Int) {
        self.significand = significand
        self.exponent = exponent
    }

    /// The product of two sizes (a tick times a lot is the unit of notional).
    func times(_ other: UnitSize) -> UnitSize {
        UnitSize(significand: significand * other.significand, exponent: exponent + other.exponent)
    }

    public enum Conversion: Equatable, Sendable {
        /// A whole number of units (possibly zero or negative).
        case units(Int64)
        /// Not a whole number of units.
        case offGrid
        /// Too many units for a signed 64-bit integer.
        case overflow
    }

    /// How many of these units `value` is. The range check is on the exact count,
    /// whole or not: Int64.max + 1/2 does not fit, Int64.min does.
    public func units(in value: DecimalText) -> Conversion {
        guard let (quotient, exact) = value.divided(by: significand, exponent: exponent) else { return .overflow }
        let limit = value.isNegative ? UInt128(Int64.max) + 1 : UInt128(Int64.max)
        if quotient > limit || (quotient == limit && !exact) { return .overflow }
        guard exact else { return .offGrid }
        return .units(value.isNegative ? Int64(truncatingIfNeeded: 0 &- quotient) : Int64(quotient))
    }

    /// `units` of this size as a decimal string (a level's displayed total may exceed 64 bits).
    public func format(_ units: some BinaryInteger) -> String {
        let units = Int128(units)
        let (product, overflow) = UInt128(units.magnitude).multipliedReportingOverflow(by: significand)
        let digits = overflow ? Self.multiply(String(units.magnitude), by: significand) : String(product)
        return Self.render(digits: digits, exponent: exponent, negative: units < 0)
    }

    /// A decimal digit string times a small factor, by schoolbook multiplication.
    private static func multiply(_ digits: String, by factor: UInt128) -> String {
        var result: [UInt8] = []
        var carry: UInt128 = 0
        for digit in digits.utf8.reversed() {
            let value = UInt128(digit - UInt8(ascii: "0")) * factor + carry
            result.append(UInt8(value % 10) + UInt8(ascii: "0"))
            carry = value / 10
        }
        while carry > 0 {
            result.append(UInt8(carry % 10) + UInt8(ascii: "0"))
            carry /= 10
        }
        while result.count > 1 && result.last == UInt8(ascii: "0") { result.removeLast() }
        return String(decoding: result.reversed(), as: UTF8.self)
    }

    /// The least number of units that is at least `value` (>= 0), capped at `Int128.max`.
    func unitsRoundedUp(_ value: DecimalText) -> Int128 {
        guard let (quotient, exact) = value.divided(by: significand, exponent: exponent) else { return .max }
        let rounded = exact ? quotient : quotient &+ 1
        return rounded > UInt128(Int128.max) ? .max : Int128(rounded)
    }

    /// The greatest number of units that is at most `value` (>= 0), capped at `Int128.max`.
    func unitsRoundedDown(_ value: DecimalText) -> Int128 {
        guard let (quotient, _) = value.divided(by: significand, exponent: exponent) else { return .max }
        return quotient > UInt128(Int128.max) ? .max : Int128(quotient)
    }

    /// `numerator / denominator` units (a mean price) as a decimal string, rounded half-even
    /// to 28 significant digits: exact whenever the exact value has at most 28.
    public func formatQuotient(_ numerator: Int128, dividedBy denominator: Int64) -> String {
        precondition(numerator >= 0 && denominator > 0)
        let divisor = UInt128(denominator)
        let (wholeUnits, remainderUnits) = UInt128(numerator).quotientAndRemainder(dividingBy: divisor)
        // (wholeUnits + remainderUnits / divisor) x significand, without overflow.
        let (carry, firstRemainder) = (remainderUnits * significand).quotientAndRemainder(dividingBy: divisor)
        let whole = wholeUnits * significand + carry
        // The value is digits x 10^(exponent + integerCount - digits.count).
        var digits: [UInt8] = whole == 0 ? [] : String(whole).utf8.map { $0 - UInt8(ascii: "0") }
        let integerCount = digits.count
        var remainder = firstRemainder
        func significantCount() -> Int {
            guard let first = digits.firstIndex(where: { $0 != 0 }) else { return 0 }
            return digits.count - first
        }
        while remainder != 0 && significantCount() <= Self.meanPrecision {
            let (digit, rest) = (remainder * 10).quotientAndRemainder(dividingBy: divisor)
            digits.append(UInt8(digit))
            remainder = rest
        }
        func text(_ digits: ArraySlice<UInt8>) -> String {
            digits.isEmpty ? "0" : String(decoding: digits.map { $0 + UInt8(ascii: "0") }, as: UTF8.self)
        }
        if remainder == 0 && significantCount() <= Self.meanPrecision {
            return Self.render(
                digits: text(digits[...]), exponent: exponent + integerCount - digits.count, negative: false)
        }
        // Keep 28 significant digits; the next digit and anything after it decide the rounding.
        let keptEnd = digits.firstIndex(where: { $0 != 0 })! + Self.meanPrecision
        var kept = Array(digits[..<keptEnd])
        let next = digits[keptEnd]
        let sticky = remainder != 0 || digits[(keptEnd + 1)...].contains { $0 != 0 }
        if next > 5 || (next == 5 && (sticky || kept.last! % 2 == 1)) {
            var i = kept.count - 1
            while i >= 0 && kept[i] == 9 {
                kept[i] = 0
                i -= 1
            }
            // A carry out of the first digit adds a digit one place higher.
            if i >= 0 { kept[i] += 1 } else { kept.insert(1, at: 0) }
        }
        return Self.render(digits: text(kept[...]), exponent: exponent + integerCount - keptEnd, negative: false)
    }

    /// Significant digits of a mean price (`avg_price`), as in Python's default decimal context.
    static let meanPrecision = 28

    /// `digits` x 10^exponent in plain decimal notation.
    private static func render(digits: String, exponent: Int, negative: Bool) -> String {
        let sign = negative && digits != "0" ? "-" : ""
        if exponent >= 0 { return digits == "0" ? "0" : sign + digits + String(repeating: "0", count: exponent) }
        let fraction = -exponent
        if digits.count > fraction {
            let split = digits.index(digits.endIndex, offsetBy: -fraction)
            return sign + digits[..<split] + "." + digits[split...]
        }
        return sign + "0." + String(repeating: "0", count: fraction - digits.count) + digits
    }
}

/// A price or quantity of a command, read once from its text: most (not negative, at
/// most 18 digits) as an integer and a count of fraction digits, so that converting
/// them to units needs 64-bit arithmetic only and copying them counts no reference;
/// any other number of the contract's form as its text.
public enum DecimalValue: Equatable, Sendable, CustomStringConvertible {
    /// `mantissa` / 10^`fractionDigits`.
    case small(mantissa: UInt64, fractionDigits: UInt8)
    /// A number that is negative or has more than 18 digits, as written.
    case text(String)

    /// The number `text` writes; nil when it is not of the contract's form.
    public init?(_ text: String) {
        if let small = text.utf8.withContiguousStorageIfAvailable({ Self.small($0) }), let small {
            self = small
            return
        }
        guard DecimalText(text) != nil else { return nil }
        self = .text(text)
    }

    /// A whole number of at most 18 digits.
    public init(_ integer: UInt64) {
        precondition(integer < 1_000_000_000_000_000_000)
        self = .small(mantissa: integer, fractionDigits: 0)
    }

    /// `[0-9]+(\.[0-9]+)?` with at most 18 digits; nil otherwise (including valid numbers
    /// that are not small).
    @inline(__always)
    private static func small(_ bytes: UnsafeBufferPointer<UInt8>) -> DecimalValue? {
        var mantissa: UInt64 = 0
        var digits = 0
        var fractionDigits: UInt8 = 0
        var inFraction = false
        for byte in bytes {
            if byte == UInt8(ascii: ".") {
                if inFraction || digits == 0 { return nil }
                inFraction = true
                continue
            }
            let digit = byte &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            digits += 1
            if digits > 18 { return nil }
            mantissa = mantissa &* 10 &+ UInt64(digit)
            if inFraction { fractionDigits += 1 }
        }
        guard digits > 0, !inFraction || fractionDigits > 0 else { return nil }
        return .small(mantissa: mantissa, fractionDigits: fractionDigits)
    }

    /// The number in the contract's text form (a small one with its fraction digits: "1.50").
    public var description: String {
        switch self {
        case .text(let text): return text
        case .small(let mantissa, let fractionDigits):
            var text = String(mantissa)
            guard fractionDigits > 0 else { return text }
            let fraction = Int(fractionDigits)
            if text.count <= fraction { text = String(repeating: "0", count: fraction + 1 - text.count) + text }
            text.insert(".", at: text.index(text.endIndex, offsetBy: -fraction))
            return text
        }
    }

    /// The exact value (for the general conversion).
    var exact: DecimalText { DecimalText(description)! }
}

extension UnitSize {
    private static let powersOfTen: [UInt64] = (0...19).map { n in
        (0..<n).reduce(UInt64(1)) { result, _ in result * 10 }
    }

    /// How many of these units `value` is (see `units(in: DecimalText)`).
    @inline(__always)
    public func units(in value: DecimalValue) -> Conversion {
        if case .small(let mantissa, let fractionDigits) = value,
            let conversion = smallUnits(mantissa, Int(fractionDigits))
        {
            return conversion
        }
        return units(in: value.exact)
    }

    /// The conversion with 64-bit arithmetic, or nil when it needs more (the caller then
    /// takes the general path).
    @inline(__always)
    private func smallUnits(_ mantissa: UInt64, _ fractionDigits: Int) -> Conversion? {
        let unit = UInt64(significand)
        // value / unit = mantissa x 10^shift / unit
        let shift = -fractionDigits - exponent
        let quotient: UInt64
        let exact: Bool
        if shift >= 0 {
            guard shift < Self.powersOfTen.count else { return nil }
            let (numerator, overflow) = mantissa.multipliedReportingOverflow(by: Self.powersOfTen[shift])
            if overflow { return nil }
            if unit == 1 {
                (quotient, exact) = (numerator, true)
            } else {
                let (q, r) = numerator.quotientAndRemainder(dividingBy: unit)
                (quotient, exact) = (q, r == 0)
            }
        } else {
            guard -shift < Self.powersOfTen.count else { return nil }
            let (denominator, overflow) = unit.multipliedReportingOverflow(by: Self.powersOfTen[-shift])
            if overflow { return nil }
            let (q, r) = mantissa.quotientAndRemainder(dividingBy: denominator)
            (quotient, exact) = (q, r == 0)
        }
        guard quotient < UInt64(Int64.max) else { return nil }
        return exact ? .units(Int64(quotient)) : .offGrid
    }
}
