import BourseJSONLines
import Foundation
import Testing

/// Runs the built `bourse` executable, as a user would.
struct BourseProcess {
    /// `bourse` sits next to the test bundle in the build folder.
    static let executable: URL = URL(fileURLWithPath: CommandLine.arguments[0])
        .deletingLastPathComponent().appendingPathComponent("bourse")

    static func run(_ arguments: [String], input: String? = nil) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        let inputPipe = Pipe()
        process.standardInput = inputPipe
        try process.run()
        if let input { inputPipe.fileHandleForWriting.write(Data(input.utf8)) }
        try inputPipe.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

@Suite("bourse run: the command-line runner")
struct RunCommandTests {
    let script = """
        {"cmd":"add_instrument","symbol":"BTC-USD","tick_size":"0.01","lot_size":"0.001"}
        {"cmd":"new_order","symbol":"BTC-USD","account":"alice","client_order_id":"a1","side":"sell","type":"limit","qty":"1.5","price":"100.25"}
        this line is not JSON

        {"cmd":"new_order","symbol":"BTC-USD","account":"bob","client_order_id":"b1","side":"buy","type":"market","qty":"1"}
        {"cmd":"dump_book","symbol":"BTC-USD"}
        """

    /// What the in-process session answers for the same lines.
    func sessionOutput() -> String {
        var session = JSONLinesSession()
        var events: [String] = []
        for line in script.split(separator: "\n", omittingEmptySubsequences: false) {
            session.process(line: line, into: &events)
        }
        return events.map { $0 + "\n" }.joined()
    }

    @Test("bourse run FILE writes one JSON line per event, the same as the engine's session, and exits 0")
    func runsAFile() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("bourse-run-\(getpid()).jsonl")
        try script.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try BourseProcess.run(["run", file.path])
        #expect(result.status == 0)
        #expect(result.output == sessionOutput())
    }

    @Test("bourse run reads standard input when no file is given")
    func runsStandardInput() throws {
        let result = try BourseProcess.run(["run"], input: script + "\n")
        #expect(result.status == 0)
        #expect(result.output == sessionOutput())
    }

    @Test("a malformed line is answered with a rejected event and the run goes on")
    func malformedLineDoesNotStopTheRun() throws {
        let result = try BourseProcess.run(["run"], input: script + "\n")
        let lines = result.output.split(separator: "\n")
        let rejected = try #require(lines.first { $0.contains("\"rejected\"") })
        #expect(rejected.contains("\"reason\":\"malformed\""))
        #expect(lines.last?.contains("\"book_snapshot\"") == true)
    }

    @Test("an unknown subcommand or a missing file fails with a message, not a crash")
    func badInvocations() throws {
        let missing = try BourseProcess.run(["run", "/nonexistent/commands.jsonl"])
        #expect(missing.status != 0)
        let unknown = try BourseProcess.run(["launch"])
        #expect(unknown.status != 0)
    }
}
