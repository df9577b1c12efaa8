import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOSSL
import RayAdmission
import RayAdmissionServer
import ServiceLifecycle
import Synchronization
import Testing

/// A real admission server on ephemeral loopback ports, serving a freshly generated certificate
/// from a directory laid out like a mounted Kubernetes Secret, and an HTTPS client that trusts it.
final class TestServer: Sendable {
    let certificateDirectory: String
    let certificates: DevelopmentCertificates
    let server: AdmissionServer
    let port: Int
    let metricsPort: Int
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    /// Starts a server on a new generated certificate, or on the `tls.crt`/`tls.key` (and
    /// `ca.crt`) already in `existingDirectory`.
    static func start(
        existingDirectory: String? = nil, reloadInterval: Duration = .milliseconds(100), policyPath: String? = nil,
        idleTimeout: Duration = .seconds(90), requestReadTimeout: Duration = .seconds(10),
        maximumConnections: Int = 10_000
    ) async throws -> TestServer {
        let directory: String
        let certificates: DevelopmentCertificates
        if let existingDirectory {
            directory = existingDirectory
            func read(_ name: String) throws -> String {
                try String(contentsOfFile: existingDirectory + "/" + name, encoding: .utf8)
            }
            certificates = DevelopmentCertificates(
                caCertificatePEM: try read("ca.crt"), certificatePEM: try read("tls.crt"),
                privateKeyPEM: try read("tls.key"))
        } else {
            directory =
                FileManager.default.temporaryDirectory
                .appendingPathComponent("ray-admission-test-\(UUID().uuidString)").path
            certificates = try DevelopmentCertificates.generate(hosts: ["localhost", "127.0.0.1"])
            try SecretVolume.write(certificates, to: directory)
        }

        var logger = Logger(label: "test-server")
        logger.logLevel = .warning
        let ports = PortCollector()
        let policy = try policyPath.map { try PolicyFile.load(path: $0, featureGates: FeatureGates()) }
        let server = AdmissionServer(
            configuration: AdmissionServerConfiguration(
                bindAddress: "127.0.0.1", port: 0, metricsPort: 0, certificateDirectory: directory,
                certificateReloadInterval: reloadInterval, idleTimeout: idleTimeout,
                requestReadTimeout: requestReadTimeout, maximumConnections: maximumConnections,
                policyPath: policyPath, policyReloadInterval: reloadInterval),
            certificate: try ServingCertificate.load(fromDirectory: directory),
            policy: policy?.engine ?? PolicyEngine(),
            policyBytes: policy?.bytes,
            logger: logger,
            onListening: { listener, port in ports.record(listener, port) })
        let group = ServiceGroup(services: [server], logger: logger)
        let task = Task { try await group.run() }
        let (port, metricsPort) = try await ports.wait()
        return TestServer(
            directory: directory, certificates: certificates, server: server, port: port, metricsPort: metricsPort,
            group: group, task: task)
    }

    private init(
        directory: String, certificates: DevelopmentCertificates, server: AdmissionServer, port: Int, metricsPort: Int,
        group: ServiceGroup, task: Task<Void, any Error>
    ) {
        self.certificateDirectory = directory
        self.certificates = certificates
        self.server = server
        self.port = port
        self.metricsPort = metricsPort
        self.group = group
        self.task = task
    }

    var baseURL: String { "https://127.0.0.1:\(port)" }
    var metricsURL: String { "http://127.0.0.1:\(metricsPort)" }

    /// Graceful shutdown, then waits for the server to return.
    func stop() async throws {
        await group.triggerGracefulShutdown()
        try await task.value
        try? FileManager.default.removeItem(atPath: certificateDirectory)
    }

    /// Runs `body` against a started server and always stops it.
    static func with<Result>(
        policyPath: String? = nil, idleTimeout: Duration = .seconds(90), requestReadTimeout: Duration = .seconds(10),
        maximumConnections: Int = 10_000, _ body: (TestServer) async throws -> Result
    ) async throws -> Result {
        let server = try await start(
            policyPath: policyPath, idleTimeout: idleTimeout, requestReadTimeout: requestReadTimeout,
            maximumConnections: maximumConnections)
        do {
            let result = try await body(server)
            try await server.stop()
            return result
        } catch {
            try? await server.stop()
            throw error
        }
    }
}

/// Collects the two bound ports from `onListening`.
final class PortCollector: Sendable {
    private let state = Mutex<(admission: Int?, operations: Int?)>((nil, nil))

