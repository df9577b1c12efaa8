import Testing

@testable import RayAdmission

struct JSONKeyTableTests {
    /// The table is generated (Scripts/generate-known-keys.py); a CRD update that adds a long
    /// property name fails here until the script is run again.
    @Test func holdsEveryLongPropertyNameOfTheCRDs() throws {
        var names: Set<String> = []
        for kind in RayKind.allCases {
            let crd = try YAMLDocumentReader().readSingle(try Fixtures.text("crds/ray.io_\(kind.resource).yaml"))
            collectPropertyNames(crd, into: &names)
        }
        let long = names.filter { $0.utf8.count >= JSONKeyTable.minimumLength }
        #expect(long.count > 100)
        let known = Set(JSONKeyTable.knownKeys)
        #expect(long.subtracting(known).sorted() == [])
        #expect(JSONKeyTable.shared.count == JSONKeyTable.knownKeys.count)
    }

    @Test func findsEachKnownKeyAndNothingElse() {
        let table = JSONKeyTable.shared
        for key in JSONKeyTable.knownKeys {
            #expect(lookUp(key, in: table) == key)
        }
        // Same length, first and last eight bytes as known keys: only the middle tells them apart.
        #expect(lookUp("app.kubernetes.io/name", in: table) == "app.kubernetes.io/name")
        #expect(lookUp("app.kubernetXs.io/name", in: table) == nil)
        #expect(lookUp("enableInTreeAutoscaling", in: table) == "enableInTreeAutoscaling")
        #expect(lookUp("enableInTreeAutoscalinG", in: table) == nil)
        #expect(lookUp("EnableInTreeAutoscaling", in: table) == nil)
        #expect(lookUp("enableInTreeAutoscalin", in: table) == nil)
        // Short keys are built, not looked up, even when the table could hold them.
        let short = JSONKeyTable(["containers", "workerGroupSpecs"])
        #expect(short.count == 1)
        #expect(lookUp("containers", in: short) == nil)
        #expect(lookUp("workerGroupSpecs", in: short) == "workerGroupSpecs")
        #expect(lookUp("workerGroupSpecz", in: short) == nil)
        let empty = JSONKeyTable(["", "a"])
        #expect(empty.count == 0)
        #expect(lookUp("workerGroupSpecs", in: empty) == nil)
    }

    /// A fingerprint read as one masked word (when bytes follow the key) must equal the one read
    /// byte by byte, or a key's hash would depend on where it sits in the body.
    @Test func fingerprintDoesNotDependOnTheBytesAfterTheKey() {
        let text = Array("abcdefghijklmnopqrstuvwxyz\"}".utf8)
        text.withUnsafeBufferPointer { buffer in
            for length in 0...24 {
                let key = UnsafeBufferPointer(rebasing: buffer[0..<length])
                let alone = JSONKeyTable.fingerprint(key)
                let followed = JSONKeyTable.fingerprint(key, readableAfter: buffer.count - length)
                #expect(alone == followed, "length \(length)")
                #expect(alone.length == length)
            }
        }
        let one = Array("k1".utf8).withUnsafeBufferPointer { JSONKeyTable.fingerprint($0) }
        let two = Array("k2".utf8).withUnsafeBufferPointer { JSONKeyTable.fingerprint($0) }
        #expect(one != two)
    }

    @Test func parsedKnownKeysAreOrdinaryStrings() throws {
        let value = try JSONValue.parse(#"{"workerGroupSpecs":[{"groupName":"a","app.kubernetes.io/name":"x"}]}"#)
        let built = String(["worker", "Group", "Specs"].joined())
        #expect(value[built]?[0]?["groupName"] == "a")
        #expect(value.objectValue?.keys == ["workerGroupSpecs"])
        #expect(value[built]?[0]?.objectValue?.keys == ["groupName", "app.kubernetes.io/name"])
        #expect(value.jsonString == #"{"workerGroupSpecs":[{"groupName":"a","app.kubernetes.io/name":"x"}]}"#)
    }

    /// Duplicate detection hashes the decoded key, so an escaped spelling of a key, known or
    /// not, is still a duplicate; and keys that share a hash bit are not mistaken for duplicates.
    @Test(arguments: [
        (#"{"workerGroupSpecs":1,"workerGroup\u0053pecs":2}"#, "workerGroupSpecs"),
        (#"{"workerGroup\u0053pecs":1,"workerGroupSpecs":2}"#, "workerGroupSpecs"),
        (#"{"a":1,"\u0061":2}"#, "a"),
        (#"{"é":1,"b":2,"\u00e9":3}"#, "é"),
        (#"{"é":1,"é":2}"#, "é"),
    ])
    func escapedSpellingsOfAKeyAreDuplicates(_ text: String, _ key: String) {
        let error = #expect(throws: JSONParseError.self) { try JSONParser().parse(text) }
        #expect(error?.reason == .duplicateKey(key))
    }

    @Test func distinctKeysAreNeverDuplicatesWhateverTheirHashes() throws {
        // 15 members (below the set's threshold), over and over with different keys: with 64
        // hash bits, many of these objects have keys whose bits collide.
        for round in 0..<200 {
            let keys = (0..<15).map { "key-\(round)-\($0)" }
            let text = "{" + keys.map { "\"\($0)\":1" }.joined(separator: ",") + "}"
            let value = try JSONValue.parse(text)
            #expect(value.objectValue?.keys == keys)
        }
    }

    private func lookUp(_ key: String, in table: JSONKeyTable) -> String? {
        Array(key.utf8).withUnsafeBufferPointer { table.key($0, fingerprint: JSONKeyTable.fingerprint($0)) }
    }

    private func collectPropertyNames(_ value: JSONValue, into names: inout Set<String>) {
        switch value {
        case .object(let object):
            if let properties = object["properties"]?.objectValue { names.formUnion(properties.keys) }
            for member in object { collectPropertyNames(member.value, into: &names) }
        case .array(let array):
            for element in array { collectPropertyNames(element, into: &names) }
        default:
            break
        }
    }
}
