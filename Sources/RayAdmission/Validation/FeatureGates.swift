/// The operator's `--feature-gates`, mirrored: rules that depend on a gate must agree with the
/// operator, or the webhook admits what KubeRay then rejects (rule book §0).
public struct FeatureGates: Sendable, Hashable {
    /// Every gate KubeRay knows, with its default.
    public static let defaults: [String: Bool] = [
        "RayClusterStatusConditions": true,
        "RayJobDeletionPolicy": true,
        "RayMultiHostIndexing": true,
        "RayServiceIncrementalUpgrade": true,
        "RayCronJob": false,
        "SidecarSubmitterRestart": false,
        "RayClusterNetworkPolicy": false,
        "GCSFaultToleranceEmbeddedStorage": false,
        "RayClusterMTLS": false,
        "RayClusterHistoryServer": false,
        "KubernetesWAS": false,
    ]

    public private(set) var values: [String: Bool]

    public init(_ overrides: [String: Bool] = [:]) {
        values = Self.defaults.merging(overrides) { $1 }
    }

    public struct ParseError: Error, CustomStringConvertible {
        public let description: String
    }

    /// Parses the operator's syntax: `GCSFaultToleranceEmbeddedStorage=true,RayClusterMTLS=true`.
    public init(parsing text: String) throws(ParseError) {
        var overrides: [String: Bool] = [:]
        for item in text.split(separator: ",").map({ $0.trimmingCharacters(in: " ") }) where !item.isEmpty {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let value = Bool(parts[1].lowercased()) else {
                throw ParseError(description: "feature gate \"\(item)\" is not NAME=true or NAME=false")
            }
            guard Self.defaults[parts[0]] != nil else {
                let known = Self.defaults.keys.sorted().joined(separator: ", ")
                throw ParseError(description: "unknown feature gate \"\(parts[0])\" (known: \(known))")
            }
            overrides[parts[0]] = value
        }
        self.init(overrides)
    }

    public func isEnabled(_ gate: String) -> Bool {
        values[gate] ?? false
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in set: Character) -> String {
        String(drop { $0 == set }.reversed().drop { $0 == set }.reversed())
    }
}
