/// Where a RayCluster spec sits inside a Ray resource, and which annotations KubeRay judges it
/// with (rule book §0): RayCluster `spec` with its own, RayJob `spec.rayClusterSpec` and
/// RayService `spec.rayClusterConfig` with the parent's, RayCronJob
/// `spec.jobTemplate.rayClusterSpec` with none.
public struct ClusterSpecLocation: Sendable, Hashable {
    public let kind: RayKind
    public let pointer: JSONPointer
    /// The annotations the cluster rules see; nil for RayCronJob.
    public let annotationsPointer: JSONPointer?
    public let headGroup: GroupLocation
    public let fieldPath: FieldPath
    /// The first worker groups' locations, made with the location: most clusters have a handful of
    /// groups, and building their paths for every request cost more than some rules.
    private let firstWorkerGroups: [GroupLocation]
    private static let prebuiltWorkerGroups = 32

    /// The location for `kind`, made once per kind.
    public static func of(_ kind: RayKind) -> ClusterSpecLocation {
        switch kind {
        case .rayCluster: rayCluster
        case .rayJob: rayJob
        case .rayService: rayService
        case .rayCronJob: rayCronJob
        }
    }

    private static let rayCluster = ClusterSpecLocation(kind: .rayCluster)
    private static let rayJob = ClusterSpecLocation(kind: .rayJob)
    private static let rayService = ClusterSpecLocation(kind: .rayService)
    private static let rayCronJob = ClusterSpecLocation(kind: .rayCronJob)

    public init(kind: RayKind) {
        self.kind = kind
        switch kind {
        case .rayCluster:
            pointer = ["spec"]
            annotationsPointer = ["metadata", "annotations"]
        case .rayJob:
            pointer = ["spec", "rayClusterSpec"]
            annotationsPointer = ["metadata", "annotations"]
        case .rayService:
            pointer = ["spec", "rayClusterConfig"]
            annotationsPointer = ["metadata", "annotations"]
        case .rayCronJob:
            pointer = ["spec", "jobTemplate", "rayClusterSpec"]
            annotationsPointer = nil
        }
        headGroup = GroupLocation(pointer: pointer.appending("headGroupSpec"), index: nil)
        fieldPath = FieldPath(elements: pointer.tokens.map(FieldPath.Element.child))
        firstWorkerGroups = (0..<Self.prebuiltWorkerGroups).map { [pointer] in
            GroupLocation(pointer: pointer.appending("workerGroupSpecs", String($0)), index: $0)
        }
    }

    /// The worker groups present in `object`, in order.
    public func workerGroups(in object: JSONValue) -> [GroupLocation] {
        let count = object[pointer.appending("workerGroupSpecs")]?.arrayValue?.count ?? 0
        guard count > firstWorkerGroups.count else { return Array(firstWorkerGroups.prefix(count)) }
        return firstWorkerGroups
            + (firstWorkerGroups.count..<count).map {
                GroupLocation(pointer: pointer.appending("workerGroupSpecs", String($0)), index: $0)
            }
    }

    /// The head group first, then every worker group.
    public func groups(in object: JSONValue) -> [GroupLocation] {
        [headGroup] + workerGroups(in: object)
    }
}

/// The head group or one worker group, with the paths rules use worked out once: groups are found
/// once per request and their paths read by every rule. An immutable class, so that the many
/// rules iterating groups copy one reference rather than five arrays.
public final class GroupLocation: Sendable, Hashable {
    public let pointer: JSONPointer
    /// Nil for the head group.
    public let index: Int?
    /// The Ray container: `template.spec.containers[0]` (KubeRay's `RayContainerIndex`).
    public let rayContainer: JSONPointer
    public let podSpec: JSONPointer
    public let rayStartParams: JSONPointer
    public let fieldPath: FieldPath
    /// `fieldPath` + `template.spec`, which the pod-level rules report under.
    public let podSpecFieldPath: FieldPath
    /// The Ray container's `env`, and the field path of the Ray container, which many rules read
    /// or report under.
    public let rayContainerEnv: JSONPointer
    public let rayContainerFieldPath: FieldPath

    public init(pointer: JSONPointer, index: Int?) {
        self.pointer = pointer
        self.index = index
        self.podSpec = pointer.appending("template", "spec")
        self.rayContainer = podSpec.appending("containers", "0")
        self.rayStartParams = pointer.appending("rayStartParams")
        self.fieldPath = Self.fieldPath(of: pointer)
        self.podSpecFieldPath = fieldPath.child("template", "spec")
        self.rayContainerEnv = rayContainer.appending("env")
        self.rayContainerFieldPath = podSpecFieldPath.child("containers").index(0)
    }

    public var isHead: Bool { index == nil }

    /// Everything else derives from these two.
    public static func == (lhs: GroupLocation, rhs: GroupLocation) -> Bool {
        lhs.pointer == rhs.pointer && lhs.index == rhs.index
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(pointer)
        hasher.combine(index)
    }

    /// The field path of a pointer into a cluster spec, `workerGroupSpecs` indices as `[i]`.
    public static func fieldPath(of pointer: JSONPointer) -> FieldPath {
        var elements: [FieldPath.Element] = []
        elements.reserveCapacity(pointer.tokens.count)
        for token in pointer.tokens {
            if elements.last == .child("workerGroupSpecs"), let index = JSONPointer.arrayIndex(token) {
                elements.append(.index(index))
            } else {
                elements.append(.child(token))
            }
        }
        return FieldPath(elements: elements)
    }
}
