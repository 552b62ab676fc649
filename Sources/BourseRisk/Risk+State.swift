import BourseCore

/// The risk state in a canonical binary form, part of the venue's snapshot and state
/// hash: maps are written in key order, so equal states give equal bytes.
extension Risk {
    public func encodeState(into writer: inout BinaryWriter) {
        writer.bool(checksActive)
        writer.bool(venueKilled)
        writer.bool(venueHalted)
        writer.varint(assetNames.count)
        for (index, name) in assetNames.enumerated() {
            writer.string(name)
            writer.int128(feesCollected[index].raw)
            writer.int128(externalFlow[index].raw)
            writer.int128(netDeposits[index].raw)
        }
        writer.varint(accounts.count)
        for account in accounts {
            writer.byte(account.mode.rawValue)
            writer.bool(account.enabled)
            writer.bool(account.killed)
            writer.signedVarint(Int64(account.tier))
            Self.encode(account.limits, into: &writer)
            writer.varint(account.openOrders)
            writer.signedVarint(account.rateSecond)
            writer.varint(account.rateCount)
        }
        writer.varint(instruments.count)
        for instrument in instruments {
            Self.encodeOptional(instrument.base.map(UInt64.init), into: &writer)
            Self.encodeOptional(instrument.quote.map(UInt64.init), into: &writer)
            Self.encodeOptional(instrument.basePerLot, into: &writer)
            Self.encodeOptional(instrument.quotePerTickLot, into: &writer)
            Self.encodeOptional(instrument.bandBasisPoints.map(UInt64.init), into: &writer)
            writer.varint(instrument.protectionBasisPoints)
            writer.bool(instrument.breaker != nil)
            if let breaker = instrument.breaker {
                writer.varint(breaker.basisPoints)
                writer.signedVarint(breaker.windowMilliseconds)
                writer.signedVarint(breaker.haltMilliseconds)
            }
            writer.varint(instrument.fees.count)
            for fees in instrument.fees {
                writer.varint(fees.tier)
                writer.varint(fees.maker)
                writer.varint(fees.taker)
            }
            let window = instrument.history[instrument.historyHead...]
            writer.varint(window.count)
            for mark in window {
                writer.signedVarint(mark.time)
                writer.signedVarint(mark.first)
                writer.signedVarint(mark.last)
            }
            Self.encodeOptional(instrument.standingPrice.map { UInt64(bitPattern: $0) }, into: &writer)
            Self.encodeOptional(instrument.resumeAt.map { UInt64(bitPattern: $0) }, into: &writer)
            Self.encodeOptional(instrument.lastPrice.map { UInt64(bitPattern: $0) }, into: &writer)
        }
        writer.varint(balances.count)
        for key in balances.keys.sorted() {
            writer.varint(key)
            writer.int128(balances[key]!.total.raw)
            writer.int128(balances[key]!.held.raw)
        }
        writer.varint(holds.count)
        for orderID in holds.keys.sorted() {
            let hold = holds[orderID]!
            writer.varint(orderID)
            writer.varint(UInt64(hold.account.rawValue))
            writer.varint(UInt64(hold.asset))
            writer.int128(hold.perLot.raw)
            writer.int128(hold.held.raw)
        }
        writer.varint(positions.count)
        for position in positions {
            writer.varint(UInt64(position.account.rawValue))
            writer.varint(UInt64(position.symbol.rawValue))
            writer.signedVarint(position.net)
            writer.int128(position.cost)
            writer.int128(position.realized)
            writer.int128(position.fees.raw)
            writer.int128(position.sessionStartPnL)
            writer.signedVarint(position.sessionNet)
            writer.int128(position.sessionCash)
            writer.int128(position.sessionFees.raw)
            writer.bool(position.tradedThisSession)
        }
        writer.varint(instrumentLimits.count)
        for key in instrumentLimits.keys.sorted() {
            writer.varint(key)
            Self.encode(instrumentLimits[key]!, into: &writer)
        }
    }

