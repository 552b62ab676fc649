import BourseJSONLines
import Testing

/// The strict JSON parser that reads every command line and, in the server, the engine's
/// event lines (those straight from the output ring's bytes).
@Suite("JSON parser: strings, escapes, numbers and errors, from text and from bytes")
struct JSONParserTests {
    /// Parses `text` both ways (from the string and from its UTF-8 bytes), which must agree.
    static func parse(_ text: String) throws(JSONParser.Error) -> JSONValue {
        let fromText = try JSONParser.parse(text)
        let fromBytes = Array(text.utf8).withUnsafeBytes { bytes in
            Result { () throws(JSONParser.Error) in try JSONParser.parse(bytes) }
        }
        #expect(fromBytes == .success(fromText), "\(text)")
        return fromText
    }

    @Test("a string without escapes is its bytes; with escapes, the runs around them are kept")
    func strings() throws {
        #expect(try Self.parse(#""plain é text""#) == .string("plain é text"))
        #expect(try Self.parse(#""""#) == .string(""))
        #expect(try Self.parse(#""a\"b\\c\/d""#) == .string("a\"b\\c/d"))
        #expect(try Self.parse(#""\b\f\n\r\t""#) == .string("\u{08}\u{0C}\n\r\t"))
        #expect(try Self.parse(#""x\u00e9y\u20ACz""#) == .string("xéy€z"))
        #expect(try Self.parse(#""\ud83d\ude00 after""#) == .string("😀 after"))
        #expect(try Self.parse(#""before \n""#) == .string("before \n"))
        #expect(
            try Self.parse(#"{"k\ney":["v",1.5e3,-0,true,false,null]}"#)
                == .object([
                    (
                        "k\ney",
                        .array([.string("v"), .number("1.5e3"), .number("-0"), .bool(true), .bool(false), .null])
                    )
                ]))
    }

    @Test(
        "malformed text is an error naming what is wrong",
        arguments: [
            (#""open"#, "unterminated string"), ("\"tab\there\"", "control character in string"),
            (#""\ud83d alone""#, "unpaired surrogate"), (#""\q""#, "invalid escape"),
            (#""\u12""#, #"invalid \u escape"#),
            ("01", "unexpected text after the value"), ("-", "invalid number"), ("{\"a\" 1}", "expected ':'"),
            ("[1 2]", "expected ',' or ']'"), ("tru", "unexpected end of input"), ("", "unexpected end of input"),
            (String(repeating: "[", count: 65), "nesting too deep"),
        ] as [(String, String)])
    func errors(text: String, message: String) {
        #expect(throws: JSONParser.Error.self) { try Self.parse(text) }
        do {
            _ = try JSONParser.parse(text)
        } catch {
            #expect(error.message == message, "\(text)")
        }
    }
}
