import ArgumentParser
import Atomics
import BourseEngine
import BourseVenue
import Foundation
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// How much of the risk layer the pipeline benchmark runs.
enum RiskLoad: String, ExpressibleByArgument, CaseIterable {
    /// Left out of the venue entirely: the baseline.
    case off
    /// Running, with no settings: it follows orders, trades, positions and fees; no check can fail.
    case tracking
    /// MIX-A's account in cash mode with every limit, a price band, a circuit breaker and fees:
    /// every check runs on every order and every fill moves balances (none is refused).
    case on
}

/// `bourse bench --pipeline`: MIX-A commands pushed by producer threads through the
/// whole engine (intake ring, sequencer, journal with its durability, matching,
/// output ring) to a consumer thread, at a series of offered rates.
struct PipelineBench {
    let workload: MixAWorkload
    let durability: Durability
    let rates: [Int?]
    let producers: Int
    let folder: String
    let preallocate: Bool
    var risk: RiskLoad

    /// MIX-A's instrument (its assets are MIXA and USD).
    static let symbol = "MIXA-USD"

    /// The contract command for a MIX-A record. Orders carry no account in MIX-A:
    /// one account, STP `none`, so every cross trades; ids are the engine's order ids.
    static func command(_ record: MixAWorkload.Record) -> Command {
        if record.isCancel {
            return .cancel(
                CancelCommand(symbol: Self.symbol, account: "a", order: OrderReference(orderID: String(record.id))))
        }
        return .newOrder(
            NewOrderCommand(
                symbol: Self.symbol, account: "a", clientOrderID: String(record.id), side: record.side, type: .limit,
                quantity: DecimalValue(UInt64(record.quantity)), price: DecimalValue(UInt64(record.price)),
                selfTradePrevention: .none))
    }

    struct Result {
        var offered: Int?
        var commands: Int
        var seconds: Double
        var latencies: [UInt64]
        var syncs: Int
        var syncDurations: [Int]
        var sequencerCPU: Int
        var busy: Int
        var fills: Int
        var traded: Int64
    }

    /// The sequencer's share of the work, on one thread: MIX-A commands (names and decimal text)
    /// applied to a venue, events encoded, no journal and no rings.
    func measureVenue() -> Double {
        var (venue, encoder) = warmVenue()
        let start = monotonicNanoseconds()
        for command in commands[workload.warmup...] {
            venue.apply(command, ts: nil, into: &encoder)
            encoder.removeAll()
        }
        return Double(monotonicNanoseconds() - start) / Double(commands.count - workload.warmup)
    }

    /// A venue with this benchmark's risk load, its setup applied and MIX-A's warm-up
    /// commands through it, and its encoder.
    private func warmVenue() -> (Venue, CompactEventEncoder) {
        var venue = Venue(risk: risk != .off)
        var encoder = CompactEventEncoder()
        for command in setup { venue.apply(command, ts: nil, into: &encoder) }
        for record in workload.records[..<workload.warmup] {
            venue.apply(Self.command(record), ts: nil, into: &encoder)
            encoder.removeAll()
        }
        encoder.removeAll()
        return (venue, encoder)
    }

    /// The venue alone with risk off and with `risk`, side by side in one thread: the two
    /// venues take turns over chunks of the commands (who goes first alternates), so that
    /// both see the machine in the same state, to within a chunk. Answers ns/command of
    /// each. (Each turn starts with the other venue's data in the caches: both pay that.)
    func measureVenuesInterleaved(chunk: Int = 50_000) -> (off: Double, on: Double) {
        var withoutRisk = self
        withoutRisk.risk = .off
        let (venueOff, encoderOff) = withoutRisk.warmVenue()
        let (venueOn, encoderOn) = warmVenue()
        var venues = [venueOff, venueOn]
        var encoders = [encoderOff, encoderOn]
        var elapsed: [UInt64] = [0, 0]
        var start = workload.warmup
        var turn = 0
        while start < commands.count {
            let end = min(start + chunk, commands.count)
            for index in turn % 2 == 0 ? [0, 1] : [1, 0] {
                let began = monotonicNanoseconds()
                for command in commands[start..<end] {
                    venues[index].apply(command, ts: nil, into: &encoders[index])
                    encoders[index].removeAll()
                }
                elapsed[index] += monotonicNanoseconds() - began
            }
            start = end
            turn += 1
        }
        let timed = Double(commands.count - workload.warmup)
        return (Double(elapsed[0]) / timed, Double(elapsed[1]) / timed)
    }

    /// The commands, built before any clock runs (a gateway's parsing is not what is measured).
    let commands: [Command]

