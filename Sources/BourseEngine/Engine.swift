import Atomics
import BourseCore
import BourseJournal
import BourseVenue
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// When the events of a batch of commands are released to consumers.
public enum Durability: String, Sendable, CaseIterable {
    /// Once the batch's journal records are on disk (`fdatasync`): an acknowledged
    /// command survives a crash of the process or the machine.
    case sync
    /// Once the records are handed to the operating system (`write`): they survive a
    /// crash of the process, not of the machine. For benchmarks.
    case async
}

/// Where the engine clock's `ts` comes from.
public enum EngineClock: Sendable {
    /// Each command's own `ts`, if it has one (`bourse run`: a script replays exactly).
    case commands
    /// The wall clock at sequencing, never going back (a server).
    case wall
}

public struct EngineConfiguration: Sendable {
    public var dataFolder: String
    public var durability: Durability = .sync
    public var clock: EngineClock = .commands
    /// Commands waiting for the sequencer; a producer that finds it full is told `busy`.
    public var intakeCapacity = 1 << 16
    /// Bytes of events between the sequencer and its consumers.
    public var outputBytes = 64 << 20
    /// Bytes of journal records between the sequencer and the journal writer.
    public var journalBufferBytes = 64 << 20
    /// A journal segment is closed once it holds this many bytes.
    public var segmentBytes = 64 << 20
    /// Whether journal segments are written full of zeros ahead of use (see `JournalWriter`).
    public var preallocateSegments = true
    /// A snapshot is taken after this many commands (nil: only on demand and at stop).
    public var snapshotEvery: UInt64? = 1_000_000
    /// Whether `stop()` takes a snapshot, so that the next start replays nothing.
    public var snapshotOnStop = true
    /// Snapshots kept; older ones are removed.
    public var keepSnapshots = 3
    /// What becomes of journal segments a snapshot covers.
    public var retention: Retention = .keep
    /// Commands the sequencer applies before it hands their records to the journal writer.
    public var maximumBatch = 4096
    /// Whether the venue runs its risk layer; off only to measure what it costs (`bourse bench --risk off`).
    public var risk = true

    public init(dataFolder: String) { self.dataFolder = dataFolder }
}

/// What `submit` did with a command.
public enum SubmitResult: Sendable, Equatable {
    /// It is in the intake: its events will come out of the output ring.
    case accepted
    /// The intake is full: try again later (a server answers 503).
    case busy
    /// The engine is stopping or stopped.
    case stopped
}

/// What recovery found at start-up.
public struct RecoveryReport: Sendable {
    /// The snapshot the state was loaded from (nil: none, the journal was replayed from the start).
    public var snapshotSeq: UInt64?
    public var snapshotPath: String?
    /// Journal records replayed after the snapshot.
    public var replayed: Int
    /// The last command's sequence number (0 for an empty journal).
    public var lastSeq: UInt64
    /// The unfinished last write that was cut off, if there was one.
    public var tornTail: JournalReader.TornTail?
    public var nanoseconds: UInt64
}

/// The sequencer of `shared/docs/ARCHITECTURE.md`: a bounded intake from any number of
/// producer threads, one thread that stamps each command with a sequence number (and
/// the clock), journals it and applies it to the venue, a journal writer thread that
/// writes and syncs each batch, and an output ring whose records consumers see only
/// once their batch is durable.
///
/// Start-up recovers the state first: the newest valid snapshot, then the journal
/// after it. Create consumers (`makeConsumer()`) before `start()`.
public final class Engine<Encoder: EventEncoder>: @unchecked Sendable {
    public let configuration: EngineConfiguration
    public let recovery: RecoveryReport
    /// The instruments of the recovered state (a gateway's starting point; later ones it
    /// learns from the commands that add them).
    public let recoveredInstruments: [InstrumentText]
    let output: OutputRing
    private let logger: Logger
    private let folder: DataFolder
    private let folderLock: FolderLock

