import Atomics
import BourseCore
import BourseJournal
import BourseVenue

#if canImport(Glibc)
import Glibc
#endif

/// What the engine's threads share: the rings, the positions they publish to each
/// other, and the parkers they wait on.
final class Channels: @unchecked Sendable {
    let intake: IntakeRing<IntakeEntry>
    let journal: ByteRing
    let output: OutputRing
    let sequencerParker = Parker()
    let writerParker = Parker()
    let snapshotParker = Parker(spins: 0, yields: 0)
    /// What the sequencer has handed to the journal writer: journal bytes, the last
    /// sequence number among them, and output bytes. Published in that order.
    let journalEnd = UnsafeAtomic<Int>.create(0)
    let publishedSeq: UnsafeAtomic<UInt64>
    let outputEnd = UnsafeAtomic<Int>.create(0)
    /// Journal bytes the writer has written (the sequencer may reuse them).
    let journalFlushed = UnsafeAtomic<Int>.create(0)
    let durableSeq: UnsafeAtomic<UInt64>
    /// The last command whose journal record is synced (with `sync` durability, `durableSeq`).
    let syncedSeq: UnsafeAtomic<UInt64>
    /// The snapshot thread asks the writer for a sync (with `async` durability).
    let syncRequested = UnsafeAtomic<Bool>.create(false)
    let syncCount = UnsafeAtomic<Int>.create(0)
    let stopping = UnsafeAtomic<Bool>.create(false)
    /// Producers inside `submit`: `stop()` waits for them before closing the intake.
    let producers = UnsafeAtomic<Int>.create(0)
    let intakeClosed = UnsafeAtomic<Bool>.create(false)
    let sequencerDone = UnsafeAtomic<Bool>.create(false)
    let snapshotRequested = UnsafeAtomic<Bool>.create(false)
    let snapshotBusy = UnsafeAtomic<Bool>.create(false)
    let snapshotExit = UnsafeAtomic<Bool>.create(false)
    let failed = UnsafeAtomic<Bool>.create(false)
    /// CPU time the sequencer thread used, in nanoseconds (set when it stops).
    let sequencerCPU = UnsafeAtomic<Int>.create(0)
    /// Journal syncs by duration: bucket i counts syncs of 2^i to 2^(i+1) microseconds (written by the journal writer).
    let syncHistogram: UnsafeMutablePointer<UnsafeAtomic<Int>.Storage>
    static let syncBuckets = 24

    func recordSync(nanoseconds: UInt64) {
        let microseconds = max(1, nanoseconds / 1000)
        let bucket = min(Self.syncBuckets - 1, 63 - microseconds.leadingZeroBitCount)
        UnsafeAtomic<Int>(at: syncHistogram + bucket).wrappingIncrement(ordering: .relaxed)
    }

    var syncDurations: [Int] {
        (0..<Self.syncBuckets).map { UnsafeAtomic<Int>(at: syncHistogram + $0).load(ordering: .relaxed) }
    }

    /// The venue copy and sequence number for the snapshot thread (handed over through `snapshotBusy`).
    var pendingSnapshot: (venue: Venue, seq: UInt64)?

    init(configuration: EngineConfiguration, output: OutputRing, lastSeq: UInt64) {
        intake = IntakeRing(capacity: configuration.intakeCapacity)
        journal = ByteRing(capacity: configuration.journalBufferBytes)
        self.output = output
        publishedSeq = .create(lastSeq)
        durableSeq = .create(lastSeq)
        syncedSeq = .create(lastSeq)
        syncHistogram = .allocate(capacity: Self.syncBuckets)
        syncHistogram.initialize(repeating: UnsafeAtomic<Int>.Storage(0), count: Self.syncBuckets)
    }

    deinit {
        journal.deallocate()
        _ = journalEnd.destroy()
        _ = outputEnd.destroy()
        _ = journalFlushed.destroy()
        _ = syncCount.destroy()
        _ = stopping.destroy()
        _ = producers.destroy()
        _ = intakeClosed.destroy()
        _ = sequencerDone.destroy()
        _ = snapshotRequested.destroy()
        _ = snapshotBusy.destroy()
        _ = snapshotExit.destroy()
        _ = failed.destroy()
        _ = sequencerCPU.destroy()
        _ = publishedSeq.destroy()
        _ = durableSeq.destroy()
        _ = syncedSeq.destroy()
        _ = syncRequested.destroy()
        syncHistogram.deinitialize(count: Self.syncBuckets)
        syncHistogram.deallocate()
    }

