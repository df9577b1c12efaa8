/// With in-tree autoscaling on, the autoscaler's settings made explicit, each only when absent
/// (§3.6, §7.B). Never a container named `autoscaler` (KubeRay builds the sidecar; a second one
/// breaks the head pod), never `version` or `env` (§7.A).
public struct AutoscalerOptionsRule: DefaultingRule {
    public let descriptor = RuleDescriptor(
        id: "autoscaler-options", stage: .defaulting,
        summary: "autoscalerOptions upscalingMode Default, idleTimeoutSeconds 60, 500m/512Mi, IfNotPresent (§3.6)",
        kinds: .allRayKinds)

    public init() {}

    static let resources: JSONValue = [
        "requests": ["cpu": "500m", "memory": "512Mi"],
        "limits": ["cpu": "500m", "memory": "512Mi"],
    ]

    public func apply(_ context: DefaultingContext, to output: inout DefaultingOutput) throws(JSONPatchError) {
        let cluster = context.cluster.pointer
        guard context.scope.allowsDefaults(in: context.cluster),
            output[cluster.appending("enableInTreeAutoscaling")] == .bool(true)
        else { return }
        let options = cluster.appending("autoscalerOptions")
        if let existing = output[options], existing.objectValue == nil, !existing.isNull { return }
        if output[options]?.isNull == true {
            try output.document.set(.object(JSONObject()), at: options, rule: descriptor.id)
        }
        try output.document.setIfAbsent("Default", at: options.appending("upscalingMode"), rule: descriptor.id)
        try output.document.setIfAbsent(60, at: options.appending("idleTimeoutSeconds"), rule: descriptor.id)
        try output.document.setIfAbsent(Self.resources, at: options.appending("resources"), rule: descriptor.id)
        try output.document.setIfAbsent("IfNotPresent", at: options.appending("imagePullPolicy"), rule: descriptor.id)
    }
}
