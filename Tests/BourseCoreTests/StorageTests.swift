import Testing

@testable import BourseCore

/// Collects events for inspection.
struct EventLog: EventSink {
    var events: [Event] = []
    mutating func receive(_ event: Event) { events.append(event) }

    var trades: [Trade] {
        events.compactMap {
            if case .trade(let trade) = $0 { return trade }
            return nil
        }
    }
}

private func limit(_ side: Side, _ quantity: Int64, at price: Int64, account: UInt32 = 1) -> NewOrder {
    NewOrder(
        symbol: SymbolID(0), account: AccountID(account), side: side, type: .limit, quantity: quantity, price: price,
        selfTradePrevention: .none)
}

@Suite("Exchange storage")
struct ExchangeStorageTests {
    @Test("a copy of an engine is independent of the original (slab copy-on-write)")
    func copiesAreIndependent() {
        var original = Exchange()
        _ = original.addInstrument(InstrumentRules())
        var log = EventLog()
        for i in 0..<100 { original.submit(limit(.sell, 10, at: 1000 + Int64(i % 7)), into: &log) }
        var copy = original
        // Trade through the whole ask side in the copy only.
        copy.submit(limit(.buy, 1000, at: 2000), into: &log)
        #expect(copy.liveOrderCount == 0)
        #expect(original.liveOrderCount == 100)
        original.checkInvariants()
        copy.checkInvariants()
        // And the original keeps trading as if nothing happened.
        var originalLog = EventLog()
        original.submit(limit(.buy, 25, at: 1000), into: &originalLog)
        #expect(originalLog.trades.map(\.quantity.lots) == [10, 10, 5])
        original.checkInvariants()
        copy.checkInvariants()
    }

    @Test("order storage is reused once warm: the slab does not grow in steady state")
    func slotsAreReused() {
        var exchange = Exchange()
        _ = exchange.addInstrument(InstrumentRules())
        var log = EventLog()
        for round in 0..<50 {
            for i in 0..<20 { exchange.submit(limit(.buy, 1, at: 100 + Int64(i)), into: &log) }
            for i in 0..<20 {
                exchange.cancel(
                    OrderID(UInt64(round * 20 + i + 1)), account: AccountID(1), symbol: SymbolID(0), into: &log)
            }
            exchange.checkInvariants()
        }
        #expect(exchange.liveOrderCount == 0)
        #expect(exchange.orders.queue.count == 20)
    }
}

@Suite("HandleTable")
struct HandleTableTests {
    struct Record: Keyed {
        var key: UInt64
    }

    @Test(
        "insert, find and remove agree with a dictionary over random operations",
        arguments: [HandleTable.Hashing.sequential, .spread])
    func agreesWithDictionary(hashing: HandleTable.Hashing) {
        var records = Slab<Record>()
        var table = HandleTable(hashing: hashing)
        var expected: [UInt64: UInt32] = [:]
        var state: UInt64 = 0x1234_5678
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
        for _ in 0..<20_000 {
            let key = next() % 3000
            if let handle = expected[key] {
                #expect(table.find(key, in: records) == handle)
                if next() % 2 == 0 {
                    table.remove(key, in: records)
                    expected[key] = nil
                    #expect(table.find(key, in: records) == nil)
                }
            } else {
                #expect(table.find(key, in: records) == nil)
                records.append(Record(key: key))
                let handle = UInt32(records.count - 1)
                table.insert(handle, in: records)
                expected[key] = handle
            }
            #expect(table.count == expected.count)
        }
        for (key, handle) in expected { #expect(table.find(key, in: records) == handle) }
    }
}

@Suite("order records")
struct OrderRecordTests {
    @Test("an order costs 112 bytes: a 64-byte hot record (one cache line) and a 48-byte cold one")
    func recordSizes() {
        #expect(MemoryLayout<OrderQueueEntry>.stride == 64)
        #expect(MemoryLayout<OrderDetails>.stride == 48)
    }
}
