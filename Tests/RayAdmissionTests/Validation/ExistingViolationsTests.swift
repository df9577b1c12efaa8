import RayAdmission
import Synchronization
import Testing

/// Existing violations are not new violations: on UPDATE, what the stored object already had, at
/// the same field and unchanged there, admits with a warning; what the update introduces denies.
struct ExistingViolationsTests {
    static let strictImages = """
        defaults:
          constraints: { allowedImages: ["registry.example.com/*"] }
        """

    static func engine(_ policy: String = "", gates: [String: Bool] = [:]) throws -> PolicyEngine {
        PolicyEngine(policy: try PolicyLoader().load(policy), version: "test", featureGates: FeatureGates(gates))
    }

    static func update(
        _ object: JSONValue, from oldObject: JSONValue, kind: RayKind = .rayCluster, user: String = "alice"
    ) -> AdmissionRequest {
        AdmissionRequest(
            uid: "u", kind: GroupVersionKind(group: "ray.io", version: "v1", kind: kind.rawValue),
            resource: kind.resource, name: "demo", namespace: "team-a", operation: .update,
            userInfo: .init(username: user), object: object, oldObject: oldObject)
    }

    static func clusterPointer(_ kind: RayKind) -> JSONPointer {
        ClusterSpecLocation.of(kind).pointer
    }

    static func pointer(_ kind: RayKind, _ tokens: String...) -> JSONPointer {
        JSONPointer(tokens: clusterPointer(kind).tokens + tokens)
    }

    /// The findings other than best-practice warnings (which the base object draws too).
    static func judged(_ outcome: AdmissionOutcome) -> [AdmissionOutcome.Finding] {
        outcome.findings.filter { $0.mode != .warn }
    }

    static func existingWarnings(_ outcome: AdmissionOutcome) -> [String] {
        outcome.response.warnings.filter { $0.contains("] existing violation, unchanged by this update (") }
    }

    /// A warning as the response carries it: one line, cut to the length `kubectl` shows.
    static func shown(_ warning: String) -> String {
        AdmissionResponse(uid: "", allowed: true, warnings: [warning]).warnings[0]
    }

    /// A RayCluster running the public Ray image, as created before the policy was tightened.
    static let stored = ValidationRuleTests.base(.rayCluster)

    /// What the KubeRay autoscaler writes: the replica count and the pods to remove.
    static func autoscalerUpdate(_ object: JSONValue, kind: RayKind = .rayCluster) throws -> JSONValue {
        let group = clusterPointer(kind).appending("workerGroupSpecs", "0")
        return try JSONPatch([
            .add(path: group.appending("replicas"), value: 3),
            .add(path: group.appending("scaleStrategy"), value: ["workersToDelete": ["demo-workers-abc12"]]),
            .add(path: ["metadata", "resourceVersion"], value: "48213"),
            .add(path: ["metadata", "generation"], value: 7),
        ]).apply(to: object)
    }

    static func operatorFinalizer(_ object: JSONValue) throws -> JSONValue {
        try JSONPatch([.add(path: ["metadata", "finalizers"], value: ["ray.io/gcs-ft-redis-cleanup-finalizer"])])
            .apply(to: object)
    }

    /// A label added next to the ones the object has.
    static func labelEdit(_ object: JSONValue) throws -> JSONValue {
        guard object["metadata"]?["labels"] != nil else {
            return try JSONPatch([.add(path: ["metadata", "labels"], value: ["cost-center": "42"])]).apply(to: object)
        }
        return try JSONPatch([.add(path: ["metadata", "labels", "cost-center"], value: "42")]).apply(to: object)
    }

