import RayAdmission
import Testing

/// The rules as each KubeRay release has them: a rule the release does not enforce yet warns,
/// naming the release that starts; rules of older releases apply there only; and the rules whose
/// condition changed follow the release (the versions companion of the rule book, §2).
struct ReleaseRuleTests {
    struct Findings {
        var denied: Set<String> = []
        var warned: [String: String] = [:]
    }

    static func judge(
        _ kind: RayKind, _ changes: [JSONPatchOperation], release: String, crds: String? = nil,
        gates: [String: Bool] = [:], modes: [RuleID: EnforcementMode?] = [:]
    ) throws -> Findings {
        let object = try JSONPatch(changes).apply(to: ValidationRuleTests.base(kind))
        let selected = try KubeRayRelease(parsing: release)
        let validator = Validator(
            featureGates: FeatureGates(gates, release: selected), modes: modes, release: selected,
            crdRelease: try crds.map { try KubeRayRelease(parsing: $0) })
        let result = validator.validate(object, kind: kind, operation: .create)
        var findings = Findings()
        for denial in result.denials { findings.denied.insert("\(denial.rule?.rawValue ?? ""):\(denial.field)") }
        for warning in result.warnings {
            findings.warned["\(warning.rule?.rawValue ?? ""):\(warning.field)"] = warning.detail
        }
        return findings
    }

    static let minAboveMax: [JSONPatchOperation] = [
        .replace(path: ["spec", "workerGroupSpecs", "0", "minReplicas"], value: 5),
        .replace(path: ["spec", "workerGroupSpecs", "0", "maxReplicas"], value: 3),
    ]

