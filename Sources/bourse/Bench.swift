import AllocationCounter
import ArgumentParser
import BourseCore
import BourseEngine

#if canImport(Glibc)
import Glibc
#endif

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Benchmarks on a MIX-A workload: the order book alone, or the whole pipeline (--pipeline).",
        discussion: """
            Make a workload with `python3 shared/bench/mixa.py 5000000 42 /tmp/mixa.bin`, then run
            `bourse bench --mixa /tmp/mixa.bin` (the book, single-threaded) or
            `bourse bench --mixa /tmp/mixa.bin --pipeline` (producer threads, intake, sequencer, journal with
            real fdatasync, matching, output ring, consumer thread). Build with `-c release` for meaningful figures.
            """)

    @Option(help: "A MIX-A workload file.")
    var mixa: String

    @Option(help: "How many timed runs (each on a fresh book); the median is reported.")
    var runs = 3

    @Flag(help: "Also measure per-operation latency percentiles in a separate pass.")
    var latency = false

    @Option(help: "Resting orders for the memory measurement.")
    var restingOrders = 1_000_000

    @Flag(help: "Benchmark the whole pipeline instead of the book alone.")
    var pipeline = false

    @Option(help: "Pipeline: the durability of the journal.")
    var durability: Durability = .sync

    @Option(
        help:
            "Pipeline: offered rates in commands per second, comma separated; max for as fast as possible; none: only the venue alone."
    )
    var rates = "250000,500000,1000000,2000000,max"

    @Option(help: "Pipeline: producer threads (with more than one, MIX-A's order and so its check are lost).")
    var producers = 1

    @Option(help: "Pipeline and recovery: where the journal goes (a folder on the disk to measure).")
    var data = "/tmp/bourse-bench"

    @Flag(inversion: .prefixedNo, help: "Pipeline: preallocate journal segments (written full of zeros ahead of use).")
    var preallocate = true

    @Option(help: "Pipeline: the risk layer (off: left out; tracking: no settings; on: every check on every order).")
    var risk: RiskLoad = .on

    @Option(
        help:
            "Pipeline: instead of one run, this many rounds comparing risk off with --risk in one process (the venue alone interleaved, the pipeline alternating), reporting what risk costs."
    )
    var compareRisk: Int?

    @Flag(help: "Journal the whole workload, then time start-up recovery from its snapshots.")
    var recovery = false

    @Option(help: "Recovery: a snapshot every this many commands.")
    var snapshotEvery: UInt64 = 1_000_000

    @Flag(help: "Recovery: keep the data folder (for bourse journal verify and dump).")
    var keepData = false

    func run() throws {
        let workload = try MixAWorkload(path: mixa)
        if recovery {
            try RecoveryBench(workload: workload, folder: data, snapshotEvery: snapshotEvery, keep: keepData).run()
            return
        }
        if pipeline {
            let offered = try rates.split(separator: ",").filter { $0 != "none" }.map { text -> Int? in
                if text == "max" { return nil }
                guard let rate = Int(text), rate > 0 else { throw ValidationError("bad rate \(text)") }
                return rate
            }
            let bench = PipelineBench(
                workload: workload, durability: durability, rates: offered, producers: max(1, producers), folder: data,
                preallocate: preallocate, risk: risk)
            if let rounds = compareRisk {
                guard rounds > 0, risk != .off else {
                    throw ValidationError("--compare-risk needs rounds > 0 and --risk tracking or on")
                }
                guard offered.count <= 1 else { throw ValidationError("--compare-risk takes one rate (or none)") }
                if try !bench.compareRisk(rounds: rounds) { throw ExitCode.failure }
                return
            }
            if try !bench.run() { throw ExitCode.failure }
            return
        }
        print(
            "MIX-A \(mixa): \(workload.records.count) ops, \(workload.warmup) warm-up, "
                + "expected traded \(workload.expectedTradedQuantity), fills \(workload.expectedFills)")
        // Memory first: the replays free large buffers that the allocator keeps, which
        // would blur the resident-size growth measured afterwards.
        printMemoryPerRestingOrder(count: restingOrders, reserved: false)
        printMemoryPerRestingOrder(count: restingOrders, reserved: true)
        var timings: [Double] = []
        var failed = false
        for run in 1...max(1, runs) {
            let result = workload.replay()
            let nanosecondsPerOp = Double(result.elapsedNanoseconds) / Double(result.timedOps)
            timings.append(nanosecondsPerOp)
            let secondHalf = result.timedOps - result.timedOps / 2
            print(
                "run \(run): \(format(nanosecondsPerOp, 1)) ns/op, \(format(1000 / nanosecondsPerOp, 2)) Mops/s; "
                    + "allocations: \(result.timedAllocations) in the \(result.timedOps) timed ops, "
                    + "\(result.secondHalfAllocations) in the last \(secondHalf) (steady state: "
                    + "\(format(Double(result.secondHalfAllocations) / Double(secondHalf), 4))/op)")
            let ok = result.tradedQuantity == workload.expectedTradedQuantity && result.fills == workload.expectedFills
            print(
                "check: traded \(result.tradedQuantity) (expected \(workload.expectedTradedQuantity)), "
                    + "fills \(result.fills) (expected \(workload.expectedFills)): \(ok ? "OK" : "MISMATCH")")
            failed = failed || !ok
        }
        let median = timings.sorted()[timings.count / 2]
        print("median of \(timings.count): \(format(median, 1)) ns/op, \(format(1000 / median, 2)) Mops/s")
        if latency { workload.printLatencies() }
        if failed { throw ExitCode.failure }
    }

    /// Memory per resting order, with the engine grown order by order or sized for `count` up front.
    private func printMemoryPerRestingOrder(count: Int, reserved: Bool) {
        var exchange = Exchange()
        let symbol = exchange.addInstrument(InstrumentRules())
        if reserved { exchange.reserveCapacity(orders: count) }
        var sink = TradeCounter()
        let residentBefore = residentBytes()
        for i in 0..<count {
            // Bids on 1,000 levels, never crossing.
            let order = NewOrder(
                symbol: symbol, account: AccountID(UInt32(i % 1000)), side: .buy, type: .limit, quantity: 10,
                price: Int64(10_000 + i % 1000), selfTradePrevention: .none)
            exchange.submit(order, into: &sink)
        }
        let residentAfter = residentBytes()
        precondition(exchange.liveOrderCount == count)
        print(
            "memory with \(count) resting orders (\(reserved ? "engine sized for them up front" : "grown as they came")): "
                + "\(exchange.memoryFootprint / count) bytes/order held by the engine, "
                + "\((residentAfter - residentBefore) / count) bytes/order resident growth")
    }
}

