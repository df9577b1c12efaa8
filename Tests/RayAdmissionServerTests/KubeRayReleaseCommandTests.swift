import AsyncHTTPClient
import Foundation
import RayAdmission
import Testing

/// `--kuberay-version` through the built executable: serve follows a release or refuses to start
/// on an unknown one, check is an upgrade check, rules lists each release's set.
@Suite(.serialized)
struct KubeRayReleaseCommandTests {
    func run(_ arguments: [String], input: String? = nil) async throws -> (status: Int32, text: String) {
        let process = try ServeProcess(arguments: arguments, input: input)
        let status = try await process.waitForExit(timeout: .seconds(120))
        return (status, process.text)
    }

    /// The upgrade check: what the cluster's release admits with a warning, the next one rejects.
    @Test func checkAgainstTwoReleasesIsAnUpgradeCheck() async throws {
        let today = try await run(["check", "--kuberay-version", "1.5", "-"], input: CheckCommandTests.invalidCluster)
        #expect(today.status == 0, "\(today.text)")
        #expect(
            today.text.contains(
                "warn   V17  spec.workerGroupSpecs[0].minReplicas: Invalid value: 5: KubeRay 1.6+ rejects this: must be less than or equal to maxReplicas (3)"
            ), "\(today.text)")
        let next = try await run(
            ["check", "--kuberay-version", "v1.6.2", "-"], input: CheckCommandTests.invalidCluster)
        #expect(next.status == 1, "\(next.text)")
        #expect(next.text.contains("deny   V17  spec.workerGroupSpecs[0].minReplicas"))
        let unknown = try await run(
            ["check", "--kuberay-version", "1.9", "-"], input: CheckCommandTests.invalidCluster)
        #expect(unknown.status != 0 && unknown.status != 1)
        #expect(
            unknown.text.contains("unsupported KubeRay version \"1.9\" (supported: 1.3, 1.4, 1.5 (or 1.5.0), 1.6, 1.7"))
    }

    @Test func rulesListEachReleasesSet() async throws {
        let v15 = try await run(["rules", "--kuberay-version", "1.5"])
        #expect(v15.status == 0)
        #expect(v15.text.contains("# rules as KubeRay 1.5.2 has them"))
        let line = { (text: String, id: String) in
            text.split(separator: "\n").first { $0.hasPrefix(id + " ") }.map(String.init) ?? ""
        }
        #expect(line(v15.text, "V17").contains("validation  warn*    1.6+"), "\(line(v15.text, "V17"))")
        #expect(line(v15.text, "V07").contains("validation  deny     1.5+"))
        #expect(line(v15.text, "L01").contains("validation  off      1.3–1.4"))
        let v14 = try await run(["rules", "--kuberay-version", "1.4"])
        #expect(line(v14.text, "L01").contains("validation  deny     1.3–1.4"))
        let newest = try await run(["rules"])
        #expect(newest.text.contains("# rules as KubeRay 1.7.0 has them"))
        #expect(line(newest.text, "allowed-images").contains("deny     -"))
    }

    @Test func serveRefusesAnUnknownReleaseAtStart() async throws {
        let serve = try await run(["serve", "--kuberay-version", "1.2", "--port", "0", "--metrics-port", "0"])
        #expect(serve.status != 0)
        #expect(serve.text.contains("--kuberay-version: unsupported KubeRay version \"1.2\""), "\(serve.text)")
    }

    /// On a 1.6 cluster: a gate 1.6 does not have is logged and ignored, the release is logged and
    /// exported, and a rule of 1.7 warns instead of denying.
    @Test func serveFollowsTheReleaseItIsGiven() async throws {
        let serving = try await ServeProcess.serving([
            "--kuberay-version", "1.6", "--feature-gates", "RayClusterMTLS=true,RayCronJob=true",
        ])
        defer { try? FileManager.default.removeItem(atPath: serving.devDirectory) }
        let process = serving.process
        let following = try await process.waitForLog("following KubeRay")
        #expect(following["release"] == "1.6.2")
        #expect(following["crdRelease"] == "1.6.2")
        let unknown = process.logLines.first {
            $0["message"]?.stringValue?.hasPrefix("--feature-gates: unknown feature gate RayClusterMTLS ignored")
                == true
        }
        #expect(unknown?["level"] == "warning", "\(process.text)")
        try await TestClient.with(trusting: serving.caPEM) { client in
            let metrics = try await client.send("http://127.0.0.1:\(serving.metricsPort)/metrics", method: .GET).text
            #expect(
                metrics.contains("ray_admission_kuberay_release_info{release=\"1.6.2\",crd_release=\"1.6.2\"} 1"),
                "\(metrics)")
            // tlsOptions: V74 needs 1.7's gate; on 1.6 the operator has no such field or rule.
            let object = try JSONPatch([.add(path: ["spec", "tlsOptions"], value: ["enabled": true])]).apply(
                to: Reviews.minimalObject(kind: "RayCluster"))
            let response = try await client.review(serving.baseURL + "/validate", Reviews.body(object: object))
            let answer = try response.json()["response"]
            #expect(answer?["allowed"] == true, "\(response.text)")
            let warnings = answer?["warnings"]?.arrayValue?.compactMap(\.stringValue) ?? []
            #expect(warnings.contains { $0.hasPrefix("[V74] KubeRay 1.7+ rejects this: ") }, "\(warnings)")
        }
        process.signal(SIGTERM)
        #expect(try await process.waitForExit() == 0)
    }
}
