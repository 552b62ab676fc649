import BourseCore

/// The binary form of commands, as the journal stores them: a kind (one byte, kept
/// by the journal in its record header) and a payload. The numbers of the kinds and
/// the payload layouts are a file format: change them only with a new version.
extension Command {
    /// The kind byte of each command.
    public enum Kind: UInt8, Sendable, CaseIterable {
        case newOrder = 1
        case cancel = 2
        case replace = 3
        case massCancel = 4
        case addInstrument = 5
        case halt = 6
        case resume = 7
        case dumpBook = 8
        case endSession = 9
        case time = 10
        // The risk layer's commands: a count, then (name, text) pairs of their fields in name order.
        case deposit = 11
        case withdraw = 12
        case setAccount = 13
        case setLimits = 14
        case setInstrumentRisk = 15
        case setFees = 16
        case kill = 17
        case unkill = 18
        case haltVenue = 19
        case resumeVenue = 20
        case accountReport = 21
        case settle = 22
    }

    private static let riskKinds: [RiskCommand.Kind: Kind] = [
        .deposit: .deposit, .withdraw: .withdraw, .setAccount: .setAccount, .setLimits: .setLimits,
        .setInstrumentRisk: .setInstrumentRisk, .setFees: .setFees, .kill: .kill, .unkill: .unkill,
        .haltVenue: .haltVenue, .resumeVenue: .resumeVenue, .accountReport: .accountReport, .settle: .settle,
    ]

    public var kind: Kind {
        switch self {
        case .newOrder: return .newOrder
        case .cancel: return .cancel
        case .replace: return .replace
        case .massCancel: return .massCancel
        case .addInstrument: return .addInstrument
        case .halt: return .halt
        case .resume: return .resume
        case .dumpBook: return .dumpBook
        case .endSession: return .endSession
        case .time: return .time
        case .risk(let command): return Self.riskKinds[command.kind]!
        }
    }

    /// The size of the payload of a new order, cancel or replace, which are written
    /// through a `BinaryCursor` bounded by it (exactly what `encode(into:)` writes, so
    /// that a test can tell a wrong bound); nil for the other commands.
    package var cursorPayloadSize: Int? {
        switch self {
        case .newOrder(let order):
            // Three names, six one-byte fields (four enums, post-only, presence), the decimals, the expiry.
            return BinaryCursor.size(of: order.symbol) + BinaryCursor.size(of: order.account)
                + BinaryCursor.size(of: order.clientOrderID) + 6 + BinaryCursor.size(of: order.quantity)
                + (order.price.map(BinaryCursor.size) ?? 0) + (order.stopPrice.map(BinaryCursor.size) ?? 0)
                + (order.expireAt.map(BinaryCursor.size(ofSignedVarint:)) ?? 0)
                + (order.displayQuantity.map(BinaryCursor.size) ?? 0)
        case .cancel(let cancel):
            return BinaryCursor.size(of: cancel.symbol) + BinaryCursor.size(of: cancel.account)
                + Self.size(of: cancel.order)
        case .replace(let replace):
            // The names and the reference, a presence byte, the optional fields.
            return BinaryCursor.size(of: replace.symbol) + BinaryCursor.size(of: replace.account)
                + Self.size(of: replace.order) + 1 + (replace.price.map(BinaryCursor.size) ?? 0)
                + (replace.quantity.map(BinaryCursor.size) ?? 0) + (replace.stopPrice.map(BinaryCursor.size) ?? 0)
                + (replace.newClientOrderID.map(BinaryCursor.size) ?? 0)
        default:
            return nil
        }
    }