    /// What only the sequencer touches; the sequencer thread moves it out while it runs.
    private var sequencer: Sequencer<Encoder>?
    private let channels: Channels
    /// The intake's producer side (the channels keep the ring alive).
    private let intakeWriter: IntakeRing<IntakeEntry>.Writer
    /// Where the journal's data ends: the writer goes on there.
    private let journalDataEnd: JournalReader.DataEnd?
    private var threads: [EngineThread] = []
    private var started = false
    private var stopped = false

    /// Opens the data folder (taking its lock) and recovers the state in it.
    public init(configuration: EngineConfiguration, logger: Logger) throws {
        self.configuration = configuration
        self.logger = logger
        folder = DataFolder(configuration.dataFolder)
        folderLock = try folder.lock()
        let start = monotonicNanoseconds()
        var venue = Venue(risk: configuration.risk)
        var snapshotSeq: UInt64?
        var snapshotPath: String?
        for candidate in try SnapshotStore.list(folder.snapshots).reversed() {
            do {
                let snapshot = try SnapshotStore.load(candidate.path)
                venue = try snapshot.state.withUnsafeBytes {
                    try Venue(decodingState: $0, risk: configuration.risk)
                }
                snapshotSeq = snapshot.seq
                snapshotPath = candidate.path
                break
            } catch {
                logger.warning(
                    "skipping a snapshot that cannot be read",
                    metadata: ["path": "\(candidate.path)", "error": "\(error)"])
            }
        }
        var replayed = 0
        var discard = DiscardingEventSink()
        let summary = try JournalReader.read(folder: folder.journal, after: snapshotSeq ?? 0) { record in
            var reader = BinaryReader(record.payload)
            let command: Command
            do {
                command = try Command.decode(kind: record.type, from: &reader)
            } catch {
                throw JournalError(
                    .corrupt, "record \(record.seq) in \(configuration.dataFolder)/journal cannot be read: \(error)")
            }
            venue.apply(command, ts: record.ts, into: &discard)
            replayed += 1
        }
        // The last whole record: before the first one read, when none is whole.
        let journalLastSeq = summary.lastSeq ?? (summary.firstSeq.map { $0 - 1 } ?? 0)
        if let torn = summary.tornTail {
            // A snapshot is written only once its commands are durable: records it holds were
            // acknowledged, so damage among them is not an unfinished write.
            if let snapshotSeq, journalLastSeq < snapshotSeq {
                throw JournalError(
                    .corrupt,
                    "\(torn.path) at offset \(torn.offset): damaged record \(journalLastSeq + 1), which snapshot "
                        + "\(snapshotSeq) shows was acknowledged")
            }
            logger.warning(
                "cutting off the unfinished last write of the journal",
                metadata: ["path": "\(torn.path)", "offset": "\(torn.offset)", "bytes": "\(torn.length)"])
            try JournalReader.cut(torn)
        }
        // Go on in the last segment, unless the journal ends before the snapshot (its segments were
        // removed by hand): then the next record begins a segment of its own, so none has a gap inside.
        journalDataEnd = journalLastSeq >= (snapshotSeq ?? 0) ? summary.end : nil
        let lastSeq = max(summary.lastSeq ?? 0, snapshotSeq ?? 0)
        recovery = RecoveryReport(
            snapshotSeq: snapshotSeq, snapshotPath: snapshotPath, replayed: replayed, lastSeq: lastSeq,
            tornTail: summary.tornTail, nanoseconds: monotonicNanoseconds() - start)
        recoveredInstruments = venue.instruments
        output = OutputRing(capacity: configuration.outputBytes)
        channels = Channels(configuration: configuration, output: output, lastSeq: lastSeq)
        intakeWriter = channels.intake.makeWriter()
        sequencer = Sequencer(
            configuration: configuration, channels: channels, venue: venue, lastSeq: lastSeq,
            lastSnapshotSeq: snapshotSeq ?? 0)
        if configuration.durability == .async {
            logger.warning("durability is async: events are released before their journal records are synced")
        }
    }

    /// A consumer of the output ring that will read every record from the start. Create
    /// consumers before `start()`: the sequencer only waits for the consumers it knows.
    public func makeConsumer() -> OutputConsumer {
        precondition(!started, "consumers are created before the engine starts")
        return output.makeConsumer()
    }

