import BourseCore
import BourseRisk
import Crypto

/// The venue's whole state in a canonical binary form: snapshots store it, and its
/// SHA-256 is the state hash. Canonical means it depends only on what decides future
/// events (books in priority order, counters, clock, names), never on how storage
/// happens to be laid out, so a venue rebuilt from a snapshot and one that replayed
/// every command encode to the same bytes.
extension Venue {
    /// The version of the state encoding (2: the risk layer's state follows the books).
    static let stateFormat: UInt8 = 2

    public func encodeState(into writer: inout BinaryWriter) {
        let image = exchange.image
        writer.byte(Self.stateFormat)
        writer.signedVarint(image.now)
        writer.varint(image.nextOrderID)
        writer.varint(image.nextTradeID)
        writer.varint(context.accountNames.count)
        for name in context.accountNames { writer.string(name) }
        writer.varint(image.books.count)
        for (instrument, book) in zip(context.instruments, image.books) {
            writer.string(instrument.symbol)
            for unit in [instrument.tick, instrument.lot] {
                writer.uint128(unit.significand)
                writer.signedVarint(Int64(unit.exponent))
            }
            writer.signedVarint(book.rules.minimumQuantity)
            writer.signedVarint(book.rules.maximumQuantity)
            writer.int128(book.rules.minimumNotional)
            writer.bool(book.halted)
            writer.bool(book.lastTradePrice != nil)
            if let last = book.lastTradePrice { writer.signedVarint(last) }
            for orders in [book.bids, book.asks, book.stops] {
                writer.varint(orders.count)
                for order in orders { encode(order, into: &writer) }
            }
        }
        risk.encodeState(into: &writer)
    }

    private func encode(_ order: OrderImage, into writer: inout BinaryWriter) {
        writer.varint(order.orderID.rawValue)
        writer.varint(UInt64(order.account.rawValue))
        writer.string(context.clientOrderIDs.name(order.clientTag))
        writer.byte(order.side.rawValue)
        writer.byte(order.type.rawValue)
        writer.byte(order.selfTradePrevention.rawValue)
        writer.byte(order.timeInForce.rawValue)
        writer.bool(order.postOnly)
        writer.signedVarint(order.price)
        writer.signedVarint(order.stopPrice)
        writer.signedVarint(order.leaves)
        writer.signedVarint(order.shown)
        writer.signedVarint(order.filled)
        writer.int128(order.filledNotional)
        writer.signedVarint(order.displayQuantity)
        writer.signedVarint(order.expireAt)
    }

    /// The venue's state as bytes (see `encodeState(into:)`).
    public var encodedState: [UInt8] {
        var writer = BinaryWriter(capacity: 4096)
        encodeState(into: &writer)
        return writer.takeBytes()
    }

    /// SHA-256 of the encoded state, in hex: equal hashes mean equal states.
    public var stateHash: String { Self.hash(of: encodedState) }

    /// SHA-256 of encoded state bytes, in hex.
    public static func hash(of encodedState: [UInt8]) -> String {
        SHA256.hash(data: encodedState).map { byte in
            let digits = Array("0123456789abcdef".utf8)
            return String(decoding: [digits[Int(byte >> 4)], digits[Int(byte & 15)]], as: UTF8.self)
        }.joined()
    }

