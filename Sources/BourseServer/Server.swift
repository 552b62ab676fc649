import BourseEngine
import BourseJSONLines
import BourseMarketData
import BourseVenue
import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging
import ServiceLifecycle

/// `bourse serve`: recovers the engine from the data folder, seeds a new folder from the
/// configuration, and serves the REST API until SIGTERM or SIGINT, which drain it: the
/// HTTP server stops taking requests and finishes those in flight, then the engine
/// applies and journals what it has, writes a snapshot and stops.
public enum BourseServer {
    public static func run(
        _ configuration: ServerConfiguration, logger: Logger, onListening: @escaping @Sendable (Int) -> Void = { _ in }
    ) async throws {
        try configuration.validate()
        try FileManager.default.createDirectory(atPath: configuration.data, withIntermediateDirectories: true)
        var engineConfiguration = EngineConfiguration(dataFolder: configuration.data)
        engineConfiguration.durability = configuration.durability == "async" ? .async : .sync
        engineConfiguration.snapshotEvery = configuration.snapshotEvery == 0 ? nil : configuration.snapshotEvery
        engineConfiguration.clock = .wall
        engineConfiguration.intakeCapacity = configuration.intakeCapacity
        engineConfiguration.outputBytes = configuration.outputBytes
        let engine = try Engine<JSONLinesEncoder>(configuration: engineConfiguration, logger: logger)
        let recovery = engine.recovery
        logger.info(
            "recovered",
            metadata: [
                "data": "\(configuration.data)", "last_seq": "\(recovery.lastSeq)", "replayed": "\(recovery.replayed)",
                "snapshot_seq": "\(recovery.snapshotSeq.map(String.init) ?? "none")",
                "ms": "\(recovery.nanoseconds / 1_000_000)",
            ])
        let marketData = MarketData(hub: StreamHub(capacity: configuration.webSocketBuffer))
        for instrument in engine.recoveredInstruments { marketData.addInstrument(instrument) }
        let savedMarketData = MarketDataFile(folder: configuration.data)
        savedMarketData.load(into: marketData, recoveredSeq: recovery.lastSeq, logger: logger)
        let metrics = ServerMetrics()
        let gateway = EngineGateway(engine: engine, marketData: marketData, metrics: metrics)
        let keys = try Keys(configuration: configuration)
        let keyStore = KeyStore(folder: configuration.data)
        for stored in try keyStore.load() { _ = keys.add(digest: stored.digest, account: stored.account) }
        engine.start()
        let status = ServerStatus()
        do {
            let marker = (configuration.data as NSString).appendingPathComponent("seeded")
            let fresh = !FileManager.default.fileExists(atPath: marker)
            try await seed(configuration, gateway: gateway, marketData: marketData, fresh: fresh)
            if fresh {
                try Data("accounts seeded from the configuration\n".utf8).write(to: URL(fileURLWithPath: marker))
            }
        } catch {
            engine.stop()
            savedMarketData.save(marketData, engine: engine, gateway: gateway, logger: logger)
            throw error
        }
        status.ready.store(true, ordering: .releasing)

        let router = Router()
        Routes(
            gateway: gateway, marketData: marketData, keys: keys, keyStore: keyStore, metrics: metrics,
            configuration: configuration, status: status
        ).add(to: router)
        let webSocketRouter = Router(context: BasicWebSocketRequestContext.self)
        WebSocketStreams(
            marketData: marketData, keys: keys, metrics: metrics,
            linger: .milliseconds(configuration.webSocketBatchMilliseconds)
        ).add(to: webSocketRouter)
        let application = Application(
            router: router,
            server: .http1WebSocketUpgrade(
                webSocketRouter: webSocketRouter,
                configuration: .init(ws: .init(maxFrameSize: 1 << 20, autoPing: .disabled))),
            configuration: .init(
                address: .hostname(configuration.host, port: configuration.port), serverName: "bourse"),
            onServerRunning: { channel in onListening(channel.localAddress?.port ?? configuration.port) },
            logger: logger)
        // Services start in order and stop in reverse: the HTTP server and the streams stop
        // first, then the engine, so requests in flight still get their answers.
        let group = ServiceGroup(
            configuration: .init(
                services: [
                    .init(service: EngineService(engine: engine, status: status, logger: logger)),
                    .init(
                        service: StreamTimers(
                            marketData: marketData, heartbeatSeconds: configuration.webSocketHeartbeatSeconds)),
                    .init(service: application),
                ],
                gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
        } catch {
            engine.stop()
            savedMarketData.save(marketData, engine: engine, gateway: gateway, logger: logger)
            throw error
        }
        savedMarketData.save(marketData, engine: engine, gateway: gateway, logger: logger)
        if engine.hasFailed { throw ConfigurationError("the engine stopped after a journal failure") }
    }

    /// Instruments of the configuration that the engine does not have yet are added, with
    /// their risk settings and fees; a new data folder also gets the accounts' settings,
    /// limits and deposits, once (the file `seeded` in the folder says it happened). The
    /// recovered books are read once, for the market data.
    static func seed(
        _ configuration: ServerConfiguration, gateway: EngineGateway, marketData: MarketData, fresh: Bool
    ) async throws {
        let known = Set(marketData.symbols)
        func run(_ members: [(String, JSONValue)]) async throws {
            switch await gateway.execute(members) {
            case .failure(let failure): throw ConfigurationError("the engine refused the configuration: \(failure)")
            case .success(let events):
                if let rejected = events.first(where: { $0["event"]?.stringValue == "rejected" }) {
                    throw ConfigurationError(
                        "the configuration's \(members[0].1.stringValue ?? "") was rejected: "
                            + "\(rejected["reason"]?.stringValue ?? ""): \(rejected["message"]?.stringValue ?? "")")
                }
            }
        }
        for symbol in known { try await run([("cmd", .string("dump_book")), ("symbol", .string(symbol))]) }
        for instrument in configuration.instruments where !known.contains(instrument.symbol) {
            guard let tick = UnitSize(instrument.tickSize), let lot = UnitSize(instrument.lotSize) else {
                throw ConfigurationError("\(instrument.symbol): tick_size and lot_size must be positive decimals")
            }
            var members: [(String, JSONValue)] = [
                ("cmd", .string("add_instrument")), ("symbol", .string(instrument.symbol)),
                ("tick_size", .string(instrument.tickSize)), ("lot_size", .string(instrument.lotSize)),
            ]
            for (key, value) in [
                ("min_qty", instrument.minQty), ("max_qty", instrument.maxQty),
                ("min_notional", instrument.minNotional),
            ] {
                if let value { members.append((key, .string(value))) }
            }
            try await run(members)
            marketData.addInstrument(InstrumentText(symbol: instrument.symbol, tick: tick, lot: lot))
            if let risk = instrument.risk, !risk.isEmpty {
                try await run(
                    typed(.setInstrumentRisk, [("symbol", instrument.symbol)] + risk.sorted { $0.key < $1.key }))
            }
            if instrument.makerBps != nil || instrument.takerBps != nil {
                try await run([
                    ("cmd", .string("set_fees")), ("symbol", .string(instrument.symbol)),
                    ("maker_bps", .number(String(instrument.makerBps ?? 0))),
                    ("taker_bps", .number(String(instrument.takerBps ?? 0))),
                ])
            }
        }
        guard fresh else { return }
        for account in configuration.accounts {
            if let mode = account.mode {
                try await run([
                    ("cmd", .string("set_account")), ("account", .string(account.name)), ("mode", .string(mode)),
                ])
            }
            for (asset, amount) in (account.deposits ?? [:]).sorted(by: { $0.key < $1.key }) {
                try await run([
                    ("cmd", .string("deposit")), ("account", .string(account.name)), ("asset", .string(asset)),
                    ("amount", .string(amount)),
                ])
            }
            if let limits = account.limits, !limits.isEmpty {
                try await run(typed(.setLimits, [("account", account.name)] + limits.sorted { $0.key < $1.key }))
            }
        }
    }

    /// A risk command from the configuration's text values, each as the JSON type the
    /// command takes (`breaker_window_ms` is a number, limits are decimal strings).
    static func typed(_ kind: RiskCommand.Kind, _ values: [(String, String)]) throws -> [(String, JSONValue)] {
        let types = Dictionary(uniqueKeysWithValues: RiskCommand.fields(of: kind).map { ($0.name, $0.type) })
        return [("cmd", .string(kind.rawValue))]
            + (try values.map { key, value in
                switch types[key] {
                case nil: throw ConfigurationError("\(kind.rawValue) has no field \(key)")
                case .integer?:
                    guard Int64(value) != nil else {
                        throw ConfigurationError("\(key) must be an integer, not \(value)")
                    }
                    return (key, .number(value))
                case .boolean?: return (key, .bool(value == "true"))
                case .string?: return (key, .string(value))
                }
            })
    }
}

/// The engine as a service of the group: it runs until shutdown, and stops after the
/// HTTP server (services stop in reverse order), so requests in flight get their answers.
struct EngineService: Service {
    let engine: Engine<JSONLinesEncoder>
    let status: ServerStatus
    let logger: Logger

    func run() async throws {
        try? await gracefulShutdown()
        status.draining.store(true, ordering: .releasing)
        logger.info("draining: the engine applies what it has, writes a snapshot and stops")
        engine.stop()
        logger.info("stopped", metadata: ["last_seq": "\(engine.statistics.lastSeq)"])
    }
}