    /// Starts the sequencer, journal writer and snapshot threads. Call `stop()` to end them:
    /// the threads keep the engine alive until then.
    public func start() {
        precondition(!started, "an engine starts once")
        started = true
        let firstSeq = recovery.lastSeq + 1
        let writer: JournalWriter
        do {
            writer = try JournalWriter(
                folder: folder.journal, segmentBytes: configuration.segmentBytes,
                preallocate: configuration.preallocateSegments)
            if let journalDataEnd { try writer.resume(at: journalDataEnd) }
        } catch {
            logger.critical("the journal cannot be opened", metadata: ["error": "\(error)"])
            fail()
            return
        }
        threads = [
            EngineThread.start(name: "bourse-seq") {
                var sequencer = self.sequencer.take()!
                sequencer.run()
                self.sequencer = sequencer
            },
            EngineThread.start(name: "bourse-journal") { self.runJournalWriter(writer, firstSeq: firstSeq) },
            EngineThread.start(name: "bourse-snapshot") { self.runSnapshots() },
        ]
    }

    // MARK: Producers

    /// Hands a command to the sequencer. `ts` is used only with the `commands` clock.
    /// Never blocks: a full intake answers `busy`.
    public func submit(_ command: Command, ts: Int64? = nil, origin: UInt64 = 0) -> SubmitResult {
        enqueue(.command(command, ts: ts, origin: origin))
    }

    /// Hands the sequencer a line that was malformed before it became a command: it is not
    /// journaled, but its rejection comes out of the output ring in order with the rest.
    public func submitMalformed(echo: CommandEcho, message: String, origin: UInt64 = 0) -> SubmitResult {
        enqueue(.malformed(echo, message: message, origin: origin))
    }

    private func enqueue(_ entry: consuming IntakeEntry) -> SubmitResult {
        // Unowned locals and the intake's writer (plain pointers): the engine keeps these objects
        // alive, and a counted reference cost a retain and a release per command.
        unowned(unsafe) let channels = channels
        unowned(unsafe) let parker = channels.sequencerParker
        // With `stop()`: either it sees this producer in, or this producer sees it stopping.
        channels.producers.wrappingIncrement(ordering: .sequentiallyConsistent)
        defer { channels.producers.wrappingDecrement(ordering: .releasing) }
        if channels.stopping.load(ordering: .sequentiallyConsistent) { return .stopped }
        guard intakeWriter.push(entry) else { return .busy }
        parker.wake()
        return .accepted
    }

    /// Asks for a snapshot after the commands submitted so far.
    public func requestSnapshot() {
        channels.snapshotRequested.store(true, ordering: .releasing)
        channels.sequencerParker.wake()
    }

    // MARK: Stopping

    /// Stops taking commands, applies and journals those in the intake, releases their
    /// events, takes a snapshot (unless configured not to) and stops the threads.
    public func stop() {
        guard started, !stopped else { return }
        stopped = true
        channels.stopping.store(true, ordering: .sequentiallyConsistent)
        while channels.producers.load(ordering: .sequentiallyConsistent) > 0 { sched_yield() }
        channels.intakeClosed.store(true, ordering: .releasing)
        channels.sequencerParker.wake()
        for thread in threads.prefix(2) { thread.join() }
        if let sequencer, configuration.snapshotOnStop, sequencer.lastSeq > sequencer.lastSnapshotSeq,
            !channels.hasFailed
        {
            // Every thread but the snapshot one is done: the venue is quiet and durable.
            while channels.snapshotBusy.load(ordering: .acquiring) { usleep(1000) }
            writeSnapshot(of: sequencer.venue, seq: sequencer.lastSeq)
        }
        channels.snapshotExit.store(true, ordering: .releasing)
        channels.snapshotParker.wake()
        threads.last?.join()
        // The threads' closures hold the engine: let it go.
        threads.removeAll()
        folderLock.release()
    }

    /// Whether a journal write failed (the engine stopped releasing events).
    public var hasFailed: Bool { channels.hasFailed }

