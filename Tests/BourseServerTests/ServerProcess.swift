import BourseJSONLines
import Foundation
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A real `bourse serve` process on a free port of 127.0.0.1, with its own data folder,
/// stopped (SIGTERM) by the test that started it.
final class ServerProcess: @unchecked Sendable {
    /// `bourse` sits next to the test bundle in the build folder.
    static let executable = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        .appendingPathComponent("bourse")

    /// A configuration like the sample's: BTC-USD and AAPL-USD, cash accounts alice and bob,
    /// and `extra` YAML lines at the top level.
    static func configuration(extra: String = "") -> String {
        """
        admin_key: test-admin-key
        \(extra)
        instruments:
          - symbol: BTC-USD
            tick_size: "0.01"
            lot_size: "0.0001"
            maker_bps: 1
            taker_bps: 2
            risk:
              price_band_pct: "10"
          - symbol: AAPL-USD
            tick_size: "0.01"
            lot_size: "1"
        accounts:
          - name: alice
            api_keys: [alice-key]
            mode: cash
            deposits: { USD: "1000000", BTC: "100", AAPL: "1000" }
          - name: bob
            api_keys: [bob-key]
            mode: cash
            deposits: { USD: "1000000", BTC: "100", AAPL: "1000" }
        """
    }

    let folder: String
    let configurationFile: String
    private var process: Process?
    private(set) var port = 0
    private(set) var output = ""

    init(configuration: String = ServerProcess.configuration()) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("bourse-serve-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        configurationFile = folder + "/bourse.yaml"
        try Data(configuration.utf8).write(to: URL(fileURLWithPath: configurationFile))
    }

    var base: String { "http://127.0.0.1:\(port)" }

    /// Starts the server (again, on the same data folder) and waits for its banner.
    func start() throws {
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = [
            "serve", "--config", configurationFile, "--data", folder + "/data", "--port", "0", "--log-level", "warning",
        ]
        let standardOutput = Pipe()
        process.standardOutput = standardOutput
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        self.process = process
        // The first line: "bourse serving on http://127.0.0.1:PORT (...)".
        var line = Data()
        let reader = standardOutput.fileHandleForReading
        while true {
            let byte = reader.readData(ofLength: 1)
            if byte.isEmpty || byte.first == 0x0A { break }
            line.append(byte)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard let range = text.range(of: "127.0.0.1:"),
            let port = Int(text[range.upperBound...].prefix { $0.isNumber })
        else {
            process.terminate()
            throw ServerTestError("bourse serve did not start: \(text)")
        }
        self.port = port
        // Keep reading the rest of the banner so the pipe never fills.
        Thread.detachNewThread { _ = reader.readDataToEndOfFile() }
    }

    /// SIGTERM, and the exit status once it has drained.
    @discardableResult
    func stop() -> Int32 {
        guard let process else { return -1 }
        process.terminate()
        process.waitUntilExit()
        self.process = nil
        return process.terminationStatus
    }

    /// SIGKILL: no drain.
    func kill() {
        guard let process else { return }
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        self.process = nil
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// One HTTP request; answers the status and the body parsed as JSON (`.null` when the
    /// body is not JSON).
    func request(
        _ method: String, _ path: String, key: String? = nil, body: String? = nil
    ) async throws -> (status: Int, body: JSONValue, text: String) {
        var request = URLRequest(url: URL(string: base + path)!)
        request.httpMethod = method
        if let key { request.setValue(key, forHTTPHeaderField: "X-API-Key") }
        if let body {
            request.httpBody = Data(body.utf8)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        let text = String(decoding: data, as: UTF8.self)
        return ((response as! HTTPURLResponse).statusCode, (try? JSONParser.parse(text)) ?? .null, text)
    }
}

struct ServerTestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
