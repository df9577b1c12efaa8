/// Names and the metadata KubeRay checks (rule book §1.A, V01–V08). KubeRay's webhook reports
/// them at `metadata.name`.
enum MetadataRules {
    static let name = FieldPath("metadata", "name")

    static func length(id: RuleID, kind: RayKind, maximum: Int, why: String) -> ValidationRule {
        ValidationRule(id: id, summary: "\(kind) name at most \(maximum) characters (\(why))", kinds: [kind]) {
            context in
            guard context.name.count > maximum else { return [] }
            return [.invalid(name, .string(context.name), "\(kind) name should be no more than \(maximum) characters")]
        }
    }

    static func dns1035(id: RuleID, kind: RayKind) -> ValidationRule {
        ValidationRule(id: id, summary: "\(kind) name is a DNS-1035 label", kinds: [kind]) { context in
            let value = context.name
            // KubeRay 1.3 matched RayCluster names against the pattern alone, with no 63-character cap.
            let maximumLength: Int? = kind == .rayCluster && context.release < .v1_4 ? nil : 63
            // An empty name (generateName) is the API server's to fill and check.
            guard !value.isEmpty, !KubernetesNames.isDNS1035Label(value, maximumLength: maximumLength) else {
                return []
            }
            return [
                .invalid(
                    name, .string(value),
                    "\(kind) name should be a valid DNS1035 label: [\(KubernetesNames.dns1035Message)]")
            ]
        }
    }

    static let initializingTimeout = ValidationRule(
        id: "V07", summary: "RayService annotation ray.io/initializing-timeout is a positive Go duration or seconds",
        kinds: [.rayService]
    ) { context in
        let key = "ray.io/initializing-timeout"
        guard let value = context.object["metadata"]?["annotations"]?[key]?.stringValue, !value.isEmpty else {
            return []
        }
        let field = FieldPath("metadata", "annotations").key(key)
        if let seconds = GoDuration.seconds(value) {
            return seconds > 0
                ? [] : [.invalid(field, .string(value), "RayService initializing timeout must be a positive duration")]
        }
        if let seconds = Int(value) {
            return seconds > 0
                ? []
                : [
                    .invalid(
                        field, .string(value), "RayService initializing timeout must be a positive number of seconds")
                ]
        }
        return [
            .invalid(
                field, .string(value),
                "invalid format for ray.io/initializing-timeout: use a duration such as 10m, or seconds")
        ]
    }

    static let rules: [ValidationRule] = [
        length(id: "V01", kind: .rayCluster, maximum: 53, why: "63 minus \"-serve-svc\""),
        dns1035(id: "V02", kind: .rayCluster),
        length(id: "V03", kind: .rayJob, maximum: 47, why: "its cluster adds a 6-character suffix"),
        dns1035(id: "V04", kind: .rayJob),
        length(id: "V05", kind: .rayService, maximum: 47, why: "its cluster adds a 6-character suffix"),
        dns1035(id: "V06", kind: .rayService),
        initializingTimeout,
        length(id: "V08", kind: .rayCronJob, maximum: 36, why: "its RayJobs add an 11-character suffix"),
    ]
}