    var hasFailed: Bool { failed.load(ordering: .relaxed) }
}

/// A command or a rejected line, as a producer hands it to the sequencer, with the
/// producer's `origin` tag, handed back with the events (a request id, a send time).
enum IntakeEntry {
    case command(Command, ts: Int64?, origin: UInt64)
    case malformed(CommandEcho, message: String, origin: UInt64)
}

/// The sequencer's own state and work. The sequencer thread runs `run()` on a local
/// copy of it, so the hot loop touches no class property (no exclusivity checks) and
/// owns the venue outright (no copy on write).
struct Sequencer<Encoder: EventEncoder> {
    let configuration: EngineConfiguration
    // Unowned, and the rings reached through values of plain pointers: the engine keeps the
    // channels (and so the rings) alive longer than any sequencer, and a counted reference
    // costs a retain and release per access here.
    unowned(unsafe) let channels: Channels
    /// The intake's consumer side (plain pointers: see `IntakeRing`).
    private var intake: IntakeRing<IntakeEntry>.Reader
    /// The journal's byte ring (the channels own its bytes).
    let journal: ByteRing
    /// The output ring's writer side (see `OutputRing.Writer`).
    private var output: OutputRing.Writer
    private(set) var venue: Venue
    private var encoder = Encoder()
    private(set) var lastSeq: UInt64
    private var lastTs: Int64
    private(set) var lastSnapshotSeq: UInt64
    private var payload = BinaryWriter(capacity: 1024)
    private var record: [UInt8] = []
    private var journalWritten = 0
    /// The largest journal record the engine accepts (the reader takes larger ones for damage).
    private let maximumRecordSize: Int

    init(configuration: EngineConfiguration, channels: Channels, venue: Venue, lastSeq: UInt64, lastSnapshotSeq: UInt64)
    {
        self.configuration = configuration
        self.channels = channels
        intake = channels.intake.makeReader()
        journal = channels.journal
        output = channels.output.makeWriter()
        maximumRecordSize = min(JournalRecord.maximumSize, channels.journal.capacity / 2)
        self.venue = venue
        self.lastSeq = lastSeq
        self.lastSnapshotSeq = lastSnapshotSeq
        lastTs = venue.now
    }

    /// Applies commands until the intake is closed and empty (or the journal failed).
    mutating func run() {
        let cpuAtStart = threadCPUNanoseconds()
        defer { channels.sequencerCPU.store(Int(threadCPUNanoseconds() - cpuAtStart), ordering: .releasing) }
        while true {
            var count = 0
            while count < configuration.maximumBatch, let entry = intake.pop() {
                process(entry)
                count += 1
            }
            // A request waits while a snapshot is being written, then gets one of its own.
            if channels.snapshotRequested.load(ordering: .acquiring)
                && !channels.snapshotBusy.load(ordering: .acquiring)
            {
                channels.snapshotRequested.store(false, ordering: .relaxed)
                handOffSnapshot()
            }
            if count > 0 {
                publish()
                continue
            }
            if channels.intakeClosed.load(ordering: .acquiring) && !intake.hasElement { break }
            if channels.hasFailed { break }
            let (channels, intake) = (channels, intake)
            channels.sequencerParker.wait {
                intake.hasElement || channels.intakeClosed.load(ordering: .acquiring)
                    || (channels.snapshotRequested.load(ordering: .acquiring)
                        && !channels.snapshotBusy.load(ordering: .acquiring))
                    || channels.hasFailed
            }
        }
        publish()
        channels.sequencerDone.store(true, ordering: .releasing)
        channels.writerParker.wake()
    }

    @inline(__always)
    private mutating func process(_ entry: consuming IntakeEntry) {
        switch consume entry {
        case .command(let command, let ts, let origin):
            payload.removeAll()
            command.encode(into: &payload)
            guard JournalRecord.headerSize + payload.count <= maximumRecordSize else {
                // Not journaled, so not applied: the journal's records have a bounded size.
                venue.rejectMalformed(
                    echo: CommandEcho(command), message: "the command takes more than \(maximumRecordSize) bytes",
                    into: &encoder)
                appendOutput(seq: 0, origin: origin)
                return
            }
            let stamp: Int64?
            switch configuration.clock {
            case .commands: stamp = ts
            case .wall:
                lastTs = max(lastTs, wallClockMilliseconds())
                stamp = lastTs
            }
            appendJournalRecord(seq: lastSeq + 1, ts: stamp, type: command.kind.rawValue)
            lastSeq += 1
            venue.apply(command, ts: stamp, into: &encoder)
            appendOutput(seq: lastSeq, origin: origin)
            if let every = configuration.snapshotEvery, lastSeq - lastSnapshotSeq >= every { handOffSnapshot() }
        case .malformed(let echo, let message, let origin):
            venue.rejectMalformed(echo: echo, message: message, into: &encoder)
            appendOutput(seq: 0, origin: origin)
        }
    }

