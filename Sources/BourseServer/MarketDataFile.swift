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
        guard let data = FileManager.default.contents(atPath: path) else { return }
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

    func save(_ marketData: MarketData, seq: UInt64, logger: Logger) {
        let text = JSONValue.object([("seq", .number(String(seq))), ("state", marketData.saved())]).jsonText
        let temporary = path + ".tmp"
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: temporary))
            guard rename(temporary, path) == 0 else { throw CocoaError(.fileWriteUnknown) }
            logger.info("market data history saved", metadata: ["seq": "\(seq)", "bytes": "\(text.utf8.count)"])
        } catch {
            logger.error("market data history not saved", metadata: ["path": "\(path)", "error": "\(error)"])
        }
    }
}
