import Foundation
import RayAdmission
import Testing

struct AdmissionReviewTests {
    @Test func decodesTheBenchKitReview() throws {
        let request = try AdmissionReviewDecoding.decode(try Fixtures.bytes("reviews/raycluster-create.json"))
        #expect(request.uid == "705ab4f5-6393-11e8-b7cc-42010a800002")
        #expect(request.kind == GroupVersionKind(group: "ray.io", version: "v1", kind: "RayCluster"))
        #expect(request.operation == .create)
        #expect(request.object?["kind"] == "RayCluster")
        #expect(request.oldObject == nil)
    }

    @Test func toleratesUnknownFieldsAndNulls() throws {
        var review = Reviews.body(object: Reviews.minimalObject())
        review = try JSONPatch(json: [
            ["op": "add", "path": "/extra", "value": ["future": true]],
            ["op": "add", "path": "/request/somethingNew", "value": 1],
            ["op": "replace", "path": "/request/userInfo", "value": .null],
        ]).apply(to: review)
        let request = try AdmissionReviewDecoding.decode(review)
        #expect(request.userInfo.username == "")
        #expect(request.namespace == "team-a")
        #expect(request.objectName == "demo")
    }

    @Test(arguments: [
        ("/apiVersion", JSONValue.string("admission.k8s.io/v1beta1"), "unsupported apiVersion"),
        ("/kind", JSONValue.string("Review"), "kind must be AdmissionReview"),
        ("/request", JSONValue.null, "request is missing"),
        ("/request/uid", JSONValue.string(""), "request.uid"),
        ("/request/uid", JSONValue.number(JSONNumber(5)), "request.uid"),
        ("/request/kind", JSONValue.string("RayCluster"), "request.kind"),
        ("/request/operation", JSONValue.string("PATCH"), "request.operation"),
        ("/request/object", JSONValue.string("x"), "request.object must be an object"),
        ("/request/dryRun", JSONValue.string("yes"), "request.dryRun"),
        ("/request/namespace", JSONValue.array(["a"]), "request.namespace"),
    ])
    func rejectsMalformedReviews(pointer: String, value: JSONValue, reason: String) throws {
        let review = try JSONPatch([.replace(path: try #require(JSONPointer(pointer)), value: value)])
            .apply(to: Reviews.body(object: Reviews.minimalObject()))
        let error = #expect(throws: AdmissionReviewError.self) { try AdmissionReviewDecoding.decode(review) }
        #expect(error?.message.contains(reason) == true, "\(error?.message ?? "")")
    }

    @Test func rejectsAReviewWithoutUID() throws {
        let review = try JSONPatch([.remove(path: ["request", "uid"])]).apply(
            to: Reviews.body(object: Reviews.minimalObject()))
        #expect(throws: AdmissionReviewError.self) { try AdmissionReviewDecoding.decode(review) }
    }

    @Test func rejectsNonReviewBodies() {
        for body in ["[]", "\"AdmissionReview\"", "{}", "{\"apiVersion\":\"v1\",\"kind\":\"Pod\"}", "not json"] {
            #expect(throws: AdmissionReviewError.self, "\(body)") {
                try AdmissionReviewDecoding.decode(Array(body.utf8))
            }
        }
    }

    @Test func encodesAnAllowedResponseMinimally() throws {
        let bytes = AdmissionReviewEncoding.encode(.allow(uid: "u-1"))
        #expect(
            String(decoding: bytes, as: UTF8.self)
                == #"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","response":{"uid":"u-1","allowed":true}}"#
        )
    }

    @Test func encodesAPatchAsBase64WithItsType() throws {
        var response = AdmissionResponse.allow(uid: "u-2")
        response.patch = JSONPatch([.add(path: ["metadata", "labels", "a/b"], value: "c")])
        response.addWarning("first")
        response.auditAnnotations = [(key: "rules", value: "x,y")]
        let review = try JSONParser().parse(AdmissionReviewEncoding.encode(response))
        let encodedPatch = try #require(review["response"]?["patch"]?.stringValue)
        let patchBytes = try #require(Data(base64Encoded: encodedPatch))
        #expect(
            String(decoding: patchBytes, as: UTF8.self) == #"[{"op":"add","path":"/metadata/labels/a~1b","value":"c"}]"#
        )
        #expect(review["response"]?["patchType"] == "JSONPatch")
        #expect(review["response"]?["warnings"] == ["first"])
        #expect(review["response"]?["auditAnnotations"] == ["rules": "x,y"])
    }

