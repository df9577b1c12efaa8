/// Features behind operator gates (rule book §0): a resource that uses one while the gate is off
/// is denied, naming the gate, instead of failing at reconcile.
enum FeatureGateRules {
    static func gate(_ context: ValidationContext, _ gate: String, at field: FieldPath, what: String) -> [FieldError] {
        guard !context.featureGates.isEnabled(gate) else { return [] }
        return [
            .forbidden(
                field,
                "\(what) requires the \(gate) feature gate to be enabled (operator and webhook --feature-gates \(gate)=true)"
            )
        ]
    }

    static func field(_ name: String, gate gateName: String, id: RuleID) -> ValidationRule {
        ValidationRule(id: id, summary: "spec \(name) needs the \(gateName) feature gate") { context in
            guard let value = context.clusterSpec?[name], !value.isNull else { return [] }
            return gate(context, gateName, at: context.cluster.fieldPath.child(name), what: "spec.\(name)")
        }
    }

    static let rules: [ValidationRule] = [
        ValidationRule(id: "V44", summary: "Suspending a worker group needs the RayJobDeletionPolicy gate") { context in
            context.groups.filter { !$0.location.isHead && $0.value["suspend"] == .bool(true) }.flatMap {
                gate(
                    context, "RayJobDeletionPolicy", at: $0.location.fieldPath.child("suspend"),
                    what: "worker group suspend")
            }
        },
        field("historyServerOptions", gate: "RayClusterHistoryServer", id: "V52"),
        field("networkPolicy", gate: "RayClusterNetworkPolicy", id: "V66"),
        field("tlsOptions", gate: "RayClusterMTLS", id: "V74"),
    ]
}
