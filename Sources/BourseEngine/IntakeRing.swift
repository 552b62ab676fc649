import Atomics

#if canImport(Glibc)
import Glibc
#endif

/// A bounded queue from many producer threads to one consumer, without locks
/// (Dmitry Vyukov's bounded queue): a producer claims a slot with one compare and
/// exchange on the enqueue position and publishes it through the slot's sequence
/// number; the consumer reads slots in order through its `Reader`. A full queue
/// refuses at once.
///
/// Both sides are structs of plain pointers (`Writer`, `Reader`): pushing or taking an
/// element touches no reference count and no line of this object (a retain and release
/// of the ring per element, contended between the two sides, was about a fifth of the
/// sequencer's samples in the pipeline benchmark).
final class IntakeRing<Element>: @unchecked Sendable {
    private let capacity: Int
    private let mask: Int
    private let elements: UnsafeMutablePointer<Element>
    /// Per slot: `position` when free for the producer of that position, `position + 1`
    /// once that producer published it, `position + capacity` once consumed.
    private let sequences: UnsafeMutablePointer<UnsafeAtomic<Int>.Storage>
    /// The producers' enqueue position and the consumer's published dequeue position,
    /// two cache lines apart (the consumer's stores would otherwise take the line the
    /// producers compare and exchange on; two, for processors that fetch lines in pairs).
    private let positions: UnsafeMutablePointer<UnsafeAtomic<Int>.Storage>
    private static var positionStride: Int { 16 }
    private var enqueuePosition: UnsafeAtomic<Int> { UnsafeAtomic(at: positions) }
    private var dequeued: UnsafeAtomic<Int> { UnsafeAtomic(at: positions + Self.positionStride) }

    /// A ring of `capacity` slots (rounded up to a power of two).
    init(capacity: Int) {
        var size = 2
        while size < capacity { size <<= 1 }
        self.capacity = size
        mask = size - 1
        elements = .allocate(capacity: size)
        // Touch every page now (the slots stay uninitialized as far as Swift is concerned).
        memset(elements, 0, size * MemoryLayout<Element>.stride)
        sequences = .allocate(capacity: size)
        for i in 0..<size { (sequences + i).initialize(to: UnsafeAtomic<Int>.Storage(i)) }
        let raw = UnsafeMutableRawPointer.allocate(
            byteCount: 2 * Self.positionStride * MemoryLayout<UnsafeAtomic<Int>.Storage>.stride, alignment: 64)
        positions = raw.bindMemory(to: UnsafeAtomic<Int>.Storage.self, capacity: 2 * Self.positionStride)
        positions.initialize(repeating: UnsafeAtomic<Int>.Storage(0), count: 2 * Self.positionStride)
    }

    deinit {
        // The elements left between the reader's last published position and the producers'.
        var reader = Reader(ring: self, position: dequeued.load(ordering: .acquiring))
        while reader.pop() != nil {}
        elements.deallocate()
        sequences.deinitialize(count: capacity)
        sequences.deallocate()
        positions.deinitialize(count: 2 * Self.positionStride)
        UnsafeMutableRawPointer(positions).deallocate()
    }

    /// The producers' side (any number of threads may use copies of it).
    func makeWriter() -> Writer { Writer(ring: self) }

    /// Adds elements. Holds the ring's pointers, not the ring, like `Reader`: a push
    /// touches no reference count (a retain and release of the ring per element were a
    /// fifth of a producer's time in the pipeline benchmark). The ring must outlive it.
    struct Writer: @unchecked Sendable {
        private let elements: UnsafeMutablePointer<Element>
        private let sequences: UnsafeMutablePointer<UnsafeAtomic<Int>.Storage>
        private let enqueuePosition: UnsafeAtomic<Int>
        private let mask: Int

        fileprivate init(ring: IntakeRing) {
            elements = ring.elements
            sequences = ring.sequences
            enqueuePosition = ring.enqueuePosition
            mask = ring.mask
        }

        @inline(__always)
        private func sequence(_ index: Int) -> UnsafeAtomic<Int> { UnsafeAtomic(at: sequences + index) }

        /// Adds `element`, or returns false at once if the ring is full.
        func push(_ element: consuming Element) -> Bool {
            var position = enqueuePosition.load(ordering: .relaxed)
            while true {
                let slot = sequence(position & mask)
                let difference = slot.load(ordering: .acquiring) &- position
                if difference == 0 {
                    let (exchanged, current) = enqueuePosition.weakCompareExchange(
                        expected: position, desired: position &+ 1, ordering: .relaxed)
                    if exchanged { break }
                    position = current
                } else if difference < 0 {
                    return false
                } else {
                    position = enqueuePosition.load(ordering: .relaxed)
                }
            }
            (elements + (position & mask)).initialize(to: element)
            sequence(position & mask).store(position &+ 1, ordering: .releasing)
            return true
        }
    }

    /// The consumer's side, from the first element not yet taken. One reader at a time,
    /// used from one thread; the ring must outlive it.
    func makeReader() -> Reader { Reader(ring: self, position: dequeued.load(ordering: .acquiring)) }

    /// Elements published and not yet taken (approximate while producers run).
    var count: Int { max(0, enqueuePosition.load(ordering: .relaxed) - dequeued.load(ordering: .relaxed)) }

    /// Takes elements in order. Holds the ring's pointers, not the ring.
    struct Reader {
        private let elements: UnsafeMutablePointer<Element>
        private let sequences: UnsafeMutablePointer<UnsafeAtomic<Int>.Storage>
        private let dequeued: UnsafeAtomic<Int>
        private let mask: Int
        private let capacity: Int
        private var position: Int

        fileprivate init(ring: IntakeRing, position: Int) {
            elements = ring.elements
            sequences = ring.sequences
            dequeued = ring.dequeued
            mask = ring.mask
            capacity = ring.capacity
            self.position = position
        }

        @inline(__always)
        private func sequence(_ index: Int) -> UnsafeAtomic<Int> { UnsafeAtomic(at: sequences + index) }

        /// The next element, if one was published.
        @inline(__always)
        mutating func pop() -> Element? {
            let index = position & mask
            guard sequence(index).load(ordering: .acquiring) == position &+ 1 else { return nil }
            let element = (elements + index).move()
            sequence(index).store(position &+ capacity, ordering: .releasing)
            position &+= 1
            dequeued.store(position, ordering: .relaxed)
            return element
        }

        /// Whether an element is waiting.
        var hasElement: Bool { sequence(position & mask).load(ordering: .acquiring) == position &+ 1 }
    }
}
