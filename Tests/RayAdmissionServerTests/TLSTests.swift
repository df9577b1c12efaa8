import AsyncHTTPClient
import Foundation
import NIOSSL
import RayAdmission
import RayAdmissionServer
import Testing

@Suite(.serialized)
struct TLSTests {
    @Test func tls11AndOlderAreRefused() async throws {
        try await TestServer.with { server in
            for version in [TLSVersion.tlsv1, .tlsv11] {
                let client = try TestClient.make(
                    trusting: server.certificates.caCertificatePEM, maximumTLSVersion: version,
                    connectTimeout: .seconds(1))
                await expectHandshakeRefused(client, server.baseURL + "/validate")
                try await client.shutdown()
            }
            // TLS 1.2 exactly is accepted.
            try await TestClient.with(trusting: server.certificates.caCertificatePEM, maximumTLSVersion: .tlsv12) {
                client in
                let response = try await client.review(server.baseURL + "/validate", Reviews.body())
                #expect(response.status == 200)
            }
        }
    }

    @Test func aClientThatTrustsAnotherCAIsRefused() async throws {
        try await TestServer.with { server in
            let stranger = try DevelopmentCertificates.generate()
            let client = try TestClient.make(trusting: stranger.caCertificatePEM, connectTimeout: .seconds(1))
            await expectHandshakeRefused(client, server.baseURL + "/validate")
            try await client.shutdown()
        }
    }

    @Test func rotatedCertificatesServeNewHandshakesWithoutARestart() async throws {
        try await TestServer.with { server in
            let oldCA = server.certificates.caCertificatePEM
            // A keep-alive connection established before the rotation...
            let oldClient = try TestClient.make(trusting: oldCA)
            #expect(try await oldClient.review(server.baseURL + "/mutate", Reviews.body(uid: "before")).status == 200)

            let rotated = try DevelopmentCertificates.generate(hosts: ["localhost", "127.0.0.1"])
            try SecretVolume.write(rotated, to: server.certificateDirectory)

            // ...a new handshake sees the new certificate once the watcher has looked (≤ 10 s).
            let newCAResponse = try await eventually(within: .seconds(10)) {
                try await TestClient.with(trusting: rotated.caCertificatePEM) { client in
                    try await client.review(server.baseURL + "/mutate", Reviews.body(uid: "after"))
                }
            }
            #expect(newCAResponse.status == 200)
            #expect(try newCAResponse.json()["response"]?["uid"] == "after")

            // The established connection keeps working.
            #expect(try await oldClient.review(server.baseURL + "/mutate", Reviews.body(uid: "kept")).status == 200)
            try await oldClient.shutdown()

            // A new connection trusting only the old CA now fails: the old certificate is gone.
            let fresh = try TestClient.make(trusting: oldCA, connectTimeout: .seconds(1))
            await expectHandshakeRefused(fresh, server.baseURL + "/mutate")
            try await fresh.shutdown()

            #expect(server.server.certificates.generation == 1)
            let metrics = try await TestClient.plain().withShutdown {
                try await $0.send(server.metricsURL + "/metrics", method: .GET, contentType: nil)
            }
            #expect(metrics.text.contains(#"ray_admission_certificate_reloads_total{result="success"} 1"#))
        }
    }

    @Test func aBrokenNewPairIsLoggedAndTheOldOneKept() async throws {
        try await TestServer.with { server in
            let other = try DevelopmentCertificates.generate()
            // A certificate with somebody else's key: the pair does not match.
            try SecretVolume.write(
                certificate: server.certificates.certificatePEM, key: other.privateKeyPEM,
                to: server.certificateDirectory)
            try await eventually(within: .seconds(10)) {
                guard server.server.certificates.lastError != nil else { throw TestFailure("not yet reloaded") }
            }
            #expect(server.server.certificates.lastError?.contains("does not match") == true)
            #expect(server.server.certificates.generation == 0)
            // Garbage is refused too.
            try SecretVolume.write(certificate: "not a certificate", key: "nor a key", to: server.certificateDirectory)
            try await Task.sleep(for: .milliseconds(400))
            #expect(server.server.certificates.generation == 0)

            let stillServed = try await TestClient.with(trusting: server.certificates.caCertificatePEM) { client in
                try await client.review(server.baseURL + "/validate", Reviews.body())
            }
            #expect(stillServed.status == 200)
            let metrics = try await TestClient.plain().withShutdown {
                try await $0.send(server.metricsURL + "/metrics", method: .GET, contentType: nil)
            }
            #expect(metrics.text.contains(#"ray_admission_certificate_reloads_total{result="failure"} 2"#))
            // Readiness stays up: the old certificate still serves.
            let ready = try await TestClient.plain().withShutdown {
                try await $0.send(server.metricsURL + "/readyz", method: .GET, contentType: nil)
            }
            #expect(ready.status == 200)
        }
    }
}

/// The request fails in the TLS handshake itself, not by timing out or being refused at TCP.
func expectHandshakeRefused(_ client: HTTPClient, _ url: String, sourceLocation: SourceLocation = #_sourceLocation)
    async
{
    do {
        _ = try await client.review(url, Reviews.body())
        Issue.record("the handshake succeeded", sourceLocation: sourceLocation)
    } catch {
        #expect(error is NIOSSLError, "expected a TLS handshake failure, got \(error)", sourceLocation: sourceLocation)
    }
}

/// Retries `body` until it succeeds or time runs out, then rethrows the last error.
@discardableResult
func eventually<Result>(within timeout: Duration, _ body: () async throws -> Result) async throws -> Result {
    let deadline = ContinuousClock.now + timeout
    while true {
        do {
            return try await body()
        } catch {
            if ContinuousClock.now >= deadline { throw error }
            try await Task.sleep(for: .milliseconds(100))
        }
    }
}

extension HTTPClient {
    func withShutdown<Result>(_ body: (HTTPClient) async throws -> Result) async throws -> Result {
        do {
            let result = try await body(self)
            try await shutdown()
            return result
        } catch {
            try? await shutdown()
            throw error
        }
    }
}
