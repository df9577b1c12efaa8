import AsyncHTTPClient
import Foundation
import NIOCore
import NIOPosix
import RayAdmission
import Synchronization

/// Closed-loop load for the fault and soak tests: `workers` tasks each POST a review, check the
/// answer and go again, until `stop()` or their deadline. Half of them can ask for
/// `Connection: close`, so that every one of their requests makes a new TLS handshake.
final class SteadyLoad: Sendable {
    struct Tally: Sendable {
        var answered = 0
        /// Requests that failed to connect or were refused before being sent.
        var notAccepted = 0
        /// Anything else: wrong status, wrong answer, a connection lost after sending.
        var failures: [String] = []
    }

    private let tally = Mutex(Tally())
    private let stopped = Atomic<Bool>(false)
    private let pauseBetweenRequests: Duration

    init(pauseBetweenRequests: Duration = .zero) {
        self.pauseBetweenRequests = pauseBetweenRequests
    }

    var current: Tally { tally.withLock { $0 } }

    func stop() { stopped.store(true, ordering: .relaxed) }

    /// Runs the workers until `duration` has passed or `stop()`; returns the tally.
    /// `acceptsConnectionErrors`: during a shutdown, a refused connection is not a failure.
    func run(
        client: HTTPClient, closingClient: HTTPClient? = nil, url: String, workers: Int, duration: Duration,
        acceptsConnectionErrors: Bool = false
    ) async -> Tally {
        let deadline = ContinuousClock.now + duration
        await withTaskGroup(of: Void.self) { group in
            for worker in 0..<workers {
                let useClosing = closingClient != nil && worker % 2 == 1
                let client = useClosing ? (closingClient ?? client) : client
                group.addTask {
                    var sequence = 0
                    while !self.stopped.load(ordering: .relaxed), ContinuousClock.now < deadline {
                        sequence += 1
                        let uid = "load-\(worker)-\(sequence)"
                        await self.send(
                            client: client, url: url, uid: uid, close: useClosing,
                            acceptsConnectionErrors: acceptsConnectionErrors)
                        if self.pauseBetweenRequests > .zero { try? await Task.sleep(for: self.pauseBetweenRequests) }
                    }
                }
            }
        }
        return current
    }

    private func send(
        client: HTTPClient, url: String, uid: String, close: Bool, acceptsConnectionErrors: Bool
    ) async {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        if close { request.headers.add(name: "Connection", value: "close") }
        request.body = .bytes(Reviews.body(uid: uid).encoded())
        do {
            let response = try await client.execute(request, timeout: .seconds(10))
            let body = Array(buffer: try await response.body.collect(upTo: 1 << 20))
            let answeredUID = try JSONParser().parse(body)["response"]?["uid"]
            guard response.status == .ok, answeredUID == .string(uid) else {
                record(failure: "\(uid): HTTP \(response.status.code), uid \(String(describing: answeredUID))")
                return
            }
            tally.withLock { $0.answered += 1 }
        } catch {
            if acceptsConnectionErrors, Self.isNotAccepted(error) {
                tally.withLock { $0.notAccepted += 1 }
                try? await Task.sleep(for: .milliseconds(20))
            } else {
                record(failure: "\(uid): \(error)")
            }
        }
    }

    private func record(failure: String) {
        tally.withLock { if $0.failures.count < 20 { $0.failures.append(failure) } }
    }

    /// Errors that mean the server never took the request: the listener is gone, or an idle
    /// keep-alive connection was closed as the request went out on it (the server had not read
    /// it, so the kernel answers with a reset). The API server retries webhook calls on these.
    /// The server's own tally (`admission server drained`) shows that nothing it read was lost.
    static func isNotAccepted(_ error: any Error) -> Bool {
        if error is NIOConnectionError || error is ChannelError { return true }
        if let error = error as? HTTPClientError {
            return error == .remoteConnectionClosed || error == .connectTimeout
        }
        let text = String(describing: error)
        return ["Connection refused", "Connection reset by peer", "connectTimeout"].contains { text.contains($0) }
    }
}
