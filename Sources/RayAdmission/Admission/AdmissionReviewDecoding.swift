/// Reads an AdmissionReview v1 from the request body: strict about what the protocol requires
/// (apiVersion, kind, request.uid, request.kind, request.operation), tolerant of everything else.
public enum AdmissionReviewDecoding {
    public static let apiVersion = "admission.k8s.io/v1"
    public static let kind = "AdmissionReview"

    /// What no rule reads, and what is often the larger part of an object: the field-manager
    /// bookkeeping of the object and the old object. It is checked for well-formed JSON, not built.
    public static let skippedMembers = JSONSkippedMembers([
        ["request", "object", "metadata", "managedFields"],
        ["request", "oldObject", "metadata", "managedFields"],
    ])

    public static let parser = JSONParser(skipping: skippedMembers)

    public static func decode(
        _ body: some Collection<UInt8>,
        parser: JSONParser = AdmissionReviewDecoding.parser
    ) throws(AdmissionReviewError) -> AdmissionRequest {
        let document: JSONValue
        do {
            document = try parser.parse(body)
        } catch {
            throw AdmissionReviewError("body is not valid JSON: \(error)")
        }
        return try decode(document)
    }

    public static func decode(_ document: JSONValue) throws(AdmissionReviewError) -> AdmissionRequest {
        guard case .object(let review) = document else {
            throw AdmissionReviewError("body must be a JSON object (an AdmissionReview), got \(document.typeName)")
        }
        guard let apiVersion = review["apiVersion"]?.stringValue else {
            throw AdmissionReviewError("apiVersion is missing: expected \(Self.apiVersion)")
        }
        guard apiVersion == Self.apiVersion else {
            throw AdmissionReviewError(
                "unsupported apiVersion \"\(apiVersion.prefix(64))\": expected \(Self.apiVersion)")
        }
        guard review["kind"]?.stringValue == Self.kind else {
            throw AdmissionReviewError("kind must be \(Self.kind)")
        }
        guard case .object(let request)? = review["request"] else {
            throw AdmissionReviewError("request is missing or not an object")
        }
        guard let uid = request["uid"]?.stringValue, !uid.isEmpty else {
            throw AdmissionReviewError("request.uid is missing or empty")
        }
        let kind = try groupVersionKind(request["kind"], field: "request.kind")
        guard let operationText = request["operation"]?.stringValue else {
            throw AdmissionReviewError("request.operation is missing")
        }
        guard let operation = AdmissionOperation(rawValue: operationText) else {
            throw AdmissionReviewError(
                "request.operation \"\(operationText.prefix(32))\" is not one of CREATE, UPDATE, DELETE, CONNECT")
        }
        return AdmissionRequest(
            uid: uid,
            kind: kind,
            requestKind: try optionalGroupVersionKind(request["requestKind"], field: "request.requestKind"),
            resource: try optionalString(request["resource"]?["resource"], field: "request.resource.resource"),
            subResource: try optionalString(request["subResource"], field: "request.subResource"),
            name: try optionalString(request["name"], field: "request.name"),
            namespace: try optionalString(request["namespace"], field: "request.namespace"),
            operation: operation,
            userInfo: try userInfo(request["userInfo"]),
            object: try embeddedObject(request["object"], field: "request.object"),
            oldObject: try embeddedObject(request["oldObject"], field: "request.oldObject"),
            dryRun: try optionalBool(request["dryRun"], field: "request.dryRun")
        )
    }

    private static func groupVersionKind(_ value: JSONValue?, field: String) throws(AdmissionReviewError)
        -> GroupVersionKind
    {
        guard case .object(let object)? = value else {
            throw AdmissionReviewError("\(field) is missing or not an object")
        }
        guard let kind = object["kind"]?.stringValue, !kind.isEmpty else {
            throw AdmissionReviewError("\(field).kind is missing")
        }
        return GroupVersionKind(
            group: try optionalString(object["group"], field: "\(field).group"),
            version: try optionalString(object["version"], field: "\(field).version"),
            kind: kind
        )
    }

    private static func optionalGroupVersionKind(_ value: JSONValue?, field: String) throws(AdmissionReviewError)
        -> GroupVersionKind?
    {
        guard let value, !value.isNull else { return nil }
        return try groupVersionKind(value, field: field)
    }

    private static func userInfo(_ value: JSONValue?) throws(AdmissionReviewError) -> AdmissionRequest.UserInfo {
        guard let value, !value.isNull else { return AdmissionRequest.UserInfo() }
        guard case .object(let object) = value else {
            throw AdmissionReviewError("request.userInfo must be an object")
        }
        var groups: [String] = []
        if let groupsValue = object["groups"], !groupsValue.isNull {
            guard case .array(let elements) = groupsValue else {
                throw AdmissionReviewError("request.userInfo.groups must be an array of strings")
            }
            for element in elements {
                guard let group = element.stringValue else {
                    throw AdmissionReviewError("request.userInfo.groups must be an array of strings")
                }
                groups.append(group)
            }
        }
        return AdmissionRequest.UserInfo(
            username: try optionalString(object["username"], field: "request.userInfo.username"),
            groups: groups
        )
    }

    /// `object` and `oldObject` are absent or null where the operation has none.
    private static func embeddedObject(_ value: JSONValue?, field: String) throws(AdmissionReviewError) -> JSONValue? {
        switch value {
        case nil, .null?: return nil
        case .object?: return value
        case let other?: throw AdmissionReviewError("\(field) must be an object, got \(other.typeName)")
        }
    }

    private static func optionalString(_ value: JSONValue?, field: String) throws(AdmissionReviewError) -> String {
        switch value {
        case nil, .null?: return ""
        case .string(let string)?: return string
        case let other?: throw AdmissionReviewError("\(field) must be a string, got \(other.typeName)")
        }
    }

    private static func optionalBool(_ value: JSONValue?, field: String) throws(AdmissionReviewError) -> Bool {
        switch value {
        case nil, .null?: return false
        case .bool(let bool)?: return bool
        case let other?: throw AdmissionReviewError("\(field) must be a boolean, got \(other.typeName)")
        }
    }
}
