/// The legacy way to turn on GCS fault tolerance is `RAY_REDIS_ADDRESS` on the head plus the
/// annotation `ray.io/ft-enabled: "true"`; with the env alone KubeRay rejects the cluster (V28).
/// Add the annotation, and the worker reconnect timeout KubeRay would set (§3.7). With
/// `gcsFaultToleranceOptions` set, write none of it (V27–V32).
public struct LegacyGCSFaultToleranceRule: DefaultingRule {
    public let descriptor = RuleDescriptor(
        id: "gcs-ft-legacy", stage: .defaulting,
        summary:
            "Head RAY_REDIS_ADDRESS without gcsFaultToleranceOptions: ray.io/ft-enabled \"true\" (V28), worker reconnect 600s",
        // RayCronJob templates carry no annotations to KubeRay's check, so nothing here can help.
        kinds: [.rayCluster, .rayJob, .rayService])

    public init() {}

    public func apply(_ context: DefaultingContext, to output: inout DefaultingOutput) throws(JSONPatchError) {
        let cluster = context.cluster.pointer
        guard let annotationsPointer = context.cluster.annotationsPointer,
            output[cluster.appending("gcsFaultToleranceOptions")].map(\.isNull) ?? true,
            let headContainer = output[context.cluster.headGroup.rayContainer],
            ContainerView(headContainer).hasEnv(RayConstants.Env.redisAddress)
        else { return }
        if context.scope.allowsDefaults(in: context.cluster.headGroup) {
            try output.document.setIfAbsent(
                "true", at: annotationsPointer.appending(RayConstants.Annotation.ftEnabled), rule: descriptor.id)
        }
        guard context.annotations(in: output)[RayConstants.Annotation.ftEnabled]?.stringValue?.lowercased() == "true"
        else { return }
        for group in context.groups where !group.isHead {
            output.addEnvIfAbsent(
                RayConstants.Env.gcsReconnectTimeout, "600", to: group.rayContainer, rule: descriptor.id)
        }
    }
}
