/// RayJob spec rules (rule book §1.D, V85–V119). They run on a RayJob's `spec` and, as KubeRay's
/// V138 does, on a RayCronJob's `spec.jobTemplate`.
enum RayJobRules {
    /// Where the job spec is: `spec` (RayJob) or `spec.jobTemplate` (RayCronJob).
    static func jobSpec(_ context: ValidationContext) -> (pointer: JSONPointer, field: FieldPath, value: JSONObject)? {
        let pointer: JSONPointer = context.kind == .rayCronJob ? ["spec", "jobTemplate"] : ["spec"]
        guard let value = context.object[pointer]?.objectValue else { return nil }
        return (pointer, GroupLocation.fieldPath(of: pointer), value)
    }

    static func rule(
        _ id: RuleID, _ summary: String,
        _ check: @escaping @Sendable (ValidationContext, JSONObject, FieldPath) -> [FieldError]
    )
        -> ValidationRule
    {
        ValidationRule(id: id, summary: summary, kinds: [.rayJob, .rayCronJob]) { context in
            guard let spec = jobSpec(context) else { return [] }
            return check(context, spec.value, spec.field)
        }
    }

    static func bool(_ spec: JSONObject, _ key: String) -> Bool { spec[key] == .bool(true) }
    static func int(_ spec: JSONObject, _ key: String) -> Int64? { spec[key]?.numberValue?.int64Value }
    static func selectorMode(_ spec: JSONObject) -> Bool { !(spec["clusterSelector"]?.objectValue?.isEmpty ?? true) }
    static func mode(_ spec: JSONObject) -> String { spec["submissionMode"]?.stringValue ?? "K8sJobMode" }
    static func autoscaling(_ spec: JSONObject) -> Bool {
        spec["rayClusterSpec"]?["enableInTreeAutoscaling"] == .bool(true)
    }

    static func deletion(_ spec: JSONObject) -> JSONObject? { spec["deletionStrategy"]?.objectValue }
    /// A deletion condition's `jobDeploymentStatus`: a field from KubeRay 1.6 on (earlier CRDs drop it).
    static func deploymentStatus(_ condition: JSONValue?, _ context: ValidationContext) -> String? {
        context.crdRelease >= .v1_6 ? condition?["jobDeploymentStatus"]?.stringValue : nil
    }
    static func rules(_ spec: JSONObject) -> [JSONValue] { deletion(spec)?["deletionRules"]?.arrayValue ?? [] }
    static func legacy(_ spec: JSONObject) -> Bool {
        guard let deletion = deletion(spec) else { return false }
        return !(deletion["onSuccess"]?.isNull ?? true) || !(deletion["onFailure"]?.isNull ?? true)
    }
    static func legacyPolicy(_ spec: JSONObject, _ which: String) -> String? {
        deletion(spec)?[which]?["policy"]?.stringValue
    }

