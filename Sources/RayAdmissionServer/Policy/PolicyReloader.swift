import Logging
import RayAdmission
import ServiceLifecycle

/// Watches the policy file and swaps a changed, valid version in. Polling compares bytes, which
/// also sees the symlink swap a ConfigMap volume makes. A bad version is logged and counted, and
/// the policy in force stays.
public struct PolicyReloader: Service {
    public let path: String
    public let store: PolicyStore
    public let interval: Duration
    let featureGates: FeatureGates
    let crdRelease: KubeRayRelease
    let metrics: AdmissionMetrics
    let logger: Logger

    init(
        path: String, store: PolicyStore, interval: Duration, featureGates: FeatureGates, crdRelease: KubeRayRelease,
        metrics: AdmissionMetrics, logger: Logger
    ) {
        self.crdRelease = crdRelease
        self.path = path
        self.store = store
        self.interval = interval
        self.featureGates = featureGates
        self.metrics = metrics
        self.logger = logger
    }

    public func run() async throws {
        var lastFailure: [UInt8]? = nil
        await poll(every: interval) { checkOnce(lastFailure: &lastFailure) }
    }

    /// One look at the file. A version that failed is reported once, not on every look.
    public func checkOnce(lastFailure: inout [UInt8]?) {
        let bytes: [UInt8]
        do {
            bytes = try FileBytes.contents(of: path)
        } catch {
            // Mid-swap reads can fail for a moment; the next look settles it.
            logger.debug("policy file unreadable", metadata: ["path": "\(path)", "error": "\(error)"])
            return
        }
        // Back to the version in force after a refused one: the last change did not fail after all.
        if store.isCurrent(bytes) {
            if lastFailure != nil {
                lastFailure = nil
                metrics.policyReloadRecovered()
                logger.notice(
                    "policy file is back to the version in force", metadata: ["sha256": "\(store.current.version)"])
            }
            return
        }
        guard bytes != lastFailure else { return }
        do {
            let file = try PolicyFile.parse(
                path: path, bytes: bytes, featureGates: featureGates, crdRelease: crdRelease)
            if let previous = store.replace(with: file) {
                metrics.policyReloaded(success: true)
                metrics.policyInForce(file.hash, previous: previous)
                logger.notice("policy reloaded", metadata: ["path": "\(path)", "sha256": "\(file.hash)"])
                file.logNotes(logger)
            }
            lastFailure = nil
        } catch {
            lastFailure = bytes
            metrics.policyReloaded(success: false)
            logger.error(
                "policy reload failed; keeping the policy in force",
                metadata: ["error": "\(error)", "sha256": "\(store.current.version)"])
        }
    }
}
