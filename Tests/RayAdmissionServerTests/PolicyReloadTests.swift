import AsyncHTTPClient
import Foundation
import RayAdmission
import Testing

/// The policy file through the real server: applied, swapped while requests are in flight
/// (every answer comes from one whole policy, none fails), a broken version ignored, and metrics.
@Suite(.serialized)
struct PolicyReloadTests {
    static let requireOwner = "defaults: { constraints: { requiredLabels: [owner] } }\n"
    static let relaxed = "defaults: { rules: { required-labels: off }, constraints: { requiredLabels: [owner] } }\n"

    /// Writes `text` as a ConfigMap volume does: a new file, renamed into place.
    static func write(_ text: String, to path: String) throws {
        let staging = path + ".new"
        try text.write(toFile: staging, atomically: false, encoding: .utf8)
        _ = rename(staging, path)
    }

    @Test func aNewPolicyIsSwappedInWholeUnderLoadAndABrokenOneIgnored() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("policy-\(UUID().uuidString).yaml")
            .path
        try Self.write(Self.requireOwner, to: path)
        defer { try? FileManager.default.removeItem(atPath: path) }
        try await TestServer.with(policyPath: path) { server in
            try await TestClient.with(trusting: server.certificates.caCertificatePEM) { client in
                let review = Reviews.body(kind: "RayCluster")
                let first = try await client.review(server.baseURL + "/validate", review)
                #expect(try first.json()["response"]?["allowed"] == false)

                // Requests in flight while the file changes: each is answered 200, either by the
                // old policy (denied for the missing label) or by the new one (allowed).
                let answers = try await withThrowingTaskGroup(of: (Int, JSONValue?).self) { group in
                    for index in 0..<200 {
                        group.addTask {
                            if index == 50 { try Self.write(Self.relaxed, to: path) }
                            let response = try await client.review(server.baseURL + "/validate", review)
                            return (response.status, try response.json()["response"])
                        }
                    }
                    var answers: [(Int, JSONValue?)] = []
                    for try await answer in group { answers.append(answer) }
                    return answers
                }
                #expect(answers.allSatisfy { $0.0 == 200 })
                for (_, answer) in answers {
                    let allowed = answer?["allowed"] == true
                    let causes = answer?["status"]?["details"]?["causes"]?.arrayValue ?? []
                    // Old policy: denied naming the label; new policy: allowed. Nothing in between.
                    #expect(allowed || causes.contains { $0["field"] == "metadata.labels[owner]" })
                }
                // The new policy is in force shortly after.
                var allowedNow = false
                for _ in 0..<50 where !allowedNow {
                    let response = try await client.review(server.baseURL + "/validate", review)
                    allowedNow = try response.json()["response"]?["allowed"] == true
                    if !allowedNow { try await Task.sleep(for: .milliseconds(50)) }
                }
                #expect(allowedNow)

                // A broken version is logged and counted; the policy in force stays.
                try Self.write("defaults: { rules: { V999: enforce } }\n", to: path)
                try await Task.sleep(for: .milliseconds(400))
                let after = try await client.review(server.baseURL + "/validate", review)
                #expect(try after.json()["response"]?["allowed"] == true)
                let metrics = try await client.send(server.metricsURL + "/metrics", method: .GET).text
                #expect(metrics.contains("ray_admission_policy_reloads_total{result=\"success\"} 1"), "\(metrics)")
                #expect(metrics.contains("ray_admission_policy_reloads_total{result=\"failure\"} 1"), "\(metrics)")
                #expect(metrics.contains("ray_admission_policy_last_reload_success 0"), "\(metrics)")
                #expect(
                    metrics.contains(
                        "ray_admission_policy_violations_total{rule=\"required-labels\",namespace=\"default\",mode=\"deny\"}"
                    ), "\(metrics)")
                // Putting back the version in force clears the failure.
                try Self.write(Self.relaxed, to: path)
                var recovered = ""
                // At the start of a line: the metric's HELP text also reads "…_success 1 if …".
                for _ in 0..<50 where !recovered.contains("\nray_admission_policy_last_reload_success 1") {
                    try await Task.sleep(for: .milliseconds(50))
                    recovered = try await client.send(server.metricsURL + "/metrics", method: .GET).text
                }
                #expect(recovered.contains("\nray_admission_policy_last_reload_success 1"), "\(recovered)")
                #expect(recovered.contains("ray_admission_policy_reloads_total{result=\"success\"} 1"))
                let inForce = metrics.split(separator: "\n").filter {
                    $0.hasPrefix("ray_admission_policy_info{") && ($0.hasSuffix(" 1") || $0.hasSuffix(" 1.0"))
                }
                #expect(inForce.count == 1, "\(metrics.split(separator: "\n").filter { $0.contains("policy_info") })")
            }
        }
    }
}
