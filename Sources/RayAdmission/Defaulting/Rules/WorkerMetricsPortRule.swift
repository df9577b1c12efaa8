/// Every worker Ray container declares the `metrics` port KubeRay adds at pod build (§3.2).
public struct WorkerMetricsPortRule: DefaultingRule {
    public let descriptor = RuleDescriptor(
        id: "worker-metrics-port", stage: .defaulting,
        summary: "Worker Ray container port metrics 8080 (or rayStartParams metrics-export-port) (§3.2)",
        kinds: .allRayKinds)

    public init() {}

    public func apply(_ context: DefaultingContext, to output: inout DefaultingOutput) throws(JSONPatchError) {
        for group in context.groups where !group.isHead {
            guard case .object? = output[group.rayContainer] else { continue }
            let params = output[group.rayStartParams]?.objectValue ?? JSONObject()
            let number = HeadPortsRule.number(
                params, RayConstants.StartParam.metricsExportPort, RayConstants.Port.metrics)
            guard number > 0 else { continue }
            output.attempt { (output: inout DefaultingOutput) throws(JSONPatchError) in
                try PortDefaults.addMissing(
                    [(RayConstants.PortName.metrics, number)], to: group.rayContainer, in: &output, rule: descriptor.id)
            }
        }
    }
}
