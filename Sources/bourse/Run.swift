import ArgumentParser
import BourseJSONLines

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Reads commands as JSON Lines and writes the engine's events as JSON Lines.",
        discussion: "The format is the matching contract's; see docs/command-format.md.")

    @Argument(help: "A file of commands, one JSON object per line (standard input when absent).")
    var file: String?

    @Flag(help: "Flush the output after every input line (the default when the input is a terminal).")
    var flushEachLine = false

    func run() throws {
        guard let input = file.map({ fopen($0, "r") }) ?? fdopen(STDIN_FILENO, "r") else {
            throw ValidationError("cannot open \(file ?? "standard input")")
        }
        defer { fclose(input) }
        let flushEachLine = flushEachLine || isatty(fileno(input)) != 0
        var session = JSONLinesSession()
        var events: [String] = []
        var output = OutputBuffer()
        var line: UnsafeMutablePointer<CChar>?
        var capacity = 0
        while true {
            let length = getline(&line, &capacity, input)
            if length < 0 { break }
            let text = UnsafeBufferPointer(
                start: UnsafeRawPointer(line!).assumingMemoryBound(to: UInt8.self), count: length)
            session.process(line: String(decoding: text, as: UTF8.self), into: &events)
            for event in events { output.write(event) }
            events.removeAll(keepingCapacity: true)
            if flushEachLine { output.flush() }
        }
        free(line)
        output.flush()
    }
}

/// Collects output lines and writes them to standard output in large blocks.
struct OutputBuffer {
    private var bytes: [UInt8] = []

    init() { bytes.reserveCapacity(1 << 16) }

    mutating func write(_ line: String) {
        bytes.append(contentsOf: line.utf8)
        bytes.append(0x0A)
        if bytes.count >= 1 << 16 { flush() }
    }

    mutating func flush() {
        guard !bytes.isEmpty else { return }
        var written = 0
        bytes.withUnsafeBytes { buffer in
            while written < buffer.count {
                let result = Glibc.write(STDOUT_FILENO, buffer.baseAddress! + written, buffer.count - written)
                if result < 0 && errno == EINTR { continue }
                if result <= 0 { break }
                written += result
            }
        }
        bytes.removeAll(keepingCapacity: true)
    }
}
