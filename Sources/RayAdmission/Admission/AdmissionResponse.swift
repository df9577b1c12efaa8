/// `response` of an AdmissionReview v1: the decision about one request.
public struct AdmissionResponse: Sendable, Hashable {
    /// Kubernetes asks webhooks for warnings under 120 characters where they can, and truncates
    /// a warning past 256 (once all warnings together exceed 4096); `kubectl` prints them whole. So
    /// warnings are built short, and anything longer than 256 is cut here.
    public static let maximumWarningLength = 256

    public var uid: String
    public var allowed: Bool
    public var status: AdmissionStatus?
    public var patch: JSONPatch
    public private(set) var warnings: [String]
    /// Ordered key/value pairs; the API server records them in the audit log, prefixed with the
    /// webhook's name.
    public var auditAnnotations: [(key: String, value: String)]

    public init(
        uid: String,
        allowed: Bool,
        status: AdmissionStatus? = nil,
        patch: JSONPatch = JSONPatch(),
        warnings: [String] = [],
        auditAnnotations: [(key: String, value: String)] = []
    ) {
        self.uid = uid
        self.allowed = allowed
        self.status = status
        self.patch = patch
        self.warnings = []
        self.auditAnnotations = auditAnnotations
        for warning in warnings { addWarning(warning) }
    }

    public static func allow(uid: String) -> AdmissionResponse {
        AdmissionResponse(uid: uid, allowed: true)
    }

    public static func deny(uid: String, status: AdmissionStatus) -> AdmissionResponse {
        AdmissionResponse(uid: uid, allowed: false, status: status)
    }

    public mutating func addWarning(_ warning: String) {
        warnings.append(Self.singleLine(warning, limit: Self.maximumWarningLength))
    }

    /// `text` on one line and at most `limit` characters, cut with an ellipsis. Warnings are almost
    /// always single-line ASCII, where bytes are characters; only other text pays for grapheme
    /// breaking.
    static func singleLine(_ text: String, limit: Int) -> String {
        let plain: Bool? = text.utf8.withContiguousStorageIfAvailable { bytes in
            for byte in bytes where byte >= 0x80 || byte &- 0x0A < 4 { return false }
            return true
        }
        if plain == true {
            let utf8 = text.utf8
            if utf8.count <= limit { return text }
            return String(decoding: utf8.prefix(limit - 1), as: UTF8.self) + "…"
        }
        let line = String(text.map { $0.isNewline ? " " : $0 })
        return line.count <= limit ? line : String(line.prefix(limit - 1)) + "…"
    }

    public static func == (lhs: AdmissionResponse, rhs: AdmissionResponse) -> Bool {
        lhs.uid == rhs.uid && lhs.allowed == rhs.allowed && lhs.status == rhs.status && lhs.patch == rhs.patch
            && lhs.warnings == rhs.warnings && lhs.auditAnnotations.elementsEqual(rhs.auditAnnotations, by: ==)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(uid)
        hasher.combine(allowed)
        hasher.combine(patch)
    }
}