    @Test func aRuleTheReleaseDoesNotEnforceYetWarnsNamingTheRelease() throws {
        let older = try Self.judge(.rayCluster, Self.minAboveMax, release: "1.5")
        #expect(!older.denied.contains("V17:spec.workerGroupSpecs[0].minReplicas"))
        #expect(
            older.warned["V17:spec.workerGroupSpecs[0].minReplicas"]
                == "KubeRay 1.6+ rejects this: must be less than or equal to maxReplicas (3)")
        let outcome = AdmissionPipeline(validator: Validator(release: .v1_5)).review(
            try AdmissionReviewDecoding.decode(
                Reviews.body(object: try JSONPatch(Self.minAboveMax).apply(to: ValidationRuleTests.base(.rayCluster)))),
            endpoint: .validate)
        #expect(outcome.response.allowed)
        #expect(
            outcome.response.warnings.contains {
                $0.hasPrefix("[V17] KubeRay 1.6+ rejects this: must be less than or equal to maxReplicas (3)")
            }, "\(outcome.response.warnings)")
        // In force from 1.6 on.
        #expect(
            try Self.judge(.rayCluster, Self.minAboveMax, release: "1.6").denied.contains(
                "V17:spec.workerGroupSpecs[0].minReplicas"))
        // A policy can still enforce it on an older release.
        #expect(
            try Self.judge(.rayCluster, Self.minAboveMax, release: "1.5", modes: ["V17": .some(.deny)]).denied.contains(
                "V17:spec.workerGroupSpecs[0].minReplicas"))
    }

    @Test func theOldDeletionPolicyRulesApplyToTheReleasesThatHaveIt() throws {
        let policy: [JSONPatchOperation] = [
            .add(path: ["spec", "deletionPolicy"], value: "DeleteWorkers"),
            .add(path: ["spec", "rayClusterSpec", "enableInTreeAutoscaling"], value: true),
            .add(path: ["spec", "clusterSelector"], value: ["ray.io/cluster": "shared"]),
        ]
        let v14 = try Self.judge(.rayJob, policy, release: "1.4")
        #expect(
            v14.denied.isSuperset(of: ["L01:spec.deletionPolicy", "L02:spec.deletionPolicy", "L03:spec.deletionPolicy"])
        )
        #expect(
            try !Self.judge(.rayJob, policy, release: "1.4", gates: ["RayJobDeletionPolicy": true]).denied.contains(
                "L01:spec.deletionPolicy"))
        let none: [JSONPatchOperation] = [
            .add(path: ["spec", "deletionPolicy"], value: "DeleteNone"),
            .add(path: ["spec", "shutdownAfterJobFinishes"], value: true),
        ]
        #expect(try Self.judge(.rayJob, none, release: "1.3").denied.contains("L04:spec.deletionPolicy"))
        #expect(
            try Self.judge(.rayJob, [.add(path: ["spec", "deletionPolicy"], value: "Whenever")], release: "1.4").denied
                .contains("L05:spec.deletionPolicy"))
        // From 1.5 the field is gone (the CRDs drop it): nothing to say.
        for release in ["1.5", "1.7"] {
            let later = try Self.judge(.rayJob, policy + none, release: release)
            #expect(!later.denied.contains { $0.hasPrefix("L0") }, "\(release)")
            #expect(!later.warned.keys.contains { $0.hasPrefix("L0") }, "\(release)")
        }
    }

    @Test func gateDefaultsFollowTheRelease() throws {
        let suspended: [JSONPatchOperation] = [.add(path: ["spec", "workerGroupSpecs", "0", "suspend"], value: true)]
        // RayJobDeletionPolicy is off by default before 1.6: suspending a group is rejected there.
        #expect(
            try Self.judge(.rayCluster, suspended, release: "1.5").denied.contains(
                "V44:spec.workerGroupSpecs[0].suspend"))
        #expect(
            try !Self.judge(.rayCluster, suspended, release: "1.6").denied.contains(
                "V44:spec.workerGroupSpecs[0].suspend"))
        // The incremental upgrade's checks need its gate, on by default only from 1.7.
        let incremental: [JSONPatchOperation] = [
            .add(
                path: ["spec", "upgradeStrategy"],
                value: [
                    "type": "NewClusterWithIncrementalUpgrade",
                    "clusterUpgradeOptions": [
                        "gatewayClassName": "istio", "stepSizePercent": 10, "intervalSeconds": 30,
                    ],
                ])
        ]
        #expect(try Self.judge(.rayService, incremental, release: "1.6").denied.isEmpty)
        #expect(
            try Self.judge(.rayService, incremental, release: "1.7").denied == [
                "V126:spec.rayClusterConfig.enableInTreeAutoscaling"
            ])
        // Before 1.5 the incremental type does not exist: V124 rejects it.
        #expect(
            try Self.judge(.rayService, incremental, release: "1.4").denied.contains("V124:spec.upgradeStrategy.type"))
    }

    @Test func rulesWhoseConditionChangedFollowTheRelease() throws {
        // V02: KubeRay 1.3 matched the name's pattern with no 63-character cap (and had no V01).
        let long = String(repeating: "a", count: 70)
        let name: [JSONPatchOperation] = [.replace(path: ["metadata", "name"], value: .string(long))]
        let v13 = try Self.judge(.rayCluster, name, release: "1.3")
        #expect(v13.denied.isEmpty)
        #expect(v13.warned["V01:metadata.name"]?.hasPrefix("KubeRay 1.4+ rejects this") == true)
        #expect(try Self.judge(.rayCluster, name, release: "1.4").denied == ["V01:metadata.name", "V02:metadata.name"])

        // R01: before 1.6 only a port named exactly `serve` makes the serve Service.
        let ports: JSONPointer = [
            "spec", "rayClusterConfig", "headGroupSpec", "template", "spec", "containers", "0", "ports",
        ]
        let grpc: [JSONPatchOperation] = [.replace(path: ports.appending("4", "name"), value: "serve-grpc")]
        #expect(
            try Self.judge(.rayService, grpc, release: "1.5").denied.contains(
                "R01:spec.rayClusterConfig.headGroupSpec.template.spec.containers[0].ports"))
        #expect(try Self.judge(.rayService, grpc, release: "1.6").denied.isEmpty)

        // R06: 1.7 assumes a new enough Ray without rayVersion; earlier releases fail without it;
        // 1.3 and 1.4 check a selector's job too.
        let metadata: [JSONPatchOperation] = [
            .add(path: ["spec", "metadata"], value: ["team": "a"]),
            .remove(path: ["spec", "rayClusterSpec", "rayVersion"]),
        ]
        #expect(try Self.judge(.rayJob, metadata, release: "1.7").denied.isEmpty)
        #expect(try Self.judge(.rayJob, metadata, release: "1.6").denied == ["R06:spec.metadata"])
        let selector: [JSONPatchOperation] = [
            .add(path: ["spec", "metadata"], value: ["team": "a"]),
            .remove(path: ["spec", "rayClusterSpec"]),
            .add(path: ["spec", "clusterSelector"], value: ["ray.io/cluster": "shared"]),
        ]
        #expect(try Self.judge(.rayJob, selector, release: "1.5").denied.isEmpty)
        #expect(try Self.judge(.rayJob, selector, release: "1.4").denied.contains("R06:spec.metadata"))

        // SidecarMode exists from 1.5 on.
        let sidecar: [JSONPatchOperation] = [.add(path: ["spec", "submissionMode"], value: "SidecarMode")]
        #expect(
            try Self.judge(.rayJob, sidecar, release: "1.4").denied.contains("submission-mode-enum:spec.submissionMode")
        )
        #expect(
            try !Self.judge(.rayJob, sidecar, release: "1.5").denied.contains(
                "submission-mode-enum:spec.submissionMode"))

        // V135: before V134 (1.7), the cron parser's own TZ= prefix names the zone.
        let zoned: [JSONPatchOperation] = [.replace(path: ["spec", "schedule"], value: "TZ=Europe/Paris 0 * * * *")]
        #expect(try Self.judge(.rayCronJob, zoned, release: "1.6").denied.isEmpty)
        #expect(try Self.judge(.rayCronJob, zoned, release: "1.7").denied == ["V134:spec.schedule"])
        let badZone: [JSONPatchOperation] = [
            .replace(path: ["spec", "schedule"], value: "CRON_TZ=Mars/Olympus 0 * * * *")
        ]
        #expect(try Self.judge(.rayCronJob, badZone, release: "1.6").denied == ["V135:spec.schedule"])
        let noSchedule: [JSONPatchOperation] = [.replace(path: ["spec", "schedule"], value: "TZ=UTC")]
        #expect(try Self.judge(.rayCronJob, noSchedule, release: "1.6").denied == ["V135:spec.schedule"])
    }

    @Test func crdChecksFollowTheInstalledCRDs() throws {
        // C09: rayStartParams was required in 1.3's CRDs.
        let noParams: [JSONPatchOperation] = [.remove(path: ["spec", "workerGroupSpecs", "0", "rayStartParams"])]
        #expect(
            try Self.judge(.rayCluster, noParams, release: "1.3").denied == [
                "C09:spec.workerGroupSpecs[0].rayStartParams"
            ])
        #expect(try Self.judge(.rayCluster, noParams, release: "1.4").denied.isEmpty)
        // C09: gcsFaultToleranceOptions needed redisAddress up to 1.6.
        let noAddress: [JSONPatchOperation] = [.add(path: ["spec", "gcsFaultToleranceOptions"], value: [:])]
        #expect(
            try Self.judge(.rayCluster, noAddress, release: "1.6").denied.contains(
                "C09:spec.gcsFaultToleranceOptions.redisAddress"))
        #expect(
            try !Self.judge(.rayCluster, noAddress, release: "1.7").denied.contains(
                "C09:spec.gcsFaultToleranceOptions.redisAddress"))
        // An operator on 1.7 whose CRDs were left at 1.6 by Helm: the CRDs decide.
        #expect(
            try Self.judge(.rayCluster, noAddress, release: "1.7", crds: "1.6").denied.contains(
                "C09:spec.gcsFaultToleranceOptions.redisAddress"))
        // C09: a RayService without rayClusterConfig is refused from 1.4's CRDs on.
        let bare: [JSONPatchOperation] = [.remove(path: ["spec", "rayClusterConfig"])]
        #expect(try !Self.judge(.rayService, bare, release: "1.3").denied.contains("C09:spec.rayClusterConfig"))
        #expect(try Self.judge(.rayService, bare, release: "1.4").denied.contains("C09:spec.rayClusterConfig"))
        // C10: group labels and resources maps came with 1.5.
        let labels: [JSONPatchOperation] = [
            .add(path: ["spec", "workerGroupSpecs", "0", "labels"], value: ["tier": 1])
        ]
        #expect(
            try !Self.judge(.rayCluster, labels, release: "1.4").denied.contains {
                $0.hasPrefix("C10")
            })
        #expect(
            try Self.judge(.rayCluster, labels, release: "1.5").denied.contains(
                "C10:spec.workerGroupSpecs[0].labels[tier]"))
        // C07: an enum of a field the CRDs do not have yet is not checked.
        let mode: [JSONPatchOperation] = [.add(path: ["spec", "autoscalerOptions"], value: ["version": "v3"])]
        #expect(try Self.judge(.rayCluster, mode, release: "1.3").denied.isEmpty)
        #expect(try Self.judge(.rayCluster, mode, release: "1.4").denied == ["C07:spec.autoscalerOptions.version"])
        // C09 in 1.5: a deletion condition needs jobStatus.
        let deploymentOnly: [JSONPatchOperation] = [
            .add(path: ["spec", "shutdownAfterJobFinishes"], value: false),
            .add(
                path: ["spec", "deletionStrategy"],
                value: ["deletionRules": [["policy": "DeleteCluster", "condition": ["jobDeploymentStatus": "Failed"]]]]),
        ]
        #expect(
            try Self.judge(.rayJob, deploymentOnly, release: "1.5", gates: ["RayJobDeletionPolicy": true]).denied
                .contains(
                    "C09:spec.deletionStrategy.deletionRules[0].condition.jobStatus"))
        #expect(
            try Self.judge(.rayJob, deploymentOnly, release: "1.6").denied.isEmpty)
    }

    @Test func aServiceManagedByIsImmutableFromTheCRDsThatHaveIt() throws {
        let old = try JSONPatch([.add(path: ["spec", "managedBy"], value: "ray.io/kuberay-operator")]).apply(
            to: ValidationRuleTests.base(.rayService))
        let new = try JSONPatch([.replace(path: ["spec", "managedBy"], value: "kueue.x-k8s.io/multikueue")]).apply(
            to: old)
        for (release, denied) in [(KubeRayRelease.v1_5, false), (.v1_6, true)] {
            let result = Validator(release: release).validate(
                new, kind: .rayService, operation: .update, oldObject: old)
            #expect(result.denials.contains { $0.rule == "C01" } == denied, "\(release)")
        }
    }
}
