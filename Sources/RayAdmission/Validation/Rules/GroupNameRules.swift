/// Worker group names must be unique: KubeRay's webhook checks it for RayCluster only (V139);
/// the same clash in a RayJob, RayService or RayCronJob cluster goes unnoticed (§1.J) until pods
/// of two groups collide.
enum GroupNameRules {
    static func duplicates(_ context: ValidationContext) -> [FieldError] {
        var seen = Set<String>()
        var errors: [FieldError] = []
        for group in context.workerGroups {
            guard let name = group.value["groupName"]?.stringValue else { continue }
            if !seen.insert(name).inserted {
                errors.append(.duplicate(group.location.fieldPath.child("groupName"), .string(name)))
            }
        }
        return errors
    }

    static let rules: [ValidationRule] = [
        ValidationRule(
            id: "V139", summary: "Worker group names are unique (KubeRay's webhook)", kinds: [.rayCluster],
            check: duplicates),
        ValidationRule(
            id: "unique-group-names",
            summary: "Worker group names are unique in RayJob/RayService/RayCronJob clusters (§1.J)",
            kinds: [.rayJob, .rayService, .rayCronJob], check: duplicates),
    ]
}
