/// A worker group that asks for NVIDIA GPUs tolerates the usual `nvidia.com/gpu` taint on GPU
/// nodes; otherwise its pods stay Pending on a tainted GPU pool.
public struct GPUTolerationRule: DefaultingRule {
    public let descriptor = RuleDescriptor(
        id: "gpu-toleration", stage: .defaulting,
        summary: "Toleration nvidia.com/gpu Exists NoSchedule on worker groups that request nvidia.com/gpu",
        kinds: .allRayKinds)

    public init() {}

    static let toleration: JSONValue = [
        "key": .string(RayConstants.nvidiaGPUResource), "operator": "Exists", "effect": "NoSchedule",
    ]

    public func apply(_ context: DefaultingContext, to output: inout DefaultingOutput) throws(JSONPatchError) {
        for group in context.groups where !group.isHead {
            guard let container = output[group.rayContainer],
                ContainerView(container).uses(RayConstants.nvidiaGPUResource)
            else { continue }
            let tolerations = group.podSpec.appending("tolerations")
            let existing = output[tolerations]
            if let existing, existing.arrayValue == nil, !existing.isNull { continue }
            let covered = (existing?.arrayValue ?? []).contains { toleration in
                let key = toleration["key"]?.stringValue ?? ""
                // An empty key with operator Exists tolerates every taint.
                return key == RayConstants.nvidiaGPUResource
                    || (key.isEmpty && toleration["operator"]?.stringValue == "Exists")
            }
            guard !covered else { continue }
            output.attempt { (output: inout DefaultingOutput) throws(JSONPatchError) in
                if output[tolerations]?.isNull == true {
                    try output.document.set(.array([]), at: tolerations, rule: descriptor.id)
                }
                try output.document.append(Self.toleration, toArrayAt: tolerations, rule: descriptor.id)
            }
        }
    }
}
