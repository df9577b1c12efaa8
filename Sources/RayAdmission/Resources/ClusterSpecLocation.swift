/// Where a RayCluster spec sits inside a Ray resource, and which annotations KubeRay judges it
/// with (rule book §0): RayCluster `spec` with its own, RayJob `spec.rayClusterSpec` and
/// RayService `spec.rayClusterConfig` with the parent's, RayCronJob
/// `spec.jobTemplate.rayClusterSpec` with none.
public struct ClusterSpecLocation: Sendable, Hashable {
    public let kind: RayKind
    public let pointer: JSONPointer
    /// The annotations the cluster rules see; nil for RayCronJob.
    public let annotationsPointer: JSONPointer?

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
    }

    public var fieldPath: FieldPath {
        FieldPath(elements: pointer.tokens.map(FieldPath.Element.child))
    }

    public var headGroup: GroupLocation {
        GroupLocation(pointer: pointer.appending("headGroupSpec"), index: nil)
    }

    /// The worker groups present in `object`, in order.
    public func workerGroups(in object: JSONValue) -> [GroupLocation] {
        let count = object[pointer.appending("workerGroupSpecs")]?.arrayValue?.count ?? 0
        return (0..<count).map {
            GroupLocation(pointer: pointer.appending("workerGroupSpecs").appending($0), index: $0)
        }
    }

    /// The head group first, then every worker group.
    public func groups(in object: JSONValue) -> [GroupLocation] {
        [headGroup] + workerGroups(in: object)
    }
}

/// The head group or one worker group.
public struct GroupLocation: Sendable, Hashable {
    public let pointer: JSONPointer
    /// Nil for the head group.
    public let index: Int?

    public var isHead: Bool { index == nil }

    /// The Ray container: `template.spec.containers[0]` (KubeRay's `RayContainerIndex`).
    public var rayContainer: JSONPointer {
        pointer.appending("template").appending("spec").appending("containers").appending(0)
    }

    public var podSpec: JSONPointer {
        pointer.appending("template").appending("spec")
    }

    public var rayStartParams: JSONPointer {
        pointer.appending("rayStartParams")
    }

    public var fieldPath: FieldPath {
        var elements: [FieldPath.Element] = []
        for token in pointer.tokens {
            if let index = Int(token), token == String(index), elements.last == .child("workerGroupSpecs") {
                elements.append(.index(index))
            } else {
                elements.append(.child(token))
            }
        }
        return FieldPath(elements: elements)
    }
}
