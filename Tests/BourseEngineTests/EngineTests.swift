import BourseCore
import BourseJSONLines
import BourseJournal
import BourseVenue
import ContractReference
import Foundation
import Logging
import Testing

@testable import BourseEngine

/// A fresh data folder under the system's temporary folder, removed when the test is done.
final class DataFolderFixture {
    let path: String

    init() {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("bourse-engine-\(UUID().uuidString)").path
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func files(_ sub: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: path + "/" + sub)) ?? []).sorted()
    }
}

/// Collects what an engine's output ring releases, on a thread of its own.
final class OutputCollector: @unchecked Sendable {
    private let consumer: OutputConsumer
    private let done = DispatchSemaphore(value: 0)
    private(set) var bytes: [UInt8] = []
    private(set) var seqs: [UInt64] = []
    /// Records released before the engine said their commands were durable.
    private(set) var releasedEarly = 0

    init<Encoder>(_ engine: Engine<Encoder>) {
        consumer = engine.makeConsumer()
        Thread {
            while self.consumer.wait() {
                self.consumer.poll { record in
                    if record.seq > engine.statistics.durableSeq { self.releasedEarly += 1 }
                    self.bytes.append(contentsOf: record.events)
                    if record.isLast { self.seqs.append(record.seq) }
                }
            }
            self.done.signal()
        }.start()
    }

    /// Waits until the engine stopped and everything was read.
    func finish() -> String {
        done.wait()
        return String(decoding: bytes, as: UTF8.self)
    }
}

let quietLogger: Logger = {
    var logger = Logger(label: "test")
    logger.logLevel = .critical
    return logger
}()

/// Random contract lines, steered by the reference exchange towards live orders.
func randomLines(seed: UInt64, count: Int) -> [String] {
    var reference = ReferenceExchange()
    var stream = RandomCommandStream(seed: seed)
    return (0..<count).map { _ in
        let line = stream.nextLine(state: reference)
        _ = reference.process(line: line)
        return line
    }
}

/// What the in-memory session answers for `lines`, as JSON lines ended by newlines.
func sessionOutput(_ lines: some Sequence<String>) -> String {
    var session = JSONLinesSession()
    var events: [String] = []
    for line in lines { session.process(line: line, into: &events) }
    return events.map { $0 + "\n" }.joined()
}

/// Runs `lines` through an engine on `folder` (recovering what is there first) and returns
/// its output, its recovery report and its state hash after stopping.
func runEngine(
    _ lines: some Sequence<String>, folder: String, configure: (inout EngineConfiguration) -> Void = { _ in }
) throws -> (output: String, recovery: RecoveryReport, hash: String, releasedEarly: Int) {
    var configuration = EngineConfiguration(dataFolder: folder)
    configuration.outputBytes = 1 << 16
    configuration.journalBufferBytes = 1 << 16
    configure(&configuration)
    let engine = try Engine<JSONLinesEncoder>(configuration: configuration, logger: quietLogger)
    let collector = OutputCollector(engine)
    engine.start()
    for line in lines {
        let result: SubmitResult
        switch CommandParser.parse(line) {
        case .blank: continue
        case .command(let command, let ts): result = submitWaiting { engine.submit(command, ts: ts) }
        case .malformed(let echo, let message):
            result = submitWaiting { engine.submitMalformed(echo: echo, message: message) }
        }
        #expect(result == .accepted)
    }
    engine.stop()
    return (collector.finish(), engine.recovery, engine.stateHash, collector.releasedEarly)
}

func submitWaiting(_ attempt: () -> SubmitResult) -> SubmitResult {
    while true {
        let result = attempt()
        if result != .busy { return result }
        sched_yield()
    }
}

@Suite("engine: sequencer, journal, recovery", .serialized)
struct EngineTests {
    @Test("the engine answers a random stream exactly like the in-memory session, only after each batch is durable")
    func sameEventsAsTheSession() throws {
        let folder = DataFolderFixture()
        let lines = randomLines(seed: 51, count: 6_000)
        let run = try runEngine(lines, folder: folder.path)
        #expect(run.output == sessionOutput(lines))
        #expect(run.releasedEarly == 0)
        #expect(run.recovery.lastSeq == 0 && run.recovery.replayed == 0)
    }

