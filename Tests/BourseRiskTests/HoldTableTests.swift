import BourseCore
import ContractReference
import Testing

@testable import BourseRisk

/// The hold table: lookups, tombstones, rebuilds and copy-on-write.
struct HoldTableTests {
    func hold(_ value: Int) -> Hold {
        Hold(account: AccountID(1), asset: 2, perLot: Amount(raw: Int128(value)), held: Amount(raw: Int128(value * 2)))
    }

    @Test("an entry is one cache line")
    func entryIsOneLine() {
        #expect(MemoryLayout<HoldTable.Entry>.stride == 64)
    }

    @Test("holds are found by order id after inserts, removals and rebuilds, as a dictionary would")
    func matchesDictionary() {
        var table = HoldTable()
        var expected: [UInt64: Int] = [:]
        var open: [UInt64] = []
        var generator = RefSplitMix64(seed: 7)
        var nextID: UInt64 = 1
        for step in 0..<200_000 {
            // New orders and removals of random open ones (some stay open for long).
            if open.isEmpty || generator.next() % 2 == 0 {
                table.insert(nextID, hold(Int(nextID)))
                expected[nextID] = Int(nextID)
                open.append(nextID)
                nextID += 1
            } else {
                let index = Int(generator.next() % UInt64(open.count))
                let victim = open[index]
                open.swapAt(index, open.count - 1)
                open.removeLast()
                guard let slot = table.find(victim) else {
                    Issue.record("hold \(victim) lost at step \(step)")
                    return
                }
                table.remove(at: slot)
                expected[victim] = nil
            }
            if step % 10_007 == 0 {
                for (id, value) in expected { #expect(table.find(id).map { table[$0].perLot.raw } == Int128(value)) }
            }
        }
        #expect(table.count == expected.count)
        #expect(table.sorted.map(\.orderID) == expected.keys.sorted())
        for id in 1..<nextID where expected[id] == nil { #expect(table.find(id) == nil) }
    }

    @Test("a copy does not see the original's later changes")
    func copyOnWrite() {
        var table = HoldTable()
        table.insert(1, hold(1))
        let copy = table
        table[table.find(1)!] = hold(5)
        table.insert(2, hold(2))
        table.remove(at: table.find(1)!)
        #expect(copy.find(1).map { copy[$0].perLot.raw } == 1)
        #expect(copy.find(2) == nil)
        #expect(copy.count == 1)
        #expect(table.find(1) == nil)
    }
}
