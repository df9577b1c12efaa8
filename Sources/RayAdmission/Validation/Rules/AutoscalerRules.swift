/// Autoscaler rules (rule book §1.B, V45–V51).
enum AutoscalerRules {
    static func enabled(_ context: ValidationContext) -> Bool {
        context.clusterSpec?["enableInTreeAutoscaling"] == .bool(true)
    }

    static func headEnv(_ context: ValidationContext, _ name: String) -> (index: Int, value: String)? {
        let env = context.object[context.cluster.headGroup.rayContainerEnv]?.arrayValue ?? []
        guard let index = env.firstIndex(where: { $0["name"]?.stringValue == name }) else { return nil }
        return (index, env[index]["value"]?.stringValue ?? "")
    }

    static func headEnvField(_ context: ValidationContext, _ index: Int) -> FieldPath {
        context.cluster.headGroup.rayContainerFieldPath.child("env").index(index)
    }

    static func version(_ context: ValidationContext) -> String? {
        context.clusterSpec?["autoscalerOptions"]?["version"]?.stringValue
    }

    /// Worker groups whose pods set a `restartPolicy` other than `Never` (or empty), at that field.
    static func workersRestartingInPlace(
        _ context: ValidationContext, _ message: (GroupLocation) -> String
    ) -> [FieldError] {
        context.workerGroups.compactMap { group in
            guard let policy = group.value["template"]?["spec"]?["restartPolicy"]?.stringValue,
                !["", "Never"].contains(policy)
            else { return nil }
            return .invalid(
                group.location.podSpecFieldPath.child("restartPolicy"), .string(policy), message(group.location))
        }
    }

    static let rules: [ValidationRule] = [
        ValidationRule(id: "V45", summary: "RAY_enable_autoscaler_v2 on the head needs enableInTreeAutoscaling") {
            context in
            guard !enabled(context), let env = headEnv(context, "RAY_enable_autoscaler_v2"),
                ["1", "true"].contains(env.value)
            else { return [] }
            return [
                .forbidden(
                    headEnvField(context, env.index),
                    "environment variable RAY_enable_autoscaler_v2 cannot be set to '\(env.value)' when enableInTreeAutoscaling is false"
                )
            ]
        },
        ValidationRule(id: "V46", summary: "No suspended worker group with autoscaling") { context in
            guard enabled(context) else { return [] }
            return context.groups.filter { !$0.location.isHead && $0.value["suspend"] == .bool(true) }.map {
                .forbidden(
                    $0.location.fieldPath.child("suspend"),
                    "worker group \(context.groupLabel($0.location)) cannot be suspended with Autoscaler enabled")
            }
        },
        ValidationRule(id: "V47", summary: "Not both autoscalerOptions.version and head env RAY_enable_autoscaler_v2") {
            context in
            guard enabled(context), version(context) != nil, let env = headEnv(context, "RAY_enable_autoscaler_v2")
            else { return [] }
            return [
                .forbidden(
                    headEnvField(context, env.index),
                    "both .spec.autoscalerOptions.version and head Pod env var RAY_enable_autoscaler_v2 are set, please only use the former"
                )
            ]
        },
        ValidationRule(id: "V48", summary: "Autoscaler v2: head restartPolicy is Never or unset") { context in
            guard enabled(context), version(context) == "v2",
                let policy = context.object[context.cluster.headGroup.podSpec.appending("restartPolicy")]?.stringValue,
                !["", "Never"].contains(policy)
            else { return [] }
            return [
                .invalid(
                    context.cluster.headGroup.fieldPath.child("template", "spec", "restartPolicy"), .string(policy),
                    "restartPolicy for head Pod should be Never or unset when using autoscaler V2")
            ]
        },
        ValidationRule(id: "V49", summary: "Autoscaler v2: worker restartPolicy is Never or unset") { context in
            guard enabled(context), version(context) == "v2" else { return [] }
            return workersRestartingInPlace(context) { group in
                "restartPolicy for worker group \(context.groupLabel(group)) should be Never or unset when using autoscaler V2"
            }
        },
        // W01: KubeRay's RayCluster controller only records a warning event for this.
        ValidationRule(
            id: "W01", summary: "Autoscaler v1: worker restartPolicy is Never or unset (KubeRay warns)", mode: .warn
        ) { context in
            guard enabled(context), version(context) == "v1" else { return [] }
            return workersRestartingInPlace(context) { _ in
                "worker restartPolicy should be Never or unset with autoscaler v1"
            }
        },
        ValidationRule(id: "V50", summary: "autoscalerOptions.idleTimeoutSeconds is not negative") { context in
            guard let value = context.clusterSpec?["autoscalerOptions"]?["idleTimeoutSeconds"],
                let seconds = value.numberValue?.int64Value,
                seconds < 0
            else { return [] }
            return [
                .invalid(
                    context.cluster.fieldPath.child("autoscalerOptions", "idleTimeoutSeconds"), value,
                    "must be non-negative")
            ]
        },
        ValidationRule(id: "V51", summary: "autoscalerOptions.env has no KUBERAY_GEN_AUTOSCALER_START_CMD") { context in
            let env = context.clusterSpec?["autoscalerOptions"]?["env"]?.arrayValue ?? []
            return env.enumerated().compactMap { index, entry in
                guard entry["name"] == "KUBERAY_GEN_AUTOSCALER_START_CMD" else { return nil }
                return .forbidden(
                    context.cluster.fieldPath.child("autoscalerOptions", "env").index(index),
                    "autoscalerOptions.env must not contain KUBERAY_GEN_AUTOSCALER_START_CMD: it is managed by KubeRay")
            }
        },
    ]
}
