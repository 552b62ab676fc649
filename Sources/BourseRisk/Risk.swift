import BourseCore

/// How an account is risk-managed.
public enum AccountMode: UInt8, Sendable {
    /// No balances are checked or moved: limits only (a venue that clears elsewhere). The default.
    case credit
    /// Orders need available balance: a buy holds quote, a sell holds base; fills move balances.
    case cash
}

/// An account's pre-trade limits; nil is no limit. Quantities are in units of the
/// instrument's base asset (qty x lot size), notionals and losses in its quote asset.
public struct Limits: Equatable, Sendable {
    public enum Field: UInt8, CaseIterable, Sendable {
        case maxOrderQuantity
        case maxOrderNotional
        case maxPosition
        case maxOpenOrders
        case maxDailyLoss
        case maxOrderRate
    }

    // Stored as raw amounts with a sentinel for "no limit": half the size of six
    // optionals (the checks copy an account's limits for every order).
    private static var none: Int128 { .min }
    private var rawMaxOrderQuantity = Limits.none
    private var rawMaxOrderNotional = Limits.none
    private var rawMaxPosition = Limits.none
    private var rawMaxOpenOrders = Limits.none
    private var rawMaxDailyLoss = Limits.none
    private var rawMaxOrderRate = Limits.none

    public init() {}

    public subscript(field: Field) -> Amount? {
        @inline(__always) get {
            let raw: Int128
            switch field {
            case .maxOrderQuantity: raw = rawMaxOrderQuantity
            case .maxOrderNotional: raw = rawMaxOrderNotional
            case .maxPosition: raw = rawMaxPosition
            case .maxOpenOrders: raw = rawMaxOpenOrders
            case .maxDailyLoss: raw = rawMaxDailyLoss
            case .maxOrderRate: raw = rawMaxOrderRate
            }
            return raw == Self.none ? nil : Amount(raw: raw)
        }
        set {
            let raw = newValue?.raw ?? Self.none
            switch field {
            case .maxOrderQuantity: rawMaxOrderQuantity = raw
            case .maxOrderNotional: rawMaxOrderNotional = raw
            case .maxPosition: rawMaxPosition = raw
            case .maxOpenOrders: rawMaxOpenOrders = raw
            case .maxDailyLoss: rawMaxDailyLoss = raw
            case .maxOrderRate: rawMaxOrderRate = raw
            }
        }
    }

    var isEmpty: Bool { Field.allCases.allSatisfy { self[$0] == nil } }
}

/// What halted or resumed trading.
public enum HaltReason: UInt8, Sendable {
    /// A trade would have printed outside the circuit breaker's band.
    case circuitBreaker
    /// `halt_venue` / `resume_venue`.
    case venueHalt
}

/// An account's position in one instrument. Prices x quantities are in ticks x lots of
/// the instrument.
public struct Position: Sendable, Equatable {
    public var account: AccountID
    public var symbol: SymbolID
    /// Net quantity in lots: positive long, negative short.
    public var net: Int64 = 0
    /// What the open position cost (signed like `net`), in ticks x lots: the average
    /// entry price is `cost / net`.
    public var cost: Int128 = 0
    /// Realized profit and loss, in ticks x lots.
    public var realized: Int128 = 0
    /// Fees paid, in the quote asset.
    public var fees: Amount = .zero
    /// `realized + unrealized` when the session started (the daily loss is measured from it).
    var sessionStartPnL: Int128 = 0
    /// This session's trades, netted: quantity bought minus sold (lots), cash received
    /// minus paid (ticks x lots), fees.
    public var sessionNet: Int64 = 0
    public var sessionCash: Int128 = 0
    public var sessionFees: Amount = .zero
    var tradedThisSession = false

    /// Unrealized profit and loss marked to `mark` (ticks), in ticks x lots.
    public func unrealized(mark: Int64?) -> Int128 {
        guard let mark else { return 0 }
        return (Int128(mark) * Int128(net)).saturatingAdd(0 &- cost)
    }
}

