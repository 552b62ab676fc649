import BourseJSONLines
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Crash recovery of a real `bourse run --data` process: it is killed with SIGKILL at random
/// moments while it works, and restarted on the same folder each time.
@Suite("bourse run --data: killed and restarted", .serialized)
struct CrashTests {
    /// Commands with unique client order ids (`prefix` and a count), so that an `accepted`
    /// event names its command.
    struct Orders {
        let prefix: String
        var random: UInt64
        var next = 0

        init(prefix: String, seed: UInt64) {
            self.prefix = prefix
            random = seed
        }

        mutating func number(_ range: ClosedRange<Int>) -> Int {
            random = random &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return range.lowerBound + Int((random >> 33) % UInt64(range.count))
        }

        mutating func line() -> String {
            next += 1
            let account = "acct\(number(0...4))"
            if next > 10 && number(0...9) == 0 {
                let target = "\(prefix)\(next - number(1...10))"
                return #"{"cmd":"cancel","symbol":"X","account":"\#(account)","client_order_id":"\#(target)"}"#
            }
            let side = number(0...1) == 0 ? "buy" : "sell"
            let type = number(0...19) == 0 ? #""type":"market""# : #""type":"limit","price":"\#(100 + number(-5...5))""#
            return
                #"{"cmd":"new_order","symbol":"X","account":"\#(account)","client_order_id":"\#(prefix)\#(next)","side":"\#(side)",\#(type),"qty":"\#(number(1...9))"}"#
        }
    }

    /// Runs `bourse` with `arguments`; returns its exit status, standard output and standard error.
    static func bourse(
        _ arguments: [String], input: String = ""
    ) throws -> (status: Int32, output: String, error: String) {
        let process = Process()
        process.executableURL = BourseProcess.executable
        process.arguments = arguments
        let output = Pipe()
        let error = Pipe()
        let stdin = Pipe()
        process.standardOutput = output
        process.standardError = error
        process.standardInput = stdin
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (
            process.terminationStatus, String(decoding: outputData, as: UTF8.self),
            String(decoding: errorData, as: UTF8.self)
        )
    }

    @Test(
        "SIGKILL at 25 random moments: acknowledged orders survive, and recovery equals a clean replay of the journal")
    func killAtRandomMoments() throws {
        signal(SIGPIPE, SIG_IGN)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bourse-crash-\(getpid())").path
        try? FileManager.default.removeItem(atPath: folder)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var timing = Orders(prefix: "", seed: 2026)
        var acknowledged: [String] = []
        var killedWhileFeeding = 0
        for round in 0..<25 {
            let process = Process()
            process.executableURL = BourseProcess.executable
            process.arguments = ["run", "--data", folder, "--flush-each-line", "--snapshot-every", "300"]
            let stdin = Pipe()
            let stdout = Pipe()
            process.standardInput = stdin
            process.standardOutput = stdout
            process.standardError = FileHandle.nullDevice
            try process.run()
            // Feed lines at a steady pace until the process is gone, so that the kill lands mid-work.
            let feeding = FeedState()
            Thread {
                var orders = Orders(prefix: "r\(round)-", seed: UInt64(round) + 1)
                let descriptor = stdin.fileHandleForWriting.fileDescriptor
                if round == 0 {
                    let first =
                        Array(#"{"cmd":"add_instrument","symbol":"X","tick_size":"1","lot_size":"1"}"#.utf8) + [0x0A]
                    _ = first.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
                }
                while true {
                    let text = Array((0..<25).map { _ in orders.line() }.joined(separator: "\n").utf8) + [0x0A]
                    let written = text.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
                    if written < 0 { break }
                    usleep(500)
                }
                feeding.stopped = true
            }.start()
            let output = OutputBox()
            let readerDone = DispatchSemaphore(value: 0)
            Thread {
                while true {
                    let chunk = stdout.fileHandleForReading.availableData
                    if chunk.isEmpty { break }
                    output.append(chunk)
                }
                readerDone.signal()
            }.start()
            // The kill comes at a random moment once the process answers (its start-up is not what is tested).
            let deadline = Date().addingTimeInterval(30)
            while output.count == 0 && Date() < deadline { usleep(1_000) }
            usleep(UInt32(timing.number(10_000...300_000)))
            if !feeding.stopped && process.isRunning { killedWhileFeeding += 1 }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            readerDone.wait()
            try? stdin.fileHandleForWriting.close()
            #expect(process.terminationReason == .uncaughtSignal, "round \(round): the process ended before the kill")
            // A kill in the middle of a write can leave a last line unfinished: it was never answered whole.
            let bytes = output.bytes
            let text = String(decoding: bytes.prefix((bytes.lastIndex(of: 0x0A) ?? -1) + 1), as: UTF8.self)
            for line in text.split(separator: "\n") where line.contains(#""event":"accepted""#) {
                guard let value = try? JSONParser.parse(line), let id = value["client_order_id"]?.stringValue else {
                    Issue.record("round \(round): an output line that is not a whole event: \(line)")
                    continue
                }
                acknowledged.append(id)
            }
        }
        #expect(killedWhileFeeding == 25)
        #expect(acknowledged.count > 1_000, "the runs should have acknowledged orders before being killed")

        // Every acknowledged order is in the journal, once.
        let dump = try Self.bourse(["journal", "dump", folder])
        #expect(dump.status == 0, "\(dump.error)")
        var journaled: [String: Int] = [:]
        for line in dump.output.split(separator: "\n") {
            let value = try JSONParser.parse(line)
            if value["cmd"]?.stringValue == "new_order", let id = value["client_order_id"]?.stringValue {
                journaled[id, default: 0] += 1
            }
        }
        let missing = acknowledged.filter { journaled[$0] == nil }
        #expect(missing.count == 0, "acknowledged but not journaled: \(missing.prefix(10))")
        #expect(journaled.values.allSatisfy { $0 == 1 })

        // A clean replay of the journal (checking every snapshot on the way) and a recovery agree.
        let verify = try Self.bourse(["journal", "verify", folder])
        #expect(verify.status == 0, "\(verify.output)\(verify.error)")
        let replayHash = verify.output.split(separator: "\n").first { $0.hasPrefix("state hash: ") }?.dropFirst(12)
        let restart = try Self.bourse(["run", "--data", folder])
        #expect(restart.status == 0, "\(restart.error)")
        let recoveredHash = restart.error.split(separator: " ").first { $0.hasPrefix("state_hash=") }?.dropFirst(11)
        #expect(replayHash != nil && replayHash == recoveredHash, "verify: \(verify.output)\nrestart: \(restart.error)")
    }
}

/// Whether a feeder thread has stopped.
final class FeedState: @unchecked Sendable {
    var stopped = false
}

/// What a reader thread has read so far.
final class OutputBox: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()

    func append(_ chunk: Data) { lock.withLock { data.append(chunk) } }
    var count: Int { lock.withLock { data.count } }
    var bytes: Data { lock.withLock { data } }
}