    @Test(
        "the risk layer through the engine: the session's events, and restarts and snapshots give the same events and hash"
    )
    func riskStreamThroughTheEngine() throws {
        var stream = RandomRiskStream(seed: 57)
        let lines = RandomRiskStream.setup + (0..<5_000).map { _ in stream.nextLine() }
        let whole = DataFolderFixture()
        let uninterrupted = try runEngine(lines, folder: whole.path) { $0.snapshotEvery = 1_009 }
        #expect(uninterrupted.output == sessionOutput(lines))
        #expect(uninterrupted.output.contains(#""event":"balance""#))
        let folder = DataFolderFixture()
        var output = ""
        var start = 0
        var hash = ""
        for (end, snapshotOnStop) in [(900, false), (2_600, true), (lines.count, false)] {
            let run = try runEngine(lines[start..<end], folder: folder.path) {
                $0.snapshotOnStop = snapshotOnStop
                $0.snapshotEvery = 700
            }
            output += run.output
            hash = run.hash
            start = end
        }
        #expect(output == uninterrupted.output)
        #expect(hash == uninterrupted.hash)
        // A full replay of the journal (no snapshots) gives the same state.
        for name in folder.files("snapshots") {
            try FileManager.default.removeItem(atPath: folder.path + "/snapshots/" + name)
        }
        let replayed = try runEngine([String](), folder: folder.path) { $0.snapshotOnStop = false }
        #expect(replayed.recovery.snapshotSeq == nil && replayed.hash == uninterrupted.hash)
    }

    @Test(
        "stopping and starting again anywhere in a stream gives the events and state hash of one uninterrupted run",
        arguments: [(52, false), (53, true)] as [(UInt64, Bool)])
    func restartAnywhere(seed: UInt64, snapshotOnStop: Bool) throws {
        let lines = randomLines(seed: seed, count: 5_000)
        let whole = DataFolderFixture()
        let uninterrupted = try runEngine(lines, folder: whole.path)
        let folder = DataFolderFixture()
        var output = ""
        var hash = ""
        var start = 0
        for end in [700, 701, 2_500, 5_000] {
            let run = try runEngine(lines[start..<end], folder: folder.path) { $0.snapshotOnStop = snapshotOnStop }
            if start > 0 {
                #expect(run.recovery.lastSeq > 0)
                #expect((run.recovery.snapshotSeq != nil) == snapshotOnStop)
                #expect(snapshotOnStop ? run.recovery.replayed == 0 : run.recovery.replayed > 0)
            }
            output += run.output
            hash = run.hash
            start = end
        }
        #expect(output == uninterrupted.output)
        #expect(hash == uninterrupted.hash)
    }

    @Test(
        "periodic snapshots: recovery from the newest one plus the journal after it equals a full replay",
        arguments: [61, 62, 63] as [UInt64])
    func snapshotPlusTailEqualsFullReplay(seed: UInt64) throws {
        let lines = randomLines(seed: seed, count: 6_000)
        let folder = DataFolderFixture()
        let first = try runEngine(lines, folder: folder.path) {
            $0.snapshotEvery = 997
            $0.snapshotOnStop = false
            $0.segmentBytes = 16 << 10
        }
        let snapshots = folder.files("snapshots")
        #expect(snapshots.count == 3, "the newest three are kept: \(snapshots)")
        #expect(folder.files("journal").filter { $0.hasSuffix(".log") }.count > 3)
        // Recovery: newest snapshot, then the tail of the journal.
        let resumed = try runEngine([String](), folder: folder.path) { $0.snapshotOnStop = false }
        let newest = try #require(resumed.recovery.snapshotSeq)
        #expect(newest >= 4_985 && resumed.recovery.replayed == Int(resumed.recovery.lastSeq - newest))
        #expect(resumed.hash == first.hash)
        // A full replay (snapshots removed) gives the same hash.
        for name in snapshots { try FileManager.default.removeItem(atPath: folder.path + "/snapshots/" + name) }
        let replayed = try runEngine([String](), folder: folder.path) { $0.snapshotOnStop = false }
        #expect(replayed.recovery.snapshotSeq == nil && replayed.recovery.replayed == Int(replayed.recovery.lastSeq))
        #expect(replayed.hash == first.hash)
    }

