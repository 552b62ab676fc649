import BourseEngine
import BourseJSONLines
import BourseMarketData
import BourseVenue
import Foundation
import Logging
import Synchronization

/// The server's way into the engine: submits a command and waits for its events, which
/// the engine releases once the command's journal batch is durable. One consumer thread
/// reads the engine's output, hands each command's events to the request waiting for
/// them and keeps the market data up to date.
public final class EngineGateway: Sendable {
    /// Why a command got no events.
    public enum Failure: Error, Sendable {
        /// The intake is full: the client should retry (503).
        case busy
        /// The engine is stopping or stopped (503).
        case stopped
    }

    let engine: Engine<JSONLinesEncoder>
    let marketData: MarketData
    let metrics: ServerMetrics
    private let waiting = Mutex<[UInt64: Waiting]>([:])
    private let nextOrigin = Atomic<UInt64>(1)
    private let consumerDone = Atomic<Bool>(false)

    private struct Waiting {
        var continuation: CheckedContinuation<Result<[JSONValue], Failure>, Never>
        var onAccepted: (@Sendable () -> Void)?
    }

    public init(engine: Engine<JSONLinesEncoder>, marketData: MarketData, metrics: ServerMetrics) {
        self.engine = engine
        self.marketData = marketData
        self.metrics = metrics
        let consumer = engine.makeConsumer()
        let thread = Thread { [self] in
            nameCurrentThread("bourse-gateway")
            // A command's events may come in several chunks, cut anywhere: they are gathered
            // and read once the last chunk is in.
            var gathered: [UInt8] = []
            while consumer.wait() {
                consumer.poll { record in
                    if record.isLast && gathered.isEmpty {
                        self.receive(record.events, origin: record.origin)
                    } else {
                        gathered.append(contentsOf: record.events)
                        if record.isLast {
                            gathered.withUnsafeBytes { self.receive($0, origin: record.origin) }
                            gathered = []
                        }
                    }
                }
            }
            // The engine stopped: nobody will answer the ones still waiting.
            let left = waiting.withLock { waiting in
                defer { waiting.removeAll() }
                return Array(waiting.values)
            }
            for entry in left { entry.continuation.resume(returning: .failure(.stopped)) }
            consumerDone.store(true, ordering: .releasing)
        }
        thread.name = "bourse-gateway"
        thread.start()
    }

    /// Applies a command given as JSON members (`cmd` first) and answers its events.
    public func execute(
        _ members: [(String, JSONValue)], onAccepted: (@Sendable () -> Void)? = nil
    ) async -> Result<[JSONValue], Failure> {
        // Read as JSON already: no text in between.
        await execute(CommandParser.parse(JSONValue.object(members)), onAccepted: onAccepted)
    }

    private func execute(
        _ parsed: ParsedLine, onAccepted: (@Sendable () -> Void)?
    ) async -> Result<[JSONValue], Failure> {
        let origin = nextOrigin.add(1, ordering: .relaxed).oldValue
        let start = DispatchTime.now().uptimeNanoseconds
        let result = await withCheckedContinuation { continuation in
            // Registered before the command goes in, so that its events cannot come first.
            waiting.withLock { $0[origin] = Waiting(continuation: continuation, onAccepted: onAccepted) }
            let submitted: SubmitResult
            switch parsed {
            case .blank:
                submitted = engine.submitMalformed(echo: CommandEcho(), message: "empty command", origin: origin)
            case .command(let command, _): submitted = engine.submit(command, origin: origin)
            case .malformed(let echo, let message):
                submitted = engine.submitMalformed(echo: echo, message: message, origin: origin)
            }
            if submitted != .accepted {
                let entry = waiting.withLock { $0.removeValue(forKey: origin) }
                entry?.continuation.resume(returning: .failure(submitted == .busy ? .busy : .stopped))
            }
        }
        metrics.commandLatency.record(nanoseconds: DispatchTime.now().uptimeNanoseconds - start)
        return result
    }

    /// Whether the consumer thread has seen the engine stop.
    public var isStopped: Bool { consumerDone.load(ordering: .acquiring) }

    /// One command's events (JSON lines), all of them.
    private func receive(_ bytes: UnsafeRawBufferPointer, origin: UInt64) {
        var events: [JSONValue] = []
        var lineStart = 0
        for index in 0..<bytes.count where bytes[index] == 0x0A {
            // Parsed from the ring's bytes: no string or array of each line in between.
            let line = UnsafeRawBufferPointer(rebasing: bytes[lineStart..<index])
            lineStart = index + 1
            if let value = try? JSONParser.parse(line) { events.append(value) }
        }
        let finished = origin == 0 ? nil : waiting.withLock { $0.removeValue(forKey: origin) }
        if let onAccepted = finished?.onAccepted, !events.contains(where: { $0["event"]?.stringValue == "rejected" }) {
            onAccepted()
        }
        marketData.apply(events)
        metrics.count(events)
        finished?.continuation.resume(returning: .success(events))
    }
}
