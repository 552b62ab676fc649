import BourseCore
import BourseVenue

/// A compact binary event encoding for consumers that need the trading facts, not
/// text (the pipeline benchmark). Per event: kind u8, then
/// - accepted (1): order id u64;
/// - rejected (2): reason u8;
/// - trade (3): trade id u64, price i64 (ticks), quantity i64 (lots);
/// - order (4): order id u64, status u8, leaves i64;
/// - book (5): side u8, price i64;
/// - mass cancelled (6): count u64;
/// - book snapshot (7): nothing more;
/// - risk (8): nothing more (balances, positions, halts and kill switches).
public struct CompactEventEncoder: EventEncoder {
    public private(set) var encoded: [UInt8] = []

    public init() { encoded.reserveCapacity(4096) }

    public mutating func removeAll() { encoded.removeAll(keepingCapacity: true) }

    public enum Kind: UInt8 {
        case accepted = 1
        case rejected = 2
        case trade = 3
        case order = 4
        case book = 5
        case massCancelled = 6
        case bookSnapshot = 7
        case risk = 8
    }

    @inline(__always)
    private mutating func append<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { encoded.append(contentsOf: $0) }
    }

    public mutating func receive(_ event: VenueEvent, context: EventContext) {
        switch event {
        case .accepted(let orderID, _):
            encoded.append(Kind.accepted.rawValue)
            append(orderID.rawValue)
        case .rejected(let reason):
            encoded.append(Kind.rejected.rawValue)
            encoded.append(reason.rawValue)
        case .trade(let trade):
            encoded.append(Kind.trade.rawValue)
            append(trade.tradeID)
            append(trade.price.ticks)
            append(trade.quantity.lots)
        case .order(let update):
            encoded.append(Kind.order.rawValue)
            append(update.orderID.rawValue)
            encoded.append(update.status.rawValue)
            append(update.leaves.lots)
        case .book(let change):
            encoded.append(Kind.book.rawValue)
            encoded.append(change.side.rawValue)
            append(change.price.ticks)
        case .massCancelled(_, let count):
            encoded.append(Kind.massCancelled.rawValue)
            append(UInt64(count))
        case .risk:
            encoded.append(Kind.risk.rawValue)
        }
    }

    public mutating func receive(snapshot: BookSnapshot, of symbol: SymbolID, context: EventContext) {
        encoded.append(Kind.bookSnapshot.rawValue)
    }

    /// Calls `body` with each trade's quantity in `events` (bytes this encoder wrote).
    public static func forEachTrade(in events: UnsafeRawBufferPointer, _ body: (_ quantity: Int64) -> Void) {
        var offset = 0
        while offset < events.count {
            let kind = Kind(rawValue: events[offset])!
            offset += 1
            switch kind {
            case .accepted: offset += 8
            case .rejected: offset += 1
            case .trade:
                body(Int64(littleEndian: events.loadUnaligned(fromByteOffset: offset + 16, as: Int64.self)))
                offset += 24
            case .order: offset += 17
            case .book: offset += 9
            case .massCancelled: offset += 8
            case .bookSnapshot, .risk: break
            }
        }
    }
}