    @Test(
        "retention deletes the segments the oldest kept snapshot covers; recovery works, from any kept snapshot")
    func retentionDelete() throws {
        let lines = randomLines(seed: 64, count: 4_000)
        let folder = DataFolderFixture()
        let first = try runEngine(lines, folder: folder.path) {
            $0.snapshotEvery = 500
            $0.segmentBytes = 8 << 10
            $0.retention = .delete
        }
        let snapshots = folder.files("snapshots")
        #expect(snapshots.count == 3)
        let oldestKept = try #require(snapshots.first.flatMap { UInt64($0.prefix(20)) })
        let segments = folder.files("journal").filter { $0.hasSuffix(".log") }.compactMap { UInt64($0.prefix(20)) }
        // Every segment but the one holding the oldest kept snapshot's next record starts after it.
        #expect(segments.filter { $0 <= oldestKept + 1 }.count == 1, "\(segments) against \(oldestKept)")
        let resumed = try runEngine([String](), folder: folder.path) { $0.snapshotOnStop = false }
        #expect(resumed.hash == first.hash)
        // Both newer snapshots damaged: recovery falls back to the oldest kept one.
        for name in snapshots.dropFirst() {
            let path = folder.path + "/snapshots/" + name
            var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
            bytes[bytes.count / 2] ^= 0x01
            try bytes.write(to: URL(fileURLWithPath: path))
        }
        let fallback = try runEngine([String](), folder: folder.path) { $0.snapshotOnStop = false }
        #expect(fallback.recovery.snapshotSeq == oldestKept)
        #expect(fallback.hash == first.hash)
    }

    @Test("a snapshot taken on request lands in the snapshots folder")
    func snapshotOnRequest() throws {
        let folder = DataFolderFixture()
        var configuration = EngineConfiguration(dataFolder: folder.path)
        configuration.snapshotEvery = nil
        configuration.snapshotOnStop = false
        let engine = try Engine<CompactEventEncoder>(configuration: configuration, logger: quietLogger)
        engine.start()
        for line in randomLines(seed: 65, count: 300) {
            if case .command(let command, let ts) = CommandParser.parse(line) {
                _ = submitWaiting { engine.submit(command, ts: ts) }
            }
        }
        engine.requestSnapshot()
        let deadline = Date().addingTimeInterval(10)
        while folder.files("snapshots").isEmpty && Date() < deadline { usleep(2_000) }
        engine.stop()
        #expect(folder.files("snapshots").count == 1)
    }

    @Test("the engine's threads carry their names for the system's tools (top -H, /proc)")
    func threadNames() throws {
        let folder = DataFolderFixture()
        var configuration = EngineConfiguration(dataFolder: folder.path)
        configuration.snapshotOnStop = false
        let engine = try Engine<CompactEventEncoder>(configuration: configuration, logger: quietLogger)
        engine.start()
        defer { engine.stop() }
        func names() -> Set<String> {
            let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
            return Set(
                tasks.compactMap {
                    try? String(contentsOfFile: "/proc/self/task/\($0)/comm", encoding: .utf8)
                        .trimmingCharacters(in: .whitespacesAndNewlines)
                })
        }
        let deadline = Date().addingTimeInterval(10)
        while !names().isSuperset(of: ["bourse-seq", "bourse-journal", "bourse-snapshot"]) && Date() < deadline {
            usleep(2_000)
        }
        #expect(names().isSuperset(of: ["bourse-seq", "bourse-journal", "bourse-snapshot"]))
    }

