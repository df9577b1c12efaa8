import AsyncHTTPClient
import Foundation
import RayAdmission
import Testing

/// Turning the webhook on in a cluster that already runs Ray, through the real server: existing
/// violations do not block routine updates, a dry run denies nothing and logs who would be
/// denied, and configuration copied from a newer operator never stops the server.
@Suite(.serialized)
struct RolloutTests {
    static func temporaryPolicy(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rollout-\(UUID().uuidString).yaml")
            .path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// A RayCluster created before the policy: it runs the public Ray image.
    static let stored = Reviews.minimalObject(kind: "RayCluster")

    /// `object` with one worker group at `replicas`, as the autoscaler leaves it.
    static func scaled(_ object: JSONValue, replicas: Int) throws -> JSONValue {
        let group: JSONValue = [
            "groupName": "workers", "replicas": .number(JSONNumber(replicas)), "minReplicas": 0, "maxReplicas": 10,
            "rayStartParams": [:],
            "template": ["spec": ["containers": [["name": "ray-worker", "image": "rayproject/ray:2.53.0"]]]],
        ]
        return try JSONPatch([.add(path: ["spec", "workerGroupSpecs"], value: [group])]).apply(to: object)
    }

    @Test func existingViolationsAdmitTheAutoscalerAndDenyAnEditThroughTheServer() async throws {
        let path = try Self.temporaryPolicy(
            "defaults:\n  constraints: { allowedImages: [\"registry.example.com/*\"] }\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try await TestServer.with(policyPath: path) { server in
            try await TestClient.with(trusting: server.certificates.caCertificatePEM) { client in
                let before = try Self.scaled(Self.stored, replicas: 1)
                let after = try Self.scaled(Self.stored, replicas: 4)
                let autoscaler = Reviews.body(
                    uid: "scale", operation: "UPDATE", object: after, oldObject: before)
                let response = try await client.review(server.baseURL + "/validate", autoscaler)
                #expect(response.status == 200)
                let answer = try response.json()["response"]
                #expect(answer?["uid"] == "scale")
                #expect(answer?["allowed"] == true, "\(response.text)")
                let warnings = answer?["warnings"]?.arrayValue?.compactMap(\.stringValue) ?? []
                #expect(
                    warnings.contains(
                        "[allowed-images] existing violation, unchanged by this update (spec.headGroupSpec.template.spec.containers[0].image)"
                    ), "\(warnings)")
                #expect(answer?["auditAnnotations"]?["existing-violations"] == "allowed-images")

                // The mutating webhook adds nothing for a scaling update either.
                let mutated = try await client.review(server.baseURL + "/mutate", autoscaler)
                #expect(try mutated.json()["response"]?["patch"] == nil, "\(mutated.text)")

                // Editing the violating image is the update's own violation: denied, naming the field.
                let edited = try JSONPatch([
                    .replace(
                        path: ["spec", "workerGroupSpecs", "0", "template", "spec", "containers", "0", "image"],
                        value: "docker.io/someone/ray:2.53.0")
                ]).apply(to: after)
                let denial = try await client.review(
                    server.baseURL + "/validate",
                    Reviews.body(uid: "edit", operation: "UPDATE", object: edited, oldObject: before))
                #expect(denial.status == 200)
                let denied = try denial.json()["response"]
                #expect(denied?["allowed"] == false)
                #expect(denied?["status"]?["code"] == 422)
                #expect(
                    denied?["status"]?["details"]?["causes"]?[0]?["field"]
                        == "spec.workerGroupSpecs[0].template.spec.containers[0].image")

                let metrics = try await client.send(server.metricsURL + "/metrics", method: .GET).text
                #expect(
                    metrics.contains(
                        "ray_admission_policy_violations_total{rule=\"allowed-images\",namespace=\"default\",mode=\"existing\"} 2"
                    ), "\(metrics)")
                #expect(
                    metrics.contains(
                        "ray_admission_policy_violations_total{rule=\"allowed-images\",namespace=\"default\",mode=\"deny\"} 1"
                    ), "\(metrics)")
            }
        }
    }

    /// `"*": audit` on the built executable: a resource that breaks KubeRay rules is admitted,
    /// one info line names who would have been denied and by what, and the metric counts it.
    /// A newer operator's gate names in the flag and in the policy are logged, not fatal.
    @Test func aDryRunDeniesNothingAndLogsWhoWouldBeDenied() async throws {
        let path = try Self.temporaryPolicy(
            """
            defaults:
              rules: { "*": audit }
              featureGates: { RayClusterMTLS: false, RayFutureGate: true }
            """)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let serving = try await ServeProcess.serving([
            "--policy", path, "--feature-gates", "RayClusterMTLS=true,RayNextRelease=true",
        ])
        defer { try? FileManager.default.removeItem(atPath: serving.devDirectory) }
        let process = serving.process

        let flagWarning = try await process.waitForLog(
            "--feature-gates: \(FeatureGates.unknownGateMessage(["RayNextRelease"]))")
        #expect(flagWarning["level"] == "warning")
        let policyWarning = process.logLines.first {
            $0["message"]?.stringValue?.hasPrefix("policy: \(path):3:") == true
        }
        #expect(policyWarning?["message"]?.stringValue?.contains("unknown feature gate RayFutureGate ignored") == true)
        let override = try await process.waitForLog("policy featureGates overrides --feature-gates")
        #expect(override["gate"] == "RayClusterMTLS")
        #expect(override["flag"] == "true")
        #expect(override["policy"] == "false")
        let gates = try await process.waitForLog("feature gates in force")
        #expect(gates["gates"]?.stringValue?.contains("RayClusterMTLS=false") == true)

        let broken = try JSONPatch([
            .add(path: ["spec", "tlsOptions"], value: ["enabled": true]),
            .add(path: ["spec", "headGroupSpec", "rayStartParams"], value: ["labels": "x"]),
        ]).apply(to: Reviews.minimalObject(kind: "RayCluster"))
        try await TestClient.with(trusting: serving.caPEM) { client in
            let response = try await client.review(
                serving.baseURL + "/validate", Reviews.body(uid: "dry-run", name: "legacy", object: broken))
            let answer = try response.json()["response"]
            #expect(answer?["allowed"] == true, "\(response.text)")
            #expect(answer?["warnings"] == nil)
            let audited = answer?["auditAnnotations"]?["audit"]?.stringValue ?? ""
            #expect(audited.contains("V11") && audited.contains("V74"), "\(audited)")

            let line = try await process.waitForLog("admitted with recorded findings")
            #expect(line["level"] == "info")
            #expect(line["namespace"] == "default")
            #expect(line["name"] == "legacy")
            #expect(line["uid"] == "dry-run")
            #expect(line["operation"] == "CREATE")
            #expect(line["user"] == "tester")
            #expect(line["kind"]?.stringValue?.contains("RayCluster") == true)
            #expect(line["audit"]?.stringValue?.contains("V74") == true)

            let metrics = try await client.send("http://127.0.0.1:\(serving.metricsPort)/metrics", method: .GET).text
            #expect(
                metrics.contains(
                    "ray_admission_policy_violations_total{rule=\"V74\",namespace=\"default\",mode=\"audit\"} 1"),
                "\(metrics)")
        }
        process.signal(SIGTERM)
        #expect(try await process.waitForExit() == 0)
    }
}