/// An event of the risk layer.
public enum RiskEvent: Sendable {
    /// An account's balance of an asset after it changed (or when reported).
    case balance(AccountID, asset: UInt32, total: Amount, held: Amount)
    /// An account's position (`account_report`); `mark` is the instrument's last trade price.
    /// (Boxed, as the settlement: a position is large, and every event of the venue is as
    /// large as its largest case.)
    indirect case position(Position, mark: Int64?)
    /// The end-of-session settlement of one account in one instrument.
    indirect case settlement(Position)
    /// Trading stopped in `symbol` (nil: the whole venue).
    case halted(SymbolID?, HaltReason)
    case resumed(SymbolID?, HaltReason)
    /// A kill switch of an account (nil: the venue) was engaged or released.
    case killSwitch(AccountID?, engaged: Bool)
}

/// The balance of one asset of one account.
public struct Balance: Sendable, Equatable {
    public var total: Amount = .zero
    /// The part reserved by open orders.
    public var held: Amount = .zero
    public var available: Amount { total - held }
}

/// The maker and taker fees of one tier at one instrument, in basis points.
public struct FeeTier: Sendable, Equatable {
    public var tier: Int
    public var maker: Int
    public var taker: Int

    public init(tier: Int, maker: Int, taker: Int) {
        self.tier = tier
        self.maker = maker
        self.taker = taker
    }
}

/// The circuit breaker of one instrument.
public struct BreakerSettings: Sendable, Equatable {
    /// A trade more than this far (basis points) from the reference price halts the instrument.
    public var basisPoints: Int
    /// The reference price is the price that stood this long ago (ms).
    public var windowMilliseconds: Int64
    /// How long the halt lasts (ms of engine time).
    public var haltMilliseconds: Int64

    public init(basisPoints: Int, windowMilliseconds: Int64, haltMilliseconds: Int64) {
        self.basisPoints = basisPoints
        self.windowMilliseconds = windowMilliseconds
        self.haltMilliseconds = haltMilliseconds
    }
}

/// One account's risk settings and counters.
struct RiskAccount: Sendable, Equatable {
    var mode = AccountMode.credit
    var enabled = true
    var killed = false
    var tier = 0
    var limits = Limits()
    /// Whether `Risk.instrumentLimits` has limits of this account for some instrument.
    var hasInstrumentLimits = false
    var openOrders = 0
    /// The second (of engine time) whose orders `rateCount` counts.
    var rateSecond: Int64 = -1
    var rateCount = 0
    /// Indices of the account's positions, in the order they were opened.
    var positions: [Int32] = []
    /// Index of the account's position by symbol id (-1: none; beyond the end: none).
    var positionBySymbol: [Int32] = []
    /// Derived from the limits (`Risk.convertLimits`), so that a check compares integers:
    /// max open orders and max order rate as counts (`Int.max`: none), and the size limits
    /// of each instrument by symbol id in its lots and ticks (empty when the account has
    /// no size limit at all).
    var openOrderLimit = Int.max
    var orderRateLimit = Int.max
    var unitLimits: [UnitLimits] = []
    /// The daily P&L as last computed, and the `Risk.pnlEpoch` it was computed in (0:
    /// never); derived, so not in snapshots.
    var dailyPnLEpoch: UInt64 = 0
    var dailyPnL = Amount.zero
}

/// An account's size limits in one instrument, in the instrument's units: a limit in base
/// or quote units divided once by one lot's (or one tick x lot's) worth, rounded down, so
/// that `perLot x quantity <= limit` is `quantity <= units` (the product of a quantity
/// that passes cannot overflow). `none` when not set; `unsupported` when set but the
/// instrument's sizes have no `Amount` (the check refuses with `unknown_asset`).
struct UnitLimits: Sendable, Equatable {
    static var none: Int128 { .max }
    static var unsupported: Int128 { -1 }
    /// Most lots in one order.
    var orderQuantity = UnitLimits.none
    /// Most ticks x lots (price x quantity) in one order.
    var orderNotional = UnitLimits.none
    /// Most lots of net position, long or short.
    var position = UnitLimits.none