    public init(decodingState reader: inout BinaryReader) throws(BinaryReader.DecodingError) {
        self.init()
        checksActive = try reader.bool()
        venueKilled = try reader.bool()
        venueHalted = try reader.bool()
        for _ in 0..<(try reader.count()) {
            let name = try reader.string()
            guard assetIDs[name] == nil else { throw reader.error("asset \(name) appears twice") }
            let id = asset(name)
            feesCollected[Int(id)] = Amount(raw: try reader.int128())
            externalFlow[Int(id)] = Amount(raw: try reader.int128())
            netDeposits[Int(id)] = Amount(raw: try reader.int128())
        }
        for _ in 0..<(try reader.count()) {
            var account = RiskAccount()
            account.mode = try reader.enumeration(AccountMode.self)
            account.enabled = try reader.bool()
            account.killed = try reader.bool()
            account.tier = Int(try reader.signedVarint())
            account.limits = try Self.decodeLimits(&reader)
            account.openOrders = try reader.count()
            account.rateSecond = try reader.signedVarint()
            account.rateCount = try reader.count()
            accounts.append(account)
        }
        for _ in 0..<(try reader.count()) {
            var instrument = RiskInstrument()
            if let base = try Self.decodeOptional(&reader) { instrument.base = try checkedAsset(base, &reader) }
            if let quote = try Self.decodeOptional(&reader) { instrument.quote = try checkedAsset(quote, &reader) }
            instrument.basePerLot = try Self.decodeOptionalAmount(&reader)
            instrument.quotePerTickLot = try Self.decodeOptionalAmount(&reader)
            instrument.bandBasisPoints = try Self.decodeOptional(&reader).map { Int(truncatingIfNeeded: $0) }
            instrument.protectionBasisPoints = try reader.count()
            if try reader.bool() {
                instrument.breaker = BreakerSettings(
                    basisPoints: try reader.count(), windowMilliseconds: try reader.signedVarint(),
                    haltMilliseconds: try reader.signedVarint())
            }
            for _ in 0..<(try reader.count()) {
                instrument.fees.append(
                    FeeTier(tier: try reader.count(), maker: try reader.count(), taker: try reader.count()))
            }
            for _ in 0..<(try reader.count()) {
                instrument.history.append(
                    TradeMark(
                        time: try reader.signedVarint(), first: try reader.signedVarint(),
                        last: try reader.signedVarint()))
            }
            instrument.standingPrice = try Self.decodeOptional(&reader).map { Int64(bitPattern: $0) }
            instrument.resumeAt = try Self.decodeOptional(&reader).map { Int64(bitPattern: $0) }
            instrument.lastPrice = try Self.decodeOptional(&reader).map { Int64(bitPattern: $0) }
            instruments.append(instrument)
        }
        for _ in 0..<(try reader.count()) {
            let key = try reader.varint()
            _ = try checkedAsset(UInt64(UInt32(truncatingIfNeeded: key)), &reader)
            balances[key] = Balance(total: Amount(raw: try reader.int128()), held: Amount(raw: try reader.int128()))
        }
        for _ in 0..<(try reader.count()) {
            let orderID = try reader.varint()
            let account = AccountID(UInt32(try reader.count()))
            let asset = try checkedAsset(try reader.varint(), &reader)
            holds[orderID] = Hold(
                account: account, asset: asset, perLot: Amount(raw: try reader.int128()),
                held: Amount(raw: try reader.int128()))
        }
        for _ in 0..<(try reader.count()) {
            let account = try reader.count()
            let symbol = try reader.count()
            guard account < accounts.count, symbol < instruments.count else {
                throw reader.error("a position names an unknown account or instrument")
            }
            var position = Position(account: AccountID(UInt32(account)), symbol: SymbolID(UInt32(symbol)))
            position.net = try reader.signedVarint()
            position.cost = try reader.int128()
            position.realized = try reader.int128()
            position.fees = Amount(raw: try reader.int128())
            position.sessionStartPnL = try reader.int128()
            position.sessionNet = try reader.signedVarint()
            position.sessionCash = try reader.int128()
            position.sessionFees = Amount(raw: try reader.int128())
            position.tradedThisSession = try reader.bool()
            let index = Int32(positions.count)
            positionIndex[Self.key(position.account, position.symbol.rawValue)] = index
            accounts[account].positions.append(index)
            positions.append(position)
        }
        for _ in 0..<(try reader.count()) {
            instrumentLimits[try reader.varint()] = try Self.decodeLimits(&reader)
        }
    }

    private func checkedAsset(_ id: UInt64, _ reader: inout BinaryReader) throws(BinaryReader.DecodingError) -> UInt32 {
        guard id < UInt64(assetNames.count) else { throw reader.error("unknown asset \(id)") }
        return UInt32(id)
    }

    private static func encode(_ limits: Limits, into writer: inout BinaryWriter) {
        for value in limits.values { encodeOptional(value, into: &writer) }
    }

    private static func decodeLimits(_ reader: inout BinaryReader) throws(BinaryReader.DecodingError) -> Limits {
        var limits = Limits()
        for field in Limits.Field.allCases { limits[field] = try decodeOptionalAmount(&reader) }
        return limits
    }

    private static func encodeOptional(_ value: UInt64?, into writer: inout BinaryWriter) {
        writer.bool(value != nil)
        if let value { writer.varint(value) }
    }

    private static func encodeOptional(_ value: Amount?, into writer: inout BinaryWriter) {
        writer.bool(value != nil)
        if let value { writer.int128(value.raw) }
    }

    private static func decodeOptional(_ reader: inout BinaryReader) throws(BinaryReader.DecodingError) -> UInt64? {
        try reader.bool() ? try reader.varint() : nil
    }

    private static func decodeOptionalAmount(
        _ reader: inout BinaryReader
    ) throws(BinaryReader.DecodingError) -> Amount? {
        try reader.bool() ? Amount(raw: try reader.int128()) : nil
    }
}
