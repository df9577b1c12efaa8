/// The head Ray container's well-known ports, made explicit (§3.2, §7.B). A port counts as present
/// when its name or its number (TCP) is already declared, so the `(containerPort, protocol)` list-map
/// key is never duplicated. With no ports at all, KubeRay's default head-Service set is written, so
/// the Service KubeRay builds does not change.
public struct HeadPortsRule: DefaultingRule {
    public let descriptor = RuleDescriptor(
        id: "head-ports", stage: .defaulting,
        summary:
            "Head Ray container ports gcs-server 6379, dashboard 8265, client 10001, metrics 8080 (+ serve 8000) (§3.2)",
        kinds: .allRayKinds)

    public init() {}

    /// KubeRay's head Service ports when the head declares none (`getDefaultPorts`).
    static let defaultServiceSet: [(name: String, number: Int)] = [
        (RayConstants.PortName.client, RayConstants.Port.client),
        (RayConstants.PortName.gcsServer, RayConstants.Port.gcsServer),
        (RayConstants.PortName.dashboard, RayConstants.Port.dashboard),
        (RayConstants.PortName.metrics, RayConstants.Port.metrics),
        (RayConstants.PortName.serve, RayConstants.Port.serve),
    ]

    public func apply(_ context: DefaultingContext, to output: inout DefaultingOutput) throws(JSONPatchError) {
        let head = context.cluster.headGroup
        guard context.scope.allowsDefaults(in: head), let container = output[head.rayContainer],
            case .object = container
        else { return }
        let view = ContainerView(container)
        let params = output[head.rayStartParams]?.objectValue ?? JSONObject()
        let wanted: [(name: String, number: Int)]
        if view.ports.isEmpty {
            wanted = Self.defaultServiceSet
        } else {
            var list: [(name: String, number: Int)] = [
                (
                    RayConstants.PortName.gcsServer,
                    Self.number(params, RayConstants.StartParam.port, RayConstants.Port.gcsServer)
                ),
                (
                    RayConstants.PortName.dashboard,
                    Self.number(params, RayConstants.StartParam.dashboardPort, RayConstants.Port.dashboard)
                ),
                (
                    RayConstants.PortName.client,
                    Self.number(params, RayConstants.StartParam.clientServerPort, RayConstants.Port.client)
                ),
                (
                    RayConstants.PortName.metrics,
                    Self.number(params, RayConstants.StartParam.metricsExportPort, RayConstants.Port.metrics)
                ),
            ]
            if servesTraffic(context, output) {
                list.append((RayConstants.PortName.serve, RayConstants.Port.serve))
            }
            wanted = list.filter { $0.number > 0 }
        }
        try PortDefaults.addMissing(wanted, to: head.rayContainer, in: &output, rule: descriptor.id)
    }

    /// RayService heads serve; a RayCluster does when it asks KubeRay for a serve Service.
    private func servesTraffic(_ context: DefaultingContext, _ output: DefaultingOutput) -> Bool {
        switch context.kind {
        case .rayService: return true
        case .rayCluster:
            return context.annotations(in: output)[RayConstants.Annotation.enableServeService]?.stringValue == "true"
        case .rayJob, .rayCronJob: return false
        }
    }

    /// A port moved in `rayStartParams`; an unreadable value leaves that port out (validation
    /// reports it), rather than declaring a number the process does not listen on.
    static func number(_ params: JSONObject, _ key: String, _ fallback: Int) -> Int {
        guard let value = params[key] else { return fallback }
        let text: String
        switch value {
        case .string(let string): text = string
        case .number(let number): text = number.text
        default: return 0
        }
        guard let port = Int(text), (1...65535).contains(port) else { return 0 }
        return port
    }
}

/// Appends container ports that are missing by name and by number, one `add` each.
enum PortDefaults {
    static func addMissing(
        _ wanted: [(name: String, number: Int)], to container: JSONPointer, in output: inout DefaultingOutput,
        rule: RuleID
    ) throws(JSONPatchError) {
        for port in wanted {
            let present: Bool = {
                let view = ContainerView(output[container] ?? .null)
                return view.hasPort(name: port.name) || view.hasTCPPort(number: port.number)
            }()
            guard !present else { continue }
            // Members, not a dictionary literal: a literal's array of tuples is built and torn
            // down through the runtime's generic witnesses, once per port of every group.
            let entry = JSONValue.object(
                JSONObject([
                    .init("name", .string(port.name)), .init("containerPort", .number(JSONNumber(port.number))),
                    .init("protocol", "TCP"),
                ]))
            try output.document.append(entry, toArrayAt: container.appending("ports"), rule: rule)
        }
    }
}
