import RayAdmission

/// AdmissionReview bodies as the API server sends them.
enum Reviews {
    /// The smallest object of each kind that KubeRay accepts.
    static func minimalObject(kind: String) -> JSONValue {
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
        return ["apiVersion": "ray.io/v1", "kind": .string(kind), "metadata": ["name": "demo"], "spec": spec]
    }

    static func body(
        uid: String = "11111111-2222-3333-4444-555555555555",
        kind: String = "RayCluster",
        operation: String = "CREATE",
        name: String = "demo",
        object: JSONValue? = nil,
        oldObject: JSONValue? = nil
    ) -> JSONValue {
        let objectValue = object ?? minimalObject(kind: kind)
        return [
            "apiVersion": "admission.k8s.io/v1",
            "kind": "AdmissionReview",
            "request": [
                "uid": .string(uid),
                "kind": ["group": "ray.io", "version": "v1", "kind": .string(kind)],
                "resource": ["group": "ray.io", "version": "v1", "resource": .string(kind.lowercased() + "s")],
                "name": .string(name),
                "namespace": "default",
                "operation": .string(operation),
                "userInfo": ["username": "tester"],
                "object": objectValue,
                "oldObject": oldObject ?? (operation == "UPDATE" ? objectValue : .null),
                "dryRun": false,
            ],
        ]
    }
}
