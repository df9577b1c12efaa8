/// Cluster-spec rules for priority (V23–V26), the history-server collector (V53–V59), token auth
/// (V60–V65), network policy (V67–V73) and mTLS (V75–V80), rule book §1.B.
enum ClusterFeatureRules {
    static func spec(_ context: ValidationContext) -> JSONObject? { context.clusterSpec?.objectValue }
    static func rayVersion(_ context: ValidationContext) -> String { spec(context)?["rayVersion"]?.stringValue ?? "" }

    /// V60–V62-style checks of `rayVersion` against a minimum; nil when fine.
    static func versionProblem(_ context: ValidationContext, minimum: RayVersion, feature: String) -> String? {
        let text = rayVersion(context)
        guard !text.isEmpty else {
            return "\(feature) but RayVersion was not specified. Ray version \(minimum) or later is required"
        }
        guard let version = RayVersion(text) else { return "\(feature) but RayVersion format is invalid: \(text)" }
        return version < minimum ? "\(feature) but minimum Ray version is \(minimum), got \(text)" : nil
    }

    // MARK: priority

    static let priorityRules: [ValidationRule] = [
        ValidationRule(id: "V23", summary: "Worker priority needs rayVersion >= 2.56.0 (V23-V25)") { context in
            context.cluster.workerGroups(in: context.object).compactMap { group in
                guard let priority = context.object[group.pointer.appending("priority")]?.numberValue?.int64Value,
                    priority != 0,
                    let problem = versionProblem(context, minimum: RayVersion(2, 56, 0), feature: "priority is set,")
                else { return nil }
                return .invalid(
                    group.fieldPath.child("priority"), .number(JSONNumber(priority)),
                    "worker group \(context.groupLabel(group)): \(problem)")
            }
        },
        ValidationRule(id: "V26", summary: "Worker priority needs autoscaler v2") { context in
            guard !GroupRules.autoscalerV2(context) else { return [] }
            return context.cluster.workerGroups(in: context.object).compactMap { group in
                guard let priority = context.object[group.pointer.appending("priority")]?.numberValue?.int64Value,
                    priority != 0
                else { return nil }
                return .forbidden(
                    group.fieldPath.child("priority"),
                    "worker group \(context.groupLabel(group)): priority is set to \(priority), but autoscaler v2 is not enabled"
                )
            }
        },
    ]

    // MARK: history server

    static func collector(_ context: ValidationContext) -> JSONObject?? {
        guard let options = spec(context)?["historyServerOptions"], !options.isNull else { return nil }
        return .some(options["collectorOptions"]?.objectValue)
    }

    static func collectorPath(_ context: ValidationContext) -> FieldPath {
        context.cluster.fieldPath.child("historyServerOptions", "collectorOptions")
    }
    static let managedCollectorEnv = [
        "POD_IP", "FQ_RAY_IP", "RAY_CLUSTER_NAME", "RAY_CLUSTER_NAMESPACE", "RAY_ROLE", "OWNER_KIND", "OWNER_NAME",
        "EVENTS_PORT",
    ]

    static func env(_ options: JSONObject) -> [JSONValue] { options["env"]?.arrayValue ?? [] }
    static func hasValue(_ env: [JSONValue], _ name: String) -> Bool {
        env.contains {
            $0["name"]?.stringValue == name
                && (!($0["value"]?.stringValue ?? "").isEmpty || !($0["valueFrom"]?.isNull ?? true))
        }
    }

