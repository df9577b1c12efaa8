/// Failures nothing in KubeRay checks, found only at runtime (rule book §1.I), decided here from
/// the object, and the gaps of §1.J.
enum RuntimeFailureRules {
    static func headPorts(_ context: ValidationContext) -> [JSONValue]? {
        context.object[context.cluster.headGroup.rayContainer.appending("ports")]?.arrayValue
    }

    static func jobSpec(_ context: ValidationContext) -> (JSONObject, FieldPath)? {
        RayJobRules.jobSpec(context).map { ($0.value, $0.field) }
    }

    /// Named `ray` or `ray-…` (ray-head, ray-worker), or running a `rayproject/ray` image.
    static func looksLikeRay(_ container: JSONValue) -> Bool {
        let name = container["name"]?.stringValue ?? ""
        let image = container["image"]?.stringValue ?? ""
        return name == "ray" || name.hasPrefix("ray-") || image.contains("rayproject/ray")
    }

    static let submissionModes = ["K8sJobMode", "HTTPMode", "InteractiveMode", "SidecarMode"]

    /// The modes the release submits jobs in: `SidecarMode` from KubeRay 1.5.
    static func submissionModes(_ release: KubeRayRelease) -> [String] {
        release >= .v1_5 ? submissionModes : submissionModes.filter { $0 != "SidecarMode" }
    }

    /// Kubernetes lets requests of CPU, memory and other native resources lie below their limits;
    /// extended resources (`nvidia.com/gpu`) and huge pages must request exactly their limit.
    static func isOvercommitAllowed(_ resource: String) -> Bool {
        // Resource names are ASCII (the API server requires qualified names): bytes suffice.
        let bytes = Array(resource.utf8)
        guard !bytes.starts(with: "hugepages-".utf8) else { return false }
        guard bytes.contains(UInt8(ascii: "/")) else { return true }
        return bytes.indices.contains { bytes[$0...].starts(with: "kubernetes.io/".utf8) }
    }

    /// Kubernetes' check of a container's `resources` (`ValidateResourceRequirements`), which
    /// the API server applies to pods but not to the pod templates inside a Ray resource.
    /// `field` is made only for a finding: almost every container has none.
    static func resourceProblems(_ resources: JSONValue?, at field: () -> FieldPath) -> [FieldError] {
        guard let requests = resources?["requests"]?.objectValue, !requests.isEmpty else { return [] }
        let limits = resources?["limits"]?.objectValue ?? JSONObject()
        var errors: [FieldError] = []
        for member in requests {
            let name = member.key
            // The same text is the same quantity: requests equal to limits are what KubeRay advises.
            if limits[name] == member.value { continue }
            guard let request = Quantity(member.value) else { continue }
            let overcommit = isOvercommitAllowed(name)
            guard let limit = Quantity(limits[name]) else {
                if !overcommit, limits[name] == nil {
                    errors.append(
                        .required(
                            field().child("limits").key(name),
                            "Kubernetes requires a limit equal to the request for \(name) and rejects every pod built from this template"
                        ))
                }
                continue
            }
            if overcommit ? request > limit : request != limit {
                let relation = overcommit ? "less than or equal to" : "equal to"
                errors.append(
                    .invalid(
                        field().child("requests").key(name), member.value,
                        "must be \(relation) \(name) limit of \(limit.text): Kubernetes rejects every pod built from this template"
                    ))
            }
        }
        return errors
    }