    /// Why encoded state cannot be read.
    public struct StateError: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// The venue whose encoded state is `bytes`.
    /// The venue whose encoded state is `bytes` (`risk`: see `init(risk:)`).
    public init(decodingState bytes: UnsafeRawBufferPointer, risk riskEnabled: Bool = true) throws(StateError) {
        self.init(risk: riskEnabled)
        var reader = BinaryReader(bytes)
        do {
            guard try reader.byte() == Self.stateFormat else { throw reader.error("unknown state format") }
            let now = try reader.signedVarint()
            let nextOrderID = try reader.varint()
            let nextTradeID = try reader.varint()
            let accountCount = try reader.count()
            for _ in 0..<accountCount {
                let name = try reader.string()
                guard accountID(name).rawValue == UInt32(context.accountNames.count - 1) else {
                    throw reader.error("account \(name) appears twice")
                }
            }
            var books: [BookImage] = []
            for symbol in 0..<(try reader.count()) {
                let name = try reader.string()
                guard symbolID(name) == nil else { throw reader.error("symbol \(name) appears twice") }
                var units: [UnitSize] = []
                for _ in 0..<2 {
                    let significand = try reader.uint128()
                    let exponent = try reader.signedVarint()
                    guard significand > 0, significand <= UInt128(Int64.max), abs(exponent) < 1 << 20 else {
                        throw reader.error("symbol \(name) has a bad tick or lot size")
                    }
                    units.append(UnitSize(significand: significand, exponent: Int(exponent)))
                }
                let rules = InstrumentRules(
                    minimumQuantity: try reader.signedVarint(), maximumQuantity: try reader.signedVarint(),
                    minimumNotional: try reader.int128())
                let halted = try reader.bool()
                let lastTradePrice = try reader.bool() ? try reader.signedVarint() : nil
                var sides: [[OrderImage]] = []
                for _ in 0..<3 {
                    var orders: [OrderImage] = []
                    for _ in 0..<(try reader.count()) { orders.append(try decodeOrder(&reader, accountCount)) }
                    sides.append(orders)
                }
                context.instruments.append(InstrumentText(symbol: name, tick: units[0], lot: units[1]))
                symbolIndex.insert(hash: symbolIndex.hash(name), value: UInt32(symbol))
                books.append(
                    BookImage(
                        rules: rules, halted: halted, lastTradePrice: lastTradePrice, bids: sides[0], asks: sides[1],
                        stops: sides[2]))
            }
            risk = try Risk(decodingState: &reader)
            guard risk.instrumentCount == books.count, risk.accountCount <= accountCount else {
                throw reader.error("the risk state does not match the books and accounts")
            }
            context.assetNames = risk.assetNames
            guard reader.isAtEnd else { throw reader.error("bytes left after the state") }
            exchange = try Exchange(
                image: ExchangeImage(now: now, nextOrderID: nextOrderID, nextTradeID: nextTradeID, books: books))
        } catch let error as BinaryReader.DecodingError {
            throw StateError(description: error.description)
        } catch {
            throw StateError(description: "\(error)")
        }
    }

    private mutating func decodeOrder(
        _ reader: inout BinaryReader, _ accountCount: Int
    ) throws(BinaryReader.DecodingError) -> OrderImage {
        let orderID = OrderID(try reader.varint())
        let account = try reader.count()
        guard account < accountCount else { throw reader.error("order \(orderID.rawValue) has an unknown account") }
        let clientOrderID = try reader.string()
        guard context.clientOrderIDs.openOrder(account: AccountID(UInt32(account)), name: clientOrderID) == nil else {
            throw reader.error("client order id \(clientOrderID) is held by two open orders")
        }
        let tag = context.clientOrderIDs.reserve(clientOrderID, account: AccountID(UInt32(account)))
        context.clientOrderIDs.bind(tag, to: orderID)
        return OrderImage(
            orderID: orderID, account: AccountID(UInt32(account)), clientTag: tag,
            side: try reader.enumeration(Side.self),
            type: try reader.enumeration(OrderType.self),
            selfTradePrevention: try reader.enumeration(SelfTradePrevention.self),
            timeInForce: try reader.enumeration(TimeInForce.self), postOnly: try reader.bool(),
            price: try reader.signedVarint(), stopPrice: try reader.signedVarint(), leaves: try reader.signedVarint(),
            shown: try reader.signedVarint(), filled: try reader.signedVarint(), filledNotional: try reader.int128(),
            displayQuantity: try reader.signedVarint(), expireAt: try reader.signedVarint())
    }
}
