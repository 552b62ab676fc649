/// The books of all instruments, in one buffer whose elements stay in place.
///
/// A command works on its book in place through `pointer(to:)`: moving a book
/// out of an array and back costs two copies of it per command (measured with
/// `bourse bench`). Like `Slab`, a copy shares the buffer until `copyBuffers()`.
struct BookList {
    private final class Storage: ManagedBuffer<Int, Book> {
        deinit { _ = withUnsafeMutablePointers { count, books in books.deinitialize(count: count.pointee) } }
    }

    private var storage = Storage.create(minimumCapacity: 4) { _ in 0 } as! Storage
    // Count and capacity are also kept here: reading them from the buffer costs an
    // exclusivity check and a malloc_size call.
    private(set) var count = 0
    private var capacity = 4

    subscript(index: Int) -> Book {
        precondition(index >= 0 && index < count)
        return storage.withUnsafeMutablePointerToElements { $0[index] }
    }

    /// The address of book `index`, valid until the list next changes.
    @inline(__always)
    func pointer(to index: Int) -> UnsafeMutablePointer<Book> {
        precondition(index >= 0 && index < count)
        return storage.withUnsafeMutablePointerToElements { $0 + index }
    }

    /// Gives the list, and every book in it, buffers of their own.
    mutating func copyBuffers() {
        reallocate(capacity: capacity)
        for i in 0..<count { pointer(to: i).pointee.copyBuffers() }
    }

    mutating func append(_ book: Book) {
        if count == capacity { reallocate(capacity: capacity * 2) }
        storage.withUnsafeMutablePointers { header, books in
            (books + header.pointee).initialize(to: book)
            header.pointee += 1
        }
        count += 1
    }

    private mutating func reallocate(capacity: Int) {
        let count = self.count
        let copy = Storage.create(minimumCapacity: capacity) { _ in count } as! Storage
        storage.withUnsafeMutablePointerToElements { old in
            copy.withUnsafeMutablePointerToElements { new in new.initialize(from: old, count: count) }
        }
        storage = copy
        self.capacity = capacity
    }
}