    @Test("a command too large for a journal record is rejected as malformed, not journaled, and the run goes on")
    func oversizedCommand() throws {
        let folder = DataFolderFixture()
        let huge = String(repeating: "x", count: 2 << 20)
        let lines = [
            #"{"cmd":"add_instrument","symbol":"X","tick_size":"1","lot_size":"1"}"#,
            #"{"cmd":"new_order","symbol":"X","account":"a","client_order_id":"\#(huge)","side":"buy","type":"limit","qty":"1","price":"5"}"#,
            #"{"cmd":"new_order","symbol":"X","account":"a","client_order_id":"small","side":"buy","type":"limit","qty":"1","price":"5"}"#,
        ]
        let run = try runEngine(lines, folder: folder.path) { $0.journalBufferBytes = 4 << 20 }
        let events = run.output.split(separator: "\n")
        #expect(events.count == 3)
        #expect(events[0].contains(#""reason":"malformed""#) && events[0].contains("more than"))
        #expect(events[1].contains(#""event":"accepted""#) && events[1].contains(#""order_id":"1""#))
        let again = try runEngine([String](), folder: folder.path)
        #expect(again.recovery.lastSeq == 2 && again.hash == run.hash)
    }

    @Test("with the wall clock the engine stamps each command's ts itself, and the journal keeps it")
    func wallClock() throws {
        let folder = DataFolderFixture()
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let lines = [
            #"{"cmd":"add_instrument","symbol":"X","tick_size":"1","lot_size":"1"}"#,
            // A client's ts does not move the engine clock: expire_at 1000 is long past.
            #"{"cmd":"new_order","symbol":"X","account":"a","client_order_id":"1","side":"buy","type":"limit","qty":"1","price":"5","tif":"gtd","expire_at":2000,"ts":1000}"#,
            #"{"cmd":"new_order","symbol":"X","account":"a","client_order_id":"2","side":"buy","type":"limit","qty":"1","price":"5","tif":"gtd","expire_at":\#(now + 3_600_000)}"#,
        ]
        let run = try runEngine(lines, folder: folder.path) { $0.clock = .wall }
        let events = run.output.split(separator: "\n")
        #expect(events.count == 3)
        #expect(events[0].contains(#""reason":"invalid_expire_at""#))
        #expect(events[1].contains(#""event":"accepted""#))
        var stamps: [Int64] = []
        _ = try JournalReader.read(folder: folder.path + "/journal") { record in stamps.append(record.ts ?? 0) }
        #expect(stamps.count == 3 && stamps.allSatisfy { $0 >= now } && stamps == stamps.sorted())
    }

    @Test("a full intake answers busy at once and the command is not lost later")
    func fullIntakeIsBusy() throws {
        let folder = DataFolderFixture()
        var configuration = EngineConfiguration(dataFolder: folder.path)
        configuration.intakeCapacity = 8
        let engine = try Engine<CompactEventEncoder>(configuration: configuration, logger: quietLogger)
        // Not started: nothing drains the intake.
        let command = Command.time(now: 1)
        var results: [SubmitResult] = []
        for _ in 0..<9 { results.append(engine.submit(command)) }
        #expect(results.prefix(8).allSatisfy { $0 == .accepted })
        #expect(results.last == .busy)
        let collector = OutputCollector(engine)
        engine.start()
        engine.stop()
        _ = collector.finish()
        #expect(collector.seqs == Array(1...8))
        #expect(engine.submit(command) == .stopped)
    }

