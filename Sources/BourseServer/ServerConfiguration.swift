import Foundation
import Yams

/// What `bourse serve` runs: where it listens and keeps its data, and the instruments and
/// accounts a new data folder starts with. Read from a YAML file (`--config`), then
/// environment variables (`BOURSE_HOST`, `BOURSE_PORT`, `BOURSE_DATA`, `BOURSE_DURABILITY`,
/// `BOURSE_ADMIN_KEY`), then flags, each overriding the one before. See `docs/server.md`.
public struct ServerConfiguration: Sendable, Decodable {
    public var host = "127.0.0.1"
    public var port = 8080
    public var data = "./bourse-data"
    /// `sync` (events are released once their journal batch is synced) or `async`.
    public var durability = "sync"
    /// A snapshot every this many commands (0: only on demand and at shutdown).
    public var snapshotEvery: UInt64 = 1_000_000
    /// The admin key, in plain text (hashed when read) or as its SHA-256 in hex.
    public var adminKey: String?
    public var adminKeySHA256: String?
    /// Largest request body, in bytes.
    public var maxBodyBytes = 64 * 1024
    /// Requests per second per API key (a burst of as many is allowed).
    public var requestsPerSecond = 10_000
    /// The engine's output ring, in bytes; a command's events longer than a quarter of it
    /// (at most 1 MiB) reach the server in several chunks.
    public var outputBytes = 64 << 20
    /// Stream messages kept for WebSocket subscribers that are behind; one that falls further
    /// behind is dropped (`slow_consumer`).
    public var webSocketBuffer = 1 << 16
    /// Milliseconds a WebSocket connection lets stream messages gather after each write
    /// (deltas that gather are merged): bounds the frames a busy book costs.
    public var webSocketBatchMilliseconds = 5
    /// Seconds between heartbeats on every WebSocket connection.
    public var webSocketHeartbeatSeconds = 10
    /// Commands the engine's intake holds before it answers `busy` (503); rounded up to a power of two.
    public var intakeCapacity = 1 << 16
    public var instruments: [InstrumentSettings] = []
    public var accounts: [AccountSettings] = []

    public struct InstrumentSettings: Sendable, Decodable {
        public var symbol: String
        public var tickSize: String
        public var lotSize: String
        public var minQty: String?
        public var maxQty: String?
        public var minNotional: String?
        /// `set_instrument_risk` fields (`price_band_pct`, `breaker_pct`, ...), as the command takes them.
        public var risk: [String: String]?
        /// Maker and taker fees of tier 0, in whole basis points.
        public var makerBps: Int?
        public var takerBps: Int?

        enum CodingKeys: String, CodingKey {
            case symbol, risk
            case tickSize = "tick_size"
            case lotSize = "lot_size"
            case minQty = "min_qty"
            case maxQty = "max_qty"
            case minNotional = "min_notional"
            case makerBps = "maker_bps"
            case takerBps = "taker_bps"
        }
    }

    public struct AccountSettings: Sendable, Decodable {
        public var name: String
        /// The account's API keys, in plain text (hashed when read) or as SHA-256 in hex.
        public var apiKeys: [String]?
        public var apiKeySHA256s: [String]?
        /// `cash` or `credit` (the default).
        public var mode: String?
        /// Deposits by asset, made once, when the data folder is new.
        public var deposits: [String: String]?
        /// `set_limits` fields, as the command takes them.
        public var limits: [String: String]?

        enum CodingKeys: String, CodingKey {
            case name, mode, deposits, limits
            case apiKeys = "api_keys"
            case apiKeySHA256s = "api_key_sha256s"
        }
    }

    enum CodingKeys: String, CodingKey {
        case host, port, data, durability, instruments, accounts
        case snapshotEvery = "snapshot_every"
        case adminKey = "admin_key"
        case adminKeySHA256 = "admin_key_sha256"
        case maxBodyBytes = "max_body_bytes"
        case requestsPerSecond = "requests_per_second"
        case intakeCapacity = "intake_capacity"
        case webSocketBuffer = "websocket_buffer"
        case outputBytes = "output_bytes"
        case webSocketHeartbeatSeconds = "websocket_heartbeat_seconds"
        case webSocketBatchMilliseconds = "websocket_batch_ms"
    }

