/// The RayJob `spec.deletionPolicy` of KubeRay 1.3 and 1.4 (a single policy, replaced by
/// `deletionStrategy` in 1.5, whose CRDs drop the field), and its checks: the versions companion of
/// the rule book, §2.8. Their ids (L01–L05) are not the rule book's; they apply only to clusters on
/// those releases.
enum LegacyDeletionPolicyRules {
    static let policies = ["DeleteCluster", "DeleteWorkers", "DeleteSelf", "DeleteNone"]
    static let field = FieldPath("spec", "deletionPolicy")

    static func rule(
        _ id: RuleID, _ summary: String,
        _ check: @escaping @Sendable (ValidationContext, JSONObject, String) -> [FieldError]
    ) -> ValidationRule {
        ValidationRule(id: id, summary: summary, kinds: [.rayJob]) { context in
            guard let spec = context.object["spec"]?.objectValue,
                let policy = spec["deletionPolicy"]?.stringValue
            else { return [] }
            return check(context, spec, policy)
        }
    }

    static let rules: [ValidationRule] = [
        rule("L01", "KubeRay ≤ 1.4: spec.deletionPolicy needs the RayJobDeletionPolicy gate") { context, _, _ in
            FeatureGateRules.gate(
                context, "RayJobDeletionPolicy", at: field, what: "spec.deletionPolicy (the DeletionPolicy feature)")
        },
        rule("L02", "KubeRay ≤ 1.4: no DeleteCluster/DeleteWorkers deletionPolicy with a clusterSelector") {
            _, spec, policy in
            guard RayJobRules.selectorMode(spec), ["DeleteCluster", "DeleteWorkers"].contains(policy) else { return [] }
            return [.forbidden(field, "the ClusterSelector mode doesn't support DeletionPolicy=\(policy)")]
        },
        rule("L03", "KubeRay ≤ 1.4: no DeleteWorkers deletionPolicy with autoscaling") { _, spec, policy in
            guard policy == "DeleteWorkers", RayJobRules.autoscaling(spec) else { return [] }
            return [
                .forbidden(
                    field, "DeletionPolicy=DeleteWorkers currently does not support RayCluster with autoscaling enabled"
                )
            ]
        },
        rule("L04", "KubeRay ≤ 1.4: no DeleteNone deletionPolicy with shutdownAfterJobFinishes") { _, spec, policy in
            guard policy == "DeleteNone", RayJobRules.bool(spec, "shutdownAfterJobFinishes") else { return [] }
            return [
                .forbidden(field, "shutdownAfterJobFinshes is set to 'true' while deletion policy is 'DeleteNone'")
            ]
        },
        rule("L05", "KubeRay ≤ 1.4 CRDs: deletionPolicy is DeleteCluster, DeleteWorkers, DeleteSelf or DeleteNone") {
            _, _, policy in
            guard !policies.contains(policy) else { return [] }
            return [.notSupported(field, .string(policy), supported: policies)]
        },
    ]
}
