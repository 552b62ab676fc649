/// GTD orders by expiry time: a binary min-heap of (expire_at, order id).
/// Entries of orders that ended early stay until their time and are skipped then.
struct ExpiryQueue {
    private var heap: [(expireAt: Int64, orderID: UInt64)] = []

    func nextExpiry() -> Int64? { heap.first?.expireAt }

    mutating func push(expireAt: Int64, orderID: UInt64) {
        heap.append((expireAt, orderID))
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].expireAt < heap[parent].expireAt else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    mutating func popMin() -> (expireAt: Int64, orderID: UInt64)? {
        guard !heap.isEmpty else { return nil }
        let top = heap[0]
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            var parent = 0
            while true {
                let left = 2 * parent + 1
                let right = left + 1
                var smallest = parent
                if left < heap.count && heap[left].expireAt < heap[smallest].expireAt { smallest = left }
                if right < heap.count && heap[right].expireAt < heap[smallest].expireAt { smallest = right }
                if smallest == parent { break }
                heap.swapAt(parent, smallest)
                parent = smallest
            }
        }
        return top
    }
}