    private mutating func appendJournalRecord(seq: UInt64, ts: Int64?, type: UInt8) {
        let size = JournalRecord.headerSize + payload.count
        if journalWritten + size - channels.journalFlushed.load(ordering: .acquiring) > journal.capacity {
            publish()
            let (channels, journal, written) = (channels, journal, journalWritten)
            channels.sequencerParker.wait {
                written + size - channels.journalFlushed.load(ordering: .acquiring) <= journal.capacity
                    || channels.hasFailed
            }
            // After a failure nothing is written any more; the bytes would overwrite unwritten records.
            if channels.hasFailed { return }
        }
        // Locals: the closures below cannot capture `self`, which is being changed.
        let written = journalWritten
        let journal = journal
        let wraps = payload.withUnsafeBytes { bytes in
            guard let destination = journal.contiguous(from: written, to: written + size) else { return true }
            _ = JournalRecord.write(seq: seq, ts: ts, type: type, payload: bytes, at: destination.baseAddress!)
            return false
        }
        if wraps {
            // The record wraps around the end of the ring: build it aside, then copy it in two parts.
            if record.count < size { record = [UInt8](repeating: 0, count: max(size, 2 * record.count)) }
            let payload = payload
            record.withUnsafeMutableBytes { aside in
                payload.withUnsafeBytes { bytes in
                    _ = JournalRecord.write(seq: seq, ts: ts, type: type, payload: bytes, at: aside.baseAddress!)
                }
                journal.write(UnsafeRawBufferPointer(rebasing: aside[..<size]), at: written)
            }
        }
        journalWritten += size
    }

    private mutating func appendOutput(seq: UInt64, origin: UInt64) {
        // The closure works on locals: one that changed `self` would make Swift retain the
        // encoder's storage around it (a retain and release per command).
        unowned(unsafe) let channels = channels  // for `unless:` (a strong local costs a retain and release)
        var output = output
        let (journalWritten, lastSeq) = (journalWritten, lastSeq)
        encoder.withEncoded { events in
            var offset = 0
            repeat {
                let chunk = min(events.count - offset, output.chunkSize)
                let size = OutputRing.headerSize + chunk
                if !output.hasRoom(for: size) {
                    Self.publish(channels, journal: journalWritten, seq: lastSeq, output: output.position)
                    // After a failure nothing is released any more; appending would overwrite unread records.
                    guard output.waitForRoom(for: size, unless: { channels.hasFailed }) else { break }
                }
                output.append(
                    seq: seq, origin: origin, isLast: offset + chunk == events.count,
                    events: UnsafeRawBufferPointer(rebasing: events[offset..<offset + chunk]))
                offset += chunk
            } while offset < events.count
        }
        self.output = output
        encoder.removeAll()
    }

    /// Hands what was applied so far to the journal writer.
    private func publish() { Self.publish(channels, journal: journalWritten, seq: lastSeq, output: output.position) }

    private static func publish(_ channels: Channels, journal: Int, seq: UInt64, output: Int) {
        channels.journalEnd.store(journal, ordering: .releasing)
        channels.publishedSeq.store(seq, ordering: .releasing)
        channels.outputEnd.store(output, ordering: .releasing)
        channels.writerParker.wake()
    }

    /// Gives a copy of the venue (copy on write: the sequencer copies storage only
    /// when it next writes) to the snapshot thread, unless it is busy.
    private mutating func handOffSnapshot() {
        guard lastSeq > lastSnapshotSeq, !channels.snapshotBusy.load(ordering: .acquiring) else { return }
        channels.pendingSnapshot = (venue, lastSeq)
        lastSnapshotSeq = lastSeq
        channels.snapshotBusy.store(true, ordering: .releasing)
        channels.snapshotParker.wake()
    }
}
