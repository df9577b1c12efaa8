import Crypto
import Logging
import RayAdmission

/// A policy file read and checked: the engine it makes and the file's SHA-256, which names the
/// policy in logs and metrics (compare it with `sha256sum` of the ConfigMap's file).
public struct PolicyFile: Sendable {
    public let path: String
    public let bytes: [UInt8]
    public let engine: PolicyEngine
    /// What loaded but deserves a look, as `path:line:column: message` (gate names this release
    /// does not know, which are ignored).
    public let warnings: [String]
    /// The gates the policy's `featureGates` turns to another value than `--feature-gates` has.
    public let gateChanges: [(gate: String, from: Bool, to: Bool)]

    public struct LoadError: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    /// `featureGates` are `serve --feature-gates`, of the KubeRay release the rules follow;
    /// `crdRelease` the release of the installed CRDs (default: the same).
    public static func load(
        path: String, featureGates: FeatureGates, crdRelease: KubeRayRelease? = nil
    ) throws(LoadError) -> PolicyFile {
        let bytes: [UInt8]
        do {
            bytes = try FileBytes.contents(of: path)
        } catch {
            throw LoadError(description: "\(path): cannot read the policy: \(error)")
        }
        return try parse(path: path, bytes: bytes, featureGates: featureGates, crdRelease: crdRelease)
    }

    static func parse(
        path: String, bytes: [UInt8], featureGates: FeatureGates, crdRelease: KubeRayRelease? = nil
    ) throws(LoadError) -> PolicyFile {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw LoadError(description: "\(path): the policy is not UTF-8 text")
        }
        let policy: Policy
        do {
            policy = try PolicyLoader(release: featureGates.release).load(text)
        } catch {
            throw LoadError(description: "\(path):\(error.description)")
        }
        let hash = SHA256.hash(data: bytes).map { byte in
            let digits = Array("0123456789abcdef".utf8)
            return String(decoding: [digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]], as: UTF8.self)
        }.joined()
        return PolicyFile(
            path: path, bytes: bytes,
            engine: PolicyEngine(policy: policy, version: hash, featureGates: featureGates, crdRelease: crdRelease),
            warnings: policy.warnings.map { "\(path):\($0)" },
            gateChanges: featureGates.changes(by: policy.featureGates))
    }

    public var hash: String { engine.version }

    /// Logs what the policy changes about the gates (notice) and what it ignores (warning): a
    /// policy never changes the webhook's behaviour silently.
    public func logNotes(_ logger: Logger) {
        for warning in warnings {
            logger.warning("policy: \(warning)", metadata: ["sha256": "\(hash)"])
        }
        for change in gateChanges {
            logger.notice(
                "policy featureGates overrides --feature-gates",
                metadata: ["gate": "\(change.gate)", "flag": "\(change.from)", "policy": "\(change.to)"])
        }
    }
}