    @Test("commands from several producer threads are each sequenced exactly once")
    func manyProducers() throws {
        let folder = DataFolderFixture()
        var configuration = EngineConfiguration(dataFolder: folder.path)
        configuration.intakeCapacity = 64
        let engine = try Engine<CompactEventEncoder>(configuration: configuration, logger: quietLogger)
        let collector = OutputCollector(engine)
        engine.start()
        _ = engine.submit(.addInstrument(AddInstrumentCommand(symbol: "X", tickSize: "1", lotSize: "1")))
        let producers = 4
        let perProducer = 5_000
        let group = DispatchGroup()
        for producer in 0..<producers {
            group.enter()
            Thread {
                for i in 0..<perProducer {
                    let order = NewOrderCommand(
                        symbol: "X", account: "p\(producer)", clientOrderID: "\(i)", side: i % 2 == 0 ? .buy : .sell,
                        type: .limit, quantity: DecimalValue(1), price: DecimalValue(i % 2 == 0 ? 99 : 101))
                    _ = submitWaiting { engine.submit(.newOrder(order), origin: UInt64(producer)) }
                }
                group.leave()
            }.start()
        }
        group.wait()
        engine.stop()
        _ = collector.finish()
        #expect(collector.seqs == Array(1...UInt64(producers * perProducer + 1)))
        #expect(collector.releasedEarly == 0)
    }

