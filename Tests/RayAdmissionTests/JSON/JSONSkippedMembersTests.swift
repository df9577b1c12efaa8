import Foundation
import RayAdmission
import Testing

/// The admission decoder checks `metadata.managedFields` without building it.
struct JSONSkippedMembersTests {
    let parser = JSONParser(skipping: JSONSkippedMembers([["o", "metadata", "managedFields"], ["o", "skip"]]))

    @Test func leavesOutOnlyTheNamedMembersAndKeepsEverythingElse() throws {
        let text = #"""
            {"o":{"metadata":{"name":"a","managedFields":[{"manager":"k","fieldsV1":{"f:spec":{"k:{\"name\":\"x\"}":{}}}}],"x":1},
             "skip":"gone","managedFields":"kept: not on a skipped path","kept":[{"skip":1}]},
             "managedFields":{"kept":true}}
            """#
        let full = try JSONParser().parse(text)
        let skipped = try parser.parse(text)
        #expect(skipped["o"]?["metadata"] == ["name": "a", "x": 1])
        #expect(skipped["o"]?["skip"] == nil)
        #expect(skipped["o"]?["managedFields"] == "kept: not on a skipped path")
        #expect(skipped["o"]?["kept"] == full["o"]?["kept"])
        #expect(skipped["managedFields"] == full["managedFields"])
    }

    /// A skipped value is still checked: malformed JSON inside it is refused like anywhere else.
    @Test(arguments: [
        #"{"o":{"skip":[1,2}}"#, #"{"o":{"skip":{"a" 1}}}"#, #"{"o":{"skip":tru}}"#, #"{"o":{"skip":01}}"#,
        #"{"o":{"skip":"a\qb"}}"#, #"{"o":{"skip":"\u12"}}"#, "{\"o\":{\"skip\":\"a\u{01}b\"}}",
        #"{"o":{"skip":[1,]}}"#,
        #"{"o":{"skip":{"a":1,}}}"#, #"{"o":{"skip":"unterminated}}"#, #"{"o":{"skip":-}}"#, #"{"o":{"skip":{1:2}}}"#,
    ])
    func malformedJSONInASkippedValueIsRefused(_ text: String) {
        #expect(throws: JSONParseError.self) { try parser.parse(text) }
        #expect(throws: JSONParseError.self) { try JSONParser().parse(text) }
    }

    @Test func invalidUTF8AndDeepNestingInASkippedValueAreRefused() {
        var bytes = Array(#"{"o":{"skip":"ab"#.utf8) + [0xC3, 0x28] + Array(#""}}"#.utf8)
        #expect(throws: JSONParseError.self) { try parser.parse(bytes) }
        bytes = Array(#"{"o":{"skip":"#.utf8) + Array(repeating: UInt8(ascii: "["), count: 100_000)
        #expect(throws: JSONParseError.self) { try parser.parse(bytes) }
        let nested = #"{"o":{"skip":"# + String(repeating: "[", count: 600) + String(repeating: "]", count: 600) + "}}"
        #expect(throws: JSONParseError.self) { try parser.parse(nested) }
    }

    @Test func nonASCIIAndEscapedStringsInASkippedValueAreAccepted() throws {
        let value = try parser.parse(#"{"o":{"skip":{"é":"\"\u00e9\n","k:{\"a\":1}":[true,false,null,-1.5e3]},"x":1}}"#)
        #expect(value == ["o": ["x": 1]])
    }

    /// Nothing reads a skipped value, so a duplicate key inside it is not looked for.
    @Test func duplicateKeysInsideASkippedValueAreNotLookedFor() throws {
        #expect(try parser.parse(#"{"o":{"skip":{"a":1,"a":2}}}"#) == ["o": [:]])
        #expect(throws: JSONParseError.self) { try JSONParser().parse(#"{"o":{"skip":{"a":1,"a":2}}}"#) }
    }

    @Test func theAdmissionDecoderLeavesOutManagedFieldsOfBothObjects() throws {
        let body = try Fixtures.bytes("reviews/raycluster-create.json")
        let full = try AdmissionReviewDecoding.decode(body, parser: JSONParser())
        let request = try AdmissionReviewDecoding.decode(body)
        #expect(full.object?["metadata"]?["managedFields"] != nil)
        #expect(request.object?["metadata"]?["managedFields"] == nil)
        var expected = full.object
        expected = try expected.map { try JSONPatch([.remove(path: ["metadata", "managedFields"])]).apply(to: $0) }
        #expect(request.object == expected)
    }
}
