import Logging
import ServiceLifecycle

/// Watches `tls.crt`/`tls.key` and swaps a changed, valid pair into the store. Polling compares
/// bytes, which also sees the symlink swap a Secret volume makes (no inotify on the link target
/// needed). A broken pair is logged and counted, and the old certificate stays in force.
public struct CertificateReloader: Service {
    public let directory: String
    public let store: CertificateStore
    public let interval: Duration
    let metrics: AdmissionMetrics
    let logger: Logger

    init(directory: String, store: CertificateStore, interval: Duration, metrics: AdmissionMetrics, logger: Logger) {
        self.directory = directory
        self.store = store
        self.interval = interval
        self.metrics = metrics
        self.logger = logger
    }

    public func run() async throws {
        await poll(every: interval) { checkOnce() }
    }

    /// One look at the files; public so tests and a SIGHUP handler can force it.
    public func checkOnce() {
        do {
            let certificate = try ServingCertificate.load(fromDirectory: directory)
            if store.replace(with: certificate) {
                metrics.certificateReloaded(success: true)
                metrics.certificateInForce(notValidAfter: Int(certificate.chain.first?.notValidAfter ?? 0))
                logger.info(
                    "serving certificate reloaded",
                    metadata: ["directory": "\(directory)", "generation": "\(store.generation)"])
            }
        } catch {
            // Files are briefly inconsistent during a rotation; only a change that stays broken
            // is worth a failure count, but logging each look keeps the cause visible.
            if store.lastError != error.description {
                metrics.certificateReloaded(success: false)
                logger.error(
                    "serving certificate reload failed; keeping the previous certificate",
                    metadata: ["directory": "\(directory)", "error": "\(error)"])
            }
            store.recordFailure(error.description)
        }
    }
}
