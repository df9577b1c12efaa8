import AsyncHTTPClient
import Foundation
import NIOCore
import RayAdmission
import RayAdmissionServer
import Testing

/// The `ray-admission` executable as an operator runs it.
@Suite(.serialized)
struct ExecutableTests {
    @Test func devModeServesAndSIGTERMDrainsInFlightRequestsThenExitsZero() async throws {
        let devDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("ray-admission-dev-\(UUID())")
            .path
        defer { try? FileManager.default.removeItem(atPath: devDirectory) }
        let serve = try ServeProcess(arguments: [
            "serve", "--bind", "127.0.0.1", "--port", "0", "--metrics-port", "0", "--dev-cert-dir", devDirectory,
            "--log-format", "json", "--shutdown-delay", "1",
        ])
        // One event loop per usable core.
        let starting = try await serve.waitForLog("starting")
        #expect(starting["eventLoops"] == .string("\(UsableCores.count())"))
        let port = try await serve.port(of: "admission server listening (HTTPS)")
        let metricsPort = try await serve.port(of: "operations server listening (HTTP: /healthz /readyz /metrics)")
        // Dev mode logs where its CA is, for curl --cacert.
        let notice = try await serve.waitForLog(
            "no --cert-dir: serving a generated development certificate for localhost and 127.0.0.1")
        #expect(notice["caFile"] == .string(devDirectory + "/ca.crt"))
        let ca = try String(contentsOfFile: devDirectory + "/ca.crt", encoding: .utf8)
        let base = "https://127.0.0.1:\(port)"

        let client = try TestClient.make(trusting: ca)
        let plain = TestClient.plain()
        #expect(try await client.review(base + "/mutate", Reviews.body(uid: "warm")).status == 200)

        // A request whose body is only half sent when SIGTERM arrives.
        let body = Reviews.body(uid: "in-flight").encoded()
        let (chunks, continuation) = AsyncStream<ByteBuffer>.makeStream()
        var streamed = HTTPClientRequest(url: base + "/mutate")
        streamed.method = .POST
        streamed.headers.add(name: "Content-Type", value: "application/json")
        streamed.body = .stream(chunks, length: .known(Int64(body.count)))
        let inFlight = Task {
            let response = try await client.execute(streamed, timeout: .seconds(30))
            return (Int(response.status.code), Array(buffer: try await response.body.collect(upTo: 1 << 20)))
        }
        continuation.yield(ByteBuffer(bytes: body.prefix(body.count / 2)))
        try await Task.sleep(for: .milliseconds(300))

        serve.signal(SIGTERM)
        _ = try await serve.waitForLog("shutting down: draining in-flight requests")
        // During the shutdown delay readiness fails, so endpoints stop routing here.
        let ready = try await plain.send("http://127.0.0.1:\(metricsPort)/readyz", method: .GET, contentType: nil)
        #expect(ready.status == 503)
        // Past the delay the listener is quiescing; the half-sent request must still be answered.
        try await Task.sleep(for: .milliseconds(1200))
        continuation.yield(ByteBuffer(bytes: body.suffix(from: body.count / 2)))
        continuation.finish()
        let (status, answer) = try await inFlight.value
        #expect(status == 200)
        #expect(try JSONParser().parse(answer)["response"]?["uid"] == "in-flight")

        #expect(try await serve.waitForExit() == 0, "\(serve.text)")
        #expect(serve.logLines.contains { $0["message"] == "stopped" })
        try await client.shutdown()
        try await plain.shutdown()
    }

    @Test func aMissingCertificateDirectoryIsFatalWithAClearMessage() async throws {
        let serve = try ServeProcess(arguments: [
            "serve", "--cert-dir", "/nonexistent/ray-admission", "--port", "0", "--metrics-port", "0", "--log-format",
            "json",
        ])
        #expect(try await serve.waitForExit() != 0)
        #expect(serve.text.contains("cannot read /nonexistent/ray-admission/tls.crt"))
    }

    @Test func anInvalidPolicyIsFatalAtStartWithLineAndColumn() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("bad-policy-\(UUID().uuidString).yaml")
            .path
        try "defaults:\n  rules:\n    V999: enforce\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let serve = try ServeProcess(arguments: [
            "serve", "--policy", path, "--port", "0", "--metrics-port", "0", "--log-format", "json",
            "--dev-cert-dir", FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString).path,
        ])
        #expect(try await serve.waitForExit() != 0)
        #expect(serve.text.contains("\(path):3:5: defaults.rules: unknown rule"), "\(serve.text)")
    }

    @Test func helpDocumentsEveryFlag() async throws {
        let serve = try ServeProcess(arguments: ["serve", "--help"])
        #expect(try await serve.waitForExit() == 0)
        for flag in [
            "--cert-dir", "--port", "--metrics-port", "--bind", "--policy", "--log-level", "--log-format",
            "--cert-reload-interval", "--idle-timeout", "--shutdown-delay", "--dev-cert-dir",
            "--policy-reload-interval",
        ] {
            #expect(serve.text.contains(flag), "\(flag) missing from --help")
        }
    }

    /// SIGTERM ends the process as soon as the drain is done: the file watchers' minute-long
    /// intervals must not hold it. JSON log lines carry an RFC 3339 time with its zone.
    @Test func sigtermDoesNotWaitForTheWatchersAndLogTimesHaveAZone() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("policy-\(UUID().uuidString).yaml")
            .path
        try "defaults: {}\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let serving = try await ServeProcess.serving(["--policy", path, "--policy-reload-interval", "120"])
        defer { try? FileManager.default.removeItem(atPath: serving.devDirectory) }
        let started = try await serving.process.waitForLog("admission server listening (HTTPS)")
        let time = started["time"]?.stringValue ?? ""
        #expect(
            time.wholeMatch(of: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/) != nil, "\(time)")
        let signalled = ContinuousClock.now
        serving.process.signal(SIGTERM)
        #expect(try await serving.process.waitForExit(timeout: .seconds(60)) == 0)
        #expect(ContinuousClock.now - signalled < .seconds(30), "the policy watcher held the shutdown")
    }

    /// One version: what the binary says, what the manifests deploy, and the newest CHANGELOG entry.
    @Test func theVersionIsTheSameEverywhere() async throws {
        let version = try ServeProcess(arguments: ["--version"])
        #expect(try await version.waitForExit() == 0)
        #expect(version.text.trimmingCharacters(in: .whitespacesAndNewlines) == RayAdmissionVersion.current)
        let root = SecurityTests.root
        let kustomization = try String(
            contentsOf: root.appendingPathComponent("manifests/kustomization.yaml"), encoding: .utf8)
        #expect(kustomization.contains("newTag: \(RayAdmissionVersion.current)\n"))
        let changelog = try String(contentsOf: root.appendingPathComponent("CHANGELOG.md"), encoding: .utf8)
        #expect(
            changelog.split(separator: "\n").first { $0.hasPrefix("## ") }?.hasPrefix(
                "## \(RayAdmissionVersion.current) ")
                == true)
        let license = try String(contentsOf: root.appendingPathComponent("LICENSE"), encoding: .utf8)
        #expect(license.contains("Apache License") && license.contains("Version 2.0, January 2004"))
    }
}