    /// The instrument, and for `--risk on` the risk settings of MIX-A's account: limits far
    /// enough not to refuse anything, so that every check runs and the check line holds.
    var setup: [Command] {
        var commands: [Command] = [
            .addInstrument(AddInstrumentCommand(symbol: Self.symbol, tickSize: "1", lotSize: "1"))
        ]
        guard risk == .on else { return commands }
        let lines: [(RiskCommand.Kind, [String: String])] = [
            (.setAccount, ["account": "a", "mode": "cash"]),
            (.deposit, ["account": "a", "asset": "MIXA", "amount": "1000000000000"]),
            (.deposit, ["account": "a", "asset": "USD", "amount": "1000000000000000"]),
            (
                .setLimits,
                [
                    "account": "a", "max_order_qty": "1000000000", "max_order_notional": "1000000000000000",
                    "max_position": "1000000000000", "max_open_orders": "100000000",
                    "max_daily_loss": "1000000000000000",
                    "max_order_rate": "1000000000",
                ]
            ),
            (
                .setInstrumentRisk,
                [
                    "symbol": Self.symbol, "price_band_pct": "10000", "breaker_pct": "10000",
                    "breaker_window_ms": "1000",
                    "breaker_halt_ms": "1000",
                ]
            ),
            (.setFees, ["symbol": Self.symbol, "maker_bps": "1", "taker_bps": "2"]),
        ]
        commands += lines.map { .risk(RiskCommand($0.0, $0.1)) }
        return commands
    }

    init(
        workload: MixAWorkload, durability: Durability, rates: [Int?], producers: Int, folder: String,
        preallocate: Bool, risk: RiskLoad
    ) {
        self.risk = risk
        self.workload = workload
        self.durability = durability
        self.rates = rates
        self.producers = producers
        self.folder = folder
        self.preallocate = preallocate
        commands = workload.records.map(Self.command)
    }

    func run() throws -> Bool {
        print("venue alone: \(format(measureVenue(), 1)) ns/command")
        if rates.isEmpty { return true }
        print("intake ring alone: \(format(measureIntakeRing(commands), 1)) ns/command")
        print(
            "pipeline: \(workload.records.count) MIX-A commands (\(workload.warmup) warm-up), \(producers) producer "
                + "thread(s), durability \(durability.rawValue), risk \(risk.rawValue), journal in \(folder)")
        if durability == .async { print("  (async: events are released before their records are synced)") }
        var ok = true
        for rate in rates {
            let result = try measure(rate: rate)
            report(result)
            if producers == 1 {
                let matches = result.fills == workload.expectedFills && result.traded == workload.expectedTradedQuantity
                print(
                    "  check: traded \(result.traded) (expected \(workload.expectedTradedQuantity)), fills "
                        + "\(result.fills) (expected \(workload.expectedFills)): \(matches ? "OK" : "MISMATCH")")
                ok = ok && matches
            }
        }
        return ok
    }

