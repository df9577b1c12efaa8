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

    static func minimalObject(kind: String = "RayCluster", name: String = "demo") -> JSONValue {
        [
            "apiVersion": "ray.io/v1", "kind": .string(kind),
            "metadata": ["name": .string(name), "namespace": "team-a"],
            "spec": [:],
        ]
    }
}
