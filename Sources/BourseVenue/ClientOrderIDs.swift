import BourseCore

/// Client order ids: the strings behind the core's `ClientTag`s, and which
/// open order of an account holds each id.
struct ClientOrderIDs {
    private struct Key: Hashable {
        var account: UInt32
        var name: ExactName
    }

    private var names: [String] = [""]
    private var accounts: [UInt32] = [0]
    private var freeTags: [UInt32] = []
    private var openOrders: [Key: OrderID] = [:]

    func name(_ tag: ClientTag) -> String { names[Int(tag.rawValue)] }

    /// The open order of `account` that holds `name`, if any.
    func openOrder(account: AccountID, name: String) -> OrderID? {
        openOrders[Key(account: account.rawValue, name: ExactName(name))]
    }

    /// A tag for `name`, not yet bound to an order.
    mutating func reserve(_ name: String, account: AccountID) -> ClientTag {
        if let tag = freeTags.popLast() {
            names[Int(tag)] = name
            accounts[Int(tag)] = account.rawValue
            return ClientTag(tag)
        }
        names.append(name)
        accounts.append(account.rawValue)
        return ClientTag(UInt32(names.count - 1))
    }

    /// Records that `order` now holds the id behind `tag`.
    mutating func bind(_ tag: ClientTag, to order: OrderID) {
        openOrders[Key(account: accounts[Int(tag.rawValue)], name: ExactName(names[Int(tag.rawValue)]))] = order
    }

    /// Forgets a bound tag (its order ended or was renamed) and frees it.
    mutating func close(_ tag: ClientTag) {
        openOrders[Key(account: accounts[Int(tag.rawValue)], name: ExactName(names[Int(tag.rawValue)]))] = nil
        discard(tag)
    }

    /// Frees a tag that was never bound.
    mutating func discard(_ tag: ClientTag) {
        names[Int(tag.rawValue)] = ""
        freeTags.append(tag.rawValue)
    }

    var openCount: Int { openOrders.count }
}
