import BourseJSONLines
import Foundation
import Testing

/// The REST API of a real `bourse serve` process (docs/server.md).
@Suite("bourse serve: REST end to end", .serialized)
struct RESTTests {
    static func limitOrder(
        _ side: String, price: String, qty: String, symbol: String = "BTC-USD", clientOrderID: String? = nil
    ) -> String {
        let id = clientOrderID.map { ",\"client_order_id\":\"\($0)\"" } ?? ""
        return
            "{\"symbol\":\"\(symbol)\",\"side\":\"\(side)\",\"type\":\"limit\",\"price\":\"\(price)\",\"qty\":\"\(qty)\"\(id)}"
    }

    @Test("place, trade, replace and cancel: each answer carries the order's status and fills, and the reads agree")
    func placeReplaceCancel() async throws {
        let server = try ServerProcess()
        try server.start()
        let bid = try await server.request(
            "POST", "/api/v1/orders", key: "alice-key",
            body: Self.limitOrder("buy", price: "50000", qty: "0.5", clientOrderID: "a1"))
        #expect(bid.status == 201)
        #expect(bid.body["status"] == .string("new"))
        #expect(bid.body["client_order_id"] == .string("a1"))
        let bidID = try #require(bid.body["order_id"]?.stringValue)

        let ask = try await server.request(
            "POST", "/api/v1/orders", key: "bob-key", body: Self.limitOrder("sell", price: "50000", qty: "0.2"))
        #expect(ask.status == 201)
        #expect(ask.body["status"] == .string("filled"))
        #expect(ask.body["filled_qty"] == .string("0.2000"))
        #expect(ask.body["fills"]?.elements.count == 1)
        #expect(ask.body["fills"]?.elements.first?["price"] == .string("50000.00"))
        // Without a client order id the server makes one up, and the order is found by it.
        let madeUp = try #require(ask.body["client_order_id"]?.stringValue)
        #expect(madeUp.hasPrefix("rest-") && madeUp.count == 37)
        #expect(madeUp.dropFirst(5).allSatisfy { "0123456789abcdef".contains($0) })
        let byMadeUp = try await server.request("GET", "/api/v1/orders/by-client-id/\(madeUp)", key: "bob-key")
        #expect(byMadeUp.body["order_id"] == ask.body["order_id"])

        let book = try await server.request("GET", "/api/v1/marketdata/BTC-USD?depth=5")
        #expect(book.status == 200)
        #expect(book.body["bids"] == .array([.array([.string("50000.00"), .string("0.3000"), .number("1")])]))
        #expect(book.body["asks"] == .array([]))

        let replaced = try await server.request(
            "PATCH", "/api/v1/orders/\(bidID)", key: "alice-key", body: "{\"price\":\"49000\"}")
        #expect(replaced.status == 200)
        #expect(replaced.body["leaves_qty"] == .string("0.3000"))
        let moved = try await server.request("GET", "/api/v1/marketdata/BTC-USD")
        #expect(moved.body["bids"]?.elements.first?.elements.first == .string("49000.00"))

        let open = try await server.request("GET", "/api/v1/orders", key: "alice-key")
        #expect(open.body.elements.map { $0["order_id"] } == [.string(bidID)])
        let byClientID = try await server.request("GET", "/api/v1/orders/by-client-id/a1", key: "alice-key")
        #expect(byClientID.body["order_id"] == .string(bidID))

        let cancelled = try await server.request("DELETE", "/api/v1/orders/\(bidID)", key: "alice-key")
        #expect(cancelled.status == 200)
        #expect(cancelled.body["status"] == .string("cancelled"))
        let empty = try await server.request("GET", "/api/v1/marketdata/BTC-USD")
        #expect(empty.body["bids"] == .array([]))
        #expect(try await server.request("GET", "/api/v1/orders", key: "alice-key").body == .array([]))
        let history = try await server.request("GET", "/api/v1/orders?status=all", key: "alice-key")
        #expect(history.body.elements.first?["status"] == .string("cancelled"))

        let fills = try await server.request("GET", "/api/v1/fills", key: "bob-key")
        #expect(fills.body.elements.count == 1)
        #expect(fills.body.elements.first?["liquidity"] == .string("taker"))
        let positions = try await server.request("GET", "/api/v1/risk/positions", key: "alice-key")
        #expect(positions.body.elements.first?["net_qty"] == .string("0.2000"))
        let balances = try await server.request("GET", "/api/v1/balances", key: "bob-key")
        let btc = balances.body.elements.first { $0["asset"] == .string("BTC") }
        #expect(btc?["total"] == .string("99.8"))

        let trades = try await server.request("GET", "/api/v1/marketdata/BTC-USD/trades")
        #expect(trades.body.elements.count == 1)
        let ticker = try await server.request("GET", "/api/v1/marketdata/BTC-USD/ticker")
        #expect(ticker.body["last"] == .string("50000.00"))
        #expect(ticker.body["volume_24h"] == .string("0.2000"))
        let candles = try await server.request("GET", "/api/v1/marketdata/BTC-USD/candles?interval=5m")
        #expect(candles.body.elements.first?["close"] == .string("50000.00"))

        let massCancel = try await server.request(
            "POST", "/api/v1/orders", key: "alice-key", body: Self.limitOrder("buy", price: "48000", qty: "1"))
        #expect(massCancel.status == 201)
        let all = try await server.request("DELETE", "/api/v1/orders?symbol=BTC-USD", key: "alice-key")
        #expect(all.status == 200)
        #expect(all.body["cancelled"] == .number("1"))
        #expect(server.stop() == 0)
    }

