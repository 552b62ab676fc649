import BourseCore

extension Risk {
    /// The most an account may hold of an asset, and the most of an asset deposited in
    /// all: 10^20 units, well inside `Amount`'s exact range.
    static let maximumDeposits = Amount(raw: Amount.scale * 100_000_000_000_000_000_000)

    /// `deposit`: adds `amount` (positive) of `asset` to the account.
    public mutating func deposit(_ account: AccountID, asset name: String, amount: Amount) throws(RiskRejection) {
        guard amount > .zero else { throw RiskRejection(.malformed, "amount must be positive") }
        let existing = assetIDs[name].map { balance(account, asset: $0).total } ?? .zero
        let deposited = assetIDs[name].map { netDeposits[Int($0)] } ?? .zero
        guard amount <= Self.maximumDeposits - existing, amount <= Self.maximumDeposits - deposited else {
            throw RiskRejection(.malformed, "a balance, or an asset's deposits, would pass 10^20 units")
        }
        ensureAccount(account)
        let asset = asset(name)
        changeBalance(account, asset, total: amount)
        netDeposits[Int(asset)] += amount
    }

    /// `withdraw`: takes `amount` (positive) of `asset` from the account's available balance.
    public mutating func withdraw(_ account: AccountID, asset name: String, amount: Amount) throws(RiskRejection) {
        guard amount > .zero else { throw RiskRejection(.malformed, "amount must be positive") }
        guard let asset = assetIDs[name], amount <= balance(account, asset: asset).available else {
            throw RiskRejection(.insufficientBalance, "the available balance does not cover the withdrawal")
        }
        changeBalance(account, asset, total: Amount.zero - amount)
        netDeposits[Int(asset)] -= amount
    }

    /// `set_account`: the account's mode, fee tier, and whether it may send orders. Its
    /// mode changes only while it has no open orders (their holds would not match).
    public mutating func setAccount(
        _ account: AccountID, mode: AccountMode?, tier: Int?, enabled: Bool?
    ) throws(RiskRejection) {
        ensureAccount(account)
        let index = Int(account.rawValue)
        if let mode, mode != accounts[index].mode {
            guard accounts[index].openOrders == 0 else {
                throw RiskRejection(.openOrders, "the account's mode changes only while it has no open orders")
            }
            accounts[index].mode = mode
        }
        if let tier { accounts[index].tier = tier }
        if let enabled { accounts[index].enabled = enabled }
        checksActive = true
    }

    /// `set_limits`: sets (a value) or clears (nil) each given limit, for the account or
    /// (with `symbol`) for the account in one instrument.
    public mutating func setLimits(_ account: AccountID, symbol: SymbolID?, _ changes: [(Limits.Field, Amount?)]) {
        ensureAccount(account)
        if let symbol {
            let key = Self.key(account, symbol.rawValue)
            var limits = instrumentLimits[key] ?? Limits()
            for (field, value) in changes { limits[field] = value }
            instrumentLimits[key] = limits.isEmpty ? nil : limits
            accounts[Int(account.rawValue)].hasInstrumentLimits = instrumentLimits.keys.contains {
                $0 >> 32 == UInt64(account.rawValue)
            }
        } else {
            for (field, value) in changes { accounts[Int(account.rawValue)].limits[field] = value }
        }
        convertLimits(Int(account.rawValue))
        checksActive = true
    }

    /// Converts an account's limits to the counts and instrument units the checks compare
    /// (`RiskAccount.unitLimits`); after its limits or the instruments change.
    mutating func convertLimits(_ index: Int) {
        let limits = accounts[index].limits
        func count(_ limit: Amount?) -> Int {
            limit.map { Int(clamping: $0.raw / Amount.scale) } ?? .max
        }
        accounts[index].openOrderLimit = count(limits[.maxOpenOrders])
        accounts[index].orderRateLimit = count(limits[.maxOrderRate])
        let sized =
            limits[.maxOrderQuantity] != nil || limits[.maxOrderNotional] != nil || limits[.maxPosition] != nil
            || accounts[index].hasInstrumentLimits
        accounts[index].unitLimits = (0..<(sized ? instruments.count : 0)).map { symbol in
            let limits = effectiveLimits(AccountID(UInt32(index)), SymbolID(UInt32(symbol)))
            let basePerLot = instruments[symbol].basePerLot
            return UnitLimits(
                orderQuantity: UnitLimits.units(limits[.maxOrderQuantity], per: basePerLot),
                orderNotional: UnitLimits.units(limits[.maxOrderNotional], per: instruments[symbol].quotePerTickLot),
                position: UnitLimits.units(limits[.maxPosition], per: basePerLot))
        }
    }

    /// `set_instrument_risk`: the price band, the protection percentage of cash market
    /// buys, and the circuit breaker. A `.some(nil)` clears a band or breaker.
    public mutating func setInstrumentRisk(
        _ symbol: SymbolID, band: Int??, protection: Int?, breaker: BreakerSettings??
    ) {
        let index = Int(symbol.rawValue)
        if let band { instruments[index].bandBasisPoints = band }
        if let protection { instruments[index].protectionBasisPoints = protection }
        if let breaker {
            if instruments[index].breaker == nil {
                // A new breaker starts from the price standing now (a halt already running keeps its end).
                breakerHistories[index] = BreakerHistory()
                breakerHistories[index].standingPrice = instruments[index].lastPrice
            }
            instruments[index].breaker = breaker
            if breaker == nil { breakerHistories[index] = BreakerHistory() }
        }
        checksActive = true
    }

    /// `set_fees`: the maker and taker fees of one tier at one instrument, charged in its quote asset.
    public mutating func setFees(_ symbol: SymbolID, _ fees: FeeTier) throws(RiskRejection) {
        let index = Int(symbol.rawValue)
        guard instruments[index].quote != nil else { throw RiskRejection(.unknownAsset) }
        guard instruments[index].quotePerTickLot != nil else {
            throw RiskRejection(.unknownAsset, "the instrument's tick or lot size has more than 18 decimal places")
        }
        self.fees[index].tiers.removeAll { $0.tier == fees.tier }
        self.fees[index].tiers.append(fees)
        self.fees[index].tiers.sort { $0.tier < $1.tier }
    }

    /// `kill` / `unkill` of an account (nil: the venue). Answers whether anything changed.
    public mutating func setKillSwitch(_ account: AccountID?, engaged: Bool) -> Bool {
        checksActive = true
        guard let account else {
            defer { venueKilled = engaged }
            return venueKilled != engaged
        }
        ensureAccount(account)
        defer { accounts[Int(account.rawValue)].killed = engaged }
        return accounts[Int(account.rawValue)].killed != engaged
    }

    /// `halt_venue` / `resume_venue`. Answers whether anything changed.
    public mutating func setVenueHalt(_ halted: Bool) -> Bool {
        defer { venueHalted = halted }
        return venueHalted != halted
    }
}
