import BourseJSONLines
import Foundation
import Synchronization

/// The WebSocket's streams: one shared log of messages that every subscriber reads from
/// its own cursor, so that publishing costs the engine's consumer the same whether one
/// client listens or five hundred, and a slow subscriber holds back nobody but itself.
///
/// A subscriber's task asks for its next frames (`next(_:)`); it gets everything between
/// its cursor and the end of the log that its subscriptions select, with consecutive book
/// deltas of one symbol merged into one message (`first_seq` to `seq`). A subscriber that
/// falls behind the oldest message the log keeps (`capacity`) is dropped with the reason
/// `slow_consumer`; the others never wait for it.
public final class StreamHub: Sendable {
    /// What a message is for: a symbol's book, trades or ticker, an account's orders and
    /// fills, or everyone (heartbeats).
    public enum Topic: Hashable, Sendable {
        case book(String)
        case trades(String)
        case ticker(String)
        case orders(String)
        case everyone
    }

    /// One message of the log, encoded once.
    struct Entry: Sendable {
        var topic: Topic
        /// A whole message, or for a book delta the changes (`["buy","1.00","5",1],...`).
        var text: String
        /// For a book delta: its sequence number.
        var seq: UInt64
        /// When it was published (`DispatchTime` nanoseconds), for the delivery latency.
        var published: UInt64
    }

    /// What a subscriber's task writes next.
    public enum Delivery: Sendable {
        /// Text frames (at least one), with the publication time of each frame's oldest
        /// message (0 for replies).
        case frames([(text: String, published: UInt64)])
        /// The subscriber was dropped: send this error and close.
        case dropped(code: String, message: String)
        /// The subscriber is gone (disconnected, or the hub shut down).
        case closed
    }

    struct Subscriber {
        var cursor: Int
        var topics: Set<Topic> = [.everyone]
        /// The log's ids of `topics` (compared per message instead of the topics themselves).
        var topicIDs: [Int] = [StreamHub.everyoneID]
        /// Per topic id: the log position of its subscription; earlier messages are skipped.
        var since: [Int: Int] = [:]
        /// The sequence number of the last book message sent per symbol (a snapshot's or a delta's).
        var bookSeq: [String: UInt64] = [:]
        /// Replies and snapshots, sent before the log; more than `pendingLimit` of them or
        /// `pendingByteLimit` bytes waiting (a client that sends requests but does not read)
        /// drops the subscriber.
        var pending: [String] = []
        var waiter: CheckedContinuation<Taken, Never>?
        var dropped: Bool = false
        /// Too many answers waited: it is dropped at its next `take`.
        var overflowed: Bool = false

        var pendingBytes = 0

        /// Queues an answer, unless too many (or too many bytes) wait already: a client that
        /// sends requests and does not read its answers.
        mutating func queue(_ text: String) {
            guard !overflowed else { return }
            if pending.count >= StreamHub.pendingLimit || pendingBytes + text.utf8.count > StreamHub.pendingByteLimit {
                overflowed = true
                pending = []
                pendingBytes = 0
            } else {
                pending.append(text)
                pendingBytes += text.utf8.count
            }
        }
    }

    /// A message as the log keeps it: its topic by id.
    struct Stored {
        var topicID: Int
        /// For a book delta: the symbol (else empty).
        var symbol: String
        var text: String
        var seq: UInt64
        var published: UInt64
    }

    /// A fixed run of the log. Messages are written once, under the lock, before the log's
    /// end passes them; a subscriber's task that took the segment under the lock reads
    /// them afterwards without it. A segment lives while the log or a reader holds it.
    final class Segment: @unchecked Sendable {
        /// The log position of the first message.
        let start: Int
        let size: Int
        let storage: UnsafeMutablePointer<Stored>
        let written = Atomic<Int>(0)

        init(start: Int, size: Int) {
            self.start = start
            self.size = size
            storage = .allocate(capacity: size)
        }

        /// Under the hub's lock only.
        func append(_ message: Stored) {
            let count = written.load(ordering: .relaxed)
            (storage + count).initialize(to: message)
            written.store(count + 1, ordering: .releasing)
        }

        deinit {
            storage.deinitialize(count: written.load(ordering: .acquiring))
            storage.deallocate()
        }
    }

    static let everyoneID = 0
    static let pendingLimit = 1024
    static let pendingByteLimit = 64 << 20