    /// `limit` (an amount) as a count of `unit`s.
    static func units(_ limit: Amount?, per unit: Amount?) -> Int128 {
        guard let limit else { return none }
        guard let unit, unit.raw > 0 else { return unsupported }
        return limit.raw / unit.raw
    }
}

/// One instrument as the risk layer sees it (plain values: the sequencer reads it per order).
struct RiskInstrument: Sendable, Equatable {
    var base: UInt32?
    var quote: UInt32?
    /// One lot in base units, one tick x one lot in quote units; nil when the sizes have
    /// more fraction digits than an `Amount` (then amounts cannot be computed).
    var basePerLot: Amount?
    var quotePerTickLot: Amount? {
        didSet {
            feeUnit = quotePerTickLot.flatMap { $0.raw % 10_000 == 0 ? Amount(raw: $0.raw / 10_000) : nil }
        }
    }
    /// One basis point of one tick x lot, when it is exact (a tick x lot of at most 14
    /// fraction digits): then a fee is a product, without a division. Derived from
    /// `quotePerTickLot`.
    private(set) var feeUnit: Amount?
    var bandBasisPoints: Int?
    var protectionBasisPoints = RiskInstrument.defaultProtection
    var breaker: BreakerSettings?
    /// When the breaker's halt ends (engine ms); nil when not halted by the breaker.
    var resumeAt: Int64?
    var lastPrice: Int64?

    static let defaultProtection = 500

    /// `basisPoints` / 10,000 of `notional`, rounded up, where `notional` is `ticks` tick x
    /// lots of this instrument: `notional.fee(basisPoints:)`, computed as a product when
    /// the instrument's fee unit is exact and the product is far from overflowing (then
    /// the division would have been exact too).
    @inline(__always)
    func fee(ticks: Int128, notional: Amount, basisPoints: Int) -> Amount {
        if let feeUnit, ticks.magnitude < 1 << 63, basisPoints >= 0, basisPoints <= 10_000,
            let fee = feeUnit.times(ticks * Int128(basisPoints)), fee.raw.magnitude < 1 << 113
        {
            return fee
        }
        return notional.fee(basisPoints: basisPoints)
    }
}

/// An instrument's fee tiers, sorted by tier.
struct FeeSchedule: Sendable, Equatable {
    var tiers: [FeeTier] = [] {
        didSet {
            base = tiers.first { $0.tier == 0 } ?? FeeTier(tier: 0, maker: 0, taker: 0)
            onlyBase = tiers.allSatisfy { $0.tier == 0 }
        }
    }
    /// Tier 0's fees (0 when not set), and whether no other tier has fees of its own:
    /// then every account pays them without a search (the usual venue).
    private(set) var base = FeeTier(tier: 0, maker: 0, taker: 0)
    private(set) var onlyBase = true

    /// The fees of `tier` (tier 0's when it has none of its own; 0 when none is set).
    @inline(__always)
    func fees(tier: Int) -> FeeTier {
        if onlyBase || tier == 0 { return base }
        return tiers.first { $0.tier == tier } ?? base
    }
}

/// A circuit breaker's memory: the trades of its window, as (ms, first price, last price)
/// from `head`, and the price that stood at the window's start.
struct BreakerHistory: Sendable {
    var marks: [TradeMark] = []
    var head = 0
    var standingPrice: Int64?
    /// The last band computed, for the reference price and width it was computed from
    /// (every order asks for the band; the reference moves far less often). Derived, so
    /// not part of the state: snapshots leave it out.
    var band: BandMemo?
}

/// A breaker band and what it was computed from.
struct BandMemo: Sendable {
    var reference: Int64
    var basisPoints: Int
    var band: ClosedRange<Int64>
}

struct TradeMark: Sendable, Equatable {
    var time: Int64
    var first: Int64
    var last: Int64
}

