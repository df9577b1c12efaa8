/// A namespace's policy constraints as validation rules. Each does nothing unless the policy sets
/// its limit; each is denied by default and its mode can be set like any rule's (enforce, warn,
/// audit, off).
enum ConstraintRules {
    static func containers(_ spec: JSONValue) -> [(list: String, index: Int, value: JSONValue)] {
        ["initContainers", "containers"].flatMap { list in
            (spec[list]?.arrayValue ?? []).enumerated().map { (list, $0.offset, $0.element) }
        }
    }

    /// What a pod asks for of `resource`: each container's limit, or its request without one.
    static func podTotal(_ spec: JSONValue, _ resource: (String) -> Bool) -> Quantity {
        (spec["containers"]?.arrayValue ?? []).reduce(Quantity.zero) { total, container in
            let view = ContainerView(container)
            var sum = total
            for (key, amounts) in [(true, view.limits), (false, view.requests)] {
                let found = amounts.filter { resource($0.key) }
                guard !found.isEmpty else { continue }
                for member in found { sum = sum + (Quantity(member.value) ?? .zero) }
                if key { break }
            }
            return sum
        }
    }

    static func gpus(_ spec: JSONValue) -> Quantity {
        podTotal(spec, ContainerView.isGPUResource)
    }

    static func int(_ value: JSONValue?) -> Int? {
        value?.numberValue?.int64Value.map { Int(clamping: $0) }
    }