    static let historyRules: [ValidationRule] = [
        ValidationRule(id: "V53", summary: "historyServerOptions sets collectorOptions") { context in
            guard case .some(.none) = collector(context) else { return [] }
            return [.required(collectorPath(context), "historyServerOptions.collectorOptions must be set")]
        },
        ValidationRule(id: "V54", summary: "collectorOptions sets image") { context in
            guard case .some(.some(let options)) = collector(context), (options["image"]?.stringValue ?? "").isEmpty
            else { return [] }
            return [
                .required(
                    collectorPath(context).child("image"), "historyServerOptions.collectorOptions.image must be set")
            ]
        },
        ValidationRule(id: "V55", summary: "collectorOptions.env has none of the variables KubeRay injects") {
            context in
            guard case .some(.some(let options)) = collector(context) else { return [] }
            return env(options).enumerated().compactMap { index, entry in
                guard let name = entry["name"]?.stringValue, managedCollectorEnv.contains(name) else { return nil }
                return .forbidden(
                    collectorPath(context).child("env").index(index),
                    "historyServerOptions.collectorOptions.env must not contain \(name): it is managed by KubeRay")
            }
        },
        ValidationRule(id: "V56", summary: "collectorOptions.env sets STORAGE_BACKEND literally") { context in
            guard case .some(.some(let options)) = collector(context) else { return [] }
            guard
                !env(options).contains(where: {
                    $0["name"] == "STORAGE_BACKEND" && !($0["value"]?.stringValue ?? "").isEmpty
                })
            else { return [] }
            return [
                .required(
                    collectorPath(context).child("env"),
                    "STORAGE_BACKEND environment variable must be set with a literal string value in historyServerOptions.collectorOptions.env"
                )
            ]
        },
        ValidationRule(id: "V57", summary: "The storage backend's own variables are set") { context in
            guard case .some(.some(let options)) = collector(context) else { return [] }
            let variables = env(options)
            let backend = (variables.first { $0["name"] == "STORAGE_BACKEND" }?["value"]?.stringValue ?? "")
                .uppercased()
            var needed: [String] = []
            switch backend {
            case "GCS": needed = ["GCS_BUCKET"]
            case "S3": needed = ["S3_REGION"]
            case "ALIYUNOSS": needed = ["OSS_BUCKET", "OSS_ENDPOINT", "OSS_REGION"]
            case "AZUREBLOB":
                let mode = (variables.first { $0["name"] == "AZURE_STORAGE_AUTH_MODE" }?["value"]?.stringValue ?? "")
                    .trimmingCharacters(in: .whitespaces).lowercased()
                switch mode {
                case "connection_string": needed = ["AZURE_STORAGE_CONNECTION_STRING"]
                case "workload_identity", "default": needed = ["AZURE_STORAGE_ACCOUNT_URL"]
                default:
                    if !hasValue(variables, "AZURE_STORAGE_CONNECTION_STRING")
                        && !hasValue(variables, "AZURE_STORAGE_ACCOUNT_URL")
                    {
                        return [
                            .required(
                                collectorPath(context).child("env"),
                                "AZURE_STORAGE_CONNECTION_STRING or AZURE_STORAGE_ACCOUNT_URL environment variable must be set when STORAGE_BACKEND is AZUREBLOB"
                            )
                        ]
                    }
                }
            default: break
            }
            guard let missing = needed.first(where: { !hasValue(variables, $0) }) else { return [] }
            return [
                .required(
                    collectorPath(context).child("env"),
                    "\(missing) environment variable must be set when STORAGE_BACKEND is \(backend)")
            ]
        },
        ValidationRule(
            id: "V58", summary: "With the collector on, no head container is named ray-history-collector (V58, V59)"
        ) { context in
            guard case .some(.some) = collector(context) else { return [] }
            return context.groups.flatMap { group -> [FieldError] in
                let containers = group.value["template"]?["spec"]?["containers"]?.arrayValue ?? []
                return containers.enumerated().compactMap { index, container in
                    guard container["name"] == "ray-history-collector" else { return nil }
                    return .forbidden(
                        group.location.fieldPath.child("template", "spec", "containers").index(index).child("name"),
                        "pod template must not define a container with name 'ray-history-collector' when history server collector options are enabled"
                    )
                }
            }
        },
    ]

    // MARK: auth

