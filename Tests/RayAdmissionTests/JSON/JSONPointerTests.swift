import RayAdmission
import Testing

struct JSONPointerTests {
    @Test func escapesAndUnescapesPerRFC6901() throws {
        let pointer = JSONPointer(tokens: ["metadata", "annotations", "ray.io/ft-enabled", "a~b"])
        #expect(pointer.description == "/metadata/annotations/ray.io~1ft-enabled/a~0b")
        #expect(JSONPointer(pointer.description) == pointer)
        #expect(JSONPointer("/~01")?.tokens == ["~1"])
        #expect(JSONPointer("")?.isRoot == true)
        #expect(JSONPointer("/")?.tokens == [""])
        #expect(JSONPointer("a/b") == nil)
        #expect(JSONPointer("/a~") == nil)
        #expect(JSONPointer("/a~2") == nil)
    }

    @Test func resolvesTheRFCExamples() throws {
        let document = try JSONValue.parse(
            #"{"foo":["bar","baz"],"":0,"a/b":1,"c%d":2,"e^f":3,"g|h":4,"i\\j":5,"k\"l":6," ":7,"m~n":8}"#)
        let expectations: [(String, JSONValue)] = [
            ("/foo", ["bar", "baz"]), ("/foo/0", "bar"), ("/", 0), ("/a~1b", 1), ("/c%d", 2), ("/e^f", 3),
            ("/g|h", 4), ("/i\\j", 5), ("/k\"l", 6), ("/ ", 7), ("/m~0n", 8),
        ]
        for (text, expected) in expectations {
            let pointer = try #require(JSONPointer(text))
            #expect(document[pointer] == expected, "\(text)")
        }
        #expect(document[try #require(JSONPointer(""))] == document)
        #expect(document[try #require(JSONPointer("/foo/2"))] == nil)
        #expect(document[try #require(JSONPointer("/foo/-"))] == nil)
        #expect(document[try #require(JSONPointer("/foo/01"))] == nil)
    }

    /// Patch paths are written straight into the output, escaped twice over (RFC 6901, then JSON):
    /// what is read back must be the pointer's own text.
    @Test func patchPathsEncodeAsTheirEscapedText() throws {
        let tokens = [
            "metadata", "annotations", "ray.io/ft-enabled", "a~b", "quote\"back\\slash", "tab\tnew\nline", "ü",
        ]
        let pointer = JSONPointer(tokens: tokens)
        let patch = JSONPatch([.add(path: pointer, value: "x"), .move(from: pointer, path: ["y"])])
        let decoded = try JSONParser().parse(patch.encoded())
        #expect(decoded[0]?["path"] == .string(pointer.description))
        #expect(decoded[1]?["from"] == .string(pointer.description))
        #expect(JSONPointer(pointer.description)?.tokens == tokens)
    }
}
