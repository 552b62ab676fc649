import BourseJSONLines
import Testing

/// Drives a fresh `JSONLinesSession` through a contract scenario and compares the events it answers with
/// events written by hand as JSON text.
///
/// Every line goes through `process(line:into:)`, then `checkInvariants()`, and every output line must parse
/// with `JSONParser`. Events compare field by field: member order does not matter, `message` is ignored, and
/// the decimal fields (`price`, `qty`, `stop_price`, `filled_qty`, `leaves_qty`, `avg_price`, `display_qty`)
/// compare by numeric value, so `"2"` equals `"2.00"`.
///
/// Two notations:
/// - `run(_:)` takes commands, one per line (blank lines skipped), and checks no events.
/// - `expect(_:)` takes a transcript: a line `> COMMAND` runs COMMAND (`>` alone sends an empty line), the
///   lines after it, up to the next `>`, are the exact events it must answer, one JSON object per line (none
///   when there are none). Lines starting with `//` are comments.
struct ContractScenario {
    /// Two instruments with tick 0.01 and lot 1, no quantity or notional limits.
    static let instrumentsXY = #"""
        {"cmd":"add_instrument","symbol":"X","tick_size":"0.01","lot_size":"1"}
        {"cmd":"add_instrument","symbol":"Y","tick_size":"0.01","lot_size":"1"}
        """#

    private var session = JSONLinesSession()
    /// Every line sent so far, for failure messages.
    private var inputs: [String] = []

    /// A fresh session after `setup` (commands, one per line); by default it adds instruments X and Y.
    init(_ setup: String = ContractScenario.instrumentsXY, sourceLocation: SourceLocation = #_sourceLocation) {
        run(setup, sourceLocation: sourceLocation)
    }

    /// Sends one line exactly as given and returns its events; records an issue for output that is not JSON.
    @discardableResult
    mutating func send(_ line: String, sourceLocation: SourceLocation = #_sourceLocation) -> [JSONValue] {
        inputs.append(line)
        var output: [String] = []
        session.process(line: line, into: &output)
        session.checkInvariants()
        var events: [JSONValue] = []
        for text in output {
            do {
                events.append(try JSONParser.parse(text))
            } catch {
                Issue.record(
                    "Output line is not JSON (\(error.message) at \(error.offset)): \(text)\nInput:\n\(inputs.joined(separator: "\n"))",
                    sourceLocation: sourceLocation)
            }
        }
        return events
    }

    /// Runs each non-blank line of `commands` and returns the events of the last one.
    @discardableResult
    mutating func run(_ commands: String, sourceLocation: SourceLocation = #_sourceLocation) -> [JSONValue] {
        var last: [JSONValue] = []
        for line in commands.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingSpaces
            if trimmed.isEmpty { continue }
            last = send(String(trimmed), sourceLocation: sourceLocation)
        }
        return last
    }

    /// Runs `commands` (one per line) and expects the LAST command to answer exactly `events` (one JSON object
    /// per line, or a JSON array).
    mutating func expectLast(
        _ commands: String, answers events: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let lines = commands.split(separator: "\n").map { String($0.trimmingSpaces) }.filter { !$0.isEmpty }
        guard let last = lines.last else {
            Issue.record("expectLast needs at least one command", sourceLocation: sourceLocation)
            return
        }
        run(lines.dropLast().joined(separator: "\n"), sourceLocation: sourceLocation)
        let expected = Self.parseExpected(events, sourceLocation: sourceLocation)
        let actual = send(last, sourceLocation: sourceLocation)
        compare(command: last, expected: expected, actual: actual, sourceLocation: sourceLocation)
    }

    /// Runs a transcript and checks the events of EVERY command in it (see the type's documentation).
    mutating func expect(_ transcript: String, sourceLocation: SourceLocation = #_sourceLocation) {
        var steps: [(command: String, events: [String])] = []
        for rawLine in transcript.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = rawLine.trimmingSpaces
            if line.isEmpty || line.hasPrefix("//") { continue }
            if line.first == ">" {
                steps.append((String(line.dropFirst().trimmingSpaces), []))
            } else if steps.isEmpty {
                Issue.record("Transcript has events before its first command: \(line)", sourceLocation: sourceLocation)
                return
            } else {
                steps[steps.count - 1].events.append(String(line))
            }
        }
        for step in steps {
            let expected = Self.parseExpected(step.events.joined(separator: "\n"), sourceLocation: sourceLocation)
            let actual = send(step.command, sourceLocation: sourceLocation)
            compare(command: step.command, expected: expected, actual: actual, sourceLocation: sourceLocation)
        }
    }

    private func compare(
        command: String, expected: [JSONValue], actual: [JSONValue], sourceLocation: SourceLocation
    ) {
        guard let difference = EventComparison.difference(expected: expected, actual: actual) else { return }
        let earlier = inputs.dropLast().map { "  " + $0 }.joined(separator: "\n")
        Issue.record(
            """
            Events differ: \(difference)
            Command:
              \(command)
            Expected events (\(expected.count)):
            \(expected.map { "  " + $0.jsonText }.joined(separator: "\n"))
            Actual events (\(actual.count)):
            \(actual.map { "  " + $0.jsonText }.joined(separator: "\n"))
            Earlier input:
            \(earlier.isEmpty ? "  (none)" : earlier)
            """,
            sourceLocation: sourceLocation)
    }

    /// Parses expected events: a JSON array, or one JSON object per non-blank line.
    private static func parseExpected(_ text: String, sourceLocation: SourceLocation) -> [JSONValue] {
        let trimmed = text.trimmingSpaces
        do {
            if trimmed.first == "[" {
                guard case .array(let events) = try JSONParser.parse(trimmed) else { return [] }
                return events
            }
            var events: [JSONValue] = []
            for line in trimmed.split(separator: "\n") where !line.trimmingSpaces.isEmpty {
                events.append(try JSONParser.parse(line))
            }
            return events
        } catch {
            Issue.record("Expected events are not JSON (\(error.message)): \(text)", sourceLocation: sourceLocation)
            return []
        }
    }
}

/// Field-by-field comparison of events as the contract defines equality.
enum EventComparison {
    /// Fields holding decimal strings, compared by numeric value.
    static let decimalFields: Set<String> = [
        "price", "qty", "stop_price", "filled_qty", "leaves_qty", "avg_price", "display_qty",
        // The risk layer's events.
        "total", "held", "available", "net_qty", "realized_pnl", "unrealized_pnl", "mark_price", "fees", "net_cash",
    ]
    /// Fields never compared.
    static let ignoredFields: Set<String> = ["message"]

    /// A description of the first difference between two event lists, or nil when they are equal.
    static func difference(expected: [JSONValue], actual: [JSONValue]) -> String? {
        for (index, (wanted, got)) in zip(expected, actual).enumerated() {
            if let difference = difference(wanted, got, path: "event \(index + 1)", field: nil) {
                return difference
            }
        }
        if expected.count != actual.count {
            return "expected \(expected.count) events, got \(actual.count)"
        }
        return nil
    }

    private static func difference(
        _ expected: JSONValue, _ actual: JSONValue, path: String, field: String?
    )
        -> String?
    {
        if let field, decimalFields.contains(field), case .string(let wanted) = expected {
            guard case .string(let got) = actual else {
                return "\(path): expected the decimal string \"\(wanted)\", got \(actual.jsonText)"
            }
            guard let wantedValue = canonicalDecimal(wanted) else {
                return "\(path): the expected value \"\(wanted)\" is not a decimal string"
            }
            guard canonicalDecimal(got) == wantedValue else {
                return "\(path): expected \"\(wanted)\", got \"\(got)\""
            }
            return nil
        }
        switch (expected, actual) {
        case (.object(let wantedMembers), .object(let gotMembers)):
            let wantedKeys = Set(wantedMembers.map(\.0)).subtracting(ignoredFields)
            let gotKeys = Set(gotMembers.map(\.0)).subtracting(ignoredFields)
            let missing = wantedKeys.subtracting(gotKeys).sorted()
            if !missing.isEmpty { return "\(path): missing field(s) \(missing.joined(separator: ", "))" }
            let extra = gotKeys.subtracting(wantedKeys).sorted()
            if !extra.isEmpty { return "\(path): unexpected field(s) \(extra.joined(separator: ", "))" }
            for key in wantedKeys.sorted() {
                if let difference = difference(expected[key]!, actual[key]!, path: "\(path).\(key)", field: key) {
                    return difference
                }
            }
            return nil
        case (.array(let wantedElements), .array(let gotElements)):
            for (index, (wanted, got)) in zip(wantedElements, gotElements).enumerated() {
                if let difference = difference(wanted, got, path: "\(path)[\(index)]", field: nil) {
                    return difference
                }
            }
            if wantedElements.count != gotElements.count {
                return "\(path): expected \(wantedElements.count) elements, got \(gotElements.count)"
            }
            return nil
        default:
            return expected == actual ? nil : "\(path): expected \(expected.jsonText), got \(actual.jsonText)"
        }
    }

    /// The canonical text of a plain decimal string (`-`? digits, optional `.` digits), or nil if it is not one.
    static func canonicalDecimal(_ text: String) -> String? {
        var body = Substring(text)
        var negative = false
        if body.first == "-" {
            negative = true
            body = body.dropFirst()
        }
        let parts = body.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let isDigit: (Character) -> Bool = { $0 >= "0" && $0 <= "9" }
        guard let integerPart = parts.first, !integerPart.isEmpty, integerPart.allSatisfy(isDigit) else { return nil }
        var fraction = parts.count == 2 ? parts[1] : ""
        if parts.count == 2, fraction.isEmpty || !fraction.allSatisfy(isDigit) { return nil }
        while fraction.last == "0" { fraction = fraction.dropLast() }
        var integer = integerPart.drop(while: { $0 == "0" })
        if integer.isEmpty { integer = "0" }
        let magnitude = fraction.isEmpty ? String(integer) : "\(integer).\(fraction)"
        return negative && magnitude != "0" ? "-" + magnitude : magnitude
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs.
    fileprivate var trimmingSpaces: SubSequence {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" }
        guard let start = firstIndex(where: { !isSpace($0) }), let end = lastIndex(where: { !isSpace($0) }) else {
            return self[endIndex..<endIndex]
        }
        return self[start...end]
    }
}

/// The comparison the contract tests rely on must itself be right.
@Suite("contract test support")
struct ContractTestSupportTests {
    private func differs(_ expected: String, _ actual: String) throws -> Bool {
        let wanted = try JSONParser.parse(expected)
        let got = try JSONParser.parse(actual)
        return EventComparison.difference(expected: [wanted], actual: [got]) != nil
    }

    @Test("event comparison: decimal fields by value, member order and message ignored, the rest exact")
    func eventComparison() throws {
        let book = #"{"event":"book","symbol":"X","side":"buy","price":"2","qty":"10","orders":1}"#
        #expect(
            try !differs(book, #"{"orders":1,"qty":"10.0","price":"2.00","side":"buy","symbol":"X","event":"book"}"#))
        #expect(
            try !differs(
                book, #"{"event":"book","symbol":"X","side":"buy","price":"2","qty":"10","orders":1,"message":"m"}"#))
        #expect(try differs(book, #"{"event":"book","symbol":"X","side":"buy","price":"2.01","qty":"10","orders":1}"#))
        #expect(try differs(book, #"{"event":"book","symbol":"X","side":"buy","price":2,"qty":"10","orders":1}"#))
        #expect(try differs(book, #"{"event":"book","symbol":"X","side":"buy","price":"2","qty":"10","orders":"1"}"#))
        #expect(try differs(book, #"{"event":"book","symbol":"X","side":"sell","price":"2","qty":"10","orders":1}"#))
        #expect(try differs(book, #"{"event":"book","symbol":"X","side":"buy","price":"2","qty":"10"}"#))
        #expect(
            try differs(book, #"{"event":"book","symbol":"X","side":"buy","price":"2","qty":"10","orders":1,"x":0}"#))
        #expect(try differs(book, #"{"event":"book","symbol":"X","side":"buy","price":"2","qty":"1e1","orders":1}"#))
        let snapshot = #"{"event":"book_snapshot","bids":[{"price":"1.5","leaves_qty":"3"}],"asks":[]}"#
        #expect(
            try !differs(
                snapshot, #"{"event":"book_snapshot","bids":[{"leaves_qty":"3.00","price":"01.50"}],"asks":[]}"#))
        #expect(
            try differs(snapshot, #"{"event":"book_snapshot","bids":[{"price":"1.5","leaves_qty":"4"}],"asks":[]}"#))
        #expect(
            try differs(snapshot, #"{"event":"book_snapshot","bids":[],"asks":[{"price":"1.5","leaves_qty":"3"}]}"#))
        let one = try JSONParser.parse(book)
        #expect(EventComparison.difference(expected: [one], actual: [one, one]) != nil)
        #expect(EventComparison.difference(expected: [one, one], actual: [one]) != nil)
    }

    @Test("canonical decimals")
    func canonicalDecimals() {
        #expect(EventComparison.canonicalDecimal("007.50") == "7.5")
        #expect(EventComparison.canonicalDecimal("-0.00") == "0")
        #expect(EventComparison.canonicalDecimal("-3.10") == "-3.1")
        #expect(EventComparison.canonicalDecimal("100") == "100")
        for text in ["1.", ".5", "1e3", "+1", "", "-", "1.2.3", "NaN", " 1"] {
            #expect(EventComparison.canonicalDecimal(text) == nil, "\(text)")
        }
    }
}
