/// A namespace's `inject` settings, written like every other default: only where absent, so the
/// user's values win and a second pass changes nothing. Labels go on the resource and every pod
/// template, annotations on the resource, env on every Ray container, tolerations, node selector
/// and priority class on every pod template.
public struct PolicyInjectionRule: DefaultingRule {
    public let descriptor = RuleDescriptor(
        id: "policy-inject", stage: .defaulting,
        summary: "The namespace policy's labels, annotations, env, tolerations, nodeSelector, priorityClassName",
        kinds: .allRayKinds)

    public init() {}

    public func apply(_ context: DefaultingContext, to output: inout DefaultingOutput) throws(JSONPatchError) {
        let inject = context.injection
        guard !inject.isEmpty else { return }
        let id = descriptor.id
        if context.scope.allowsMetadataDefaults {
            try setAbsent(inject.labels, under: ["metadata", "labels"], in: &output)
            try setAbsent(inject.annotations, under: ["metadata", "annotations"], in: &output)
        }
        var templates = context.groups.map { $0.pointer.appending("template") }
        if context.kind == .rayJob || context.kind == .rayCronJob, context.scope.allowsMetadataDefaults {
            let job: JSONPointer = context.kind == .rayJob ? ["spec"] : ["spec", "jobTemplate"]
            if case .object? = output[job.appending("submitterPodTemplate")] {
                templates.append(job.appending("submitterPodTemplate"))
            }
        }
        for template in templates {
            guard case .object? = output[template] else { continue }
            output.attempt { (output: inout DefaultingOutput) throws(JSONPatchError) in
                try setAbsent(inject.labels, under: template.appending("metadata", "labels"), in: &output)
                let spec = template.appending("spec")
                try setAbsent(inject.nodeSelector, under: spec.appending("nodeSelector"), in: &output)
                if let priorityClassName = inject.priorityClassName {
                    try output.document.setIfAbsent(
                        .string(priorityClassName), at: spec.appending("priorityClassName"), rule: id)
                }
                for toleration in inject.tolerations {
                    let existing = output[spec.appending("tolerations")]?.arrayValue ?? []
                    guard !existing.contains(where: { $0.isSemanticallyEqual(to: toleration) }) else { continue }
                    try output.document.append(toleration, toArrayAt: spec.appending("tolerations"), rule: id)
                }
            }
        }
        for group in context.groups {
            for name in inject.env.keys.sorted() where !PolicyInjection.isReservedEnv(name) {
                output.addEnvIfAbsent(name, inject.env[name] ?? "", to: group.rayContainer, rule: id)
            }
        }
    }

    private func setAbsent(_ values: [String: String], under map: JSONPointer, in output: inout DefaultingOutput)
        throws(JSONPatchError)
    {
        for key in values.keys.sorted() where !PolicyInjection.isReservedKey(key) {
            if let existing = output[map], existing.objectValue == nil, !existing.isNull { return }
            try output.document.setIfAbsent(.string(values[key] ?? ""), at: map.appending(key), rule: descriptor.id)
        }
    }
}
