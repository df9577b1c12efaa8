/// Runs the validation rules over one request and sorts what they find into denials and
/// warnings. Every violation is reported, each with its field path and rule id.
public struct Validator: Sendable {
    public struct Result: Sendable {
        public var denials: [FieldError] = []
        public var warnings: [FieldError] = []
        public var audits: [FieldError] = []
        /// On UPDATE, denials the stored object already had, unchanged by the update: admitted
        /// (`allowExistingViolations`) and reported apart.
        public var existing: [FieldError] = []

        public var rules: [RuleID] {
            FieldError.distinctRules(denials + warnings + audits + existing)
        }
    }

    public let rules: [ValidationRule]
    public var featureGates: FeatureGates
    public var constraints: PolicyConstraints
    public var bestPractices: BestPracticeSettings
    /// The KubeRay release of the cluster's operator, and of its installed CRDs (the C rules follow
    /// those). A rule that release does not enforce yet warns instead of denying, naming the release
    /// that starts; a rule of older releases only is off; unless the policy sets a mode.
    public let release: KubeRayRelease
    public let crdRelease: KubeRayRelease
    /// On UPDATE, admit denials the stored object already had at the same field with the same
    /// value there (`ExistingViolations`); false judges every update in full.
    public var allowExistingViolations: Bool
    /// Per rule id, the mode a policy sets (nil: off); a rule not here runs as the release has it.
    public var modes: [RuleID: EnforcementMode?] {
        didSet { plan = Plan(rules: rules, modes: modes, release: release, crdRelease: crdRelease) }
    }
    private var plan: Plan

    public init(
        rules: [ValidationRule] = ValidationCatalog.rules, featureGates: FeatureGates? = nil,
        modes: [RuleID: EnforcementMode?] = [:], constraints: PolicyConstraints = PolicyConstraints(),
        allowExistingViolations: Bool = true, release: KubeRayRelease = .newest, crdRelease: KubeRayRelease? = nil,
        bestPractices: BestPracticeSettings = BestPracticeSettings()
    ) {
        self.rules = rules
        self.bestPractices = bestPractices
        self.featureGates = featureGates ?? FeatureGates(release: release)
        self.constraints = constraints
        self.allowExistingViolations = allowExistingViolations
        self.release = release
        self.crdRelease = crdRelease ?? release
        self.modes = modes
        self.plan = Plan(rules: rules, modes: modes, release: release, crdRelease: crdRelease ?? release)
    }

    /// What rule `id` does here: its mode (nil: off), and the release that starts enforcing it
    /// when this release does not yet (its findings then warn, saying so).
    public func effectiveMode(of id: RuleID) -> (mode: EnforcementMode?, enforcedFrom: KubeRayRelease?) {
        plan.modes[id] ?? (nil, nil)
    }

    public func validate(
        _ object: JSONValue, kind: RayKind, operation: AdmissionOperation, oldObject: JSONValue? = nil,
        requestVersion: String? = nil
    ) -> Result {
        guard Self.isJudged(object, operation: operation, oldObject: oldObject) else { return Result() }
        var result = judge(
            ValidationContext(
                kind: kind, operation: operation, object: object, oldObject: oldObject, featureGates: featureGates,
                requestVersion: requestVersion, constraints: constraints, release: release, crdRelease: crdRelease,
                bestPractices: bestPractices))
        // The stored object is judged only when the update would be denied, and only by the rules
        // that deny it: the common path pays nothing, and this one no full second pass.
        if operation == .update, allowExistingViolations, let oldObject, !result.denials.isEmpty,
            case let ratcheting = Set(result.denials.compactMap(\.rule).filter(plan.ratchets)), !ratcheting.isEmpty
        {
            let stored = judge(
                ValidationContext(
                    kind: kind, operation: .create, object: oldObject, featureGates: featureGates,
                    constraints: constraints, release: release, crdRelease: crdRelease, bestPractices: bestPractices),
                only: ratcheting)
            var existing = ExistingViolations(
                object: object, oldObject: oldObject, oldDenials: stored.denials, cluster: .of(kind))
            var introduced: [FieldError] = []
            for denial in result.denials {
                if let rule = denial.rule, plan.ratchets(rule), existing.isExisting(denial) {
                    result.existing.append(denial)
                } else {
                    introduced.append(denial)
                }
            }
            result.denials = introduced
        }
        return result
    }

    private func judge(_ context: ValidationContext, only rules: Set<RuleID>? = nil) -> Result {
        var result = Result()
        for step in plan.steps(kind: context.kind, operation: context.operation)
        where rules?.contains(step.id) ?? true {
            let found = step.check(context)
            guard !found.isEmpty else { continue }
            var cited = found.map { $0.citing(step.id) }
            if let since = step.enforcedFrom {
                cited = cited.map { $0.announcing(since) }
            }
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
            /// Set when the release does not enforce the rule yet: the release that starts.
            let enforcedFrom: KubeRayRelease?
            let check: @Sendable (ValidationContext) -> [FieldError]
        }

        private var steps: [RayKind: [AdmissionOperation: [Step]]] = [:]
        /// Rules whose existing violations never admit an update (transition rules).
        private var transitionRules: Set<RuleID> = []
        /// Every rule's mode here (nil: off), and the release that starts enforcing it.
        private(set) var modes: [RuleID: (mode: EnforcementMode?, enforcedFrom: KubeRayRelease?)] = [:]

        init(
            rules: [ValidationRule], modes explicit: [RuleID: EnforcementMode?], release: KubeRayRelease,
            crdRelease: KubeRayRelease
        ) {
            transitionRules = Set(rules.filter { !$0.ratchets }.map(\.descriptor.id))
            for rule in rules {
                let id = rule.descriptor.id
                if let mode = explicit[id] {
                    modes[id] = (mode, nil)
                    continue
                }
                let mode = rule.descriptor.enabledByDefault ? rule.defaultMode : nil
                switch RuleReleases.status(of: id, operator: release, crds: crdRelease) {
                case .inForce: modes[id] = (mode, nil)
                case .notYet(let since): modes[id] = mode == .deny ? (.warn, since) : (mode, nil)
                case .retired: modes[id] = (nil, nil)
                }
            }
            for kind in RayKind.allCases {
                for operation in AdmissionOperation.allCases {
                    steps[kind, default: [:]][operation] = rules.compactMap { rule in
                        let id = rule.descriptor.id
                        guard rule.descriptor.kinds.contains(kind), rule.operations.contains(operation),
                            let setting = modes[id], let mode = setting.mode
                        else { return nil }
                        return Step(id: id, mode: mode, enforcedFrom: setting.enforcedFrom, check: rule.check)
                    }
                }
            }
        }

        func steps(kind: RayKind, operation: AdmissionOperation) -> [Step] {
            steps[kind]?[operation] ?? []
        }

        func ratchets(_ rule: RuleID) -> Bool {
            !transitionRules.contains(rule)
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
