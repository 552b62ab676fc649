import BourseJSONLines
import BourseMarketData
import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging
import ServiceLifecycle

/// `/ws`: public channels per symbol (`book`: a snapshot, then deltas with the book's
/// sequence numbers; `trades`; `ticker`) and, after `auth`, the account's `orders` channel
/// (its orders' changes and its fills). Requests are JSON objects with an `op`; every
/// answer and message is a JSON object with a `type` (docs/server.md).
struct WebSocketStreams: Sendable {
    let marketData: MarketData
    let keys: Keys
    let metrics: ServerMetrics
    /// How long a connection waits after writing before it takes the next messages.
    let linger: Duration
    /// Largest request a client may send, in bytes.
    static let maxRequestBytes = 4096

    func add(to router: Router<BasicWebSocketRequestContext>) {
        router.ws("/ws") { inbound, outbound, _ in
            let hub = marketData.hub
            let id = hub.connect()
            defer { hub.disconnect(id) }
            try await withThrowingTaskGroup(of: Void.self) { group in
                // The stream's writer runs below the request handlers' priority: a crowd of
                // subscribers queues behind order entry, not in front of it.
                group.addTask(priority: .low) {
                    while true {
                        switch await hub.next(id) {
                        case .frames(let frames):
                            for frame in frames {
                                try await outbound.write(.text(frame.text))
                                if frame.published != 0 {
                                    metrics.webSocketDelivery.record(
                                        nanoseconds: DispatchTime.now().uptimeNanoseconds &- frame.published)
                                }
                            }
                            // Lets messages gather for a moment: a busy book then costs each
                            // connection a few frames a millisecond, not one per command.
                            if !frames.isEmpty, linger > .zero { try await Task.sleep(for: linger) }
                        case .dropped(let code, let message):
                            try await outbound.write(.text(Self.error(code, message)))
                            try await outbound.close(.policyViolation, reason: code)
                            return
                        case .closed:
                            return
                        }
                    }
                }
                group.addTask {
                    var account: String?
                    for try await message in inbound.messages(maxSize: Self.maxRequestBytes) {
                        // A connection that is being dropped gets no more answers.
                        if hub.isDropped(id) { break }
                        guard case .text(let text) = message else {
                            hub.reply(id, Self.error("malformed", "requests are JSON text messages"))
                            continue
                        }
                        handle(text, subscriber: id, account: &account)
                    }
                }
                // Either side ending ends the connection; disconnecting wakes a writer waiting
                // in `next` (a waiting continuation does not see cancellation).
                defer {
                    hub.disconnect(id)
                    group.cancelAll()
                }
                _ = try await group.next()
            }
        }
    }

    private func handle(_ text: String, subscriber id: Int, account: inout String?) {
        let hub = marketData.hub
        guard let request = try? JSONParser.parse(text), case .object = request,
            let op = request["op"]?.stringValue
        else {
            hub.reply(id, Self.error("malformed", "a request is a JSON object with an op"))
            return
        }
        switch op {
        case "ping":
            hub.reply(id, "{\"type\":\"pong\",\"ts\":\(Int64(Date().timeIntervalSince1970 * 1000))}")
        case "auth":
            if let account {
                hub.reply(id, Self.error("malformed", "this connection is authenticated as \(account) already"))
                return
            }
            guard let key = request["api_key"]?.stringValue, case .account(let name)? = keys.identify(key) else {
                hub.reply(id, Self.error("unauthorized", "unknown API key (an account's key is needed)"))
                return
            }
            account = name
            hub.reply(id, JSONValue.object([("type", .string("authenticated")), ("account", .string(name))]).jsonText)
        case "subscribe", "unsubscribe":
            let channel = request["channel"]?.stringValue ?? ""
            let symbol = request["symbol"]?.stringValue
            let topic: StreamHub.Topic
            switch (channel, symbol) {
            case ("book", let symbol?): topic = .book(symbol)
            case ("trades", let symbol?): topic = .trades(symbol)
            case ("ticker", let symbol?): topic = .ticker(symbol)
            case ("orders", _):
                guard let account else {
                    hub.reply(id, Self.error("unauthorized", "send {\"op\":\"auth\",\"api_key\":...} first"))
                    return
                }
                topic = .orders(account)
            default:
                hub.reply(
                    id,
                    Self.error(
                        "malformed", "channel must be book, trades or ticker (with a symbol), or orders (after auth)"))
                return
            }
            var answer: [(String, JSONValue)] = [
                ("type", .string(op == "subscribe" ? "subscribed" : "unsubscribed")), ("channel", .string(channel)),
            ]
            if let symbol, channel != "orders" { answer.append(("symbol", .string(symbol))) }
            if op == "unsubscribe" {
                hub.unsubscribe(id, from: topic)
                hub.reply(id, JSONValue.object(answer).jsonText)
                return
            }
            if hub.isSubscribed(id, to: topic) {
                hub.reply(id, JSONValue.object(answer).jsonText)
                return
            }
            if let symbol, channel != "orders", marketData.instrument(symbol) == nil {
                hub.reply(id, Self.error("unknown_symbol", "no instrument \(symbol)"))
                return
            }
            // The answer first, then (book, ticker) the snapshot, then the stream.
            hub.reply(id, JSONValue.object(answer).jsonText)
            _ = marketData.subscribe(id, to: topic)
        default:
            hub.reply(id, Self.error("malformed", "op must be subscribe, unsubscribe, auth or ping"))
        }
    }

    static func error(_ code: String, _ message: String) -> String {
        JSONValue.object([("type", .string("error")), ("code", .string(code)), ("message", .string(message))])
            .jsonText
    }
}

/// Publishes tickers a few times a second and heartbeats to every WebSocket connection, and
/// ends the streams at shutdown.
struct StreamTimers: Service {
    let marketData: MarketData
    let heartbeatSeconds: Int

    func run() async throws {
        var sinceHeartbeat = Duration.zero
        let tick = Duration.milliseconds(250)
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            try? await Task.sleep(for: tick)
            marketData.publishTickers()
            sinceHeartbeat += tick
            if sinceHeartbeat >= .seconds(heartbeatSeconds) {
                sinceHeartbeat = .zero
                marketData.hub.heartbeat(now: Int64(Date().timeIntervalSince1970 * 1000))
            }
        }
        marketData.hub.shutDown()
    }
}
