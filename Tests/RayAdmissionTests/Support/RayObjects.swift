import RayAdmission

/// Ray resources of each kind around one cluster spec, for rule tests.
enum RayObjects {
    static func wrap(_ clusterSpec: JSONValue, kind: RayKind, annotations: JSONValue? = nil) -> JSONValue {
        var metadata: JSONObject = ["name": "demo", "namespace": "team-a"]
        if let annotations { metadata["annotations"] = annotations }
        let spec: JSONValue
        switch kind {
        case .rayCluster: spec = clusterSpec
        case .rayJob: spec = ["entrypoint": "python main.py", "rayClusterSpec": clusterSpec]
        case .rayService: spec = ["serveConfigV2": "applications: []", "rayClusterConfig": clusterSpec]
        case .rayCronJob:
            spec = [
                "schedule": "*/5 * * * *",
                "jobTemplate": ["entrypoint": "python main.py", "rayClusterSpec": clusterSpec],
            ]
        }
        return ["apiVersion": "ray.io/v1", "kind": .string(kind.rawValue), "metadata": .object(metadata), "spec": spec]
    }

    static func container(
        name: String = "ray", ports: JSONValue? = nil, env: JSONValue? = nil, limits: JSONValue? = nil,
        requests: JSONValue? = nil
    ) -> JSONValue {
        var object: JSONObject = ["name": .string(name), "image": "rayproject/ray:2.53.0"]
        if let ports { object["ports"] = ports }
        if let env { object["env"] = env }
        var resources = JSONObject()
        if let limits { resources["limits"] = limits }
        if let requests { resources["requests"] = requests }
        if !resources.isEmpty { object["resources"] = .object(resources) }
        return .object(object)
    }

    static func group(_ container: JSONValue, name: String? = nil, params: JSONValue = [:], extra: JSONObject = [:])
        -> JSONValue
    {
        var object: JSONObject = ["rayStartParams": params, "template": ["spec": ["containers": [container]]]]
        if let name { object["groupName"] = .string(name) }
        for member in extra { object[member.key] = member.value }
        return .object(object)
    }

    /// A cluster spec: head (with all ports declared unless given) and the worker groups.
    static func cluster(head: JSONValue? = nil, workers: [JSONValue] = [], extra: JSONObject = [:]) -> JSONValue {
        var object: JSONObject = [
            "rayVersion": "2.53.0",
            "headGroupSpec": head ?? group(container(ports: fullHeadPorts), params: ["dashboard-host": "0.0.0.0"]),
        ]
        if !workers.isEmpty { object["workerGroupSpecs"] = .array(workers) }
        for member in extra { object[member.key] = member.value }
        return .object(object)
    }

    static let fullHeadPorts: JSONValue = [
        ["name": "gcs-server", "containerPort": 6379], ["name": "dashboard", "containerPort": 8265],
        ["name": "client", "containerPort": 10001], ["name": "metrics", "containerPort": 8080],
    ]
}

extension Defaulter {
    /// Defaults `object` as a CREATE, with every rule enabled unless said otherwise.
    func create(_ object: JSONValue, kind: RayKind) -> Result {
        apply(to: object, kind: kind, operation: .create)
    }
}