    static func auth(_ context: ValidationContext) -> JSONObject? { spec(context)?["authOptions"]?.objectValue }
    static func authPath(_ context: ValidationContext) -> FieldPath { context.cluster.fieldPath.child("authOptions") }

    static let authRules: [ValidationRule] = [
        ValidationRule(id: "V60", summary: "Token auth needs rayVersion >= 2.52.0 (V60-V62)") { context in
            guard auth(context)?["mode"] == "token",
                let problem = versionProblem(
                    context, minimum: RayVersion(2, 52, 0), feature: "authOptions.mode is 'token'")
            else { return [] }
            return [.invalid(context.cluster.fieldPath.child("rayVersion"), .string(rayVersion(context)), problem)]
        },
        ValidationRule(id: "V63", summary: "K8s token auth needs rayVersion >= 2.55.0") { context in
            guard auth(context)?["enableK8sTokenAuth"] == .bool(true), let version = RayVersion(rayVersion(context)),
                version < RayVersion(2, 55, 0)
            else { return [] }
            return [
                .invalid(
                    context.cluster.fieldPath.child("rayVersion"), .string(rayVersion(context)),
                    "authOptions.enableK8sTokenAuth is enabled but minimum Ray version is 2.55.0")
            ]
        },
        ValidationRule(id: "V64", summary: "K8s token auth and secretName exclude each other") { context in
            guard let options = auth(context), options["enableK8sTokenAuth"] == .bool(true),
                !(options["secretName"]?.stringValue ?? "").isEmpty
            else { return [] }
            return [
                .forbidden(
                    authPath(context).child("secretName"),
                    "authOptions.enableK8sTokenAuth is enabled and authOptions.secretName is also set")
            ]
        },
        ValidationRule(id: "V65", summary: "K8s token auth needs mode token") { context in
            guard let options = auth(context), options["enableK8sTokenAuth"] == .bool(true), options["mode"] != "token"
            else { return [] }
            return [
                .invalid(
                    authPath(context).child("mode"), options["mode"],
                    "authOptions.enableK8sTokenAuth is enabled but authOptions.mode not set to 'token'")
            ]
        },
    ]

    // MARK: network policy

    static func policy(_ context: ValidationContext) -> JSONObject? { spec(context)?["networkPolicy"]?.objectValue }
    static func policyPath(_ context: ValidationContext) -> FieldPath {
        context.cluster.fieldPath.child("networkPolicy")
    }

    static func ruleConflicts(_ rules: JSONValue?, mode: String, at field: FieldPath, label: String) -> [FieldError] {
        var errors: [FieldError] = []
        if mode == "DenyAllEgress", !(rules?["ingressRules"]?.arrayValue ?? []).isEmpty {
            errors.append(
                .forbidden(
                    field.child("ingressRules"),
                    "\(label).ingressRules cannot be set when mode is \"DenyAllEgress\" (ingress is not restricted)"))
        }
        if mode == "DenyAllIngress", !(rules?["egressRules"]?.arrayValue ?? []).isEmpty {
            errors.append(
                .forbidden(
                    field.child("egressRules"),
                    "\(label).egressRules cannot be set when mode is \"DenyAllIngress\" (egress is not restricted)"))
        }
        return errors
    }

