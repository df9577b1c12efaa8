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
        /// The rule's mode, or `existing`: a denial admitted on UPDATE because the stored object
        /// already had it (`allowExistingViolations`).
        public enum Mode: String, Sendable, Hashable, CaseIterable {
            case deny, warn, audit, existing

            /// Findings that neither denied nor warned: written only to logs and metrics.
            public var isRecordedOnly: Bool { self == .audit || self == .existing }
        }

        public var rule: RuleID
        public var mode: Mode

        public init(rule: RuleID, mode: Mode) {
            self.rule = rule
            self.mode = mode
        }
    }

    public var response: AdmissionResponse
    public var decision: Decision
    /// Nil when the request is not for a Ray resource.
    public var kind: RayKind?
    /// The rules that changed, denied or warned about the object.
    public var rules: [RuleID]
    /// Validation findings by rule and mode (each rule once per mode).
    public var findings: [Finding] = []

    /// The rules whose findings were only recorded: `audit` mode, and existing violations.
    public var recordedRules: [RuleID] { findings.filter(\.mode.isRecordedOnly).map(\.rule) }

    public var hasRecordedFindings: Bool { findings.contains(where: \.mode.isRecordedOnly) }

    public init(response: AdmissionResponse, decision: Decision, kind: RayKind?, rules: [RuleID] = []) {
        self.response = response
        self.decision = decision
        self.kind = kind
        self.rules = rules
    }
}