    func record(_ listener: AdmissionServer.Listener, _ port: Int) {
        state.withLock {
            switch listener {
            case .admission: $0.admission = port
            case .operations: $0.operations = port
            }
        }
    }

    /// Suites run in parallel, each server making its development certificate first, which is
    /// slow in a debug build: on a busy 2-core machine ten servers starting together took over 20 s.
    func wait(timeout: Duration = .seconds(60)) async throws -> (Int, Int) {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if case let (admission?, operations?) = state.withLock({ $0 }) { return (admission, operations) }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw TestFailure("server did not start listening within \(timeout)")
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Writes certificates the way the kubelet updates a Secret volume: files live in a timestamped
/// directory, `..data` points at it, and the visible names are links through `..data`; an
/// update makes a new directory and swaps `..data` with one atomic rename.
enum SecretVolume {
    static func write(_ certificates: DevelopmentCertificates, to directory: String) throws {
        try write(certificate: certificates.certificatePEM, key: certificates.privateKeyPEM, to: directory)
    }

    static func write(certificate: String, key: String, to directory: String) throws {
        let manager = FileManager.default
        try manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let versioned = "..\(UUID().uuidString)"
        let versionedPath = directory + "/" + versioned
        try manager.createDirectory(atPath: versionedPath, withIntermediateDirectories: true)
        try Data(certificate.utf8).write(to: URL(fileURLWithPath: versionedPath + "/tls.crt"))
        try Data(key.utf8).write(to: URL(fileURLWithPath: versionedPath + "/tls.key"))
        let temporaryLink = directory + "/..data_tmp"
        try? manager.removeItem(atPath: temporaryLink)
        try manager.createSymbolicLink(atPath: temporaryLink, withDestinationPath: versioned)
        guard rename(temporaryLink, directory + "/..data") == 0 else {
            throw TestFailure("rename ..data failed: errno \(errno)")
        }
        for name in ["tls.crt", "tls.key"]
        where (try? manager.destinationOfSymbolicLink(atPath: directory + "/" + name)) == nil {
            try manager.createSymbolicLink(atPath: directory + "/" + name, withDestinationPath: "..data/" + name)
        }
    }
}

/// HTTPS clients for the tests: each trusts exactly one CA, so a successful handshake proves
/// which certificate the server presented.
enum TestClient {
    static func make(
        trusting caPEM: String,
        maximumTLSVersion: TLSVersion? = nil,
        connectTimeout: TimeAmount = .seconds(5)
    ) throws -> HTTPClient {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(caPEM.utf8)))
        if let maximumTLSVersion {
            tls.minimumTLSVersion = .tlsv1
            tls.maximumTLSVersion = maximumTLSVersion
        }
        var configuration = HTTPClient.Configuration(tlsConfiguration: tls)
        configuration.httpVersion = .http1Only
        configuration.timeout = .init(connect: connectTimeout, read: .seconds(30))
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    static func plain() -> HTTPClient {
        HTTPClient(eventLoopGroupProvider: .singleton)
    }

    /// Runs `body` with a client and always shuts the client down.
    static func with<Result>(
        trusting caPEM: String, maximumTLSVersion: TLSVersion? = nil, _ body: (HTTPClient) async throws -> Result
    ) async throws -> Result {
        let client = try make(trusting: caPEM, maximumTLSVersion: maximumTLSVersion)
        do {
            let result = try await body(client)
            try await client.shutdown()
            return result
        } catch {
            try? await client.shutdown()
            throw error
        }
    }
}

struct TestResponse {
    let status: Int
    let headers: [(String, String)]
    let body: [UInt8]

    var text: String { String(decoding: body, as: UTF8.self) }

    func json() throws -> JSONValue { try JSONParser().parse(body) }

    func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }
}

extension HTTPClient {
    func send(
        _ url: String, method: HTTPMethod = .POST, body: [UInt8]? = nil,
        contentType: String? = "application/json", timeout: Duration = .seconds(30)
    ) async throws -> TestResponse {
        var request = HTTPClientRequest(url: url)
        request.method = method
        if let contentType { request.headers.add(name: "Content-Type", value: contentType) }
        if let body { request.body = .bytes(body) }
        let response = try await execute(request, timeout: .init(timeout))
        let collected = try await response.body.collect(upTo: 16 * 1024 * 1024)
        return TestResponse(
            status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) },
            body: Array(buffer: collected))
    }

    func review(_ url: String, _ review: JSONValue) async throws -> TestResponse {
        try await send(url, body: review.encoded())
    }
}
