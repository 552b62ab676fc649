import Atomics

#if canImport(Glibc)
import Glibc
#endif

/// Bytes in a circular buffer, addressed by ever-growing positions (the index is the
/// position modulo the capacity). Who may write where is the owner's business; this
/// only copies in and out across the wrap.
///
/// A value of plain pointers, so that the threads that share the bytes share no
/// reference count (a class's retains and releases, from the sequencer and the thread
/// on the other side, took the same cache line back and forth). The owner frees the
/// bytes with `deallocate()` once no thread uses them.
struct ByteRing: @unchecked Sendable {
    let capacity: Int
    private let mask: Int
    let base: UnsafeMutableRawPointer

    /// A ring of at least `capacity` bytes (rounded up to a power of two).
    init(capacity: Int) {
        var size = 4096
        while size < capacity { size <<= 1 }
        self.capacity = size
        mask = size - 1
        base = .allocate(byteCount: size, alignment: 64)
        // Touch every page now: a page fault on the first lap costs the sequencer microseconds.
        memset(base, 0, size)
    }

    /// Frees the bytes; no copy of this ring may be used afterwards.
    func deallocate() { base.deallocate() }

    @inline(__always)
    func index(_ position: Int) -> Int { position & mask }

    /// Copies `bytes` in at `position`.
    @inline(__always)
    func write(_ bytes: UnsafeRawBufferPointer, at position: Int) {
        guard bytes.count > 0 else { return }
        let start = index(position)
        let first = min(bytes.count, capacity - start)
        (base + start).copyMemory(from: bytes.baseAddress!, byteCount: first)
        if first < bytes.count { base.copyMemory(from: bytes.baseAddress! + first, byteCount: bytes.count - first) }
    }

    /// Copies `count` bytes out from `position` into `destination`.
    @inline(__always)
    func read(_ count: Int, at position: Int, into destination: UnsafeMutableRawPointer) {
        guard count > 0 else { return }
        let start = index(position)
        let first = min(count, capacity - start)
        destination.copyMemory(from: base + start, byteCount: first)
        if first < count { (destination + first).copyMemory(from: base, byteCount: count - first) }
    }

    /// The bytes from `position` to `end` if they do not wrap.
    @inline(__always)
    func contiguous(from position: Int, to end: Int) -> UnsafeMutableRawBufferPointer? {
        let start = index(position)
        guard start + (end - position) <= capacity else { return nil }
        return UnsafeMutableRawBufferPointer(start: base + start, count: end - position)
    }
}
