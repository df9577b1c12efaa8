import ArgumentParser
import Foundation
import Logging
import NIOCore
import RayAdmission
import RayAdmissionServer
import ServiceLifecycle

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the admission webhook over HTTPS, with health and metrics on a plain-HTTP port.",
        discussion: """
            Without --cert-dir a throwaway CA and a certificate for localhost/127.0.0.1 are generated \
            at start, written to --dev-cert-dir, and the CA's path is logged for `curl --cacert`.
            """
    )

    @Option(
        help:
            "Directory holding tls.crt and tls.key (PEM), as a Kubernetes TLS Secret mounts them. Watched for rotation."
    )
    var certDir: String?

    @Option(help: "HTTPS port for admission reviews (/mutate, /validate, /mutate-ray-io-v1-<kind>, …).")
    var port: Int = 9443

    @Option(help: "Plain-HTTP port for /healthz, /readyz and /metrics.")
    var metricsPort: Int = 8080

    @Option(help: "Address to bind both ports to.")
    var bind: String = "0.0.0.0"

    @Option(
        help: """
            Policy file (YAML: rule modes, limits and injected defaults per namespace; see the README). \
            Checked at start (a bad file is fatal) and watched: a good new version is swapped in, a bad one \
            logged and ignored. Without it every rule runs in its default mode.
            """)
    var policy: String?

    @Option(help: "Seconds between checks of --policy for a new version.")
    var policyReloadInterval: Int = 5

    @OptionGroup var kuberay: KubeRayOptions

    @Option(help: "Seconds between checks of --cert-dir for a rotated certificate.")
    var certReloadInterval: Int = 5

    @Option(
        help: """
            Seconds an idle keep-alive connection stays open; also how long a client may take to \
            send a request's headers.
            """)
    var idleTimeout: Int = 90

    @Option(help: "Seconds a request's body may take to arrive after its headers; slower clients are cut off.")
    var requestReadTimeout: Int = 10

    @Option(help: "Open HTTPS connections at most; further clients wait in the listen backlog until one closes.")
    var maxConnections: Int = 10_000

    @Option(help: "Seconds to keep serving after SIGTERM with /readyz failing, before the listener closes.")
    var shutdownDelay: Int = 0

    @Option(help: "Where the generated development certificate, key and CA are written when --cert-dir is not given.")
    var devCertDir: String = NSTemporaryDirectory() + "ray-admission-dev"

    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        for (name, value) in [("--port", port), ("--metrics-port", metricsPort)] where !(0...65535).contains(value) {
            throw ValidationError("\(name) must be between 0 and 65535, got \(value)")
        }
        if port == metricsPort && port != 0 {
            throw ValidationError("--port and --metrics-port must differ")
        }
        if certReloadInterval < 1 { throw ValidationError("--cert-reload-interval must be at least 1 second") }
        if idleTimeout < 1 { throw ValidationError("--idle-timeout must be at least 1 second") }
        if requestReadTimeout < 1 { throw ValidationError("--request-read-timeout must be at least 1 second") }
        if maxConnections < 1 { throw ValidationError("--max-connections must be at least 1") }
        if shutdownDelay < 0 { throw ValidationError("--shutdown-delay cannot be negative") }
        if policyReloadInterval < 1 { throw ValidationError("--policy-reload-interval must be at least 1 second") }
    }

    func run() async throws {
        let logger = logging.bootstrap(label: "ray-admission")
        logger.info("starting", metadata: ["eventLoops": "\(NIOSingletons.groupLoopCountSuggestion)"])
        let certificate: ServingCertificate
        if let certDir {
            do {
                certificate = try ServingCertificate.load(fromDirectory: certDir)
            } catch {
                logger.critical("cannot load the serving certificate", metadata: ["error": "\(error)"])
                throw ExitCode.failure
            }
        } else {
            let generated = try DevelopmentCertificates.generate()
            try generated.write(toDirectory: devCertDir)
            certificate = try generated.servingCertificate
            logger.notice(
                "no --cert-dir: serving a generated development certificate for localhost and 127.0.0.1",
                metadata: ["caFile": "\(devCertDir)/ca.crt", "certDir": "\(devCertDir)"])
        }
        // validate() has checked the syntax; gate names a newer operator knows are not fatal.
        let release = try kuberay.release
        let crdRelease = try kuberay.crdRelease
        let parsedGates = try kuberay.gates
        if !parsedGates.unknown.isEmpty {
            logger.warning(
                "--feature-gates: \(FeatureGates.unknownGateMessage(parsedGates.unknown, release: release))")
        }
        let gates = parsedGates.gates
        var engine = PolicyEngine(featureGates: gates, crdRelease: crdRelease)
        var policyBytes: [UInt8]? = nil
        if let policy {
            do {
                let file = try PolicyFile.load(path: policy, featureGates: gates, crdRelease: crdRelease)
                engine = file.engine
                policyBytes = file.bytes
                logger.notice("policy loaded", metadata: ["path": "\(policy)", "sha256": "\(file.hash)"])
                file.logNotes(logger)
            } catch {
                logger.critical("invalid policy; not starting", metadata: ["error": "\(error)"])
                throw ExitCode.failure
            }
        }
        logger.notice(
            "following KubeRay",
            metadata: ["release": "\(release)", "crdRelease": "\(crdRelease)"])
        logger.info("feature gates in force", metadata: ["gates": "\(engine.featureGates.description)"])
        let server = AdmissionServer(
            configuration: AdmissionServerConfiguration(
                bindAddress: bind,
                port: port,
                metricsPort: metricsPort,
                certificateDirectory: certDir,
                certificateReloadInterval: .seconds(certReloadInterval),
                idleTimeout: .seconds(idleTimeout),
                requestReadTimeout: .seconds(requestReadTimeout),
                maximumConnections: maxConnections,
                shutdownDelay: .seconds(shutdownDelay),
                policyPath: policy,
                policyReloadInterval: .seconds(policyReloadInterval)),
            certificate: certificate,
            policy: engine,
            policyBytes: policyBytes,
            featureGates: gates,
            crdRelease: crdRelease,
            logger: logger)
        let group = ServiceGroup(
            configuration: .init(
                services: [server],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        try await group.run()
        logger.info("stopped")
    }
}
