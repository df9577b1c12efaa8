import AsyncHTTPClient
import Foundation
import RayAdmission
import Testing

/// Slow, idle and too many clients (issue 6, hardening): none of them can hold the server's
/// connections or memory for longer than the configured limits, or keep others from being served.
@Suite(.serialized)
struct SlowClientTests {
    @Test func idleKeepAliveAndSilentConnectionsAreClosedAfterTheIdleTimeout() async throws {
        try await TestServer.with(idleTimeout: .seconds(1)) { server in
            let used = try await RawConnection.connect(
                port: server.port, trusting: server.certificates.caCertificatePEM)
            try await used.write(RawConnection.post("/mutate", body: Reviews.body(uid: "first").encoded()))
            let response = try #require(try await used.readResponse())
            #expect(response.status == 200)
            // Not closed right after the answer: keep-alive works...
            try await Task.sleep(for: .milliseconds(300))
            #expect(!used.isClosedByPeer)
            // ...and is closed once idle for longer than the timeout.
            #expect(try await used.readUntilClosed(timeout: .seconds(5)))

            // A TCP connection that never starts TLS is closed too.
            let silent = try await RawConnection.connect(port: server.port, trusting: nil)
            #expect(try await silent.readUntilClosed(timeout: .seconds(5)))
            await used.close()
            await silent.close()
        }
    }

    @Test func aClientSendingHeadersSlowlyIsCutOff() async throws {
        try await TestServer.with(idleTimeout: .seconds(1)) { server in
            let connection = try await RawConnection.connect(
                port: server.port, trusting: server.certificates.caCertificatePEM)
            let request = RawConnection.post("/mutate", body: Reviews.body().encoded())
            let started = ContinuousClock.now
            // One byte every 100 ms: the head alone would take over ten seconds.
            for byte in request.prefix(120) {
                if connection.isClosedByPeer { break }
                try? await connection.write([byte])
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(connection.isClosedByPeer, "still open after \(ContinuousClock.now - started)")
            #expect(try await connection.readResponse(timeout: .milliseconds(100)) == nil)
            await connection.close()
        }
    }

    @Test func aClientSendingItsBodySlowlyIsCutOffAndCounted() async throws {
        try await TestServer.with(idleTimeout: .seconds(30), requestReadTimeout: .seconds(1)) { server in
            let connection = try await RawConnection.connect(
                port: server.port, trusting: server.certificates.caCertificatePEM)
            let request = RawConnection.post("/mutate", body: Reviews.body().encoded())
            let headEnd = request.count - Reviews.body().encoded().count
            try await connection.write(request.prefix(headEnd + 10))
            // A body byte every 100 ms renews the idle timeout each time; the read deadline does not.
            for byte in request.dropFirst(headEnd + 10).prefix(60) {
                if connection.isClosedByPeer { break }
                try? await connection.write([byte])
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(connection.isClosedByPeer)
            await connection.close()

            // A prompt client is served meanwhile, and the cut is counted.
            try await TestClient.with(trusting: server.certificates.caCertificatePEM) { client in
                let response = try await client.review(server.baseURL + "/mutate", Reviews.body(uid: "prompt"))
                #expect(response.status == 200)
            }
            let metrics = try await TestClient.plain().withShutdown {
                try await $0.send(server.metricsURL + "/metrics", method: .GET, contentType: nil).text
            }
            #expect(metrics.contains(#"ray_admission_http_rejected_total{endpoint="connection",code="408"} 1"#))
        }
    }

    @Test func aThousandIdleConnectionsDoNotStopOthersBeingServed() async throws {
        try await TestServer.with { server in
            var idle: [RawConnection] = []
            for _ in 0..<1000 {
                idle.append(
                    try await RawConnection.connect(port: server.port, trusting: server.certificates.caCertificatePEM))
            }
            // Half of them with a request half sent.
            for connection in idle.prefix(500) {
                try await connection.write("POST /mutate HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{")
            }
            try await TestClient.with(trusting: server.certificates.caCertificatePEM) { client in
                for index in 0..<50 {
                    let response = try await client.send(
                        server.baseURL + "/mutate", body: Reviews.body(uid: "busy-\(index)").encoded(),
                        timeout: .seconds(5))
                    #expect(response.status == 200)
                }
            }
            #expect(idle.allSatisfy { !$0.isClosedByPeer }, "idle connections within the timeout stay open")
            for connection in idle { await connection.close() }
        }
    }

    @Test func connectionsBeyondTheMaximumWaitForAFreeSlot() async throws {
        try await TestServer.with(maximumConnections: 4) { server in
            var held: [RawConnection] = []
            for _ in 0..<4 {
                let connection = try await RawConnection.connect(
                    port: server.port, trusting: server.certificates.caCertificatePEM)
                try await connection.write(RawConnection.post("/mutate", body: Reviews.body().encoded()))
                #expect(try await connection.readResponse()?.status == 200)
                held.append(connection)
            }
            let waiting = try await RawConnection.connect(
                port: server.port, trusting: server.certificates.caCertificatePEM)
            // The write completes only once TLS is up, that is, once the server accepts.
            let write = Task {
                try await waiting.write(RawConnection.post("/mutate", body: Reviews.body(uid: "fifth").encoded()))
            }
            let early = try await waiting.readResponse(timeout: .milliseconds(500))
            #expect(early == nil, "a fifth connection was served")
            await held[0].close()
            try await write.value
            let response = try #require(try await waiting.readResponse(timeout: .seconds(5)))
            #expect(response.status == 200)
            #expect(response.body.contains("\"uid\":\"fifth\""))
            for connection in held.dropFirst() + [waiting] { await connection.close() }
        }
    }
}