    /// What the risk layer costs, over `rounds` rounds in this one process: each round
    /// measures the venue alone with risk off and with `risk` interleaved
    /// (`measureVenuesInterleaved`), then, with a rate, the pipeline with each, in
    /// alternating order. On a machine whose speed swings, this keeps the swings from
    /// falling on one side; the medians of the rounds are the result.
    func compareRisk(rounds: Int) throws -> Bool {
        let rate = rates.first ?? nil
        func percent(_ value: Double) -> String { (value >= 0 ? "+" : "") + format(value * 100, 1) + "%" }
        func median(_ values: [Double]) -> Double {
            let sorted = values.sorted()
            return sorted.count % 2 == 1
                ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
        }
        print(
            "risk off against risk \(risk.rawValue), \(rounds) round(s): the venue alone, the two interleaved in "
                + "chunks of 50,000 commands"
                + (rates.isEmpty
                    ? ""
                    : "; the pipeline (\(rate.map { "\($0) commands/s offered" } ?? "as fast as possible"), "
                        + "durability \(durability.rawValue)), one run each, in alternating order"))
        var venueCosts: [Double] = []
        var throughput: [RiskLoad: [Double]] = [:]
        var sequencerCPU: [RiskLoad: [Double]] = [:]
        var ok = true
        for round in 1...rounds {
            let venue = measureVenuesInterleaved()
            venueCosts.append(venue.on / venue.off - 1)
            var line =
                "round \(round): venue off \(format(venue.off, 1)), \(risk.rawValue) \(format(venue.on, 1)) ns/command "
                + "(\(percent(venue.on / venue.off - 1)))"
            if !rates.isEmpty {
                line += "; pipeline"
                for load in round % 2 == 1 ? [RiskLoad.off, risk] : [risk, .off] {
                    var bench = self
                    bench.risk = load
                    let result = try bench.measure(rate: rate)
                    let perSecond = Double(result.commands) / result.seconds
                    throughput[load, default: []].append(perSecond)
                    let cpu = Double(result.sequencerCPU) / Double(workload.records.count + bench.setup.count)
                    sequencerCPU[load, default: []].append(cpu)
                    line +=
                        " \(load.rawValue) \(format(perSecond / 1e6, 3))M/s (sequencer \(format(cpu, 0)) ns/command)"
                    if producers == 1 {
                        ok =
                            ok && result.fills == workload.expectedFills
                            && result.traded == workload.expectedTradedQuantity
                    }
                }
            }
            print(line)
        }
        print(
            "venue alone: risk \(risk.rawValue) costs \(percent(median(venueCosts))) of the time (median of "
                + "\(rounds); per round \(venueCosts.map(percent).joined(separator: ", ")))")
        if let off = throughput[.off], let on = throughput[risk] {
            let perRound = zip(off, on).map { $1 / $0 - 1 }
            print(
                "pipeline: risk \(risk.rawValue) changes throughput by \(percent(median(perRound))) (median of "
                    + "\(rounds); per round \(perRound.map(percent).joined(separator: ", "))); medians off "
                    + "\(format(median(off) / 1e6, 3))M/s, \(risk.rawValue) \(format(median(on) / 1e6, 3))M/s")
            if let cpuOff = sequencerCPU[.off], let cpuOn = sequencerCPU[risk] {
                let extra = zip(cpuOff, cpuOn).map { $1 / $0 - 1 }
                print(
                    "  the sequencer's CPU per command: risk \(risk.rawValue) adds \(percent(median(extra))) (median; "
                        + "medians off \(format(median(cpuOff), 0)), \(risk.rawValue) \(format(median(cpuOn), 0)) ns/command)"
                )
            }
            if producers == 1 {
                print("  check: every pipeline run traded and filled as expected: \(ok ? "OK" : "MISMATCH")")
            }
        }
        return ok
    }

    private func measure(rate: Int?) throws -> Result {
        let data = folder + "/run-\(getpid())-\(rate ?? 0)"
        try? FileManager.default.removeItem(atPath: data)
        defer { try? FileManager.default.removeItem(atPath: data) }
        var logger = Logger(label: "bench")
        logger.logLevel = .error
        var configuration = EngineConfiguration(dataFolder: data)
        configuration.durability = durability
        configuration.snapshotOnStop = false
        configuration.preallocateSegments = preallocate
        configuration.risk = risk != .off
        let engine = try Engine<CompactEventEncoder>(configuration: configuration, logger: logger)
        let records = workload.records
        let warmup = workload.warmup
        let total = records.count + setup.count
        let consumer = engine.makeConsumer()
        let tally = Tally(commands: total + 1, producers: producers)
        let consumerDone = DispatchSemaphore(value: 0)
        Thread {
            var fills = 0
            var traded: Int64 = 0
            var last: UInt64 = 0
            while consumer.wait() {
                consumer.poll { record in
                    CompactEventEncoder.forEachTrade(in: record.events) { quantity in
                        fills += 1
                        traded += quantity
                    }
                    let now = monotonicNanoseconds()
                    if record.isLast && record.origin != 0 { tally.latencies[Int(record.seq)] = now &- record.origin }
                    last = record.seq
                    tally.lastSeq = last
                    tally.end = now
                }
            }
            tally.fills = fills
            tally.traded = traded
            consumerDone.signal()
        }.start()
        engine.start()
        for command in setup { _ = submitWaiting(engine, command, origin: 0) }
        var warmupBusy = 0
        for command in commands[..<warmup] { warmupBusy += submitWaiting(engine, command, origin: 0) }
        // The timed part starts once the warm-up is through the pipeline. Producers share the
        // records round robin (one producer keeps MIX-A's order).
        while tally.lastSeq < UInt64(warmup + setup.count) { usleep(1000) }
        let timedStart = monotonicNanoseconds() + 1_000_000
        let group = DispatchGroup()
        for producer in 0..<producers {
            group.enter()
            Thread {
                var index = warmup + producer
                var busy = 0
                while index < records.count {
                    let command = commands[index]
                    var origin: UInt64
                    if let rate {
                        // The intended send time of this command: latency counts from it.
                        origin = timedStart + UInt64(Double(index - warmup) * 1e9 / Double(rate))
                        // Sleep until shortly before the send time, then wait for it without a busy core:
                        // a spinning producer would take a core from the engine.
                        var now = monotonicNanoseconds()
                        if origin > now + 100_000 { usleep(UInt32((origin - now - 60_000) / 1000)) }
                        now = monotonicNanoseconds()
                        while now < origin {
                            sched_yield()
                            now = monotonicNanoseconds()
                        }
                    } else {
                        origin = monotonicNanoseconds()
                    }
                    origin = max(origin, 1)
                    busy += self.submitWaiting(engine, command, origin: origin)
                    index += producers
                }
                tally.busyCounts[producer] = busy
                group.leave()
            }.start()
        }
        group.wait()
        engine.stop()
        consumerDone.wait()
        let timed = records.count - warmup
        var samples: [UInt64] = []
        samples.reserveCapacity(timed)
        for seq in (warmup + setup.count + 1)...total where tally.latencies[seq] != 0 {
            samples.append(tally.latencies[seq])
        }
        samples.sort()
        return Result(
            offered: rate, commands: timed, seconds: Double(tally.end - timedStart) / 1e9, latencies: samples,
            syncs: engine.statistics.syncs, syncDurations: engine.statistics.syncDurations,
            sequencerCPU: engine.statistics.sequencerCPUNanoseconds, busy: tally.busyCounts.reduce(0, +),
            fills: tally.fills,
            traded: tally.traded)
    }