    public init() {}

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        host = try container.decodeIfPresent(String.self, forKey: .host) ?? host
        port = try container.decodeIfPresent(Int.self, forKey: .port) ?? port
        data = try container.decodeIfPresent(String.self, forKey: .data) ?? data
        durability = try container.decodeIfPresent(String.self, forKey: .durability) ?? durability
        snapshotEvery = try container.decodeIfPresent(UInt64.self, forKey: .snapshotEvery) ?? snapshotEvery
        adminKey = try container.decodeIfPresent(String.self, forKey: .adminKey)
        adminKeySHA256 = try container.decodeIfPresent(String.self, forKey: .adminKeySHA256)
        maxBodyBytes = try container.decodeIfPresent(Int.self, forKey: .maxBodyBytes) ?? maxBodyBytes
        requestsPerSecond = try container.decodeIfPresent(Int.self, forKey: .requestsPerSecond) ?? requestsPerSecond
        intakeCapacity = try container.decodeIfPresent(Int.self, forKey: .intakeCapacity) ?? intakeCapacity
        webSocketBuffer = try container.decodeIfPresent(Int.self, forKey: .webSocketBuffer) ?? webSocketBuffer
        outputBytes = try container.decodeIfPresent(Int.self, forKey: .outputBytes) ?? outputBytes
        webSocketBatchMilliseconds =
            try container.decodeIfPresent(Int.self, forKey: .webSocketBatchMilliseconds) ?? webSocketBatchMilliseconds
        webSocketHeartbeatSeconds =
            try container.decodeIfPresent(Int.self, forKey: .webSocketHeartbeatSeconds) ?? webSocketHeartbeatSeconds
        instruments = try container.decodeIfPresent([InstrumentSettings].self, forKey: .instruments) ?? []
        accounts = try container.decodeIfPresent([AccountSettings].self, forKey: .accounts) ?? []
    }

    /// Reads a YAML configuration file.
    public static func load(path: String) throws -> ServerConfiguration {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigurationError("cannot read \(path): \(error.localizedDescription)")
        }
        do {
            return try YAMLDecoder().decode(ServerConfiguration.self, from: text)
        } catch {
            throw ConfigurationError("\(path) is not a valid configuration: \(error)")
        }
    }

    /// The configuration `bourse serve` uses without `--config`: two instruments, two demo
    /// accounts in cash mode with deposits, and well-known keys (it listens on 127.0.0.1 only).
    public static var sample: ServerConfiguration {
        var configuration = ServerConfiguration()
        configuration.adminKey = "admin-secret"
        configuration.instruments = [
            InstrumentSettings(
                symbol: "BTC-USD", tickSize: "0.01", lotSize: "0.0001", risk: ["price_band_pct": "10"],
                makerBps: 1, takerBps: 2),
            InstrumentSettings(
                symbol: "AAPL-USD", tickSize: "0.01", lotSize: "1", risk: ["price_band_pct": "10"], makerBps: 0,
                takerBps: 1),
        ]
        configuration.accounts = [
            AccountSettings(
                name: "demo", apiKeys: ["demo-key"], mode: "cash",
                deposits: ["USD": "1000000", "BTC": "100", "AAPL": "10000"]),
            AccountSettings(
                name: "demo2", apiKeys: ["demo2-key"], mode: "cash",
                deposits: ["USD": "1000000", "BTC": "100", "AAPL": "10000"]),
        ]
        return configuration
    }

    /// Applies the environment's overrides.
    public mutating func applyEnvironment(_ environment: [String: String]) throws {
        if let host = environment["BOURSE_HOST"] { self.host = host }
        if let port = environment["BOURSE_PORT"] {
            guard let value = Int(port) else { throw ConfigurationError("BOURSE_PORT must be a port number") }
            self.port = value
        }
        if let data = environment["BOURSE_DATA"] { self.data = data }
        if let durability = environment["BOURSE_DURABILITY"] { self.durability = durability }
        if let key = environment["BOURSE_ADMIN_KEY"] {
            adminKey = key
            adminKeySHA256 = nil
        }
    }

    /// Checks what the server cannot start without.
    public func validate() throws {
        guard (0...65535).contains(port) else { throw ConfigurationError("port must be 0-65535 (0: a free port)") }
        guard durability == "sync" || durability == "async" else {
            throw ConfigurationError("durability must be sync or async")
        }
        guard maxBodyBytes > 0, requestsPerSecond > 0, (1...(1 << 24)).contains(intakeCapacity) else {
            throw ConfigurationError(
                "max_body_bytes and requests_per_second must be positive, intake_capacity 1 to 16777216")
        }
        guard webSocketBuffer >= 16, webSocketHeartbeatSeconds > 0, (0...1000).contains(webSocketBatchMilliseconds)
        else {
            throw ConfigurationError(
                "websocket_buffer must be at least 16, websocket_heartbeat_seconds positive, websocket_batch_ms 0 to 1000"
            )
        }
        guard (4096...(1 << 30)).contains(outputBytes) else {
            throw ConfigurationError("output_bytes must be 4096 to 1073741824")
        }
        var names = Set<String>()
        for account in accounts where !names.insert(account.name).inserted {
            throw ConfigurationError("account \(account.name) appears twice")
        }
    }
}

public struct ConfigurationError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

extension ServerConfiguration.InstrumentSettings {
    init(
        symbol: String, tickSize: String, lotSize: String, risk: [String: String]? = nil, makerBps: Int? = nil,
        takerBps: Int? = nil
    ) {
        self.symbol = symbol
        self.tickSize = tickSize
        self.lotSize = lotSize
        self.risk = risk
        self.makerBps = makerBps
        self.takerBps = takerBps
    }
}

extension ServerConfiguration.AccountSettings {
    init(name: String, apiKeys: [String], mode: String? = nil, deposits: [String: String]? = nil) {
        self.name = name
        self.apiKeys = apiKeys
        self.mode = mode
        self.deposits = deposits
    }
}
