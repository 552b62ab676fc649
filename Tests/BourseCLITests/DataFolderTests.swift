import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `bourse run --data` and `bourse journal`, run as a user runs them.
@Suite("bourse run --data and bourse journal")
struct DataFolderTests {
    static let script = """
        {"cmd":"add_instrument","symbol":"BTC-USD","tick_size":"0.01","lot_size":"0.001"}
        {"cmd":"new_order","symbol":"BTC-USD","account":"alice","client_order_id":"a1","side":"sell","type":"limit","qty":"1.5","price":"100.25","ts":5}
        not JSON
        {"cmd":"new_order","symbol":"BTC-USD","account":"carol","client_order_id":"c1","side":"buy","type":"limit","qty":"0.5","price":"99.00","tif":"gtd","expire_at":60000}
        {"cmd":"new_order","symbol":"BTC-USD","account":"bob","client_order_id":"b1","side":"buy","type":"market","qty":"1","ts":10}
        {"cmd":"dump_book","symbol":"BTC-USD"}
        {"cmd":"time","now":60000}
        {"cmd":"cancel","symbol":"BTC-USD","account":"alice","client_order_id":"a1"}
        """

    static func temporaryFolder() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("bourse-data-\(UUID().uuidString)").path
    }

    @Test("a journaled run answers like bourse run, resumes in a second run, and its dump replays to the same events")
    func journaledRunResumes() throws {
        let folder = Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let lines = Self.script.split(separator: "\n").map(String.init)
        let whole = try BourseProcess.run(["run"], input: Self.script + "\n")
        let first = try BourseProcess.run(["run", "--data", folder], input: lines[..<4].joined(separator: "\n") + "\n")
        let second = try BourseProcess.run(
            ["run", "--data", folder], input: lines[4...].joined(separator: "\n") + "\n")
        #expect(first.status == 0 && second.status == 0)
        #expect(first.output + second.output == whole.output)
        let dump = try BourseProcess.run(["journal", "dump", folder])
        #expect(dump.status == 0)
        #expect(dump.output.split(separator: "\n").count == 7, "the line that is not JSON is not journaled")
        let replay = try BourseProcess.run(["run"], input: dump.output)
        #expect(
            replay.output
                == whole.output.split(separator: "\n").filter { !$0.contains("malformed") }
                .map { $0 + "\n" }.joined())
        let verify = try BourseProcess.run(["journal", "verify", folder])
        #expect(verify.status == 0)
        #expect(verify.output.contains("last sequence: 7"))
        #expect(verify.output.contains("snapshots matching the replay: 2"))
    }

    @Test("SIGUSR1 takes a snapshot at once; a bad retention is refused")
    func snapshotOnSignal() throws {
        let folder = Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let process = Process()
        process.executableURL = BourseProcess.executable
        process.arguments = ["run", "--data", folder, "--flush-each-line", "--snapshot-every", "0"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        input.fileHandleForWriting.write(Data((Self.script + "\n").utf8))
        // Wait for the answers, then ask for a snapshot.
        var answered = Data()
        while !String(decoding: answered, as: UTF8.self).contains("\"reason\":\"cancelled\"") {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            answered.append(chunk)
        }
        kill(process.processIdentifier, SIGUSR1)
        let snapshots = folder + "/snapshots"
        let deadline = Date().addingTimeInterval(20)
        var names: [String] = []
        while names.isEmpty && Date() < deadline {
            names = ((try? FileManager.default.contentsOfDirectory(atPath: snapshots)) ?? []).filter {
                $0.hasSuffix(".snap")
            }
            usleep(5_000)
        }
        #expect(names == ["00000000000000000007.snap"], "the snapshot holds the 7 commands")
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)

        let refused = try BourseProcess.run(["run", "--data", folder, "--retention", "sometimes"])
        #expect(refused.status != 0)
    }
}
