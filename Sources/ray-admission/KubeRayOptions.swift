import ArgumentParser
import RayAdmission

/// The KubeRay a cluster runs, as `serve` and `check` take it: the operator's release and its
/// `--feature-gates`, and the release of the installed CRDs.
struct KubeRayOptions: ParsableArguments {
    @Option(
        name: .customLong("kuberay-version"),
        help: """
            The KubeRay release the cluster's operator runs (1.3 … 1.7, with or without v and a patch number; \
            1.5 means 1.5.2, 1.5.0 is accepted). Rules that release does not enforce warn instead of denying, \
            naming the release that starts rejecting them.
            """)
    var kuberayVersion: String = KubeRayRelease.newest.displayName

    @Option(
        name: .customLong("kuberay-crd-version"),
        help: """
            The KubeRay release of the installed CRDs, when it differs from --kuberay-version (Helm never upgrades \
            CRDs). The CRD-level checks and the v1alpha1 deprecation warning follow it.
            """)
    var kuberayCRDVersion: String?

    @Option(
        help: """
            The operator's --feature-gates, mirrored (e.g. GCSFaultToleranceEmbeddedStorage=true,RayClusterMTLS=true), \
            with that release's names and defaults: gate-dependent rules must agree with the operator. Gate names the \
            release does not know are reported and ignored. A policy's featureGates override these gate by gate.
            """)
    var featureGates: String = ""

    func validate() throws {
        _ = try release
        _ = try crdRelease
        do {
            _ = try FeatureGates.parse(featureGates, release: release)
        } catch {
            throw ValidationError("--feature-gates: \(error)")
        }
    }

    var release: KubeRayRelease {
        get throws {
            do {
                return try KubeRayRelease(parsing: kuberayVersion)
            } catch {
                throw ValidationError("--kuberay-version: \(error)")
            }
        }
    }

    var crdRelease: KubeRayRelease {
        get throws {
            guard let kuberayCRDVersion else { return try release }
            do {
                return try KubeRayRelease(parsing: kuberayCRDVersion)
            } catch {
                throw ValidationError("--kuberay-crd-version: \(error)")
            }
        }
    }

    /// The flag's gates, and the names the release does not know.
    var gates: FeatureGates.Parsed {
        get throws { try FeatureGates.parse(featureGates, release: release) }
    }
}
