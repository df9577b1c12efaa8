/// The operator's `--feature-gates`, mirrored: rules that depend on a gate must agree with the
/// operator, or the webhook admits what KubeRay then rejects (rule book §0).
public struct FeatureGates: Sendable, Hashable, CustomStringConvertible {
    /// Every gate of the newest release, with its default.
    public static let defaults: [String: Bool] = defaults(for: .newest)

    /// The gates `release`'s operator knows, with their defaults (its `features.go`; patch
    /// releases as their minor release). A gate another release has is unknown here.
    public static func defaults(for release: KubeRayRelease) -> [String: Bool] {
        var gates: [String: Bool] = [
            "RayClusterStatusConditions": true,
            "RayJobDeletionPolicy": release >= .v1_6,
        ]
        if release >= .v1_5 {
            gates["RayMultiHostIndexing"] = release >= .v1_6
            gates["RayServiceIncrementalUpgrade"] = release >= .v1_7
        }
        if release >= .v1_6 { gates["RayCronJob"] = false }
        if release.minor == 6 { gates["AsyncJobInfoQuery"] = false }
        if release >= .v1_7 {
            for gate in [
                "SidecarSubmitterRestart", "RayClusterNetworkPolicy", "GCSFaultToleranceEmbeddedStorage",
                "RayClusterMTLS", "RayClusterHistoryServer", "KubernetesWAS",
            ] {
                gates[gate] = false
            }
        }
        return gates
    }

    /// The release whose gates these are.
    public let release: KubeRayRelease
    public private(set) var values: [String: Bool]

    public static func isKnown(_ gate: String, in release: KubeRayRelease = .newest) -> Bool {
        defaults(for: release)[gate] != nil
    }

    /// `overrides` on top of `release`'s defaults; names that release does not know are dropped
    /// (see `parse`).
    public init(_ overrides: [String: Bool] = [:], release: KubeRayRelease = .newest) {
        self.release = release
        let defaults = Self.defaults(for: release)
        values = defaults.merging(overrides.filter { defaults[$0.key] != nil }) { $1 }
    }

    public struct ParseError: Error, CustomStringConvertible {
        public let description: String
    }

    /// What a `--feature-gates` value says: the gates, and the names this release does not know.
    public struct Parsed: Sendable, Hashable {
        public var gates: FeatureGates
        /// Ignored, so that a newer operator's flags copied verbatim cannot stop the webhook; the
        /// caller reports them.
        public var unknown: [String]
    }

    /// Parses the operator's syntax: `GCSFaultToleranceEmbeddedStorage=true,RayClusterMTLS=true`.
    /// A malformed entry is an error; a well-formed entry with an unknown name is not.
    public static func parse(_ text: String, release: KubeRayRelease = .newest) throws(ParseError) -> Parsed {
        var overrides: [String: Bool] = [:]
        var unknown: [String] = []
        for item in text.split(separator: ",").map({ $0.trimmingCharacters(in: " ") }) where !item.isEmpty {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, let value = Bool(parts[1].lowercased()) else {
                throw ParseError(description: "feature gate \"\(item)\" is not NAME=true or NAME=false")
            }
            if isKnown(parts[0], in: release) {
                overrides[parts[0]] = value
            } else if !unknown.contains(parts[0]) {
                unknown.append(parts[0])
            }
        }
        return Parsed(gates: FeatureGates(overrides, release: release), unknown: unknown)
    }

    /// The gates a policy's `featureGates` sets on top of these (`serve --feature-gates`): the
    /// policy wins gate by gate.
    public func overridden(by policyGates: [String: Bool]) -> FeatureGates {
        FeatureGates(values.merging(policyGates) { $1 }, release: release)
    }

    /// The gates `policyGates` turns to another value than these have, by name: what a policy
    /// changes about the operator's flags, which the server logs rather than apply silently.
    public func changes(by policyGates: [String: Bool]) -> [(gate: String, from: Bool, to: Bool)] {
        policyGates.sorted { $0.key < $1.key }.compactMap { gate, value in
            guard let current = values[gate], current != value else { return nil }
            return (gate, current, value)
        }
    }

    public func isEnabled(_ gate: String) -> Bool {
        values[gate] ?? false
    }

    /// `NAME=true,NAME=false`, sorted: the operator's syntax, for logs.
    public var description: String {
        values.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
    }

    public static func unknownGateMessage(_ names: [String], release: KubeRayRelease = .newest) -> String {
        "unknown feature gate\(names.count == 1 ? "" : "s") \(names.joined(separator: ", ")) ignored "
            + "(KubeRay \(release.displayName) knows: \(defaults(for: release).keys.sorted().joined(separator: ", ")))"
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in set: Character) -> String {
        String(drop { $0 == set }.reversed().drop { $0 == set }.reversed())
    }
}
