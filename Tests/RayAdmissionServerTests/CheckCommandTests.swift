import Foundation
import RayAdmission
import Testing

/// `ray-admission check` and `policy lint` end to end through the built executable: exit codes,
/// outputs, standard input and directories.
@Suite(.serialized)
struct CheckCommandTests {
    /// The fixture copy of KubeRay's samples, found from this file (no bundle is shared with the
    /// other test target).
    static let samples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("RayAdmissionTests/Fixtures/samples").path
    static let alphaGates =
        "GCSFaultToleranceEmbeddedStorage=true,RayClusterMTLS=true,RayClusterHistoryServer=true,RayClusterNetworkPolicy=true,RayCronJob=true"

    func run(_ arguments: [String], input: String? = nil) async throws -> (status: Int32, text: String) {
        let process = try ServeProcess(arguments: arguments, input: input)
        let status = try await process.waitForExit(timeout: .seconds(120))
        return (status, process.text)
    }

    static let invalidCluster = """
        # a comment, then a ConfigMap that is skipped
        apiVersion: v1
        kind: ConfigMap
        metadata: { name: other }
        ---
        apiVersion: ray.io/v1
        kind: RayCluster
        metadata: { name: demo, namespace: team-a }
        spec:
          headGroupSpec:
            rayStartParams: {}
            template:
              spec:
                containers: [{ name: ray-head, image: "rayproject/ray:2.46.0" }]
          workerGroupSpecs:
            - groupName: workers
              minReplicas: 5
              maxReplicas: 3
              rayStartParams: {}
              template:
                spec:
                  containers: [{ name: ray-worker, image: "rayproject/ray:2.46.0" }]
        """

    @Test func everySampleIsAdmittedWithTheAlphaGatesOn() async throws {
        let result = try await run(["check", "--feature-gates", Self.alphaGates, Self.samples])
        #expect(result.status == 0, "\(result.text.suffix(2000))")
        #expect(result.text.contains("checked 89 Ray resources in 94 files: 0 denied"), "\(result.text.suffix(500))")
    }

    @Test func withDefaultGatesTheAlphaSamplesAreDeniedNamingTheGate() async throws {
        let result = try await run(["check", Self.samples])
        #expect(result.status == 1)
        #expect(result.text.contains("4 denied"), "\(result.text.suffix(500))")
        #expect(result.text.contains("RayClusterMTLS"))
    }

    @Test func standardInputWithADenialExitsOneAndReportsAsJSON() async throws {
        let result = try await run(["check", "--output", "json", "-"], input: Self.invalidCluster)
        #expect(result.status == 1)
        let report = try JSONParser().parse(result.text)
        #expect(report["summary"]?["skipped"] == 1)
        let resource = try #require(report["resources"]?[0])
        #expect(resource["namespace"] == "team-a")
        #expect(resource["line"] == 6)
        #expect(resource["allowed"] == false)
        let denials = resource["denials"]?.arrayValue ?? []
        #expect(denials.contains { $0["rule"] == "V17" && $0["field"] == "spec.workerGroupSpecs[0].minReplicas" })
        #expect(resource["patch"]?.arrayValue?.isEmpty == false)
    }

    @Test func warningsFailOnlyWhenAskedTo() async throws {
        let sample = Self.samples + "/ray-job.sample.yaml"
        #expect(try await run(["check", sample]).status == 0)
        let strict = try await run(["check", "--fail-on", "warn", sample])
        #expect(strict.status == 1)
        #expect(strict.text.contains("warn   memory-request-below-limit"))
    }

    @Test func aPolicyAppliesByTheDocumentsOwnNamespace() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("check-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory + "/nested", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "namespaces:\n  - match: [team-a]\n    constraints: { requiredLabels: [owner] }\n"
            .write(toFile: directory + "/policy.yaml.txt", atomically: true, encoding: .utf8)
        let fixed = Self.invalidCluster.replacingOccurrences(of: "minReplicas: 5", with: "minReplicas: 1")
        try fixed.write(toFile: directory + "/nested/cluster.yml", atomically: true, encoding: .utf8)
        let result = try await run([
            "check", "--policy", directory + "/policy.yaml.txt", "--namespace", "elsewhere", directory,
        ])
        #expect(result.status == 1, "\(result.text)")
        #expect(result.text.contains("required-labels  metadata.labels[owner]"), "\(result.text)")
        #expect(result.text.contains("cluster.yml:6 RayCluster/demo (namespace team-a): denied"), "\(result.text)")
    }

    @Test func inputErrorsExitTwoWithFileLineAndColumn() async throws {
        let result = try await run(["check", "-"], input: "apiVersion: ray.io/v1\nkind: [RayCluster\n")
        #expect(result.status == 2)
        #expect(result.text.contains("ray-admission check: -:3:1: while parsing a flow sequence"), "\(result.text)")
        let missing = try await run(["check", "/nonexistent/manifests"])
        #expect(missing.status == 2)
        #expect(missing.text.contains("no such file or directory"))
    }

