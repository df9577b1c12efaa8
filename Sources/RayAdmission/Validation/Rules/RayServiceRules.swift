/// RayService spec rules (rule book §1.E, V121–V132).
enum RayServiceRules {
    static func rule(
        _ id: RuleID, _ summary: String, _ check: @escaping @Sendable (ValidationContext, JSONObject) -> [FieldError]
    )
        -> ValidationRule
    {
        ValidationRule(id: id, summary: summary, kinds: [.rayService]) { context in
            guard let spec = context.object["spec"]?.objectValue else { return [] }
            return check(context, spec)
        }
    }

    static let spec = FieldPath("spec")
    static let upgradeTypes = ["NewClusterWithIncrementalUpgrade", "NewCluster", "None"]

    /// The upgrade types the release accepts: the incremental upgrade only from KubeRay 1.5.
    static func upgradeTypes(_ release: KubeRayRelease) -> [String] {
        release >= .v1_5 ? upgradeTypes : ["NewCluster", "None"]
    }

    /// V126–V132 apply only with the gate on and the incremental upgrade chosen.
    static func isIncremental(_ context: ValidationContext, _ spec: JSONObject) -> Bool {
        context.featureGates.isEnabled("RayServiceIncrementalUpgrade")
            && spec["upgradeStrategy"]?["type"] == "NewClusterWithIncrementalUpgrade"
    }

    /// `clusterUpgradeOptions` of an incremental upgrade; nil when it does not apply or is missing (V127).
    static func incremental(_ context: ValidationContext, _ spec: JSONObject) -> JSONObject? {
        guard isIncremental(context, spec) else { return nil }
        return spec["upgradeStrategy"]?["clusterUpgradeOptions"]?.objectValue
    }

    static let options = FieldPath("spec", "upgradeStrategy", "clusterUpgradeOptions")