    static let networkRules: [ValidationRule] = [
        ValidationRule(id: "V67", summary: "networkPolicy rules agree with its mode (V67-V70, V72)") { context in
            guard let policy = policy(context) else { return [] }
            let mode = policy["mode"]?.stringValue ?? "DenyAll"
            var errors = ruleConflicts(
                policy["head"], mode: mode, at: policyPath(context).child("head"), label: "networkPolicy.head")
            errors += ruleConflicts(
                policy["worker"], mode: mode, at: policyPath(context).child("worker"), label: "networkPolicy.worker")
            for (index, group) in (policy["workerGroups"]?.arrayValue ?? []).enumerated() {
                let name = group["groupName"]?.stringValue ?? ""
                errors += ruleConflicts(
                    group, mode: mode, at: policyPath(context).child("workerGroups").index(index),
                    label: "networkPolicy.workerGroups[\"\(name)\"]")
            }
            return errors
        },
        ValidationRule(id: "V71", summary: "With networkPolicy, worker group names are DNS-1123 labels") { context in
            guard policy(context) != nil else { return [] }
            return context.cluster.workerGroups(in: context.object).compactMap { group in
                let name = context.groupLabel(group)
                guard !KubernetesNames.isDNS1123Label(name) else { return nil }
                return .invalid(
                    group.fieldPath.child("groupName"), .string(name),
                    "worker group name must be a valid DNS1123 label when networkPolicy is enabled (it is embedded in the NetworkPolicy name)"
                )
            }
        },
        ValidationRule(id: "V73", summary: "networkPolicy.workerGroups name existing worker groups") { context in
            guard let policy = policy(context) else { return [] }
            let names = Set(context.cluster.workerGroups(in: context.object).map { context.groupLabel($0) })
            return (policy["workerGroups"]?.arrayValue ?? []).enumerated().compactMap { index, group in
                let name = group["groupName"]?.stringValue ?? ""
                guard !names.contains(name) else { return nil }
                return .invalid(
                    policyPath(context).child("workerGroups").index(index).child("groupName"), .string(name),
                    "does not match any group name in workerGroupSpecs")
            }
        },
    ]

    // MARK: TLS

    static let tlsEnv = ["RAY_USE_TLS", "RAY_TLS_SERVER_CERT", "RAY_TLS_SERVER_KEY", "RAY_TLS_CA_CERT"]

    static func tlsOn(_ context: ValidationContext) -> Bool {
        context.featureGates.isEnabled("RayClusterMTLS") && spec(context)?["tlsOptions"]?["enabled"] == .bool(true)
    }

    static func tlsConflicts(
        container: JSONValue?, at field: FieldPath, envField: String = "env", mountsField: String = "volumeMounts"
    ) -> [FieldError] {
        var errors: [FieldError] = []
        for (index, entry) in (container?[envField]?.arrayValue ?? []).enumerated() {
            if let name = entry["name"]?.stringValue, tlsEnv.contains(name) {
                errors.append(
                    .forbidden(
                        field.child(envField).index(index),
                        "cannot set \(name) when tlsOptions is set - the operator manages TLS configuration automatically"
                    ))
            }
        }
        for (index, mount) in (container?[mountsField]?.arrayValue ?? []).enumerated()
        where mount["name"] == "ray-tls" || mount["mountPath"] == "/etc/ray/tls" {
            errors.append(
                .forbidden(
                    field.child(mountsField).index(index),
                    "cannot use volume mount \"ray-tls\" or at /etc/ray/tls when tlsOptions is set - the operator manages TLS"
                ))
        }
        return errors
    }

    static let tlsRules: [ValidationRule] = [
        ValidationRule(id: "V75", summary: "With mTLS on, Ray containers set no TLS env or ray-tls mounts (V75-V78)") {
            context in
            guard tlsOn(context) else { return [] }
            return context.groups.flatMap { group in
                tlsConflicts(
                    container: group.value["template"]?["spec"]?["containers"]?[0],
                    at: group.location.fieldPath.child("template", "spec", "containers").index(0))
            }
        },
        ValidationRule(
            id: "V79", summary: "With mTLS on, autoscalerOptions sets no TLS env or ray-tls mounts (V79, V80)"
        ) { context in
            guard tlsOn(context) else { return [] }
            return tlsConflicts(
                container: spec(context)?["autoscalerOptions"], at: context.cluster.fieldPath.child("autoscalerOptions")
            )
        },
    ]

    static let all = priorityRules + historyRules + authRules + networkRules + tlsRules
}