    @Test func theAutoscalersReplicasUpdateOfAClusterBeforeATighterPolicyIsAdmitted() throws {
        let engine = try Self.engine(Self.strictImages)
        let created = engine.review(
            AdmissionRequest(
                uid: "c", kind: GroupVersionKind(group: "ray.io", version: "v1", kind: "RayCluster"),
                resource: "rayclusters", name: "demo", namespace: "team-a", operation: .create, object: Self.stored),
            endpoint: .validate)
        #expect(!created.response.allowed, "a new cluster with the public image is denied")

        let outcome = engine.review(
            Self.update(
                try Self.autoscalerUpdate(Self.stored), from: Self.stored,
                user: "system:serviceaccount:kuberay:kuberay-operator"), endpoint: .validate)
        #expect(outcome.response.allowed)
        #expect(outcome.decision == .allowed)
        #expect(
            Self.existingWarnings(outcome)
                == [
                    "[allowed-images] existing violation, unchanged by this update (spec.headGroupSpec.template.spec.containers[0].image)",
                    "[allowed-images] existing violation, unchanged by this update (spec.workerGroupSpecs[0].template.spec.containers[0].image)",
                ].map(Self.shown))
        #expect(
            outcome.response.auditAnnotations.contains {
                $0.key == "existing-violations" && $0.value == "allowed-images"
            })
        #expect(Self.judged(outcome) == [AdmissionOutcome.Finding(rule: "allowed-images", mode: .existing)])
        #expect(outcome.recordedRules == ["allowed-images"])
    }

    @Test(arguments: ["finalizer", "label"])
    func theOperatorsFinalizerAndALabelEditAreAdmitted(change: String) throws {
        let engine = try Self.engine(Self.strictImages)
        let updated = change == "finalizer" ? try Self.operatorFinalizer(Self.stored) : try Self.labelEdit(Self.stored)
        let outcome = engine.review(Self.update(updated, from: Self.stored), endpoint: .validate)
        #expect(outcome.response.allowed)
        #expect(Self.judged(outcome).map(\.mode) == [.existing])
    }

    @Test func editingTheViolatingFieldIsDenied() throws {
        let engine = try Self.engine(Self.strictImages)
        let edited = try JSONPatch([
            .replace(
                path: ["spec", "workerGroupSpecs", "0", "template", "spec", "containers", "0", "image"],
                value: "docker.io/someone/ray:2.53.0")
        ]).apply(to: Self.stored)
        let outcome = engine.review(Self.update(edited, from: Self.stored), endpoint: .validate)
        #expect(!outcome.response.allowed)
        #expect(outcome.response.status?.code == 422)
        // Only the edited field denies; the head's image is still the stored object's.
        #expect(
            outcome.response.status?.causes.map(\.field.description) == [
                "spec.workerGroupSpecs[0].template.spec.containers[0].image"
            ])
        #expect(Set(Self.judged(outcome).map(\.mode)) == [.deny, .existing])
    }

    @Test func aSecondViolationAddedByTheUpdateIsDenied() throws {
        let engine = try Self.engine(Self.strictImages)
        let second = RayObjects.group(
            RayObjects.container(), name: "more", extra: ["minReplicas": 0, "maxReplicas": 2])
        let grown = try JSONPatch([.add(path: ["spec", "workerGroupSpecs", "-"], value: second)]).apply(
            to: Self.stored)
        let outcome = engine.review(Self.update(grown, from: Self.stored), endpoint: .validate)
        #expect(!outcome.response.allowed)
        #expect(
            outcome.response.status?.causes.map(\.field.description) == [
                "spec.workerGroupSpecs[1].template.spec.containers[0].image"
            ])
    }

    @Test func anUpdateThatFixesTheViolationHasNoFinding() throws {
        let engine = try Self.engine(Self.strictImages)
        var fixed = Self.stored
        for pointer: JSONPointer in [
            ["spec", "headGroupSpec", "template", "spec", "containers", "0", "image"],
            ["spec", "workerGroupSpecs", "0", "template", "spec", "containers", "0", "image"],
        ] {
            fixed = try JSONPatch([.replace(path: pointer, value: "registry.example.com/ray:2.53.0")]).apply(to: fixed)
        }
        let outcome = engine.review(Self.update(fixed, from: Self.stored), endpoint: .validate)
        #expect(outcome.response.allowed)
        #expect(Self.judged(outcome).isEmpty)
        #expect(Self.existingWarnings(outcome).isEmpty)
    }

    @Test func allowExistingViolationsFalseJudgesEveryUpdateInFull() throws {
        for policy in [
            Self.strictImages + "\n  allowExistingViolations: false\n",
            Self.strictImages + "\nnamespaces:\n  - match: [team-a]\n    allowExistingViolations: false\n",
        ] {
            let engine = try Self.engine(policy)
            let outcome = engine.review(
                Self.update(try Self.autoscalerUpdate(Self.stored), from: Self.stored), endpoint: .validate)
            #expect(!outcome.response.allowed, "\(policy)")
        }
        // A namespace entry that does not set it takes the defaults' value.
        let inherited = try Self.engine(
            Self.strictImages + "\n  allowExistingViolations: false\nnamespaces:\n  - match: [team-a]\n    rules: {}\n")
        #expect(
            !inherited.review(Self.update(try Self.labelEdit(Self.stored), from: Self.stored), endpoint: .validate)
                .response.allowed)
    }

    /// Keyed list elements are matched by key: adding a group or an env entry in front of a
    /// violating one leaves it existing; a keyed element that is new brings its violations as new.
    @Test func keyedListElementsAreMatchedByKeyNotIndex() throws {
        let engine = try Self.engine(Self.strictImages)
        let allowed = RayObjects.group(
            .object(["name": "ray", "image": "registry.example.com/ray:2.53.0"]), name: "first",
            extra: ["minReplicas": 0, "maxReplicas": 1])
        let inFront = try JSONPatch([.add(path: ["spec", "workerGroupSpecs", "0"], value: allowed)]).apply(
            to: Self.stored)
        let outcome = engine.review(Self.update(inFront, from: Self.stored), endpoint: .validate)
        #expect(outcome.response.allowed, "\(outcome.response.status?.message ?? "")")
        let result = engine.pipeline(forNamespace: "team-a").validator.validate(
            inFront, kind: .rayCluster, operation: .update, oldObject: Self.stored)
        #expect(
            result.existing.map(\.field.description) == [
                "spec.headGroupSpec.template.spec.containers[0].image",
                "spec.workerGroupSpecs[1].template.spec.containers[0].image",
            ])

        // V28: the head's RAY_REDIS_ADDRESS without fault tolerance, then an env entry added before it.
        let env = ["spec", "headGroupSpec", "template", "spec", "containers", "0", "env"] as JSONPointer
        let redis = try JSONPatch([.add(path: env, value: [["name": "RAY_REDIS_ADDRESS", "value": "redis:6379"]])])
            .apply(to: Self.stored)
        let withEnv = try JSONPatch([.add(path: env.appending("0"), value: ["name": "TZ", "value": "UTC"])]).apply(
            to: redis)
        let plain = try Self.engine()
        let moved = plain.review(Self.update(withEnv, from: redis), endpoint: .validate)
        #expect(moved.response.allowed)
        #expect(Self.judged(moved) == [AdmissionOutcome.Finding(rule: "V28", mode: .existing)])

        // A renamed group is a new element: its violations are new.
        let renamed = try JSONPatch([.replace(path: ["spec", "workerGroupSpecs", "0", "groupName"], value: "gpu")])
            .apply(to: Self.stored)
        let denied = engine.review(Self.update(renamed, from: Self.stored), endpoint: .validate)
        #expect(!denied.response.allowed)
        #expect(
            denied.response.status?.causes.map(\.field.description) == [
                "spec.workerGroupSpecs[0].template.spec.containers[0].image"
            ])
    }

    /// Short lists are matched element by element, long ones through a table: both give the same
    /// answer. A group added in front leaves every violation existing; a renamed group's is new.
    @Test(arguments: [3, 40])
    func groupsMatchByNameInShortAndLongLists(groups: Int) throws {
        let engine = try Self.engine(Self.strictImages)
        var stored = Self.stored
        let template = try #require(stored["spec"]?["workerGroupSpecs"]?[0])
        let list = (0..<groups).map { index -> JSONValue in
            var group = template
            try? group.apply(.replace(path: ["groupName"], value: .string("group-\(index)")))
            return group
        }
        stored = try JSONPatch([.replace(path: ["spec", "workerGroupSpecs"], value: .array(list))]).apply(to: stored)
        let allowed = RayObjects.group(
            .object(["name": "ray", "image": "registry.example.com/ray:2.53.0"]), name: "first",
            extra: ["minReplicas": 0, "maxReplicas": 1])
        let updated = try JSONPatch([
            .add(path: ["spec", "workerGroupSpecs", "0"], value: allowed),
            .replace(path: ["spec", "workerGroupSpecs", "2", "groupName"], value: "renamed"),
        ]).apply(to: stored)
        let result = engine.pipeline(forNamespace: "team-a").validator.validate(
            updated, kind: .rayCluster, operation: .update, oldObject: stored)
        #expect(
            result.denials.map(\.field.description) == ["spec.workerGroupSpecs[2].template.spec.containers[0].image"])
        #expect(result.existing.count == groups)
        #expect(
            result.existing.last?.field.description
                == "spec.workerGroupSpecs[\(groups)].template.spec.containers[0].image")
    }

    /// A rule about the transition itself never admits as existing: here a rule that runs on both
    /// operations but declares so, and C01 (an immutable field) in the catalog.
    @Test func transitionRulesNeverRatchet() throws {
        let alwaysDenies = ValidationRule(id: "no-change-allowed", summary: "test", ratchets: false) { _ in
            [.forbidden(FieldPath("spec"), "always")]
        }
        let validator = Validator(rules: [alwaysDenies])
        let result = validator.validate(
            try Self.labelEdit(Self.stored), kind: .rayCluster, operation: .update, oldObject: Self.stored)
        #expect(result.denials.map(\.rule) == ["no-change-allowed"])
        #expect(result.existing.isEmpty)
        #expect(ValidationCatalog.rules.filter { !$0.ratchets }.map(\.descriptor.id).sorted() == ["C01", "C02"])

        let managed = try JSONPatch([.add(path: ["spec", "managedBy"], value: "ray.io/kuberay-operator")]).apply(
            to: Self.stored)
        let moved = try JSONPatch([.replace(path: ["spec", "managedBy"], value: "kueue.x-k8s.io/multikueue")]).apply(
            to: managed)
        let outcome = try Self.engine(Self.strictImages).review(Self.update(moved, from: managed), endpoint: .validate)
        #expect(!outcome.response.allowed)
        #expect(outcome.response.status?.causes.compactMap(\.rule) == ["C01"])
        #expect(outcome.findings.contains(AdmissionOutcome.Finding(rule: "allowed-images", mode: .existing)))
    }

    /// The stored object is judged only when the update would be denied.
    @Test func theStoredObjectIsJudgedOnlyWhenTheUpdateHasADenial() throws {
        let calls = Mutex(0)
        let imageRule = ValidationRule(id: "counted", summary: "test") { context in
            calls.withLock { $0 += 1 }
            let image = context.object[context.cluster.headGroup.rayContainer.appending("image")]?.stringValue
            return image == "bad" ? [.forbidden(FieldPath("spec"), "bad image")] : []
        }
        let validator = Validator(rules: [imageRule])
        _ = validator.validate(
            try Self.labelEdit(Self.stored), kind: .rayCluster, operation: .update, oldObject: Self.stored)
        #expect(calls.withLock { $0 } == 1)
        let bad = try JSONPatch([
            .replace(path: ["spec", "headGroupSpec", "template", "spec", "containers", "0", "image"], value: "bad")
        ]).apply(to: Self.stored)
        let result = validator.validate(try Self.labelEdit(bad), kind: .rayCluster, operation: .update, oldObject: bad)
        #expect(calls.withLock { $0 } == 3)
        #expect(result.existing.count == 1)
    }

    // MARK: every rule family

    struct Family: Sendable, CustomTestStringConvertible {
        let rule: RuleID
        let kind: RayKind
        /// Makes the valid base violate `rule`.
        let violate: [JSONPatchOperation]
        /// Changes the violating field to another violating value; nil where no such edit exists.
        let edit: [JSONPatchOperation]?
        var policy = ""
        var gates: [String: Bool] = [:]
        var testDescription: String { "\(rule) on \(kind)" }
    }

    static func headEnv(_ kind: RayKind) -> JSONPointer {
        pointer(kind, "headGroupSpec", "template", "spec", "containers", "0", "env")
    }

    static let families: [Family] = [
        Family(
            rule: "V07", kind: .rayService,
            violate: [.add(path: ["metadata", "annotations"], value: ["ray.io/initializing-timeout": "0"])],
            edit: [.replace(path: ["metadata", "annotations", "ray.io/initializing-timeout"], value: "-5m")]),
        Family(
            rule: "V17", kind: .rayCluster,
            violate: [
                .replace(path: pointer(.rayCluster, "workerGroupSpecs", "0", "minReplicas"), value: 5),
                .replace(path: pointer(.rayCluster, "workerGroupSpecs", "0", "maxReplicas"), value: 3),
            ],
            edit: [.replace(path: pointer(.rayCluster, "workerGroupSpecs", "0", "minReplicas"), value: 6)]),
        Family(
            rule: "V28", kind: .rayJob,
            violate: [.add(path: headEnv(.rayJob), value: [["name": "RAY_REDIS_ADDRESS", "value": "redis:6379"]])],
            edit: [.replace(path: headEnv(.rayJob).appending("0", "value"), value: "other:6379")]),
        Family(
            rule: "V50", kind: .rayService,
            violate: [
                .add(
                    path: pointer(.rayService, "autoscalerOptions"),
                    value: ["idleTimeoutSeconds": .number(JSONNumber(-1))])
            ],
            edit: [
                .replace(
                    path: pointer(.rayService, "autoscalerOptions", "idleTimeoutSeconds"),
                    value: .number(JSONNumber(-2)))
            ]),
        Family(
            rule: "V74", kind: .rayCluster,
            violate: [.add(path: pointer(.rayCluster, "tlsOptions"), value: ["enabled": true])],
            edit: [.replace(path: pointer(.rayCluster, "tlsOptions", "enabled"), value: false)]),
        Family(
            rule: "V62", kind: .rayCronJob,
            violate: [
                .add(path: pointer(.rayCronJob, "authOptions"), value: ["mode": "token"]),
                .replace(path: pointer(.rayCronJob, "rayVersion"), value: "2.40.0"),
            ],
            edit: [.replace(path: pointer(.rayCronJob, "rayVersion"), value: "2.41.0")]),
        Family(
            rule: "V67", kind: .rayCluster,
            violate: [
                .add(
                    path: pointer(.rayCluster, "networkPolicy"),
                    value: ["mode": "DenyAllEgress", "head": ["ingressRules": [[:]]]])
            ],
            edit: [.add(path: pointer(.rayCluster, "networkPolicy", "head", "ingressRules", "-"), value: [:])],
            gates: ["RayClusterNetworkPolicy": true]),
        Family(
            rule: "V83", kind: .rayService,
            violate: [.add(path: pointer(.rayService, "upgradeStrategy"), value: ["type": "Recreate"])],
            edit: [.replace(path: pointer(.rayService, "upgradeStrategy", "type"), value: "None")]),
        Family(
            rule: "V86", kind: .rayJob,
            violate: [.add(path: ["spec", "ttlSecondsAfterFinished"], value: .number(JSONNumber(-1)))],
            edit: [.replace(path: ["spec", "ttlSecondsAfterFinished"], value: .number(JSONNumber(-2)))]),
        Family(
            rule: "V124", kind: .rayService,
            violate: [.add(path: ["spec", "upgradeStrategy"], value: ["type": "Bogus"])],
            edit: [.replace(path: ["spec", "upgradeStrategy", "type"], value: "Other")]),
        Family(
            rule: "V135", kind: .rayCronJob,
            violate: [.replace(path: ["spec", "schedule"], value: "every hour")],
            edit: [.replace(path: ["spec", "schedule"], value: "every day")]),
        Family(
            rule: "V139", kind: .rayCluster,
            violate: [
                .copy(
                    from: pointer(.rayCluster, "workerGroupSpecs", "0"),
                    path: pointer(.rayCluster, "workerGroupSpecs", "-"))
            ],
            edit: nil),
        Family(
            rule: "unique-group-names", kind: .rayJob,
            violate: [
                .copy(from: pointer(.rayJob, "workerGroupSpecs", "0"), path: pointer(.rayJob, "workerGroupSpecs", "-"))
            ],
            edit: nil),
        Family(
            rule: "C10", kind: .rayCluster,
            violate: [.add(path: pointer(.rayCluster, "headGroupSpec", "rayStartParams", "num-cpus"), value: 1)],
            edit: [.replace(path: pointer(.rayCluster, "headGroupSpec", "rayStartParams", "num-cpus"), value: 2)]),
        Family(
            rule: "C11", kind: .rayService,
            violate: [
                .add(
                    path: headEnv(.rayService),
                    value: [["name": "A", "value": "1"], ["name": "A", "value": "2"]])
            ],
            edit: [.replace(path: headEnv(.rayService).appending("1", "value"), value: "3")]),
        Family(
            rule: "field-types", kind: .rayCluster,
            violate: [.add(path: pointer(.rayCluster, "enableInTreeAutoscaling"), value: "true")],
            edit: [.replace(path: pointer(.rayCluster, "enableInTreeAutoscaling"), value: "yes")]),
        Family(
            rule: "R04", kind: .rayJob,
            violate: [.replace(path: ["spec", "entrypoint"], value: "")],
            edit: [.replace(path: ["spec", "entrypoint"], value: "  ")]),
        Family(
            rule: "allowed-images", kind: .rayCronJob, violate: [],
            edit: [
                .replace(
                    path: pointer(.rayCronJob, "workerGroupSpecs", "0", "template", "spec", "containers", "0", "image"),
                    value: "docker.io/someone/ray:2")
            ],
            policy: strictImages),
        Family(
            rule: "max-gpus-per-cluster", kind: .rayJob,
            violate: [
                .add(
                    path: pointer(.rayJob, "workerGroupSpecs", "0", "template", "spec", "containers", "0", "resources"),
                    value: ["limits": ["nvidia.com/gpu": 1]])
            ],
            edit: [.replace(path: pointer(.rayJob, "workerGroupSpecs", "0", "maxReplicas"), value: 5)],
            policy: "defaults: { constraints: { maxGPUsPerCluster: 2 } }"),
        Family(
            rule: "request-above-limit", kind: .rayCluster,
            violate: [
                .add(
                    path: pointer(
                        .rayCluster, "workerGroupSpecs", "0", "template", "spec", "containers", "0", "resources"),
                    value: ["requests": ["cpu": "2"], "limits": ["cpu": "1"]])
            ],
            edit: [
                .replace(
                    path: pointer(
                        .rayCluster, "workerGroupSpecs", "0", "template", "spec", "containers", "0", "resources",
                        "requests", "cpu"), value: "3")
            ]),
        Family(
            rule: "V83", kind: .rayCluster,
            violate: [
                .add(path: ["metadata", "labels"], value: ["ray.io/originated-from-crd": "RayJob"]),
                .add(path: ["spec", "upgradeStrategy"], value: ["type": "Recreate"]),
            ],
            edit: [.replace(path: ["spec", "upgradeStrategy", "type"], value: "None")]),
        Family(
            rule: "required-labels", kind: .rayService, violate: [], edit: nil,
            policy: "defaults: { constraints: { requiredLabels: [owner] } }"),
    ]

    /// For each rule family: the stored object violates the rule; the autoscaler's update, the
    /// operator's finalizer and a label edit are admitted with the violation reported as existing;
    /// an edit of the violating field to another bad value is denied.
    @Test(arguments: families)
    func everyRuleFamilyRatchets(family: Family) throws {
        let engine = try Self.engine(family.policy, gates: family.gates)
        let stored = try JSONPatch(family.violate).apply(to: ValidationRuleTests.base(family.kind))
        let creation = engine.pipeline(forNamespace: "team-a").validator.validate(
            stored, kind: family.kind, operation: .create)
        #expect(creation.denials.contains { $0.rule == family.rule }, "\(creation.denials.map(\.description))")

        let routine = try Self.labelEdit(Self.operatorFinalizer(Self.autoscalerUpdate(stored, kind: family.kind)))
        let admitted = engine.review(Self.update(routine, from: stored, kind: family.kind), endpoint: .validate)
        #expect(admitted.response.allowed, "\(admitted.response.status?.message ?? "")")
        #expect(admitted.findings.contains(AdmissionOutcome.Finding(rule: family.rule, mode: .existing)))
        #expect(admitted.response.warnings.contains { $0.hasPrefix("[\(family.rule)] existing violation") })

        guard let edit = family.edit else { return }
        let edited = try JSONPatch(edit).apply(to: routine)
        let denied = engine.review(Self.update(edited, from: stored, kind: family.kind), endpoint: .validate)
        #expect(!denied.response.allowed)
        #expect(denied.findings.contains(AdmissionOutcome.Finding(rule: family.rule, mode: .deny)))
    }
}
