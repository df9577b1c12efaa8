/// Which parts of the object may get new defaults. On CREATE, everything. On UPDATE, only a
/// cluster spec or group that the update itself changed: KubeRay re-creates a RayService's whole
/// cluster when `rayClusterConfig` changes, so an unrelated edit (a label, a replica count from the
/// autoscaler) must never make the webhook add something.
public struct UpdateScope: Sendable {
    private let oldObject: JSONValue?
    /// Kept only on UPDATE: on CREATE nothing is compared, and holding the object would make
    /// every change to it copy the arrays on its path.
    private let newObject: JSONValue

    /// Fields whose change does not count, as KubeRay's RayService spec hash ignores them (§3.13):
    /// scaling and scheduling changes do not make a group "changed".
    static let ignoredGroupFields = ["replicas", "minReplicas", "maxReplicas", "scaleStrategy", "suspend"]
    static let ignoredPodSpecFields = ["tolerations", "schedulingGates"]
    static let ignoredClusterFields = ["suspend", "upgradeStrategy"]

    public init(operation: AdmissionOperation, object: JSONValue, oldObject: JSONValue?) {
        let comparing = operation == .update && oldObject != nil
        self.newObject = comparing ? object : .null
        self.oldObject = comparing ? oldObject : nil
    }

    /// CREATE: every part may be defaulted.
    public static let everything = UpdateScope(operation: .create, object: .null, oldObject: nil)

    /// Resource-level defaults (policy labels and annotations, the submitter pod) go in at CREATE
    /// only: an update is the user's statement of what they want.
    public var allowsMetadataDefaults: Bool { oldObject == nil }

    /// Whether the group may receive defaults.
    public func allowsDefaults(in group: GroupLocation) -> Bool {
        guard let oldObject else { return true }
        return !Self.group(oldObject[group.pointer]).isSemanticallyEqual(to: Self.group(newObject[group.pointer]))
    }

    /// Whether cluster-level defaults (autoscaler options, …) may be written.
    public func allowsDefaults(in cluster: ClusterSpecLocation) -> Bool {
        guard let oldObject else { return true }
        return !Self.cluster(oldObject[cluster.pointer]).isSemanticallyEqual(
            to: Self.cluster(newObject[cluster.pointer]))
    }

    /// Whether anything at `pointer` changed apart from the members named in `ignoring` (for
    /// defaults outside the cluster spec, which has its own scope).
    public func allowsDefaults(at pointer: JSONPointer, ignoring: [String] = []) -> Bool {
        guard let oldObject else { return true }
        func stripped(_ value: JSONValue?) -> JSONValue {
            guard var value else { return .null }
            value.mutateObject { object in
                for key in ignoring { object.removeValue(forKey: key) }
            }
            return value
        }
        return !stripped(oldObject[pointer]).isSemanticallyEqual(to: stripped(newObject[pointer]))
    }

    private static func group(_ value: JSONValue?) -> JSONValue {
        guard var group = value, case .object = group else { return value ?? .null }
        group.mutateObject { object in
            for field in ignoredGroupFields { object.removeValue(forKey: field) }
            object.mutateValue(forKey: "template") { template in
                template.mutateObject { templateObject in
                    templateObject.mutateValue(forKey: "spec") { spec in
                        spec.mutateObject { specObject in
                            for field in ignoredPodSpecFields { specObject.removeValue(forKey: field) }
                        }
                    }
                }
            }
        }
        return group
    }

    private static func cluster(_ value: JSONValue?) -> JSONValue {
        guard var cluster = value, case .object = cluster else { return value ?? .null }
        cluster.mutateObject { object in
            for field in ignoredClusterFields { object.removeValue(forKey: field) }
            object.mutateValue(forKey: "headGroupSpec") { $0 = group($0) }
            object.mutateValue(forKey: "workerGroupSpecs") { groups in
                groups.mutateArray { array in
                    for index in array.indices { array[index] = group(array[index]) }
                }
            }
        }
        return cluster
    }
}