    /// Appends the payload (the kind is not written; see `kind`).
    public func encode(into writer: inout BinaryWriter) {
        switch self {
        case .newOrder(let order):
            writer.append(atMost: cursorPayloadSize!) { cursor in
                cursor.string(order.symbol)
                cursor.string(order.account)
                cursor.string(order.clientOrderID)
                cursor.byte(order.side.rawValue)
                cursor.byte(order.type.rawValue)
                cursor.byte(order.timeInForce.rawValue)
                cursor.byte(order.selfTradePrevention.rawValue)
                cursor.bool(order.postOnly)
                cursor.decimal(order.quantity)
                cursor.byte(
                    Self.presence(
                        order.price != nil, order.stopPrice != nil, order.expireAt != nil,
                        order.displayQuantity != nil))
                if let price = order.price { cursor.decimal(price) }
                if let stopPrice = order.stopPrice { cursor.decimal(stopPrice) }
                if let expireAt = order.expireAt { cursor.signedVarint(expireAt) }
                if let display = order.displayQuantity { cursor.decimal(display) }
            }
        case .cancel(let cancel):
            writer.append(atMost: cursorPayloadSize!) { cursor in
                cursor.string(cancel.symbol)
                cursor.string(cancel.account)
                Self.encode(cancel.order, into: &cursor)
            }
        case .replace(let replace):
            writer.append(atMost: cursorPayloadSize!) { cursor in
                cursor.string(replace.symbol)
                cursor.string(replace.account)
                Self.encode(replace.order, into: &cursor)
                cursor.byte(
                    Self.presence(
                        replace.price != nil, replace.quantity != nil, replace.stopPrice != nil,
                        replace.newClientOrderID != nil))
                if let price = replace.price { cursor.decimal(price) }
                if let quantity = replace.quantity { cursor.decimal(quantity) }
                if let stopPrice = replace.stopPrice { cursor.decimal(stopPrice) }
                if let newClientOrderID = replace.newClientOrderID { cursor.string(newClientOrderID) }
            }
        case .massCancel(let massCancel):
            writer.string(massCancel.account)
            writer.byte(Self.presence(massCancel.symbol != nil, massCancel.side != nil))
            if let symbol = massCancel.symbol { writer.string(symbol) }
            if let side = massCancel.side { writer.byte(side.rawValue) }
        case .addInstrument(let instrument):
            writer.string(instrument.symbol)
            writer.string(instrument.account)
            writer.string(instrument.tickSize)
            writer.string(instrument.lotSize)
            writer.byte(
                Self.presence(
                    instrument.minimumQuantity != nil, instrument.maximumQuantity != nil,
                    instrument.minimumNotional != nil))
            if let text = instrument.minimumQuantity { writer.string(text) }
            if let text = instrument.maximumQuantity { writer.string(text) }
            if let text = instrument.minimumNotional { writer.string(text) }
        case .halt(let target), .resume(let target), .dumpBook(let target):
            writer.string(target.symbol)
            writer.string(target.account)
        case .endSession(let end):
            writer.string(end.account)
            writer.byte(Self.presence(end.symbol != nil))
            if let symbol = end.symbol { writer.string(symbol) }
        case .time(let now):
            writer.signedVarint(now)
        case .risk(let command):
            writer.varint(command.fields.count)
            for name in command.fields.keys.sorted() {
                writer.string(name)
                writer.string(command.fields[name]!)
            }
        }
    }

    /// The command of kind `kind` whose payload `reader` holds; the payload must end where the command does.
    public static func decode(
        kind: UInt8, from reader: inout BinaryReader
    ) throws(BinaryReader.DecodingError)
        -> Command
    {
        guard let kind = Kind(rawValue: kind) else { throw reader.error("\(kind) is not a command kind") }
        let command: Command
        switch kind {
        case .newOrder:
            let symbol = try reader.string()
            let account = try reader.string()
            let clientOrderID = try reader.string()
            let side = try reader.enumeration(Side.self)
            let type = try reader.enumeration(OrderType.self)
            let timeInForce = try reader.enumeration(TimeInForce.self)
            let prevention = try reader.enumeration(SelfTradePrevention.self)
            let postOnly = try reader.bool()
            let quantity = try reader.decimal()
            let present = try presence(&reader, fields: 4)
            let price = present & 1 != 0 ? try reader.decimal() : nil
            let stopPrice = present & 2 != 0 ? try reader.decimal() : nil
            let expireAt = present & 4 != 0 ? try reader.signedVarint() : nil
            let display = present & 8 != 0 ? try reader.decimal() : nil
            command = .newOrder(
                NewOrderCommand(
                    symbol: symbol, account: account, clientOrderID: clientOrderID, side: side, type: type,
                    quantity: quantity, price: price, stopPrice: stopPrice, timeInForce: timeInForce,
                    expireAt: expireAt, postOnly: postOnly, displayQuantity: display, selfTradePrevention: prevention))
        case .cancel:
            let symbol = try reader.string()
            let account = try reader.string()
            command = .cancel(CancelCommand(symbol: symbol, account: account, order: try decodeReference(&reader)))
        case .replace:
            let symbol = try reader.string()
            let account = try reader.string()
            let order = try decodeReference(&reader)
            let present = try presence(&reader, fields: 4)
            let price = present & 1 != 0 ? try reader.decimal() : nil
            let quantity = present & 2 != 0 ? try reader.decimal() : nil
            let stopPrice = present & 4 != 0 ? try reader.decimal() : nil
            let newClientOrderID = present & 8 != 0 ? try reader.string() : nil
            command = .replace(
                ReplaceCommand(
                    symbol: symbol, account: account, order: order, price: price, quantity: quantity,
                    stopPrice: stopPrice, newClientOrderID: newClientOrderID))
        case .massCancel:
            let account = try reader.string()
            let present = try presence(&reader, fields: 2)
            let symbol = present & 1 != 0 ? try reader.string() : nil
            let side = present & 2 != 0 ? try reader.enumeration(Side.self) : nil
            command = .massCancel(MassCancelCommand(account: account, symbol: symbol, side: side))
        case .addInstrument:
            let symbol = try reader.string()
            let account = try reader.string()
            let tickSize = try reader.string()
            let lotSize = try reader.string()
            let present = try presence(&reader, fields: 3)
            let minimumQuantity = present & 1 != 0 ? try reader.string() : nil
            let maximumQuantity = present & 2 != 0 ? try reader.string() : nil
            let minimumNotional = present & 4 != 0 ? try reader.string() : nil
            command = .addInstrument(
                AddInstrumentCommand(
                    symbol: symbol, tickSize: tickSize, lotSize: lotSize, minimumQuantity: minimumQuantity,
                    maximumQuantity: maximumQuantity, minimumNotional: minimumNotional, account: account))
        case .halt, .resume, .dumpBook:
            let target = SymbolCommand(symbol: try reader.string(), account: try reader.string())
            command = kind == .halt ? .halt(target) : kind == .resume ? .resume(target) : .dumpBook(target)
        case .endSession:
            let account = try reader.string()
            let present = try presence(&reader, fields: 1)
            command = .endSession(
                SessionEndCommand(symbol: present & 1 != 0 ? try reader.string() : nil, account: account))
        case .time:
            command = .time(now: try reader.signedVarint())
        default:
            let riskKind = Self.riskKinds.first { $0.value == kind }!.key
            var fields: [String: String] = [:]
            for _ in 0..<(try reader.count()) {
                let name = try reader.string()
                guard fields[name] == nil else { throw reader.error("field \(name) appears twice") }
                fields[name] = try reader.string()
            }
            command = .risk(RiskCommand(riskKind, fields))
        }
        guard reader.isAtEnd else { throw reader.error("bytes left after a \(command.name) command") }
        return command
    }

