/// Best practices, as warnings: what KubeRay's and Ray's docs recommend and KubeRay does not
/// enforce, each firing only where the docs support it (the best-practice spec, §3), with advice
/// short enough to leave the field path whole. Off-by-default ones are for a policy to turn on.
enum BestPracticeRules {
    typealias Group = (location: GroupLocation, value: JSONValue)

    static func rayContainer(_ group: Group) -> ContainerView? {
        group.value["template"]?["spec"]?["containers"]?[0].map(ContainerView.init)
    }

    static func image(_ group: Group) -> (text: String, reference: RayImageReference)? {
        guard let text = rayContainer(group)?.value["image"]?.stringValue else { return nil }
        return (text, RayImageReference(text))
    }

    static func imageField(_ group: Group) -> FieldPath {
        group.location.rayContainerFieldPath.child("image")
    }

    static func resourcesField(_ group: Group, _ kind: String, _ resource: String) -> FieldPath {
        group.location.rayContainerFieldPath.child("resources", kind, resource)
    }

    static func warning(
        _ id: RuleID, _ summary: String, kinds: Set<RayKind> = .allRayKinds, enabledByDefault: Bool = true,
        check: @escaping @Sendable (ValidationContext) -> [FieldError]
    ) -> ValidationRule {
        ValidationRule(
            id: id, summary: summary, kinds: kinds, mode: .warn, enabledByDefault: enabledByDefault, check: check)
    }

    // MARK: CPU, as KubeRay derives num-cpus (§2.5)

    /// Where a group's Ray CPU count comes from, in KubeRay's order.
    enum CPUSource {
        /// The group `resources` map's `cpu` key (any case).
        case resourcesMap(key: String, value: JSONValue)
        /// `rayStartParams["num-cpus"]`: an explicit override.
        case startParam(JSONValue)
        case limit(JSONValue)
        /// Used when there is no limit, from KubeRay 1.3 on.
        case request(JSONValue)
    }

    static func cpuSource(_ group: Group) -> CPUSource? {
        if let resources = group.value["resources"]?.objectValue,
            let member = resources.first(where: { $0.key.lowercased() == "cpu" })
        {
            return .resourcesMap(key: member.key, value: member.value)
        }
        if let param = group.value["rayStartParams"]?["num-cpus"], !param.isNull { return .startParam(param) }
        guard let container = rayContainer(group) else { return nil }
        if let limit = container.limits["cpu"], !ContainerView.isZeroQuantity(limit) { return .limit(limit) }
        if let request = container.requests["cpu"], !ContainerView.isZeroQuantity(request) {
            return .request(request)
        }
        return nil
    }

    /// The head keeps tasks off itself: a `resources` CPU of 0, or `num-cpus` an integer 0 (the
    /// autoscaler reads it with `int()`, so `"0.0"` does not count).
    static func setsZeroCPUs(_ group: Group) -> Bool {
        switch cpuSource(group) {
        case .resourcesMap(_, let value)?: return Quantity(value) == .zero
        case .startParam(let value)?:
            let text = (value.stringValue ?? value.numberValue?.text ?? "").filter { $0 != " " }
            return !text.isEmpty && text.allSatisfy({ $0.isASCII && $0.isNumber }) && Int(text) == 0
        default: return false
        }
    }

    static let nanosPerUnit: Int128 = 1_000_000_000

    // MARK: GCS fault tolerance (§2.6)

    static func gcsFaultTolerance(_ context: ValidationContext) -> Bool {
        if let options = context.clusterSpec?["gcsFaultToleranceOptions"], !options.isNull { return true }
        return context.clusterAnnotations[RayConstants.Annotation.ftEnabled]?.stringValue?.lowercased() == "true"
    }

    static func headNumCPUsField(_ context: ValidationContext, _ head: Group) -> (FieldPath, JSONValue?) {
        if case .resourcesMap(let key, let value)? = cpuSource(head) {
            return (head.location.fieldPath.child("resources").key(key), value)
        }
        if let resources = head.value["resources"]?.objectValue, !resources.isEmpty {
            return (head.location.fieldPath.child("resources").key("cpu"), nil)
        }
        return (
            head.location.fieldPath.child("rayStartParams").key("num-cpus"), head.value["rayStartParams"]?["num-cpus"]
        )
    }

    static let rules: [ValidationRule] = versions + resources + head

    // MARK: images (§3.1–3.3)

