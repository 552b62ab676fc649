import BourseCore
import BourseJSONLines
import BourseVenue
import ContractReference
import Testing

/// The journal's two promises about the venue, on seeded random contract streams: a command survives its
/// binary form unchanged, and a venue rebuilt from its encoded state answers every later command exactly as
/// the venue that never stopped (same events, same state hash).
@Suite("venue state: command binary form, snapshot and state hash")
struct VenueStateTests {
    /// Random contract lines, with the reference exchange steering the generator towards live orders.
    static func randomLines(seed: UInt64, count: Int) -> [String] {
        var reference = ReferenceExchange()
        var stream = RandomCommandStream(seed: seed)
        var lines: [String] = []
        for _ in 0..<count {
            let line = stream.nextLine(state: reference)
            _ = reference.process(line: line)
            lines.append(line)
        }
        return lines
    }

    /// Random lines of the risk layer's stream (accounts, balances, limits, breakers) after its setup.
    static func randomRiskLines(seed: UInt64, count: Int) -> [String] {
        var stream = RandomRiskStream(seed: seed)
        return RandomRiskStream.setup + (0..<count).map { _ in stream.nextLine() }
    }

    /// Applies a parsed line and returns its events as JSON lines.
    static func apply(_ line: ParsedLine, to venue: inout Venue) -> [String] {
        var writer = JSONEventWriter()
        switch line {
        case .blank: break
        case .command(let command, let ts): venue.apply(command, ts: ts, into: &writer)
        case .malformed(let echo, let message): venue.rejectMalformed(echo: echo, message: message, into: &writer)
        }
        return writer.lines
    }

    @Test(
        "every command decodes from its binary form to the same command, trading ones of their exact size (contract and risk streams)",
        arguments: [(21, false), (22, false), (23, false), (24, true)] as [(UInt64, Bool)])
    func commandBinaryRoundTrip(seed: UInt64, risk: Bool) throws {
        var decodedCount = 0
        let lines = risk ? Self.randomRiskLines(seed: seed, count: 5_000) : Self.randomLines(seed: seed, count: 5_000)
        for line in lines {
            guard case .command(let command, _) = CommandParser.parse(line) else { continue }
            try Self.expectExactPayloadSize(command)
            decodedCount += 1
        }
        #expect(decodedCount > 4_000)
    }

