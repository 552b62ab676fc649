/// Writes one JSON object, member by member, in the order given.
struct JSONObjectWriter {
    private(set) var text = "{"

    mutating func member(_ key: String, string value: String) {
        key_(key)
        Self.appendQuoted(value, to: &text)
    }

    mutating func member(_ key: String, integer value: Int) {
        key_(key)
        text += String(value)
    }

    /// A member whose value is already JSON text.
    mutating func member(_ key: String, json value: String) {
        key_(key)
        text += value
    }

    private mutating func key_(_ key: String) {
        if text.utf8.count > 1 { text += "," }
        Self.appendQuoted(key, to: &text)
        text += ":"
    }

    func finish() -> String { text + "}" }

    static func appendQuoted(_ value: String, to text: inout String) {
        text += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    text.unicodeScalars.append(scalar)
                }
            }
        }
        text += "\""
    }
}