    /// Submits, retrying while the intake is full; returns how many times it was.
    private func submitWaiting(_ engine: Engine<CompactEventEncoder>, _ command: Command, origin: UInt64) -> Int {
        var busy = 0
        while engine.submit(command, origin: origin) == .busy {
            // Back off: spinning here would take the core the sequencer needs to drain the intake.
            busy += 1
            if busy < 4 { sched_yield() } else { usleep(50) }
        }
        return busy
    }

    private func report(_ result: Result) {
        func percentile(_ p: Double) -> String {
            guard !result.latencies.isEmpty else { return "-" }
            let value = result.latencies[min(result.latencies.count - 1, Int(Double(result.latencies.count) * p))]
            return format(Double(value) / 1000, 1)
        }
        let achieved = Double(result.commands) / result.seconds
        let offered = result.offered.map { "\(format(Double($0) / 1e6, 2))M/s offered" } ?? "as fast as possible"
        let maximum = result.latencies.last.map { format(Double($0) / 1000, 1) } ?? "-"
        let perSync = result.syncs > 0 ? String(result.commands / result.syncs) : "-"
        let sequencerCPU = format(Double(result.sequencerCPU) / Double(workload.records.count + setup.count), 0)
        var line = "\(offered): \(format(achieved / 1e6, 3))M commands/s; "
        line += "intake to release p50 \(percentile(0.5)) µs, p90 \(percentile(0.9)) µs, "
        line += "p99 \(percentile(0.99)) µs, p99.9 \(percentile(0.999)) µs, max \(maximum) µs; "
        line += "\(result.syncs) syncs (\(perSync) commands each); intake full \(result.busy) times; "
        line += "sequencer CPU \(sequencerCPU) ns/command"
        print(line)
        if result.syncs > 0 {
            let buckets = result.syncDurations.enumerated().filter { $0.element > 0 }.map { bucket, count in
                "\(1 << bucket)-\(2 << bucket) µs: \(count)"
            }
            print("  journal syncs by duration: " + buckets.joined(separator: ", "))
        }
    }
}

/// Counters shared by the benchmark's threads (each written by one thread).
final class Tally: @unchecked Sendable {
    /// Latency of each timed command (release time minus intended send time), by sequence number.
    let latencies: UnsafeMutableBufferPointer<UInt64>
    /// Times each producer found the intake full.
    let busyCounts: UnsafeMutableBufferPointer<Int>
    var fills = 0
    var traded: Int64 = 0
    /// The last sequence number the consumer saw (read by the main thread to wait for the warm-up).
    @inline(never) var lastSeq: UInt64 {
        get { lastSeqStorage.load(ordering: .acquiring) }
        set { lastSeqStorage.store(newValue, ordering: .releasing) }
    }
    private let lastSeqStorage = ManagedAtomic<UInt64>(0)
    var end: UInt64 = 0

    init(commands: Int, producers: Int) {
        latencies = .allocate(capacity: commands)
        latencies.initialize(repeating: 0)
        busyCounts = .allocate(capacity: producers)
        busyCounts.initialize(repeating: 0)
    }

    deinit {
        latencies.deallocate()
        busyCounts.deallocate()
    }
}