/// Counts trades and traded quantity; ignores every other event.
struct TradeCounter: EventSink {
    var fills = 0
    var tradedQuantity: Int64 = 0

    @inline(__always)
    mutating func receive(_ event: Event) {
        if case .trade(let trade) = event {
            fills += 1
            tradedQuantity += trade.quantity.lots
        }
    }
}

/// A MIX-A file (see shared/bench/mixa.py for its layout).
struct MixAWorkload {
    struct Record {
        var isCancel: Bool
        var side: Side
        var kind: UInt16
        var quantity: Int64
        var price: Int64
        var id: UInt64
    }

    var records: [Record] = []
    var warmup = 0
    var expectedFills = 0
    var expectedTradedQuantity: Int64 = 0
    var limitCount = 0

    init(path: String) throws {
        guard let file = fopen(path, "rb") else { throw ValidationError("cannot open \(path)") }
        defer { fclose(file) }
        var header = [UInt8](repeating: 0, count: 64)
        guard fread(&header, 1, 64, file) == 64, header[0..<8].elementsEqual("MIXA0001".utf8) else {
            throw ValidationError("\(path) is not a MIX-A file")
        }
        func u64(_ bytes: ArraySlice<UInt8>, _ offset: Int) -> UInt64 {
            var value: UInt64 = 0
            for i in 0..<8 { value |= UInt64(bytes[bytes.startIndex + offset + i]) << (8 * i) }
            return value
        }
        let count = Int(u64(header[...], 8))
        warmup = Int(u64(header[...], 16))
        expectedFills = Int(u64(header[...], 24))
        expectedTradedQuantity = Int64(u64(header[...], 32))
        limitCount = Int(u64(header[...], 48))
        var body = [UInt8](repeating: 0, count: count * 24)
        guard fread(&body, 1, body.count, file) == body.count else { throw ValidationError("\(path) is truncated") }
        records.reserveCapacity(count)
        for i in 0..<count {
            let r = body[(i * 24)..<(i * 24 + 24)]
            let b = r.startIndex
            let quantity = UInt32(r[b + 4]) | UInt32(r[b + 5]) << 8 | UInt32(r[b + 6]) << 16 | UInt32(r[b + 7]) << 24
            let price = UInt32(r[b + 8]) | UInt32(r[b + 9]) << 8 | UInt32(r[b + 10]) << 16 | UInt32(r[b + 11]) << 24
            records.append(
                Record(
                    isCancel: r[b] == 1, side: r[b + 1] == 0 ? .buy : .sell,
                    kind: UInt16(r[b + 2]) | UInt16(r[b + 3]) << 8,
                    quantity: Int64(quantity), price: Int64(price), id: u64(r, 16)))
        }
    }

