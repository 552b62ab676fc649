import BourseVenue

/// Typed access to the members of a command object. A member of the wrong
/// type (`null` included) is `Malformed`.
struct CommandFields {
    let value: JSONValue

    init(_ value: JSONValue) { self.value = value }

    private func member(_ key: String) -> JSONValue? {
        value[key]
    }

    func string(_ key: String) throws(Malformed) -> String? {
        guard let member = member(key) else { return nil }
        guard case .string(let text) = member else { throw Malformed("\(key) must be a string") }
        return text
    }

    func requiredString(_ key: String) throws(Malformed) -> String {
        guard let text = try string(key) else { throw Malformed("missing field \(key)") }
        return text
    }

    func integer(_ key: String) throws(Malformed) -> Int64? {
        guard let member = member(key) else { return nil }
        guard let integer = member.int64Value else { throw Malformed("\(key) must be an integer") }
        return integer
    }

    func bool(_ key: String) throws(Malformed) -> Bool? {
        guard let member = member(key) else { return nil }
        guard case .bool(let flag) = member else { throw Malformed("\(key) must be true or false") }
        return flag
    }

    /// A member that must be a decimal string in the contract's number form.
    func decimal(_ key: String) throws(Malformed) -> DecimalValue? {
        guard let text = try string(key) else {
            if member(key) != nil { throw Malformed("\(key) must be a decimal string") }
            return nil
        }
        guard let value = DecimalValue(text) else { throw Malformed("\(key) is not a decimal number") }
        return value
    }

    func requiredDecimal(_ key: String) throws(Malformed) -> DecimalValue {
        guard let text = try decimal(key) else { throw Malformed("missing field \(key)") }
        return text
    }

    func enumeration<Value>(_ key: String, _ names: [String: Value]) throws(Malformed) -> Value? {
        guard let text = try string(key) else { return nil }
        guard let value = names[text] else { throw Malformed("\(key) has no value \"\(text)\"") }
        return value
    }

    func requiredEnum<Value>(_ key: String, _ names: [String: Value]) throws(Malformed) -> Value {
        guard let value = try enumeration(key, names) else { throw Malformed("missing field \(key)") }
        return value
    }

    /// Whether a JSON number is written as an integer (no fraction, no exponent).
    static func isIntegerLiteral(_ text: String) -> Bool {
        !text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" })
    }

    /// `order_id` (a string or an integer; it wins) or `client_order_id`.
    func orderReference() throws(Malformed) -> OrderReference {
        let clientOrderID = try string("client_order_id")
        switch member("order_id") {
        case .string(let text)?:
            return OrderReference(orderID: text, clientOrderID: clientOrderID)
        case .number(let text)?:
            guard Self.isIntegerLiteral(text) else { throw Malformed("order_id must be an integer") }
            return OrderReference(orderID: text, clientOrderID: clientOrderID)
        case nil:
            guard let clientOrderID else { throw Malformed("missing field order_id or client_order_id") }
            return OrderReference(clientOrderID: clientOrderID)
        default:
            throw Malformed("order_id must be a string or an integer")
        }
    }
}
