import ArgumentParser
import BourseCore
import BourseEngine
import BourseJSONLines
import BourseJournal
import BourseVenue
import Logging

#if canImport(Glibc)
import Glibc
#endif

struct Journal: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Reads, checks and snapshots a data folder's journal.",
        subcommands: [Dump.self, Verify.self, Snapshot.self])

    struct Dump: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Prints the journal's commands as JSON Lines in the contract's command format.",
            discussion: """
                Each line carries the command's `ts` and its sequence number `seq`; `bourse run` reads the \
                output back as commands.
                """)

        @Argument(help: "The data folder.")
        var folder: String

        @Option(help: "Print only records after this sequence number.")
        var after: UInt64 = 0

        func run() throws {
            let data = DataFolder(folder)
            var output = OutputBuffer()
            let start = max(after, try firstAvailableSeq(in: data) - 1)
            let summary = try JournalReader.read(folder: data.journal, after: start) { record in
                output.write(CommandJSON.line(try decodeCommand(record), ts: record.ts, seq: record.seq))
            }
            output.flush()
            if let torn = summary.tornTail { printError("warning: \(describe(torn))") }
        }
    }

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Checks every record, replays the journal and prints the state hash.",
            discussion: """
                Every record's checksum and sequence number is checked. The journal is replayed from its start \
                (or, when old segments were retired, from the oldest snapshot that covers them), and at every \
                snapshot on the way the replayed state must hash like the snapshot. Prints the record count, the \
                last sequence number and the state hash; exits 1 when anything is damaged or missing.
                """)

        @Argument(help: "The data folder.")
        var folder: String

        func run() throws {
            let data = DataFolder(folder)
            let start = monotonicNanoseconds()
            let firstSeq = try firstAvailableSeq(in: data)
            let snapshots = try SnapshotStore.list(data.snapshots)
            var venue = Venue()
            var replayFrom: UInt64 = 0
            if firstSeq > 1 {
                guard let base = snapshots.first(where: { $0.seq >= firstSeq - 1 }) else {
                    throw failure("the journal starts at record \(firstSeq) and no snapshot covers the records before")
                }
                let snapshot = try SnapshotStore.load(base.path)
                venue = try snapshot.state.withUnsafeBytes { try Venue(decodingState: $0) }
                replayFrom = snapshot.seq
                print("replaying from snapshot \(base.path) (record \(snapshot.seq))")
            }
            var pending = snapshots.filter { $0.seq > replayFrom }
            var checkedSnapshots = 0
            var discard = DiscardingEventSink()
            func checkSnapshots(upTo seq: UInt64) throws {
                while let next = pending.first, next.seq <= seq {
                    pending.removeFirst()
                    guard next.seq == seq else { continue }
                    let snapshot = try SnapshotStore.load(next.path)
                    guard Venue.hash(of: snapshot.state) == venue.stateHash else {
                        throw failure("snapshot \(next.path) differs from the state replayed up to record \(seq)")
                    }
                    checkedSnapshots += 1
                }
            }
            try checkSnapshots(upTo: replayFrom)
            let summary = try JournalReader.read(folder: data.journal, after: firstSeq - 1) { record in
                guard record.seq > replayFrom else { return }
                venue.apply(try decodeCommand(record), ts: record.ts, into: &discard)
                try checkSnapshots(upTo: record.seq)
            }
            let lastSeq = max(summary.lastSeq ?? 0, replayFrom)
            if let torn = summary.tornTail { print("warning: \(describe(torn)); start-up will cut it off") }
            if let beyond = pending.first {
                throw failure("snapshot \(beyond.path) is after the journal's last record \(lastSeq)")
            }
            print("records: \(summary.checked) checked, \(lastSeq - replayFrom) replayed")
            print("first sequence: \(summary.checked > 0 ? firstSeq : 0)")
            print("last sequence: \(lastSeq)")
            print("snapshots matching the replay: \(checkedSnapshots)")
            print("live orders: \(venue.liveOrderCount)")
            print("state hash: \(venue.stateHash)")
            print("time: \((monotonicNanoseconds() - start) / 1_000_000) ms")
        }
    }

    struct Snapshot: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recovers the data folder's state and writes a snapshot of it now.")

        @Argument(help: "The data folder.")
        var folder: String

        func run() throws {
            let logger = Logger(label: "bourse") { StreamLogHandler.standardError(label: $0) }
            var configuration = EngineConfiguration(dataFolder: folder)
            configuration.snapshotEvery = nil
            let engine = try Engine<CompactEventEncoder>(configuration: configuration, logger: logger)
            engine.start()
            engine.stop()
            print("snapshot at record \(engine.recovery.lastSeq), state hash \(engine.stateHash)")
        }
    }
}

/// The sequence number of the oldest record in the journal (1 when it is empty).
private func firstAvailableSeq(in data: DataFolder) throws -> UInt64 {
    try JournalReader.firstSeq(folder: data.journal) ?? 1
}

private func decodeCommand(_ record: JournalRecord.View) throws -> Command {
    var reader = BinaryReader(record.payload)
    do {
        return try Command.decode(kind: record.type, from: &reader)
    } catch {
        throw JournalError(.corrupt, "record \(record.seq) cannot be read as a command: \(error)")
    }
}

private func describe(_ torn: JournalReader.TornTail) -> String {
    "the last write is unfinished: \(torn.length) bytes from offset \(torn.offset) of \(torn.path)"
}

private func failure(_ message: String) -> JournalError { JournalError(.corrupt, message) }

/// Writes a line to standard error.
func printError(_ message: String) {
    let line = Array((message + "\n").utf8)
    _ = line.withUnsafeBytes { Glibc.write(STDERR_FILENO, $0.baseAddress, $0.count) }
}