    static let rules: [ValidationRule] = [
        ValidationRule(
            id: "R01", summary: "A serving head declares a port named serve or serve-* (or spec.serveService)",
            kinds: [.rayService, .rayCluster]
        ) { context in
            if context.kind == .rayCluster, context.clusterAnnotations["ray.io/enable-serve-service"] != "true" {
                return []
            }
            if context.kind == .rayService, !(context.object["spec"]?["serveService"]?.isNull ?? true) { return [] }
            // No ports at all: KubeRay uses its default set, which has serve 8000.
            guard let ports = headPorts(context), !ports.isEmpty else { return [] }
            // `serve-…` names count from KubeRay 1.6 on; before, only `serve` itself.
            let prefixed = context.release >= .v1_6
            guard
                !ports.contains(where: { port in
                    let name = port["name"]?.stringValue ?? ""
                    return name == "serve" || (prefixed && name.hasPrefix("serve-"))
                })
            else { return [] }
            return [
                .required(
                    context.cluster.headGroup.rayContainerFieldPath.child("ports"),
                    prefixed
                        ? "a port named 'serve' (or 'serve-…') is required: KubeRay builds the serve Service from it"
                        : "a port named 'serve' is required: KubeRay \(context.release.displayName) builds the serve Service from it"
                )
            ]
        },
        ValidationRule(id: "R02", summary: "serveConfigV2 is a YAML mapping", kinds: [.rayService]) { context in
            guard let text = context.object["spec"]?["serveConfigV2"]?.stringValue, !text.isEmpty else { return [] }
            let field = FieldPath("spec", "serveConfigV2")
            do {
                let value = try YAMLDocumentReader().readSingle(text)
                guard case .object = value else {
                    return [.invalid(field, nil, "must be a YAML mapping, got \(value.typeName)")]
                }
                return []
            } catch {
                return [.invalid(field, nil, "not valid YAML: \(error)")]
            }
        },
        ValidationRule(
            id: "R03", summary: "entrypointResources is a JSON object of numbers", kinds: [.rayJob, .rayCronJob]
        ) { context in
            guard let (spec, field) = jobSpec(context), let text = spec["entrypointResources"]?.stringValue,
                !text.isEmpty
            else { return [] }
            guard case .object(let object)? = try? JSONParser().parse(text),
                object.allSatisfy({ $0.value.numberValue != nil })
            else {
                return [
                    .invalid(
                        field.child("entrypointResources"), .string(text),
                        "must be a JSON object of numbers, e.g. {\"GPU\": 1}")
                ]
            }
            return []
        },
        ValidationRule(
            id: "R04", summary: "entrypoint is set in K8sJobMode, HTTPMode and SidecarMode",
            kinds: [.rayJob, .rayCronJob]
        ) { context in
            guard let (spec, field) = jobSpec(context),
                ["K8sJobMode", "HTTPMode", "SidecarMode"].contains(RayJobRules.mode(spec)),
                (spec["entrypoint"]?.stringValue ?? "").allSatisfy(\.isWhitespace)
            else { return [] }
            // A submitter container with its own command does not use the entrypoint (KubeRay
            // fills the command only when it is empty).
            let submitter = spec["submitterPodTemplate"]?["spec"]?["containers"]?[0]?["command"]?.arrayValue ?? []
            if RayJobRules.mode(spec) == "K8sJobMode", !submitter.isEmpty { return [] }
            return [.required(field.child("entrypoint"), "the job has nothing to run in \(RayJobRules.mode(spec))")]
        },
        // KubeRay only logs this and passes the text to `ray start`, which may still take it: warn.
        ValidationRule(id: "R05", summary: "rayStartParams resources is a JSON object of numbers", mode: .warn) {
            context in
            context.groups.compactMap { group in
                guard let text = group.value["rayStartParams"]?["resources"]?.stringValue, !text.isEmpty else {
                    return nil
                }
                // As the shell hands it to Ray: surrounding quotes gone, `\"` unescaped.
                let trimmed = text.trimmingCharacters(in: " '\"`").replacingEscapedQuotes()
                guard case .object(let object)? = try? JSONParser().parse(trimmed),
                    object.allSatisfy({ $0.value.numberValue != nil })
                else {
                    return .invalid(
                        group.location.fieldPath.child("rayStartParams").key("resources"), .string(text),
                        "must be a JSON object of numbers, e.g. '{\"TPU\": 4}'")
                }
                return nil
            }
        },
        ValidationRule(id: "R06", summary: "RayJob metadata needs rayVersion >= 2.6.0", kinds: [.rayJob, .rayCronJob]) {
            context in
            guard let (spec, field) = jobSpec(context), !(spec["metadata"]?.objectValue?.isEmpty ?? true) else {
                return []
            }
            let cluster = spec["rayClusterSpec"].flatMap { $0.isNull ? nil : $0 }
            let text = cluster?["rayVersion"]?.stringValue ?? ""
            // KubeRay 1.7 checks a rayVersion that is set; 1.5 and 1.6 check whenever there is a
            // cluster spec (an empty version fails); 1.3 and 1.4 always (a selector's job too,
            // which has no version and fails).
            if context.release >= .v1_7 {
                guard cluster != nil, !text.isEmpty else { return [] }
            } else if context.release >= .v1_5 {
                guard cluster != nil else { return [] }
            }
            if let version = RayVersion(text), !(version < RayVersion(2, 6, 0)) { return [] }
            return [
                .invalid(
                    field.child("metadata"), nil,
                    "the Ray version must be at least 2.6.0 to use the metadata field ("
                        + (text.isEmpty ? "no rayVersion)" : "rayVersion \(text))"))
            ]
        },
        ValidationRule(
            id: "R10", summary: "With autoscaling, Ray containers declare CPU (requests, limits or num-cpus)",
            mode: .warn
        ) { context in
            guard context.clusterSpec?["enableInTreeAutoscaling"] == .bool(true) else { return [] }
            // The autoscaler reads requests.cpu only from Ray 2.41 on.
            let oldRay = RayVersion(context.clusterSpec?["rayVersion"]?.stringValue ?? "").map {
                $0 < RayVersion(2, 41, 0)
            }
            return context.groups.compactMap { group in
                let container = ContainerView(group.value["template"]?["spec"]?["containers"]?[0] ?? .null)
                guard container.limits["cpu"] == nil, group.value["rayStartParams"]?["num-cpus"] == nil,
                    !(group.value["resources"]?.objectValue?.contains { $0.key.lowercased() == "cpu" } ?? false)
                else { return nil }
                if container.requests["cpu"] == nil {
                    return .required(
                        group.location.rayContainerFieldPath.child("resources"),
                        "no CPU for the autoscaler to size \(context.groupLabel(group.location)) with")
                }
                guard oldRay == true else { return nil }
                return .required(
                    group.location.rayContainerFieldPath.child("resources", "limits"),
                    "Ray < 2.41 autoscaler needs limits.cpu or num-cpus")
            }
        },
        ValidationRule(id: "R11", summary: "authOptions sets mode (there is no default)", mode: .warn) { context in
            guard let options = context.clusterSpec?["authOptions"]?.objectValue, options["mode"] == nil else {
                return []
            }
            return [
                .required(
                    context.cluster.fieldPath.child("authOptions", "mode"),
                    "set disabled or token: KubeRay half-enables auth without it")
            ]
        },
        // The API server stores the Ray resource, then rejects every pod KubeRay builds from it.
        ValidationRule(
            id: "request-above-limit",
            summary: "Container requests are within their limits (Kubernetes rejects the pods otherwise)"
        ) { context in
            var errors: [FieldError] = []
            for pod in SchemaRules.podSpecs(context) {
                for list in ["initContainers", "containers"] {
                    for (index, container) in (pod.value[list]?.arrayValue ?? []).enumerated() {
                        errors += resourceProblems(container["resources"]) {
                            pod.field.child(list).index(index).child("resources")
                        }
                    }
                }
            }
            // The autoscaler container takes these resources as they are.
            if let autoscaler = context.clusterSpec?["autoscalerOptions"]?["resources"] {
                errors += resourceProblems(autoscaler) {
                    context.cluster.fieldPath.child("autoscalerOptions", "resources")
                }
            }
            return errors
        },
        ValidationRule(id: "R08", summary: "Worker numOfHosts is at least 1 (KubeRay treats less as 1)", mode: .warn) {
            context in
            context.workerGroups.compactMap { group in
                guard let hosts = group.value["numOfHosts"]?.numberValue?.int64Value, hosts <= 0 else { return nil }
                return .invalid(
                    group.location.fieldPath.child("numOfHosts"), .number(JSONNumber(hosts)), "KubeRay treats it as 1")
            }
        },
        ValidationRule(
            id: "replicas-range", summary: "Worker replicas lie within [minReplicas, maxReplicas] (§1.J)", mode: .warn
        ) { context in
            context.workerGroups.compactMap { group in
                let value = group.value
                guard let replicas = value["replicas"]?.numberValue?.int64Value else { return nil }
                let minimum = value["minReplicas"]?.numberValue?.int64Value ?? 0
                let maximum = value["maxReplicas"]?.numberValue?.int64Value ?? Int64(Int32.max)
                guard replicas < minimum || replicas > maximum else { return nil }
                return .invalid(
                    group.location.fieldPath.child("replicas"), .number(JSONNumber(replicas)),
                    "KubeRay clamps it to [\(minimum), \(maximum)]")
            }
        },
        ValidationRule(
            id: "submission-mode-enum", summary: "submissionMode is a known mode (§1.J)", kinds: [.rayJob, .rayCronJob]
        ) { context in
            let modes = submissionModes(context.release)
            guard let (spec, field) = jobSpec(context), let mode = spec["submissionMode"]?.stringValue,
                !modes.contains(mode)
            else { return [] }
            return [.notSupported(field.child("submissionMode"), .string(mode), supported: modes)]
        },
        ValidationRule(id: "ray-container-first", summary: "The Ray container is containers[0] (§1.J)", mode: .warn) {
            context in
            context.groups.compactMap { group in
                let containers = group.value["template"]?["spec"]?["containers"]?.arrayValue ?? []
                guard containers.count > 1, let first = containers.first, !looksLikeRay(first),
                    let index = containers.firstIndex(where: looksLikeRay), index > 0
                else { return nil }
                return .invalid(
                    group.location.fieldPath.child("template", "spec", "containers").index(index), nil,
                    "KubeRay treats containers[0] (\(first["name"]?.stringValue ?? "")) as the Ray container")
            }
        },
    ]
}

extension String {
    fileprivate func replacingEscapedQuotes() -> String {
        var result = ""
        var iterator = makeIterator()
        while let character = iterator.next() {
            if character == "\\", let next = iterator.next() {
                result.append(next == "\"" ? "\"" : "\\")
                if next != "\"" { result.append(next) }
            } else {
                result.append(character)
            }
        }
        return result
    }

    fileprivate func trimmingCharacters(in set: String) -> String {
        String(drop { set.contains($0) }.reversed().drop { set.contains($0) }.reversed())
    }
}
