/// Every account's balance of every asset in one flat array, `stride` assets per account,
/// so that a fill changes a balance with one bounds check and one uniqueness check (an
/// array per account cost two of each, seen in the sequencer's profile). Grows by
/// whole accounts, and re-lays itself out (rarely) when the assets outgrow the stride.
struct BalanceTable: Sendable, Equatable {
    private(set) var values: [Balance] = []
    /// Assets per account: a power of two.
    private(set) var stride = 8

    /// The balance of `asset` of account `account` (zero when never touched).
    @inline(__always)
    subscript(account: Int, asset: Int) -> Balance {
        let index = account &* stride &+ asset
        return asset < stride && index < values.count ? values[index] : Balance()
    }

    /// Changes a balance: `total` and `held` are added.
    @inline(__always)
    mutating func add(account: Int, asset: Int, total: Amount, held: Amount) {
        if asset >= stride || (account + 1) * stride > values.count { grow(account: account, asset: asset) }
        let index = account &* stride &+ asset
        // One write of the whole balance: a write per field checked the array's uniqueness twice.
        let balance = values[index]
        values[index] = Balance(total: balance.total + total, held: balance.held + held)
    }

    private mutating func grow(account: Int, asset: Int) {
        if asset >= stride {
            var wider = stride
            while asset >= wider { wider *= 2 }
            let accounts = values.count / stride
            var relaid = [Balance](repeating: Balance(), count: accounts * wider)
            for account in 0..<accounts {
                for asset in 0..<stride { relaid[account * wider + asset] = values[account * stride + asset] }
            }
            values = relaid
            stride = wider
        }
        if (account + 1) * stride > values.count {
            values.append(contentsOf: repeatElement(Balance(), count: (account + 1) * stride - values.count))
        }
    }
}
