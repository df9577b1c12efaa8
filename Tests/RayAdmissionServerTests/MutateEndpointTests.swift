import AsyncHTTPClient
import Foundation
import RayAdmission
import Testing

/// Defaults through the real server: `/mutate` and the per-kind paths return a patch that, applied
/// to the object, gives the defaulted object; warnings and the audit annotation come along.
@Suite(.serialized)
struct MutateEndpointTests {
    static func clusterSpec() -> JSONValue {
        [
            "headGroupSpec": [
                "rayStartParams": ["num-cpus": 0],
                "template": ["spec": ["containers": [["name": "ray-head", "image": "rayproject/ray:2.53.0"]]]],
            ],
            "workerGroupSpecs": [
                [
                    "groupName": "gpu", "replicas": 1, "minReplicas": 0, "maxReplicas": 4,
                    "rayStartParams": [:],
                    "template": [
                        "spec": [
                            "containers": [
                                [
                                    "name": "ray-worker", "image": "rayproject/ray:2.53.0-gpu",
                                    "resources": ["limits": ["nvidia.com/gpu": 1]],
                                ]
                            ]
                        ]
                    ],
                ]
            ],
        ]
    }

    static func object(_ kind: RayKind) -> JSONValue {
        let cluster = clusterSpec()
        let spec: JSONValue
        switch kind {
        case .rayCluster: spec = cluster
        case .rayJob: spec = ["entrypoint": "python job.py", "rayClusterSpec": cluster]
        case .rayService: spec = ["serveConfigV2": "applications: []", "rayClusterConfig": cluster]
        case .rayCronJob:
            spec = [
                "schedule": "0 * * * *", "jobTemplate": ["entrypoint": "python job.py", "rayClusterSpec": cluster],
            ]
        }
        return ["apiVersion": "ray.io/v1", "kind": .string(kind.rawValue), "metadata": ["name": "demo"], "spec": spec]
    }

    @Test func everyMutatePathDefaultsEveryKind() async throws {
        try await TestServer.with { server in
            try await TestClient.with(trusting: server.certificates.caCertificatePEM) { client in
                for kind in RayKind.allCases {
                    for path in ["/mutate", "/mutate-ray-io-v1-\(kind.rawValue.lowercased())"] {
                        let object = Self.object(kind)
                        let response = try await client.review(
                            server.baseURL + path, Reviews.body(uid: "m-\(kind)", kind: kind.rawValue, object: object))
                        #expect(response.status == 200)
                        let answer = try #require(try response.json()["response"])
                        #expect(answer["uid"] == .string("m-\(kind)"))
                        #expect(answer["patchType"] == "JSONPatch")
                        let encodedPatch = try #require(answer["patch"]?.stringValue)
                        let patchBytes = try #require(Data(base64Encoded: encodedPatch))
                        let patch = try JSONPatch(json: JSONParser().parse(Array(patchBytes)))
                        let patched = try patch.apply(to: object)
                        let expected = Defaulter().apply(to: object, kind: kind, operation: .create).object
                        #expect(patched == expected)
                        let cluster = ClusterSpecLocation(kind: kind)
                        #expect(
                            patched[
                                cluster.pointer.appending("headGroupSpec").appending("rayStartParams").appending(
                                    "num-cpus")] == "0")
                        #expect(
                            patched[cluster.headGroup.rayStartParams.appending("dashboard-host")] == "0.0.0.0")
                        #expect(
                            answer["warnings"]?[0]?.stringValue?.contains("rayStartParams[num-cpus]: 0 → \"0\"") == true
                        )
                        let audit = answer["auditAnnotations"]?["defaults-applied"]?.stringValue ?? ""
                        for rule in [
                            "string-values", "head-ports", "worker-metrics-port", "dashboard-host", "gpu-visibility",
                            "gpu-toleration",
                        ] {
                            #expect(audit.contains(rule), "\(kind) \(path): \(audit)")
                        }
                        // Mutating the result again yields no patch.
                        let again = try await client.review(
                            server.baseURL + path, Reviews.body(uid: "again", kind: kind.rawValue, object: patched))
                        #expect(try again.json()["response"]?["patch"] == nil)
                    }
                }
            }
        }
    }

    @Test func validatePathsNeverPatch() async throws {
        try await TestServer.with { server in
            try await TestClient.with(trusting: server.certificates.caCertificatePEM) { client in
                for kind in RayKind.allCases {
                    let response = try await client.review(
                        server.baseURL + "/validate-ray-io-v1-\(kind.rawValue.lowercased())",
                        Reviews.body(kind: kind.rawValue, object: Self.object(kind)))
                    #expect(try response.json()["response"]?["patch"] == nil)
                }
            }
        }
    }
}
