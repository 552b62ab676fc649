import BourseCore
import BourseJSONLines
import BourseVenue
import ContractReference
import Testing

/// The risk layer's invariants over seeded random streams of cash and credit accounts: after every command no
/// balance or hold is negative, more is never held than owned, each order's hold is its remaining quantity
/// times its price (plus the worst-case fee), and every asset adds up (balances + fees collected + what credit
/// accounts received = deposits - withdrawals). `checkInvariants()` stops the process when one fails.
@Suite("risk invariants over random streams")
struct RiskInvariantTests {
    @Test("no balance or hold goes negative and every asset is conserved", arguments: [1, 2, 3, 4] as [UInt64])
    func conservation(seed: UInt64) {
        var session = JSONLinesSession()
        var output: [String] = []
        for line in RandomRiskStream.setup {
            session.process(line: line, into: &output)
        }
        #expect(!output.contains { $0.contains(#""rejected""#) }, "the setup is refused: \(output)")
        var stream = RandomRiskStream(seed: seed)
        var reasons: [String: Int] = [:]
        var events: [String: Int] = [:]
        for _ in 0..<12_000 {
            output.removeAll(keepingCapacity: true)
            session.process(line: stream.nextLine(), into: &output)
            session.checkInvariants()
            for text in output {
                guard case .object = try? JSONParser.parse(text) else {
                    Issue.record("not a JSON object: \(text)")
                    return
                }
                let value = try? JSONParser.parse(text)
                events[value?["event"]?.stringValue ?? "", default: 0] += 1
                if let reason = value?["reason"]?.stringValue, value?["event"]?.stringValue == "rejected" {
                    reasons[reason, default: 0] += 1
                }
            }
        }
        // The stream reaches what it is meant to exercise.
        for event in ["trade", "balance", "position", "settlement", "halted", "resumed", "kill_switch"] {
            #expect(events[event, default: 0] > 0, "no \(event) event in \(events)")
        }
        for reason in ["insufficient_balance", "kill_switch", "price_band", "max_order_qty", "halted"] {
            #expect(reasons[reason, default: 0] > 0, "no \(reason) rejection in \(reasons)")
        }
    }
}
