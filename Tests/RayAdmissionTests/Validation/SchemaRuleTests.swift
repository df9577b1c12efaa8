import RayAdmission
import Testing

/// The CRD-level rules C03–C11: what the API server's schema and CEL checks would reject, found at
/// admission (and by `check`, which has no API server), in every parent kind they apply to.
struct SchemaRuleTests {
    /// `rule:field` of every denial for `changes` applied under the kind's cluster spec.
    func denials(_ kind: RayKind, cluster changes: [JSONPatchOperation]) throws -> Set<String> {
        let cluster = ClusterSpecLocation(kind: kind)
        let object = try ValidationRuleTests.apply(changes, under: cluster.pointer, to: ValidationRuleTests.base(kind))
        return labels(object, kind)
    }

    func denials(_ kind: RayKind, _ changes: [JSONPatchOperation]) throws -> Set<String> {
        labels(try JSONPatch(changes).apply(to: ValidationRuleTests.base(kind)), kind)
    }

    func labels(_ object: JSONValue, _ kind: RayKind) -> Set<String> {
        let result = Validator(featureGates: ValidationCorpusTests.allGates).validate(
            object, kind: kind, operation: .create)
        return Set(result.denials.map { "\($0.rule?.rawValue ?? ""):\($0.field)" })
    }

    func prefix(_ kind: RayKind) -> String { ClusterSpecLocation(kind: kind).fieldPath.description }

    static let jobSpecs: [(RayKind, JSONPointer, String)] = [
        (.rayJob, ["spec"], "spec"), (.rayCronJob, ["spec", "jobTemplate"], "spec.jobTemplate"),
    ]

    @Test func deletionStrategyFollowsTheCRDsCELRules() throws {
        for (kind, pointer, field) in Self.jobSpecs {
            func strategy(_ value: JSONValue) throws -> Set<String> {
                try denials(kind, [.add(path: pointer.appending("deletionStrategy"), value: value)])
            }
            // Legacy and rules together; only one legacy policy; an empty rule list.
            let both = try strategy([
                "onSuccess": ["policy": "DeleteCluster"], "onFailure": ["policy": "DeleteNone"],
                "deletionRules": [["policy": "DeleteCluster", "condition": ["jobStatus": "FAILED"]]],
            ])
            #expect(both.contains("C03:\(field).deletionStrategy"), "\(both)")
            let half = try strategy(["onSuccess": ["policy": "DeleteCluster"]])
            #expect(half.contains("C03:\(field).deletionStrategy"), "\(half)")
            let empty = try strategy(["deletionRules": []])
            #expect(empty.contains("C03:\(field).deletionStrategy.deletionRules"), "\(empty)")
            let incomplete = try strategy(["deletionRules": [["condition": ["jobStatus": "FAILED"]]]])
            #expect(incomplete.contains("C03:\(field).deletionStrategy.deletionRules[0].policy"), "\(incomplete)")
            // Conditions: exactly one of the two statuses, each from its enum; ttl not negative.
            let conditions = try strategy([
                "deletionRules": [
                    [
                        "policy": "DeleteCluster",
                        "condition": ["jobStatus": "FAILED", "jobDeploymentStatus": "Failed"],
                    ],
                    ["policy": "DeleteCluster", "condition": ["ttlSeconds": 5]],
                    ["policy": "Delete", "condition": ["jobStatus": "DONE", "ttlSeconds": .number(JSONNumber(-1))]],
                ]
            ])
            for expected in [
                "C04:\(field).deletionStrategy.deletionRules[0].condition",
                "C04:\(field).deletionStrategy.deletionRules[1].condition",
                "C04:\(field).deletionStrategy.deletionRules[2].condition.jobStatus",
                "C04:\(field).deletionStrategy.deletionRules[2].condition.ttlSeconds",
                "C05:\(field).deletionStrategy.deletionRules[2].policy",
            ] {
                #expect(conditions.contains(expected), "\(expected) in \(conditions.sorted())")
            }
            let legacy = try strategy([
                "onSuccess": ["policy": "DeleteEverything"], "onFailure": ["policy": "DeleteNone"],
            ])
            #expect(legacy.contains("C05:\(field).deletionStrategy.onSuccess.policy"), "\(legacy)")
            // A valid strategy passes all three.
            let valid = try strategy([
                "deletionRules": [
                    ["policy": "DeleteCluster", "condition": ["jobStatus": "SUCCEEDED", "ttlSeconds": 0]]
                ]
            ])
            #expect(!valid.contains { $0.hasPrefix("C0") }, "\(valid)")
        }
    }

