import BourseJSONLines
import BourseVenue
import Testing

@testable import BourseMarketData

/// The WebSocket's streams without a network: snapshots and deltas, merging, slow subscribers.
@Suite("Market data streams")
struct StreamHubTests {
    static let instrument = InstrumentText(symbol: "ACME", tick: UnitSize("0.01")!, lot: UnitSize("1")!)

    /// Random book events: levels appear, change and go.
    struct Events {
        var state: UInt64
        var levels: [String: Int] = [:]

        mutating func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }

        /// One command's events: one to three level changes.
        mutating func command() -> [JSONValue] {
            (0..<(1 + Int(next() % 3))).map { _ in
                let buy = next() % 2 == 0
                let price = buy ? 9_000 + Int(next() % 100) : 10_000 + Int(next() % 100)
                let key = (buy ? "b" : "s") + String(price)
                let qty = next() % 4 == 0 ? 0 : Int(next() % 50) + 1
                levels[key] = qty == 0 ? nil : qty
                return .object([
                    ("event", .string("book")), ("symbol", .string("ACME")), ("side", .string(buy ? "buy" : "sell")),
                    ("price", .string(String(format: "%d.%02d", price / 100, price % 100))),
                    ("qty", .string(String(qty))), ("orders", .number(qty == 0 ? "0" : "1")),
                ])
            }
        }
    }

    static func frames(_ delivery: StreamHub.Delivery) -> [JSONValue] {
        guard case .frames(let frames) = delivery else { return [] }
        return frames.map { try! JSONParser.parse($0.text) }
    }

    @Test("a book snapshot then its deltas rebuild the book exactly, however the subscriber's reads fall")
    func snapshotAndDeltasRebuildTheBook() async throws {
        for seed: UInt64 in [1, 2, 3, 4, 5] {
            let marketData = MarketData(hub: StreamHub(capacity: 1 << 20, batch: 7))
            marketData.addInstrument(Self.instrument)
            var events = Events(state: seed)
            for _ in 0..<50 { marketData.apply(events.command()) }
            let early = marketData.hub.connect()
            #expect(marketData.subscribeBook(early, symbol: "ACME"))
            var earlyBook = BookFollower()
            var late: Int?
            var lateBook = BookFollower()
            for round in 0..<400 {
                marketData.apply(events.command())
                if round == 150 {
                    late = marketData.hub.connect()
                    #expect(marketData.subscribeBook(late!, symbol: "ACME"))
                }
                // The early client reads now and then; its deltas come merged.
                if events.next() % 5 == 0 {
                    for message in Self.frames(await marketData.hub.next(early)) { earlyBook.receive(message) }
                }
            }
            let target = UInt64(marketData.depth("ACME", levels: 1000)!["seq"]!.int64Value!)
            while earlyBook.seq < target {
                for message in Self.frames(await marketData.hub.next(early)) { earlyBook.receive(message) }
            }
            while lateBook.seq < target {
                for message in Self.frames(await marketData.hub.next(late!)) { lateBook.receive(message) }
            }
            let rest = marketData.depth("ACME", levels: 1000)!
            for book in [earlyBook, lateBook] {
                #expect(book.gaps == 0)
                #expect(book.levels.bids == rest["bids"]!.elements, "seed \(seed)")
                #expect(book.levels.asks == rest["asks"]!.elements, "seed \(seed)")
            }
        }
    }

    @Test("deltas waiting for a subscriber are merged: first_seq to seq, every change in order")
    func deltasMerge() async throws {
        let marketData = MarketData()
        marketData.addInstrument(Self.instrument)
        let subscriber = marketData.hub.connect()
        #expect(marketData.subscribeBook(subscriber, symbol: "ACME"))
        #expect(Self.frames(await marketData.hub.next(subscriber)).first?["type"] == .string("snapshot"))
        var events = Events(state: 9)
        for _ in 0..<3 { marketData.apply(events.command()) }
        let frames = Self.frames(await marketData.hub.next(subscriber))
        #expect(frames.count == 1)
        #expect(frames.first?["first_seq"] == .number("1"))
        #expect(frames.first?["seq"] == .number("3"))
    }

    @Test("a subscriber that falls behind the kept messages is dropped with slow_consumer; the others go on")
    func slowSubscriberIsDropped() async throws {
        let hub = StreamHub(capacity: 16)
        let marketData = MarketData(hub: hub)
        marketData.addInstrument(Self.instrument)
        let slow = hub.connect()
        let keeping = hub.connect()
        #expect(marketData.subscribeBook(slow, symbol: "ACME"))
        #expect(marketData.subscribeBook(keeping, symbol: "ACME"))
        var events = Events(state: 3)
        var keptBook = BookFollower()
        for _ in 0..<100 {
            marketData.apply(events.command())
            for message in Self.frames(await hub.next(keeping)) { keptBook.receive(message) }
        }
        guard case .dropped(let code, _) = await hub.next(slow) else {
            Issue.record("the slow subscriber was not dropped")
            return
        }
        #expect(code == "slow_consumer")
        guard case .closed = await hub.next(slow) else {
            Issue.record("a dropped subscriber gets nothing more")
            return
        }
        #expect(hub.counters.drops == 1)
        #expect(keptBook.gaps == 0)
        #expect(keptBook.levels.bids == marketData.depth("ACME", levels: 1000)!["bids"]!.elements)
    }

    @Test("a subscriber gets only its topics: another symbol's book, and other accounts' orders, stay out")
    func topicsSelect() async throws {
        let marketData = MarketData()
        marketData.addInstrument(Self.instrument)
        marketData.addInstrument(InstrumentText(symbol: "OTHER", tick: UnitSize("0.01")!, lot: UnitSize("1")!))
        let subscriber = marketData.hub.connect()
        #expect(marketData.subscribe(subscriber, to: .orders("alice")))
        #expect(marketData.subscribe(subscriber, to: .trades("ACME")))
        #expect(!marketData.subscribe(subscriber, to: .trades("NOPE")))
        func accepted(_ id: String, _ account: String, _ symbol: String) -> JSONValue {
            .object([
                ("event", .string("accepted")), ("order_id", .string(id)), ("client_order_id", .string("c" + id)),
                ("account", .string(account)), ("symbol", .string(symbol)), ("side", .string("buy")),
                ("type", .string("limit")), ("qty", .string("1")), ("price", .string("1.00")), ("tif", .string("gtc")),
            ])
        }
        func trade(_ symbol: String) -> JSONValue {
            .object([
                ("event", .string("trade")), ("trade_id", .string("1")), ("symbol", .string(symbol)),
                ("price", .string("1.00")), ("qty", .string("1")), ("maker_order_id", .string("1")),
                ("taker_order_id", .string("2")), ("maker_account", .string("alice")),
                ("taker_account", .string("bob")), ("aggressor", .string("sell")),
            ])
        }
        marketData.apply([accepted("1", "alice", "ACME")])
        marketData.apply([accepted("2", "bob", "OTHER")])
        marketData.apply([trade("OTHER")])
        marketData.apply([trade("ACME")])
        let frames = Self.frames(await marketData.hub.next(subscriber))
        let kinds = frames.map { "\($0["channel"]!.stringValue!)/\($0["type"]!.stringValue!)" }
        // alice's order; her fill of the OTHER trade; the ACME trade and her fill in it.
        #expect(kinds == ["orders/order", "orders/fill", "trades/trade", "orders/fill"])
        #expect(frames[0]["order"]?["account"] == .string("alice"))
        #expect(frames[2]["maker_account"] == nil)
    }

    static func entry(_ topic: StreamHub.Topic, _ text: String) -> StreamHub.Entry {
        StreamHub.Entry(topic: topic, text: text, seq: 0, published: 1)
    }

    @Test("a subscriber waiting for a quiet topic is not dropped while other topics fill the log")
    func quietSubscriberIsNotDropped() async throws {
        let hub = StreamHub(capacity: 16)
        let quiet = hub.connect()
        hub.subscribe(quiet, to: .trades("QUIET"))
        let waiting = Task { await hub.next(quiet) }
        try await Task.sleep(for: .milliseconds(50))
        for index in 0..<200 { hub.publish([Self.entry(.trades("BUSY"), "{\"n\":\(index)}")]) }
        hub.publish([Self.entry(.trades("QUIET"), "{\"quiet\":1}")])
        guard case .frames(let frames) = await waiting.value else {
            Issue.record("the quiet subscriber was dropped")
            return
        }
        #expect(frames.map(\.text) == ["{\"quiet\":1}"])
        #expect(hub.counters.drops == 0)
    }

    @Test("messages of a topic published before a subscription are not sent after it")
    func noMessagesFromBeforeTheSubscription() async throws {
        let hub = StreamHub()
        let early = hub.connect()
        let late = hub.connect()
        hub.subscribe(early, to: .trades("ACME"))
        hub.publish([Self.entry(.trades("ACME"), "old")])
        hub.subscribe(late, to: .trades("ACME"), snapshot: "hello")
        hub.publish([Self.entry(.trades("ACME"), "new")])
        guard case .frames(let frames) = await hub.next(late) else {
            Issue.record("no frames")
            return
        }
        #expect(frames.map(\.text) == ["hello", "new"])
        guard case .frames(let earlyFrames) = await hub.next(early) else {
            Issue.record("no frames")
            return
        }
        #expect(earlyFrames.map(\.text) == ["old", "new"])
    }

    @Test("a connection that piles up more than 1,024 unread answers is dropped, and its requests stop")
    func unreadAnswersDropTheSubscriber() async throws {
        let hub = StreamHub()
        let subscriber = hub.connect()
        for _ in 0...StreamHub.pendingLimit { hub.reply(subscriber, "{\"type\":\"pong\"}") }
        #expect(hub.isDropped(subscriber))
        guard case .dropped(let code, _) = await hub.next(subscriber) else {
            Issue.record("not dropped")
            return
        }
        #expect(code == "slow_consumer")
    }

    @Test("shutting down ends every waiting subscriber once; disconnecting afterwards is safe")
    func shutDownThenDisconnect() async throws {
        let hub = StreamHub()
        let subscriber = hub.connect()
        let waiting = Task { await hub.next(subscriber) }
        try await Task.sleep(for: .milliseconds(50))
        hub.shutDown()
        guard case .closed = await waiting.value else {
            Issue.record("not closed")
            return
        }
        hub.disconnect(subscriber)
        hub.reply(subscriber, "{}")
    }
}
