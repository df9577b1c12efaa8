/// Cluster-spec rules for worker priority (V23–V26), the history-server collector (V53–V59), token
/// auth (V60–V65), network policy (V67–V73) and mTLS (V75–V80), rule book §1.B. One rule value per
/// rule-book id, so that policies can name each.
enum ClusterFeatureRules {
    static func spec(_ context: ValidationContext) -> JSONObject? { context.clusterSpec?.objectValue }
    static func rayVersion(_ context: ValidationContext) -> String { spec(context)?["rayVersion"]?.stringValue ?? "" }

    // MARK: versions

    enum VersionProblem { case missing, invalid, tooOld }

    /// How `rayVersion` fails a minimum; nil when it meets it.
    static func versionProblem(_ context: ValidationContext, minimum: RayVersion) -> VersionProblem? {
        let text = rayVersion(context)
        guard !text.isEmpty else { return .missing }
        guard let version = RayVersion(text) else { return .invalid }
        return version < minimum ? .tooOld : nil
    }

    static func versionMessage(
        _ problem: VersionProblem, _ context: ValidationContext, minimum: RayVersion, feature: String
    ) -> String {
        switch problem {
        case .missing: "\(feature) but RayVersion was not specified. Ray version \(minimum) or later is required"
        case .invalid: "\(feature) but RayVersion format is invalid: \(rayVersion(context))"
        case .tooOld: "\(feature) but minimum Ray version is \(minimum), got \(rayVersion(context))"
        }
    }

    // MARK: priority

    static func priority(_ group: JSONValue) -> Int64? {
        guard let value = group["priority"]?.numberValue?.int64Value, value != 0 else { return nil }
        return value
    }

    /// Worker groups that set a priority, checked before anything costlier: almost none do.
    static func prioritizedGroups(_ context: ValidationContext) -> [(GroupLocation, Int64)] {
        context.workerGroups.compactMap { group in
            priority(group.value).map { (group.location, $0) }
        }
    }

    static func priorityVersion(_ id: RuleID, _ problem: VersionProblem, _ summary: String) -> ValidationRule {
        ValidationRule(id: id, summary: summary) { context in
            let minimum = RayVersion(2, 56, 0)
            let prioritized = prioritizedGroups(context)
            guard !prioritized.isEmpty, versionProblem(context, minimum: minimum) == problem else { return [] }
            return prioritized.map { group, value in
                let message = versionMessage(problem, context, minimum: minimum, feature: "priority is set,")
                return .invalid(
                    group.fieldPath.child("priority"), .number(JSONNumber(value)),
                    "worker group \(context.groupLabel(group)): \(message)")
            }
        }
    }

    static let priorityRules: [ValidationRule] = [
        priorityVersion("V23", .missing, "Worker priority needs rayVersion set"),
        priorityVersion("V24", .invalid, "Worker priority needs a parseable rayVersion"),
        priorityVersion("V25", .tooOld, "Worker priority needs rayVersion >= 2.56.0"),
        ValidationRule(id: "V26", summary: "Worker priority needs autoscaler v2") { context in
            let prioritized = prioritizedGroups(context)
            guard !prioritized.isEmpty, !GroupRules.autoscalerV2(context) else { return [] }
            return prioritized.map { group, value in
                .forbidden(
                    group.fieldPath.child("priority"),
                    "worker group \(context.groupLabel(group)): priority is set to \(value), but autoscaler v2 is not enabled"
                )
            }
        },
    ]

    // MARK: history server

    /// nil: no historyServerOptions; .some(nil): options without collectorOptions.
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

    /// Set with a non-empty `value` or with `valueFrom`.
    static func hasValue(_ env: [JSONValue], _ name: String) -> Bool {
        env.contains {
            $0["name"]?.stringValue == name
                && (!($0["value"]?.stringValue ?? "").isEmpty || !($0["valueFrom"]?.isNull ?? true))
        }
    }

