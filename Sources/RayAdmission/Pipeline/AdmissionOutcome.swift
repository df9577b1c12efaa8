/// The pipeline's answer and what the front doors need to log and count it.
public struct AdmissionOutcome: Sendable {
    public enum Decision: String, Sendable, Hashable, CaseIterable {
        /// Allowed unchanged.
        case allowed
        /// Allowed with a patch.
        case patched
        case denied
        /// Not a Ray resource, allowed unchanged.
        case ignored
        /// Exempted by the policy, allowed unchanged.
        case exempt
    }

    /// One rule's finding and what it did, for the policy-violation metric.
    public struct Finding: Sendable, Hashable {
        public var rule: RuleID
        public var mode: EnforcementMode
    }

    public var response: AdmissionResponse
    public var decision: Decision
    /// Nil when the request is not for a Ray resource.
    public var kind: RayKind?
    /// The rules that changed, denied or warned about the object.
    public var rules: [RuleID]
    /// Validation findings by rule and mode (each rule once per mode).
    public var findings: [Finding] = []

    public init(response: AdmissionResponse, decision: Decision, kind: RayKind?, rules: [RuleID] = []) {
        self.response = response
        self.decision = decision
        self.kind = kind
        self.rules = rules
    }
}
