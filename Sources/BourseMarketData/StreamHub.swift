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
        /// Text frames, with the publication time of each frame's oldest message (0 for replies).
        case frames([(text: String, published: UInt64)])
        /// The subscriber was dropped: send this error and close.
        case dropped(code: String, message: String)
        /// The subscriber is gone (disconnected, or the hub shut down).
        case closed
    }

    struct Subscriber {
        var cursor: Int
        var topics: Set<Topic> = [.everyone]
        /// The sequence number of the last book message sent per symbol (a snapshot's or a delta's).
        var bookSeq: [String: UInt64] = [:]
        /// Replies and snapshots, sent before the log.
        var pending: [String] = []
        var waiter: CheckedContinuation<Delivery, Never>?
        var dropped: Bool = false
    }

    struct State {
        var entries: [Entry] = []
        /// The log position of `entries[0]`.
        var base = 0
        var subscribers: [Int: Subscriber] = [:]
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
    /// Most messages put into one call of `next` (the rest wait for the following call).
    public let batch: Int
    private let state = Mutex(State())

    public init(capacity: Int = 1 << 16, batch: Int = 512) {
        self.capacity = max(capacity, 2)
        self.batch = max(batch, 1)
    }

    // MARK: Subscribers

    /// A new subscriber, at the end of the log; it starts with only heartbeats.
    public func connect() -> Int {
        state.withLock { state in
            let id = state.nextID
            state.nextID += 1
            state.subscribers[id] = Subscriber(cursor: state.base + state.entries.count)
            return id
        }
    }

    public func disconnect(_ id: Int) {
        let waiter = state.withLock { state -> CheckedContinuation<Delivery, Never>? in
            guard let subscriber = state.subscribers.removeValue(forKey: id) else { return nil }
            for topic in subscriber.topics { state.count(topic, by: -1) }
            return subscriber.waiter
        }
        waiter?.resume(returning: .closed)
    }

    /// Sends `text` to one subscriber, ahead of the log (a reply to its request).
    public func reply(_ id: Int, _ text: String) {
        let woken = state.withLock { state -> Wake? in
            guard state.subscribers[id] != nil else { return nil }
            state.subscribers[id]!.pending.append(text)
            return Self.wake(id, &state, batch: batch)
        }
        woken?.resume()
    }

    /// Adds a topic. For a book, `snapshot` is the message the subscriber gets first and
    /// `seq` its sequence number: only deltas after it follow. The caller holds whatever
    /// keeps `seq` from moving (the market data's lock), so no delta falls between.
    public func subscribe(_ id: Int, to topic: Topic, snapshot: String? = nil, seq: UInt64 = 0) {
        let woken = state.withLock { state -> Wake? in
            guard state.subscribers[id] != nil else { return nil }
            if state.subscribers[id]!.topics.insert(topic).inserted { state.count(topic, by: 1) }
            if case .book(let symbol) = topic { state.subscribers[id]!.bookSeq[symbol] = seq }
            if let snapshot { state.subscribers[id]!.pending.append(snapshot) }
            return Self.wake(id, &state, batch: batch)
        }
        woken?.resume()
    }

    public func unsubscribe(_ id: Int, from topic: Topic) {
        state.withLock { state in
            if state.subscribers[id]?.topics.remove(topic) != nil { state.count(topic, by: -1) }
            if case .book(let symbol) = topic { state.subscribers[id]?.bookSeq[symbol] = nil }
        }
    }

    public func isSubscribed(_ id: Int, to topic: Topic) -> Bool {
        state.withLock { $0.subscribers[id]?.topics.contains(topic) ?? false }
    }

    /// Waits for the subscriber's next frames.
    public func next(_ id: Int) async -> Delivery {
        await withCheckedContinuation { continuation in
            let answer: Delivery? = state.withLock { state in
                guard state.subscribers[id] != nil, !state.isShutDown else { return .closed }
                if let delivery = Self.deliver(id, &state, batch: batch) { return delivery }
                state.subscribers[id]!.waiter = continuation
                return nil
            }
            if let answer { continuation.resume(returning: answer) }
        }
    }

    /// Ends every subscriber's stream (the server is stopping).
    public func shutDown() {
        let waiters = state.withLock { state in
            state.isShutDown = true
            return state.subscribers.values.compactMap(\.waiter)
        }
        for waiter in waiters { waiter.resume(returning: .closed) }
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
            state.entries.append(contentsOf: new)
            if state.entries.count > capacity {
                // Keep the newest half: trimming in halves keeps the cost per message constant.
                let cut = state.entries.count - capacity / 2
                state.entries.removeFirst(cut)
                state.base += cut
            }
            for (id, subscriber) in state.subscribers where subscriber.waiter != nil {
                if let wake = Self.wake(id, &state, batch: batch) { woken.append(wake) }
            }
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

    /// A waiting subscriber task and what to give it, resumed once the lock is released.
    struct Wake {
        var waiter: CheckedContinuation<Delivery, Never>
        var delivery: Delivery
        func resume() { waiter.resume(returning: delivery) }
    }

    /// If the subscriber's task is waiting and something is there for it: the wake-up.
    private static func wake(_ id: Int, _ state: inout State, batch: Int) -> Wake? {
        guard let waiter = state.subscribers[id]?.waiter, let delivery = deliver(id, &state, batch: batch) else {
            return nil
        }
        state.subscribers[id]?.waiter = nil
        return Wake(waiter: waiter, delivery: delivery)
    }

    /// What the subscriber gets now, or nil if nothing is there for it.
    private static func deliver(_ id: Int, _ state: inout State, batch: Int) -> Delivery? {
        guard var subscriber = state.subscribers[id] else { return .closed }
        if subscriber.dropped { return .closed }
        if subscriber.cursor < state.base {
            subscriber.dropped = true
            subscriber.pending = []
            state.subscribers[id] = subscriber
            state.drops += 1
            return .dropped(
                code: "slow_consumer",
                message:
                    "this connection fell more than \(state.entries.count) messages behind; reconnect and resubscribe")
        }
        var frames: [(text: String, published: UInt64)] = subscriber.pending.map { ($0, 0) }
        subscriber.pending = []
        let end = state.base + state.entries.count
        var position = subscriber.cursor
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
        while position < end && frames.count < batch {
            let entry = state.entries[position - state.base]
            position += 1
            guard subscriber.topics.contains(entry.topic) else { continue }
            if case .book(let symbol) = entry.topic {
                // Deltas the subscriber's snapshot already holds are skipped.
                guard entry.seq > subscriber.bookSeq[symbol] ?? 0 else { continue }
                subscriber.bookSeq[symbol] = entry.seq
                if let delta = merging, delta.symbol == symbol, delta.last + 1 == entry.seq {
                    merging!.last = entry.seq
                    merging!.changes += "," + entry.text
                    continue
                }
                flushDelta()
                merging = (symbol, entry.seq, entry.seq, entry.text, entry.published)
                continue
            }
            flushDelta()
            frames.append((entry.text, entry.published))
        }
        flushDelta()
        subscriber.cursor = position
        state.subscribers[id] = subscriber
        guard !frames.isEmpty else { return nil }
        state.delivered += UInt64(frames.count)
        return .frames(frames)
    }
}

extension StreamHub.State {
    mutating func count(_ topic: StreamHub.Topic, by change: Int) {
        let count = (topicCounts[topic] ?? 0) + change
        topicCounts[topic] = count > 0 ? count : nil
        if count > 0 { activeTopics.insert(topic) } else { activeTopics.remove(topic) }
    }
}
