import RayAdmission
import Testing

struct JSONParserTests {
    @Test func keepsKeyOrderAndNumberTextExactly() throws {
        let text = #"{"z":1.0,"a":1e3,"m":9223372036854775807,"n":-0,"o":1E+2,"p":0.000001,"q":18446744073709551616}"#
        let value = try JSONValue.parse(text)
        #expect(value.objectValue?.keys == ["z", "a", "m", "n", "o", "p", "q"])
        #expect(value.jsonString == text)
        #expect(value["m"]?.numberValue?.int64Value == Int64.max)
        #expect(value["q"]?.numberValue?.int64Value == nil)
        #expect(value["z"]?.numberValue?.isIntegerLiteral == false)
    }

    @Test func decodesEscapesAndEncodesThemBack() throws {
        let value = try JSONValue.parse(#"["a\"b\\c\/d\n\t\u0001\u00e9\ud83d\ude00"]"#)
        #expect(value[0]?.stringValue == "a\"b\\c/d\n\t\u{01}é😀")
        #expect(value.jsonString == #"["a\"b\\c/d\n\t\u0001é😀"]"#)
        #expect(try JSONValue.parse(value.jsonString) == value)
    }

    @Test(arguments: [
        "", " ", "{", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "01", "1.", ".5", "-", "1e", "+1", "NaN", "Infinity",
        "tru", "nul", "[1 2]", "{1:2}", "\"\\x\"", "\"\\u12\"", "\"\\ud800\"", "\"\\udc00x\"", "\"a\nb\"",
        "{} {}", "[\"a\"]x", "{\"a\":1,\"a\":2}",
    ])
    func rejectsInvalidDocuments(_ text: String) {
        #expect(throws: JSONParseError.self) { try JSONParser().parse(text) }
    }

    @Test func rejectsInvalidUTF8() {
        let bytes: [UInt8] = [0x22, 0xC3, 0x28, 0x22]
        let error = #expect(throws: JSONParseError.self) { try JSONParser().parse(bytes) }
        #expect(error?.reason == .invalidUTF8)
    }

    @Test func boundsNestingWithAClearError() {
        let deep = String(repeating: "[", count: 100_000)
        let error = #expect(throws: JSONParseError.self) { try JSONParser().parse(deep) }
        #expect(error?.reason == .tooDeep(limit: JSONParser.defaultMaximumDepth))
        #expect(error?.description.contains("nesting deeper than 512") == true)
        let objects = String(repeating: #"{"a":"#, count: 600)
        #expect(throws: JSONParseError.self) { try JSONParser().parse(objects) }
        // Exactly at the limit is fine.
        let ok = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        #expect(throws: Never.self) { try JSONParser().parse(ok) }
    }

    @Test func detectsDuplicateKeysInLargeObjects() throws {
        let members = (0..<100).map { "\"k\($0)\":\($0)" }.joined(separator: ",")
        #expect(throws: Never.self) { try JSONParser().parse("{\(members)}") }
        let error = #expect(throws: JSONParseError.self) { try JSONParser().parse("{\(members),\"k42\":0}") }
        #expect(error?.reason == .duplicateKey("k42"))
    }

    @Test func reportsLineAndColumn() {
        let error = #expect(throws: JSONParseError.self) { try JSONParser().parse("{\n  \"a\": tru\n}") }
        #expect(error?.line == 2)
        #expect(error?.column == 8)
    }

    @Test func hugeExponentsKeepTheirText() throws {
        let value = try JSONValue.parse("[1e999999,-1e-999999]")
        #expect(value.jsonString == "[1e999999,-1e-999999]")
        #expect(value[0]?.numberValue?.doubleValue == .infinity)
    }

    @Test func semanticEqualityIgnoresMemberOrderAndNumberSpelling() throws {
        let a = try JSONValue.parse(#"{"a":1,"b":[1.0,{"x":null}]}"#)
        let b = try JSONValue.parse(#"{"b":[1,{"x":null}],"a":1}"#)
        #expect(a != b)
        #expect(a.isSemanticallyEqual(to: b))
        #expect(!a.isSemanticallyEqual(to: try JSONValue.parse(#"{"a":"1","b":[1,{"x":null}]}"#)))
    }

    /// The string scanner reads eight bytes at a time: whatever ends or interrupts a string must be
    /// found at every position within a word and across word boundaries.
    @Test func stringsAreScannedCorrectlyAtEveryOffset() throws {
        for offset in 0...20 {
            let prefix = String(repeating: "a", count: offset)
            let tail = String(repeating: "b", count: 11)
            #expect(try JSONParser().parse("\"\(prefix)\"") == .string(prefix))
            #expect(try JSONParser().parse("[\"\(prefix)\\\"\(tail)\"]") == [.string(prefix + "\"" + tail)])
            #expect(try JSONParser().parse("\"\(prefix)\\n\(tail)\"") == .string(prefix + "\n" + tail))
            #expect(try JSONParser().parse("\"\(prefix)é✓\(tail)\"") == .string(prefix + "é✓" + tail))
            #expect(throws: JSONParseError.self) { try JSONParser().parse("\"\(prefix)\u{01}\(tail)\"") }
            #expect(throws: JSONParseError.self) { try JSONParser().parse("\"\(prefix)\(tail)") }
            var invalid = Array("\"\(prefix)".utf8)
            invalid += [0xC3, 0x28] + Array("\(tail)\"".utf8)
            #expect(throws: JSONParseError.self) { try JSONParser().parse(invalid) }
            // Keys take their own path (interning, hashing for duplicates).
            #expect(try JSONParser().parse("{\"\(prefix)\":1}").objectValue?.keys == [prefix])
            #expect(try JSONParser().parse("{\"\(prefix)é\(tail)\":1}").objectValue?.keys == [prefix + "é" + tail])
            #expect(try JSONParser().parse("{\"\(prefix)\\t\(tail)\":1}").objectValue?.keys == [prefix + "\t" + tail])
            #expect(throws: JSONParseError.self) { try JSONParser().parse("{\"\(prefix)\u{01}\":1}") }
            #expect(throws: JSONParseError.self) { try JSONParser().parse("{\"\(prefix)\":1,\"\(prefix)\":2}") }
        }
    }
}
