import Foundation
import Testing
@testable import RouteSimModel

@Suite("JSON rendering")
struct JSONValueTests {
    /// Names that need no escape are written as they are; quotes, backslashes and control
    /// characters are escaped; the text reads back through Foundation's parser unchanged.
    @Test(arguments: ["plain-name", "café 🚀", "", "a\"b", "back\\slash", "tab\there", "line\nbreak", "bell\u{07}", "\r"])
    func stringsAreQuotedAndReadBackUnchanged(text: String) throws {
        let rendered = JSONValue.object([(text, .string(text))]).rendered()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(rendered.utf8)) as? [String: String])
        #expect(object == [text: text])
        if !text.unicodeScalars.contains(where: { $0.value < 0x20 || $0 == "\"" || $0 == "\\" }) {
            #expect(rendered == "{\n  \"\(text)\": \"\(text)\"\n}\n")
        }
    }

    @Test func controlCharactersAreWrittenAsEscapes() {
        #expect(JSONValue.string("a\u{01}\t\"\\").rendered() == "\"a\\u0001\\t\\\"\\\\\"\n")
    }

    @Test func nestingIsIndentedTwoSpacesALevel() {
        let value = JSONValue.object([("a", .array([.object([("b", .integer(1))]), .null])), ("c", .array([.number(1.5), .bool(true)])),
                                      ("d", .object([]))])
        #expect(value.rendered() == "{\n  \"a\": [\n    {\n      \"b\": 1\n    },\n    null\n  ],\n  \"c\": [1.5, true],\n  \"d\": {}\n}\n")
    }
}
