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
        // The balances that are not zero, by account then asset.
        var nonZero: [(account: Int, asset: Int, balance: Balance)] = []
        for account in accounts.indices {
            for asset in assetNames.indices where balances[account, asset] != Balance() {
                nonZero.append((account, asset, balances[account, asset]))
            }
        }
        writer.varint(nonZero.count)
        for entry in nonZero {
            writer.varint(entry.account)
            writer.varint(entry.asset)
            writer.int128(entry.balance.total.raw)
            writer.int128(entry.balance.held.raw)
        }
        writer.varint(instruments.count)
        for (index, instrument) in instruments.enumerated() {
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
            writer.varint(fees[index].tiers.count)
            for tier in fees[index].tiers {
                writer.varint(tier.tier)
                writer.varint(tier.maker)
                writer.varint(tier.taker)
            }
            let history = breakerHistories[index]
            let window = history.marks[history.head...]
            writer.varint(window.count)
            for mark in window {
                writer.signedVarint(mark.time)
                writer.signedVarint(mark.first)
                writer.signedVarint(mark.last)
            }
            Self.encodeOptional(history.standingPrice.map { UInt64(bitPattern: $0) }, into: &writer)
            Self.encodeOptional(instrument.resumeAt.map { UInt64(bitPattern: $0) }, into: &writer)
            Self.encodeOptional(instrument.lastPrice.map { UInt64(bitPattern: $0) }, into: &writer)
        }
        let sortedHolds = holds.sorted
        writer.varint(sortedHolds.count)
        for (orderID, hold) in sortedHolds {
            writer.varint(orderID)
            writer.varint(UInt64(hold.account.rawValue))
            writer.varint(UInt64(hold.asset))
            writer.int128(hold.perLot.raw)
            writer.int128(hold.held.raw)
            writer.varint(UInt64(hold.makerBasisPoints))
            writer.varint(UInt64(hold.takerBasisPoints))
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
        var previous = -1
        for _ in 0..<(try reader.count()) {
            let account = try reader.count(limit: max(0, accounts.count - 1))
            let asset = try reader.count(limit: max(0, assetNames.count - 1))
            guard account * assetNames.count + asset > previous else { throw reader.error("balances out of order") }
            previous = account * assetNames.count + asset
            balances.add(
                account: account, asset: asset, total: Amount(raw: try reader.int128()),
                held: Amount(raw: try reader.int128()))
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
            var schedule = FeeSchedule()
            for _ in 0..<(try reader.count()) {
                schedule.tiers.append(
                    FeeTier(tier: try reader.count(), maker: try reader.count(), taker: try reader.count()))
            }
            var history = BreakerHistory()
            for _ in 0..<(try reader.count()) {
                history.marks.append(
                    TradeMark(
                        time: try reader.signedVarint(), first: try reader.signedVarint(),
                        last: try reader.signedVarint()))
            }
            history.standingPrice = try Self.decodeOptional(&reader).map { Int64(bitPattern: $0) }
            instrument.resumeAt = try Self.decodeOptional(&reader).map { Int64(bitPattern: $0) }
            instrument.lastPrice = try Self.decodeOptional(&reader).map { Int64(bitPattern: $0) }
            instruments.append(instrument)
            fees.append(schedule)
            breakerHistories.append(history)
        }
        for _ in 0..<(try reader.count()) {
            let orderID = try reader.varint()
            let account = AccountID(UInt32(try reader.count(limit: accounts.count - 1)))
            let asset = try checkedAsset(try reader.varint(), &reader)
            guard orderID > 0, orderID < UInt64.max, holds.find(orderID) == nil else {
                throw reader.error("a hold is not valid")
            }
            let perLot = Amount(raw: try reader.int128())
            let held = Amount(raw: try reader.int128())
            let maker = Int32(try reader.count(limit: 10_000))
            let taker = Int32(try reader.count(limit: 10_000))
            holds.insert(
                orderID,
                Hold(
                    account: account, asset: asset, perLot: perLot, held: held, makerBasisPoints: maker,
                    takerBasisPoints: taker))
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
            guard positionIndex(position.account, position.symbol) == nil else {
                throw reader.error("a position appears twice")
            }
            let index = Int32(positions.count)
            accounts[account].positions.append(index)
            while accounts[account].positionBySymbol.count <= symbol { accounts[account].positionBySymbol.append(-1) }
            accounts[account].positionBySymbol[symbol] = index
            positions.append(position)
        }
        for _ in 0..<(try reader.count()) {
            let key = try reader.varint()
            guard Int(key >> 32) < accounts.count else { throw reader.error("limits of an unknown account") }
            instrumentLimits[key] = try Self.decodeLimits(&reader)
            accounts[Int(key >> 32)].hasInstrumentLimits = true
        }
        for index in accounts.indices { convertLimits(index) }
        updateNextResume()
    }

    private func checkedAsset(_ id: UInt64, _ reader: inout BinaryReader) throws(BinaryReader.DecodingError) -> UInt32 {
        guard id < UInt64(assetNames.count) else { throw reader.error("unknown asset \(id)") }
        return UInt32(id)
    }

    private static func encode(_ limits: Limits, into writer: inout BinaryWriter) {
        for field in Limits.Field.allCases { encodeOptional(limits[field], into: &writer) }
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
