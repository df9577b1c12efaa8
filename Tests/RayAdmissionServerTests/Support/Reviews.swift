import RayAdmission

/// AdmissionReview bodies as the API server sends them.
enum Reviews {
    static func body(
        uid: String = "11111111-2222-3333-4444-555555555555",
        kind: String = "RayCluster",
        operation: String = "CREATE",
        object: JSONValue? = nil
    ) -> JSONValue {
        let objectValue =
            object ?? ["apiVersion": "ray.io/v1", "kind": .string(kind), "metadata": ["name": "demo"], "spec": [:]]
        return [
            "apiVersion": "admission.k8s.io/v1",
            "kind": "AdmissionReview",
            "request": [
                "uid": .string(uid),
                "kind": ["group": "ray.io", "version": "v1", "kind": .string(kind)],
                "resource": ["group": "ray.io", "version": "v1", "resource": .string(kind.lowercased() + "s")],
                "name": "demo",
                "namespace": "default",
                "operation": .string(operation),
                "userInfo": ["username": "tester"],
                "object": objectValue,
                "oldObject": operation == "UPDATE" ? objectValue : .null,
                "dryRun": false,
            ],
        ]
    }
}
