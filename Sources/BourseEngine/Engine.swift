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
/// after it. Create consumers (`output.makeConsumer()`) before `start()`.
public final class Engine<Encoder: EventEncoder>: @unchecked Sendable {
    public let configuration: EngineConfiguration
    public let recovery: RecoveryReport
    public let output: OutputRing
    private let logger: Logger
    private let folder: DataFolder
    private let folderLock: FolderLock

    // Sequencer thread only (after start).
    private var venue: Venue
    private var encoder: Encoder
    private var lastSeq: UInt64
    private var lastTs: Int64
    private var lastSnapshotSeq: UInt64
    private var payload = BinaryWriter(capacity: 1024)
    private var record: [UInt8] = []
    private var journalWritten = 0

    // Shared between threads.
    private let intake: IntakeRing<IntakeEntry>
    private let journal: ByteRing
    private let sequencerParker = Parker()
    private let writerParker = Parker()
    private let snapshotParker = Parker(spins: 0, yields: 0)
    /// What the sequencer has handed to the journal writer: journal bytes, the last
    /// sequence number among them, and output bytes. Published in that order.
    private let journalEnd = ManagedAtomic<Int>(0)
    private let publishedSeq = ManagedAtomic<UInt64>(0)
    private let outputEnd = ManagedAtomic<Int>(0)
    /// Journal bytes the writer has written (the sequencer may reuse them).
    private let journalFlushed = ManagedAtomic<Int>(0)
    private let durableSeq = ManagedAtomic<UInt64>(0)
    private let syncCount = ManagedAtomic<Int>(0)
    private let stopping = ManagedAtomic<Bool>(false)
    private let producers = ManagedAtomic<Int>(0)
    private let intakeClosed = ManagedAtomic<Bool>(false)
    private let sequencerDone = ManagedAtomic<Bool>(false)
    private let snapshotRequested = ManagedAtomic<Bool>(false)
    private let snapshotBusy = ManagedAtomic<Bool>(false)
    private let snapshotExit = ManagedAtomic<Bool>(false)
    private let failed = ManagedAtomic<Bool>(false)
    /// The venue copy and sequence number of the snapshot in progress (handed over through `snapshotBusy`).
    private var pendingSnapshot: (venue: Venue, seq: UInt64)?
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
        var venue = Venue()
        var snapshotSeq: UInt64?
        var snapshotPath: String?
        for candidate in try SnapshotStore.list(folder.snapshots).reversed() {
            do {
                let snapshot = try SnapshotStore.load(candidate.path)
                venue = try snapshot.state.withUnsafeBytes { try Venue(decodingState: $0) }
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
        if let torn = summary.tornTail {
            logger.warning(
                "cutting off the unfinished last write of the journal",
                metadata: ["path": "\(torn.path)", "offset": "\(torn.offset)", "bytes": "\(torn.length)"])
            try JournalReader.cut(torn)
        }
        lastSeq = max(summary.lastSeq ?? 0, snapshotSeq ?? 0)
        recovery = RecoveryReport(
            snapshotSeq: snapshotSeq, snapshotPath: snapshotPath, replayed: replayed, lastSeq: lastSeq,
            tornTail: summary.tornTail, nanoseconds: monotonicNanoseconds() - start)
        self.venue = venue
        lastTs = venue.now
        lastSnapshotSeq = snapshotSeq ?? 0
        encoder = Encoder()
        intake = IntakeRing(capacity: configuration.intakeCapacity)
        journal = ByteRing(capacity: configuration.journalBufferBytes)
        output = OutputRing(capacity: configuration.outputBytes)
        durableSeq.store(lastSeq, ordering: .relaxed)
        publishedSeq.store(lastSeq, ordering: .relaxed)
        if configuration.durability == .async {
            logger.warning("durability is async: events are released before their journal records are synced")
        }
    }

    deinit { if started && !stopped { stop() } }

    /// Starts the sequencer, journal writer and snapshot threads.
    public func start() {
        precondition(!started, "an engine starts once")
        started = true
        let firstSeq = lastSeq + 1
        let writer: JournalWriter
        do {
            writer = try JournalWriter(folder: folder.journal, segmentBytes: configuration.segmentBytes)
        } catch {
            logger.critical("the journal cannot be opened", metadata: ["error": "\(error)"])
            fail()
            return
        }
        threads = [
            EngineThread.start(name: "bourse-seq") { self.runSequencer() },
            EngineThread.start(name: "bourse-journal") { self.runJournalWriter(writer, firstSeq: firstSeq) },
            EngineThread.start(name: "bourse-snapshot") { self.runSnapshots() },
        ]
    }

    // MARK: Producers

    /// Hands a command to the sequencer. `ts` is used only with the `commands` clock.
    /// Never blocks: a full intake answers `busy`.
    public func submit(_ command: Command, ts: Int64? = nil, origin: UInt64 = 0) -> SubmitResult {
        enqueue(IntakeEntry(item: .command(command, ts: ts), origin: origin))
    }

    /// Hands the sequencer a line that was malformed before it became a command: it is not
    /// journaled, but its rejection comes out of the output ring in order with the rest.
    public func submitMalformed(echo: CommandEcho, message: String, origin: UInt64 = 0) -> SubmitResult {
        enqueue(IntakeEntry(item: .malformed(echo, message: message), origin: origin))
    }

    private func enqueue(_ entry: consuming IntakeEntry) -> SubmitResult {
        producers.wrappingIncrement(ordering: .acquiringAndReleasing)
        defer { producers.wrappingDecrement(ordering: .acquiringAndReleasing) }
        if stopping.load(ordering: .acquiring) { return .stopped }
        guard intake.push(entry) else { return .busy }
        sequencerParker.wake()
        return .accepted
    }

    /// Asks for a snapshot after the commands submitted so far.
    public func requestSnapshot() {
        snapshotRequested.store(true, ordering: .releasing)
        sequencerParker.wake()
    }

    // MARK: Stopping

    /// Stops taking commands, applies and journals those in the intake, releases their
    /// events, takes a snapshot (unless configured not to) and stops the threads.
    public func stop() {
        guard started, !stopped else { return }
        stopped = true
        stopping.store(true, ordering: .sequentiallyConsistent)
        while producers.load(ordering: .sequentiallyConsistent) > 0 { sched_yield() }
        intakeClosed.store(true, ordering: .releasing)
        sequencerParker.wake()
        for thread in threads.prefix(2) { thread.join() }
        if configuration.snapshotOnStop && lastSeq > lastSnapshotSeq && !failed.load(ordering: .acquiring) {
            // Every thread but the snapshot one is done: the venue is quiet and durable.
            while snapshotBusy.load(ordering: .acquiring) { usleep(1000) }
            writeSnapshot(of: venue, seq: lastSeq)
        }
        snapshotExit.store(true, ordering: .releasing)
        snapshotParker.wake()
        threads.last?.join()
        folderLock.release()
    }

    /// Whether a journal write failed (the engine stopped releasing events).
    public var hasFailed: Bool { failed.load(ordering: .acquiring) }

    /// The state hash of the venue; only once the engine is stopped (or before it starts).
    public var stateHash: String {
        precondition(!started || stopped, "the state hash is read when the sequencer is not running")
        return venue.stateHash
    }

    public struct Statistics: Sendable {
        public var lastSeq: UInt64
        public var durableSeq: UInt64
        public var syncs: Int
        public var intakeDepth: Int
    }

    public var statistics: Statistics {
        Statistics(
            lastSeq: publishedSeq.load(ordering: .relaxed), durableSeq: durableSeq.load(ordering: .relaxed),
            syncs: syncCount.load(ordering: .relaxed), intakeDepth: intake.count)
    }

    private func fail() {
        failed.store(true, ordering: .releasing)
        stopping.store(true, ordering: .releasing)
        output.finish()
        sequencerParker.wake()
        writerParker.wake()
    }

    // MARK: The sequencer

    private func runSequencer() {
        while true {
            var count = 0
            while count < configuration.maximumBatch, let entry = intake.pop() {
                process(entry)
                count += 1
            }
            if snapshotRequested.load(ordering: .relaxed) {
                snapshotRequested.store(false, ordering: .relaxed)
                handOffSnapshot()
            }
            if count > 0 {
                publish()
                continue
            }
            if intakeClosed.load(ordering: .acquiring) && !intake.hasElement { break }
            if failed.load(ordering: .relaxed) { break }
            sequencerParker.wait {
                intake.hasElement || intakeClosed.load(ordering: .acquiring)
                    || snapshotRequested.load(ordering: .relaxed) || failed.load(ordering: .relaxed)
            }
        }
        publish()
        sequencerDone.store(true, ordering: .releasing)
        writerParker.wake()
    }

    @inline(__always)
    private func process(_ entry: consuming IntakeEntry) {
        let origin = entry.origin
        switch entry.item {
        case .command(let command, let ts):
            lastSeq += 1
            let stamp: Int64?
            switch configuration.clock {
            case .commands: stamp = ts
            case .wall:
                lastTs = max(lastTs, wallClockMilliseconds())
                stamp = lastTs
            }
            payload.removeAll()
            command.encode(into: &payload)
            appendJournalRecord(seq: lastSeq, ts: stamp, type: command.kind.rawValue)
            venue.apply(command, ts: stamp, into: &encoder)
            appendOutput(seq: lastSeq, origin: origin)
            if let every = configuration.snapshotEvery, lastSeq - lastSnapshotSeq >= every { handOffSnapshot() }
        case .malformed(let echo, let message):
            venue.rejectMalformed(echo: echo, message: message, into: &encoder)
            appendOutput(seq: 0, origin: origin)
        }
    }

    private func appendJournalRecord(seq: UInt64, ts: Int64?, type: UInt8) {
        let size = JournalRecord.headerSize + payload.bytes.count
        if record.count < size { record = [UInt8](repeating: 0, count: max(size, 2 * record.count)) }
        record.withUnsafeMutableBytes { destination in
            payload.bytes.withUnsafeBytes { bytes in
                _ = JournalRecord.write(seq: seq, ts: ts, type: type, payload: bytes, at: destination.baseAddress!)
            }
        }
        precondition(size <= journal.capacity / 2, "a journal record larger than half the journal buffer")
        if journalWritten + size - journalFlushed.load(ordering: .acquiring) > journal.capacity {
            publish()
            sequencerParker.wait {
                journalWritten + size - journalFlushed.load(ordering: .acquiring) <= journal.capacity
                    || failed.load(ordering: .relaxed)
            }
        }
        record.withUnsafeBytes { journal.write(UnsafeRawBufferPointer(rebasing: $0[..<size]), at: journalWritten) }
        journalWritten += size
    }

    private func appendOutput(seq: UInt64, origin: UInt64) {
        encoder.encoded.withUnsafeBytes { events in
            var offset = 0
            repeat {
                let chunk = min(events.count - offset, output.chunkSize)
                let size = OutputRing.headerSize + chunk
                if !output.hasRoom(for: size) {
                    publish()
                    output.writerParker.wait { output.hasRoom(for: size) || failed.load(ordering: .relaxed) }
                }
                output.append(
                    seq: seq, origin: origin, isLast: offset + chunk == events.count,
                    events: UnsafeRawBufferPointer(rebasing: events[offset..<offset + chunk]))
                offset += chunk
            } while offset < events.count
        }
        encoder.removeAll()
    }

    /// Hands what was applied so far to the journal writer.
    private func publish() {
        journalEnd.store(journalWritten, ordering: .releasing)
        publishedSeq.store(lastSeq, ordering: .releasing)
        outputEnd.store(output.writePosition, ordering: .releasing)
        writerParker.wake()
    }

    // MARK: The journal writer

    private func runJournalWriter(_ writer: JournalWriter, firstSeq: UInt64) {
        var flushed = 0
        var released = 0
        var nextSeq = firstSeq
        var scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 0, alignment: 8)
        defer { scratch.deallocate() }
        while true {
            writerParker.wait {
                journalEnd.load(ordering: .acquiring) > flushed || outputEnd.load(ordering: .acquiring) > released
                    || sequencerDone.load(ordering: .acquiring)
            }
            // Output first: everything it covers was journaled before `journalEnd` was read.
            let outputTarget = outputEnd.load(ordering: .acquiring)
            let journalTarget = journalEnd.load(ordering: .acquiring)
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
                        try writer.sync()
                        syncCount.wrappingIncrement(ordering: .relaxed)
                    }
                    nextSeq = written + 1
                    flushed = journalTarget
                    journalFlushed.store(flushed, ordering: .releasing)
                    durableSeq.store(written, ordering: .releasing)
                    sequencerParker.wake()
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
            if sequencerDone.load(ordering: .acquiring) && journalEnd.load(ordering: .acquiring) == flushed
                && outputEnd.load(ordering: .acquiring) == released
            {
                break
            }
        }
        do {
            if configuration.durability == .async { try writer.sync() }
        } catch {
            logger.critical("the journal cannot be synced", metadata: ["error": "\(error)"])
            failed.store(true, ordering: .releasing)
        }
        output.finish()
    }

    // MARK: Snapshots

    /// Gives a copy of the venue (copy on write: the sequencer copies storage only
    /// when it next writes) to the snapshot thread, unless it is busy.
    private func handOffSnapshot() {
        guard lastSeq > lastSnapshotSeq, !snapshotBusy.load(ordering: .acquiring) else { return }
        pendingSnapshot = (venue, lastSeq)
        lastSnapshotSeq = lastSeq
        snapshotBusy.store(true, ordering: .releasing)
        snapshotParker.wake()
    }

    private func runSnapshots() {
        while true {
            snapshotParker.wait { snapshotBusy.load(ordering: .acquiring) || snapshotExit.load(ordering: .acquiring) }
            if snapshotBusy.load(ordering: .acquiring), let (copy, seq) = pendingSnapshot {
                pendingSnapshot = nil
                // A snapshot must not be ahead of the journal: wait until its commands are durable.
                while durableSeq.load(ordering: .acquiring) < seq && !failed.load(ordering: .acquiring) {
                    snapshotParker.sleep(nanoseconds: 1_000_000) { false }
                }
                if !failed.load(ordering: .acquiring) { writeSnapshot(of: copy, seq: seq) }
                snapshotBusy.store(false, ordering: .releasing)
                continue
            }
            if snapshotExit.load(ordering: .acquiring) { return }
        }
    }

    private func writeSnapshot(of venue: Venue, seq: UInt64) {
        let start = monotonicNanoseconds()
        do {
            let state = venue.encodedState
            let path = try SnapshotStore.write(state: state, seq: seq, folder: folder.snapshots)
            try SnapshotStore.prune(folder.snapshots, keep: max(1, configuration.keepSnapshots))
            let retired = try configuration.retention.apply(journalFolder: folder.journal, snapshotSeq: seq)
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

enum IntakeItem {
    case command(Command, ts: Int64?)
    case malformed(CommandEcho, message: String)
}

struct IntakeEntry {
    var item: IntakeItem
    var origin: UInt64
}
