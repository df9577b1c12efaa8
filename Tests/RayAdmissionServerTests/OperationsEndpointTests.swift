import AsyncHTTPClient
import Foundation
import RayAdmission
import Testing

@Suite(.serialized)
struct OperationsEndpointTests {
    @Test func healthReadinessAndMetrics() async throws {
        try await TestServer.with { server in
            try await TestClient.with(trusting: server.certificates.caCertificatePEM) { client in
                _ = try await client.review(server.baseURL + "/mutate", Reviews.body(kind: "RayJob"))
                _ = try await client.review(
                    server.baseURL + "/validate-ray-io-v1-rayservice",
                    Reviews.body(kind: "RayService", operation: "UPDATE"))
                _ = try await client.send(server.baseURL + "/validate", body: Array("{".utf8))
            }
            try await TestClient.plain().withShutdown { plain in
                let health = try await plain.send(server.metricsURL + "/healthz", method: .GET, contentType: nil)
                #expect(health.status == 200)
                #expect(health.text == "ok\n")
                let ready = try await plain.send(server.metricsURL + "/readyz", method: .GET, contentType: nil)
                #expect(ready.status == 200)
                #expect(ready.text == "ready\n")

                let metrics = try await plain.send(server.metricsURL + "/metrics", method: .GET, contentType: nil)
                #expect(metrics.status == 200)
                #expect(metrics.header("content-type")?.hasPrefix("text/plain; version=0.0.4") == true)
                // The process metrics Prometheus client libraries export, with sensible values.
                let samples = Dictionary(
                    metrics.text.split(separator: "\n").filter { $0.hasPrefix("process_") }.compactMap { line in
                        let parts = line.split(separator: " ")
                        return parts.count == 2 ? (String(parts[0]), Double(parts[1]) ?? -1) : nil
                    }, uniquingKeysWith: { $1 })
                #expect((samples["process_resident_memory_bytes"] ?? 0) > 1_000_000, "\(samples)")
                #expect((samples["process_virtual_memory_bytes"] ?? 0) >= samples["process_resident_memory_bytes"] ?? 1)
                #expect((samples["process_open_fds"] ?? 0) >= 3)
                #expect((samples["process_max_fds"] ?? 0) >= samples["process_open_fds"] ?? 1)
                #expect((samples["process_cpu_seconds_total"] ?? -1) >= 0)
                let started = samples["process_start_time_seconds"] ?? 0
                let now = Date().timeIntervalSince1970
                #expect(started > now - 3600 && started <= now + 5, "\(started) against \(now)")
                #expect(metrics.text.contains("# TYPE process_cpu_seconds_total counter\n"))
                let text = metrics.text
                for line in [
                    #"ray_admission_requests_total{endpoint="mutate",kind="RayJob",operation="CREATE",decision="patched"} 1"#,
                    #"ray_admission_requests_total{endpoint="validate",kind="RayService",operation="UPDATE",decision="allowed"} 1"#,
                    #"ray_admission_http_rejected_total{endpoint="validate",code="400"} 1"#,
                    #"ray_admission_requests_in_flight 0"#,
                    #"ray_admission_build_info{version=""#,
                    #"ray_admission_request_duration_seconds_bucket{endpoint="mutate",le="0.0001"}"#,
                    #"ray_admission_request_duration_seconds_count{endpoint="mutate"} 1"#,
                    "# TYPE ray_admission_request_duration_seconds histogram",
                    "ray_admission_certificate_expiry_timestamp_seconds ",
                ] {
                    #expect(text.contains(line), "missing: \(line)")
                }

                let missing = try await plain.send(server.metricsURL + "/nothing", method: .GET, contentType: nil)
                #expect(missing.status == 404)
                let post = try await plain.send(
                    server.metricsURL + "/metrics", method: .POST, body: [1], contentType: nil)
                #expect(post.status == 405)
            }
        }
    }
}
