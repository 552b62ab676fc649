import ArgumentParser
import BourseEngine
import BourseJSONLines
import BourseJournal
import BourseVenue
import Foundation
import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Reads commands as JSON Lines and writes the engine's events as JSON Lines.",
        discussion: """
            The format is the matching contract's; see docs/command-format.md. With --data, every command is \
            journaled in that folder before its events are written, and a run that was stopped (or killed) \
            resumes from the state the folder holds; `kill -USR1` takes a snapshot at once. See \
            docs/durability.md.
            """)

    @Argument(help: "A file of commands, one JSON object per line (standard input when absent).")
    var file: String?

    @Flag(help: "Flush the output after every input line (the default when the input is a terminal).")
    var flushEachLine = false

    @Option(help: "A data folder: journal commands there and resume from the state it holds.")
    var data: String?

    @Option(help: "With --data: sync (events only once their commands are on disk) or async (benchmarks only).")
    var durability: Durability = .sync

    @Option(help: "With --data: take a snapshot after this many commands (0: only when the run ends).")
    var snapshotEvery: UInt64 = 1_000_000

    @Option(
        help:
            "With --data: what becomes of journal segments a snapshot covers: keep, archive (to DIR/archive) or delete."
    )
    var retention = "keep"

    func run() throws {
        guard let input = file.map({ fopen($0, "r") }) ?? fdopen(STDIN_FILENO, "r") else {
            throw ValidationError("cannot open \(file ?? "standard input")")
        }
        defer { fclose(input) }
        let flushEachLine = flushEachLine || isatty(fileno(input)) != 0
        if let data {
            try runJournaled(input: input, data: data, flushEachLine: flushEachLine)
        } else {
            runInMemory(input: input, flushEachLine: flushEachLine)
        }
    }

    private func runInMemory(input: UnsafeMutablePointer<FILE>, flushEachLine: Bool) {
        var session = JSONLinesSession()
        var events: [String] = []
        var output = OutputBuffer()
        forEachLine(of: input) { line in
            session.process(line: line, into: &events)
            for event in events { output.write(event) }
            events.removeAll(keepingCapacity: true)
            if flushEachLine { output.flush() }
            return true
        }
        output.flush()
    }

    /// Lines go to the engine from this thread; events come out on another, once durable.
    private func runJournaled(input: UnsafeMutablePointer<FILE>, data: String, flushEachLine: Bool) throws {
        var logger = Logger(label: "bourse") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = .info
        var configuration = EngineConfiguration(dataFolder: data)
        configuration.durability = durability
        configuration.snapshotEvery = snapshotEvery == 0 ? nil : snapshotEvery
        // Reading JSON takes microseconds a line: smaller rings than a server's are plenty.
        configuration.outputBytes = 16 << 20
        configuration.journalBufferBytes = 16 << 20
        switch retention {
        case "keep": configuration.retention = .keep
        case "archive": configuration.retention = .archive(DataFolder(data).archive)
        case "delete": configuration.retention = .delete
        default: throw ValidationError("--retention must be keep, archive or delete")
        }
        let engine: Engine<JSONLinesEncoder>
        do {
            engine = try Engine(configuration: configuration, logger: logger)
        } catch {
            printError("bourse run: cannot open \(data): \(error)")
            throw ExitCode.failure
        }
        let recovery = engine.recovery
        logger.info(
            "recovered",
            metadata: [
                "data": "\(data)", "snapshot_seq": "\(recovery.snapshotSeq.map(String.init) ?? "none")",
                "replayed": "\(recovery.replayed)", "last_seq": "\(recovery.lastSeq)",
                "ms": "\(recovery.nanoseconds / 1_000_000)", "state_hash": "\(engine.stateHash)",
            ])
        let consumer = engine.makeConsumer()
        let printer = Thread {
            var output = OutputBuffer()
            while consumer.wait() {
                consumer.poll { record in output.write(bytes: record.events) }
                if flushEachLine { output.flush() }
            }
            output.flush()
        }
        printer.start()
        engine.start()
        // `kill -USR1 <pid>` asks for a snapshot now.
        signal(SIGUSR1, SIG_IGN)
        let snapshotSignal = DispatchSource.makeSignalSource(signal: SIGUSR1, queue: .global())
        snapshotSignal.setEventHandler { engine.requestSnapshot() }
        snapshotSignal.resume()
        defer { snapshotSignal.cancel() }
        forEachLine(of: input) { line in
            switch CommandParser.parse(line) {
            case .blank: return true
            case .command(let command, let ts): return Self.submit { engine.submit(command, ts: ts) } == .accepted
            case .malformed(let echo, let message):
                return Self.submit { engine.submitMalformed(echo: echo, message: message) } == .accepted
            }
        }
        engine.stop()
        while !printer.isFinished { usleep(1000) }
        if engine.hasFailed { throw ExitCode.failure }
    }

    /// Submits, waiting while the intake is full (this producer must not drop a line).
    private static func submit(_ attempt: () -> SubmitResult) -> SubmitResult {
        var attempts = 0
        while true {
            let result = attempt()
            if result != .busy { return result }
            attempts += 1
            if attempts < 4 { sched_yield() } else { usleep(50) }
        }
    }

    /// Calls `body` with each line until the input ends or `body` returns false.
    private func forEachLine(of input: UnsafeMutablePointer<FILE>, _ body: (String) -> Bool) {
        var line: UnsafeMutablePointer<CChar>?
        var capacity = 0
        while true {
            let length = getline(&line, &capacity, input)
            if length < 0 { break }
            let text = UnsafeBufferPointer(
                start: UnsafeRawPointer(line!).assumingMemoryBound(to: UInt8.self), count: length)
            if !body(String(decoding: text, as: UTF8.self)) { break }
        }
        free(line)
    }
}

extension Durability: ExpressibleByArgument {}

/// Collects output lines and writes them to standard output in large blocks.
struct OutputBuffer {
    private var bytes: [UInt8] = []

    init() { bytes.reserveCapacity(1 << 16) }

    mutating func write(_ line: String) {
        bytes.append(contentsOf: line.utf8)
        bytes.append(0x0A)
        if bytes.count >= 1 << 16 { flush() }
    }

    mutating func write(bytes more: UnsafeRawBufferPointer) {
        bytes.append(contentsOf: more)
        if bytes.count >= 1 << 16 { flush() }
    }

    mutating func flush() {
        guard !bytes.isEmpty else { return }
        var written = 0
        bytes.withUnsafeBytes { buffer in
            while written < buffer.count {
                let result = Glibc.write(STDOUT_FILENO, buffer.baseAddress! + written, buffer.count - written)
                if result < 0 && errno == EINTR { continue }
                if result <= 0 { break }
                written += result
            }
        }
        bytes.removeAll(keepingCapacity: true)
    }
}