    /// The trading commands' payloads are written through a cursor bounded by `cursorPayloadSize`: the bound must be
    /// the payload's exact size (a smaller one stops the program, a larger one would hide a missing term).
    static func expectExactPayloadSize(_ command: Command) throws {
        var writer = BinaryWriter()
        writer.byte(0xAB)  // appended after what is already there
        command.encode(into: &writer)
        if let size = command.cursorPayloadSize { #expect(writer.count - 1 == size, "\(command)") }
        let decoded = try writer.bytes.withUnsafeBytes { bytes in
            var reader = BinaryReader(UnsafeRawBufferPointer(rebasing: bytes[1...]))
            return try Command.decode(kind: command.kind.rawValue, from: &reader)
        }
        #expect(writer.bytes.first == 0xAB)
        #expect(decoded == command)
    }

    @Test("trading commands with every optional field, text decimals and long names: exact payload size, same command")
    func largestTradingCommandsRoundTrip() throws {
        let long = String(repeating: "é-ü-", count: 300)  // 1,800 bytes of UTF-8: a two-byte length
        let text = DecimalValue("12345678901234567890123456789.123456789")!  // more than 18 digits: kept as text
        let big = DecimalValue(999_999_999_999_999_999)  // the largest small decimal: a 9-byte varint
        let commands: [Command] = [
            .newOrder(
                NewOrderCommand(
                    symbol: "BTC-USD", account: "a", clientOrderID: long, side: .sell, type: .stopLimit,
                    quantity: text, price: big, stopPrice: text, timeInForce: .goodTillDate, expireAt: .min,
                    postOnly: true, displayQuantity: big, selfTradePrevention: .cancelBoth)),
            .newOrder(
                NewOrderCommand(
                    symbol: "S", account: "ü", clientOrderID: "c", side: .buy, type: .stopLimit, quantity: big,
                    price: text, stopPrice: big, timeInForce: .goodTillDate, expireAt: .max, displayQuantity: text)),
            .newOrder(
                NewOrderCommand(
                    symbol: "", account: "", clientOrderID: "", side: .buy, type: .market, quantity: DecimalValue(0),
                    timeInForce: .goodTillDate, expireAt: 0)),
            .cancel(
                CancelCommand(symbol: long, account: long, order: OrderReference(orderID: long, clientOrderID: long))),
            .cancel(CancelCommand(symbol: "S", account: "a", order: OrderReference(clientOrderID: ""))),
            .replace(
                ReplaceCommand(
                    symbol: "BTC-USD", account: long, order: OrderReference(orderID: "7", clientOrderID: long),
                    price: text, quantity: big, stopPrice: text, newClientOrderID: long)),
            .replace(ReplaceCommand(symbol: "S", account: "a", order: OrderReference(orderID: "7"), quantity: text)),
        ]
        for command in commands { try Self.expectExactPayloadSize(command) }
    }

    @Test("every command written back as a JSON line (journal dump) reads back as the same command")
    func commandJSONRoundTrip() {
        let lines = Self.randomLines(seed: 24, count: 5_000) + Self.randomRiskLines(seed: 25, count: 3_000)
        for (index, line) in lines.enumerated() {
            guard case .command(let command, let ts) = CommandParser.parse(line) else { continue }
            let text = CommandJSON.line(command, ts: ts, seq: UInt64(index + 1))
            guard case .command(let again, let againTs) = CommandParser.parse(text) else {
                Issue.record("\(text) does not parse as a command (from \(line))")
                continue
            }
            #expect(again == command && againTs == ts, "\(line) became \(text)")
        }
    }

    @Test("a truncated or padded payload is an error, not a different command")
    func damagedPayloadIsAnError() {
        let command = Command.newOrder(
            NewOrderCommand(
                symbol: "X", account: "alice", clientOrderID: "a1", side: .buy, type: .limit, quantity: DecimalValue(1),
                price: DecimalValue("10.5")))
        var writer = BinaryWriter()
        command.encode(into: &writer)
        let bytes = writer.bytes
        for cut in 0..<bytes.count {
            let prefix = Array(bytes[..<cut])
            #expect(throws: BinaryReader.DecodingError.self) {
                try prefix.withUnsafeBytes { raw in
                    var reader = BinaryReader(raw)
                    _ = try Command.decode(kind: command.kind.rawValue, from: &reader)
                }
            }
        }
        #expect(throws: BinaryReader.DecodingError.self) {
            try (bytes + [0]).withUnsafeBytes { raw in
                var reader = BinaryReader(raw)
                _ = try Command.decode(kind: command.kind.rawValue, from: &reader)
            }
        }
        #expect(throws: BinaryReader.DecodingError.self) {
            try bytes.withUnsafeBytes { raw in
                var reader = BinaryReader(raw)
                _ = try Command.decode(kind: 0, from: &reader)
            }
        }
    }

    @Test(
        "a venue rebuilt from its encoded state answers the rest of the stream like the one that never stopped",
        arguments: [(31, false), (32, false), (33, false), (34, false), (35, true), (36, true)] as [(UInt64, Bool)])
    func snapshotThenTailEqualsFullReplay(seed: UInt64, risk: Bool) throws {
        let text = risk ? Self.randomRiskLines(seed: seed, count: 8_000) : Self.randomLines(seed: seed, count: 8_000)
        let lines = text.map { CommandParser.parse($0) }
        let cuts = [0, 1, 500, 2_000, 4_321, 7_999]
        var venue = Venue()
        var answers: [[String]] = []
        var states: [Int: [UInt8]] = [:]
        for (index, line) in lines.enumerated() {
            if cuts.contains(index) { states[index] = venue.encodedState }
            answers.append(Self.apply(line, to: &venue))
        }
        let finalHash = venue.stateHash
        // (A risk stream may end with a kill switch that cancelled everything.)
        #expect(risk || venue.liveOrderCount > 0, "the stream should leave orders in the books")
        for cut in cuts {
            let state = try #require(states[cut])
            var restored = try state.withUnsafeBytes { try Venue(decodingState: $0) }
            restored.checkInvariants()
            let same = restored.encodedState == state
            #expect(same, "cut \(cut): the rebuilt venue encodes differently")
            for index in cut..<lines.count {
                let answer = Self.apply(lines[index], to: &restored)
                if answer != answers[index] {
                    Issue.record("cut \(cut), line \(index): \(answer) instead of \(answers[index])")
                    break
                }
            }
            restored.checkInvariants()
            #expect(restored.stateHash == finalHash, "cut \(cut): the state hash differs after the tail")
        }
    }

    @Test("the state hash changes with the state and not with the way it was reached")
    func stateHashTracksState() throws {
        func venue(_ lines: [String]) -> Venue {
            var venue = Venue()
            for line in lines { _ = Self.apply(CommandParser.parse(line), to: &venue) }
            return venue
        }
        let setup = [
            #"{"cmd":"add_instrument","symbol":"X","tick_size":"0.01","lot_size":"1"}"#,
            #"{"cmd":"new_order","symbol":"X","account":"a","client_order_id":"1","side":"buy","type":"limit","qty":"5","price":"10"}"#,
        ]
        let placedThenCancelled =
            setup + [
                #"{"cmd":"new_order","symbol":"X","account":"a","client_order_id":"2","side":"buy","type":"limit","qty":"5","price":"9"}"#,
                #"{"cmd":"cancel","symbol":"X","account":"a","client_order_id":"2"}"#,
            ]
        // The same book, but the order id counter moved: a different state.
        #expect(venue(setup).stateHash != venue(placedThenCancelled).stateHash)
        // A rejected command changes nothing that matters.
        let rejected = setup + [#"{"cmd":"cancel","symbol":"X","account":"a","order_id":"77"}"#]
        #expect(venue(setup).stateHash == venue(rejected).stateHash)
        let hash = venue(setup).stateHash
        #expect(hash.count == 64 && hash.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) })
    }

    @Test("encoded state that is damaged is refused with an error")
    func damagedStateIsRefused() {
        var venue = Venue()
        for line in Self.randomLines(seed: 41, count: 500) { _ = Self.apply(CommandParser.parse(line), to: &venue) }
        let state = venue.encodedState
        var refused = 0
        for cut in stride(from: 0, to: state.count, by: max(1, state.count / 200)) {
            let prefix = Array(state[..<cut])
            if (try? prefix.withUnsafeBytes { try Venue(decodingState: $0) }) == nil { refused += 1 }
        }
        #expect(refused == (0..<state.count).filter { $0 % max(1, state.count / 200) == 0 }.count)
    }
}
