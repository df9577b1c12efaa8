/// Runs the defaulting rules over one object and returns the patch that makes its defaults
/// explicit, the warnings, and which rules fired.
public struct Defaulter: Sendable {
    public struct Result: Sendable {
        public var patch: JSONPatch
        public var warnings: [String]
        public var rulesApplied: [RuleID]
        /// The object with the patch applied.
        public var object: JSONValue
    }

    public let rules: [any DefaultingRule]
    public var configuration: DefaultingConfiguration {
        didSet { plan = Plan(rules: rules, configuration: configuration) }
    }
    public var injection: PolicyInjection
    private var plan: Plan

    public init(
        rules: [any DefaultingRule] = DefaultingCatalog.rules, configuration: DefaultingConfiguration = .init(),
        injection: PolicyInjection = PolicyInjection()
    ) {
        self.rules = rules
        self.configuration = configuration
        self.injection = injection
        self.plan = Plan(rules: rules, configuration: configuration)
    }

    /// Takes the object by value: when the caller hands over its only reference, every change is
    /// made in place. (On UPDATE the scope keeps the unchanged object to compare against.)
    public func apply(
        to object: consuming JSONValue, kind: RayKind, operation: AdmissionOperation, oldObject: JSONValue? = nil
    ) -> Result {
        let scope =
            operation == .update
            ? UpdateScope(operation: operation, object: copy object, oldObject: oldObject) : .everything
        let context = DefaultingContext(
            kind: kind, operation: operation, scope: scope, object: copy object, injection: injection)
        var output = DefaultingOutput(document: PatchingDocument(object))
        for rule in plan.rules(for: kind) {
            // A rule that fails (a field of the wrong type) leaves nothing behind; validation
            // reports the field.
            output.attempt { (attempt: inout DefaultingOutput) throws(JSONPatchError) in
                try rule.apply(context, to: &attempt)
            }
        }
        return Result(
            patch: output.document.patch, warnings: output.warnings, rulesApplied: output.document.rulesApplied,
            object: output.document.value)
    }

    /// The enabled rules for each kind, in catalog order, worked out once: filtering on every
    /// request copied each rule's descriptor out of its existential and hashed the kind.
    private struct Plan: Sendable {
        private let rulesByKind: [[any DefaultingRule]]

        init(rules: [any DefaultingRule], configuration: DefaultingConfiguration) {
            rulesByKind = RayKind.allCases.map { kind in
                rules.filter { $0.descriptor.kinds.contains(kind) && configuration.isEnabled($0.descriptor) }
            }
        }

        func rules(for kind: RayKind) -> [any DefaultingRule] {
            RayKind.allCases.firstIndex(of: kind).map { rulesByKind[$0] } ?? []
        }
    }
}