/// An open order of a cash account and what it holds.
struct Hold: Sendable, Equatable {
    var account: AccountID
    var asset: UInt32
    /// Held per lot of remaining quantity.
    var perLot: Amount
    var held: Amount
    /// The fees (basis points) in force when the order was accepted (or last replaced): the
    /// ones its fills pay, so that a later fee or tier change cannot take more than it holds.
    var makerBasisPoints: Int32 = 0
    var takerBasisPoints: Int32 = 0
}

/// The venue's risk state: accounts with limits, balances and holds, positions and
/// P&L, fees, kill switches, circuit breakers. It lives in the sequencer next to the
/// matching engine (`Venue`), so checks and matching never race, and it is as
/// deterministic as the engine: the same commands give the same state.
public struct Risk: Sendable {
    var accounts: [RiskAccount] = []
    var instruments: [RiskInstrument] = []
    /// Fee tiers and breaker histories by symbol id (kept apart so that `instruments` stays plain values).
    var fees: [FeeSchedule] = []
    var breakerHistories: [BreakerHistory] = []
    /// Asset names by id, and ids by name.
    public private(set) var assetNames: [String] = []
    var assetIDs: [String: UInt32] = [:]
    /// Every account's balances.
    var balances = BalanceTable()
    /// Holds of cash accounts' open orders by order id.
    var holds = HoldTable()
    var positions: [Position] = []
    /// Per account and instrument limits (`set_limits` with a symbol) by `account << 32 | symbol`.
    var instrumentLimits: [UInt64: Limits] = [:]
    /// Fees collected by the venue, per asset.
    var feesCollected: [Amount] = []
    /// Net amounts of each asset that credit accounts received through trades (they
    /// settle elsewhere): with the balances and fees, every asset adds up to deposits
    /// minus withdrawals.
    var externalFlow: [Amount] = []
    /// Deposits minus withdrawals, per asset.
    var netDeposits: [Amount] = []
    public internal(set) var venueKilled = false
    public internal(set) var venueHalted = false
    /// Whether any account has settings, or any instrument a band or breaker: when not,
    /// no pre-trade check can fail and they are skipped.
    var checksActive = false
    /// The earliest end of a breaker halt.
    var nextResumeAt: Int64?
    /// Counts the changes of what daily P&L is computed from (positions, marks, the
    /// session's start): an account's P&L computed in the same epoch still holds.
    var pnlEpoch: UInt64 = 1
    /// Balances changed by the command being applied (`account << 32 | asset`): the first
    /// `changedBalanceCount`, to be reported after it (the array keeps its slots between commands).
    var changedBalances: [UInt64] = []
    /// How many balances the command changed (each answers a `balance` event).
    public internal(set) var changedBalanceCount = 0

    public init() {}

    // MARK: Names

    /// Adds an instrument. `base`/`quote` are its asset names (from `BASE-QUOTE`), the
    /// unit amounts nil when they do not fit an `Amount`.
    public mutating func addInstrument(base: String?, quote: String?, basePerLot: Amount?, quotePerTickLot: Amount?) {
        var instrument = RiskInstrument()
        instrument.base = base.map { asset($0) }
        instrument.quote = quote.map { asset($0) }
        instrument.basePerLot = basePerLot
        instrument.quotePerTickLot = quotePerTickLot
        instruments.append(instrument)
        fees.append(FeeSchedule())
        breakerHistories.append(BreakerHistory())
        for index in accounts.indices { convertLimits(index) }
    }

    /// The id of asset `name`, given out on first use.
    mutating func asset(_ name: String) -> UInt32 {
        if let id = assetIDs[name] { return id }
        let id = UInt32(assetNames.count)
        assetNames.append(name)
        assetIDs[name] = id
        feesCollected.append(.zero)
        externalFlow.append(.zero)
        netDeposits.append(.zero)
        return id
    }

    @inline(__always)
    mutating func ensureAccount(_ account: AccountID) {
        while accounts.count <= Int(account.rawValue) { accounts.append(RiskAccount()) }
    }

    static func key(_ account: AccountID, _ other: UInt32) -> UInt64 {
        UInt64(account.rawValue) << 32 | UInt64(other)
    }