    @Test("start-up cuts a torn last write with a warning and goes on; damage in the middle stops it")
    func tornTailAndDamage() throws {
        let folder = DataFolderFixture()
        let lines = randomLines(seed: 66, count: 2_000)
        _ = try runEngine(lines, folder: folder.path) {
            $0.snapshotOnStop = false
            $0.segmentBytes = 16 << 10
        }
        let segments = folder.files("journal").filter { $0.hasSuffix(".log") }.map { folder.path + "/journal/" + $0 }
        let last = try #require(segments.last)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: last))
        // A torn last record: its final bytes never reached the disk (segments are preallocated:
        // the data ends at the last byte that is not zero).
        let dataEnd = (bytes.lastIndex { $0 != 0 } ?? 0) + 1
        try bytes.prefix(dataEnd - 5).write(to: URL(fileURLWithPath: last))
        let resumed = try runEngine([String](), folder: folder.path) { $0.snapshotOnStop = false }
        let torn = try #require(resumed.recovery.tornTail)
        #expect(torn.path == last)
        // The tail is gone from the file; the next start finds a clean journal.
        let again = try runEngine([String](), folder: folder.path) { $0.snapshotOnStop = false }
        #expect(again.recovery.tornTail == nil && again.recovery.lastSeq == resumed.recovery.lastSeq)
        // A flipped byte in an earlier segment stops start-up, naming the file and offset.
        bytes = try Data(contentsOf: URL(fileURLWithPath: segments[0]))
        bytes[200] ^= 0x10
        try bytes.write(to: URL(fileURLWithPath: segments[0]))
        let error = try #require(throws: JournalError.self) {
            _ = try Engine<CompactEventEncoder>(
                configuration: EngineConfiguration(dataFolder: folder.path), logger: quietLogger)
        }
        #expect(error.code == .corrupt && error.message.contains(segments[0]) && error.message.contains("offset"))
    }

    @Test("a restart goes on writing in the last segment, also after a torn tail was cut")
    func restartGoesOnInTheLastSegment() throws {
        let folder = DataFolderFixture()
        let lines = randomLines(seed: 68, count: 900)
        let whole = DataFolderFixture()
        let uninterrupted = try runEngine(lines, folder: whole.path) { $0.snapshotOnStop = false }
        _ = try runEngine(lines[0..<300], folder: folder.path) { $0.snapshotOnStop = false }
        _ = try runEngine(lines[300..<600], folder: folder.path) { $0.snapshotOnStop = false }
        let segments = folder.files("journal").filter { $0.hasSuffix(".log") }
        #expect(segments.count == 1, "\(segments)")
        // Tear the last record, then go on: the cut record's command is lost (it was never answered).
        let path = folder.path + "/journal/" + segments[0]
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let dataEnd = (bytes.lastIndex { $0 != 0 } ?? 0) + 1
        try bytes.prefix(dataEnd - 3).write(to: URL(fileURLWithPath: path))
        func isCommand(_ line: String) -> Bool {
            if case .command = CommandParser.parse(line) { return true }
            return false
        }
        let commands = lines[0..<600].filter(isCommand).count
        // The torn record is the last command before line 600: send it again, and the rest.
        let lastCommand = try #require(lines[0..<600].lastIndex(where: isCommand))
        let resumed = try runEngine(lines[lastCommand..<900], folder: folder.path) { $0.snapshotOnStop = false }
        #expect(resumed.recovery.tornTail != nil && resumed.recovery.lastSeq == UInt64(commands - 1))
        #expect(folder.files("journal").filter { $0.hasSuffix(".log") }.count == 1)
        let again = try runEngine([String](), folder: folder.path) { $0.snapshotOnStop = false }
        #expect(again.recovery.tornTail == nil && again.recovery.lastSeq == UInt64(lines.filter(isCommand).count))
        #expect(again.hash == uninterrupted.hash)
    }

    @Test("damage among records a snapshot holds is not taken for an unfinished write")
    func damageBelowASnapshot() throws {
        let folder = DataFolderFixture()
        // The journal in one write (so every record shares a batch and damage alone looks like a torn
        // write), and a snapshot of the state after it.
        var venue = Venue()
        var discard = DiscardingEventSink()
        var records: [UInt8] = []
        var seq: UInt64 = 0
        for line in randomLines(seed: 69, count: 500) {
            guard case .command(let command, let ts) = CommandParser.parse(line) else { continue }
            seq += 1
            var payload = BinaryWriter()
            command.encode(into: &payload)
            var record = [UInt8](repeating: 0, count: JournalRecord.headerSize + payload.bytes.count)
            record.withUnsafeMutableBytes { destination in
                payload.bytes.withUnsafeBytes {
                    _ = JournalRecord.write(
                        seq: seq, ts: ts, type: command.kind.rawValue, payload: $0, at: destination.baseAddress!)
                }
            }
            records += record
            venue.apply(command, ts: ts, into: &discard)
        }
        let writer = try JournalWriter(folder: folder.path + "/journal", preallocate: false)
        _ = try records.withUnsafeMutableBytes { try writer.write($0, firstSeq: 1) }
        try writer.sync()
        try SnapshotStore.write(state: venue.encodedState, seq: seq, folder: folder.path + "/snapshots")
        let segment = folder.path + "/journal/" + folder.files("journal").filter { $0.hasSuffix(".log") }[0]
        var bytes = try Data(contentsOf: URL(fileURLWithPath: segment))
        bytes[300] ^= 0x08
        try bytes.write(to: URL(fileURLWithPath: segment))
        let error = try #require(throws: JournalError.self) {
            _ = try Engine<CompactEventEncoder>(
                configuration: EngineConfiguration(dataFolder: folder.path), logger: quietLogger)
        }
        #expect(error.code == .corrupt && error.message.contains(segment) && error.message.contains("snapshot"))
    }

    @Test("a damaged newest snapshot is skipped for the one before it")
    func damagedSnapshotIsSkipped() throws {
        let folder = DataFolderFixture()
        let first = try runEngine(randomLines(seed: 67, count: 3_000), folder: folder.path) {
            $0.snapshotEvery = 1_000
            $0.snapshotOnStop = false
        }
        let newest = folder.path + "/snapshots/" + folder.files("snapshots").last!
        var bytes = try Data(contentsOf: URL(fileURLWithPath: newest))
        bytes[bytes.count / 2] ^= 0xFF
        try bytes.write(to: URL(fileURLWithPath: newest))
        let resumed = try runEngine([String](), folder: folder.path) { $0.snapshotOnStop = false }
        #expect(resumed.recovery.snapshotPath != newest && resumed.recovery.snapshotSeq != nil)
        #expect(resumed.hash == first.hash)
    }

    @Test("one process at a time: a second engine on the same folder is refused")
    func folderLock() throws {
        let folder = DataFolderFixture()
        let engine = try Engine<CompactEventEncoder>(
            configuration: EngineConfiguration(dataFolder: folder.path), logger: quietLogger)
        _ = engine
        // flock locks are per open file description: a second open in this process conflicts too.
        let error = try #require(throws: JournalError.self) {
            _ = try Engine<CompactEventEncoder>(
                configuration: EngineConfiguration(dataFolder: folder.path), logger: quietLogger)
        }
        #expect(error.code == .locked)
    }
}
