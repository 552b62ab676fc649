import BourseJSONLines

/// A client's copy of a book from the WebSocket's `book` channel: the snapshot, then each
/// delta in sequence. A delta whose `first_seq` is not the next number is a gap (counted in
/// `gaps`): a real client resubscribes to get a fresh snapshot.
public struct BookFollower: Sendable {
    public private(set) var seq: UInt64 = 0
    /// Levels by price text: `[price, qty, orders]`.
    public private(set) var bids: [String: JSONValue] = [:]
    public private(set) var asks: [String: JSONValue] = [:]
    public private(set) var gaps = 0

    public init() {}

    /// Takes one message of the stream; messages of other channels are ignored.
    public mutating func receive(_ message: JSONValue) {
        guard message["channel"] == .string("book"), let seq = message["seq"]?.int64Value.flatMap(UInt64.init(exactly:))
        else { return }
        switch message["type"]?.stringValue {
        case "snapshot":
            bids = [:]
            asks = [:]
            for level in message["bids"]?.elements ?? [] { bids[level.elements.first?.stringValue ?? ""] = level }
            for level in message["asks"]?.elements ?? [] { asks[level.elements.first?.stringValue ?? ""] = level }
        case "delta":
            if message["first_seq"]?.int64Value.flatMap(UInt64.init(exactly:)) != self.seq &+ 1 { gaps += 1 }
            for change in message["changes"]?.elements ?? [] {
                let change = change.elements
                guard change.count == 4, let price = change[1].stringValue, let qty = change[2].stringValue else {
                    continue
                }
                let level: JSONValue? =
                    isZeroDecimal(qty) ? nil : .array([change[1], change[2], change[3]])
                if change[0] == .string("buy") { bids[price] = level } else { asks[price] = level }
            }
        default:
            return
        }
        self.seq = seq
    }

    /// Levels best first, as the REST book lists them.
    public var levels: (bids: [JSONValue], asks: [JSONValue]) {
        (
            bids.keys.sorted { Self.price($0) > Self.price($1) }.map { bids[$0]! },
            asks.keys.sorted { Self.price($0) < Self.price($1) }.map { asks[$0]! }
        )
    }

    private static func price(_ text: String) -> Double { Double(text) ?? 0 }
}

/// Whether a decimal text is zero ("0", "0.0000").
private func isZeroDecimal(_ text: String) -> Bool { text.allSatisfy { $0 == "0" || $0 == "." } }
