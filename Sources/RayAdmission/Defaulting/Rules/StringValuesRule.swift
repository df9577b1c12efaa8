/// The CRD types `rayStartParams`, group `labels`, group `resources` and `headServiceAnnotations`
/// as maps of strings, and the API server checks that only after mutating admission. `num-cpus: 0`,
/// `block: true` and `num-gpus: 1.5` are the classic mistake; rewrite numbers and booleans as their
/// exact text and say so in a warning.
public struct StringValuesRule: DefaultingRule {
    public let descriptor = RuleDescriptor(
        id: "string-values", stage: .defaulting,
        summary:
            "Rewrite numbers/booleans in rayStartParams, group labels/resources, headServiceAnnotations as strings",
        kinds: .allRayKinds)

    public init() {}

    public func apply(_ context: DefaultingContext, to output: inout DefaultingOutput) throws(JSONPatchError) {
        for group in context.groups {
            rewrite(["rayStartParams", "labels", "resources"], of: group.pointer, field: group.fieldPath, in: &output)
        }
        if context.scope.allowsDefaults(in: context.cluster) {
            rewrite(
                ["headServiceAnnotations"], of: context.cluster.pointer, field: context.cluster.fieldPath, in: &output)
        }
    }

    private struct Rewrite {
        let map: String
        let key: String
        let original: JSONValue
        let text: String
    }

    /// Finds what to rewrite in one read of the owner, then lets go of it before changing
    /// anything: a live reference would make the first change copy the owner.
    private func rewrite(_ maps: [String], of owner: JSONPointer, field: FieldPath, in output: inout DefaultingOutput) {
        let rewrites: [Rewrite] = {
            guard case .object(let object)? = output[owner] else { return [] }
            var found: [Rewrite] = []
            for map in maps {
                guard case .object(let values)? = object[map] else { continue }
                for member in values {
                    switch member.value {
                    case .number(let number):
                        found.append(Rewrite(map: map, key: member.key, original: member.value, text: number.text))
                    case .bool(let bool):
                        found.append(
                            Rewrite(map: map, key: member.key, original: member.value, text: bool ? "true" : "false"))
                    default:
                        continue
                    }
                }
            }
            return found
        }()
        for rewrite in rewrites {
            output.attempt { (output: inout DefaultingOutput) throws(JSONPatchError) in
                try output.document.set(
                    .string(rewrite.text), at: owner.appending(rewrite.map, rewrite.key), rule: descriptor.id)
                output.warnings.append(
                    "\(field.child(rewrite.map).key(rewrite.key)): \(rewrite.original.jsonString) → \"\(rewrite.text)\" [\(descriptor.id)]"
                )
            }
        }
    }
}
