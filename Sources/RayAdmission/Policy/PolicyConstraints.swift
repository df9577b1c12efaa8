/// What a namespace's policy limits. Every limit is optional; an absent one is not checked. The
/// checks are validation rules (`ConstraintRules`) with ids of their own, so a policy can set each
/// one's mode like any other rule's.
public struct PolicyConstraints: Sendable, Hashable {
    /// Every container image of every pod template matches one of these.
    public var allowedImages: [GlobPattern]?
    /// Head GPUs plus, for each worker group, maxReplicas × numOfHosts × GPUs per pod.
    public var maxGPUsPerCluster: Int?
    /// maxReplicas (and replicas) × numOfHosts of any worker group.
    public var maxWorkersPerGroup: Int?
    /// The sum over a pod's containers of their CPU (limit, or request without one).
    public var maxCPUPerPod: Quantity?
    public var maxMemoryPerPod: Quantity?
    /// Label keys the resource's own metadata must carry.
    public var requiredLabels: [String]?
    /// Service types of the head service and a RayService's serve service.
    public var allowedServiceTypes: [String]?
    /// Kinds whose cluster must use GCS fault tolerance.
    public var requireGcsFaultTolerance: Set<RayKind>?
    /// No privileged or privilege-escalating containers, host network, PID or IPC, or hostPath volumes.
    public var forbidPrivileged: Bool?
    /// `spec.rayVersion` satisfies this range.
    public var rayVersions: VersionRange?

    public init() {}

    public var isEmpty: Bool { self == PolicyConstraints() }

    /// `self`, with every limit `other` sets taking its place.
    public func overridden(by other: PolicyConstraints) -> PolicyConstraints {
        var merged = self
        merged.allowedImages = other.allowedImages ?? allowedImages
        merged.maxGPUsPerCluster = other.maxGPUsPerCluster ?? maxGPUsPerCluster
        merged.maxWorkersPerGroup = other.maxWorkersPerGroup ?? maxWorkersPerGroup
        merged.maxCPUPerPod = other.maxCPUPerPod ?? maxCPUPerPod
        merged.maxMemoryPerPod = other.maxMemoryPerPod ?? maxMemoryPerPod
        merged.requiredLabels = other.requiredLabels ?? requiredLabels
        merged.allowedServiceTypes = other.allowedServiceTypes ?? allowedServiceTypes
        merged.requireGcsFaultTolerance = other.requireGcsFaultTolerance ?? requireGcsFaultTolerance
        merged.forbidPrivileged = other.forbidPrivileged ?? forbidPrivileged
        merged.rayVersions = other.rayVersions ?? rayVersions
        return merged
    }
}

/// What a namespace's policy adds to every resource, as defaults: only where absent, so the
/// user's own values win and a second pass changes nothing.
public struct PolicyInjection: Sendable, Hashable {
    /// On the resource's metadata and on every pod template.
    public var labels: [String: String] = [:]
    /// On the resource's metadata.
    public var annotations: [String: String] = [:]
    /// On every Ray container (never a variable KubeRay reserves, rule book §7.A).
    public var env: [String: String] = [:]
    /// On every pod template, unless an equal toleration is there.
    public var tolerations: [JSONValue] = []
    public var nodeSelector: [String: String] = [:]
    public var priorityClassName: String?

    public init() {}

    public var isEmpty: Bool { self == PolicyInjection() }

    public func overridden(by other: PolicyInjection) -> PolicyInjection {
        var merged = self
        merged.labels.merge(other.labels) { $1 }
        merged.annotations.merge(other.annotations) { $1 }
        merged.env.merge(other.env) { $1 }
        merged.tolerations += other.tolerations.filter { !tolerations.contains($0) }
        merged.nodeSelector.merge(other.nodeSelector) { $1 }
        merged.priorityClassName = other.priorityClassName ?? priorityClassName
        return merged
    }

    /// Env KubeRay sets or checks itself: injecting any of them breaks a cluster (§7.A).
    public static let reservedEnv: Set<String> = [
        "RAY_REDIS_ADDRESS", "REDIS_PASSWORD", "REDIS_USERNAME", "RAY_enable_autoscaler_v2",
        "KUBERAY_GEN_AUTOSCALER_START_CMD", "RAY_CLUSTER_NAME", "RAY_CLUSTER_NAMESPACE", "RAY_CLOUD_INSTANCE_ID",
        "RAY_NODE_TYPE_NAME", "KUBERAY_GEN_RAY_START_CMD", "FQ_RAY_IP", "RAY_IP", "RAY_USAGE_STATS_EXTRA_TAGS",
        "RAY_external_storage_namespace", "RAY_PORT", "RAY_ADDRESS", "RAY_USE_TLS", "RAY_TLS_SERVER_CERT",
        "RAY_TLS_SERVER_KEY", "RAY_TLS_CA_CERT", "NVIDIA_VISIBLE_DEVICES",
    ]

    public static func isReservedEnv(_ name: String) -> Bool {
        reservedEnv.contains(name) || name.hasPrefix("RAY_gcs_storage") || name.hasPrefix("RAY_TLS_")
    }

    /// KubeRay's own label and annotation prefix.
    public static func isReservedKey(_ key: String) -> Bool {
        key.hasPrefix("ray.io/")
    }
}
