/// Runs the validation rules over one request and sorts what they find into denials and
/// warnings. Every violation is reported, each with its field path and rule id.
public struct Validator: Sendable {
    public struct Result: Sendable {
        public var denials: [FieldError] = []
        public var warnings: [FieldError] = []
        public var audits: [FieldError] = []

        public var rules: [RuleID] {
            FieldError.distinctRules(denials + warnings + audits)
        }
    }

    public let rules: [ValidationRule]
    public var featureGates: FeatureGates
    public var constraints: PolicyConstraints
    /// Per rule id: a mode other than the rule's default, or nil to switch the rule off.
    public var modes: [RuleID: EnforcementMode?] {
        didSet { plan = Plan(rules: rules, modes: modes) }
    }
    private var plan: Plan

    public init(
        rules: [ValidationRule] = ValidationCatalog.rules, featureGates: FeatureGates = FeatureGates(),
        modes: [RuleID: EnforcementMode?] = [:], constraints: PolicyConstraints = PolicyConstraints()
    ) {
        self.rules = rules
        self.featureGates = featureGates
        self.constraints = constraints
        self.modes = modes
        self.plan = Plan(rules: rules, modes: modes)
    }

    public func validate(
        _ object: JSONValue, kind: RayKind, operation: AdmissionOperation, oldObject: JSONValue? = nil,
        requestVersion: String? = nil
    ) -> Result {
        var result = Result()
        guard Self.isJudged(object, operation: operation, oldObject: oldObject) else { return result }
        let context = ValidationContext(
            kind: kind, operation: operation, object: object, oldObject: oldObject, featureGates: featureGates,
            requestVersion: requestVersion, constraints: constraints)
        for step in plan.steps(kind: kind, operation: operation) {
            let found = step.check(context)
            guard !found.isEmpty else { continue }
            let cited = found.map { $0.citing(step.id) }
            switch step.mode {
            case .deny: result.denials += cited
            case .warn: result.warnings += cited
            case .audit: result.audits += cited
            }
        }
        return result
    }

    /// The rules that run for each kind and operation, with their effective modes, worked out once
    /// rather than filtered on every request.
    private struct Plan: Sendable {
        struct Step: Sendable {
            let id: RuleID
            let mode: EnforcementMode
            let check: @Sendable (ValidationContext) -> [FieldError]
        }

        private var steps: [RayKind: [AdmissionOperation: [Step]]] = [:]

        init(rules: [ValidationRule], modes: [RuleID: EnforcementMode?]) {
            for kind in RayKind.allCases {
                for operation in AdmissionOperation.allCases {
                    steps[kind, default: [:]][operation] = rules.compactMap { rule in
                        let mode: EnforcementMode? = modes[rule.descriptor.id] ?? rule.defaultMode
                        guard rule.descriptor.kinds.contains(kind), rule.operations.contains(operation), let mode
                        else { return nil }
                        return Step(id: rule.descriptor.id, mode: mode, check: rule.check)
                    }
                }
            }
        }

        func steps(kind: RayKind, operation: AdmissionOperation) -> [Step] {
            steps[kind]?[operation] ?? []
        }
    }

    /// Objects being deleted, and updates that change only `status`, are never blocked by spec
    /// rules: a webhook must not stand in the way of finalizer removal or the operator's writes.
    static func isJudged(_ object: JSONValue, operation: AdmissionOperation, oldObject: JSONValue?) -> Bool {
        if let deletion = object["metadata"]?["deletionTimestamp"], !deletion.isNull { return false }
        guard operation == .update, let oldObject else { return true }
        func withoutStatus(_ value: JSONValue) -> JSONValue {
            var copy = value
            copy.mutateObject { $0.removeValue(forKey: "status") }
            copy.mutateObject { object in
                object.mutateValue(forKey: "metadata") { metadata in
                    metadata.mutateObject { fields in
                        for volatile in ["resourceVersion", "generation", "managedFields"] {
                            fields.removeValue(forKey: volatile)
                        }
                    }
                }
            }
            return copy
        }
        return !withoutStatus(object).isSemanticallyEqual(to: withoutStatus(oldObject))
    }
}
