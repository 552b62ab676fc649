import Atomics

#if canImport(Glibc)
import Glibc
#endif

/// A bounded queue from many producer threads to one consumer, without locks
/// (Dmitry Vyukov's bounded queue): a producer claims a slot with one compare and
/// exchange on the enqueue position and publishes it through the slot's sequence
/// number; the consumer reads slots in order. A full queue refuses at once.
final class IntakeRing<Element>: @unchecked Sendable {
    private let capacity: Int
    private let mask: Int
    private let elements: UnsafeMutablePointer<Element>
    /// Per slot: `position` when free for the producer of that position, `position + 1`
    /// once that producer published it, `position + capacity` once consumed.
    private let sequences: UnsafeMutablePointer<UnsafeAtomic<Int>.Storage>
    private let enqueuePosition = UnsafeAtomic<Int>.create(0)
    /// Read by the consumer only.
    private var dequeuePosition = 0
    /// `dequeuePosition`, published for `count`.
    private let dequeued = UnsafeAtomic<Int>.create(0)

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
    }

    deinit {
        while pop() != nil {}
        _ = enqueuePosition.destroy()
        _ = dequeued.destroy()
        elements.deallocate()
        sequences.deinitialize(count: capacity)
        sequences.deallocate()
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

    /// The next element, if one was published. Consumer thread only.
    @inline(__always)
    func pop() -> Element? {
        let index = dequeuePosition & mask
        guard sequence(index).load(ordering: .acquiring) == dequeuePosition &+ 1 else { return nil }
        let element = (elements + index).move()
        sequence(index).store(dequeuePosition &+ capacity, ordering: .releasing)
        dequeuePosition &+= 1
        dequeued.store(dequeuePosition, ordering: .relaxed)
        return element
    }

    /// Whether an element is waiting. Consumer thread only.
    var hasElement: Bool {
        sequence(dequeuePosition & mask).load(ordering: .acquiring) == dequeuePosition &+ 1
    }

    /// Elements published and not yet taken (approximate while producers run).
    var count: Int { max(0, enqueuePosition.load(ordering: .relaxed) - dequeued.load(ordering: .relaxed)) }
}