    static func collectorName(_ id: RuleID, head: Bool) -> ValidationRule {
        ValidationRule(
            id: id,
            summary: "With the collector on, no \(head ? "head" : "worker") container is named ray-history-collector"
        ) { context in
            guard case .some(.some) = collector(context) else { return [] }
            return context.groups.filter { $0.location.isHead == head }.flatMap { group -> [FieldError] in
                let containers = group.value["template"]?["spec"]?["containers"]?.arrayValue ?? []
                return containers.enumerated().compactMap { index, container in
                    guard container["name"] == "ray-history-collector" else { return nil }
                    return .forbidden(
                        group.location.fieldPath.child("template", "spec", "containers").index(index).child("name"),
                        "pod template must not define a container with name 'ray-history-collector' when history server collector options are enabled"
                    )
                }
            }
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
            guard case .some(.some(let options)) = collector(context),
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
                    .filter { $0 != " " }.lowercased()
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
        collectorName("V58", head: true),
        collectorName("V59", head: false),
    ]

    // MARK: auth

    static func auth(_ context: ValidationContext) -> JSONObject? { spec(context)?["authOptions"]?.objectValue }
    static func authPath(_ context: ValidationContext) -> FieldPath { context.cluster.fieldPath.child("authOptions") }

    static func authVersion(_ id: RuleID, _ problem: VersionProblem, _ summary: String) -> ValidationRule {
        ValidationRule(id: id, summary: summary) { context in
            let minimum = RayVersion(2, 52, 0)
            guard auth(context)?["mode"] == "token", versionProblem(context, minimum: minimum) == problem else {
                return []
            }
            return [
                .invalid(
                    context.cluster.fieldPath.child("rayVersion"), .string(rayVersion(context)),
                    versionMessage(problem, context, minimum: minimum, feature: "authOptions.mode is 'token'"))
            ]
        }
    }

    static let authRules: [ValidationRule] = [
        authVersion("V60", .missing, "Token auth needs rayVersion set"),
        authVersion("V61", .invalid, "Token auth needs a parseable rayVersion"),
        authVersion("V62", .tooOld, "Token auth needs rayVersion >= 2.52.0"),
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

    /// A rule list that the mode leaves unrestricted (nil mode means DenyAll).
    static func conflict(_ rules: JSONValue?, list: String, mode: String, at field: FieldPath, label: String)
        -> FieldError?
    {
        let unrestricted = list == "ingressRules" ? "DenyAllEgress" : "DenyAllIngress"
        guard mode == unrestricted, !(rules?[list]?.arrayValue ?? []).isEmpty else { return nil }
        let direction = list == "ingressRules" ? "ingress" : "egress"
        return .forbidden(
            field.child(list),
            "\(label).\(list) cannot be set when mode is \"\(mode)\" (\(direction) is not restricted)")
    }

    static func networkConflict(_ id: RuleID, part: String, list: String) -> ValidationRule {
        ValidationRule(id: id, summary: "networkPolicy.\(part).\(list) agrees with the mode") { context in
            guard let policy = policy(context) else { return [] }
            let mode = policy["mode"]?.stringValue ?? "DenyAll"
            return [
                conflict(
                    policy[part], list: list, mode: mode, at: policyPath(context).child(part),
                    label: "networkPolicy.\(part)")
            ]
            .compactMap { $0 }
        }
    }

    static let networkRules: [ValidationRule] = [
        networkConflict("V67", part: "head", list: "ingressRules"),
        networkConflict("V68", part: "head", list: "egressRules"),
        networkConflict("V69", part: "worker", list: "ingressRules"),
        networkConflict("V70", part: "worker", list: "egressRules"),
        ValidationRule(id: "V71", summary: "With networkPolicy, worker group names are DNS-1123 labels") { context in
            guard policy(context) != nil else { return [] }
            return context.workerGroups.compactMap { group in
                let name = group.value["groupName"]?.stringValue ?? ""
                guard !KubernetesNames.isDNS1123Label(name) else { return nil }
                return .invalid(
                    group.location.fieldPath.child("groupName"), .string(name),
                    "worker group name must be a valid DNS1123 label when networkPolicy is enabled (it is embedded in the NetworkPolicy name)"
                )
            }
        },
        ValidationRule(id: "V72", summary: "networkPolicy.workerGroups rules agree with the mode") { context in
            guard let policy = policy(context) else { return [] }
            let mode = policy["mode"]?.stringValue ?? "DenyAll"
            return (policy["workerGroups"]?.arrayValue ?? []).enumerated().flatMap { index, group -> [FieldError] in
                let field = policyPath(context).child("workerGroups").index(index)
                let label = "networkPolicy.workerGroups[\"\(group["groupName"]?.stringValue ?? "")\"]"
                return ["ingressRules", "egressRules"].compactMap {
                    conflict(group, list: $0, mode: mode, at: field, label: label)
                }
            }
        },
        ValidationRule(id: "V73", summary: "networkPolicy.workerGroups name existing worker groups") { context in
            guard let policy = policy(context) else { return [] }
            let names = Set(context.workerGroups.map { $0.value["groupName"]?.stringValue ?? "" })
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

    static func tlsEnvConflicts(_ container: JSONValue?, at field: FieldPath, in place: String) -> [FieldError] {
        (container?["env"]?.arrayValue ?? []).enumerated().compactMap { index, entry in
            guard let name = entry["name"]?.stringValue, tlsEnv.contains(name) else { return nil }
            return .forbidden(
                field.child("env").index(index),
                "cannot set \(name) environment variable in \(place) when tlsOptions is set - the operator manages TLS configuration automatically"
            )
        }
    }

    static func tlsMountConflicts(_ container: JSONValue?, at field: FieldPath, in place: String) -> [FieldError] {
        (container?["volumeMounts"]?.arrayValue ?? []).enumerated().compactMap { index, mount in
            guard mount["name"] == "ray-tls" || mount["mountPath"] == "/etc/ray/tls" else { return nil }
            return .forbidden(
                field.child("volumeMounts").index(index),
                "cannot use volume mount named \"ray-tls\" or at /etc/ray/tls in \(place) when tlsOptions is set - the operator manages TLS"
            )
        }
    }

    static func tlsGroupRule(_ id: RuleID, head: Bool, env: Bool) -> ValidationRule {
        let what = env ? "TLS env" : "ray-tls mounts"
        return ValidationRule(
            id: id, summary: "With mTLS on, \(head ? "head" : "worker") Ray containers set no \(what)"
        ) { context in
            guard tlsOn(context) else { return [] }
            return context.groups.filter { $0.location.isHead == head }.flatMap { group -> [FieldError] in
                let container = group.value["template"]?["spec"]?["containers"]?[0]
                let field = group.location.rayContainerFieldPath
                let place = head ? "head Pod" : "worker group \"\(context.groupLabel(group.location))\""
                return env
                    ? tlsEnvConflicts(container, at: field, in: place)
                    : tlsMountConflicts(container, at: field, in: place)
            }
        }
    }

    static let tlsRules: [ValidationRule] = [
        tlsGroupRule("V75", head: true, env: true),
        tlsGroupRule("V76", head: true, env: false),
        tlsGroupRule("V77", head: false, env: true),
        tlsGroupRule("V78", head: false, env: false),
        ValidationRule(id: "V79", summary: "With mTLS on, autoscalerOptions.env has no TLS env") { context in
            guard tlsOn(context) else { return [] }
            return tlsEnvConflicts(
                spec(context)?["autoscalerOptions"], at: context.cluster.fieldPath.child("autoscalerOptions"),
                in: "autoscalerOptions")
        },
        ValidationRule(id: "V80", summary: "With mTLS on, autoscalerOptions.volumeMounts has no ray-tls mount") {
            context in
            guard tlsOn(context) else { return [] }
            return tlsMountConflicts(
                spec(context)?["autoscalerOptions"], at: context.cluster.fieldPath.child("autoscalerOptions"),
                in: "autoscalerOptions")
        },
    ]

    static let all = priorityRules + historyRules + authRules + networkRules + tlsRules
}
