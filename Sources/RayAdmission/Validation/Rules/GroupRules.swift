/// The shared cluster-spec rules about groups (rule book §1.B, V09–V22), on every parent kind.
/// V14 (min/maxReplicas unset without autoscaling) is not here: the CRD defaults both fields
/// before any webhook sees the object, so KubeRay's decision through the API server is always to
/// admit, and `check` applies the same CRD defaults first.
enum GroupRules {
    static let resourceParams = ["num-cpus", "num-gpus", "memory", "resources"]

    static func containers(_ context: ValidationContext, head: Bool) -> [FieldError] {
        context.groups.filter { $0.location.isHead == head }.compactMap { group in
            let containers = group.value["template"]?["spec"]?["containers"]
            guard (containers?.arrayValue ?? []).isEmpty else { return nil }
            let what = head ? "headGroupSpec" : "workerGroupSpec"
            return .required(
                group.location.fieldPath.child("template", "spec", "containers"),
                "\(what) should have at least one container")
        }
    }

    static func resourcesInBoth(_ context: ValidationContext, head: Bool) -> [FieldError] {
        context.groups.filter { $0.location.isHead == head }.compactMap { group in
            guard let resources = group.value["resources"]?.objectValue, !resources.isEmpty,
                let params = group.value["rayStartParams"]?.objectValue,
                resourceParams.contains(where: { !(params[$0]?.stringValue ?? "").isEmpty })
            else { return nil }
            return .forbidden(
                group.location.fieldPath.child("resources"),
                "resource fields should not be set in both rayStartParams and Resources for \(context.groupLabel(group.location)) group; please use only one"
            )
        }
    }

    static func labelsParam(_ context: ValidationContext, head: Bool) -> [FieldError] {
        context.groups.filter { $0.location.isHead == head }.compactMap { group in
            guard group.value["rayStartParams"]?["labels"] != nil else { return nil }
            return .forbidden(
                group.location.fieldPath.child("rayStartParams").key("labels"),
                "rayStartParams['labels'] is not supported for \(context.groupLabel(group.location)) group; please use the top-level Labels field instead"
            )
        }
    }

    static func labelSyntax(_ context: ValidationContext, head: Bool) -> [FieldError] {
        var errors: [FieldError] = []
        for group in context.groups where group.location.isHead == head {
            guard let labels = group.value["labels"]?.objectValue else { continue }
            let field = group.location.fieldPath.child("labels")
            for member in labels {
                let keyProblems = KubernetesNames.labelKeyProblems(member.key)
                if !keyProblems.isEmpty {
                    errors.append(
                        .invalid(
                            field, .string(member.key), "invalid label key: " + keyProblems.joined(separator: "; ")))
                }
                if let value = member.value.stringValue {
                    let valueProblems = KubernetesNames.labelValueProblems(value)
                    if !valueProblems.isEmpty {
                        errors.append(
                            .invalid(
                                field.key(member.key), member.value,
                                "invalid label value: " + valueProblems.joined(separator: "; ")))
                    }
                }
            }
        }
        return errors
    }

    static func integer(_ value: JSONValue?) -> Int64? {
        value?.numberValue?.int64Value
    }

    /// Autoscaler v2: `autoscalerOptions.version: v2`, or head env `RAY_enable_autoscaler_v2` of "1"/"true".
    static func autoscalerV2(_ context: ValidationContext) -> Bool {
        if context.clusterSpec?["autoscalerOptions"]?["version"] == "v2" { return true }
        let env = context.object[context.cluster.headGroup.rayContainerEnv]?.arrayValue ?? []
        return env.contains {
            $0["name"] == "RAY_enable_autoscaler_v2" && ["1", "true"].contains($0["value"]?.stringValue ?? "")
        }
    }

    /// A worker group integer field that must not be negative.
    static func nonNegative(_ id: RuleID, _ field: String) -> ValidationRule {
        ValidationRule(id: id, summary: "Worker \(field) is not negative") { context in
            context.workerGroups.compactMap { group in
                guard let value = integer(group.value[field]), value < 0 else { return nil }
                return .invalid(
                    group.location.fieldPath.child(field), group.value[field], "must be greater than or equal to 0")
            }
        }
    }

    static let rules: [ValidationRule] = [
        ValidationRule(id: "V09", summary: "Head group has at least one container") { containers($0, head: true) },
        ValidationRule(id: "V10", summary: "Head resources not both in rayStartParams and the resources map") {
            resourcesInBoth($0, head: true)
        },
        ValidationRule(id: "V11", summary: "Head rayStartParams has no labels (use the group labels field)") {
            labelsParam($0, head: true)
        },
        ValidationRule(id: "V12", summary: "Head group labels are valid Kubernetes label keys and values") {
            labelSyntax($0, head: true)
        },
        ValidationRule(id: "V13", summary: "Every worker group has at least one container") {
            containers($0, head: false)
        },
        nonNegative("V15", "minReplicas"),
        nonNegative("V16", "maxReplicas"),
        ValidationRule(id: "V17", summary: "Worker minReplicas is at most maxReplicas") { context in
            context.workerGroups.compactMap { group in
                guard let minimum = integer(group.value["minReplicas"]),
                    let maximum = integer(group.value["maxReplicas"]),
                    minimum > maximum
                else { return nil }
                return .invalid(
                    group.location.fieldPath.child("minReplicas"), group.value["minReplicas"],
                    "must be less than or equal to maxReplicas (\(maximum))")
            }
        },
        ValidationRule(id: "V18", summary: "Worker resources not both in rayStartParams and the resources map") {
            resourcesInBoth($0, head: false)
        },
        ValidationRule(id: "V19", summary: "Worker rayStartParams has no labels (use the group labels field)") {
            labelsParam($0, head: false)
        },
        ValidationRule(id: "V20", summary: "Worker group labels are valid Kubernetes label keys and values") {
            labelSyntax($0, head: false)
        },
        nonNegative("V21", "idleTimeoutSeconds"),
        ValidationRule(id: "V22", summary: "Worker idleTimeoutSeconds needs autoscaler v2") { context in
            guard !autoscalerV2(context) else { return [] }
            return context.workerGroups.compactMap { group in
                guard let value = integer(group.value["idleTimeoutSeconds"]), value >= 0 else { return nil }
                return .forbidden(
                    group.location.fieldPath.child("idleTimeoutSeconds"),
                    "idleTimeoutSeconds is set, but autoscaler v2 is not enabled: set autoscalerOptions.version to v2")
            }
        },
    ]
}
