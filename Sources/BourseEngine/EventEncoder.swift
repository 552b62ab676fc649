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
    private var writer = BinaryWriter(capacity: 4096)

    public var encoded: [UInt8] { writer.bytes }

    public init() {}

    public mutating func removeAll() { writer.removeAll() }

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

    public mutating func receive(_ event: VenueEvent, context: EventContext) {
        // One append per event (the largest, a trade, takes 25 bytes).
        writer.append(atMost: 25) { cursor in
            switch event {
            case .accepted(let orderID, _):
                cursor.byte(Kind.accepted.rawValue)
                cursor.fixed(orderID.rawValue)
            case .rejected(let reason):
                cursor.byte(Kind.rejected.rawValue)
                cursor.byte(reason.rawValue)
            case .trade(let trade):
                cursor.byte(Kind.trade.rawValue)
                cursor.fixed(trade.tradeID)
                cursor.fixed(trade.price.ticks)
                cursor.fixed(trade.quantity.lots)
            case .order(let update):
                cursor.byte(Kind.order.rawValue)
                cursor.fixed(update.orderID.rawValue)
                cursor.byte(update.status.rawValue)
                cursor.fixed(update.leaves.lots)
            case .book(let change):
                cursor.byte(Kind.book.rawValue)
                cursor.byte(change.side.rawValue)
                cursor.fixed(change.price.ticks)
            case .massCancelled(_, let count):
                cursor.byte(Kind.massCancelled.rawValue)
                cursor.fixed(UInt64(count))
            case .risk:
                cursor.byte(Kind.risk.rawValue)
            }
        }
    }

    public mutating func receive(snapshot: BookSnapshot, of symbol: SymbolID, context: EventContext) {
        writer.byte(Kind.bookSnapshot.rawValue)
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
