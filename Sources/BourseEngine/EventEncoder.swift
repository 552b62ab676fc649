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

    public func withEncoded<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try writer.withUnsafeBytes(body)
    }

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
        // One append per event, its fields taken out first (a closure over the whole event
        // copied it, with an accepted order's terms).
        switch event {
        case .accepted(let orderID, _):
            let id = orderID.rawValue
            writer.append(atMost: 9) { cursor in
                cursor.byte(Kind.accepted.rawValue)
                cursor.fixed(id)
            }
        case .rejected(let reason):
            writer.append(atMost: 2) { cursor in
                cursor.byte(Kind.rejected.rawValue)
                cursor.byte(reason.rawValue)
            }
        case .trade(let trade):
            let (id, price, quantity) = (trade.tradeID, trade.price.ticks, trade.quantity.lots)
            writer.append(atMost: 25) { cursor in
                cursor.byte(Kind.trade.rawValue)
                cursor.fixed(id)
                cursor.fixed(price)
                cursor.fixed(quantity)
            }
        case .order(let update):
            let (id, status, leaves) = (update.orderID.rawValue, update.status.rawValue, update.leaves.lots)
            writer.append(atMost: 18) { cursor in
                cursor.byte(Kind.order.rawValue)
                cursor.fixed(id)
                cursor.byte(status)
                cursor.fixed(leaves)
            }
        case .book(let change):
            let (side, price) = (change.side.rawValue, change.price.ticks)
            writer.append(atMost: 10) { cursor in
                cursor.byte(Kind.book.rawValue)
                cursor.byte(side)
                cursor.fixed(price)
            }
        case .massCancelled(_, let count):
            writer.append(atMost: 9) { cursor in
                cursor.byte(Kind.massCancelled.rawValue)
                cursor.fixed(UInt64(count))
            }
        case .risk:
            writer.byte(Kind.risk.rawValue)
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
