/// Rules that compare the update with the stored object (rule book §1.H, C01/C02): the API
/// server's CEL transition rules, checked here too so `check --operation UPDATE` sees them.
enum UpdateRules {
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
