import ServerSentEvents
import Testing

/// `JSONValue.stringified()` against what JavaScript's `JSON.stringify` prints (ECMA-262 SerializeJSONProperty,
/// QuoteJSONString and Number::toString).
struct JSONValueTests {
    @Test(
        arguments: [
            (0.0, "0"), (-0.0, "0"), (1, "1"), (-1, "-1"), (1.5, "1.5"), (0.1, "0.1"), (100, "100"),
            (123_456_789_012, "123456789012"), (1e20, "100000000000000000000"), (1e21, "1e+21"), (1.5e21, "1.5e+21"),
            (1e-6, "0.000001"), (1e-7, "1e-7"), (1.25e-7, "1.25e-7"), (5e-324, "5e-324"),
            (1.7976931348623157e308, "1.7976931348623157e+308"), (0.000123, "0.000123"), (123.456, "123.456"),
            (9_007_199_254_740_993, "9007199254740992"),
        ] as [(Double, String)]
    )
    func numbersAsJavaScriptWritesThem(_ value: Double, _ text: String) {
        #expect(JSONValue.number(value).stringified() == text)
    }

    @Test func nonFiniteNumbersAreNull() {
        #expect(JSONValue.number(.nan).stringified() == "null")
        #expect(JSONValue.number(.infinity).stringified() == "null")
    }

    @Test func stringsEscapedAsQuoteJSONString() {
        let value = JSONValue.string("q\" b\\ \u{08}\u{0C}\n\r\t \u{01}\u{1F} / é € \u{2028} 😀")
        #expect(value.stringified() == #""q\" b\\ \b\f\n\r\t \u0001\u001f / é € "# + "\u{2028} 😀\"")
    }

    @Test func objectsKeepInsertionOrderAndNoWhitespace() {
        let value: JSONValue = ["z": 1, "a": [true, nil, "x"], "m": ["k": 2.5]]
        #expect(value.stringified() == #"{"z":1,"a":[true,null,"x"],"m":{"k":2.5}}"#)
    }

    @Test func parsingKeepsOrderAndRoundTrips() throws {
        let text = #"{"b":1,"a":{"y":[1,2,{"q":"\u00e9\n\ud83d\ude00"}],"x":null},"c":-0.5e2,"d":true}"#
        let value = try JSONValue(parsing: text)
        #expect(value.stringified() == #"{"b":1,"a":{"y":[1,2,{"q":"é\n😀"}],"x":null},"c":-50,"d":true}"#)
        #expect(value["a"]?["x"] == .null)
    }

    @Test(arguments: ["", "{", "[1,]", "{\"a\" 1}", "01", "1.", "\"\u{01}\"", "nul", "[1] x", "\"\\x\""])
    func malformedJSONIsRejected(_ text: String) {
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: text) }
    }

    @Test func truthinessFollowsJavaScript() {
        #expect(!JSONValue.null.isTruthy)
        #expect(!JSONValue.bool(false).isTruthy)
        #expect(!JSONValue.number(0).isTruthy)
        #expect(!JSONValue.string("").isTruthy)
        #expect(JSONValue.array([]).isTruthy)
        #expect(JSONValue.object([]).isTruthy)
        #expect(JSONValue.string("0").isTruthy)
    }
}
