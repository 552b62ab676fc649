import BourseEngine
import BourseVenue
import Foundation
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// `bourse bench --recovery`: journals a whole MIX-A workload with a snapshot every
/// `snapshotEvery` commands, then times start-up recovery: from the newest snapshot,
/// and (the worst case) from the one before it, with a whole interval to replay.
struct RecoveryBench {
    let workload: MixAWorkload
    let folder: String
    let snapshotEvery: UInt64
    /// Leave the data folder for `bourse journal verify` (the newest snapshot is removed by the worst case).
    let keep: Bool

    func run() throws {
        let data = folder + "/recovery-\(getpid())"
        try? FileManager.default.removeItem(atPath: data)
        defer { if !keep { try? FileManager.default.removeItem(atPath: data) } }
        var logger = Logger(label: "bench")
        logger.logLevel = .error
        var configuration = EngineConfiguration(dataFolder: data)
        configuration.durability = .async
        configuration.snapshotEvery = snapshotEvery
        configuration.snapshotOnStop = false
        let start = monotonicNanoseconds()
        do {
            let engine = try Engine<CompactEventEncoder>(configuration: configuration, logger: logger)
            let consumer = engine.makeConsumer()
            let done = DispatchSemaphore(value: 0)
            Thread {
                while consumer.wait() { consumer.poll { _ in } }
                done.signal()
            }.start()
            engine.start()
            submit(engine, .addInstrument(AddInstrumentCommand(symbol: "MIXA", tickSize: "1", lotSize: "1")))
            for record in workload.records { submit(engine, PipelineBench.command(record)) }
            engine.stop()
            done.wait()
        }
        let journalBytes = folderBytes(data + "/journal")
        print(
            "journaled \(workload.records.count + 1) commands in \(format(Double(monotonicNanoseconds() - start) / 1e9, 1)) s "
                + "(journal \(journalBytes >> 20) MiB, snapshot every \(snapshotEvery) commands)")
        let newest = try measure(configuration, logger: logger)
        print(
            "recovery from the newest snapshot: \(format(Double(newest.nanoseconds) / 1e6, 1)) ms (snapshot at "
                + "\(newest.snapshotSeq.map(String.init) ?? "none"), \(newest.replayed) commands replayed, "
                + "last sequence \(newest.lastSeq))")
        // The worst case: the newest snapshot is gone, a whole interval of the journal is replayed.
        let snapshots = try FileManager.default.contentsOfDirectory(atPath: data + "/snapshots").sorted()
        if let last = snapshots.last { try FileManager.default.removeItem(atPath: data + "/snapshots/" + last) }
        let previous = try measure(configuration, logger: logger)
        print(
            "recovery from the snapshot before it: \(format(Double(previous.nanoseconds) / 1e6, 1)) ms (snapshot at "
                + "\(previous.snapshotSeq.map(String.init) ?? "none"), \(previous.replayed) commands replayed)")
        if keep { print("data folder kept: \(data)") }
    }

    private func measure(_ configuration: EngineConfiguration, logger: Logger) throws -> RecoveryReport {
        var configuration = configuration
        configuration.snapshotOnStop = false
        let engine = try Engine<CompactEventEncoder>(configuration: configuration, logger: logger)
        return engine.recovery
    }

    private func submit(_ engine: Engine<CompactEventEncoder>, _ command: Command) {
        var attempts = 0
        while engine.submit(command) == .busy {
            attempts += 1
            if attempts < 4 { sched_yield() } else { usleep(50) }
        }
    }

    private func folderBytes(_ path: String) -> Int {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.reduce(0) { total, name in
            let attributes = try? FileManager.default.attributesOfItem(atPath: path + "/" + name)
            return total + ((attributes?[.size] as? Int) ?? 0)
        }
    }
}