    /// The response is written straight into bytes; it must be exactly the encoding of the
    /// tree that describes it, whatever the response holds.
    @Test func theDirectEncodingEqualsTheTreeEncoding() throws {
        let kind = GroupVersionKind(group: "ray.io", version: "v1", kind: "RayCluster")
        var patched = AdmissionResponse.allow(uid: #"u-"quoted"\back"#)
        patched.patch = JSONPatch([
            .add(path: ["metadata", "annotations", "a/b~c"], value: "line\nbreak \u{1} é"),
            .add(
                path: ["spec", "workerGroupSpecs", "0", "template", "spec", "containers", "0", "env", "-"],
                value: ["name": "X", "value": .number(try #require(JSONNumber(text: "1.50")))]),
            .remove(path: ["spec", "x"]),
        ])
        patched.addWarning(#"a "quoted" warning"#)
        patched.addWarning("second")
        patched.auditAnnotations = [(key: "k", value: "1"), (key: "k", value: "2"), (key: "other", value: "\t")]
        var denied = AdmissionResponse.deny(
            uid: "u-4",
            status: .invalid(
                kind: kind, name: "demo",
                errors: [FieldError.invalid(FieldPath("spec", "workerGroupSpecs").index(0), 5, "must be \"small\"")]))
        denied.addWarning("w")
        let responses: [AdmissionResponse] = [
            .allow(uid: "u-1"), patched, denied, .deny(uid: "u-5", status: .badRequest("no")),
        ]
        for response in responses {
            #expect(
                String(decoding: AdmissionReviewEncoding.encode(response), as: UTF8.self)
                    == AdmissionReviewEncoding.reviewValue(response).jsonString)
        }
    }

    @Test func encodesADenialLikeTheAPIServer() throws {
        let kind = GroupVersionKind(group: "ray.io", version: "v1", kind: "RayCluster")
        let errors = [
            FieldError.invalid(
                FieldPath("spec", "workerGroupSpecs").index(1).child("minReplicas"), 5,
                "must be less than or equal to maxReplicas (3)"),
            FieldError.required(FieldPath("metadata", "name"), "name or generateName is required"),
        ]
        let response = AdmissionResponse.deny(uid: "u-3", status: .invalid(kind: kind, name: "demo", errors: errors))
        let review = try JSONParser().parse(AdmissionReviewEncoding.encode(response))
        let status = try #require(review["response"]?["status"])
        #expect(review["response"]?["allowed"] == false)
        #expect(review["response"]?["patch"] == nil)
        #expect(status["code"] == 422)
        #expect(status["reason"] == "Invalid")
        #expect(
            status["message"]?.stringValue
                == "RayCluster.ray.io \"demo\" is invalid: [spec.workerGroupSpecs[1].minReplicas: Invalid value: 5: "
                + "must be less than or equal to maxReplicas (3), metadata.name: Required value: name or generateName is required]"
        )
        #expect(status["details"]?["causes"]?[0]?["field"] == "spec.workerGroupSpecs[1].minReplicas")
        #expect(status["details"]?["causes"]?[1]?["reason"] == "FieldValueRequired")
    }

    @Test func cutsWarningsToWhatTheAPIServerShows() {
        var response = AdmissionResponse.allow(uid: "u")
        response.addWarning(String(repeating: "w", count: 300))
        response.addWarning("two\nlines")
        #expect(response.warnings[0].count == AdmissionResponse.maximumWarningLength)
        #expect(response.warnings[0].hasSuffix("…"))
        #expect(response.warnings[1] == "two lines")
    }

    @Test func cutsNonASCIIWarningsByCharacterAndKeepsExactFits() {
        var response = AdmissionResponse.allow(uid: "u")
        let limit = AdmissionResponse.maximumWarningLength
        response.addWarning(String(repeating: "x", count: limit))
        response.addWarning(String(repeating: "é", count: limit + 80) + "\r\n")
        response.addWarning("größe\nok")
        response.addWarning(String(repeating: "y", count: limit - 1) + "\n")
        #expect(response.warnings[0] == String(repeating: "x", count: limit))
        #expect(response.warnings[1].count == limit)
        #expect(response.warnings[1] == String(repeating: "é", count: limit - 1) + "…")
        #expect(response.warnings[2] == "größe ok")
        #expect(response.warnings[3] == String(repeating: "y", count: limit - 1) + " ")
    }
}
