/// The four KubeRay custom resources this webhook judges.
public enum RayKind: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case rayCluster = "RayCluster"
    case rayJob = "RayJob"
    case rayService = "RayService"
    case rayCronJob = "RayCronJob"

    public static let group = "ray.io"

    /// Any served version of the group (`v1`, the deprecated `v1alpha1`) is the same kind.
    public init?(_ kind: GroupVersionKind) {
        guard kind.group == RayKind.group, let rayKind = RayKind(rawValue: kind.kind) else { return nil }
        self = rayKind
    }

    /// The lower-case plural the API server names the resource with.
    public var resource: String {
        rawValue.lowercased() + "s"
    }

    public var description: String { rawValue }
}