    /// One bit per optional field, in order: whether it is present.
    private static func presence(_ a: Bool, _ b: Bool = false, _ c: Bool = false, _ d: Bool = false) -> UInt8 {
        (a ? 1 : 0) | (b ? 2 : 0) | (c ? 4 : 0) | (d ? 8 : 0)
    }

    /// The presence bits of `fields` optional fields.
    private static func presence(
        _ reader: inout BinaryReader, fields: Int
    ) throws(BinaryReader.DecodingError)
        -> UInt8
    {
        let bits = try reader.byte()
        guard bits >> fields == 0 else { throw reader.error("unknown optional fields \(bits)") }
        return bits
    }

    private static func encode(_ reference: OrderReference, into cursor: inout BinaryCursor) {
        cursor.byte(presence(reference.orderID != nil, reference.clientOrderID != nil))
        if let orderID = reference.orderID { cursor.string(orderID) }
        if let clientOrderID = reference.clientOrderID { cursor.string(clientOrderID) }
    }

    private static func size(of reference: OrderReference) -> Int {
        1 + (reference.orderID.map(BinaryCursor.size) ?? 0) + (reference.clientOrderID.map(BinaryCursor.size) ?? 0)
    }

    private static func decodeReference(
        _ reader: inout BinaryReader
    ) throws(BinaryReader.DecodingError)
        -> OrderReference
    {
        let present = try presence(&reader, fields: 2)
        let orderID = present & 1 != 0 ? try reader.string() : nil
        let clientOrderID = present & 2 != 0 ? try reader.string() : nil
        return OrderReference(orderID: orderID, clientOrderID: clientOrderID)
    }
}

extension BinaryCursor {
    /// A small decimal as tag 0, its mantissa and its fraction digits; any other as tag 1 and its text.
    @inline(__always)
    mutating func decimal(_ value: DecimalValue) {
        switch value {
        case .small(let mantissa, let fractionDigits):
            byte(0)
            varint(mantissa)
            byte(fractionDigits)
        case .text(let text):
            byte(1)
            string(text)
        }
    }

    /// The bytes `decimal(_:)` writes for `value`.
    static func size(of value: DecimalValue) -> Int {
        switch value {
        case .small(let mantissa, _): return 2 + size(ofVarint: mantissa)
        case .text(let text): return 1 + size(of: text)
        }
    }
}

extension BinaryReader {
    mutating func decimal() throws(DecodingError) -> DecimalValue {
        switch try byte() {
        case 0:
            let mantissa = try varint()
            let fractionDigits = try byte()
            guard mantissa < 1_000_000_000_000_000_000, fractionDigits <= 18 else {
                throw error("a decimal is out of range")
            }
            return .small(mantissa: mantissa, fractionDigits: fractionDigits)
        case 1:
            let text = try string()
            guard DecimalValue(text) != nil else { throw error("\(text) is not a decimal number") }
            return .text(text)
        default:
            throw error("unknown decimal tag")
        }
    }
}
