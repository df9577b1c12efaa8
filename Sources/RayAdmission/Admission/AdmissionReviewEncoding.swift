/// Writes the AdmissionReview v1 that answers a request.
public enum AdmissionReviewEncoding {
    public static func encode(_ response: AdmissionResponse) -> [UInt8] {
        reviewValue(response).encoded()
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
            object["auditAnnotations"] = .object(
                JSONObject(response.auditAnnotations.map { JSONObject.Member(key: $0.key, value: .string($0.value)) }))
        }
        if !response.warnings.isEmpty {
            object["warnings"] = .array(response.warnings.map(JSONValue.string))
        }
        return .object(object)
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
