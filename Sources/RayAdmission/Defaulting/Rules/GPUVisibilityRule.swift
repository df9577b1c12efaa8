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
        for group in context.groups(in: output) {
            // Decide first, in a scope of its own: a live reference to the container while it is
            // changed would make the change copy it.
            let needsVoid: Bool = {
                guard let container = output[group.rayContainer], case .object = container else { return false }
                let view = ContainerView(container)
                guard !view.hasGPULimit, !view.hasEnv(RayConstants.Env.nvidiaVisibleDevices) else { return false }
                if let env = container["env"], env.arrayValue == nil, !env.isNull { return false }
                return true
            }()
            guard needsVoid else { continue }
            output.attempt { (output: inout DefaultingOutput) throws(JSONPatchError) in
                try output.document.append(
                    ["name": .string(RayConstants.Env.nvidiaVisibleDevices), "value": "void"],
                    toArrayAt: group.rayContainer.appending("env"), rule: descriptor.id)
            }
        }
    }
}
