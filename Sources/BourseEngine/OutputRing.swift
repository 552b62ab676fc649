import Atomics

/// The events of one command (or a chunk of them, for a command with a great many).
public struct OutputRecord {
    /// The command's sequence number; 0 for a line rejected before it became a command.
    public var seq: UInt64
    /// What the producer attached to the command when it submitted it.
    public var origin: UInt64
    /// Whether this is the last chunk of the command's events.
    public var isLast: Bool
    /// The events, in the engine's event encoding.
    public var events: UnsafeRawBufferPointer
}

/// The broadcast ring from the sequencer to its consumers.
///
/// One writer (the sequencer) appends a record per command; records become visible
/// to consumers only when `release(upTo:)` (the journal writer, once they are
/// durable) moves the released position past them. Each consumer has a cursor; the
/// writer never overwrites what a consumer has not read, so a consumer that stops
/// reading stops the engine (issue #5's market-data fan-out reads on its own thread
/// and never stops).
///
/// Record layout: length u32 (whole record) | flags u32 (bit 0: last chunk) | seq u64 |
/// origin u64 | events.
public final class OutputRing: @unchecked Sendable {
    static let headerSize = 24
    static let maximumConsumers = 16
    /// Cache lines between consumer cursors, so that consumers do not share one.
    private static let cursorStride = 8

    let bytes: ByteRing
    /// The largest chunk of one command's events per record.
    let chunkSize: Int
    private let released = UnsafeAtomic<Int>.create(0)
    private let finished = UnsafeAtomic<Bool>.create(false)
    private let cursors: UnsafeMutablePointer<UnsafeAtomic<Int>.Storage>
    private let parkers: [Parker]
    /// Bit i: consumer slot i is in use.
    private let active = UnsafeAtomic<Int>.create(0)
    /// The writer waits here for room.
    let writerParker = Parker()

    init(capacity: Int) {
        bytes = ByteRing(capacity: capacity)
        chunkSize = min(1 << 20, bytes.capacity / 4)
        cursors = .allocate(capacity: Self.maximumConsumers * Self.cursorStride)
        cursors.initialize(repeating: UnsafeAtomic<Int>.Storage(0), count: Self.maximumConsumers * Self.cursorStride)
        parkers = (0..<Self.maximumConsumers).map { _ in Parker() }
    }

    deinit {
        bytes.deallocate()
        _ = released.destroy()
        _ = finished.destroy()
        _ = active.destroy()
        cursors.deinitialize(count: Self.maximumConsumers * Self.cursorStride)
        cursors.deallocate()
    }

    @inline(__always)
    private func cursor(_ slot: Int) -> UnsafeAtomic<Int> { UnsafeAtomic(at: cursors + slot * Self.cursorStride) }

    // MARK: Writer side

    /// The writer's side, starting where the ring starts. One writer per ring, used from
    /// one thread; the ring must outlive it.
    func makeWriter() -> Writer { Writer(ring: self) }

    /// The smallest position a consumer has yet to read (`position` when none is behind it).
    fileprivate func minimumCursor(upTo position: Int) -> Int {
        var minimum = position
        var mask = active.load(ordering: .acquiring)
        while mask != 0 {
            let slot = mask.trailingZeroBitCount
            minimum = min(minimum, cursor(slot).load(ordering: .acquiring))
            mask &= mask - 1
        }
        return minimum
    }

    /// Appends records. A value the writer owns: its position is in the writer's own
    /// memory, not in a line of the ring that consumers read, and appending touches no
    /// reference count (the ring's, taken by the sequencer and the consumers, went back
    /// and forth between the cores on every command).
    struct Writer {
        unowned(unsafe) let ring: OutputRing
        let bytes: ByteRing
        /// The largest chunk of one command's events per record.
        let chunkSize: Int
        /// Where the next record goes.
        private(set) var position = 0
        /// The smallest consumer cursor the writer last saw.
        private var cachedMinimum = 0

        fileprivate init(ring: OutputRing) {
            self.ring = ring
            bytes = ring.bytes
            chunkSize = ring.chunkSize
        }

        /// Whether `size` more bytes fit without overwriting what a consumer has not read.
        @inline(__always)
        mutating func hasRoom(for size: Int) -> Bool {
            if position + size - cachedMinimum <= bytes.capacity { return true }
            cachedMinimum = ring.minimumCursor(upTo: position)
            return position + size - cachedMinimum <= bytes.capacity
        }

        /// Waits until `size` more bytes fit or `stop()` answers true; answers whether they
        /// fit and `stop()` did not answer true.
        mutating func waitForRoom(for size: Int, unless stop: () -> Bool) -> Bool {
            let (ring, position, capacity) = (ring, position, bytes.capacity)
            ring.writerParker.wait { position + size - ring.minimumCursor(upTo: position) <= capacity || stop() }
            return !stop() && hasRoom(for: size)
        }