    @Test(arguments: RayKind.allCases)
    func clusterSpecEnumsAreChecked(kind: RayKind) throws {
        let found = try denials(
            kind,
            cluster: [
                .add(path: ["authOptions"], value: ["mode": "oauth"]),
                .add(path: ["gcsFaultToleranceOptions"], value: ["backend": "etcd", "redisAddress": "redis:6379"]),
                .add(path: ["networkPolicy"], value: ["mode": 3]),
            ])
        for expected in ["authOptions.mode", "gcsFaultToleranceOptions.backend", "networkPolicy.mode"] {
            #expect(found.contains("C07:\(prefix(kind)).\(expected)"), "\(expected) in \(found.sorted())")
        }
        let valid = try denials(kind, cluster: [.add(path: ["authOptions"], value: ["mode": "token"])])
        #expect(!valid.contains { $0.hasPrefix("C07") })
    }

    @Test(arguments: RayKind.allCases)
    func requiredFieldsAreRequired(kind: RayKind) throws {
        let found = try denials(
            kind,
            cluster: [
                .remove(path: ["workerGroupSpecs", "0", "groupName"]),
                .add(path: ["headGroupSpec", "template", "spec", "containers", "1"], value: ["image": "busybox"]),
                .add(
                    path: ["headGroupSpec", "template", "spec", "containers", "0", "ports", "-"],
                    value: ["name": "extra"]),
            ])
        let head = "\(prefix(kind)).headGroupSpec.template.spec.containers"
        for expected in ["\(prefix(kind)).workerGroupSpecs[0].groupName", "\(head)[1].name"] {
            #expect(found.contains("C09:\(expected)"), "\(expected) in \(found.sorted())")
        }
        let portCount = kind == .rayService ? 5 : 4
        #expect(found.contains("C09:\(head)[0].ports[\(portCount)].containerPort"), "\(found.sorted())")
        let headless = try denials(kind, cluster: [.remove(path: ["headGroupSpec"])])
        #expect(headless.contains("C09:\(prefix(kind)).headGroupSpec"), "\(headless)")
    }

    @Test func parentSpecificRequiredFields() throws {
        let service = try denials(
            .rayService,
            [.add(path: ["spec", "upgradeStrategy"], value: ["clusterUpgradeOptions": ["gatewayClassName": "istio"]])])
        #expect(service.contains("C09:spec.upgradeStrategy.clusterUpgradeOptions.intervalSeconds"), "\(service)")
        #expect(service.contains("C09:spec.upgradeStrategy.clusterUpgradeOptions.stepSizePercent"), "\(service)")
        let cron = try denials(.rayCronJob, [.remove(path: ["spec", "schedule"])])
        #expect(cron.contains("C09:spec.schedule"), "\(cron)")
        let submitter = try denials(
            .rayJob, [.add(path: ["spec", "submitterPodTemplate"], value: ["spec": ["restartPolicy": "Never"]])])
        #expect(submitter.contains("C09:spec.submitterPodTemplate.spec.containers"), "\(submitter)")
    }

    @Test(arguments: RayKind.allCases)
    func stringMapsHoldOnlyStrings(kind: RayKind) throws {
        let found = try denials(
            kind,
            cluster: [
                .add(path: ["headGroupSpec", "rayStartParams", "num-cpus"], value: 0),
                .add(path: ["workerGroupSpecs", "0", "labels"], value: ["tier": true]),
                .add(path: ["headServiceAnnotations"], value: "not-a-map"),
            ])
        for expected in [
            "headGroupSpec.rayStartParams[num-cpus]", "workerGroupSpecs[0].labels[tier]", "headServiceAnnotations",
        ] {
            #expect(found.contains("C10:\(prefix(kind)).\(expected)"), "\(expected) in \(found.sorted())")
        }
    }

    @Test(arguments: RayKind.allCases)
    func listMapKeysAreUnique(kind: RayKind) throws {
        let container: JSONPointer = ["workerGroupSpecs", "0", "template", "spec", "containers", "0"]
        let found = try denials(
            kind,
            cluster: [
                .add(
                    path: container.appending("env"),
                    value: [["name": "A", "value": "1"], ["name": "B"], ["name": "A", "value": "2"]]),
                .add(
                    path: container.appending("ports"),
                    value: [["containerPort": 8080], ["containerPort": 8080, "protocol": "TCP", "name": "other"]]),
                .add(
                    path: ["workerGroupSpecs", "0", "template", "spec", "volumes"],
                    value: [["name": "data", "emptyDir": [:]], ["name": "data", "emptyDir": [:]]]),
            ])
        let field = "\(prefix(kind)).workerGroupSpecs[0].template.spec"
        for expected in ["\(field).containers[0].env[2]", "\(field).containers[0].ports[1]", "\(field).volumes[1]"] {
            #expect(found.contains("C11:\(expected)"), "\(expected) in \(found.sorted())")
        }
        // The same port number over UDP is a different key.
        let udp = try denials(
            kind,
            cluster: [
                .add(
                    path: container.appending("ports"),
                    value: [["containerPort": 53], ["containerPort": 53, "protocol": "UDP"]])
            ])
        #expect(!udp.contains { $0.hasPrefix("C11") }, "\(udp)")
    }

