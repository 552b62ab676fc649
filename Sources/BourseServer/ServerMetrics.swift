import BourseJSONLines
import Synchronization

/// The server's counters and latency histograms, written in Prometheus' text format at
/// `/metrics` together with the engine's own figures (see `Routes.metrics`).
public final class ServerMetrics: Sendable {
    /// A latency histogram with fixed bucket bounds (seconds).
    final class Histogram: Sendable {
        static let bounds: [Double] = [
            0.000_025, 0.000_05, 0.000_1, 0.000_25, 0.000_5, 0.001, 0.002, 0.003, 0.005, 0.007_5, 0.01, 0.015, 0.025,
            0.05, 0.1, 0.25, 0.5, 1, 2.5,
        ]
        private struct Counts {
            var buckets = [UInt64](repeating: 0, count: Histogram.bounds.count)
            var count: UInt64 = 0
            var sumNanoseconds: UInt64 = 0
        }
        private let counts = Mutex(Counts())

        func record(nanoseconds: UInt64) {
            let seconds = Double(nanoseconds) / 1e9
            counts.withLock { counts in
                for (index, bound) in Self.bounds.enumerated() where seconds <= bound { counts.buckets[index] += 1 }
                counts.count += 1
                counts.sumNanoseconds &+= nanoseconds
            }
        }

        func write(name: String, help: String, labels: String = "", into text: inout String) {
            let snapshot = counts.withLock { $0 }
            let prefix = labels.isEmpty ? "" : labels + ","
            text += "# HELP \(name) \(help)\n# TYPE \(name) histogram\n"
            for (index, bound) in Self.bounds.enumerated() {
                text += "\(name)_bucket{\(prefix)le=\"\(bound)\"} \(snapshot.buckets[index])\n"
            }
            text += "\(name)_bucket{\(prefix)le=\"+Inf\"} \(snapshot.count)\n"
            let braces = labels.isEmpty ? "" : "{\(labels)}"
            text += "\(name)_sum\(braces) \(Double(snapshot.sumNanoseconds) / 1e9)\n"
            text += "\(name)_count\(braces) \(snapshot.count)\n"
        }
    }

    private struct Counters {
        var accepted: UInt64 = 0
        var trades: UInt64 = 0
        var rejects: [String: UInt64] = [:]
        var httpResponses: [Int: UInt64] = [:]
    }

    private let counters = Mutex(Counters())
    /// From a command's submission to its events, released once durable.
    let commandLatency = Histogram()
    /// From a request's arrival to its response.
    let httpLatency = Histogram()
    /// From a stream message's publication to its write on a WebSocket connection.
    let webSocketDelivery = Histogram()

    public init() {}

    /// Counts the events of one command.
    func count(_ events: [JSONValue]) {
        counters.withLock { counters in
            for event in events {
                switch event["event"]?.stringValue {
                case "accepted": counters.accepted += 1
                case "trade": counters.trades += 1
                case "rejected": counters.rejects[event["reason"]?.stringValue ?? "unknown", default: 0] += 1
                default: break
                }
            }
        }
    }

    func countResponse(status: Int, nanoseconds: UInt64) {
        counters.withLock { $0.httpResponses[status, default: 0] += 1 }
        httpLatency.record(nanoseconds: nanoseconds)
    }

    /// The server's part of `/metrics`.
    func write(into text: inout String) {
        let snapshot = counters.withLock { $0 }
        text += "# HELP bourse_orders_accepted_total Orders the engine accepted.\n"
        text += "# TYPE bourse_orders_accepted_total counter\nbourse_orders_accepted_total \(snapshot.accepted)\n"
        text += "# HELP bourse_trades_total Trades.\n# TYPE bourse_trades_total counter\n"
        text += "bourse_trades_total \(snapshot.trades)\n"
        text += "# HELP bourse_rejects_total Rejected commands by reason.\n# TYPE bourse_rejects_total counter\n"
        for (reason, count) in snapshot.rejects.sorted(by: { $0.key < $1.key }) {
            text += "bourse_rejects_total{reason=\"\(reason)\"} \(count)\n"
        }
        text += "# HELP bourse_http_responses_total HTTP responses by status.\n"
        text += "# TYPE bourse_http_responses_total counter\n"
        for (status, count) in snapshot.httpResponses.sorted(by: { $0.key < $1.key }) {
            text += "bourse_http_responses_total{status=\"\(status)\"} \(count)\n"
        }
        commandLatency.write(
            name: "bourse_command_latency_seconds",
            help: "From a command's submission to its events (released once its journal batch is durable).",
            into: &text)
        httpLatency.write(
            name: "bourse_http_request_duration_seconds", help: "From a request's arrival to its response.",
            into: &text)
        webSocketDelivery.write(
            name: "bourse_websocket_delivery_seconds",
            help: "From a stream message's publication (its command's release) to its write on a WebSocket.",
            into: &text)
    }
}
