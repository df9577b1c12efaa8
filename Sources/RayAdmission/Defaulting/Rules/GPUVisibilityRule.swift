/// A Ray container without GPUs gets `NVIDIA_VISIBLE_DEVICES=void`, so a CPU pod scheduled on a
/// GPU node cannot see (and grab) that node's GPUs through the NVIDIA runtime. KubeRay itself never
/// sets it (§3.3): this is a best practice, not parity.
public struct GPUVisibilityRule: DefaultingRule {
    public let descriptor = RuleDescriptor(
        id: "gpu-visibility", stage: .defaulting,
        summary: "NVIDIA_VISIBLE_DEVICES=void on Ray containers with no GPU limit, unless set",
        kinds: .allRayKinds)

    public init() {}

    public func apply(_ context: DefaultingContext, to output: inout DefaultingOutput) throws(JSONPatchError) {
        for group in context.groups {
            let hasGPU = output[group.rayContainer].map { ContainerView($0).hasGPULimit } ?? false
            guard !hasGPU else { continue }
            output.addEnvIfAbsent(
                RayConstants.Env.nvidiaVisibleDevices, "void", to: group.rayContainer, rule: descriptor.id)
        }
    }
}