    /// The state hash of the venue; only once the engine is stopped (or before it starts).
    public var stateHash: String {
        precondition(!started || stopped, "the state hash is read when the sequencer is not running")
        return sequencer!.venue.stateHash
    }

    public struct Statistics: Sendable {
        /// The last command handed to the journal writer.
        public var lastSeq: UInt64
        /// The last command whose journal record is written (and synced, with `sync` durability).
        public var durableSeq: UInt64
        public var syncs: Int
        /// Journal syncs by duration: element i counts syncs of 2^i to 2^(i+1) microseconds.
        public var syncDurations: [Int]
        /// Commands waiting in the intake.
        public var intakeDepth: Int
        /// CPU time the sequencer thread used, in nanoseconds (known once it stopped).
        public var sequencerCPUNanoseconds: Int
    }

    public var statistics: Statistics {
        Statistics(
            lastSeq: channels.publishedSeq.load(ordering: .relaxed),
            durableSeq: channels.durableSeq.load(ordering: .relaxed),
            syncs: channels.syncCount.load(ordering: .relaxed), syncDurations: channels.syncDurations,
            intakeDepth: channels.intake.count,
            sequencerCPUNanoseconds: channels.sequencerCPU.load(ordering: .acquiring))
    }

    private func fail() {
        channels.failed.store(true, ordering: .releasing)
        channels.stopping.store(true, ordering: .releasing)
        output.finish()
        channels.sequencerParker.wake()
        channels.writerParker.wake()
        output.writerParker.wake()
        channels.snapshotParker.wake()
    }

    // MARK: The journal writer

