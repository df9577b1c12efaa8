/// A policy made ready to run: one pipeline per namespace entry and one for the defaults, built
/// once when the policy loads, so a request only picks its pipeline. A value: a server swaps a
/// whole engine at once, so no request ever sees half a policy.
public struct PolicyEngine: Sendable {
    public let policy: Policy
    /// An identifier of the policy in force (the server uses the file's SHA-256), for logs and metrics.
    public let version: String
    /// The gates in force: `serve --feature-gates`, overridden gate by gate by the policy's; their
    /// release is the KubeRay release the rules follow.
    public let featureGates: FeatureGates
    /// The release of the installed CRDs, which the C rules follow.
    public let crdRelease: KubeRayRelease
    private let defaultPipeline: AdmissionPipeline
    private let entryPipelines: [AdmissionPipeline]

    /// The KubeRay release the operator runs (`serve --kuberay-version`).
    public var release: KubeRayRelease { featureGates.release }

    public init(
        policy: Policy = Policy(), version: String = "built-in", featureGates: FeatureGates = FeatureGates(),
        crdRelease: KubeRayRelease? = nil
    ) {
        self.policy = policy
        self.version = version
        let gates = featureGates.overridden(by: policy.featureGates)
        self.featureGates = gates
        let crds = crdRelease ?? gates.release
        self.crdRelease = crds
        defaultPipeline = Self.pipeline(for: policy.defaults, gates: gates, crdRelease: crds)
        entryPipelines = policy.namespaces.map {
            Self.pipeline(for: policy.defaults.overridden(by: $0.scope), gates: gates, crdRelease: crds)
        }
    }

    static func pipeline(for scope: Policy.Scope, gates: FeatureGates, crdRelease: KubeRayRelease) -> AdmissionPipeline
    {
        // Only what the policy says: every other rule runs as the release has it.
        var modes: [RuleID: EnforcementMode?] = [:]
        for rule in ValidationCatalog.rules {
            if let mode = scope.explicitMode(of: rule.descriptor.id) {
                modes[rule.descriptor.id] = .some(mode.enforcement)
            }
        }
        var defaulting = DefaultingConfiguration()
        for case (let id, .defaulting(let on)) in scope.rules {
            defaulting = defaulting.enabling(id, on)
        }
        return AdmissionPipeline(
            defaulter: Defaulter(configuration: defaulting, injection: scope.inject),
            validator: Validator(
                featureGates: gates, modes: modes, constraints: scope.constraints,
                allowExistingViolations: scope.allowExistingViolations ?? true, release: gates.release,
                crdRelease: crdRelease, bestPractices: scope.bestPractices))
    }

    /// The pipeline that judges resources in `namespace`.
    public func pipeline(forNamespace namespace: String) -> AdmissionPipeline {
        policy.entryIndex(forNamespace: namespace).map { entryPipelines[$0] } ?? defaultPipeline
    }

    public func review(_ request: consuming AdmissionRequest, endpoint: AdmissionEndpoint) -> AdmissionOutcome {
        let namespace =
            request.namespace.isEmpty
            ? (request.object?["metadata"]?["namespace"]?.stringValue ?? "") : request.namespace
        if policy.isExempt(user: request.userInfo.username, groups: request.userInfo.groups, namespace: namespace) {
            var outcome = AdmissionOutcome(
                response: .allow(uid: request.uid), decision: .exempt, kind: RayKind(request.kind))
            outcome.response.auditAnnotations = [(key: AdmissionPipeline.exemptAuditKey, value: "true")]
            return outcome
        }
        return pipeline(forNamespace: namespace).review(request, endpoint: endpoint)
    }
}
