import RayAdmission
import Testing

/// The KubeRay release a cluster runs: parsing it, which rules each release enforces (the
/// versions companion's table), and each release's feature gates.
struct KubeRayReleaseTests {
    @Test(arguments: [
        ("1.3", "1.3.2"), ("v1.4", "1.4.2"), ("1.5", "1.5.2"), ("1.5.0", "1.5.0"), ("v1.5.1", "1.5.1"),
        ("1.6.2", "1.6.2"), ("1.6.0", "1.6.0"), ("1.7", "1.7.0"), ("V1.7.0", "1.7.0"),
    ])
    func supportedReleasesParse(text: String, release: String) throws {
        #expect(try KubeRayRelease(parsing: text).description == release)
    }

    @Test(arguments: ["1.8", "1.2", "2.0", "1.6.3", "1.7.1", "1.x", "", "v", "1", "1.6.2.1", "1.6.-1", "１.6"])
    func anythingElseIsRefusedNamingTheSupportedOnes(text: String) {
        #expect {
            try KubeRayRelease(parsing: text)
        } throws: { error in
            "\(error)".contains("supported: 1.3, 1.4, 1.5 (or 1.5.0), 1.6, 1.7")
        }
    }

    @Test func releasesOrderAndNameThemselves() throws {
        #expect(try KubeRayRelease(parsing: "1.5.0") < KubeRayRelease(parsing: "1.5"))
        #expect(KubeRayRelease.v1_5_1 < .v1_6)
        #expect(KubeRayRelease.v1_6.displayName == "1.6")
        #expect(KubeRayRelease.v1_5_1.displayName == "1.5.1")
        #expect(KubeRayRelease.newest == .v1_7)
    }

    /// The number of rule-book V rules each release enforces, as the versions companion counts them.
    @Test func eachReleaseEnforcesTheRuleBookSetTheCompanionCounts() throws {
        let ids = (1...139).map { RuleID("V" + ($0 < 10 ? "0\($0)" : "\($0)")) }
        for (release, count) in [
            ("1.3", 23), ("1.4", 36), ("1.5.0", 72), ("1.5", 75), ("1.6", 94), ("1.7", 139),
        ] {
            let selected = try KubeRayRelease(parsing: release)
            let inForce = ids.filter { RuleReleases.status(of: $0, operator: selected, crds: selected) == .inForce }
            #expect(inForce.count == count, "\(release)")
        }
        #expect(RuleReleases.availability(of: "V17")?.since == .v1_6)
        #expect(RuleReleases.status(of: "L01", operator: .v1_5, crds: .v1_5) == .retired(until: .v1_4))
        #expect(RuleReleases.status(of: "L01", operator: try KubeRayRelease(parsing: "1.4.2"), crds: .v1_4) == .inForce)
        #expect(RuleReleases.status(of: "allowed-images", operator: .v1_3, crds: .v1_3) == .inForce)
        // C rules follow the CRDs: an operator on 1.7 with CRDs left at 1.5 (Helm does not upgrade them).
        #expect(RuleReleases.status(of: "C04", operator: .v1_7, crds: .v1_5) == .notYet(since: .v1_6))
        #expect(RuleReleases.status(of: "V17", operator: .v1_5, crds: .v1_7) == .notYet(since: .v1_6))
        // Every id the table dates is a rule in the catalog.
        let catalog = Set(ValidationCatalog.rules.map(\.descriptor.id))
        for id in ["V139", "V01", "L05", "C02", "R11", "W01"] { #expect(catalog.contains(RuleID(id)), "\(id)") }
    }

    @Test func eachReleaseHasItsOwnGatesAndDefaults() throws {
        #expect(
            FeatureGates.defaults(for: .v1_3) == ["RayClusterStatusConditions": true, "RayJobDeletionPolicy": false])
        let v15 = FeatureGates.defaults(for: .v1_5)
        #expect(v15["RayJobDeletionPolicy"] == false)
        #expect(v15["RayServiceIncrementalUpgrade"] == false)
        #expect(v15["RayCronJob"] == nil)
        let v16 = FeatureGates.defaults(for: .v1_6)
        #expect(v16["RayJobDeletionPolicy"] == true)
        #expect(v16["AsyncJobInfoQuery"] == false)
        #expect(v16["RayClusterMTLS"] == nil)
        let v17 = FeatureGates.defaults(for: .v1_7)
        #expect(v17["RayServiceIncrementalUpgrade"] == true)
        #expect(v17["AsyncJobInfoQuery"] == nil)
        #expect(v17.count == 11)
        // A gate of another release is unknown: reported, ignored, never fatal.
        let parsed = try FeatureGates.parse("RayClusterMTLS=true,RayCronJob=true", release: .v1_6)
        #expect(parsed.unknown == ["RayClusterMTLS"])
        #expect(parsed.gates.isEnabled("RayCronJob"))
        #expect(!parsed.gates.isEnabled("RayClusterMTLS"))
        #expect(FeatureGates.unknownGateMessage(["X"], release: .v1_3).contains("KubeRay 1.3 knows"))
    }
}
