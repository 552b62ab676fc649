import BourseVenue

/// The engine behind `bourse run` without a journal: one line of the contract's
/// command format in, the answering events out, as JSON lines.
public struct JSONLinesSession {
    private var venue = Venue()
    private var writer = JSONEventWriter()

    public init() {}

    /// Processes one input line and appends the answering events (one JSON object
    /// per string, without newline) to `output`. Blank lines answer nothing.
    public mutating func process(line: some StringProtocol, into output: inout [String]) {
        switch CommandParser.parse(line) {
        case .blank: return
        case .command(let command, let ts): venue.apply(command, ts: ts, into: &writer)
        case .malformed(let echo, let message): venue.rejectMalformed(echo: echo, message: message, into: &writer)
        }
        output.append(contentsOf: writer.lines)
        writer.lines.removeAll(keepingCapacity: true)
    }

    /// Checks the engine's invariants and that the client order ids follow the orders.
    public func checkInvariants() { venue.checkInvariants() }
}