    static let versions: [ValidationRule] = [
        warning("ray-version-mismatch", "Ray's own images carry the Ray version rayVersion names") { context in
            let declared = context.clusterSpec?["rayVersion"]?.stringValue ?? ""
            guard let version = RayVersion(declared) else { return [] }
            let extra = context.bestPractices.extraRayImageRepositories ?? []
            return context.groups.compactMap { group in
                guard let image = image(group), image.reference.isOfficial(extraRepositories: extra),
                    let tagged = image.reference.rayVersion,
                    zip(tagged, version.components.prefix(3)).contains(where: { $0 != $1 })
                else { return nil }
                return .invalid(
                    imageField(group), .string(image.text),
                    "image has Ray \(tagged.map(String.init).joined(separator: ".")), rayVersion is \(declared)")
            }
        },
        warning("ray-image-consistency", "Ray's own images in one cluster carry one Ray and one Python version") {
            context in
            let extra = context.bestPractices.extraRayImageRepositories ?? []
            // What each official image says, read once: its Ray version, and its Python as written.
            let official = context.groups.compactMap {
                group -> (group: Group, text: String, version: [Int]?, python: String?)? in
                guard let image = image(group), image.reference.isOfficial(extraRepositories: extra) else {
                    return nil
                }
                return (group, image.text, image.reference.rayVersion, image.reference.python)
            }
            guard official.count > 1 else { return [] }
            func place(_ group: Group) -> String {
                group.location.isHead ? "the head" : "group \(context.groupLabel(group.location))"
            }
            // Each group against the first that says (the head when it does); a tag that does not
            // say is never compared.
            func mismatches<Value: Equatable>(
                _ read: (Int) -> Value?, _ advice: (Value, Value, String) -> String
            ) -> [FieldError] {
                guard let reference = official.indices.first(where: { read($0) != nil }), let expected = read(reference)
                else { return [] }
                return official.indices.compactMap { index in
                    guard index != reference, let theirs = read(index), theirs != expected else { return nil }
                    return .invalid(
                        imageField(official[index].group), .string(official[index].text),
                        advice(theirs, expected, place(official[reference].group)))
                }
            }
            func dotted(_ version: [Int]) -> String { version.map(String.init).joined(separator: ".") }
            return mismatches({ official[$0].version }) {
                "Ray \(dotted($0)) here, \(dotted($1)) on \($2); use one Ray version"
            } + mismatches({ official[$0].python }) { "\($0) here, \($1) on \($2); use one Python version" }
        },
        warning("image-tag", "Ray images are pinned (no missing or latest tag)") { context in
            let extra = context.bestPractices.extraRayImageRepositories ?? []
            return context.groups.compactMap { group in
                guard let image = image(group), image.reference.isUnpinned(extraRepositories: extra) else {
                    return nil
                }
                return .invalid(
                    imageField(group), .string(image.text), "unpinned image; pin the Ray version set in rayVersion")
            }
        },
    ]

    // MARK: memory and CPU (§3.4–3.10)

