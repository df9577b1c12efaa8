import AsyncHTTPClient
import Foundation
import RayAdmission
import RayAdmissionServer
import Testing

/// Faults under steady load (issue 6, hardening). The runs are short by default so that CI stays
/// quick; `RAY_ADMISSION_LOAD_SECONDS` and `RAY_ADMISSION_SOAK_SECONDS` lengthen them
/// (`Benchmarks/soak.sh` runs the soak for ten minutes against the release build).
@Suite(.serialized)
struct FaultTests {
    static func seconds(_ variable: String, default value: Int) -> Int {
        ProcessInfo.processInfo.environment[variable].flatMap(Int.init) ?? value
    }

    @Test func certificateRotationAndPolicyReloadsUnderLoadFailNothing() async throws {
        let duration = Self.seconds("RAY_ADMISSION_LOAD_SECONDS", default: 6)
        // Every pair has its own CA; the clients trust all of them, so any pair may be in force.
        let pairs = try (0..<4).map { _ in try DevelopmentCertificates.generate(hosts: ["localhost", "127.0.0.1"]) }
        let trusted = pairs.map(\.caCertificatePEM).joined(separator: "\n") + "\n"
        let policyPath = FileManager.default.temporaryDirectory.appendingPathComponent("policy-\(UUID()).yaml").path
        defer { try? FileManager.default.removeItem(atPath: policyPath) }
        let policies = [
            "defaults: { constraints: { maxWorkersPerGroup: 100 } }\n",
            "defaults: { rules: { cpu-fractional: off }, constraints: { maxWorkersPerGroup: 50 } }\n",
        ]
        try PolicyReloadTests.write(policies[0], to: policyPath)

        try await TestServer.with(policyPath: policyPath) { server in
            try SecretVolume.write(pairs[0], to: server.certificateDirectory)
            let keepAlive = try TestClient.make(trusting: trusted + server.certificates.caCertificatePEM)
            let closing = try TestClient.make(trusting: trusted + server.certificates.caCertificatePEM)
            let load = SteadyLoad()
            let changes = Task {
                var step = 0
                while !Task.isCancelled {
                    try await Task.sleep(for: .milliseconds(700))
                    step += 1
                    try SecretVolume.write(pairs[step % pairs.count], to: server.certificateDirectory)
                    try PolicyReloadTests.write(policies[step % policies.count], to: policyPath)
                }
            }
            let tally = await load.run(
                client: keepAlive, closingClient: closing, url: server.baseURL + "/mutate", workers: 8,
                duration: .seconds(duration))
            changes.cancel()
            _ = await changes.result
            try await keepAlive.shutdown()
            try await closing.shutdown()

            #expect(tally.failures.isEmpty, "\(tally.failures)")
            #expect(tally.notAccepted == 0)
            #expect(tally.answered > duration * 50, "only \(tally.answered) answered")
            // Both watchers really swapped, several times.
            #expect(server.server.certificates.generation >= duration)
            let metrics = try await TestClient.plain().withShutdown {
                try await $0.send(server.metricsURL + "/metrics", method: .GET, contentType: nil).text
            }
            let reloads = metrics.split(separator: "\n").first {
                $0.hasPrefix(#"ray_admission_policy_reloads_total{result="success"}"#)
            }
            #expect(reloads.flatMap { $0.split(separator: " ").last.flatMap { Int($0) } } ?? 0 >= duration)
        }
    }

    @Test func sigtermUnderLoadAnswersEveryAcceptedRequestAndExitsZero() async throws {
        let serving = try await ServeProcess.serving(["--shutdown-delay", "1"])
        defer { try? FileManager.default.removeItem(atPath: serving.devDirectory) }
        let client = try TestClient.make(trusting: serving.caPEM, connectTimeout: .seconds(1))
        let closing = try TestClient.make(trusting: serving.caPEM, connectTimeout: .seconds(1))
        let load = SteadyLoad()
        let running = Task {
            await load.run(
                client: client, closingClient: closing, url: serving.baseURL + "/mutate", workers: 8,
                duration: .seconds(60), acceptsConnectionErrors: true)
        }
        try await Task.sleep(for: .seconds(2))
        let beforeSignal = load.current.answered
        serving.process.signal(SIGTERM)
        let status = try await serving.process.waitForExit()
        load.stop()
        let tally = await running.value
        try await client.shutdown()
        try await closing.shutdown()

        #expect(status == 0, "\(serving.process.text.suffix(2000))")
        #expect(beforeSignal > 20)
        // Served through the shutdown delay, too.
        #expect(tally.answered > beforeSignal)
        #expect(tally.failures.isEmpty, "\(tally.failures)")
        // The server's own count: every review it began to read, it answered.
        let drained = try #require(serving.process.logLines.first { $0["message"] == "admission server drained" })
        #expect(drained["received"] == drained["answered"], "\(drained)")
        #expect(drained["answered"]?.stringValue.flatMap(Int.init) ?? 0 >= tally.answered)
    }

    /// About half of capacity for a while: no errors, and memory flat (its growth from the first
    /// half of the run to the second stays small).
    @Test func soakAtHalfCapacityHasNoErrorsAndFlatMemory() async throws {
        let duration = Self.seconds("RAY_ADMISSION_SOAK_SECONDS", default: 20)
        let serving = try await ServeProcess.serving()
        defer { try? FileManager.default.removeItem(atPath: serving.devDirectory) }
        let idleBytes = serving.process.residentBytes ?? 0
        let client = try TestClient.make(trusting: serving.caPEM)
        let url = serving.baseURL + "/mutate"

        // Capacity first: as fast as 8 workers go, for 2 s.
        let probe = await SteadyLoad().run(client: client, url: url, workers: 8, duration: .seconds(2))
        #expect(probe.failures.isEmpty, "\(probe.failures)")
        let capacity = max(Double(probe.answered) / 2, 1)
        // Then 8 paced workers at about half that rate.
        let pause = Duration.seconds(8 / (capacity / 2))
        let load = SteadyLoad(pauseBetweenRequests: pause)
        let running = Task { await load.run(client: client, url: url, workers: 8, duration: .seconds(duration)) }
        var samples: [Int] = []
        for _ in 0..<duration {
            try await Task.sleep(for: .seconds(1))
            samples.append(serving.process.residentBytes ?? 0)
        }
        let tally = await running.value
        try await client.shutdown()
        serving.process.signal(SIGTERM)
        #expect(try await serving.process.waitForExit() == 0)

        #expect(tally.failures.isEmpty, "\(tally.failures)")
        // Paced at half the probed rate; other suites running beside it in CI slow it further.
        #expect(tally.answered > max(Int(capacity / 10) * duration, 100), "\(tally.answered) answered at \(capacity)/s")
        let half = samples.count / 2
        let early = samples[1..<half].reduce(0, +) / max(half - 1, 1)
        let late = samples[half...].reduce(0, +) / max(samples.count - half, 1)
        let mebibyte = 1024 * 1024
        print(
            "soak: \(duration) s at \(tally.answered / duration)/s (capacity \(Int(capacity))/s);"
                + " RSS idle \(idleBytes / mebibyte) MiB, under load \(early / mebibyte) → \(late / mebibyte) MiB,"
                + " peak \((samples.max() ?? 0) / mebibyte) MiB")
        #expect(late - early < 8 * mebibyte, "RSS grew from \(early / mebibyte) to \(late / mebibyte) MiB")
    }
}
