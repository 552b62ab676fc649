import BourseEngine
import BourseJSONLines
import BourseMarketData
import Foundation
import Logging

/// `DATA/marketdata.json`: the market data's history (orders, fills, trades, candles)
/// written when the server stops, with the engine's last sequence number. The next start
/// loads it only if the engine recovered to that same number; after a crash the engine
/// has more (or the file is older) and the server starts without the history.
struct MarketDataFile {
    let path: String

    init(folder: String) { path = (folder as NSString).appendingPathComponent("marketdata.json") }

    func load(into marketData: MarketData, recoveredSeq: UInt64, logger: Logger) {
        guard let data = FileManager.default.contents(atPath: path) else {
            if recoveredSeq > 0 {
                logger.info("no market data history: trades, candles, closed orders and fills start empty")
            }
            return
        }
        guard let value = try? JSONParser.parse(String(decoding: data, as: UTF8.self)),
            let seq = value["seq"]?.int64Value, let saved = value["state"]
        else {
            logger.warning("market data history unreadable: starting without it", metadata: ["path": "\(path)"])
            return
        }
        guard UInt64(exactly: seq) == recoveredSeq else {
            logger.warning(
                "market data history is from another point of the journal: starting without it",
                metadata: ["path": "\(path)", "saved_seq": "\(seq)", "recovered_seq": "\(recoveredSeq)"])
            return
        }
        if marketData.load(saved) {
            logger.info("market data history loaded", metadata: ["seq": "\(seq)"])
        } else {
            logger.warning("market data history unreadable: starting without it", metadata: ["path": "\(path)"])
        }
    }

    /// Saves the history once the engine has stopped and the gateway has applied its last
    /// events (it then knows everything up to the engine's last command). If the gateway
    /// does not finish, no file is left: a stale one would claim to be complete.
    func save(_ marketData: MarketData, engine: Engine<JSONLinesEncoder>, gateway: EngineGateway, logger: Logger) {
        var waited = 0
        while !gateway.isStopped && waited < 60_000 {
            usleep(1_000)
            waited += 1
        }
        guard gateway.isStopped, !engine.hasFailed else {
            unlink(path)
            logger.warning("market data history not saved: the engine's events were not all read")
            return
        }
        let seq = engine.statistics.lastSeq
        let text = JSONValue.object([("seq", .number(String(seq))), ("state", marketData.saved())]).jsonText
        let temporary = path + ".tmp"
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: temporary))
            let handle = try FileHandle(forUpdating: URL(fileURLWithPath: temporary))
            try handle.synchronize()
            try handle.close()
            guard rename(temporary, path) == 0 else { throw CocoaError(.fileWriteUnknown) }
            logger.info("market data history saved", metadata: ["seq": "\(seq)", "bytes": "\(text.utf8.count)"])
        } catch {
            unlink(path)
            logger.error("market data history not saved", metadata: ["path": "\(path)", "error": "\(error)"])
        }
    }
}
