import BourseCore
import BourseRisk

/// An instrument's name and units, for turning the core's integers into text.
public struct InstrumentText: Sendable {
    public var symbol: String
    public var tick: UnitSize
    public var lot: UnitSize

    public init(symbol: String, tick: UnitSize, lot: UnitSize) {
        self.symbol = symbol
        self.tick = tick
        self.lot = lot
    }

    /// A price x quantity (ticks x lots, such as P&L or cash) as a decimal string.
    public func formatNotional(_ value: Int128) -> String { tick.times(lot).format(value) }
}

/// What the venue answers, in the order things happened (the contract's section 5);
/// `book_snapshot` comes through `VenueEventSink.receive(snapshot:...)`. Plain values,
/// so that the venue hands them on without reference counting.
public enum VenueEvent: Sendable {
    /// The order was accepted with this id, as the command asked for it (in ticks and lots).
    case accepted(OrderID, NewOrder)
    /// The command changed nothing (the echo and message are in the context).
    case rejected(RejectReason)
    case trade(Trade)
    case order(OrderUpdate)
    case book(BookUpdate)
    case massCancelled(AccountID, count: Int)
    /// Balances, positions, settlements, halts and kill switches (`docs/risk.md`).
    case risk(RiskEvent)
}

/// What a sink needs to describe an event in words: the names behind the ids, and
/// the command being applied (for the echo of a rejection).
public struct EventContext: Sendable {
    /// Instruments by symbol id.
    public internal(set) var instruments: [InstrumentText] = []
    /// Account names by account id.
    public internal(set) var accountNames: [String] = []
    /// Asset names by asset id (the risk layer's).
    public internal(set) var assetNames: [String] = []
    var clientOrderIDs = ClientOrderIDs()
    /// What a rejection echoes of its command (set for each `rejected` event).
    public internal(set) var echo = CommandEcho()
    /// The sentence for people of the last `rejected` event.
    public internal(set) var rejectionMessage = ""

    /// The client order id behind a tag of a live order (or of the order an event is about).
    public func clientOrderID(_ tag: ClientTag) -> String { clientOrderIDs.name(tag) }
}

/// Receives the venue's events as they happen.
public protocol VenueEventSink {
    mutating func receive(_ event: VenueEvent, context: EventContext)
    /// The answer to `dump_book`.
    mutating func receive(snapshot: BookSnapshot, of symbol: SymbolID, context: EventContext)
}

/// Drops every event (a replay of commands whose events were already answered).
public struct DiscardingEventSink: VenueEventSink {
    public init() {}
    public mutating func receive(_ event: VenueEvent, context: EventContext) {}
    public mutating func receive(snapshot: BookSnapshot, of symbol: SymbolID, context: EventContext) {}
}

/// Turns the venue's events into bytes, one command at a time (the engine puts them in
/// its output ring). The sequencer runs it, so it should be quick and allocate nothing
/// once warm.
public protocol EventEncoder: VenueEventSink {
    init()
    /// Calls `body` with the bytes of the events received since the last `removeAll()`.
    func withEncoded<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result
    mutating func removeAll()
}
