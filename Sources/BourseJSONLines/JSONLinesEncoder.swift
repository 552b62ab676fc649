import BourseCore
import BourseVenue

/// The contract's JSON lines as an event encoding (for the engine's output ring):
/// each event a line ended by a newline, ready for standard output.
public struct JSONLinesEncoder: EventEncoder {
    private var encoded: [UInt8] = []
    private var writer = JSONEventWriter()

    public init() { encoded.reserveCapacity(4096) }

    public func withEncoded<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try encoded.withUnsafeBytes(body)
    }

    public mutating func removeAll() { encoded.removeAll(keepingCapacity: true) }

    public mutating func receive(_ event: VenueEvent, context: EventContext) {
        writer.receive(event, context: context)
        takeLines()
    }

    public mutating func receive(snapshot: BookSnapshot, of symbol: SymbolID, context: EventContext) {
        writer.receive(snapshot: snapshot, of: symbol, context: context)
        takeLines()
    }

    private mutating func takeLines() {
        for line in writer.lines {
            encoded.append(contentsOf: line.utf8)
            encoded.append(0x0A)
        }
        writer.lines.removeAll(keepingCapacity: true)
    }
}
