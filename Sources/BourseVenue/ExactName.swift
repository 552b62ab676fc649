/// A name (symbol, account, client order id) compared byte for byte.
///
/// `String` equality follows Unicode canonical equivalence, so "caf\u{E9}" and
/// "cafe\u{301}" are equal strings; as account names they must be two accounts.
package struct ExactName: Hashable {
    package let text: String

    package init(_ text: String) { self.text = text }

    package static func == (lhs: ExactName, rhs: ExactName) -> Bool { lhs.text.utf8.elementsEqual(rhs.text.utf8) }

    package func hash(into hasher: inout Hasher) {
        var text = text
        text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}
