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
            for map in ["rayStartParams", "labels", "resources"] {
                rewrite(map: group.pointer.appending(map), field: group.fieldPath.child(map), in: &output)
            }
        }
        if context.scope.allowsDefaults(in: context.cluster) {
            let map = "headServiceAnnotations"
            rewrite(
                map: context.cluster.pointer.appending(map), field: context.cluster.fieldPath.child(map), in: &output)
        }
    }

    private func rewrite(map pointer: JSONPointer, field: FieldPath, in output: inout DefaultingOutput) {
        guard let object = output[pointer]?.objectValue else { return }
        for member in object {
            let text: String
            switch member.value {
            case .number(let number): text = number.text
            case .bool(let bool): text = bool ? "true" : "false"
            default: continue
            }
            output.attempt { (output: inout DefaultingOutput) throws(JSONPatchError) in
                try output.document.set(.string(text), at: pointer.appending(member.key), rule: descriptor.id)
                output.warnings.append(
                    "\(field.key(member.key)): \(member.value.jsonString) → \"\(text)\" [\(descriptor.id)]")
            }
        }
    }
}
