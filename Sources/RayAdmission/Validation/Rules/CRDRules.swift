/// CRD-level rules of §1.H: the transition rules C01/C02, which compare the update with the stored
/// object, and the v1alpha1 deprecation warning C12. The API
/// server applies them too; checking here lets `check --operation UPDATE` see them.
enum CRDRules {
    static func unchanged(
        _ id: RuleID, _ summary: String, field: @escaping @Sendable (ValidationContext) -> JSONPointer?,
        message: String
    )
        -> ValidationRule
    {
        ValidationRule(id: id, summary: summary, operations: [.update]) { context in
            guard let pointer = field(context) else { return [] }
            // A transition rule: only when the field exists before and after.
            guard let old = context.oldObject?[pointer], let new = context.object[pointer], !old.isNull, !new.isNull,
                !old.isSemanticallyEqual(to: new)
            else { return [] }
            return [.invalid(context.field(pointer), new, message)]
        }
    }

    static let rules: [ValidationRule] = [
        ValidationRule(
            id: "C12", summary: "ray.io/v1alpha1 is deprecated (warns where the CRDs predate KubeRay 1.7)",
            kinds: [.rayCluster, .rayJob, .rayService], mode: .warn
        ) { context in
            // From KubeRay 1.7 the CRDs mark v1alpha1 deprecated, and the API server itself warns on
            // every such request: saying it again would only repeat it in other words.
            guard context.requestVersion == "v1alpha1", context.crdRelease < .v1_7 else { return [] }
            return [
                .invalid(
                    FieldPath("apiVersion"), "ray.io/v1alpha1",
                    "ray.io/v1alpha1 is deprecated; use ray.io/v1 (gone in KubeRay 1.9)")
            ]
        },
        unchanged(
            "C01", "spec.managedBy is immutable",
            field: { context in
                switch context.kind {
                case .rayCronJob: ["spec", "jobTemplate", "managedBy"]
                // A RayService has its own managedBy from KubeRay 1.6's CRDs on.
                case .rayService where context.crdRelease < .v1_6: nil
                default: ["spec", "managedBy"]
                }
            }, message: "the managedBy field is immutable"),
        unchanged(
            "C02", "gcsFaultToleranceOptions.backend is immutable",
            field: { context in
                context.cluster.pointer.appending("gcsFaultToleranceOptions").appending("backend")
            }, message: "gcsFaultToleranceOptions.backend is immutable"),
    ]
}
