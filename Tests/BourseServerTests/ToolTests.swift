import Foundation
import Testing

/// Outside tools run against a real `bourse serve`: `promtool` (Debian package
/// `prometheus`) and `schemathesis` (PyPI). CI installs both and sets
/// `BOURSE_REQUIRE_TOOLS=1`, which makes a missing tool a failure; elsewhere a test
/// whose tool is not installed is skipped.
enum Tools {
    static let required = ProcessInfo.processInfo.environment["BOURSE_REQUIRE_TOOLS"] == "1"

    static func path(_ name: String) -> String? {
        for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let candidate = "\(folder)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    static func available(_ name: String) -> Bool { required || path(name) != nil }

    /// Runs a tool; answers its exit status and its output (standard output and error).
    static func run(_ name: String, _ arguments: [String], input: String? = nil) throws -> (Int32, String) {
        guard let executable = path(name) else { throw ServerTestError("\(name) is not installed") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        // Tools that keep caches in their working folder (schemathesis) keep them out of the repository.
        process.currentDirectoryURL = FileManager.default.temporaryDirectory
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        let standardInput = Pipe()
        process.standardInput = standardInput
        try process.run()
        if let input { standardInput.fileHandleForWriting.write(Data(input.utf8)) }
        try standardInput.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

@Suite("bourse serve: promtool and schemathesis", .serialized)
struct ToolTests {
    @Test(
        "promtool check metrics passes on /metrics after orders, a trade and rejects",
        .enabled(if: Tools.available("promtool")))
    func metricsPassPromtool() async throws {
        let server = try ServerProcess()
        try server.start()
        _ = try await server.request(
            "POST", "/api/v1/orders", key: "alice-key", body: RESTTests.limitOrder("buy", price: "50000", qty: "0.5"))
        _ = try await server.request(
            "POST", "/api/v1/orders", key: "bob-key", body: RESTTests.limitOrder("sell", price: "50000", qty: "0.2"))
        _ = try await server.request(
            "POST", "/api/v1/orders", key: "bob-key", body: RESTTests.limitOrder("sell", price: "50000.001", qty: "0.2")
        )
        _ = try await server.request("GET", "/api/v1/orders", key: "nobody")
        let metrics = try await server.request("GET", "/metrics").text
        #expect(metrics.contains("bourse_rejects_total{reason=\"off_tick\"} 1"))
        #expect(metrics.contains("bourse_trades_total 1"))
        let (status, output) = try Tools.run("promtool", ["check", "metrics"], input: metrics)
        #expect(status == 0, "promtool: \(output)")
        #expect(server.stop() == 0)
    }

    @Test(
        "schemathesis against /openapi.yaml, with an account's key and with the admin key: no server error, every answer fits the document",
        .enabled(if: Tools.available("schemathesis")))
    func openAPIDocumentHolds() async throws {
        let server = try ServerProcess()
        try server.start()
        for key in ["alice-key", "test-admin-key"] {
            let (status, output) = try Tools.run(
                "schemathesis",
                [
                    "run", "\(server.base)/openapi.yaml", "--url", server.base, "-H", "X-API-Key: \(key)",
                    "--checks",
                    "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance",
                    "--max-examples", "15", "--seed", "1", "--no-color", "--request-timeout", "10",
                ])
            #expect(status == 0, "schemathesis with \(key):\n\(output.suffix(4000))")
        }
        #expect(try await server.request("GET", "/health").status == 200)
        #expect(server.stop() == 0)
    }
}
