/// A price as a whole number of ticks of its instrument's `tick_size`.
@frozen public struct Price: Hashable, Comparable, Sendable {
    public var ticks: Int64
    @inlinable public init(ticks: Int64) { self.ticks = ticks }
    @inlinable public static func < (lhs: Price, rhs: Price) -> Bool { lhs.ticks < rhs.ticks }
}

/// A quantity as a whole number of lots of its instrument's `lot_size`.
@frozen public struct Quantity: Hashable, Comparable, Sendable {
    public var lots: Int64
    @inlinable public init(lots: Int64) { self.lots = lots }
    @inlinable public static func < (lhs: Quantity, rhs: Quantity) -> Bool { lhs.lots < rhs.lots }
}

/// The engine's id of an accepted order: 1, 2, 3, ... in order of acceptance.
@frozen public struct OrderID: Hashable, Comparable, Sendable {
    public var rawValue: UInt64
    @inlinable public init(_ rawValue: UInt64) { self.rawValue = rawValue }
    @inlinable public static func < (lhs: OrderID, rhs: OrderID) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// An account, as an integer id given out by the caller (names are mapped at the edge).
@frozen public struct AccountID: Hashable, Sendable {
    public var rawValue: UInt32
    @inlinable public init(_ rawValue: UInt32) { self.rawValue = rawValue }
}

/// An instrument (and its book), numbered in the order instruments were added.
@frozen public struct SymbolID: Hashable, Sendable {
    public var rawValue: UInt32
    @inlinable public init(_ rawValue: UInt32) { self.rawValue = rawValue }
}

/// An opaque tag the caller attaches to an order (Bourse's edge uses it for the
/// client order id); the core stores it and hands it back in events.
@frozen public struct ClientTag: Hashable, Sendable {
    public var rawValue: UInt32
    @inlinable public init(_ rawValue: UInt32) { self.rawValue = rawValue }
    public static let none = ClientTag(0)
}

/// Milliseconds of the engine clock (the contract's `now`, `ts`, `expire_at`).
public typealias Milliseconds = Int64