        /// Appends one record; the caller made sure there is room (`hasRoom`).
        @inline(__always)
        mutating func append(seq: UInt64, origin: UInt64, isLast: Bool, events: UnsafeRawBufferPointer) {
            let size = OutputRing.headerSize + events.count
            var header = (
                UInt32(size).littleEndian, UInt32(isLast ? 1 : 0).littleEndian, seq.littleEndian, origin.littleEndian
            )
            let bytes = bytes
            let position = position
            withUnsafeBytes(of: &header) { bytes.write($0, at: position) }
            bytes.write(events, at: position + OutputRing.headerSize)
            self.position += size
        }
    }

    /// Makes every record before `position` visible to consumers.
    func release(upTo position: Int) {
        guard position > released.load(ordering: .relaxed) else { return }
        released.store(position, ordering: .releasing)
        wakeConsumers()
    }

    var releasedPosition: Int { released.load(ordering: .acquiring) }

    /// No more records will come: consumers' `wait` returns false once they read all.
    func finish() {
        finished.store(true, ordering: .releasing)
        wakeConsumers()
    }

    private func wakeConsumers() {
        var mask = active.load(ordering: .acquiring)
        while mask != 0 {
            parkers[mask.trailingZeroBitCount].wake()
            mask &= mask - 1
        }
    }

    // MARK: Consumer side

    /// A consumer that will read every record released from now on; the engine makes them
    /// (`Engine.makeConsumer()`), before it starts.
    func makeConsumer() -> OutputConsumer {
        while true {
            let mask = active.load(ordering: .acquiring)
            guard mask != (1 << Self.maximumConsumers) - 1 else { preconditionFailure("too many output consumers") }
            let slot = (~mask).trailingZeroBitCount
            let start = released.load(ordering: .acquiring)
            cursor(slot).store(start, ordering: .releasing)
            if active.compareExchange(expected: mask, desired: mask | 1 << slot, ordering: .acquiringAndReleasing)
                .exchanged
            {
                return OutputConsumer(ring: self, slot: slot, position: start)
            }
        }
    }

    fileprivate func consumerMoved(_ slot: Int, to position: Int) {
        cursor(slot).store(position, ordering: .releasing)
        writerParker.wake()
    }

    fileprivate func remove(_ slot: Int) {
        active.wrappingDecrement(by: 1 << slot, ordering: .acquiringAndReleasing)
        writerParker.wake()
    }

    fileprivate func parker(_ slot: Int) -> Parker { parkers[slot] }

    fileprivate var isFinished: Bool { finished.load(ordering: .acquiring) }
}

/// Reads the output ring in order, at its own pace. Use from one thread.
public final class OutputConsumer: @unchecked Sendable {
    private let ring: OutputRing
    private let slot: Int
    private var position: Int
    private var closed = false
    /// A record that wraps around the end of the ring is copied here.
    private var scratch: UnsafeMutableRawBufferPointer

    fileprivate init(ring: OutputRing, slot: Int, position: Int) {
        self.ring = ring
        self.slot = slot
        self.position = position
        scratch = .allocate(byteCount: ring.chunkSize + OutputRing.headerSize, alignment: 8)
    }

    deinit {
        close()
        scratch.deallocate()
    }

    /// Hands up to `limit` released records to `body`, in order; returns how many.
    /// A record's bytes are valid only during the call.
    @discardableResult
    public func poll(limit: Int = .max, _ body: (OutputRecord) -> Void) -> Int {
        let end = ring.releasedPosition
        var count = 0
        while position < end && count < limit {
            var header = (UInt32(0), UInt32(0), UInt64(0), UInt64(0))
            withUnsafeMutableBytes(of: &header) {
                ring.bytes.read(OutputRing.headerSize, at: position, into: $0.baseAddress!)
            }
            let size = Int(UInt32(littleEndian: header.0))
            let eventCount = size - OutputRing.headerSize
            let events: UnsafeRawBufferPointer
            if let contiguous = ring.bytes.contiguous(from: position + OutputRing.headerSize, to: position + size) {
                events = UnsafeRawBufferPointer(contiguous)
            } else {
                ring.bytes.read(eventCount, at: position + OutputRing.headerSize, into: scratch.baseAddress!)
                events = UnsafeRawBufferPointer(start: scratch.baseAddress!, count: eventCount)
            }
            body(
                OutputRecord(
                    seq: UInt64(littleEndian: header.2), origin: UInt64(littleEndian: header.3),
                    isLast: UInt32(littleEndian: header.1) & 1 != 0, events: events))
            position += size
            count += 1
        }
        if count > 0 { ring.consumerMoved(slot, to: position) }
        return count
    }

    /// Waits until a record is released (true), or until the engine stopped and every
    /// record was read (false).
    public func wait() -> Bool {
        let parker = ring.parker(slot)
        parker.wait { ring.releasedPosition > position || ring.isFinished }
        return ring.releasedPosition > position
    }

    /// Stops reading: the engine no longer waits for this consumer.
    public func close() {
        guard !closed else { return }
        closed = true
        ring.remove(slot)
    }
}
