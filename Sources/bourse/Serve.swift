import ArgumentParser
import BourseServer
import Foundation
import Logging

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Runs the exchange: the REST API and WebSocket over the journaled engine.",
        discussion: """
            Without --config it serves a sample configuration: BTC-USD and AAPL-USD, accounts demo and demo2 \
            (API keys demo-key and demo2-key) and the admin key admin-secret, on 127.0.0.1:8080, keeping its data \
            in ./bourse-data. A configuration file is YAML; environment variables (BOURSE_HOST, BOURSE_PORT, \
            BOURSE_DATA, BOURSE_DURABILITY, BOURSE_ADMIN_KEY) override it and flags override both. SIGTERM or \
            SIGINT drains: no new orders, the journal is finished, a snapshot is written. See docs/server.md.
            """)

    @Option(help: "A YAML configuration file (default: the sample configuration).")
    var config: String?

    @Option(help: "The address to listen on (default 127.0.0.1).")
    var host: String?

    @Option(help: "The port to listen on (default 8080; 0 picks a free port).")
    var port: Int?

    @Option(help: "The data folder: journal, snapshots, API keys added at run time (default ./bourse-data).")
    var data: String?

    @Option(help: "sync (an answer only once its command is on disk) or async (benchmarks only).")
    var durability: String?

    @Option(help: "Logs as json (one object per line) or text.")
    var logFormat = "json"

    @Option(help: "Least log level: trace, debug, info, notice, warning, error or critical.")
    var logLevel = "info"

    func run() async throws {
        guard let level = Logger.Level(rawValue: logLevel) else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
        guard logFormat == "json" || logFormat == "text" else {
            throw ValidationError("--log-format must be json or text")
        }
        let json = logFormat == "json"
        var logger = Logger(label: "bourse") { label in
            json ? JSONLogHandler(label: label) as any LogHandler : StreamLogHandler.standardError(label: label)
        }
        logger.logLevel = level

        var configuration: ServerConfiguration
        do {
            configuration = try config.map(ServerConfiguration.load(path:)) ?? .sample
            try configuration.applyEnvironment(ProcessInfo.processInfo.environment)
        } catch let error as ConfigurationError {
            throw ValidationError(error.description)
        }
        if let host { configuration.host = host }
        if let port { configuration.port = port }
        if let data { configuration.data = data }
        if let durability { configuration.durability = durability }
        let usesSample = config == nil
        if usesSample && !["127.0.0.1", "localhost", "::1"].contains(configuration.host) {
            throw ValidationError(
                "the sample configuration's keys are public: it listens on 127.0.0.1 only; give a --config with "
                    + "your own keys to listen on \(configuration.host)")
        }
        let shown = configuration
        do {
            try await BourseServer.run(configuration, logger: logger) { port in
                FileHandle.standardOutput.write(Data((Self.banner(shown, port: port, sample: usesSample) + "\n").utf8))
            }
        } catch let error as ConfigurationError {
            logger.critical("cannot serve", metadata: ["reason": "\(error.description)"])
            throw ExitCode.failure
        }
    }

    /// What a new user needs to reach the server: the address, and with the sample
    /// configuration its keys and a first request.
    static func banner(_ configuration: ServerConfiguration, port: Int, sample: Bool) -> String {
        let address = "http://\(configuration.host):\(port)"
        var lines = [
            "bourse serving on \(address) (data: \(configuration.data), durability: \(configuration.durability))",
            "  REST \(address)/api/v1   WebSocket ws://\(configuration.host):\(port)/ws   "
                + "OpenAPI \(address)/openapi.yaml   metrics \(address)/metrics",
        ]
        if sample {
            lines += [
                "  sample configuration: instruments BTC-USD and AAPL-USD; accounts demo (API key demo-key) and "
                    + "demo2 (demo2-key); admin key admin-secret",
                "  try: curl -s -X POST \(address)/api/v1/orders -H 'X-API-Key: demo-key' "
                    + "-d '{\"symbol\":\"BTC-USD\",\"side\":\"buy\",\"type\":\"limit\",\"price\":\"50000\",\"qty\":\"0.5\"}'",
            ]
        }
        return lines.joined(separator: "\n")
    }
}
