/// An amount of an asset (a balance, a hold, a fee, a limit): a fixed-point decimal
/// with 18 fraction digits in a signed 128-bit integer, so exact for any amount up to
/// about 1.7e20 units of the asset. Money is never binary floating point.
public struct Amount: Hashable, Comparable, Sendable {
    /// The amount in units of 10^-18.
    public var raw: Int128

    // Computed, not stored: a stored static is read through a once-only initializer check,
    // which showed in the sequencer's profile.
    @inlinable public static var fractionDigits: Int { 18 }
    @inlinable public static var scale: Int128 { 1_000_000_000_000_000_000 }
    @inlinable public static var zero: Amount { Amount(raw: 0) }

    @inlinable public init(raw: Int128) { self.raw = raw }

    /// Parses the contract's number form (`"-12.5"`): digits, an optional fraction of at
    /// most 18 digits, an optional leading minus. Nil for anything else or too large.
    public init?(_ text: String) {
        var bytes = Substring(text).utf8[...]
        var negative = false
        if bytes.first == UInt8(ascii: "-") {
            negative = true
            bytes = bytes.dropFirst()
        }
        var whole: Int128 = 0
        var fraction: Int128 = 0
        var fractionCount = 0
        var seenDigit = false
        var inFraction = false
        for byte in bytes {
            if byte == UInt8(ascii: ".") {
                guard !inFraction, seenDigit else { return nil }
                inFraction = true
                continue
            }
            let digit = Int128(byte &- UInt8(ascii: "0"))
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            if inFraction {
                fractionCount += 1
                guard fractionCount <= Self.fractionDigits else { return nil }
                fraction = fraction * 10 + digit
            } else {
                seenDigit = true
                let (times10, overflow) = whole.multipliedReportingOverflow(by: 10)
                guard !overflow, times10 < Int128.max / Self.scale else { return nil }
                whole = times10 + digit
            }
        }
        guard seenDigit, !(inFraction && fractionCount == 0) else { return nil }
        for _ in fractionCount..<Self.fractionDigits { fraction *= 10 }
        raw = whole * Self.scale + fraction
        if negative { raw = -raw }
    }

    @inline(__always)
    public static func < (a: Amount, b: Amount) -> Bool { a.raw < b.raw }
    // Sums saturate instead of trapping: exact below 1.7e20 units, and bad input can never
    // stop the engine (a deposit that would not fit is refused before it gets here).
    @inline(__always)
    public static func + (a: Amount, b: Amount) -> Amount { Amount(raw: a.raw.saturatingAdd(b.raw)) }
    @inline(__always)
    public static func - (a: Amount, b: Amount) -> Amount { Amount(raw: a.raw.saturatingAdd(0 &- b.raw)) }
    @inline(__always)
    public static func += (a: inout Amount, b: Amount) { a = a + b }
    @inline(__always)
    public static func -= (a: inout Amount, b: Amount) { a = a - b }

    /// `units` times `self`, saturating at the largest amount when it does not fit.
    @inline(__always)
    public func timesSaturating(_ units: Int128) -> Amount {
        times(units) ?? Amount(raw: (raw < 0) != (units < 0) ? .min : .max)
    }

    /// `units` times `self`, or nil when the product does not fit.
    @inline(__always)
    public func times(_ units: Int128) -> Amount? {
        // The usual case (a quantity in lots times a price per lot) cannot overflow: skip the check.
        if (units.magnitude < 1 << 32 && raw.magnitude < 1 << 94)
            || (units.magnitude < 1 << 63 && raw.magnitude < 1 << 63)
        {
            return Amount(raw: raw &* units)
        }
        let (product, overflow) = raw.multipliedReportingOverflow(by: units)
        return overflow ? nil : Amount(raw: product)
    }

    /// `basisPoints` / 10,000 of this amount, rounded up (a fee or a worst-case fee).
    public func fee(basisPoints: Int) -> Amount {
        if basisPoints == 0 || raw == 0 { return .zero }
        // Below 2^113 x 2^14 the product fits: no overflow check (a library call for 128 bits).
        let fits = raw.magnitude < 1 << 113 && basisPoints.magnitude < 1 << 14
        let (product, overflow) =
            fits ? (raw &* Int128(basisPoints), false) : raw.multipliedReportingOverflow(by: Int128(basisPoints))
        if overflow {
            // Beyond the exact range (a saturated notional): rounded up, and saturating itself.
            return Amount(
                raw: (raw / 10_000).saturatingMultiply(Int128(basisPoints)).saturatingAdd(Int128(basisPoints)))
        }
        if product > 0 {
            // Long division by 10,000 in 32-bit limbs: each step divides a 64-bit value by a
            // constant, which compiles to a multiplication (a 128-bit division is a library
            // call, and a fee is taken on every fill).
            let magnitude = UInt128(product)
            var quotient: UInt128 = 0
            var remainder: UInt64 = 0
            for shift in stride(from: 96, through: 0, by: -32) {
                let limb = remainder << 32 | UInt64(truncatingIfNeeded: magnitude >> UInt128(shift)) & 0xFFFF_FFFF
                quotient |= UInt128(limb / 10_000) << UInt128(shift)
                remainder = limb % 10_000
            }
            return Amount(raw: Int128(quotient) + (remainder > 0 ? 1 : 0))
        }
        let (quotient, remainder) = product.quotientAndRemainder(dividingBy: 10_000)
        return Amount(raw: remainder > 0 ? quotient + 1 : quotient)
    }

    /// The plain decimal text, without trailing fraction zeros (`"12.5"`, `"0"`).
    public var text: String {
        let magnitude = raw.magnitude
        let scale = UInt128(Self.scale)
        var result = raw < 0 ? "-" : ""
        result += String(magnitude / scale)
        var fraction = magnitude % scale
        if fraction > 0 {
            var digits = Self.fractionDigits
            while fraction % 10 == 0 {
                fraction /= 10
                digits -= 1
            }
            let text = String(fraction)
            result += "." + String(repeating: "0", count: digits - text.count) + text
        }
        return result
    }
}

/// A whole number of basis points (1/100 of a percent), parsed from a percentage of at
/// most two fraction digits (`"5"`, `"2.5"`, `"0.25"`) or given as basis points.
public enum BasisPoints {
    /// `"2.5"` percent is 250 basis points. Nil for a negative, too precise or malformed text.
    public static func fromPercent(_ text: String) -> Int? {
        guard let amount = Amount(text), amount.raw >= 0 else { return nil }
        let (points, remainder) = amount.raw.quotientAndRemainder(dividingBy: Amount.scale / 100)
        guard remainder == 0, points <= 1_000_000 else { return nil }
        return Int(points)
    }
}

extension Int128 {
    /// `self + other`, or the nearest bound when it does not fit.
    @inline(__always)
    func saturatingAdd(_ other: Int128) -> Int128 {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? (other > 0 ? .max : .min) : sum
    }

    /// `self * other`, or the nearest bound when it does not fit.
    @inline(__always)
    func saturatingMultiply(_ other: Int128) -> Int128 {
        let (product, overflow) = multipliedReportingOverflow(by: other)
        return overflow ? ((self < 0) != (other < 0) ? .min : .max) : product
    }
}
