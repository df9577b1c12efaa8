/// `request` of an AdmissionReview v1: what the API server asks about. Fields we do not use are
/// ignored; the object itself stays a generic JSON value so that nothing in it is lost.
public struct AdmissionRequest: Sendable {
    public struct UserInfo: Sendable, Hashable {
        public var username: String
        public var groups: [String]

        public init(username: String = "", groups: [String] = []) {
            self.username = username
            self.groups = groups
        }
    }

    public var uid: String
    public var kind: GroupVersionKind
    /// The kind as the client sent it (`v1alpha1` for a deprecated request); the API server
    /// converts the object to `kind`'s version before the webhook sees it.
    public var requestKind: GroupVersionKind?
    public var resource: String
    public var subResource: String
    public var name: String
    public var namespace: String
    public var operation: AdmissionOperation
    public var userInfo: UserInfo
    public var object: JSONValue?
    public var oldObject: JSONValue?
    public var dryRun: Bool

    public init(
        uid: String,
        kind: GroupVersionKind,
        requestKind: GroupVersionKind? = nil,
        resource: String = "",
        subResource: String = "",
        name: String = "",
        namespace: String = "",
        operation: AdmissionOperation,
        userInfo: UserInfo = UserInfo(),
        object: JSONValue? = nil,
        oldObject: JSONValue? = nil,
        dryRun: Bool = false
    ) {
        self.uid = uid
        self.kind = kind
        self.requestKind = requestKind
        self.resource = resource
        self.subResource = subResource
        self.name = name
        self.namespace = namespace
        self.operation = operation
        self.userInfo = userInfo
        self.object = object
        self.oldObject = oldObject
        self.dryRun = dryRun
    }

    /// The object's name: `request.name`, else the object's `metadata.name` (empty on a CREATE
    /// with `generateName`).
    public var objectName: String {
        if !name.isEmpty { return name }
        return object?["metadata"]?["name"]?.stringValue ?? ""
    }
}