    @Test("every error has its status and a JSON code and message: 400, 401, 403, 404, 409, 413, 422")
    func errorStatuses() async throws {
        let server = try ServerProcess()
        try server.start()
        let cases: [(String, String, String?, String?, Int, String)] = [
            ("POST", "/api/v1/orders", "alice-key", "{not json", 400, "malformed"),
            ("POST", "/api/v1/orders", "alice-key", "[1]", 400, "malformed"),
            (
                "POST", "/api/v1/orders", "alice-key",
                "{\"symbol\":\"BTC-USD\",\"side\":\"buy\",\"type\":\"limit\",\"price\":50000,\"qty\":\"1\"}", 400,
                "malformed"
            ),
            ("GET", "/api/v1/marketdata/BTC-USD?depth=0", nil, nil, 400, "malformed"),
            ("GET", "/api/v1/marketdata/BTC-USD/candles?interval=2m", nil, nil, 400, "malformed"),
            ("POST", "/api/v1/orders", nil, "{}", 401, "unauthorized"),
            ("POST", "/api/v1/orders", "wrong-key", "{}", 401, "unauthorized"),
            (
                "POST", "/api/v1/orders", "test-admin-key", Self.limitOrder("buy", price: "1", qty: "1"), 403,
                "forbidden"
            ),
            ("POST", "/admin/halt", "alice-key", "{}", 403, "forbidden"),
            (
                "POST", "/api/v1/orders", "alice-key",
                "{\"account\":\"bob\",\"symbol\":\"BTC-USD\",\"side\":\"buy\",\"type\":\"limit\",\"price\":\"1\",\"qty\":\"1\"}",
                403, "forbidden"
            ),
            ("GET", "/api/v1/marketdata/NOPE", nil, nil, 404, "unknown_symbol"),
            (
                "POST", "/api/v1/orders", "alice-key", Self.limitOrder("buy", price: "1", qty: "1", symbol: "NOPE"),
                404, "unknown_symbol"
            ),
            ("DELETE", "/api/v1/orders/999", "alice-key", nil, 404, "unknown_order"),
            ("GET", "/api/v1/orders/999", "alice-key", nil, 404, "unknown_order"),
            ("GET", "/no/such/path", nil, nil, 404, "not_found"),
            (
                "POST", "/api/v1/orders", "alice-key",
                Self.limitOrder("buy", price: "100.001", qty: "1", symbol: "AAPL-USD"), 422, "off_tick"
            ),
            (
                "POST", "/api/v1/orders", "alice-key",
                Self.limitOrder("buy", price: "100", qty: "1000000", symbol: "AAPL-USD"), 422, "insufficient_balance"
            ),
            (
                "POST", "/api/v1/orders", "alice-key",
                "{\"symbol\":\"AAPL-USD\",\"side\":\"buy\",\"type\":\"limit\",\"qty\":\"1\"}", 422, "missing_price"
            ),
            (
                "POST", "/api/v1/orders", "alice-key",
                "{\"symbol\":\"AAPL-USD\",\"pad\":\"" + String(repeating: "x", count: 70_000) + "\"}", 413, "too_large"
            ),
        ]
        for (method, path, key, body, status, code) in cases {
            let answer = try await server.request(method, path, key: key, body: body)
            #expect(answer.status == status, "\(method) \(path) \(body?.prefix(80) ?? ""): \(answer.text.prefix(200))")
            #expect(answer.body["code"] == .string(code), "\(method) \(path): \(answer.text.prefix(200))")
            #expect(answer.body["message"]?.stringValue?.isEmpty == false)
        }
        // Admin: an account name with control characters, a short key, a key already taken.
        let badName = try await server.request(
            "POST", "/admin/accounts", key: "test-admin-key", body: "{\"name\":\"a\\tb\"}")
        #expect(badName.status == 400)
        let shortKey = try await server.request(
            "POST", "/admin/accounts", key: "test-admin-key", body: "{\"name\":\"dave\",\"api_key\":\"short\"}")
        #expect(shortKey.status == 400)
        let carol = try await server.request(
            "POST", "/admin/accounts", key: "test-admin-key",
            body: "{\"name\":\"carol\",\"api_key\":\"carol-key-0123456789\"}")
        #expect(carol.status == 201)
        let taken = try await server.request(
            "POST", "/admin/accounts", key: "test-admin-key",
            body: "{\"name\":\"dave\",\"api_key\":\"carol-key-0123456789\"}")
        #expect(taken.status == 409)
        #expect(taken.body["code"] == .string("duplicate_key"))
        // An instrument added by the admin trades at once; adding it again is 409 and changes nothing.
        let eth = "{\"symbol\":\"ETH-USD\",\"tick_size\":\"0.01\",\"lot_size\":\"0.001\"}"
        #expect(try await server.request("POST", "/admin/instruments", key: "test-admin-key", body: eth).status == 201)
        let ethOrder = try await server.request(
            "POST", "/api/v1/orders", key: "alice-key",
            body: Self.limitOrder("buy", price: "3000", qty: "1", symbol: "ETH-USD"))
        #expect(ethOrder.status == 201)
        let again = try await server.request("POST", "/admin/instruments", key: "test-admin-key", body: eth)
        #expect(again.status == 409)
        #expect(again.body["code"] == .string("duplicate_symbol"))
        let ethBook = try await server.request("GET", "/api/v1/marketdata/ETH-USD").body
        #expect(ethBook["bids"]?.elements.count == 1)
        // 409: a client order id the account already uses on an open order.
        let first = try await server.request(
            "POST", "/api/v1/orders", key: "alice-key",
            body: Self.limitOrder("buy", price: "100", qty: "1", symbol: "AAPL-USD", clientOrderID: "dup"))
        #expect(first.status == 201)
        let second = try await server.request(
            "POST", "/api/v1/orders", key: "alice-key",
            body: Self.limitOrder("buy", price: "100", qty: "1", symbol: "AAPL-USD", clientOrderID: "dup"))
        #expect(second.status == 409)
        #expect(second.body["code"] == .string("duplicate_client_order_id"))
        // 422 with the risk reason: the price band of BTC-USD (10% from the last trade).
        _ = try await server.request(
            "POST", "/api/v1/orders", key: "alice-key", body: Self.limitOrder("buy", price: "50000", qty: "0.1"))
        _ = try await server.request(
            "POST", "/api/v1/orders", key: "bob-key", body: Self.limitOrder("sell", price: "50000", qty: "0.1"))
        let banded = try await server.request(
            "POST", "/api/v1/orders", key: "alice-key", body: Self.limitOrder("buy", price: "60000", qty: "0.1"))
        #expect(banded.status == 422)
        #expect(banded.body["code"] == .string("price_band"))
        // A halted symbol rejects with 422 halted; resume lifts it.
        #expect(
            try await server.request("POST", "/admin/halt", key: "test-admin-key", body: "{\"symbol\":\"AAPL-USD\"}")
                .status == 200)
        let halted = try await server.request(
            "POST", "/api/v1/orders", key: "alice-key",
            body: Self.limitOrder("buy", price: "100", qty: "1", symbol: "AAPL-USD"))
        #expect(halted.status == 422)
        #expect(halted.body["code"] == .string("halted"))
        #expect(
            try await server.request("POST", "/admin/resume", key: "test-admin-key", body: "{\"symbol\":\"AAPL-USD\"}")
                .status == 200)
        #expect(
            try await server.request(
                "POST", "/api/v1/orders", key: "alice-key",
                body: Self.limitOrder("buy", price: "100", qty: "1", symbol: "AAPL-USD")
            ).status == 201)
        #expect(server.stop() == 0)
    }

    @Test("429 past the per-key request rate, 503 busy when the intake is full, 503 draining after /admin/drain")
    func rateLimitBusyAndDrain() async throws {
        let server = try ServerProcess(
            configuration: ServerProcess.configuration(extra: "requests_per_second: 20\nintake_capacity: 2"))
        try server.start()
        // 429: alice's key is allowed a burst of 20 and 20 a second after it: requests sent as
        // fast as they go meet a 429 soon after the 20th. (Counted by the first refusal, not
        // by a window of time: on a busy machine 30 requests can take more than a second.)
        var statuses: [Int] = []
        var limited: (status: Int, body: JSONValue)?
        while limited == nil && statuses.count < 500 {
            let answer = try await server.request("GET", "/api/v1/orders", key: "alice-key")
            statuses.append(answer.status)
            if answer.status != 200 { limited = (answer.status, answer.body) }
        }
        #expect(statuses.count > 20, "\(statuses)")
        #expect(limited?.status == 429, "\(statuses)")
        #expect(limited?.body["code"] == .string("rate_limit"))
        // Another key is not limited by alice's use.
        #expect(try await server.request("GET", "/api/v1/orders", key: "bob-key").status == 200)

        // 503 busy: an intake of two slots, many orders at once, each waiting for an fdatasync.
        try await Task.sleep(for: .seconds(1.1))
        let busy = try await withThrowingTaskGroup(of: (Int, JSONValue).self) { group in
            for index in 0..<60 {
                group.addTask {
                    let key = index % 2 == 0 ? "bob-key" : "alice-key"
                    let answer = try await server.request(
                        "POST", "/api/v1/orders", key: key,
                        body: Self.limitOrder("buy", price: "10", qty: "1", symbol: "AAPL-USD"))
                    return (answer.status, answer.body)
                }
            }
            var answers: [(Int, JSONValue)] = []
            for try await answer in group { answers.append(answer) }
            return answers
        }
        #expect(busy.allSatisfy { [201, 429, 503].contains($0.0) }, "\(busy.map(\.0))")
        #expect(busy.contains { $0.0 == 503 && $0.1["code"] == .string("busy") }, "\(busy.map(\.0))")
        #expect(busy.contains { $0.0 == 201 })

        try await Task.sleep(for: .seconds(1.1))
        let drain = try await server.request("POST", "/admin/drain", key: "test-admin-key")
        #expect(drain.status == 202)
        let refused = try await server.request(
            "POST", "/api/v1/orders", key: "bob-key",
            body: Self.limitOrder("buy", price: "10", qty: "1", symbol: "AAPL-USD"))
        #expect(refused.status == 503)
        #expect(refused.body["code"] == .string("draining"))
        let massCancel = try await server.request("DELETE", "/api/v1/orders", key: "bob-key")
        #expect(massCancel.status == 503)
        #expect(massCancel.body["code"] == .string("draining"))
        #expect(try await server.request("GET", "/api/v1/marketdata/AAPL-USD").status == 200)
        #expect(server.stop() == 0)
    }

    @Test("an account sees and touches only its own orders, fills, balances and positions")
    func authIsolation() async throws {
        let server = try ServerProcess()
        try server.start()
        let alice = try await server.request(
            "POST", "/api/v1/orders", key: "alice-key",
            body: Self.limitOrder("buy", price: "50000", qty: "1", clientOrderID: "mine"))
        let aliceOrder = try #require(alice.body["order_id"]?.stringValue)
        _ = try await server.request(
            "POST", "/api/v1/orders", key: "bob-key", body: Self.limitOrder("sell", price: "50000", qty: "0.5"))

        #expect(try await server.request("GET", "/api/v1/orders/\(aliceOrder)", key: "bob-key").status == 404)
        #expect(try await server.request("GET", "/api/v1/orders/by-client-id/mine", key: "bob-key").status == 404)
        #expect(try await server.request("DELETE", "/api/v1/orders/\(aliceOrder)", key: "bob-key").status == 404)
        #expect(
            try await server.request("DELETE", "/api/v1/orders/\(aliceOrder)?symbol=BTC-USD", key: "bob-key").status
                == 404)
        #expect(
            try await server.request(
                "PATCH", "/api/v1/orders/\(aliceOrder)?symbol=BTC-USD", key: "bob-key", body: "{\"qty\":\"2\"}"
            ).status == 404)
        let bobsMassCancel = try await server.request("DELETE", "/api/v1/orders", key: "bob-key")
        #expect(bobsMassCancel.body["cancelled"] == .number("0"))
        #expect(try await server.request("GET", "/api/v1/orders", key: "bob-key").body == .array([]))
        #expect(try await server.request("GET", "/api/v1/orders", key: "alice-key").body.elements.count == 1)

        let bobFills = try await server.request("GET", "/api/v1/fills", key: "bob-key").body.elements
        #expect(bobFills.map { $0["liquidity"] } == [.string("taker")])
        let aliceFills = try await server.request("GET", "/api/v1/fills", key: "alice-key").body.elements
        #expect(aliceFills.map { $0["order_id"] } == [.string(aliceOrder)])
        for key in ["alice-key", "bob-key"] {
            let account: JSONValue = .string(key == "alice-key" ? "alice" : "bob")
            let balances = try await server.request("GET", "/api/v1/balances", key: key).body.elements
            #expect(!balances.isEmpty && balances.allSatisfy { $0["account"] == account })
            let positions = try await server.request("GET", "/api/v1/risk/positions", key: key).body.elements
            #expect(!positions.isEmpty && positions.allSatisfy { $0["account"] == account })
        }
        #expect(server.stop() == 0)
    }

    @Test(
        "a restart keeps the book, open orders, balances and API keys added at run time, and after SIGTERM the history")
    func restartKeepsEverything() async throws {
        let server = try ServerProcess()
        try server.start()
        let added = try await server.request(
            "POST", "/admin/accounts", key: "test-admin-key",
            body: "{\"name\":\"carol\",\"mode\":\"credit\",\"api_key\":\"carol-key-0123456789\"}")
        #expect(added.status == 201)
        let resting = try await server.request(
            "POST", "/api/v1/orders", key: "alice-key",
            body: Self.limitOrder("buy", price: "50000", qty: "1", clientOrderID: "keep"))
        let orderID = try #require(resting.body["order_id"]?.stringValue)
        _ = try await server.request(
            "POST", "/api/v1/orders", key: "carol-key-0123456789",
            body: Self.limitOrder("sell", price: "50000", qty: "0.25"))
        let book = try await server.request("GET", "/api/v1/marketdata/BTC-USD").body
        let balances = try await server.request("GET", "/api/v1/balances", key: "alice-key").body
        #expect(server.stop() == 0)

        try server.start()
        #expect(try await server.request("GET", "/ready").status == 200)
        #expect(try await server.request("GET", "/api/v1/marketdata/BTC-USD").body["bids"] == book["bids"])
        #expect(try await server.request("GET", "/api/v1/balances", key: "alice-key").body == balances)
        let open = try await server.request("GET", "/api/v1/orders", key: "alice-key").body.elements
        #expect(open.map { $0["order_id"] } == [.string(orderID)])
        #expect(open.first?["leaves_qty"] == .string("0.7500"))
        // After a SIGTERM the history is back too: the order as it was, fills, the tape, candles.
        #expect(open.first?["filled_qty"] == .string("0.2500"))
        #expect(open.first?["client_order_id"] == .string("keep"))
        #expect(try await server.request("GET", "/api/v1/fills", key: "alice-key").body.elements.count == 1)
        #expect(
            try await server.request("GET", "/api/v1/orders?status=all", key: "carol-key-0123456789").body.elements
                .first?["status"] == .string("filled"))
        #expect(try await server.request("GET", "/api/v1/marketdata/BTC-USD/trades").body.elements.count == 1)
        #expect(try await server.request("GET", "/api/v1/marketdata/BTC-USD/candles").body.elements.count == 1)
        #expect(try await server.request("GET", "/api/v1/orders", key: "carol-key-0123456789").status == 200)

        // SIGKILL after an acknowledged order: the order is there after the restart.
        let acknowledged = try await server.request(
            "POST", "/api/v1/orders", key: "bob-key", body: Self.limitOrder("sell", price: "51000", qty: "1"))
        #expect(acknowledged.status == 201)
        server.kill()
        try server.start()
        let asks = try await server.request("GET", "/api/v1/marketdata/BTC-USD").body["asks"]
        #expect(asks == .array([.array([.string("51000.00"), .string("1.0000"), .number("1")])]))
        // The cancel of a recovered order works without naming its symbol.
        #expect(try await server.request("DELETE", "/api/v1/orders/\(orderID)", key: "alice-key").status == 200)
        #expect(server.stop() == 0)
    }

    @Test("the sample configuration's public keys are served on a loopback address only")
    func sampleStaysOnLoopback() throws {
        let process = Process()
        process.executableURL = ServerProcess.executable
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bourse-sample-\(UUID().uuidString)")
        process.arguments = ["serve", "--host", "0.0.0.0", "--port", "0", "--data", folder.path]
        let output = Pipe()
        process.standardError = output
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus != 0)
        #expect(text.contains("127.0.0.1 only"))
        #expect(!FileManager.default.fileExists(atPath: folder.path))
    }

    @Test(
        "a command whose events come in several output chunks is answered and applied whole (a mass cancel of 300 orders)"
    )
    func longAnswersAreWhole() async throws {
        // A 16 KiB output ring cuts a command's events into 4 KiB chunks, about 25 events each.
        let server = try ServerProcess(configuration: ServerProcess.configuration(extra: "output_bytes: 16384"))
        try server.start()
        try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<300 {
                group.addTask {
                    let price = String(40_000 + index)
                    return try await server.request(
                        "POST", "/api/v1/orders", key: "alice-key",
                        body: Self.limitOrder("buy", price: price, qty: "0.01")
                    ).status
                }
            }
            for try await status in group { #expect(status == 201) }
        }
        let before = try await server.request("GET", "/api/v1/marketdata/BTC-USD?depth=1000").body
        #expect(before["bids"]?.elements.count == 300)
        let cancelled = try await server.request("DELETE", "/api/v1/orders", key: "alice-key")
        #expect(cancelled.status == 200)
        #expect(cancelled.body["cancelled"] == .number("300"))
        #expect(cancelled.body["events"]?.elements.count ?? 0 > 600)
        let after = try await server.request("GET", "/api/v1/marketdata/BTC-USD?depth=1000").body
        #expect(after["bids"] == .array([]))
        // One command, one step of the book's sequence number.
        #expect(after["seq"]?.int64Value == before["seq"]!.int64Value! + 1)
        #expect(try await server.request("GET", "/api/v1/orders", key: "alice-key").body == .array([]))
        #expect(server.stop() == 0)
    }
}
