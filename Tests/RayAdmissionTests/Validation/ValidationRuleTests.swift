import RayAdmission
import Testing

/// Each validation rule denies what the rule book says, at the field it names, in every kind it
/// applies to, and stays silent on a valid object.
struct ValidationRuleTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let rule: RuleID
        /// Operations relative to the cluster spec (paths start at the cluster spec).
        let clusterChanges: [JSONPatchOperation]
        /// Operations on the whole object (metadata).
        var objectChanges: [JSONPatchOperation] = []
        /// Where the error points, relative to the cluster spec's field path ("" for metadata cases).
        let field: String
        var kinds: [RayKind] = RayKind.allCases
        var gates: [String: Bool] = [:]
        var testDescription: String { "\(rule) \(field)" }
    }

    static let ftOptions: JSONPatchOperation = .add(
        path: ["gcsFaultToleranceOptions"], value: ["redisAddress": "redis:6379"])
    static let rocksdb: JSONPatchOperation = .add(path: ["gcsFaultToleranceOptions"], value: ["backend": "rocksdb"])
    static let headEnv: JSONPointer = ["headGroupSpec", "template", "spec", "containers", "0", "env"]
    static let withAnnotationKinds: [RayKind] = [.rayCluster, .rayJob, .rayService]

    static let cases: [Case] = [
        Case(
            rule: "V09",
            clusterChanges: [.replace(path: ["headGroupSpec", "template", "spec", "containers"], value: [])],
            field: "headGroupSpec.template.spec.containers"),
        Case(
            rule: "V10",
            clusterChanges: [
                .add(path: ["headGroupSpec", "resources"], value: ["CPU": "1"]),
                .add(path: ["headGroupSpec", "rayStartParams", "num-cpus"], value: "1"),
            ],
            field: "headGroupSpec.resources"),
        Case(
            rule: "V11", clusterChanges: [.add(path: ["headGroupSpec", "rayStartParams", "labels"], value: "")],
            field: "headGroupSpec.rayStartParams[labels]"),
        Case(
            rule: "V12", clusterChanges: [.add(path: ["headGroupSpec", "labels"], value: ["bad key!": "x"])],
            field: "headGroupSpec.labels"),
        Case(
            rule: "V13",
            clusterChanges: [.replace(path: ["workerGroupSpecs", "0", "template", "spec", "containers"], value: [])],
            field: "workerGroupSpecs[0].template.spec.containers"),
        Case(
            rule: "V15",
            clusterChanges: [.add(path: ["workerGroupSpecs", "0", "minReplicas"], value: .number(JSONNumber(-1)))],
            field: "workerGroupSpecs[0].minReplicas"),
        Case(
            rule: "V16",
            clusterChanges: [.add(path: ["workerGroupSpecs", "0", "maxReplicas"], value: .number(JSONNumber(-2)))],
            field: "workerGroupSpecs[0].maxReplicas"),
        Case(
            rule: "V17",
            clusterChanges: [
                .add(path: ["workerGroupSpecs", "0", "minReplicas"], value: 5),
                .add(path: ["workerGroupSpecs", "0", "maxReplicas"], value: 3),
            ],
            field: "workerGroupSpecs[0].minReplicas"),
        Case(
            rule: "V18",
            clusterChanges: [
                .add(path: ["workerGroupSpecs", "0", "resources"], value: ["GPU": "1"]),
                .add(path: ["workerGroupSpecs", "0", "rayStartParams", "num-gpus"], value: "1"),
            ],
            field: "workerGroupSpecs[0].resources"),
        Case(
            rule: "V19",
            clusterChanges: [.add(path: ["workerGroupSpecs", "0", "rayStartParams", "labels"], value: "a=b")],
            field: "workerGroupSpecs[0].rayStartParams[labels]"),
        Case(
            rule: "V20", clusterChanges: [.add(path: ["workerGroupSpecs", "0", "labels"], value: ["ok": "-bad-"])],
            field: "workerGroupSpecs[0].labels[ok]"),
        Case(
            rule: "V21",
            clusterChanges: [
                .add(path: ["workerGroupSpecs", "0", "idleTimeoutSeconds"], value: .number(JSONNumber(-5)))
            ],
            field: "workerGroupSpecs[0].idleTimeoutSeconds"),
        Case(
            rule: "V22", clusterChanges: [.add(path: ["workerGroupSpecs", "0", "idleTimeoutSeconds"], value: 30)],
            field: "workerGroupSpecs[0].idleTimeoutSeconds"),
        Case(
            rule: "V28",
            clusterChanges: [.add(path: headEnv, value: [["name": "RAY_REDIS_ADDRESS", "value": "r:6379"]])],
            field: "headGroupSpec.template.spec.containers[0].env[0]"),
        Case(
            rule: "V29",
            clusterChanges: [
                ftOptions, .add(path: ["headGroupSpec", "rayStartParams", "redis-password"], value: "x"),
            ],
            field: "headGroupSpec.rayStartParams[redis-password]"),
        Case(
            rule: "V30",
            clusterChanges: [ftOptions, .add(path: headEnv, value: [["name": "REDIS_PASSWORD", "value": "x"]])],
            field: "headGroupSpec.template.spec.containers[0].env[0]"),
        Case(
            rule: "V31",
            clusterChanges: [ftOptions, .add(path: headEnv, value: [["name": "RAY_REDIS_ADDRESS", "value": "x"]])],
            field: "headGroupSpec.template.spec.containers[0].env[0]"),
        Case(rule: "V33", clusterChanges: [rocksdb], field: "gcsFaultToleranceOptions.backend"),
        Case(
            rule: "V34",
            clusterChanges: [
                .add(path: ["gcsFaultToleranceOptions"], value: ["backend": "rocksdb", "redisAddress": "r"])
            ],
            field: "gcsFaultToleranceOptions.redisAddress", gates: ["GCSFaultToleranceEmbeddedStorage": true]),
        Case(
            rule: "V35",
            clusterChanges: [
                .add(
                    path: ["gcsFaultToleranceOptions"], value: ["backend": "rocksdb", "redisUsername": ["value": "u"]])
            ],
            field: "gcsFaultToleranceOptions.redisUsername", gates: ["GCSFaultToleranceEmbeddedStorage": true]),
        Case(
            rule: "V36",
            clusterChanges: [
                .add(
                    path: ["gcsFaultToleranceOptions"], value: ["backend": "rocksdb", "redisPassword": ["value": "p"]])
            ],
            field: "gcsFaultToleranceOptions.redisPassword", gates: ["GCSFaultToleranceEmbeddedStorage": true]),
        Case(
            rule: "V37",
            clusterChanges: [
                .add(
                    path: ["gcsFaultToleranceOptions"], value: ["backend": "rocksdb", "externalStorageNamespace": "n"])
            ],
            field: "gcsFaultToleranceOptions.externalStorageNamespace",
            gates: ["GCSFaultToleranceEmbeddedStorage": true]),
        Case(
            rule: "V38",
            clusterChanges: [
                .add(
                    path: ["gcsFaultToleranceOptions"],
                    value: ["backend": "rocksdb", "storage": ["claimName": "c", "size": "1Gi"]])
            ],
            field: "gcsFaultToleranceOptions.storage.claimName", gates: ["GCSFaultToleranceEmbeddedStorage": true]),
        Case(
            rule: "V39",
            clusterChanges: [rocksdb, .add(path: headEnv, value: [["name": "RAY_gcs_storage", "value": "rocksdb"]])],
            field: "headGroupSpec.template.spec.containers[0].env[0]", gates: ["GCSFaultToleranceEmbeddedStorage": true]
        ),
        Case(
            rule: "V40",
            clusterChanges: [
                rocksdb,
                .add(
                    path: ["headGroupSpec", "template", "spec", "containers", "0", "volumeMounts"],
                    value: [["name": "data", "mountPath": "/data/gcs"]]),
            ],
            field: "headGroupSpec.template.spec.containers[0].volumeMounts[0]",
            gates: ["GCSFaultToleranceEmbeddedStorage": true]),
        Case(
            rule: "V41",
            clusterChanges: [
                rocksdb,
                .add(path: ["headGroupSpec", "template", "spec", "volumes"], value: [["name": "gcs-storage"]]),
            ],
            field: "headGroupSpec.template.spec.volumes[0]", gates: ["GCSFaultToleranceEmbeddedStorage": true]),
        Case(
            rule: "V42",
            clusterChanges: [
                .add(path: ["gcsFaultToleranceOptions"], value: ["redisAddress": "r", "storage": ["size": "1Gi"]])
            ],
            field: "gcsFaultToleranceOptions.storage"),
        Case(
            rule: "V43",
            clusterChanges: [.add(path: ["headGroupSpec", "rayStartParams", "redis-username"], value: "u")],
            field: "headGroupSpec.rayStartParams[redis-username]"),
        Case(
            rule: "V44", clusterChanges: [.add(path: ["workerGroupSpecs", "0", "suspend"], value: true)],
            field: "workerGroupSpecs[0].suspend", gates: ["RayJobDeletionPolicy": false]),
        Case(
            rule: "V52", clusterChanges: [.add(path: ["historyServerOptions"], value: [:])],
            field: "historyServerOptions"),
        Case(rule: "V66", clusterChanges: [.add(path: ["networkPolicy"], value: [:])], field: "networkPolicy"),
        Case(rule: "V74", clusterChanges: [.add(path: ["tlsOptions"], value: ["enabled": false])], field: "tlsOptions"),
    ]

    /// A valid object of each kind (a RayService head also declares its serve port, R01).
    static func base(_ kind: RayKind) -> JSONValue {
        let worker = RayObjects.group(
            RayObjects.container(), name: "workers", extra: ["minReplicas": 0, "maxReplicas": 4])
        var headPorts = RayObjects.fullHeadPorts.arrayValue ?? []
        if kind == .rayService { headPorts.append(["name": "serve", "containerPort": 8000]) }
        let head = RayObjects.group(
            RayObjects.container(ports: .array(headPorts)), params: ["dashboard-host": "0.0.0.0"])
        return RayObjects.wrap(RayObjects.cluster(head: head, workers: [worker]), kind: kind)
    }

    static func apply(_ changes: [JSONPatchOperation], under prefix: JSONPointer, to object: JSONValue) throws
        -> JSONValue
    {
        let rebased = changes.map { change -> JSONPatchOperation in
            switch change {
            case .add(let path, let value): .add(path: JSONPointer(tokens: prefix.tokens + path.tokens), value: value)
            case .replace(let path, let value):
                .replace(path: JSONPointer(tokens: prefix.tokens + path.tokens), value: value)
            case .remove(let path): .remove(path: JSONPointer(tokens: prefix.tokens + path.tokens))
            default: change
            }
        }
        return try JSONPatch(rebased).apply(to: object)
    }

    @Test func theValidBaseIsAdmittedEverywhere() {
        for kind in RayKind.allCases {
            let result = Validator().validate(Self.base(kind), kind: kind, operation: .create)
            #expect(result.denials.isEmpty, "\(kind): \(result.denials.map(\.description))")
        }
    }

    @Test(arguments: cases)
    func eachRuleDeniesAtItsField(_ testCase: Case) throws {
        for kind in testCase.kinds {
            let cluster = ClusterSpecLocation(kind: kind)
            let object = try Self.apply(testCase.clusterChanges, under: cluster.pointer, to: Self.base(kind))
            let result = Validator(featureGates: FeatureGates(testCase.gates)).validate(
                object, kind: kind, operation: .create)
            let mine = result.denials.filter { $0.rule == testCase.rule }
            let expectedField = cluster.fieldPath.description + "." + testCase.field
            #expect(
                mine.map(\.field.description).contains(expectedField), "\(kind): \(result.denials.map(\.description))")
            // The same object with the rule's gate on (where one applies) or the base is not denied by it.
            let clean = Validator().validate(Self.base(kind), kind: kind, operation: .create).denials
            #expect(!clean.contains { $0.rule == testCase.rule })
        }
    }

    @Test func metadataRules() throws {
        func denials(_ kind: RayKind, name: String, annotations: JSONValue? = nil) -> [String] {
            var object = Self.base(kind)
            object =
                (try? JSONPatch([.replace(path: ["metadata", "name"], value: .string(name))]).apply(to: object))
                ?? object
            if let annotations {
                object =
                    (try? JSONPatch([.add(path: ["metadata", "annotations"], value: annotations)]).apply(to: object))
                    ?? object
            }
            return Validator().validate(object, kind: kind, operation: .create).denials.compactMap { $0.rule?.rawValue }
        }
        #expect(denials(.rayCluster, name: String(repeating: "a", count: 53)).isEmpty)
        #expect(denials(.rayCluster, name: String(repeating: "a", count: 54)) == ["V01"])
        #expect(denials(.rayCluster, name: String(repeating: "1", count: 53)) == ["V02"])
        #expect(denials(.rayJob, name: String(repeating: "j", count: 48)) == ["V03"])
        #expect(denials(.rayJob, name: "Job") == ["V04"])
        #expect(denials(.rayService, name: String(repeating: "s", count: 48)) == ["V05"])
        #expect(denials(.rayService, name: "svc-") == ["V06"])
        #expect(denials(.rayCronJob, name: String(repeating: "c", count: 37)) == ["V08"])
        // No DNS check for RayCronJob (the child RayJob's name is checked when it is created).
        #expect(denials(.rayCronJob, name: "Cron_1").isEmpty)
        for good in ["5m", "1h30m", "300", "1.5h"] {
            #expect(
                denials(.rayService, name: "svc", annotations: ["ray.io/initializing-timeout": .string(good)]).isEmpty,
                "\(good)")
        }
        for bad in ["0", "-100", "-5m", "invalid", "5x"] {
            #expect(
                denials(.rayService, name: "svc", annotations: ["ray.io/initializing-timeout": .string(bad)]) == [
                    "V07"
                ], "\(bad)")
        }
    }

    @Test func duplicateGroupNamesAreDeniedInEveryKind() throws {
        for kind in RayKind.allCases {
            let cluster = ClusterSpecLocation(kind: kind)
            let worker = RayObjects.group(
                RayObjects.container(), name: "workers", extra: ["minReplicas": 0, "maxReplicas": 4])
            let object = try JSONPatch([
                .add(path: cluster.pointer.appending("workerGroupSpecs").appending("-"), value: worker)
            ])
            .apply(to: Self.base(kind))
            let denial = Validator().validate(object, kind: kind, operation: .create).denials.first
            #expect(denial?.rule == (kind == .rayCluster ? "V139" : "unique-group-names"))
            #expect(denial?.field.description == cluster.fieldPath.description + ".workerGroupSpecs[1].groupName")
        }
    }

    @Test func ftAnnotationRulesUseTheParentsAnnotations() throws {
        for kind in Self.withAnnotationKinds {
            let cluster = ClusterSpecLocation(kind: kind)
            var object = try Self.apply([Self.ftOptions], under: cluster.pointer, to: Self.base(kind))
            object = try JSONPatch([
                .add(
                    path: ["metadata", "annotations"],
                    value: [
                        "ray.io/ft-enabled": "false", "ray.io/external-storage-namespace": "ns",
                    ])
            ]).apply(to: object)
            let rules = Validator().validate(object, kind: kind, operation: .create).denials.compactMap(\.rule)
            #expect(rules == ["V27", "V32"], "\(kind)")
            // The legacy pair (annotation "true" + env) is fine without options.
            var legacy = try Self.apply(
                [.add(path: Self.headEnv, value: [["name": "RAY_REDIS_ADDRESS", "value": "r"]])],
                under: cluster.pointer, to: Self.base(kind))
            legacy = try JSONPatch([.add(path: ["metadata", "annotations"], value: ["ray.io/ft-enabled": "true"])])
                .apply(to: legacy)
            #expect(Validator().validate(legacy, kind: kind, operation: .create).denials.isEmpty)
        }
    }

    @Test func deletionAndStatusOnlyUpdatesAreNeverBlocked() throws {
        let bad = try JSONPatch([.replace(path: ["metadata", "name"], value: "Bad_Name")]).apply(
            to: Self.base(.rayCluster))
        #expect(!Validator().validate(bad, kind: .rayCluster, operation: .create).denials.isEmpty)
        let deleting = try JSONPatch([.add(path: ["metadata", "deletionTimestamp"], value: "2026-11-22T00:00:00Z")])
            .apply(to: bad)
        #expect(Validator().validate(deleting, kind: .rayCluster, operation: .update, oldObject: bad).denials.isEmpty)
        let statusOnly = try JSONPatch([.add(path: ["status"], value: ["state": "ready"])]).apply(to: bad)
        #expect(Validator().validate(statusOnly, kind: .rayCluster, operation: .update, oldObject: bad).denials.isEmpty)
        let specChange = try JSONPatch([.add(path: ["spec", "rayVersion"], value: "2.54.0")]).apply(to: bad)
        // The name's violation is the stored object's: an existing violation, unless updates are judged in full.
        let ratcheted = Validator().validate(specChange, kind: .rayCluster, operation: .update, oldObject: bad)
        #expect(ratcheted.denials.isEmpty)
        #expect(ratcheted.existing.map(\.rule) == ["V02"])
        #expect(
            !Validator(allowExistingViolations: false).validate(
                specChange, kind: .rayCluster, operation: .update, oldObject: bad
            ).denials.isEmpty)
    }

    @Test func featureGatesParseTheOperatorsSyntax() throws {
        let gates = try FeatureGates.parse("GCSFaultToleranceEmbeddedStorage=true, RayJobDeletionPolicy=false").gates
        #expect(gates.isEnabled("GCSFaultToleranceEmbeddedStorage"))
        #expect(!gates.isEnabled("RayJobDeletionPolicy"))
        #expect(gates.isEnabled("RayServiceIncrementalUpgrade"))
        #expect(throws: FeatureGates.ParseError.self) { try FeatureGates.parse("RayCronJob=yes") }
        #expect(throws: FeatureGates.ParseError.self) { try FeatureGates.parse("=true") }
        #expect(throws: FeatureGates.ParseError.self) { try FeatureGates.parse("RayCronJob") }
        #expect(try FeatureGates.parse("").gates == FeatureGates())
    }

    /// A newer operator's gates, copied verbatim, must not stop the webhook: unknown names are
    /// reported, each once, and ignored; the known ones still apply.
    @Test func unknownFeatureGateNamesAreReportedAndIgnored() throws {
        let parsed = try FeatureGates.parse("RayClusterMTLS=true,RayFutureThing=true,Other=false,RayFutureThing=false")
        #expect(parsed.unknown == ["RayFutureThing", "Other"])
        #expect(parsed.gates.isEnabled("RayClusterMTLS"))
        #expect(parsed.gates.values["RayFutureThing"] == nil)
        #expect(parsed.gates == FeatureGates(["RayClusterMTLS": true]))
        #expect(FeatureGates(["Nope": true]) == FeatureGates())
        #expect(FeatureGates.unknownGateMessage(["A"]).hasPrefix("unknown feature gate A ignored (KubeRay 1.7 knows: "))
    }

    /// The policy's gates override the flag's gate by gate, and each real change is named.
    @Test func policyGatesOverrideTheFlagGateByGate() throws {
        let flag = try FeatureGates.parse("RayClusterMTLS=true,RayCronJob=true").gates
        let merged = flag.overridden(by: ["RayClusterMTLS": false, "RayClusterHistoryServer": true])
        #expect(!merged.isEnabled("RayClusterMTLS"))
        #expect(merged.isEnabled("RayCronJob"))
        #expect(merged.isEnabled("RayClusterHistoryServer"))
        let changes = flag.changes(by: ["RayClusterMTLS": false, "RayCronJob": true, "RayClusterHistoryServer": true])
        #expect(changes.map(\.gate) == ["RayClusterHistoryServer", "RayClusterMTLS"])
        #expect(changes.map(\.to) == [true, false])
    }

    @Test func theDenialListsEveryViolationTheKubernetesWay() throws {
        var object = try Self.apply(
            [
                .add(path: ["workerGroupSpecs", "0", "minReplicas"], value: 5),
                .add(path: ["workerGroupSpecs", "0", "maxReplicas"], value: 3),
                .add(path: ["headGroupSpec", "rayStartParams", "labels"], value: "x"),
            ], under: ["spec"], to: Self.base(.rayCluster))
        object = try JSONPatch([.replace(path: ["metadata", "name"], value: "Demo")]).apply(to: object)
        let outcome = AdmissionPipeline().review(
            try AdmissionReviewDecoding.decode(Reviews.body(name: "Demo", object: object)), endpoint: .validate)
        #expect(!outcome.response.allowed)
        #expect(outcome.response.status?.code == 422)
        #expect(outcome.response.status?.reason == "Invalid")
        let message = outcome.response.status?.message ?? ""
        #expect(message.hasPrefix("RayCluster.ray.io \"Demo\" is invalid: [metadata.name: Invalid value: \"Demo\""))
        #expect(
            message.contains(
                "spec.workerGroupSpecs[0].minReplicas: Invalid value: 5: must be less than or equal to maxReplicas (3)")
        )
        #expect(message.contains("spec.headGroupSpec.rayStartParams[labels]: Forbidden"))
        #expect(outcome.response.auditAnnotations.first?.value == "V02,V11,V17")
    }
}
