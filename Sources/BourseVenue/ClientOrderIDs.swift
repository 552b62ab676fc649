import BourseCore

/// Client order ids: the strings behind the core's `ClientTag`s, and which open order
/// of an account holds each id.
struct ClientOrderIDs {
    private var names: [String] = [""]
    private var accounts: [UInt32] = [0]
    private var hashes: [UInt32] = [0]
    /// The order a tag is bound to (0 while it is not).
    private var orders: [UInt64] = [0]
    private var freeTags: [UInt32] = []
    /// Bound tags by (account, name).
    private var open = NameIndex()

    func name(_ tag: ClientTag) -> String { names[Int(tag.rawValue)] }

    /// The hash under which `name` of `account` is indexed.
    @inline(__always)
    func hash(_ name: String, account: AccountID) -> UInt32 { open.hash(name, scope: account.rawValue) }

    /// The open order of `account` that holds `name`, if any.
    @inline(__always)
    func openOrder(account: AccountID, name: String, hash: UInt32? = nil) -> OrderID? {
        let hash = hash ?? self.hash(name, account: account)
        guard
            let tag = open.find(
                hash: hash,
                where: { accounts[Int($0)] == account.rawValue && NameIndex.same(names[Int($0)], name) })
        else { return nil }
        return OrderID(orders[Int(tag)])
    }

    /// A tag for `name`, not yet bound to an order.
    mutating func reserve(_ name: String, account: AccountID, hash: UInt32? = nil) -> ClientTag {
        let hash = hash ?? self.hash(name, account: account)
        if let tag = freeTags.popLast() {
            names[Int(tag)] = name
            accounts[Int(tag)] = account.rawValue
            hashes[Int(tag)] = hash
            return ClientTag(tag)
        }
        names.append(name)
        accounts.append(account.rawValue)
        hashes.append(hash)
        orders.append(0)
        return ClientTag(UInt32(names.count - 1))
    }

    /// Records that `order` now holds the id behind `tag`.
    mutating func bind(_ tag: ClientTag, to order: OrderID) {
        orders[Int(tag.rawValue)] = order.rawValue
        open.insert(hash: hashes[Int(tag.rawValue)], value: tag.rawValue)
    }

    /// Forgets a bound tag (its order ended or was renamed) and frees it.
    mutating func close(_ tag: ClientTag) {
        open.remove(hash: hashes[Int(tag.rawValue)], value: tag.rawValue)
        discard(tag)
    }

    /// Frees a tag that was never bound.
    mutating func discard(_ tag: ClientTag) {
        names[Int(tag.rawValue)] = ""
        orders[Int(tag.rawValue)] = 0
        freeTags.append(tag.rawValue)
    }

    var openCount: Int { open.count }
}