    // MARK: Reading

    public var instrumentCount: Int { instruments.count }
    /// Accounts the risk layer has seen (it numbers them like the venue).
    public var accountCount: Int { accounts.count }

    public func balance(_ account: AccountID, asset: UInt32) -> Balance {
        balances[Int(account.rawValue), Int(asset)]
    }

    /// The id of asset `name`, if it exists.
    public func assetID(_ name: String) -> UInt32? { assetIDs[name] }

    /// The index of the account's position in `symbol`, if it has one.
    @inline(__always)
    func positionIndex(_ account: AccountID, _ symbol: SymbolID) -> Int? {
        let index = Int(account.rawValue)
        guard index < accounts.count, Int(symbol.rawValue) < accounts[index].positionBySymbol.count else { return nil }
        let position = accounts[index].positionBySymbol[Int(symbol.rawValue)]
        return position < 0 ? nil : Int(position)
    }

    public func position(_ account: AccountID, _ symbol: SymbolID) -> Position? {
        positionIndex(account, symbol).map { positions[$0] }
    }

    /// The account's positions, in the order they were opened.
    public func positions(of account: AccountID) -> [Position] {
        guard Int(account.rawValue) < accounts.count else { return [] }
        return accounts[Int(account.rawValue)].positions.map { positions[Int($0)] }
    }

    /// The account's balances that are not zero, by asset id.
    public func balances(of account: AccountID) -> [(asset: UInt32, balance: Balance)] {
        (0..<assetNames.count).compactMap { asset in
            let balance = balances[Int(account.rawValue), asset]
            return balance == Balance() ? nil : (UInt32(asset), balance)
        }
    }

    /// The instrument's last trade price as the risk layer saw it (the mark for P&L).
    public func markPrice(_ symbol: SymbolID) -> Int64? { instruments[Int(symbol.rawValue)].lastPrice }

    @inline(__always)
    public func mode(of account: AccountID) -> AccountMode {
        Int(account.rawValue) < accounts.count ? accounts[Int(account.rawValue)].mode : .credit
    }

    /// Per asset: the sum of all balances, the fees collected, what credit accounts
    /// received, and deposits minus withdrawals. The first three add up to the last.
    public func ledger(asset: UInt32) -> (balances: Amount, fees: Amount, external: Amount, deposits: Amount) {
        var total = Amount.zero
        for account in accounts.indices { total += balances[account, Int(asset)].total }
        let index = Int(asset)
        return (total, feesCollected[index], externalFlow[index], netDeposits[index])
    }

    /// Calls `body` with each cash order's id, hold and hold per lot.
    public func forEachHold(_ body: (OrderID, Amount, Amount) -> Void) {
        for (orderID, hold) in holds.sorted { body(OrderID(orderID), hold.held, hold.perLot) }
    }

    /// Checks that no balance or hold is negative, that holds add up to the open
    /// orders' holds, and that every asset is conserved. Stops the process if not.
    public func checkInvariants() {
        var heldByOrders: [UInt64: Amount] = [:]
        for (_, hold) in holds.sorted {
            precondition(hold.held.raw >= 0, "a hold is negative")
            heldByOrders[Self.key(hold.account, hold.asset), default: .zero] += hold.held
        }
        for index in accounts.indices {
            for asset in assetNames.indices {
                let balance = balances[index, asset]
                precondition(balance.total.raw >= 0, "a balance is negative")
                precondition(balance.held.raw >= 0, "a hold is negative")
                precondition(balance.held <= balance.total, "more is held than the balance")
                let key = Self.key(AccountID(UInt32(index)), UInt32(asset))
                precondition(balance.held == heldByOrders[key] ?? .zero, "holds do not add up to the orders' holds")
            }
        }
        for asset in 0..<UInt32(assetNames.count) {
            let ledger = ledger(asset: asset)
            precondition(
                ledger.balances + ledger.fees + ledger.external == ledger.deposits,
                "asset \(assetNames[Int(asset)]) is not conserved")
        }
    }
}
