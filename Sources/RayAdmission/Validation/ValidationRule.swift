/// What a violated rule does: `deny` rejects the request (422), `warn` admits it with a warning,
/// `audit` admits it silently and records the finding (audit annotation, metric).
public enum EnforcementMode: String, Sendable, Hashable, CaseIterable {
    case deny
    case warn
    case audit
}

/// One validation rule as a value: what it is, how it is enforced by default, and a pure check
/// that returns every violation with its field path.
public struct ValidationRule: Sendable {
    public let descriptor: RuleDescriptor
    public let defaultMode: EnforcementMode
    /// KubeRay's checks run on CREATE and UPDATE alike; update-only rules compare with the old object.
    public let operations: Set<AdmissionOperation>
    /// Whether a denial the stored object already had admits an update that leaves it unchanged
    /// (`ExistingViolations`). Never for a rule about the transition itself: an update-only rule
    /// (immutable fields) finds nothing in the stored object alone, and its point is the change.
    public let ratchets: Bool
    let check: @Sendable (ValidationContext) -> [FieldError]

    public init(
        id: RuleID, summary: String, kinds: Set<RayKind> = .allRayKinds, mode: EnforcementMode = .deny,
        enabledByDefault: Bool = true, operations: Set<AdmissionOperation> = [.create, .update],
        ratchets: Bool? = nil, check: @escaping @Sendable (ValidationContext) -> [FieldError]
    ) {
        self.descriptor = RuleDescriptor(
            id: id, stage: .validation, summary: summary, kinds: kinds, enabledByDefault: enabledByDefault)
        self.defaultMode = mode
        self.operations = operations
        self.ratchets = ratchets ?? operations.contains(.create)
        self.check = check
    }

    public func validate(_ context: ValidationContext) -> [FieldError] {
        check(context).map { $0.citing(descriptor.id) }
    }
}

/// What a validation rule sees.
public struct ValidationContext: Sendable {
    public let kind: RayKind
    public let operation: AdmissionOperation
    public let object: JSONValue
    public let oldObject: JSONValue?
    public let featureGates: FeatureGates
    /// The KubeRay release the cluster's operator runs, and the release of its installed CRDs:
    /// rules whose condition changed between releases follow these.
    public let release: KubeRayRelease
    public let crdRelease: KubeRayRelease
    /// The namespace's policy constraints (none without a policy).
    public let constraints: PolicyConstraints
    /// What the namespace's policy tells the best-practice warnings.
    public let bestPractices: BestPracticeSettings
    public let cluster: ClusterSpecLocation
    /// The API version the client used (`v1alpha1` is deprecated), when the request says.
    public let requestVersion: String?

    public init(
        kind: RayKind, operation: AdmissionOperation, object: JSONValue, oldObject: JSONValue? = nil,
        featureGates: FeatureGates = FeatureGates(), requestVersion: String? = nil,
        constraints: PolicyConstraints = PolicyConstraints(), release: KubeRayRelease = .newest,
        crdRelease: KubeRayRelease? = nil, bestPractices: BestPracticeSettings = BestPracticeSettings()
    ) {
        self.bestPractices = bestPractices
        self.release = release
        self.crdRelease = crdRelease ?? release
        self.constraints = constraints
        self.requestVersion = requestVersion
        self.kind = kind
        self.operation = operation
        self.object = object
        self.oldObject = oldObject
        self.featureGates = featureGates
        let cluster = ClusterSpecLocation.of(kind)
        self.cluster = cluster
        self.groups = cluster.groups(in: object).compactMap { location in
            object[location.pointer].map { (location, $0) }
        }
        self.clusterSpec = object[cluster.pointer]
    }

    public var name: String { object["metadata"]?["name"]?.stringValue ?? "" }

    /// The annotations the cluster rules read (the parent's; none for RayCronJob, §0).
    public var clusterAnnotations: JSONObject {
        cluster.annotationsPointer.flatMap { object[$0]?.objectValue } ?? JSONObject()
    }

    /// The cluster spec, looked up once: most rules start from it.
    public let clusterSpec: JSONValue?

    /// The head group and every worker group, with their values; found once per request, since
    /// most rules walk them.
    public let groups: [(location: GroupLocation, value: JSONValue)]

    /// The worker groups of `groups`, in order.
    public var workerGroups: ArraySlice<(location: GroupLocation, value: JSONValue)> {
        groups.first?.location.isHead == true ? groups.dropFirst() : groups[...]
    }

    public func value(_ pointer: JSONPointer) -> JSONValue? {
        object[pointer]
    }

    /// The field path of a pointer into the object, `workerGroupSpecs` indices rendered as `[i]`.
    public func field(_ pointer: JSONPointer) -> FieldPath {
        GroupLocation.fieldPath(of: pointer)
    }

    /// How KubeRay names a group in messages: the literal `Head`, or the worker's `groupName`.
    public func groupLabel(_ location: GroupLocation) -> String {
        location.isHead ? "Head" : (object[location.pointer.appending("groupName")]?.stringValue ?? "")
    }
}
