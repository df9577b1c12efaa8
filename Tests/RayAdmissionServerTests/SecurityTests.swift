import AsyncHTTPClient
import Foundation
import RayAdmission
import RayAdmissionServer
import Testing

/// The security review of issue 6, as checks that fail when a change breaks them. (TLS 1.1 and
/// older are refused in TLSTests; the body limit in AdmissionProtocolTests; the connection limit
/// in SlowClientTests.)
@Suite(.serialized)
struct SecurityTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// A review denied for a value that its message quotes.
    static func deniedReview(marker: String) throws -> JSONValue {
        var object = Reviews.minimalObject(kind: "RayCluster")
        object = try JSONPatch([
            .add(path: ["spec", "enableInTreeAutoscaling"], value: true),
            .add(path: ["spec", "autoscalerOptions"], value: ["upscalingMode": .string(marker)]),
        ]).apply(to: object)
        return Reviews.body(uid: "denied", object: object)
    }

    @Test func requestContentReachesTheLogsOnlyAtDebug() async throws {
        let marker = "SecretMode\(UInt32.random(in: 0...UInt32.max))"
        for level in ["info", "debug"] {
            let serving = try await ServeProcess.serving(["--log-level", level])
            defer { try? FileManager.default.removeItem(atPath: serving.devDirectory) }
            try await TestClient.with(trusting: serving.caPEM) { client in
                let denied = try await client.review(
                    serving.baseURL + "/validate", try Self.deniedReview(marker: marker))
                #expect(try denied.json()["response"]?["allowed"] == false)
                #expect(denied.text.contains(marker), "the denial should quote the value: \(denied.text)")
                let malformed = try await client.send(
                    serving.baseURL + "/mutate", body: Array(#"{"\#(marker)": 1, "\#(marker)": 2}"#.utf8))
                #expect(malformed.status == 400)
                #expect(malformed.text.contains(marker))
            }
            serving.process.signal(SIGTERM)
            #expect(try await serving.process.waitForExit() == 0)
            let logs = serving.process.text
            #expect(logs.contains("admission decision"), "the denial is logged at info: \(logs)")
            #expect(logs.contains("malformed admission review"))
            if level == "debug" {
                #expect(logs.contains(marker), "debug logs carry the reasons")
            } else {
                #expect(!logs.contains(marker), "request content in \(level) logs: \(logs)")
            }
        }
    }

    @Test func thePrivateKeyIsNeverLoggedEvenAtDebugOrWhenARotationFails() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tls-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let first = try DevelopmentCertificates.generate(hosts: ["127.0.0.1"])
        try SecretVolume.write(first, to: directory)
        let serve = try ServeProcess(arguments: [
            "serve", "--bind", "127.0.0.1", "--port", "0", "--metrics-port", "0", "--cert-dir", directory,
            "--cert-reload-interval", "1", "--log-format", "json", "--log-level", "debug",
        ])
        let port = try await serve.port(of: "admission server listening (HTTPS)")
        // A broken pair (another pair's key), then a good one.
        let second = try DevelopmentCertificates.generate(hosts: ["127.0.0.1"])
        try SecretVolume.write(certificate: first.certificatePEM, key: second.privateKeyPEM, to: directory)
        _ = try await serve.waitForLog("serving certificate reload failed; keeping the previous certificate")
        try SecretVolume.write(second, to: directory)
        _ = try await serve.waitForLog("serving certificate reloaded")
        try await TestClient.with(trusting: second.caCertificatePEM) { client in
            let response = try await client.review("https://127.0.0.1:\(port)/mutate", Reviews.body())
            #expect(response.status == 200)
        }
        serve.signal(SIGTERM)
        #expect(try await serve.waitForExit() == 0)
        let logs = serve.text
        #expect(!logs.contains("PRIVATE KEY"))
        for key in [first.privateKeyPEM, second.privateKeyPEM] {
            // Every line of the key's base64, each long enough not to match by chance.
            for line in key.split(separator: "\n") where !line.hasPrefix("-----") && line.count >= 16 {
                #expect(!logs.contains(line), "key material in the logs")
            }
        }
    }

    @Test func theContainerRunsAsNonRootReadOnlyAndWithoutCapabilities() throws {
        let deployment = try String(
            contentsOf: Self.root.appendingPathComponent("manifests/deployment.yaml"), encoding: .utf8)
        let object = try YAMLDocumentReader().readSingle(deployment)
        let pod = try #require(object["spec"]?["template"]?["spec"])
        #expect(pod["securityContext"]?["runAsNonRoot"] == true)
        #expect(pod["automountServiceAccountToken"] == false)
        let containers = try #require(pod["containers"]?.arrayValue)
        #expect(!containers.isEmpty)
        for container in containers {
            let context = container["securityContext"]
            #expect(context?["readOnlyRootFilesystem"] == true)
            #expect(context?["allowPrivilegeEscalation"] == false)
            #expect(context?["capabilities"]?["drop"] == ["ALL"])
            #expect(context?["capabilities"]?["add"] == nil)
            #expect(context?["privileged"] == nil || context?["privileged"] == false)
        }
        let containerfile = try String(
            contentsOf: Self.root.appendingPathComponent("Containerfile"), encoding: .utf8)
        #expect(containerfile.contains("USER 65532:65532"))
        #expect(containerfile.contains("FROM scratch"))
    }
}