    static let resources: [ValidationRule] = [
        warning("memory-request-below-limit", "Ray containers request the memory they are limited to") { context in
            context.groups.compactMap { group in
                guard let container = rayContainer(group), let limit = Quantity(container.limits["memory"]),
                    let request = Quantity(container.requests["memory"]), request < limit
                else { return nil }
                return .invalid(
                    resourcesField(group, "requests", "memory"), container.requests["memory"],
                    "Ray sizes memory from the limit; request the same amount")
            }
        },
        warning(
            "memory-limit-missing", "Ray containers with a memory request also set a limit (production)",
            enabledByDefault: false
        ) { context in
            context.groups.compactMap { group in
                guard let container = rayContainer(group), container.requests["memory"] != nil,
                    container.limits["memory"] == nil, group.value["rayStartParams"]?["memory"] == nil,
                    !(group.value["resources"]?.objectValue?.contains { $0.key.lowercased() == "memory" } ?? false)
                else { return nil }
                return .required(
                    group.location.rayContainerFieldPath.child("resources", "limits"),
                    "no memory limit: Ray sizes itself from the node's memory")
            }
        },
        warning("no-resources", "Ray containers declare CPU or memory") { context in
            context.groups.compactMap { group in
                guard let container = rayContainer(group), container.limits.isEmpty, container.requests.isEmpty
                else { return nil }
                return .required(
                    group.location.rayContainerFieldPath.child("resources"),
                    "no CPU or memory set; KubeRay sizes Ray from them")
            }
        },
        warning("cpu-fractional", "The CPU KubeRay turns into num-cpus is a whole number") { context in
            context.groups.compactMap { group in
                let value: JSONValue
                let field: FieldPath
                switch cpuSource(group) {
                case .resourcesMap(let key, let quantity)?:
                    (value, field) = (quantity, group.location.fieldPath.child("resources").key(key))
                case .limit(let quantity)?: (value, field) = (quantity, resourcesField(group, "limits", "cpu"))
                case .request(let quantity)?: (value, field) = (quantity, resourcesField(group, "requests", "cpu"))
                case .startParam?, nil: return nil
                }
                guard let quantity = Quantity(value), quantity > .zero, quantity.nanos % nanosPerUnit != 0 else {
                    return nil
                }
                let rounded = (quantity.nanos + nanosPerUnit - 1) / nanosPerUnit
                return .invalid(
                    field, value, "Ray counts \(quantity.text) as \(rounded) CPU; use whole CPUs or set num-cpus")
            }
        },
        warning(
            "cpu-limit-above-request", "Ray containers request the CPU limit KubeRay gives Ray (production)",
            enabledByDefault: false
        ) { context in
            context.groups.compactMap { group in
                guard case .limit(let limitValue)? = cpuSource(group), let container = rayContainer(group),
                    let requestValue = container.requests["cpu"], let limit = Quantity(limitValue),
                    let request = Quantity(requestValue), limit > request
                else { return nil }
                return .invalid(
                    resourcesField(group, "requests", "cpu"), requestValue,
                    "Ray uses limits.cpu (\(limit.text)); set requests.cpu to match")
            }
        },
        warning(
            "cpu-request-only-legacy", "KubeRay before 1.3 ignores requests.cpu (for clusters on such a release)",
            enabledByDefault: false
        ) { context in
            context.groups.compactMap { group in
                guard case .request(let value)? = cpuSource(group) else { return nil }
                return .invalid(
                    resourcesField(group, "requests", "cpu"), value,
                    "KubeRay < 1.3 ignores requests.cpu; Ray sees all node CPUs")
            }
        },
    ]

    // MARK: the head (§3.12–3.14)

    static let head: [ValidationRule] = [
        warning("head-num-cpus", "With GCS fault tolerance, the head runs no tasks (num-cpus \"0\")") { context in
            guard gcsFaultTolerance(context), !context.workerGroups.isEmpty,
                let head = context.groups.first(where: { $0.location.isHead }), !setsZeroCPUs(head)
            else { return [] }
            let (field, value) = headNumCPUsField(context, head)
            return [.invalid(field, value, "GCS FT: set \"0\" so no tasks or actors run on the head")]
        },
        warning(
            "head-num-cpus-large", "Large clusters run no tasks on the head (num-cpus \"0\")", enabledByDefault: false
        ) { context in
            guard !context.workerGroups.isEmpty,
                let head = context.groups.first(where: { $0.location.isHead }), !setsZeroCPUs(head)
            else { return [] }
            if let threshold = context.bestPractices.largeClusterWorkerThreshold {
                let workers = context.workerGroups.reduce(Int64(0)) { total, group in
                    let replicas = max(
                        group.value["replicas"]?.numberValue?.int64Value ?? 0,
                        group.value["minReplicas"]?.numberValue?.int64Value ?? 0)
                    let hosts = max(group.value["numOfHosts"]?.numberValue?.int64Value ?? 1, 1)
                    return total.addingReportingOverflow(replicas.multipliedReportingOverflow(by: hosts).partialValue)
                        .partialValue
                }
                guard workers >= Int64(threshold) else { return [] }
            }
            let (field, value) = headNumCPUsField(context, head)
            return [.invalid(field, value, "large cluster: set \"0\" to keep tasks off the head")]
        },
        warning(
            "dashboard-disabled", "RayJob, RayService and RayCronJob keep the Ray dashboard on",
            kinds: [.rayJob, .rayService, .rayCronJob]
        ) { context in
            let head = context.cluster.headGroup
            guard
                let value = context.object[head.rayStartParams.appending("include-dashboard")]?.stringValue,
                value.filter({ $0 != " " }).lowercased() == "false"
            else { return [] }
            let kind = context.kind == .rayCronJob ? RayKind.rayJob : context.kind
            return [
                .invalid(
                    head.fieldPath.child("rayStartParams").key("include-dashboard"), .string(value),
                    "\(kind.rawValue) needs the Ray dashboard; don't set false")
            ]
        },
    ]
}
