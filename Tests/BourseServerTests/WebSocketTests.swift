import BourseJSONLines
import BourseMarketData
import Foundation
import HummingbirdWSClient
import Logging
import Testing

/// The WebSocket of a real `bourse serve` process (docs/server.md).
@Suite("bourse serve: WebSocket streams", .serialized)
struct WebSocketTests {
    static let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

    /// Reads messages until `until` says stop (or `seconds` pass: a failure).
    static func read(
        _ iterator: inout WebSocketInboundMessageStream.AsyncIterator, seconds: Double = 10,
        until: (JSONValue) -> Bool
    ) async throws -> [JSONValue] {
        var messages: [JSONValue] = []
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            guard let message = try await iterator.next() else { break }
            guard case .text(let text) = message else { continue }
            let value = try JSONParser.parse(text)
            messages.append(value)
            if until(value) { return messages }
        }
        throw ServerTestError("no expected message within \(seconds) s; got \(messages.suffix(5))")
    }

    @Test("a book snapshot followed by deltas (in sequence, no gap) rebuilds the REST book, and trades stream")
    func bookStreamEqualsRESTBook() async throws {
        let server = try ServerProcess()
        try server.start()
        // Some orders before the subscription, so the snapshot is not empty.
        for index in 0..<10 {
            let price = String(49_990 + index)
            _ = try await server.request(
                "POST", "/api/v1/orders", key: "alice-key", body: RESTTests.limitOrder("buy", price: price, qty: "0.1"))
            _ = try await server.request(
                "POST", "/api/v1/orders", key: "bob-key",
                body: RESTTests.limitOrder("sell", price: String(50_010 + index), qty: "0.1"))
        }
        try await WebSocketClient.connect(url: "ws://127.0.0.1:\(server.port)/ws", logger: Self.logger) {
            inbound, outbound, _ in
            var iterator = inbound.messages(maxSize: 1 << 22).makeAsyncIterator()
            try await outbound.write(.text("{\"op\":\"subscribe\",\"channel\":\"book\",\"symbol\":\"BTC-USD\"}"))
            try await outbound.write(.text("{\"op\":\"subscribe\",\"channel\":\"trades\",\"symbol\":\"BTC-USD\"}"))
            var book = BookFollower()
            for message in try await Self.read(&iterator, until: { $0["type"] == .string("snapshot") }) {
                book.receive(message)
            }
            #expect(book.bids.count == 10 && book.asks.count == 10)
            // Random orders from both accounts, crossing now and then, and cancels.
            var random: UInt64 = 42
            func next(_ bound: UInt64) -> UInt64 {
                random = random &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return (random >> 33) % bound
            }
            var open: [(String, String)] = []
            var trades = 0
            for _ in 0..<150 {
                let key = next(2) == 0 ? "alice-key" : "bob-key"
                if next(4) == 0, !open.isEmpty {
                    let (owner, id) = open.remove(at: Int(next(UInt64(open.count))))
                    _ = try await server.request("DELETE", "/api/v1/orders/\(id)", key: owner)
                    continue
                }
                let side = next(2) == 0 ? "buy" : "sell"
                let price = String(49_980 + Int(next(40)))
                let placed = try await server.request(
                    "POST", "/api/v1/orders", key: key,
                    body: RESTTests.limitOrder(side, price: price, qty: "0.\(1 + next(5))"))
                #expect(placed.status == 201, "\(placed.text)")
                trades += placed.body["fills"]?.elements.count ?? 0
                if placed.body["status"] == .string("new") || placed.body["status"] == .string("partially_filled") {
                    open.append((key, placed.body["order_id"]!.stringValue!))
                }
            }
            let rest = try await server.request("GET", "/api/v1/marketdata/BTC-USD?depth=1000").body
            let target = UInt64(rest["seq"]!.int64Value!)
            var streamedTrades = 0
            for message in try await Self.read(
                &iterator, until: { $0["type"] == .string("delta") && UInt64($0["seq"]!.int64Value!) >= target })
            {
                book.receive(message)
                if message["type"] == .string("trade") { streamedTrades += 1 }
            }
            #expect(book.gaps == 0)
            #expect(book.seq == target)
            #expect(book.levels.bids == rest["bids"]!.elements)
            #expect(book.levels.asks == rest["asks"]!.elements)
            #expect(trades > 0)
            #expect(streamedTrades <= trades)
            try await outbound.close(.normalClosure, reason: nil)
        }
        #expect(server.stop() == 0)
    }

    @Test("the orders channel needs auth and carries only the account's own orders and fills; heartbeats flow")
    func privateChannelAndHeartbeats() async throws {
        let server = try ServerProcess(
            configuration: ServerProcess.configuration(extra: "websocket_heartbeat_seconds: 1"))
        try server.start()
        try await WebSocketClient.connect(url: "ws://127.0.0.1:\(server.port)/ws", logger: Self.logger) {
            inbound, outbound, _ in
            var iterator = inbound.messages(maxSize: 1 << 22).makeAsyncIterator()
            try await outbound.write(.text("{\"op\":\"subscribe\",\"channel\":\"orders\"}"))
            let refused = try await Self.read(&iterator, until: { $0["type"] == .string("error") })
            #expect(refused.last?["code"] == .string("unauthorized"))
            try await outbound.write(.text("{\"op\":\"auth\",\"api_key\":\"alice-key\"}"))
            // A connection is one account's: a second auth is refused.
            try await outbound.write(.text("{\"op\":\"auth\",\"api_key\":\"bob-key\"}"))
            let reauth = try await Self.read(&iterator, until: { $0["type"] == .string("error") })
            #expect(reauth.last?["message"]?.stringValue?.contains("alice") == true)
            try await outbound.write(.text("{\"op\":\"subscribe\",\"channel\":\"orders\"}"))
            _ = try await Self.read(&iterator, until: { $0["type"] == .string("subscribed") })

            _ = try await server.request(
                "POST", "/api/v1/orders", key: "bob-key",
                body: RESTTests.limitOrder("sell", price: "50000", qty: "0.5", clientOrderID: "bobs"))
            _ = try await server.request(
                "POST", "/api/v1/orders", key: "alice-key",
                body: RESTTests.limitOrder("buy", price: "50000", qty: "0.2", clientOrderID: "alices"))
            let messages = try await Self.read(&iterator, until: { $0["type"] == .string("fill") })
            let orders = messages.filter { $0["channel"] == .string("orders") }
            #expect(!orders.isEmpty)
            for message in orders {
                if let order = message["order"] { #expect(order["account"] == .string("alice")) }
                if let fill = message["fill"] { #expect(fill["liquidity"] == .string("taker")) }
            }
            #expect(orders.contains { $0["order"]?["client_order_id"] == .string("alices") })
            #expect(!messages.contains { $0.jsonText.contains("bobs") })

            try await outbound.write(.text("{\"op\":\"ping\"}"))
            _ = try await Self.read(&iterator, until: { $0["type"] == .string("pong") })
            let heartbeat = try await Self.read(&iterator, seconds: 5, until: { $0["type"] == .string("heartbeat") })
            #expect(heartbeat.last?["ts"]?.int64Value != nil)
            try await outbound.write(.text("{\"op\":\"subscribe\",\"channel\":\"book\",\"symbol\":\"NOPE\"}"))
            let unknown = try await Self.read(&iterator, until: { $0["type"] == .string("error") })
            #expect(unknown.last?["code"] == .string("unknown_symbol"))
            try await outbound.close(.normalClosure, reason: nil)
        }
        let metrics = try await server.request("GET", "/metrics").text
        #expect(metrics.contains("bourse_websocket_delivery_seconds_count"))
        #expect(server.stop() == 0)
    }
}
