import RayAdmission
import Testing

struct PatchingDocumentTests {
    let rule: RuleID = "test-rule"

    @Test func createsMissingParentsOneAddEachAndEscapesKeys() throws {
        var document = PatchingDocument(try JSONValue.parse(#"{"kind":"RayCluster","unknown":{"x":1}}"#))
        try document.set("true", at: ["metadata", "annotations", "ray.io/ft-enabled"], rule: rule)
        #expect(
            document.patch.jsonValue.jsonString
                == #"[{"op":"add","path":"/metadata","value":{}},{"op":"add","path":"/metadata/annotations","value":{}},"#
                + #"{"op":"add","path":"/metadata/annotations/ray.io~1ft-enabled","value":"true"}]"#)
        #expect(document.value["unknown"] == ["x": 1])
        #expect(document.rulesApplied == [rule])
    }

    @Test func appendsWithDashAndCreatesMissingArrays() throws {
        var document = PatchingDocument(try JSONValue.parse(#"{"spec":{"ports":[{"containerPort":1}]}}"#))
        try document.append(["containerPort": 2], toArrayAt: ["spec", "ports"], rule: rule)
        try document.append(["name": "A"], toArrayAt: ["spec", "env"], rule: rule)
        let operations = document.patch.operations.map(\.jsonValue.jsonString)
        #expect(
            operations == [
                #"{"op":"add","path":"/spec/ports/-","value":{"containerPort":2}}"#,
                #"{"op":"add","path":"/spec/env","value":[]}"#,
                #"{"op":"add","path":"/spec/env/-","value":{"name":"A"}}"#,
            ])
    }

    /// `append` takes one walk when the parent object exists and falls back to the general path
    /// otherwise; every shape of target must give the same patch, document and rollback.
    @Test(arguments: [
        (#"{"spec":{"env":[1]}}"#, ["spec", "env"], #"[{"op":"add","path":"/spec/env/-","value":9}]"#),
        (
            #"{"spec":{}}"#, ["spec", "env"],
            #"[{"op":"add","path":"/spec/env","value":[]},{"op":"add","path":"/spec/env/-","value":9}]"#
        ),
        (#"{"list":[[1]]}"#, ["list", "0"], #"[{"op":"add","path":"/list/0/-","value":9}]"#),
        (
            #"{}"#, ["a", "b"],
            #"[{"op":"add","path":"/a","value":{}},{"op":"add","path":"/a/b","value":[]},{"op":"add","path":"/a/b/-","value":9}]"#
        ),
        (#"[]"#, [], #"[{"op":"add","path":"/-","value":9}]"#),
    ])
    func appendsToEveryShapeOfTarget(_ json: String, _ tokens: [String], _ expectedPatch: String) throws {
        let original = try JSONValue.parse(json)
        var document = PatchingDocument(original)
        try document.append(9, toArrayAt: JSONPointer(tokens: tokens), rule: rule)
        #expect(document.patch.jsonValue.jsonString == expectedPatch)
        #expect(try document.patch.apply(to: original) == document.value)
        document.rollBack(to: 0)
        #expect(document.value == original)
    }

    @Test(arguments: [#"{"spec":{"env":null}}"#, #"{"spec":{"env":{"a":1}}}"#, #"{"spec":[1]}"#, #"{"spec":"x"}"#])
    func refusesToAppendToAnythingButAnArray(_ json: String) throws {
        let original = try JSONValue.parse(json)
        var document = PatchingDocument(original)
        #expect(throws: JSONPatchError.self) { try document.append(9, toArrayAt: ["spec", "env"], rule: rule) }
        #expect(document.patch.isEmpty)
        #expect(document.value == original)
    }

    @Test func theRecordedPatchReproducesTheDocument() throws {
        let original = try JSONValue.parse(#"{"a":{"b":[1,2,{"c":null}]},"d":"x"}"#)
        var document = PatchingDocument(original)
        try document.set(5, at: ["a", "b", "2", "c"], rule: rule)
        try document.set("y", at: ["d"], rule: rule)
        try document.setIfAbsent("ignored", at: ["d"], rule: rule)
        try document.append(3, toArrayAt: ["a", "b"], rule: rule)
        try document.remove(at: ["a", "b", "0"], rule: rule)
        try document.set(["k": "v"], at: ["new", "deep", "er"], rule: rule)
        // Any RFC 6902 implementation applying the patch to the original gets the same document;
        // so does re-reading the patch from its wire form.
        let wire = try JSONPatch(json: JSONParser().parse(document.patch.encoded()))
        #expect(try wire.apply(to: original) == document.value)
    }

    @Test func settingTheSameValueRecordsNothing() throws {
        var document = PatchingDocument(try JSONValue.parse(#"{"a":"1"}"#))
        try document.set("1", at: ["a"], rule: rule)
        #expect(!(try document.setIfAbsent("2", at: ["a"], rule: rule)))
        #expect(document.patch.isEmpty)
        #expect(document.rulesApplied.isEmpty)
    }

    @Test func neverOverwritesUserDataOfTheWrongType() throws {
        var document = PatchingDocument(try JSONValue.parse(#"{"metadata":"oops","list":[1],"s":"x"}"#))
        #expect(throws: JSONPatchError.self) {
            try document.set("v", at: ["metadata", "annotations", "k"], rule: rule)
        }
        #expect(throws: JSONPatchError.self) { try document.set("v", at: ["list", "5", "k"], rule: rule) }
        #expect(throws: JSONPatchError.self) { try document.append(1, toArrayAt: ["s"], rule: rule) }
        #expect(document.patch.isEmpty)
        #expect(document.value == (try JSONValue.parse(#"{"metadata":"oops","list":[1],"s":"x"}"#)))
    }
}

struct PatchingDocumentRollbackTests {
    @Test func rollingBackRestoresTheDocumentExactly() throws {
        let original = try JSONValue.parse(#"{"a":{"b":[1,2]},"c":"x","d":{"e":1}}"#)
        var document = PatchingDocument(original)
        try document.set("keep", at: ["k"], rule: "r")
        let checkpoint = document.checkpoint
        try document.set("y", at: ["c"], rule: "r")
        try document.append(3, toArrayAt: ["a", "b"], rule: "r")
        try document.set(1, at: ["new", "deep"], rule: "r")
        try document.remove(at: ["d", "e"], rule: "r")
        try document.set([1], at: ["a", "x"], rule: "r")
        document.rollBack(to: checkpoint)
        #expect(document.value == (try JSONValue.parse(#"{"a":{"b":[1,2]},"c":"x","d":{"e":1},"k":"keep"}"#)))
        #expect(document.patch.operations.count == 1)
        document.rollBack(to: 0)
        #expect(document.value == original)
    }
}