    struct State {
        /// The log, oldest segment first; the last one is being filled.
        var segments: [Segment] = []
        /// The log position of the next message.
        var end = 0
        /// The log position of the oldest message kept.
        var base: Int { segments.first?.start ?? end }
        var topicIDs: [Topic: Int] = [.everyone: StreamHub.everyoneID]
        var subscribers: [Int: Subscriber] = [:]
        /// The subscribers whose task waits in `next`.
        var waiting: Set<Int> = []
        var nextID = 1
        var isShutDown = false
        /// How many subscribers each topic has.
        var topicCounts: [Topic: Int] = [:]
        /// The topics with a subscriber (kept with `topicCounts`, read once per command).
        var activeTopics: Set<Topic> = []
        var drops: UInt64 = 0
        var delivered: UInt64 = 0
    }

    /// The topics someone subscribes to: messages for others need not be made.
    public var activeTopics: Set<Topic> { state.withLock { $0.activeTopics } }

    /// Messages kept for subscribers that are behind.
    public let capacity: Int
    /// Log entries one call of `next` takes are at most four times this (the rest wait for
    /// the following call).
    public let batch: Int
    private let state = Mutex(State())

    /// Messages per segment of the log.
    let segmentSize: Int

    public init(capacity: Int = 1 << 16, batch: Int = 512) {
        self.capacity = max(capacity, 2)
        self.batch = max(batch, 1)
        segmentSize = min(1024, max(self.capacity / 4, 1))
    }

    // MARK: Subscribers

    /// A new subscriber, at the end of the log; it starts with only heartbeats.
    public func connect() -> Int {
        state.withLock { state in
            let id = state.nextID
            state.nextID += 1
            state.subscribers[id] = Subscriber(cursor: state.end)
            return id
        }
    }

    public func disconnect(_ id: Int) {
        let waiter = state.withLock { state -> CheckedContinuation<Taken, Never>? in
            guard let subscriber = state.subscribers.removeValue(forKey: id) else { return nil }
            state.waiting.remove(id)
            for topic in subscriber.topics { state.count(topic, by: -1) }
            return subscriber.waiter
        }
        waiter?.resume(returning: .delivery(.closed))
    }

    /// Sends `text` to one subscriber, ahead of the log (a reply to its request).
    public func reply(_ id: Int, _ text: String) {
        let woken = state.withLock { state -> Wake? in
            guard state.subscribers[id] != nil else { return nil }
            state.subscribers[id]!.queue(text)
            return Self.signal(id, &state)
        }
        woken?.resume()
    }

    /// Adds a topic. For a book, `snapshot` is the message the subscriber gets first and
    /// `seq` its sequence number: only deltas after it follow. The caller holds whatever
    /// keeps `seq` from moving (the market data's lock), so no delta falls between.
    public func subscribe(_ id: Int, to topic: Topic, snapshot: String? = nil, seq: UInt64 = 0) {
        let woken = state.withLock { state -> Wake? in
            guard state.subscribers[id] != nil else { return nil }
            if state.subscribers[id]!.topics.insert(topic).inserted {
                state.count(topic, by: 1)
                let topicID = state.topicID(topic)
                state.subscribers[id]!.topicIDs.append(topicID)
                // Messages of the topic already in the log came before the subscription.
                state.subscribers[id]!.since[topicID] = state.end
            }
            if case .book(let symbol) = topic { state.subscribers[id]!.bookSeq[symbol] = seq }
            if let snapshot { state.subscribers[id]!.queue(snapshot) }
            return Self.signal(id, &state)
        }
        woken?.resume()
    }

    public func unsubscribe(_ id: Int, from topic: Topic) {
        state.withLock { state in
            if state.subscribers[id]?.topics.remove(topic) != nil {
                state.count(topic, by: -1)
                let topicID = state.topicID(topic)
                state.subscribers[id]!.topicIDs.removeAll { $0 == topicID }
                state.subscribers[id]!.since[topicID] = nil
            }
            if case .book(let symbol) = topic { state.subscribers[id]?.bookSeq[symbol] = nil }
        }
    }

    /// Whether the subscriber is gone or due to be dropped (its requests need no answer).
    public func isDropped(_ id: Int) -> Bool {
        state.withLock { state in
            guard let subscriber = state.subscribers[id] else { return true }
            return subscriber.dropped || subscriber.overflowed
        }
    }

    public func isSubscribed(_ id: Int, to topic: Topic) -> Bool {
        state.withLock { $0.subscribers[id]?.topics.contains(topic) ?? false }
    }