    /// A fresh engine with one instrument whose ticks and lots are MIX-A's integers.
    private func makeExchange() -> (Exchange, SymbolID) {
        var exchange = Exchange()
        let symbol = exchange.addInstrument(InstrumentRules())
        exchange.reserveCapacity(orders: 1 << 16)
        return (exchange, symbol)
    }

    /// The command for a record, through the same entry points `bourse run` uses.
    /// MIX-A orders carry no account: STP `none` lets every cross trade.
    @inline(__always)
    private static func apply(
        _ record: Record, _ exchange: inout Exchange, _ symbol: SymbolID, _ sink: inout TradeCounter
    ) {
        if record.isCancel {
            exchange.cancel(OrderID(record.id), account: AccountID(0), symbol: symbol, into: &sink)
        } else {
            let order = NewOrder(
                symbol: symbol, account: AccountID(0), side: record.side, type: .limit, quantity: record.quantity,
                price: record.price, selfTradePrevention: .none)
            exchange.submit(order, into: &sink)
        }
    }

    struct Result {
        var elapsedNanoseconds: UInt64
        var timedOps: Int
        var timedAllocations: UInt64
        var secondHalfAllocations: UInt64
        var fills: Int
        var tradedQuantity: Int64
    }

    func replay() -> Result {
        var (exchange, symbol) = makeExchange()
        var sink = TradeCounter()
        for record in records[..<warmup] { Self.apply(record, &exchange, symbol, &sink) }
        let middle = warmup + (records.count - warmup) / 2
        let allocationsBefore = bourse_allocation_count()
        let start = monotonicNanoseconds()
        for record in records[warmup..<middle] { Self.apply(record, &exchange, symbol, &sink) }
        let allocationsAtMiddle = bourse_allocation_count()
        for record in records[middle...] { Self.apply(record, &exchange, symbol, &sink) }
        let elapsed = monotonicNanoseconds() - start
        let allocationsAfter = bourse_allocation_count()
        return Result(
            elapsedNanoseconds: elapsed, timedOps: records.count - warmup,
            timedAllocations: allocationsAfter - allocationsBefore,
            secondHalfAllocations: allocationsAfter - allocationsAtMiddle, fills: sink.fills,
            tradedQuantity: sink.tradedQuantity)
    }

    func printLatencies() {
        var (exchange, symbol) = makeExchange()
        var sink = TradeCounter()
        for record in records[..<warmup] { Self.apply(record, &exchange, symbol, &sink) }
        var samples: [[UInt64]] = [[], [], []]
        for i in samples.indices { samples[i].reserveCapacity(records.count) }
        for record in records[warmup...] {
            let start = monotonicNanoseconds()
            Self.apply(record, &exchange, symbol, &sink)
            let elapsed = monotonicNanoseconds() - start
            samples[Int(record.kind)].append(elapsed)
        }
        print("latency per operation (separate pass, each op timed with two clock reads, clock cost included):")
        for (kinds, name) in [([0], "passive limit"), ([2], "aggressive limit"), ([1], "cancel"), ([0, 1, 2], "all")] {
            let sorted = kinds.flatMap { samples[$0] }.sorted()
            guard !sorted.isEmpty else { continue }
            func percentile(_ p: Double) -> UInt64 { sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] }
            print(
                "  \(name) (\(sorted.count)): p50 \(percentile(0.5)) ns, p99 \(percentile(0.99)) ns, "
                    + "p99.9 \(percentile(0.999)) ns, max \(sorted.last!) ns")
        }
    }
}

func monotonicNanoseconds() -> UInt64 {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
}

/// Resident set size of this process, from /proc/self/statm.
func residentBytes() -> Int {
    guard let file = fopen("/proc/self/statm", "r") else { return 0 }
    defer { fclose(file) }
    var size = 0
    var resident = 0
    guard
        withUnsafeMutablePointer(
            to: &size,
            { s in
                withUnsafeMutablePointer(to: &resident) { r in
                    withVaList([s, r]) { vfscanf(file, "%ld %ld", $0) }
                }
            }) == 2
    else { return 0 }
    return resident * Int(sysconf(Int32(_SC_PAGESIZE)))
}

func format(_ value: Double, _ decimals: Int) -> String {
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let rounded = (value * scale).rounded() / scale
    var text = String(rounded)
    if let dot = text.firstIndex(of: ".") {
        let have = text.distance(from: dot, to: text.endIndex) - 1
        if have < decimals { text += String(repeating: "0", count: decimals - have) }
    }
    return text
}
