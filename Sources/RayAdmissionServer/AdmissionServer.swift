import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL
import RayAdmission
import ServiceLifecycle

/// The HTTPS admission server and its plain-HTTP operations port, as one service: run it in a
/// `ServiceGroup` (the executable does, with SIGTERM/SIGINT), trigger graceful shutdown, and it
/// stops accepting, answers what is in flight, and returns.
public struct AdmissionServer: Service {
    public enum Listener: String, Sendable {
        case admission
        case operations
    }

    public let configuration: AdmissionServerConfiguration
    public let certificates: CertificateStore
    public let metrics: AdmissionMetrics
    public let readiness = ServerReadiness()
    public let policy: PolicyStore
    let featureGates: FeatureGates
    let crdRelease: KubeRayRelease
    let logger: Logger
    let onListening: @Sendable (Listener, Int) async -> Void

    public init(
        configuration: AdmissionServerConfiguration,
        certificate: ServingCertificate,
        policy: PolicyEngine = PolicyEngine(),
        policyBytes: [UInt8]? = nil,
        featureGates: FeatureGates = FeatureGates(),
        crdRelease: KubeRayRelease? = nil,
        metrics: AdmissionMetrics? = nil,
        logger: Logger,
        onListening: @escaping @Sendable (Listener, Int) async -> Void = { _, _ in }
    ) {
        self.configuration = configuration
        self.certificates = CertificateStore(certificate)
        self.metrics = metrics ?? AdmissionMetrics(version: configuration.version)
        self.policy = PolicyStore(policy, bytes: policyBytes)
        self.featureGates = featureGates
        self.crdRelease = crdRelease ?? featureGates.release
        self.logger = logger
        self.onListening = onListening
    }

    public func run() async throws {
        let policy = self.policy
        let metrics = self.metrics
        let readTimeout = configuration.requestReadTimeout
        let admission = Application(
            responder: AdmissionResponder(
                engine: { policy.current }, metrics: metrics, logger: logger,
                maximumBodySize: configuration.maximumBodySize),
            server: try .tls(
                .http1(
                    configuration: .init(
                        additionalChannelHandlers: [
                            ConnectionCloseAnnouncer(),
                            RequestReadDeadline(limit: .init(readTimeout)) {
                                metrics.rejected(endpoint: "connection", code: 408)
                            },
                        ],
                        idleTimeout: .init(configuration.idleTimeout))),
                tlsConfiguration: certificates.serverTLSConfiguration()),
            configuration: .init(
                address: .hostname(configuration.bindAddress, port: configuration.port),
                serverName: "ray-admission",
                availableConnectionsDelegate: MaximumAvailableConnections(
                    configuration.maximumConnections, logger: logger)),
            onServerRunning: { [readiness, onListening, logger] channel in
                let port = channel.localAddress?.port ?? 0
                readiness.markListening()
                logger.info("admission server listening (HTTPS)", metadata: ["port": "\(port)"])
                await onListening(.admission, port)
            },
            logger: logger
        )
        let operations = Application(
            responder: OperationsResponder(metrics: metrics, readiness: readiness),
            server: .http1(configuration: .init(idleTimeout: .seconds(60))),
            configuration: .init(
                address: .hostname(configuration.bindAddress, port: configuration.metricsPort),
                serverName: "ray-admission-operations"),
            onServerRunning: { [onListening, logger] channel in
                let port = channel.localAddress?.port ?? 0
                logger.info(
                    "operations server listening (HTTP: /healthz /readyz /metrics)", metadata: ["port": "\(port)"])
                await onListening(.operations, port)
            },
            logger: logger
        )
        metrics.certificateInForce(notValidAfter: Int(certificates.current.chain.first?.notValidAfter ?? 0))

        // Graceful shutdown runs services in reverse: drain first (readiness fails, optional
        // delay), then the reloader, then the HTTPS listener finishes in-flight requests, and the
        // operations port goes last so probes see the drain.
        var services: [any Service] = [operations, admission]
        if let directory = configuration.certificateDirectory {
            services.append(
                CertificateReloader(
                    directory: directory, store: certificates, interval: configuration.certificateReloadInterval,
                    metrics: metrics, logger: logger))
        }
        metrics.policyInForce(policy.current.version, previous: nil)
        metrics.following(release: featureGates.release, crdRelease: crdRelease)
        if let path = configuration.policyPath {
            services.append(
                PolicyReloader(
                    path: path, store: policy, interval: configuration.policyReloadInterval,
                    featureGates: featureGates, crdRelease: crdRelease, metrics: metrics, logger: logger))
        }
        services.append(DrainOnShutdown(readiness: readiness, delay: configuration.shutdownDelay, logger: logger))
        let group = ServiceGroup(
            configuration: .init(
                services: services.map { .init(service: $0, successTerminationBehavior: .ignore) },
                logger: logger))
        try await group.run()
        let tally = metrics.reviewTally
        logger.notice(
            "admission server drained", metadata: ["received": "\(tally.received)", "answered": "\(tally.answered)"])
    }
}

/// Waits for graceful shutdown, then fails readiness and holds the listeners open for `delay`.
struct DrainOnShutdown: Service {
    let readiness: ServerReadiness
    let delay: Duration
    let logger: Logger

    func run() async throws {
        try? await gracefulShutdown()
        readiness.markDraining()
        logger.info("shutting down: draining in-flight requests", metadata: ["delay": "\(delay)"])
        if delay > .zero {
            try? await Task.sleep(for: delay)
        }
    }
}
