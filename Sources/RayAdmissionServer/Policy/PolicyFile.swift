import Crypto
import RayAdmission

/// A policy file read and checked: the engine it makes and the file's SHA-256, which names the
/// policy in logs and metrics (compare it with `sha256sum` of the ConfigMap's file).
public struct PolicyFile: Sendable {
    public let path: String
    public let bytes: [UInt8]
    public let engine: PolicyEngine

    public struct LoadError: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    public static func load(path: String, featureGates: FeatureGates) throws(LoadError) -> PolicyFile {
        let bytes: [UInt8]
        do {
            bytes = try FileBytes.contents(of: path)
        } catch {
            throw LoadError(description: "\(path): cannot read the policy: \(error)")
        }
        return try parse(path: path, bytes: bytes, featureGates: featureGates)
    }

    static func parse(path: String, bytes: [UInt8], featureGates: FeatureGates) throws(LoadError) -> PolicyFile {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw LoadError(description: "\(path): the policy is not UTF-8 text")
        }
        do {
            let policy = try PolicyLoader().load(text)
            let hash = SHA256.hash(data: bytes).map { byte in
                let digits = Array("0123456789abcdef".utf8)
                return String(decoding: [digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]], as: UTF8.self)
            }.joined()
            return PolicyFile(
                path: path, bytes: bytes,
                engine: PolicyEngine(policy: policy, version: hash, featureGates: featureGates))
        } catch {
            throw LoadError(description: "\(path):\(error.description)")
        }
    }

    public var hash: String { engine.version }
}