    private func runJournalWriter(_ writer: JournalWriter, firstSeq: UInt64) {
        let channels = channels
        let journal = channels.journal
        var flushed = 0
        var released = 0
        var nextSeq = firstSeq
        var scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 0, alignment: 8)
        defer { scratch.deallocate() }
        while true {
            channels.writerParker.wait {
                channels.journalEnd.load(ordering: .acquiring) > flushed
                    || channels.outputEnd.load(ordering: .acquiring) > released
                    || channels.sequencerDone.load(ordering: .acquiring)
                    || channels.syncRequested.load(ordering: .acquiring)
            }
            // Output first: everything it covers was journaled before `journalEnd` was read.
            let outputTarget = channels.outputEnd.load(ordering: .acquiring)
            let journalTarget = channels.journalEnd.load(ordering: .acquiring)
            do {
                if journalTarget > flushed {
                    var records = journal.contiguous(from: flushed, to: journalTarget)
                    if records == nil {
                        if scratch.count < journalTarget - flushed {
                            scratch.deallocate()
                            scratch = .allocate(byteCount: journalTarget - flushed, alignment: 8)
                        }
                        journal.read(journalTarget - flushed, at: flushed, into: scratch.baseAddress!)
                        records = UnsafeMutableRawBufferPointer(rebasing: scratch[..<(journalTarget - flushed)])
                    }
                    let written = try writer.write(records!, firstSeq: nextSeq)
                    if configuration.durability == .sync {
                        let start = monotonicNanoseconds()
                        try writer.sync()
                        channels.recordSync(nanoseconds: monotonicNanoseconds() - start)
                        channels.syncCount.wrappingIncrement(ordering: .relaxed)
                        channels.syncedSeq.store(written, ordering: .releasing)
                    }
                    nextSeq = written + 1
                    flushed = journalTarget
                    channels.journalFlushed.store(flushed, ordering: .releasing)
                    channels.durableSeq.store(written, ordering: .releasing)
                    channels.sequencerParker.wake()
                }
                // With `async`, the snapshot thread asks for a sync before it writes a snapshot.
                if channels.syncRequested.exchange(false, ordering: .acquiringAndReleasing) {
                    try writer.sync()
                    channels.syncedSeq.store(nextSeq - 1, ordering: .releasing)
                    channels.snapshotParker.wake()
                }
            } catch {
                logger.critical("the journal cannot be written; the engine stops", metadata: ["error": "\(error)"])
                fail()
                return
            }
            if outputTarget > released {
                output.release(upTo: outputTarget)
                released = outputTarget
            }
            if channels.sequencerDone.load(ordering: .acquiring)
                && channels.journalEnd.load(ordering: .acquiring) == flushed
                && channels.outputEnd.load(ordering: .acquiring) == released
            {
                break
            }
        }
        do {
            if configuration.durability == .async {
                try writer.sync()
                channels.syncedSeq.store(nextSeq - 1, ordering: .releasing)
            }
        } catch {
            logger.critical("the journal cannot be synced", metadata: ["error": "\(error)"])
            channels.failed.store(true, ordering: .releasing)
        }
        output.finish()
    }

    // MARK: Snapshots

    private func runSnapshots() {
        let channels = channels
        while true {
            channels.snapshotParker.wait {
                channels.snapshotBusy.load(ordering: .acquiring) || channels.snapshotExit.load(ordering: .acquiring)
            }
            if channels.snapshotBusy.load(ordering: .acquiring), let (copy, seq) = channels.pendingSnapshot {
                channels.pendingSnapshot = nil
                // A snapshot must never be ahead of the journal on disk: wait until its commands are
                // synced (with `async`, ask the writer for a sync).
                while channels.syncedSeq.load(ordering: .acquiring) < seq && !channels.hasFailed {
                    if configuration.durability == .async {
                        channels.syncRequested.store(true, ordering: .releasing)
                        channels.writerParker.wake()
                    }
                    channels.snapshotParker.sleep(nanoseconds: 1_000_000) {
                        channels.syncedSeq.load(ordering: .acquiring) >= seq || channels.hasFailed
                    }
                }
                // The copy keeps the venue's storage shared (and the sequencer copying before it writes)
                // for as long as the encoding reads it.
                withExtendedLifetime(copy) {
                    if !channels.hasFailed { writeSnapshot(of: copy, seq: seq) }
                }
                channels.snapshotBusy.store(false, ordering: .releasing)
                channels.sequencerParker.wake()
                continue
            }
            if channels.snapshotExit.load(ordering: .acquiring) { return }
        }
    }

    private func writeSnapshot(of venue: Venue, seq: UInt64) {
        let start = monotonicNanoseconds()
        do {
            let state = venue.encodedState
            let path = try SnapshotStore.write(state: state, seq: seq, folder: folder.snapshots)
            try SnapshotStore.prune(folder.snapshots, keep: max(1, configuration.keepSnapshots))
            // Segments go only once the oldest kept snapshot covers them, so that recovery can still
            // fall back to it if a newer snapshot turns out damaged.
            let oldestKept = try SnapshotStore.list(folder.snapshots).first?.seq ?? 0
            let retired = try configuration.retention.apply(journalFolder: folder.journal, snapshotSeq: oldestKept)
            logger.info(
                "snapshot written",
                metadata: [
                    "path": "\(path)", "seq": "\(seq)", "bytes": "\(state.count)",
                    "ms": "\((monotonicNanoseconds() - start) / 1_000_000)", "retired_segments": "\(retired.count)",
                ])
        } catch {
            logger.error("a snapshot could not be written", metadata: ["seq": "\(seq)", "error": "\(error)"])
        }
    }
}

/// Measures the intake ring alone: one producer thread, this thread consuming (ns per command).
public func measureIntakeRing(_ commands: [Command]) -> Double {
    let ring = IntakeRing<IntakeEntry>(capacity: 1 << 16)
    let writer = ring.makeWriter()
    let producer = EngineThread.start(name: "p") {
        for command in commands {
            while !writer.push(.command(command, ts: nil, origin: 1)) { sched_yield() }
        }
    }
    return withExtendedLifetime(ring) {  // the writer and the reader hold its pointers, not the ring
        var reader = ring.makeReader()
        let start = monotonicNanoseconds()
        var count = 0
        while count < commands.count {
            if reader.pop() != nil { count += 1 }
        }
        producer.join()
        return Double(monotonicNanoseconds() - start) / Double(commands.count)
    }
}
