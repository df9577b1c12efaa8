/// What a namespace's policy tells the best-practice warnings (`bestPractices:`): where else
/// official Ray images come from, and from how many workers a cluster counts as large.
public struct BestPracticeSettings: Sendable, Hashable {
    /// Repositories (without tag) that carry Ray's own images under another name, e.g. a rebuild
    /// such as `quay.io/modh/ray`: their tags are read as Ray versions too.
    public var extraRayImageRepositories: [String]?
    /// `head-num-cpus-large` (off unless a policy turns it on) warns only from this many workers:
    /// Σ max(replicas, minReplicas) × numOfHosts over the worker groups.
    public var largeClusterWorkerThreshold: Int?

    public init() {}

    public func overridden(by other: BestPracticeSettings) -> BestPracticeSettings {
        var merged = self
        merged.extraRayImageRepositories = other.extraRayImageRepositories ?? extraRayImageRepositories
        merged.largeClusterWorkerThreshold = other.largeClusterWorkerThreshold ?? largeClusterWorkerThreshold
        return merged
    }
}
