import RayAdmission
import Testing

/// RFC 6902, Appendix A: every example, with the result or error the RFC gives.
struct JSONPatchRFCTests {
    struct Example: Sendable, CustomTestStringConvertible {
        let name: String
        let document: String
        let patch: String
        /// Nil where the RFC says the patch fails.
        let expected: String?
        var testDescription: String { name }
    }

    static let examples: [Example] = [
        Example(
            name: "A.1 adding an object member", document: #"{"foo":"bar"}"#,
            patch: #"[{"op":"add","path":"/baz","value":"qux"}]"#, expected: #"{"baz":"qux","foo":"bar"}"#),
        Example(
            name: "A.2 adding an array element", document: #"{"foo":["bar","baz"]}"#,
            patch: #"[{"op":"add","path":"/foo/1","value":"qux"}]"#, expected: #"{"foo":["bar","qux","baz"]}"#),
        Example(
            name: "A.3 removing an object member", document: #"{"baz":"qux","foo":"bar"}"#,
            patch: #"[{"op":"remove","path":"/baz"}]"#, expected: #"{"foo":"bar"}"#),
        Example(
            name: "A.4 removing an array element", document: #"{"foo":["bar","qux","baz"]}"#,
            patch: #"[{"op":"remove","path":"/foo/1"}]"#, expected: #"{"foo":["bar","baz"]}"#),
        Example(
            name: "A.5 replacing a value", document: #"{"baz":"qux","foo":"bar"}"#,
            patch: #"[{"op":"replace","path":"/baz","value":"boo"}]"#, expected: #"{"baz":"boo","foo":"bar"}"#),
        Example(
            name: "A.6 moving a value",
            document: #"{"foo":{"bar":"baz","waldo":"fred"},"qux":{"corge":"grault"}}"#,
            patch: #"[{"op":"move","from":"/foo/waldo","path":"/qux/thud"}]"#,
            expected: #"{"foo":{"bar":"baz"},"qux":{"corge":"grault","thud":"fred"}}"#),
        Example(
            name: "A.7 moving an array element", document: #"{"foo":["all","grass","cows","eat"]}"#,
            patch: #"[{"op":"move","from":"/foo/1","path":"/foo/3"}]"#,
            expected: #"{"foo":["all","cows","eat","grass"]}"#),
        Example(
            name: "A.8 testing a value: success", document: #"{"baz":"qux","foo":["a",2,"c"]}"#,
            patch: #"[{"op":"test","path":"/baz","value":"qux"},{"op":"test","path":"/foo/1","value":2}]"#,
            expected: #"{"baz":"qux","foo":["a",2,"c"]}"#),
        Example(
            name: "A.9 testing a value: error", document: #"{"baz":"qux"}"#,
            patch: #"[{"op":"test","path":"/baz","value":"bar"}]"#, expected: nil),
        Example(
            name: "A.10 adding a nested member object", document: #"{"foo":"bar"}"#,
            patch: #"[{"op":"add","path":"/child","value":{"grandchild":{}}}]"#,
            expected: #"{"foo":"bar","child":{"grandchild":{}}}"#),
        Example(
            name: "A.11 ignoring unrecognized elements", document: #"{"foo":"bar"}"#,
            patch: #"[{"op":"add","path":"/baz","value":"qux","xyz":123}]"#, expected: #"{"foo":"bar","baz":"qux"}"#),
        Example(
            name: "A.12 adding to a nonexistent target", document: #"{"foo":"bar"}"#,
            patch: #"[{"op":"add","path":"/baz/bat","value":"qux"}]"#, expected: nil),
        Example(
            name: "A.14 ~ escape ordering", document: #"{"/":9,"~1":10}"#,
            patch: #"[{"op":"test","path":"/~01","value":10}]"#, expected: #"{"/":9,"~1":10}"#),
        Example(
            name: "A.15 comparing strings and numbers", document: #"{"/":9,"~1":10}"#,
            patch: #"[{"op":"test","path":"/~01","value":"10"}]"#, expected: nil),
        Example(
            name: "A.16 adding an array value", document: #"{"foo":["bar"]}"#,
            patch: #"[{"op":"add","path":"/foo/-","value":["abc","def"]}]"#,
            expected: #"{"foo":["bar",["abc","def"]]}"#),
    ]

    @Test(arguments: examples)
    func appendixA(_ example: Example) throws {
        let document = try JSONValue.parse(example.document)
        let patch = try JSONPatch(json: JSONValue.parse(example.patch))
        if let expected = example.expected {
            let result = try patch.apply(to: document)
            #expect(result.isSemanticallyEqual(to: try JSONValue.parse(expected)), "\(result.jsonString)")
        } else {
            #expect(throws: JSONPatchError.self) { try patch.apply(to: document) }
        }
    }

    @Test("A.13 invalid JSON Patch document: a duplicate \"op\" member is rejected")
    func duplicateMembersAreRejected() {
        #expect(throws: JSONParseError.self) {
            try JSONParser().parse(#"[{"op":"add","path":"/baz","value":"qux","op":"remove"}]"#)
        }
    }

    @Test func failedPatchLeavesTheDocumentUnchanged() throws {
        let document = try JSONValue.parse(#"{"a":1}"#)
        let patch = try JSONPatch(
            json: JSONValue.parse(#"[{"op":"add","path":"/b","value":2},{"op":"remove","path":"/missing"}]"#))
        let error = #expect(throws: JSONPatchError.self) { try patch.apply(to: document) }
        #expect(error?.operationIndex == 1)
        #expect(document == (try JSONValue.parse(#"{"a":1}"#)))
    }

    @Test func unknownOperationsAndBadPointersAreRejected() throws {
        for text in [
            #"[{"op":"frobnicate","path":"/a"}]"#, #"[{"op":"add","path":"a","value":1}]"#,
            #"[{"op":"add","path":"/a~2","value":1}]"#, #"[{"op":"add","path":"/a"}]"#, #"{"op":"add"}"#,
            #"[{"op":"move","path":"/a"}]"#,
        ] {
            #expect(throws: JSONPatchError.self, "\(text)") { try JSONPatch(json: JSONValue.parse(text)) }
        }
    }

    @Test func wireFormRoundTrips() throws {
        let text =
            #"[{"op":"add","path":"/a~1b","value":{"x":[1,2]}},{"op":"remove","path":"/c/0"},"#
            + #"{"op":"replace","path":"/d","value":null},{"op":"move","from":"/e","path":"/f"},"#
            + #"{"op":"copy","from":"/g","path":"/h/-"},{"op":"test","path":"","value":1.50}]"#
        let patch = try JSONPatch(json: JSONValue.parse(text))
        #expect(patch.jsonValue.jsonString == text)
    }

    @Test func edgeCasesOfAddRemoveAndMove() throws {
        let document = try JSONValue.parse(#"{"a":[1,2],"":{"":0}}"#)
        func apply(_ patch: String) throws -> JSONValue {
            try JSONPatch(json: JSONValue.parse(patch)).apply(to: document)
        }
        // The empty key is a real key (pointer "/" names it).
        #expect(try apply(#"[{"op":"replace","path":"//","value":5}]"#)[""]?[""] == 5)
        // Insert at the end index is allowed; one past it is not; leading zeros are not indices.
        #expect(try apply(#"[{"op":"add","path":"/a/2","value":3}]"#)["a"] == [1, 2, 3])
        #expect(throws: JSONPatchError.self) { try apply(#"[{"op":"add","path":"/a/3","value":3}]"#) }
        #expect(throws: JSONPatchError.self) { try apply(#"[{"op":"add","path":"/a/01","value":3}]"#) }
        #expect(throws: JSONPatchError.self) { try apply(#"[{"op":"remove","path":"/a/-"}]"#) }
        // Replace of the whole document; a move into one's own child is refused.
        #expect(try apply(#"[{"op":"replace","path":"","value":[]}]"#) == [])
        #expect(throws: JSONPatchError.self) { try apply(#"[{"op":"move","from":"/a","path":"/a/0"}]"#) }
        #expect(throws: JSONPatchError.self) { try apply(#"[{"op":"replace","path":"/zzz","value":1}]"#) }
        // Copy keeps the source.
        let copied = try apply(#"[{"op":"copy","from":"/a","path":"/b"}]"#)
        #expect(copied["a"] == [1, 2] && copied["b"] == [1, 2])
    }
}