    static let rules: [ValidationRule] = [
        ValidationRule(id: "allowed-images", summary: "Policy: images come from the allowed registries") {
            context in
            guard let allowed = context.constraints.allowedImages else { return [] }
            return SchemaRules.podSpecs(context).flatMap { pod in
                containers(pod.value).compactMap { list, index, container -> FieldError? in
                    guard let image = container["image"]?.stringValue, !allowed.contains(where: { $0.matches(image) })
                    else { return nil }
                    return .forbidden(
                        pod.field.child(list).index(index).child("image"),
                        "image \(image) is not allowed here (allowed: \(allowed.map(\.text).joined(separator: ", ")))")
                }
            }
        },
        ValidationRule(id: "max-gpus-per-cluster", summary: "Policy: GPUs of the whole cluster at full scale") {
            context in
            guard let limit = context.constraints.maxGPUsPerCluster else { return [] }
            var total = Quantity.zero
            for group in context.groups {
                let perPod = gpus(group.value["template"]?["spec"] ?? .null)
                let pods =
                    group.location.isHead
                    ? 1
                    : max(int(group.value["maxReplicas"]) ?? int(group.value["replicas"]) ?? 0, 0)
                        * max(int(group.value["numOfHosts"]) ?? 1, 1)
                total = total + perPod * pods
            }
            guard total > Quantity(units: limit) else { return [] }
            return [
                .forbidden(
                    context.cluster.fieldPath,
                    "the cluster can use \(total) GPUs at maxReplicas; this namespace allows \(limit)")
            ]
        },
        ValidationRule(id: "max-workers-per-group", summary: "Policy: pods per worker group") { context in
            guard let limit = context.constraints.maxWorkersPerGroup else { return [] }
            return context.workerGroups.flatMap { group -> [FieldError] in
                let hosts = max(int(group.value["numOfHosts"]) ?? 1, 1)
                return ["maxReplicas", "replicas"].compactMap { key in
                    guard let count = int(group.value[key]),
                        count.multipliedReportingOverflow(by: hosts).partialValue > limit
                    else { return nil }
                    let pods = hosts > 1 ? "\(count) × \(hosts) hosts" : "\(count)"
                    return .forbidden(
                        group.location.fieldPath.child(key), "\(pods) pods; this namespace allows \(limit) per group")
                }
            }
        },
        ValidationRule(id: "max-cpu-per-pod", summary: "Policy: CPU of one pod") { context in
            guard let limit = context.constraints.maxCPUPerPod else { return [] }
            return SchemaRules.podSpecs(context).compactMap { pod in
                let total = podTotal(pod.value) { $0 == "cpu" }
                guard total > limit else { return nil }
                return .forbidden(
                    pod.field.child("containers"), "the pod asks for \(total) CPU; this namespace allows \(limit)")
            }
        },
        ValidationRule(id: "max-memory-per-pod", summary: "Policy: memory of one pod") { context in
            guard let limit = context.constraints.maxMemoryPerPod else { return [] }
            return SchemaRules.podSpecs(context).compactMap { pod in
                let total = podTotal(pod.value) { $0 == "memory" }
                guard total > limit else { return nil }
                return .forbidden(
                    pod.field.child("containers"),
                    "the pod asks for \(total.nanos / 1_000_000_000) bytes of memory; this namespace allows \(limit)")
            }
        },
        ValidationRule(id: "required-labels", summary: "Policy: labels the resource must carry") { context in
            guard let required = context.constraints.requiredLabels else { return [] }
            let labels = context.object["metadata"]?["labels"]?.objectValue ?? JSONObject()
            return required.filter { !labels.contains($0) }.map { key in
                .required(FieldPath("metadata", "labels").key(key), "this namespace requires the label \(key)")
            }
        },
        ValidationRule(id: "allowed-service-types", summary: "Policy: Service types of the head and serve services") {
            context in
            guard let allowed = context.constraints.allowedServiceTypes else { return [] }
            var found: [(JSONValue?, FieldPath)] = []
            let head = context.cluster.headGroup
            found.append(
                (context.groups.first { $0.location.isHead }?.value["serviceType"], head.fieldPath.child("serviceType"))
            )
            found.append(
                (
                    context.object[head.pointer.appending("headService", "spec", "type")],
                    head.fieldPath.child("headService", "spec", "type")
                ))
            if context.kind == .rayService {
                found.append(
                    (
                        context.object["spec"]?["serveService"]?["spec"]?["type"],
                        FieldPath("spec", "serveService", "spec", "type")
                    ))
            }
            return found.compactMap { value, field in
                guard let type = value?.stringValue, !allowed.contains(type) else { return nil }
                return .notSupported(field, .string(type), supported: allowed)
            }
        },
        ValidationRule(
            id: "require-gcs-fault-tolerance", summary: "Policy: clusters of these kinds use GCS fault tolerance"
        ) {
            context in
            guard context.constraints.requireGcsFaultTolerance?.contains(context.kind) == true else { return [] }
            let options = context.clusterSpec?["gcsFaultToleranceOptions"]
            let legacy = context.clusterAnnotations[RayConstants.Annotation.ftEnabled] == .string("true")
            guard options == nil || options?.isNull == true, !legacy else { return [] }
            return [
                .required(
                    context.cluster.fieldPath.child("gcsFaultToleranceOptions"),
                    "this namespace requires GCS fault tolerance for \(context.kind.rawValue)")
            ]
        },
        ValidationRule(
            id: "forbid-privileged", summary: "Policy: no privileged containers, host namespaces or hostPath"
        ) {
            context in
            guard context.constraints.forbidPrivileged == true else { return [] }
            return SchemaRules.podSpecs(context).flatMap { pod -> [FieldError] in
                var errors: [FieldError] = []
                for key in ["hostNetwork", "hostPID", "hostIPC"] where pod.value[key] == .bool(true) {
                    errors.append(.forbidden(pod.field.child(key), "host namespaces are not allowed here"))
                }
                for (index, volume) in (pod.value["volumes"]?.arrayValue ?? []).enumerated()
                where volume["hostPath"].map({ !$0.isNull }) == true {
                    errors.append(
                        .forbidden(
                            pod.field.child("volumes").index(index).child("hostPath"),
                            "hostPath volumes are not allowed here"))
                }
                for (list, index, container) in containers(pod.value) {
                    let security = container["securityContext"]
                    for key in ["privileged", "allowPrivilegeEscalation"] where security?[key] == .bool(true) {
                        errors.append(
                            .forbidden(
                                pod.field.child(list).index(index).child("securityContext", key),
                                "privileged containers are not allowed here"))
                    }
                }
                return errors
            }
        },
        ValidationRule(id: "ray-versions", summary: "Policy: rayVersion within the allowed range") { context in
            guard let range = context.constraints.rayVersions, let spec = context.clusterSpec else { return [] }
            let field = context.cluster.fieldPath.child("rayVersion")
            guard let version = spec["rayVersion"]?.stringValue, !version.isEmpty else {
                return [.required(field, "this namespace requires a rayVersion \(range)")]
            }
            guard !range.contains(version) else { return [] }
            return [.invalid(field, .string(version), "this namespace allows Ray \(range)")]
        },
    ]
}
