import Foundation
import Testing

/// `certs/gen-certs.sh` makes files the server loads (its key is PKCS#8, as cert-manager writes)
/// and a client trusting the printed CA accepts.
@Suite(.serialized)
struct CertificateScriptTests {
    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    @Test func theOpensslScriptsCertificateIsServedAndTrusted() async throws {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("gen-certs-\(UUID())").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [
            Self.repositoryRoot.appendingPathComponent("certs/gen-certs.sh").path, "hook", "ns", output,
        ]
        let stdout = Pipe()
        process.standardOutput = stdout
        process.standardError = Pipe()
        try process.run()
        let printed = String(decoding: stdout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)

        // The printed caBundle is the base64 of ca.crt.
        let caBundle = try #require(Data(base64Encoded: printed.trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(caBundle == (try Data(contentsOf: URL(fileURLWithPath: output + "/ca.crt"))))
        let keyMode = try FileManager.default.attributesOfItem(atPath: output + "/tls.key")[.posixPermissions] as? Int
        #expect(keyMode == 0o600)

        let server = try await TestServer.start(existingDirectory: output)
        let response = try await TestClient.with(trusting: server.certificates.caCertificatePEM) { client in
            try await client.review(server.baseURL + "/validate", Reviews.body(uid: "script"))
        }
        try await server.stop()
        #expect(response.status == 200)
        #expect(try response.json()["response"]?["uid"] == "script")
    }
}
