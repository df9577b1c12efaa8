/// Writes the AdmissionReview v1 that answers a request.
public enum AdmissionReviewEncoding {
    /// Writes the review straight into bytes, the same bytes as `reviewValue(_:).encoded()`:
    /// building the tree first, with the base64 patch as a `String`, cost a fifth of a review.
    public static func encode(_ response: AdmissionResponse) -> [UInt8] {
        var output: [UInt8] = []
        let patch = response.patch.isEmpty ? [] : response.patch.encoded()
        output.reserveCapacity(192 + Base64.encodedCount(patch.count) + 128 * response.warnings.count)
        JSONValue.appendLiteral(
            #"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","response":{"uid":"#, to: &output)
        JSONValue.encodeString(response.uid, into: &output)
        JSONValue.appendLiteral(response.allowed ? #","allowed":true"# : #","allowed":false"#, to: &output)
        if let status = response.status {
            JSONValue.appendLiteral(#","status":"#, to: &output)
            statusValue(status).encode(into: &output)
        }
        if !patch.isEmpty {
            JSONValue.appendLiteral(#","patch":""#, to: &output)
            Base64.encode(patch, into: &output)
            JSONValue.appendLiteral(#"","patchType":"JSONPatch""#, to: &output)
        }
        if !response.auditAnnotations.isEmpty {
            JSONValue.appendLiteral(#","auditAnnotations":"#, to: &output)
            auditAnnotationsValue(response.auditAnnotations).encode(into: &output)
        }
        if !response.warnings.isEmpty {
            JSONValue.appendLiteral(#","warnings":["#, to: &output)
            for (index, warning) in response.warnings.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                JSONValue.encodeString(warning, into: &output)
            }
            output.append(UInt8(ascii: "]"))
        }
        JSONValue.appendLiteral("}}", to: &output)
        return output
    }

    public static func reviewValue(_ response: AdmissionResponse) -> JSONValue {
        var review = JSONObject()
        review["apiVersion"] = .string(AdmissionReviewDecoding.apiVersion)
        review["kind"] = .string(AdmissionReviewDecoding.kind)
        review["response"] = responseValue(response)
        return .object(review)
    }

    static func responseValue(_ response: AdmissionResponse) -> JSONValue {
        var object = JSONObject()
        object["uid"] = .string(response.uid)
        object["allowed"] = .bool(response.allowed)
        if let status = response.status {
            object["status"] = statusValue(status)
        }
        // The API server rejects a patchType without a patch, and an empty patch is noise.
        if !response.patch.isEmpty {
            object["patch"] = .string(Base64.encode(response.patch.encoded()))
            object["patchType"] = "JSONPatch"
        }
        if !response.auditAnnotations.isEmpty {
            object["auditAnnotations"] = auditAnnotationsValue(response.auditAnnotations)
        }
        if !response.warnings.isEmpty {
            object["warnings"] = .array(response.warnings.map(JSONValue.string))
        }
        return .object(object)
    }

    /// An object, so a repeated key keeps one value in its first position, as in the tree.
    static func auditAnnotationsValue(_ annotations: [(key: String, value: String)]) -> JSONValue {
        .object(JSONObject(annotations.map { JSONObject.Member(key: $0.key, value: .string($0.value)) }))
    }

    static func statusValue(_ status: AdmissionStatus) -> JSONValue {
        var object = JSONObject()
        object["metadata"] = .object(JSONObject())
        object["status"] = "Failure"
        object["message"] = .string(status.message)
        object["reason"] = .string(status.reason)
        if status.details != nil || !status.causes.isEmpty {
            var details = JSONObject()
            if let named = status.details {
                details["name"] = .string(named.name)
                details["group"] = .string(named.group)
                details["kind"] = .string(named.kind)
            }
            if !status.causes.isEmpty {
                details["causes"] = .array(
                    status.causes.map { error in
                        [
                            "reason": .string(error.kind.causeType),
                            "message": .string(error.messageWithoutField),
                            "field": .string(error.field.description),
                        ]
                    })
            }
            object["details"] = .object(details)
        }
        object["code"] = .number(JSONNumber(status.code))
        return .object(object)
    }
}