    static let all: [ValidationRule] = [
        rule("V85", "A suspended RayJob has shutdownAfterJobFinishes") { _, spec, field in
            guard bool(spec, "suspend"), !bool(spec, "shutdownAfterJobFinishes") else { return [] }
            return [
                .forbidden(
                    field.child("suspend"),
                    "a RayJob with shutdownAfterJobFinishes set to false is not allowed to be suspended")
            ]
        },
        rule("V86", "ttlSecondsAfterFinished is not negative") { _, spec, field in
            guard let ttl = int(spec, "ttlSecondsAfterFinished"), ttl < 0 else { return [] }
            return [
                .invalid(
                    field.child("ttlSecondsAfterFinished"), spec["ttlSecondsAfterFinished"],
                    "TTLSecondsAfterFinished must be a non-negative integer")
            ]
        },
        rule("V87", "ttlSecondsAfterFinished > 0 needs shutdownAfterJobFinishes") { _, spec, field in
            guard !bool(spec, "shutdownAfterJobFinishes"), let ttl = int(spec, "ttlSecondsAfterFinished"), ttl > 0
            else { return [] }
            return [
                .forbidden(
                    field.child("ttlSecondsAfterFinished"),
                    "a RayJob with shutdownAfterJobFinishes set to false cannot have TTLSecondsAfterFinished")
            ]
        },
        rule("V88", "deletionStrategy needs the RayJobDeletionPolicy gate") { context, spec, field in
            guard deletion(spec) != nil else { return [] }
            return FeatureGateRules.gate(
                context, "RayJobDeletionPolicy", at: field.child("deletionStrategy"), what: "deletionStrategy")
        },
        rule("V89", "deletionRules and shutdownAfterJobFinishes are mutually exclusive") { _, spec, field in
            guard !rules(spec).isEmpty, bool(spec, "shutdownAfterJobFinishes") else { return [] }
            return [
                .forbidden(
                    field.child("deletionStrategy", "deletionRules"),
                    "spec.shutdownAfterJobFinishes and spec.deletionStrategy.deletionRules are mutually exclusive")
            ]
        },
        rule("V90", "Not both legacy onSuccess/onFailure and deletionRules") { _, spec, field in
            guard !rules(spec).isEmpty, legacy(spec) else { return [] }
            return [
                .forbidden(
                    field.child("deletionStrategy"),
                    "Cannot use both legacy onSuccess/onFailure fields and deletionRules simultaneously")
            ]
        },
        rule("V91", "deletionStrategy sets onSuccess and onFailure, or deletionRules") { _, spec, field in
            guard deletion(spec) != nil, !legacy(spec), rules(spec).isEmpty else { return [] }
            return [
                .required(
                    field.child("deletionStrategy"),
                    "DeletionStrategy requires either BOTH onSuccess and onFailure, OR the deletionRules field (cannot be empty)"
                )
            ]
        },
        rule("V92", "Legacy deletion sets both onSuccess and onFailure") { _, spec, field in
            guard legacy(spec), rules(spec).isEmpty else { return [] }
            return ["onSuccess", "onFailure"].compactMap { key in
                (deletion(spec)?[key]?.isNull ?? true)
                    ? .required(
                        field.child("deletionStrategy", key),
                        "both DeletionStrategy.OnSuccess and DeletionStrategy.OnFailure must be set when using the legacy deletion policy fields"
                    )
                    : nil
            }
        },
        rule("V93", "Legacy onSuccess.policy is set") { _, spec, field in
            guard legacy(spec), rules(spec).isEmpty, let onSuccess = deletion(spec)?["onSuccess"], !onSuccess.isNull,
                onSuccess["policy"]?.stringValue == nil
            else { return [] }
            return [
                .required(
                    field.child("deletionStrategy", "onSuccess", "policy"),
                    "the DeletionPolicyType field of DeletionStrategy.OnSuccess cannot be unset")
            ]
        },
        rule("V94", "Legacy onFailure.policy is set") { _, spec, field in
            guard legacy(spec), rules(spec).isEmpty, let onFailure = deletion(spec)?["onFailure"], !onFailure.isNull,
                onFailure["policy"]?.stringValue == nil
            else { return [] }
            return [
                .required(
                    field.child("deletionStrategy", "onFailure", "policy"),
                    "the DeletionPolicyType field of DeletionStrategy.OnFailure cannot be unset")
            ]
        },
        rule("V95", "clusterSelector mode: onSuccess cannot delete the cluster or workers") { _, spec, field in
            guard selectorMode(spec), let policy = legacyPolicy(spec, "onSuccess"),
                ["DeleteCluster", "DeleteWorkers"].contains(policy)
            else { return [] }
            return [
                .forbidden(
                    field.child("deletionStrategy", "onSuccess", "policy"),
                    "the ClusterSelector mode doesn't support DeletionStrategy=\(policy) on success")
            ]
        },
        rule("V96", "clusterSelector mode: onFailure cannot delete the cluster or workers") { _, spec, field in
            guard selectorMode(spec), let policy = legacyPolicy(spec, "onFailure"),
                ["DeleteCluster", "DeleteWorkers"].contains(policy)
            else { return [] }
            return [
                .forbidden(
                    field.child("deletionStrategy", "onFailure", "policy"),
                    "the ClusterSelector mode doesn't support DeletionStrategy=\(policy) on failure")
            ]
        },
        rule("V97", "DeleteWorkers is not supported with autoscaling") { _, spec, field in
            guard autoscaling(spec) else { return [] }
            return ["onSuccess", "onFailure"].compactMap { key in
                legacyPolicy(spec, key) == "DeleteWorkers"
                    ? .forbidden(
                        field.child("deletionStrategy", key, "policy"),
                        "DeletionStrategy=DeleteWorkers currently does not support RayCluster with autoscaling enabled")
                    : nil
            }
        },
        rule("V98", "shutdownAfterJobFinishes with a DeleteNone policy") { _, spec, field in
            guard bool(spec, "shutdownAfterJobFinishes") else { return [] }
            return ["onSuccess", "onFailure"].compactMap { key in
                legacyPolicy(spec, key) == "DeleteNone"
                    ? .forbidden(
                        field.child("deletionStrategy", key, "policy"),
                        "shutdownAfterJobFinshes is set to 'true' while deletion policy is 'DeleteNone'")
                    : nil
            }
        },
        rule("V99", "Each deletion rule has exactly one of jobStatus and jobDeploymentStatus") { _, spec, field in
            rules(spec).enumerated().compactMap { index, rule in
                let condition = rule["condition"]
                let status = !(condition?["jobStatus"]?.isNull ?? true)
                let deployment = !(condition?["jobDeploymentStatus"]?.isNull ?? true)
                guard status == deployment else { return nil }
                return .invalid(
                    field.child("deletionStrategy", "deletionRules").index(index).child("condition"), nil,
                    status
                        ? "cannot set both JobStatus and JobDeploymentStatus at the same time"
                        : "exactly one of JobStatus and JobDeploymentStatus must be set")
            }
        },
        rule("V100", "Deletion rule ttlSeconds is not negative") { _, spec, field in
            rules(spec).enumerated().compactMap { index, rule in
                guard let ttl = rule["condition"]?["ttlSeconds"]?.numberValue?.int64Value, ttl < 0 else { return nil }
                return .invalid(
                    field.child("deletionStrategy", "deletionRules").index(index).child("condition", "ttlSeconds"),
                    rule["condition"]?["ttlSeconds"], "TTLSeconds must be non-negative")
            }
        },
        rule("V101", "clusterSelector mode: deletion rules cannot delete the cluster or workers") { _, spec, field in
            guard selectorMode(spec) else { return [] }
            return rules(spec).enumerated().compactMap { index, rule in
                guard let policy = rule["policy"]?.stringValue, ["DeleteCluster", "DeleteWorkers"].contains(policy)
                else { return nil }
                return .forbidden(
                    field.child("deletionStrategy", "deletionRules").index(index).child("policy"),
                    "DeletionPolicyType '\(policy)' not supported when ClusterSelector is set")
            }
        },
        rule("V102", "Deletion rules: DeleteWorkers is not supported with autoscaling") { _, spec, field in
            guard autoscaling(spec) else { return [] }
            return rules(spec).enumerated().compactMap { index, rule in
                guard rule["policy"] == "DeleteWorkers" else { return nil }
                return .forbidden(
                    field.child("deletionStrategy", "deletionRules").index(index).child("policy"),
                    "DeletionPolicyType 'DeleteWorkers' not supported with autoscaling enabled")
            }
        },
        rule("V103", "Deletion rules are unique per (status, policy)") { context, spec, field in
            var seen = Set<String>()
            return rules(spec).enumerated().compactMap { index, rule in
                let condition = rule["condition"]
                let status =
                    condition?["jobStatus"]?.stringValue.map { "JobStatus '\($0)'" }
                    ?? deploymentStatus(condition, context).map { "JobDeploymentStatus '\($0)'" } ?? ""
                let policy = rule["policy"]?.stringValue ?? ""
                if seen.insert(status + "|" + policy).inserted { return nil }
                return .duplicate(field.child("deletionStrategy", "deletionRules").index(index), nil)
                    .withDetail("duplicate rule for DeletionPolicyType '\(policy)' and \(status)")
            }
        },
        rule("V104", "Deletion rule TTLs do not decrease from DeleteWorkers to DeleteCluster to DeleteSelf") {
            context, spec, field in
            let order = ["DeleteWorkers", "DeleteCluster", "DeleteSelf"]
            var byStatus: [String: [(policy: String, ttl: Int64, index: Int)]] = [:]
            for (index, rule) in rules(spec).enumerated() {
                guard let policy = rule["policy"]?.stringValue, order.contains(policy) else { continue }
                let condition = rule["condition"]
                guard
                    let status = condition?["jobStatus"]?.stringValue.map({ "JobStatus '\($0)'" })
                        ?? deploymentStatus(condition, context).map({ "JobDeploymentStatus '\($0)'" })
                else { continue }
                byStatus[status, default: []].append(
                    (policy, condition?["ttlSeconds"]?.numberValue?.int64Value ?? 0, index))
            }
            var errors: [FieldError] = []
            for (status, entries) in byStatus.sorted(by: { $0.key < $1.key }) {
                let sorted = entries.sorted {
                    (order.firstIndex(of: $0.policy) ?? 0) < (order.firstIndex(of: $1.policy) ?? 0)
                }
                for (previous, current) in zip(sorted, sorted.dropFirst()) where current.ttl < previous.ttl {
                    errors.append(
                        .invalid(
                            field.child("deletionStrategy", "deletionRules").index(current.index).child(
                                "condition", "ttlSeconds"),
                            .number(JSONNumber(current.ttl)),
                            "for \(status): \(current.policy) TTL (\(current.ttl)) must be >= \(previous.policy) TTL (\(previous.ttl))"
                        ))
                }
            }
            return errors
        },
        rule("V105", "clusterSelector mode cannot be suspended") { _, spec, field in
            guard selectorMode(spec), bool(spec, "suspend") else { return [] }
            return [
                .forbidden(field.child("suspend"), "the ClusterSelector mode doesn't support the suspend operation")
            ]
        },
        rule("V106", "rayClusterSpec or clusterSelector is set") { _, spec, field in
            guard spec["rayClusterSpec"]?.isNull ?? true, !selectorMode(spec) else { return [] }
            return [.required(field.child("rayClusterSpec"), "one of RayClusterSpec or ClusterSelector must be set")]
        },
        rule("V107", "clusterSelector names the cluster (ray.io/cluster)") { _, spec, field in
            guard selectorMode(spec), (spec["clusterSelector"]?["ray.io/cluster"]?.stringValue ?? "").isEmpty else {
                return []
            }
            return [
                .required(
                    field.child("clusterSelector").key("ray.io/cluster"),
                    "cluster name in ClusterSelector should not be empty")
            ]
        },
        rule("V108", "clusterSelector is not supported in SidecarMode") { _, spec, field in
            guard selectorMode(spec), mode(spec) == "SidecarMode" else { return [] }
            return [.forbidden(field.child("clusterSelector"), "ClusterSelector is not supported in SidecarMode")]
        },
        rule("V109", "backoffLimit is incompatible with clusterSelector") { _, spec, field in
            guard selectorMode(spec), let limit = int(spec, "backoffLimit"), limit > 0 else { return [] }
            return [.forbidden(field.child("backoffLimit"), "BackoffLimit is incompatible with ClusterSelector mode")]
        },
        rule("V110", "backoffLimit is incompatible with InteractiveMode") { _, spec, field in
            guard mode(spec) == "InteractiveMode", let limit = int(spec, "backoffLimit"), limit > 0 else { return [] }
            return [.forbidden(field.child("backoffLimit"), "BackoffLimit is incompatible with InteractiveMode")]
        },
        rule("V111", "SidecarMode does not support submitterPodTemplate") { _, spec, field in
            guard mode(spec) == "SidecarMode", !(spec["submitterPodTemplate"]?.isNull ?? true) else { return [] }
            return [
                .forbidden(
                    field.child("submitterPodTemplate"), "Currently, SidecarMode doesn't support SubmitterPodTemplate")
            ]
        },
        rule("V112", "SidecarMode does not support submitterConfig") { _, spec, field in
            guard mode(spec) == "SidecarMode", !(spec["submitterConfig"]?.isNull ?? true) else { return [] }
            return [
                .forbidden(field.child("submitterConfig"), "Currently, SidecarMode doesn't support SubmitterConfig")
            ]
        },
        rule("V113", "SidecarMode: head restartPolicy is Never or unset") { _, spec, field in
            guard mode(spec) == "SidecarMode",
                let policy = spec["rayClusterSpec"]?["headGroupSpec"]?["template"]?["spec"]?["restartPolicy"]?
                    .stringValue,
                !["", "Never"].contains(policy)
            else { return [] }
            return [
                .invalid(
                    field.child("rayClusterSpec", "headGroupSpec", "template", "spec", "restartPolicy"),
                    .string(policy),
                    "restartPolicy for head Pod should be Never or unset when using SidecarMode")
            ]
        },
        rule("V114", "K8s token auth is not supported for RayJob") { _, spec, field in
            guard spec["rayClusterSpec"]?["authOptions"]?["enableK8sTokenAuth"] == .bool(true) else { return [] }
            return [
                .forbidden(
                    field.child("rayClusterSpec", "authOptions", "enableK8sTokenAuth"),
                    "K8s token auth mode is currently not supported for RayJob")
            ]
        },
        rule("V116", "runtimeEnvYAML is a YAML mapping") { _, spec, field in
            guard let text = spec["runtimeEnvYAML"]?.stringValue, !text.isEmpty else { return [] }
            do {
                let value = try YAMLDocumentReader().readSingle(text)
                guard case .object = value else {
                    return [
                        .invalid(field.child("runtimeEnvYAML"), nil, "must be a YAML mapping, got \(value.typeName)")
                    ]
                }
                return []
            } catch {
                return [.invalid(field.child("runtimeEnvYAML"), nil, "failed to unmarshal RuntimeEnvYAML: \(error)")]
            }
        },
        rule("V117", "activeDeadlineSeconds is positive") { _, spec, field in
            guard let value = int(spec, "activeDeadlineSeconds"), value <= 0 else { return [] }
            return [
                .invalid(
                    field.child("activeDeadlineSeconds"), spec["activeDeadlineSeconds"],
                    "activeDeadlineSeconds must be a positive integer")
            ]
        },
        rule("V118", "preRunningDeadlineSeconds is positive") { _, spec, field in
            guard let value = int(spec, "preRunningDeadlineSeconds"), value <= 0 else { return [] }
            return [
                .invalid(
                    field.child("preRunningDeadlineSeconds"), spec["preRunningDeadlineSeconds"],
                    "preRunningDeadlineSeconds must be a positive integer")
            ]
        },
        rule("V119", "backoffLimit is not negative") { _, spec, field in
            guard let value = int(spec, "backoffLimit"), value < 0 else { return [] }
            return [
                .invalid(
                    field.child("backoffLimit"), spec["backoffLimit"], "backoffLimit must be a non-negative integer")
            ]
        },
    ]
}

extension FieldError {
    func withDetail(_ detail: String) -> FieldError {
        var copy = self
        copy.detail = detail
        return copy
    }
}
