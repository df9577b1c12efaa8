/// Best practices, as warnings (allowed, each citing its rule): things KubeRay accepts that users
/// regret (rule book §6).
enum BestPracticeRules {
    static func image(_ group: (location: GroupLocation, value: JSONValue)) -> String? {
        group.value["template"]?["spec"]?["containers"]?[0]?["image"]?.stringValue
    }

    /// The Ray version in an image tag: `rayproject/ray:2.53.0-gpu` → 2.53.0. Bytes, not Characters:
    /// it runs for every group on every review.
    static func tagVersion(_ image: String) -> String? {
        let utf8 = image.utf8
        guard let colon = utf8.lastIndex(of: UInt8(ascii: ":")),
            !utf8[colon...].contains(UInt8(ascii: "/"))
        else { return nil }
        let version = utf8[utf8.index(after: colon)...].prefix {
            ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || $0 == UInt8(ascii: ".")
        }
        var numbers = 0
        var previous = UInt8(ascii: ".")
        for byte in version {
            if byte != UInt8(ascii: "."), previous == UInt8(ascii: ".") { numbers += 1 }
            previous = byte
        }
        return numbers >= 2 ? String(Substring(version)) : nil
    }

    /// An image with no tag or the `latest` tag (digests pin it either way).
    static func isUnpinned(_ image: String) -> Bool {
        let utf8 = image.utf8
        guard !utf8.contains(UInt8(ascii: "@")) else { return false }
        let nameStart = utf8.lastIndex(of: UInt8(ascii: "/")).map(utf8.index(after:)) ?? utf8.startIndex
        return !utf8[nameStart...].contains(UInt8(ascii: ":")) || image.hasSuffix(":latest")
    }

    static func rayContainer(_ group: (location: GroupLocation, value: JSONValue)) -> ContainerView {
        ContainerView(group.value["template"]?["spec"]?["containers"]?[0] ?? .null)
    }

    static let quantitySuffixes: [(String, Double)] = [
        ("Ki", 1024), ("Mi", 1_048_576), ("Gi", 1_073_741_824), ("Ti", 1_099_511_627_776),
        ("k", 1e3), ("M", 1e6), ("G", 1e9), ("T", 1e12), ("m", 1e-3),
    ]

    /// A memory quantity in bytes (binary and decimal suffixes); nil when unreadable.
    static func quantityBytes(_ value: JSONValue?) -> Double? {
        guard let value else { return nil }
        let text = value.stringValue ?? value.numberValue?.text ?? ""
        for (suffix, factor) in quantitySuffixes where text.hasSuffix(suffix) {
            return Double(text.dropLast(suffix.count)).map { $0 * factor }
        }
        return Double(text)
    }

    static let rules: [ValidationRule] = [
        ValidationRule(
            id: "ray-version-mismatch", summary: "rayVersion matches the Ray version in the images", mode: .warn
        ) { context in
            let declared = context.clusterSpec?["rayVersion"]?.stringValue ?? ""
            guard !declared.isEmpty else { return [] }
            let declaredVersion = RayVersion(declared)
            return context.groups.compactMap { group in
                guard let image = image(group), let tagged = tagVersion(image) else { return nil }
                if let declaredVersion, let taggedVersion = RayVersion(tagged), declaredVersion == taggedVersion {
                    return nil
                }
                return .invalid(
                    group.location.rayContainerFieldPath.child("image"), .string(image),
                    "Ray \(tagged), but rayVersion is \(declared)")
            }
        },
        ValidationRule(id: "image-tag", summary: "Ray images are pinned (no latest or missing tag)", mode: .warn) {
            context in
            context.groups.compactMap { group in
                guard let image = image(group), isUnpinned(image) else { return nil }
                return .invalid(
                    group.location.rayContainerFieldPath.child("image"), .string(image), "pin a version tag")
            }
        },
        ValidationRule(
            id: "memory-request-below-limit", summary: "Ray containers request the memory they are limited to",
            mode: .warn
        ) { context in
            context.groups.compactMap { group in
                let container = rayContainer(group)
                guard let limit = quantityBytes(container.limits["memory"]),
                    let request = quantityBytes(container.requests["memory"]),
                    request < limit
                else { return nil }
                return .invalid(
                    group.location.rayContainerFieldPath.child("resources", "requests", "memory"),
                    container.requests["memory"],
                    "Ray sizes its object store from the limit; request it")
            }
        },
        ValidationRule(id: "cpu-limit", summary: "Ray containers set no CPU limit (throttling)", mode: .warn) {
            context in
            context.groups.compactMap { group in
                guard let limit = rayContainer(group).limits["cpu"] else { return nil }
                return .invalid(
                    group.location.rayContainerFieldPath.child("resources", "limits", "cpu"), limit,
                    "CPU limits throttle Ray; KubeRay recommends requests only")
            }
        },
        ValidationRule(
            id: "head-num-cpus", summary: "With worker groups, the head runs no tasks (num-cpus \"0\")", mode: .warn
        ) { context in
            guard !context.workerGroups.isEmpty,
                let head = context.object[context.cluster.headGroup.pointer],
                head["resources"]?.objectValue?.isEmpty ?? true
            else { return [] }
            let value = head["rayStartParams"]?["num-cpus"]?.stringValue
            guard value != "0" else { return [] }
            return [
                .invalid(
                    context.cluster.headGroup.fieldPath.child("rayStartParams").key("num-cpus"),
                    value.map(JSONValue.string),
                    "set \"0\" to keep tasks off the head")
            ]
        },
        ValidationRule(id: "no-resources", summary: "Ray containers declare resources", mode: .warn) { context in
            context.groups.compactMap { group in
                let container = rayContainer(group)
                guard container.limits.isEmpty, container.requests.isEmpty,
                    group.value["template"]?["spec"]?["containers"]?[0] != nil
                else { return nil }
                return .required(group.location.rayContainerFieldPath.child("resources"), "Ray sizes itself from them")
            }
        },
    ]
}
