/// Keeps Ray tasks off the head so that the GCS and dashboard keep their CPU (opt-in): head
/// `num-cpus: "0"` when there are worker groups. Not with a group `resources` map, which KubeRay
/// forbids next to `num-cpus` (V10).
public struct HeadNumCPUsZeroRule: DefaultingRule {
    public let descriptor = RuleDescriptor(
        id: "head-num-cpus-zero", stage: .defaulting,
        summary: "Head rayStartParams num-cpus \"0\" when worker groups exist (opt-in; not with head resources, V10)",
        kinds: .allRayKinds, enabledByDefault: false)

    public init() {}

    public func apply(_ context: DefaultingContext, to output: inout DefaultingOutput) throws(JSONPatchError) {
        let head = context.cluster.headGroup
        guard context.scope.allowsDefaults(in: context.cluster), case .object? = output[head.pointer],
            !context.cluster.workerGroups(in: output.document.value).isEmpty,
            (output[head.pointer.appending("resources")]?.objectValue?.isEmpty ?? true)
        else { return }
        try output.document.setIfAbsent(
            "0", at: head.rayStartParams.appending(RayConstants.StartParam.numCPUs), rule: descriptor.id)
    }
}
