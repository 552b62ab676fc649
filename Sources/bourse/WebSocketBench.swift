import ArgumentParser
import Foundation
import HummingbirdWSClient
import Logging
import Synchronization

/// Many WebSocket subscribers to one book of a running `bourse serve`: each takes the
/// snapshot and then every delta, checking that the sequence numbers follow on; the
/// report says what they received. The server's own view of delivery (publication to
/// write) is its `bourse_websocket_delivery_seconds` histogram. See docs/server.md.
struct WebSocketBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-websocket",
        abstract: "Connects many WebSocket subscribers to one book of a running bourse serve and reports what they got."
    )

    @Option(help: "The server's WebSocket.")
    var url = "ws://127.0.0.1:8080/ws"

    @Option(help: "The book to follow.")
    var symbol = "BTC-USD"

    @Option(help: "How many subscribers.")
    var subscribers = 500

    @Option(help: "How long to listen, in seconds, once all are connected.")
    var seconds = 10

    struct Totals {
        var connected = 0
        var snapshots = 0
        var frames = 0
        var changes = 0
        var gaps = 0
        var dropped = 0
        var failed = 0
        /// Per subscriber: the last sequence number it holds.
        var lastSeqs: [UInt64] = []
    }

    func run() async throws {
        let logger = Logger(label: "bench") { _ in SwiftLogNoOpLogHandler() }
        let shared = Shared()
        let request = "{\"op\":\"subscribe\",\"channel\":\"book\",\"symbol\":\"\(symbol)\"}"
        let listen = Duration.seconds(seconds)
        let count = subscribers
        let start = ContinuousClock.now
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<count {
                group.addTask {
                    let connected = Flag()
                    do {
                        try await WebSocketClient.connect(url: url, logger: logger) { inbound, outbound, _ in
                            var local = Totals()
                            var seq: UInt64 = 0
                            try await outbound.write(.text(request))
                            local.connected = 1
                            connected.value.store(true, ordering: .relaxed)
                            shared.allConnected.add(1, ordering: .relaxed)
                            // Listen for `seconds` after the last subscriber connected, then close.
                            let closer = Task {
                                while shared.allConnected.load(ordering: .relaxed) < count {
                                    try await Task.sleep(for: .milliseconds(20))
                                }
                                try await Task.sleep(for: listen)
                                try await outbound.close(.normalClosure, reason: nil)
                            }
                            defer { closer.cancel() }
                            for try await message in inbound.messages(maxSize: 1 << 24) {
                                guard case .text(let text) = message else { continue }
                                if text.contains("\"type\":\"delta\"") {
                                    local.frames += 1
                                    let first = Self.number("\"first_seq\":", in: text) ?? 0
                                    if first != seq + 1 { local.gaps += 1 }
                                    seq = Self.number("\"seq\":", in: text) ?? seq
                                    local.changes += Self.changes(in: text)
                                } else if text.contains("\"type\":\"snapshot\"") {
                                    local.snapshots += 1
                                    seq = Self.number("\"seq\":", in: text) ?? 0
                                } else if text.contains("slow_consumer") {
                                    local.dropped += 1
                                }
                            }
                            let finished = local
                            let lastSeq = seq
                            shared.totals.withLock { totals in
                                totals.connected += finished.connected
                                totals.snapshots += finished.snapshots
                                totals.frames += finished.frames
                                totals.changes += finished.changes
                                totals.gaps += finished.gaps
                                totals.dropped += finished.dropped
                                totals.lastSeqs.append(lastSeq)
                            }
                        }
                    } catch {
                        shared.totals.withLock { $0.failed += 1 }
                    }
                    if !connected.value.load(ordering: .relaxed) { shared.allConnected.add(1, ordering: .relaxed) }
                }
            }
        }
        let elapsed = ContinuousClock.now - start
        let result = shared.totals.withLock { $0 }
        let perSubscriber = Double(result.changes) / Double(max(result.connected, 1))
        print(
            """
            subscribers: \(result.connected) connected of \(count), \(result.failed) failed, \
            \(result.snapshots) snapshots, \(result.dropped) dropped as slow
            received: \(result.frames) delta frames, \(result.changes) level changes \
            (\(String(format: "%.0f", perSubscriber)) per subscriber), \(result.gaps) gaps
            last sequence numbers: min \(result.lastSeqs.min() ?? 0), max \(result.lastSeqs.max() ?? 0)
            time: \(elapsed)
            """)
    }

    final class Shared: Sendable {
        let totals = Mutex(Totals())
        let allConnected = Atomic<Int>(0)
    }

    final class Flag: Sendable {
        let value = Atomic<Bool>(false)
    }

    /// The unsigned number after `key` in `text`.
    static func number(_ key: String, in text: String) -> UInt64? {
        guard let range = text.range(of: key) else { return nil }
        return UInt64(text[range.upperBound...].prefix { $0.isNumber })
    }

    /// The level changes of a delta: one `["` per change.
    static func changes(in text: String) -> Int {
        var count = 0
        var previous: UInt8 = 0
        for byte in text.utf8 {
            if previous == UInt8(ascii: "[") && byte == UInt8(ascii: "\"") { count += 1 }
            previous = byte
        }
        return count
    }
}
