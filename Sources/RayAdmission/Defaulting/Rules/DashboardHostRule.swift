/// The dashboard listens on every interface, as KubeRay sets at pod build (§3.3).
public struct DashboardHostRule: DefaultingRule {
    public let descriptor = RuleDescriptor(
        id: "dashboard-host", stage: .defaulting,
        summary: "Head rayStartParams dashboard-host: \"0.0.0.0\" when absent (§3.3)",
        kinds: .allRayKinds)

    public init() {}

    public func apply(_ context: DefaultingContext, to output: inout DefaultingOutput) throws(JSONPatchError) {
        let head = context.cluster.headGroup
        guard context.scope.allowsDefaults(in: head), case .object? = output[head.pointer] else { return }
        try output.document.setIfAbsent(
            "0.0.0.0", at: head.rayStartParams.appending(RayConstants.StartParam.dashboardHost), rule: descriptor.id)
    }
}