    @Test func yamlOutputWritesTheStoredDocumentsAndPassesTheRestThrough() async throws {
        let result = try await run(["check", "--output", "yaml", "-"], input: Self.invalidCluster)
        #expect(result.status == 1)
        // Standard error (the denial) and standard output share one pipe here, in either order.
        #expect(
            result.text.contains("# a comment, then a ConfigMap that is skipped\napiVersion: v1\nkind: ConfigMap\n"))
        #expect(result.text.contains("- name: metrics\n"), "\(result.text)")
        #expect(result.text.contains("dashboard-host: 0.0.0.0"), "\(result.text)")
        #expect(
            result.text.contains("<stdin>:6 RayCluster/demo: spec.workerGroupSpecs[0].minReplicas"), "\(result.text)")
    }

    @Test func patchOutputPrintsWhatTheWebhookWouldSend() async throws {
        let result = try await run(["check", "--output", "patch", Self.samples + "/ray-cluster.sample.yaml"])
        #expect(result.status == 0)
        let lines = result.text.split(separator: "\n")
        #expect(lines.first?.hasPrefix("# ") == true)
        let patch = try JSONParser().parse(String(lines.dropFirst().first ?? ""))
        #expect(patch[0]?["op"] == "add")
    }

    @Test func policyLintAcceptsTheExampleAndPinpointsMistakes() async throws {
        let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("manifests/policy.example.yaml").path
        let good = try await run(["policy", "lint", example])
        #expect(good.status == 0, "\(good.text)")
        #expect(good.text.contains("valid (sha256 "))
        #expect(good.text.contains("namespace team-a: namespaces[0]"))
        #expect(good.text.contains("constraint maxMemoryPerPod: 256Gi"))
        // The policy the deployment manifests install loads too.
        let manifest = URL(fileURLWithPath: example).deletingLastPathComponent().appendingPathComponent("policy.yaml")
            .path
        let configMap = try YAMLDocumentReader().readSingle(String(contentsOfFile: manifest, encoding: .utf8))
        let installed = FileManager.default.temporaryDirectory.appendingPathComponent(
            "installed-\(UUID().uuidString).yaml"
        )
        .path
        try (configMap["data"]?["policy.yaml"]?.stringValue ?? "not: a policy")
            .write(toFile: installed, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: installed) }
        #expect(try await run(["policy", "lint", installed]).status == 0)
        let bad = FileManager.default.temporaryDirectory.appendingPathComponent("lint-\(UUID().uuidString).yaml").path
        try "defaults:\n  constraints:\n    maxCPUPerPod: lots\n".write(toFile: bad, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: bad) }
        let result = try await run(["policy", "lint", bad])
        #expect(result.status == 2)
        #expect(result.text.contains("\(bad):3:19: defaults.constraints.maxCPUPerPod"), "\(result.text)")
    }

    /// A dry-run policy as a platform team writes it: lint shows the effective modes, the
    /// existing-violations switch, and the gate it ignores; check takes a newer operator's gates.
    @Test func lintShowsTheDryRunAndUnknownGatesAreNeverFatal() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("dry-run-\(UUID().uuidString).yaml")
            .path
        try """
        defaults:
          rules: { "*": audit }
          featureGates: { RayCronJob: true, RayFutureGate: true }
        namespaces:
          - match: [team-a]
            rules: { V17: enforce }
            allowExistingViolations: false
        """.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let lint = try await run(["policy", "lint", path])
        #expect(lint.status == 0, "\(lint.text)")
        #expect(
            lint.text.contains(
                "warning: \(path):3:37: defaults.featureGates: unknown feature gate RayFutureGate ignored"))
        #expect(lint.text.contains("feature gates (override serve --feature-gates gate by gate): RayCronJob=true\n"))
        let total = ValidationCatalog.rules.count
        #expect(
            lint.text.contains("namespace default: defaults\n  rule \"*\": audit (every validation rule not named)"))
        #expect(
            lint.text.contains(
                "  effective: enforce 0, warn 0, audit \(total), off 0\n  allowExistingViolations: true (default)"))
        #expect(
            lint.text.contains(
                "  effective: enforce 1 (V17), warn 0, audit \(total - 1), off 0\n  allowExistingViolations: false\n"))

        let check = try await run(
            ["check", "--feature-gates", "RayFutureGate=true,RayClusterMTLS=true", "--policy", path, "-"],
            input: Self.invalidCluster)
        // team-a enforces V17 and audits the rest: only V17 denies.
        #expect(check.status == 1, "\(check.text)")
        #expect(check.text.contains("  deny   V17  spec.workerGroupSpecs[0].minReplicas"))
        #expect(check.text.contains("  audit  no-resources"))
        #expect(check.text.contains("warning: --feature-gates: unknown feature gate RayFutureGate ignored"))
        #expect(check.text.contains("warning: \(path):3:37: defaults.featureGates: unknown feature gate RayFutureGate"))
        #expect(try await run(["check", "--feature-gates", "RayCronJob=maybe", "-"], input: "").status != 0)
    }
}
