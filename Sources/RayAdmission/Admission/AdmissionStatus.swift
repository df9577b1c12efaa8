/// `response.status` (a `metav1.Status`) of a denial: the HTTP-like code the API server relays to
/// the client, a machine reason and a message for people.
public struct AdmissionStatus: Sendable, Hashable {
    public var code: Int
    public var reason: String
    public var message: String
    /// One cause per field error, as `details.causes`.
    public var causes: [FieldError]
    /// `details.name`, `details.group`, `details.kind` of the object that was judged.
    public var details: (name: String, group: String, kind: String)?

    public init(
        code: Int,
        reason: String,
        message: String,
        causes: [FieldError] = [],
        details: (name: String, group: String, kind: String)? = nil
    ) {
        self.code = code
        self.reason = reason
        self.message = message
        self.causes = causes
        self.details = details
    }

    /// 422 Invalid, the way Kubernetes rejects an invalid object, with every field error.
    public static func invalid(kind: GroupVersionKind, name: String, errors: [FieldError]) -> AdmissionStatus {
        AdmissionStatus(
            code: 422,
            reason: "Invalid",
            message: FieldError.invalidObjectMessage(kind: kind, name: name, errors: errors),
            causes: errors,
            details: (name: name, group: kind.group, kind: kind.kind)
        )
    }

    /// 400 BadRequest, for a review that is well-formed but cannot be judged (no object on CREATE).
    public static func badRequest(_ message: String) -> AdmissionStatus {
        AdmissionStatus(code: 400, reason: "BadRequest", message: message)
    }

    public static func == (lhs: AdmissionStatus, rhs: AdmissionStatus) -> Bool {
        lhs.code == rhs.code && lhs.reason == rhs.reason && lhs.message == rhs.message && lhs.causes == rhs.causes
            && lhs.details?.name == rhs.details?.name && lhs.details?.group == rhs.details?.group
            && lhs.details?.kind == rhs.details?.kind
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
        hasher.combine(reason)
        hasher.combine(message)
    }
}
