import RayAdmission

/// AdmissionReview bodies as the API server sends them.
enum Reviews {
    static func body(
        uid: String = "11111111-2222-3333-4444-555555555555",
        kind: String = "RayCluster",
        group: String = "ray.io",
        version: String = "v1",
        operation: String = "CREATE",
        namespace: String = "team-a",
        name: String = "demo",
        object: JSONValue? = nil,
        oldObject: JSONValue? = nil,
        dryRun: Bool = false
    ) -> JSONValue {
        var request: JSONObject = [
            "uid": .string(uid),
            "kind": ["group": .string(group), "version": .string(version), "kind": .string(kind)],
            "resource": [
                "group": .string(group), "version": .string(version), "resource": .string(kind.lowercased() + "s"),
            ],
            "requestKind": ["group": .string(group), "version": .string(version), "kind": .string(kind)],
            "name": .string(name),
            "namespace": .string(namespace),
            "operation": .string(operation),
            "userInfo": ["username": "kubernetes-admin", "groups": ["system:masters", "system:authenticated"]],
            "dryRun": .bool(dryRun),
            "options": ["apiVersion": "meta.k8s.io/v1", "kind": "CreateOptions"],
        ]
        request["object"] = object ?? .null
        request["oldObject"] = oldObject ?? .null
        return ["apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": .object(request)]
    }

    /// The smallest object of each kind that KubeRay accepts.
    static func minimalObject(kind: String = "RayCluster", name: String = "demo") -> JSONValue {
        let cluster: JSONValue = [
            "headGroupSpec": [
                "template": ["spec": ["containers": [["name": "ray", "image": "rayproject/ray:2.53.0"]]]]
            ]
        ]
        let spec: JSONValue
        switch kind {
        case "RayJob": spec = ["entrypoint": "python job.py", "rayClusterSpec": cluster]
        case "RayCronJob":
            spec = [
                "schedule": "0 * * * *", "jobTemplate": ["entrypoint": "python job.py", "rayClusterSpec": cluster],
            ]
        case "RayService": spec = ["rayClusterConfig": cluster]
        default: spec = cluster
        }
        return [
            "apiVersion": "ray.io/v1", "kind": .string(kind),
            "metadata": ["name": .string(name), "namespace": "team-a"],
            "spec": spec,
        ]
    }
}
