/// CRD-level rules of §1.H: the transition rules C01/C02, which compare the update with the stored
/// object, and the v1alpha1 deprecation warning C12. The API
/// server applies them too; checking here lets `check --operation UPDATE` see them.
enum CRDRules {
    static func unchanged(
        _ id: RuleID, _ summary: String, field: @escaping @Sendable (ValidationContext) -> JSONPointer, message: String
    )
        -> ValidationRule
    {
        ValidationRule(id: id, summary: summary, operations: [.update]) { context in
            let pointer = field(context)
            // A transition rule: only when the field exists before and after.
            guard let old = context.oldObject?[pointer], let new = context.object[pointer], !old.isNull, !new.isNull,
                !old.isSemanticallyEqual(to: new)
            else { return [] }
            return [.invalid(context.field(pointer), new, message)]
        }
    }

    static let rules: [ValidationRule] = [
        ValidationRule(
            id: "C12", summary: "ray.io/v1alpha1 is deprecated (RayCluster, RayJob, RayService)",
            kinds: [.rayCluster, .rayJob, .rayService], mode: .warn
        ) { context in
            guard context.requestVersion == "v1alpha1" else { return [] }
            return [
                .invalid(
                    FieldPath("apiVersion"), "ray.io/v1alpha1",
                    "deprecated; use ray.io/v1 \(context.kind.rawValue). v1alpha1 will be unavailable in KubeRay 1.9")
            ]
        },
        unchanged(
            "C01", "spec.managedBy is immutable",
            field: { context in
                context.kind == .rayCronJob ? ["spec", "jobTemplate", "managedBy"] : ["spec", "managedBy"]
            }, message: "the managedBy field is immutable"),
        unchanged(
            "C02", "gcsFaultToleranceOptions.backend is immutable",
            field: { context in
                context.cluster.pointer.appending("gcsFaultToleranceOptions").appending("backend")
            }, message: "gcsFaultToleranceOptions.backend is immutable"),
    ]
}
