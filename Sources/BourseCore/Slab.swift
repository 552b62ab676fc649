/// Contiguous storage of plain values that the hot path reads and writes
/// through a pointer: no uniqueness check and (in release builds) no bounds
/// check per access.
///
/// Copy-on-write is the owner's job: copying a slab shares its buffer, and
/// writes go to the shared buffer. The `Exchange` keeps one token for all its
/// storage and gives every slab a buffer of its own (`copyBuffer()`) before
/// the first write after it was copied.
struct Slab<Element: BitwiseCopyable> {
    private final class Buffer {
        let base: UnsafeMutablePointer<Element>
        let capacity: Int

        init(capacity: Int) {
            self.capacity = capacity
            // Cache-line aligned, so that a 64-byte record is one line.
            base = UnsafeMutableRawPointer.allocate(
                byteCount: capacity * MemoryLayout<Element>.stride,
                alignment: max(64, MemoryLayout<Element>.alignment)
            ).bindMemory(to: Element.self, capacity: capacity)
        }

        deinit { UnsafeMutableRawPointer(base).deallocate() }
    }

    private var buffer: Buffer
    /// `buffer.base`, kept here so that an access reads no class property.
    private var base: UnsafeMutablePointer<Element>
    private(set) var count = 0
    private(set) var capacity: Int

    init(minimumCapacity: Int = 16) {
        capacity = max(1, minimumCapacity)
        buffer = Buffer(capacity: capacity)
        base = buffer.base
    }

    init(repeating value: Element, count: Int) {
        self.init(minimumCapacity: count)
        base.initialize(repeating: value, count: count)
        self.count = count
    }

    var indices: Range<Int> { 0..<count }

    subscript(index: Int) -> Element {
        @inline(__always) unsafeAddress {
            assert(index >= 0 && index < count, "slab index out of range")
            return UnsafePointer(base + index)
        }
        @inline(__always) nonmutating unsafeMutableAddress {
            assert(index >= 0 && index < count, "slab index out of range")
            return base + index
        }
    }

    mutating func append(_ element: Element) {
        if count == capacity { reallocate(capacity: capacity * 2) }
        (base + count).initialize(to: element)
        count += 1
    }

    mutating func reserveCapacity(_ minimumCapacity: Int) {
        if minimumCapacity > capacity { reallocate(capacity: minimumCapacity) }
    }

    /// Moves the elements to a new buffer of this slab's own.
    mutating func copyBuffer() { reallocate(capacity: capacity) }

    private mutating func reallocate(capacity newCapacity: Int) {
        let newBuffer = Buffer(capacity: newCapacity)
        newBuffer.base.initialize(from: base, count: count)
        buffer = newBuffer
        base = newBuffer.base
        capacity = newCapacity
    }

    var memoryFootprint: Int { capacity * MemoryLayout<Element>.stride }
}