    /// Waits for the subscriber's next frames. The messages are taken from the log under
    /// the lock (references to the log's segments); the frames are built outside it, so
    /// subscribers do not hold up the engine's consumer publishing.
    public func next(_ id: Int) async -> Delivery {
        while true {
            let taken: Taken = await withCheckedContinuation { continuation in
                let answer: Taken? = state.withLock { state in
                    guard state.subscribers[id] != nil, !state.isShutDown else { return .delivery(.closed) }
                    if let taken = take(id, &state, limit: batch * 4) { return taken }
                    state.subscribers[id]!.waiter = continuation
                    state.waiting.insert(id)
                    return nil
                }
                if let answer { continuation.resume(returning: answer) }
            }
            switch taken {
            case .delivery(.frames(let frames)) where frames.isEmpty:
                continue  // woken: look again
            case .delivery(let delivery):
                return delivery
            case .work(let work):
                let (frames, bookSeq) = Self.build(work)
                state.withLock { state in
                    state.delivered += UInt64(frames.count)
                    guard state.subscribers[id] != nil else { return }
                    // A later subscription to the same book (a new snapshot) keeps its number.
                    for (symbol, seq) in bookSeq where seq > state.subscribers[id]!.bookSeq[symbol] ?? 0 {
                        if state.subscribers[id]!.topics.contains(.book(symbol)) {
                            state.subscribers[id]!.bookSeq[symbol] = seq
                        }
                    }
                }
                if !frames.isEmpty { return .frames(frames) }
            }
        }
    }

    /// Ends every subscriber's stream (the server is stopping).
    public func shutDown() {
        let waiters = state.withLock { state in
            state.isShutDown = true
            let waiters = state.waiting.compactMap { state.subscribers[$0]?.waiter }
            for id in state.waiting { state.subscribers[id]?.waiter = nil }
            state.waiting = []
            return waiters
        }
        for waiter in waiters { waiter.resume(returning: .delivery(.closed)) }
    }

    public var subscriberCount: Int { state.withLock { $0.subscribers.count } }

    /// Subscribers dropped for falling behind, and frames handed out, since the start.
    public var counters: (drops: UInt64, delivered: UInt64) { state.withLock { ($0.drops, $0.delivered) } }

    // MARK: Publishing

    /// Appends messages to the log and wakes the subscribers waiting for them.
    func publish(_ new: [Entry]) {
        guard !new.isEmpty else { return }
        var woken: [Wake] = []
        state.withLock { state in
            var topicIDs: [Int] = []
            for entry in new {
                let topicID = state.topicID(entry.topic)
                topicIDs.append(topicID)
                if state.segments.last.map({ state.end == $0.start + $0.size }) ?? true {
                    state.segments.append(Segment(start: state.end, size: segmentSize))
                }
                var symbol = ""
                if case .book(let name) = entry.topic { symbol = name }
                state.segments.last!.append(
                    Stored(
                        topicID: topicID, symbol: symbol, text: entry.text, seq: entry.seq, published: entry.published))
                state.end += 1
            }
            // Whole segments go once the log holds more than `capacity` messages without them.
            while state.segments.count > 1, state.end - state.segments[1].start >= capacity {
                state.segments.removeFirst()
            }
            // Waiting subscribers that the new messages concern are woken; each builds its
            // frames in its own task (`next`), so publishing costs the engine's consumer
            // nothing per subscriber beyond this check.
            for id in state.waiting {
                guard topicIDs.contains(where: { state.subscribers[id]!.topicIDs.contains($0) }) else {
                    // It has read everything before these, and these are not for it.
                    state.subscribers[id]!.cursor = state.end
                    continue
                }
                woken.append(Wake(id: id, waiter: state.subscribers[id]!.waiter!))
                state.subscribers[id]!.waiter = nil
            }
            for wake in woken { state.waiting.remove(wake.id) }
        }
        for wake in woken { wake.resume() }
    }

    /// Publishes a heartbeat to every subscriber.
    public func heartbeat(now: Int64) {
        publish([
            Entry(
                topic: .everyone, text: "{\"type\":\"heartbeat\",\"ts\":\(now)}", seq: 0,
                published: DispatchTime.now().uptimeNanoseconds)
        ])
    }

    // MARK: Delivery

    /// What a subscriber's task takes from the log under the lock.
    enum Taken: Sendable {
        case delivery(Delivery)
        case work(Work)
    }

    /// Messages to turn into one subscriber's frames, and what selects among them.
    struct Work: Sendable {
        var pending: [String]
        /// The segments that hold log positions `from..<to`.
        var segments: [Segment]
        var from: Int
        var to: Int
        var topicIDs: [Int]
        var since: [Int: Int]
        var bookSeq: [String: UInt64]
    }

    /// A waiting subscriber task, woken to look at the log again once the lock is released.
    struct Wake {
        var id: Int
        var waiter: CheckedContinuation<Taken, Never>
        func resume() { waiter.resume(returning: .delivery(.frames([]))) }
    }