    @Test func longListsAreCheckedThroughASetWithTheSameAnswer() throws {
        var env: [JSONValue] = (0..<40).map { ["name": .string("VAR_\($0)"), "value": "x"] }
        env.append(["name": "VAR_7", "value": "again"])
        env.append(["name": "VAR_39"])
        let found = try denials(
            .rayCluster,
            cluster: [.add(path: ["headGroupSpec", "template", "spec", "containers", "0", "env"], value: .array(env))])
        let field = "spec.headGroupSpec.template.spec.containers[0].env"
        #expect(Set(found.filter { $0.hasPrefix("C11:") }) == ["C11:\(field)[40]", "C11:\(field)[41]"])
    }

    @Test func theDuplicateMessageNamesTheKeyAsTheAPIServerDoes() throws {
        let object = try ValidationRuleTests.apply(
            [
                .add(
                    path: ["workerGroupSpecs", "0", "template", "spec", "containers", "1"],
                    value: ["name": "ray", "image": "busybox"])
            ], under: ["spec"], to: ValidationRuleTests.base(.rayCluster))
        let result = Validator().validate(object, kind: .rayCluster, operation: .create)
        let duplicate = try #require(result.denials.first { $0.rule == "C11" })
        #expect(
            duplicate.description
                == "spec.workerGroupSpecs[0].template.spec.containers[1]: Duplicate value: {\"name\":\"ray\"}")
    }

    @Test(arguments: RayKind.allCases)
    func wrongTypesAreReportedAtTheirField(kind: RayKind) throws {
        let found = try denials(
            kind,
            cluster: [
                .add(path: ["workerGroupSpecs", "0", "replicas"], value: "3"),
                .add(
                    path: ["workerGroupSpecs", "0", "maxReplicas"],
                    value: .number(try #require(JSONNumber(text: "4.5")))),
                .add(path: ["enableInTreeAutoscaling"], value: "true"),
                .add(path: ["rayVersion"], value: 29),
            ])
        for expected in [
            "workerGroupSpecs[0].replicas", "workerGroupSpecs[0].maxReplicas", "enableInTreeAutoscaling", "rayVersion",
        ] {
            #expect(found.contains("field-types:\(prefix(kind)).\(expected)"), "\(expected) in \(found.sorted())")
        }
    }

    /// Every field of a real sample replaced, one at a time, by a value of each other JSON type:
    /// validation answers every time (no crash), and never blames a field that is not there.
    @Test func anyFieldOfAnyTypeIsJudgedWithoutCrashing() throws {
        let sample = try #require(ValidationCorpusTests.resources.first { $0.object["kind"] == "RayService" })
        var pointers: [JSONPointer] = []
        func collect(_ value: JSONValue, _ pointer: JSONPointer) {
            pointers.append(pointer)
            if let object = value.objectValue {
                for member in object { collect(member.value, pointer.appending(member.key)) }
            } else if let array = value.arrayValue {
                for (index, element) in array.enumerated() { collect(element, pointer.appending(index)) }
            }
        }
        collect(sample.object, .root)
        let replacements: [JSONValue] = [
            .null, "text", true, .number(try #require(JSONNumber(text: "1e999999"))), [:], [1, "two"],
        ]
        var judged = 0
        var typedFields = 0
        for pointer in pointers where !pointer.isRoot {
            for replacement in replacements {
                let object = try JSONPatch([.replace(path: pointer, value: replacement)]).apply(to: sample.object)
                let result = Validator(featureGates: ValidationCorpusTests.allGates).validate(
                    object, kind: .rayService, operation: .create)
                judged += 1
                // An integer field of a worker group given text is named by the type rule.
                if ["replicas", "minReplicas", "maxReplicas"].contains(pointer.lastToken ?? ""),
                    pointer.tokens.contains("workerGroupSpecs"), replacement == "text"
                {
                    typedFields += 1
                    let field = GroupLocation.fieldPath(of: pointer).description
                    #expect(result.denials.contains { $0.rule == "field-types" && $0.field.description == field })
                }
            }
        }
        #expect(judged == (pointers.count - 1) * replacements.count)
        #expect(typedFields > 0)
    }
}
