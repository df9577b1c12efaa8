import RayAdmission
import Testing

struct YAMLDocumentReaderTests {
    let reader = YAMLDocumentReader()

    @Test func convertsScalarsTheWayKubectlDoes() throws {
        let value = try reader.readSingle(
            """
            z: 1
            a: "1"
            f: 1.50
            b: true
            q: 'true'
            n: null
            t: ~
            e: 1e3
            h: 0x1F
            s: 2024-01-01
            block: |
              line
            list: [1, two, 3.0]
            """)
        #expect(value.objectValue?.keys == ["z", "a", "f", "b", "q", "n", "t", "e", "h", "s", "block", "list"])
        #expect(value["z"] == 1)
        #expect(value["a"] == "1")
        #expect(value["f"]?.numberValue?.text == "1.50")
        #expect(value["b"] == true)
        #expect(value["q"] == "true")
        #expect(value["n"] == .null)
        #expect(value["t"] == .null)
        #expect(value["e"]?.numberValue?.doubleValue == 1000)
        #expect(value["h"] == 31)
        #expect(value["s"] == "2024-01-01")
        #expect(value["block"] == "line\n")
        #expect(value["list"]?[1] == "two")
    }

    /// Base-60 numbers are strings, as kubectl reads them; the fuzzer's reproducer
    /// (Fuzz/crashers/crash-cdbe90d2…) used to trap on overflow inside Yams.
    @Test func baseSixtyNumbersStayStringsAndNeverOverflow() throws {
        let value = try reader.readSingle(
            """
            time: 1:30
            long: 22:22:23:22:21:23:22:21:23:22:21:23:22:21
            float: 1:30.5
            """)
        #expect(value["time"] == "1:30")
        #expect(value["long"] == "22:22:23:22:21:23:22:21:23:22:21:23:22:21")
        #expect(value["float"] == "1:30.5")
        let bare = try reader.readSingle("22:22:23:22:21:23:22:21:23:22:21:23:22:21")
        #expect(bare == "22:22:23:22:21:23:22:21:23:22:21:23:22:21")
    }

    /// Keys that are collections are refused before Yams builds the document: its duplicate-key
    /// check made them superlinear (Fuzz/crashers/timeout-*, 0.7 s each, minutes in debug).
    @Test func collectionKeysAreRefusedWithTheirPosition() throws {
        let cases: [(yaml: String, line: Int, column: Int)] = [
            ("a: 1\n? [x, y]\n: 2\n", 2, 3),
            ("a: 1\n[x, y]: 2\n", 2, 1),
            ("{? {k: v} : 1}\n", 1, 4),
            ("base: &m {k: v}\nother:\n  *m : 1\n", 3, 3),
        ]
        for testCase in cases {
            do {
                _ = try reader.read(testCase.yaml)
                Issue.record("accepted \(testCase.yaml)")
            } catch {
                #expect(error.message.contains("a mapping key must be a string"), "\(error)")
                #expect(error.line == testCase.line && error.column == testCase.column, "\(testCase.yaml): \(error)")
            }
        }
        // An alias of a scalar is a fine key, and collections as values are fine.
        let fine = try reader.readSingle("k: &name key\nm:\n  *name : [1, {a: b}]\n")
        #expect(fine["m"]?["key"]?[1]?["a"] == "b")
    }

    @Test func nestedCollectionKeysAndDeepNestingAreRefused() throws {
        let nested = String(repeating: "? - - ? ", count: 400) + "x\n"
        #expect(throws: YAMLReadError.self) { try reader.read(nested) }
        let deep = String(repeating: "- ", count: 300) + "x\n"
        #expect {
            try reader.read(deep)
        } throws: { error in
            (error as? YAMLReadError)?.message.contains("nesting deeper than 256") == true
        }
    }

    @Test func readsMultipleDocumentsWithTheirLines() throws {
        let documents = try reader.read("a: 1\n---\nb: 2\n---\n")
        #expect(documents.count == 3)
        #expect(documents[1].value == ["b": 2])
        #expect(documents[1].line == 3)
        #expect(documents[2].value == nil)
    }

    @Test func reportsErrorsWithLineAndColumn() {
        let error = #expect(throws: YAMLReadError.self) { try reader.read("a: 1\nb: [1, 2\nc: 3\n") }
        #expect((error?.line ?? 0) > 0)
        let duplicate = #expect(throws: YAMLReadError.self) { try reader.read("a: 1\na: 2\n") }
        #expect(duplicate?.message.contains("duplicate key") == true)
        #expect(duplicate?.message.contains("\"a\"") == true)
        // libyaml's composer reports the line of the mapping that holds the duplicate.
        #expect(duplicate?.line == 1)
    }

    @Test func boundsAliasExpansion() {
        var yaml = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1...9 {
            let refs = Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ")
            yaml += "a\(level): &a\(level) [\(refs)]\n"
        }
        let error = #expect(throws: YAMLReadError.self) { try reader.read(yaml) }
        #expect(error?.message.contains("expands to more than") == true)
    }
}