    /// Wakes the subscriber's task if it waits.
    private static func signal(_ id: Int, _ state: inout State) -> Wake? {
        guard let waiter = state.subscribers[id]?.waiter else { return nil }
        state.subscribers[id]!.waiter = nil
        state.waiting.remove(id)
        return Wake(id: id, waiter: waiter)
    }

    /// Under the lock: the subscriber's pending replies and up to `limit` log entries after
    /// its cursor (which moves past them), or nil if there is nothing.
    private func take(_ id: Int, _ state: inout State, limit: Int) -> Taken? {
        guard state.subscribers[id] != nil else { return .delivery(.closed) }
        if state.subscribers[id]!.dropped { return .delivery(.closed) }
        if state.subscribers[id]!.cursor < state.base || state.subscribers[id]!.overflowed {
            state.subscribers[id]!.dropped = true
            state.subscribers[id]!.pending = []
            state.drops += 1
            return .delivery(
                .dropped(
                    code: "slow_consumer",
                    message: "this connection fell too far behind (more than \(state.end - state.base) messages, "
                        + "or its unread answers); reconnect and resubscribe"))
        }
        let from = state.subscribers[id]!.cursor
        let to = min(state.end, from + limit)
        guard to > from || !state.subscribers[id]!.pending.isEmpty else { return nil }
        var segments: [Segment] = []
        if to > from {
            var index = (from - state.base) / segmentSize
            while index < state.segments.count, state.segments[index].start < to {
                segments.append(state.segments[index])
                index += 1
            }
        }
        let work = Work(
            pending: state.subscribers[id]!.pending, segments: segments, from: from, to: to,
            topicIDs: state.subscribers[id]!.topicIDs, since: state.subscribers[id]!.since,
            bookSeq: state.subscribers[id]!.bookSeq)
        state.subscribers[id]!.pending = []
        state.subscribers[id]!.pendingBytes = 0
        state.subscribers[id]!.cursor = to
        return .work(work)
    }

    /// Outside the lock: the frames of the taken messages that the subscriber's topics
    /// select, consecutive deltas of a book merged into one; and the books' new numbers.
    private static func build(_ work: Work) -> ([(text: String, published: UInt64)], [String: UInt64]) {
        var frames: [(text: String, published: UInt64)] = work.pending.map { ($0, 0) }
        var bookSeq = work.bookSeq
        // A book delta being merged: its symbol, first and last sequence numbers, changes, oldest time.
        var merging: (symbol: String, first: UInt64, last: UInt64, changes: String, published: UInt64)?
        func flushDelta() {
            guard let delta = merging else { return }
            frames.append(
                (
                    "{\"channel\":\"book\",\"type\":\"delta\",\"symbol\":\(JSONValue.string(delta.symbol).jsonText),"
                        + "\"first_seq\":\(delta.first),\"seq\":\(delta.last),\"changes\":[\(delta.changes)]}",
                    delta.published
                ))
            merging = nil
        }
        for segment in work.segments {
            for position in max(work.from, segment.start)..<min(work.to, segment.start + segment.size) {
                let entry = segment.storage + (position - segment.start)
                guard work.topicIDs.contains(entry.pointee.topicID),
                    position >= work.since[entry.pointee.topicID] ?? 0
                else { continue }
                if !entry.pointee.symbol.isEmpty {
                    let symbol = entry.pointee.symbol
                    // Deltas the subscriber's snapshot already holds are skipped.
                    guard entry.pointee.seq > bookSeq[symbol] ?? 0 else { continue }
                    bookSeq[symbol] = entry.pointee.seq
                    if let delta = merging, delta.symbol == symbol, delta.last + 1 == entry.pointee.seq {
                        merging!.last = entry.pointee.seq
                        merging!.changes += "," + entry.pointee.text
                        continue
                    }
                    flushDelta()
                    merging = (
                        symbol, entry.pointee.seq, entry.pointee.seq, entry.pointee.text, entry.pointee.published
                    )
                    continue
                }
                flushDelta()
                frames.append((entry.pointee.text, entry.pointee.published))
            }
        }
        flushDelta()
        return (frames, bookSeq)
    }
}

extension StreamHub.State {
    /// The log's id of a topic (given on first use).
    mutating func topicID(_ topic: StreamHub.Topic) -> Int {
        if let id = topicIDs[topic] { return id }
        let id = topicIDs.count
        topicIDs[topic] = id
        return id
    }

    mutating func count(_ topic: StreamHub.Topic, by change: Int) {
        let count = (topicCounts[topic] ?? 0) + change
        topicCounts[topic] = count > 0 ? count : nil
        if count > 0 { activeTopics.insert(topic) } else { activeTopics.remove(topic) }
    }
}
