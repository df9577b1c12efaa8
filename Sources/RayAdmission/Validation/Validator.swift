/// Runs the validation rules over one request and sorts what they find into denials and
/// warnings. Every violation is reported, each with its field path and rule id.
public struct Validator: Sendable {
    public struct Result: Sendable {
        public var denials: [FieldError] = []
        public var warnings: [FieldError] = []

        public var rules: [RuleID] {
            var seen = Set<RuleID>()
            return (denials + warnings).compactMap(\.rule).filter { seen.insert($0).inserted }
        }
    }

    public let rules: [ValidationRule]
    public var featureGates: FeatureGates
    /// Per rule id: a mode other than the rule's default, or nil to switch the rule off.
    public var modes: [RuleID: EnforcementMode?]

    public init(
        rules: [ValidationRule] = ValidationCatalog.rules, featureGates: FeatureGates = FeatureGates(),
        modes: [RuleID: EnforcementMode?] = [:]
    ) {
        self.rules = rules
        self.featureGates = featureGates
        self.modes = modes
    }

    public func validate(
        _ object: JSONValue, kind: RayKind, operation: AdmissionOperation, oldObject: JSONValue? = nil,
        requestVersion: String? = nil
    ) -> Result {
        var result = Result()
        guard Self.isJudged(object, operation: operation, oldObject: oldObject) else { return result }
        let context = ValidationContext(
            kind: kind, operation: operation, object: object, oldObject: oldObject, featureGates: featureGates,
            requestVersion: requestVersion)
        for rule in rules where rule.descriptor.kinds.contains(kind) && rule.operations.contains(operation) {
            let mode: EnforcementMode? = modes[rule.descriptor.id] ?? rule.defaultMode
            guard let mode else { continue }
            let found = rule.validate(context)
            switch mode {
            case .deny: result.denials += found
            case .warn: result.warnings += found
            }
        }
        return result
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
