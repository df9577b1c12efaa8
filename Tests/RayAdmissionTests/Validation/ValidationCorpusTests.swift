import RayAdmission
import Testing

/// Every Ray resource in KubeRay's samples is admitted by validation, as KubeRay admits it, once
/// the feature gates it needs are on; with those gates off it is denied with the gate named.
struct ValidationCorpusTests {
    static let resources: [(path: String, object: JSONValue)] = (try? Fixtures.rayResources()) ?? []
    static let allGates = FeatureGates(Dictionary(uniqueKeysWithValues: FeatureGates.defaults.keys.map { ($0, true) }))

    func kind(_ object: JSONValue) throws -> RayKind {
        try #require(object["kind"]?.stringValue.flatMap(RayKind.init(rawValue:)))
    }

    @Test func everySampleIsAdmittedWithItsGatesOn() throws {
        for (path, object) in Self.resources {
            let kind = try kind(object)
            let result = Validator(featureGates: Self.allGates).validate(object, kind: kind, operation: .create)
            #expect(result.denials.isEmpty, "\(path): \(result.denials.map(\.description))")
            // So is what the mutating webhook makes of it.
            let mutated = Defaulter().apply(to: object, kind: kind, operation: .create).object
            let afterMutation = Validator(featureGates: Self.allGates).validate(mutated, kind: kind, operation: .create)
            #expect(afterMutation.denials.isEmpty, "\(path) mutated: \(afterMutation.denials.map(\.description))")
        }
    }

    @Test func samplesThatNeedAlphaGatesAreDeniedNamingTheGateWhenItIsOff() throws {
        var denied: [String: [String]] = [:]
        for (path, object) in Self.resources {
            let result = Validator().validate(object, kind: try kind(object), operation: .create)
            if !result.denials.isEmpty { denied[path] = result.denials.map(\.description) }
        }
        let expected: [String: String] = [
            "ray-cluster.embedded-gcs-ft.yaml": "GCSFaultToleranceEmbeddedStorage",
            "ray-cluster.historyserver.yaml": "RayClusterHistoryServer",
            "ray-cluster.network-policy-deny-all.yaml": "RayClusterNetworkPolicy",
            "ray-cluster.mtls.yaml": "RayClusterMTLS",
        ]
        #expect(Set(denied.keys) == Set(expected.keys), "\(denied)")
        for (path, gate) in expected {
            #expect(
                denied[path]?.contains { $0.contains("requires the \(gate) feature gate") } == true,
                "\(path): \(denied[path] ?? [])")
        }
    }

    /// Warnings worth reading: on KubeRay's own samples (resources people copy), no warning fires on
    /// more than a quarter, except the memory request/limit advice, which Ray's docs give for every
    /// Ray pod and the samples skip on purpose to fit small test clusters.
    @Test func noWarningFiresOnMostOrdinaryResources() throws {
        var resourcesWarned: [RuleID: Int] = [:]
        for (_, object) in Self.resources {
            let kind = try kind(object)
            let mutated = Defaulter().apply(to: object, kind: kind, operation: .create).object
            let result = Validator(featureGates: Self.allGates).validate(mutated, kind: kind, operation: .create)
            for rule in Set(result.warnings.compactMap(\.rule)) { resourcesWarned[rule, default: 0] += 1 }
        }
        #expect(Self.resources.count == 89)
        for (rule, count) in resourcesWarned where rule != "memory-request-below-limit" {
            #expect(count * 4 <= Self.resources.count, "\(rule) fires on \(count) of \(Self.resources.count)")
        }
    }
}