    static let all: [ValidationRule] = [
        rule("V121", "K8s token auth is not supported for RayService") { _, spec in
            guard spec["rayClusterConfig"]?["authOptions"]?["enableK8sTokenAuth"] == .bool(true) else { return [] }
            return [
                .forbidden(
                    FieldPath("spec", "rayClusterConfig", "authOptions", "enableK8sTokenAuth"),
                    "K8s token auth mode is currently not supported for RayService")
            ]
        },
        rule("V123", "rayClusterConfig head service name is not set") { _, spec in
            guard
                let name = spec["rayClusterConfig"]?["headGroupSpec"]?["headService"]?["metadata"]?["name"]?
                    .stringValue, !name.isEmpty
            else { return [] }
            return [
                .forbidden(
                    FieldPath("spec", "rayClusterConfig", "headGroupSpec", "headService", "metadata", "name"),
                    "spec.rayClusterConfig.headGroupSpec.headService.metadata.name should not be set")
            ]
        },
        rule("V124", "upgradeStrategy.type is NewClusterWithIncrementalUpgrade, NewCluster or None") { context, spec in
            let allowed = upgradeTypes(context.release)
            guard let type = spec["upgradeStrategy"]?["type"]?.stringValue, !allowed.contains(type) else {
                return []
            }
            return [.notSupported(FieldPath("spec", "upgradeStrategy", "type"), .string(type), supported: allowed)]
        },
        rule("V125", "rayClusterDeletionDelaySeconds is not negative") { _, spec in
            guard let value = spec["rayClusterDeletionDelaySeconds"]?.numberValue?.int64Value, value < 0 else {
                return []
            }
            return [
                .invalid(
                    FieldPath("spec", "rayClusterDeletionDelaySeconds"), spec["rayClusterDeletionDelaySeconds"],
                    "should be a non-negative integer")
            ]
        },
        rule("V126", "Incremental upgrade needs in-tree autoscaling") { context, spec in
            guard isIncremental(context, spec), spec["rayClusterConfig"]?["enableInTreeAutoscaling"] != .bool(true)
            else { return [] }
            return [
                .required(
                    FieldPath("spec", "rayClusterConfig", "enableInTreeAutoscaling"),
                    "Ray Autoscaler is required for NewClusterWithIncrementalUpgrade")
            ]
        },
        rule("V127", "Incremental upgrade needs clusterUpgradeOptions") { context, spec in
            guard isIncremental(context, spec), incremental(context, spec) == nil
            else { return [] }
            return [.required(options, "ClusterUpgradeOptions are required for NewClusterWithIncrementalUpgrade")]
        },
        rule("V128", "maxSurgePercent is 0–100") { context, spec in
            guard let upgrade = incremental(context, spec),
                let value = upgrade["maxSurgePercent"]?.numberValue?.int64Value,
                !(0...100).contains(value)
            else { return [] }
            return [
                .invalid(
                    options.child("maxSurgePercent"), upgrade["maxSurgePercent"],
                    "maxSurgePercent must be between 0 and 100")
            ]
        },
        rule("V129", "stepSizePercent is set and 0–100") { context, spec in
            guard let upgrade = incremental(context, spec) else { return [] }
            let value = upgrade["stepSizePercent"]?.numberValue?.int64Value
            guard value.map({ !(0...100).contains($0) }) ?? true else { return [] }
            return [
                .invalid(
                    options.child("stepSizePercent"), upgrade["stepSizePercent"],
                    "stepSizePercent must be between 0 and 100")
            ]
        },
        rule("V130", "stepSizePercent is at most maxSurgePercent") { context, spec in
            guard let upgrade = incremental(context, spec),
                let step = upgrade["stepSizePercent"]?.numberValue?.int64Value
            else { return [] }
            let surge = upgrade["maxSurgePercent"]?.numberValue?.int64Value ?? 100
            guard step > surge else { return [] }
            return [
                .invalid(
                    options.child("stepSizePercent"), upgrade["stepSizePercent"],
                    "stepSizePercent must be less than or equal to maxSurgePercent")
            ]
        },
        rule("V131", "intervalSeconds is positive") { context, spec in
            guard let upgrade = incremental(context, spec) else { return [] }
            guard (upgrade["intervalSeconds"]?.numberValue?.int64Value ?? 0) <= 0 else { return [] }
            return [
                .invalid(
                    options.child("intervalSeconds"), upgrade["intervalSeconds"],
                    "intervalSeconds must be greater than 0")
            ]
        },
        rule("V132", "gatewayClassName is set") { context, spec in
            guard let upgrade = incremental(context, spec),
                (upgrade["gatewayClassName"]?.stringValue ?? "").isEmpty
            else { return [] }
            return [
                .required(
                    options.child("gatewayClassName"),
                    "gatewayClassName is required for NewClusterWithIncrementalUpgrade")
            ]
        },
    ]
}

/// RayCluster-only rules (rule book §1.C).
enum RayClusterRules {
    static let all: [ValidationRule] = [
        ValidationRule(id: "V82", summary: "upgradeStrategy.type is Recreate or None", kinds: [.rayCluster]) {
            context in
            guard let type = context.object["spec"]?["upgradeStrategy"]?["type"]?.stringValue,
                !["Recreate", "None"].contains(type)
            else { return [] }
            return [
                .notSupported(
                    FieldPath("spec", "upgradeStrategy", "type"), .string(type), supported: ["Recreate", "None"])
            ]
        },
        // V83: a RayJob/RayService passes its embedded spec to the cluster it creates, which KubeRay
        // then rejects; checked on the parent, and on the child cluster itself (its label names the
        // parent), which KubeRay's RayCluster controller would leave unreconciled.
        ValidationRule(
            id: "V83",
            summary: "No upgradeStrategy in a RayJob/RayService cluster spec or the cluster it creates (R12)",
            kinds: [.rayCluster, .rayJob, .rayService]
        ) { context in
            let creator: String
            if context.kind == .rayCluster {
                guard
                    let label = context.object["metadata"]?["labels"]?[RayConstants.Label.originatedFromCRD]?
                        .stringValue, ["RayJob", "RayService"].contains(label)
                else { return [] }
                creator = label
            } else {
                creator = context.kind.rawValue
            }
            guard context.clusterSpec?["upgradeStrategy"]?["type"]?.stringValue != nil else { return [] }
            return [
                .forbidden(
                    context.cluster.fieldPath.child("upgradeStrategy", "type"),
                    "upgradeStrategy cannot be set when RayCluster is created by \(creator)")
            ]
        },
    ]
}
