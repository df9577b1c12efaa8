import AsyncHTTPClient
import RayAdmission
import Testing

/// Denials through the real server: HTTP 200, `allowed: false`, 422 Invalid, every violation
/// with its field path, and the rule ids in the audit annotation.
@Suite(.serialized)
struct ValidateEndpointTests {
    @Test func invalidObjectsAreDeniedOnEveryValidatePath() async throws {
        try await TestServer.with { server in
            try await TestClient.with(trusting: server.certificates.caCertificatePEM) { client in
                for kind in RayKind.allCases {
                    var object = MutateEndpointTests.object(kind)
                    let cluster = ClusterSpecLocation(kind: kind)
                    object = try JSONPatch([
                        .add(
                            path: cluster.pointer.appending("workerGroupSpecs").appending(0).appending("minReplicas"),
                            value: 9),
                        .add(path: cluster.pointer.appending("tlsOptions"), value: ["enabled": true]),
                    ]).apply(to: object)
                    for path in ["/validate", "/validate-ray-io-v1-\(kind.rawValue.lowercased())"] {
                        let response = try await client.review(
                            server.baseURL + path, Reviews.body(uid: "v-\(kind)", kind: kind.rawValue, object: object))
                        #expect(response.status == 200)
                        let answer = try #require(try response.json()["response"])
                        #expect(answer["uid"] == .string("v-\(kind)"))
                        #expect(answer["allowed"] == false)
                        #expect(answer["status"]?["code"] == 422)
                        #expect(answer["status"]?["reason"] == "Invalid")
                        let message = answer["status"]?["message"]?.stringValue ?? ""
                        #expect(message.hasPrefix("\(kind.rawValue).ray.io \"demo\" is invalid: ["), "\(message)")
                        #expect(
                            message.contains("\(cluster.fieldPath).workerGroupSpecs[0].minReplicas: Invalid value: 9"),
                            "\(message)")
                        #expect(message.contains("RayClusterMTLS feature gate"), "\(message)")
                        // The object carries a number in rayStartParams (C10), which /mutate would have made a string.
                        #expect(answer["auditAnnotations"]?["violations"] == "V17,V74,C10")
                        #expect(answer["patch"] == nil)
                        // Best-practice findings come as warnings, each citing its rule, with its whole
                        // field path.
                        let warnings = answer["warnings"]?.arrayValue?.compactMap(\.stringValue) ?? []
                        #expect(
                            warnings.contains(
                                "[no-resources] no CPU or memory set; KubeRay sizes Ray from them (\(cluster.fieldPath).headGroupSpec.template.spec.containers[0].resources)"
                            ), "\(warnings)")
                        #expect(warnings.allSatisfy { $0.hasSuffix(")") && $0.count <= 256 })
                        #expect(answer["auditAnnotations"]?["warnings"]?.stringValue?.contains("no-resources") == true)
                    }
                }
            }
        }
    }
}
