import RayAdmission
import Testing

/// RayJob rules on RayJob `spec` and RayCronJob `spec.jobTemplate` (V138); RayService and
/// RayCluster-only rules.
struct JobAndServiceRuleTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let rule: RuleID
        /// Changes relative to the job spec.
        let changes: [JSONPatchOperation]
        /// The error's field, relative to the job spec's field path.
        let field: String
        var gates: [String: Bool] = [:]
        var testDescription: String { "\(rule) \(field)" }
    }

    static let selector: JSONPatchOperation = .add(path: ["clusterSelector"], value: ["ray.io/cluster": "shared"])
    static let rules: JSONPatchOperation = .add(
        path: ["deletionStrategy"],
        value: [
            "deletionRules": [
                ["policy": "DeleteCluster", "condition": ["jobStatus": "SUCCEEDED", "ttlSeconds": 10]]
            ]
        ])

    static let cases: [Case] = [
        Case(rule: "V85", changes: [.add(path: ["suspend"], value: true)], field: "suspend"),
        Case(
            rule: "V86", changes: [.add(path: ["ttlSecondsAfterFinished"], value: .number(JSONNumber(-1)))],
            field: "ttlSecondsAfterFinished"),
        Case(
            rule: "V87", changes: [.add(path: ["ttlSecondsAfterFinished"], value: 60)], field: "ttlSecondsAfterFinished"
        ),
        Case(rule: "V88", changes: [rules], field: "deletionStrategy", gates: ["RayJobDeletionPolicy": false]),
        Case(
            rule: "V89", changes: [rules, .add(path: ["shutdownAfterJobFinishes"], value: true)],
            field: "deletionStrategy.deletionRules"),
        Case(
            rule: "V90",
            changes: [
                .add(
                    path: ["deletionStrategy"],
                    value: [
                        "onSuccess": ["policy": "DeleteCluster"],
                        "deletionRules": [["policy": "DeleteCluster", "condition": ["jobStatus": "FAILED"]]],
                    ])
            ], field: "deletionStrategy"),
        Case(rule: "V91", changes: [.add(path: ["deletionStrategy"], value: [:])], field: "deletionStrategy"),
        Case(
            rule: "V92", changes: [.add(path: ["deletionStrategy"], value: ["onSuccess": ["policy": "DeleteCluster"]])],
            field: "deletionStrategy.onFailure"),
        Case(
            rule: "V93",
            changes: [
                .add(path: ["deletionStrategy"], value: ["onSuccess": [:], "onFailure": ["policy": "DeleteNone"]])
            ],
            field: "deletionStrategy.onSuccess.policy"),
        Case(
            rule: "V94",
            changes: [
                .add(path: ["deletionStrategy"], value: ["onSuccess": ["policy": "DeleteNone"], "onFailure": [:]])
            ],
            field: "deletionStrategy.onFailure.policy"),
        Case(
            rule: "V95",
            changes: [
                selector,
                .add(
                    path: ["deletionStrategy"],
                    value: ["onSuccess": ["policy": "DeleteCluster"], "onFailure": ["policy": "DeleteNone"]]),
            ],
            field: "deletionStrategy.onSuccess.policy"),
        Case(
            rule: "V96",
            changes: [
                selector,
                .add(
                    path: ["deletionStrategy"],
                    value: ["onSuccess": ["policy": "DeleteNone"], "onFailure": ["policy": "DeleteWorkers"]]),
            ],
            field: "deletionStrategy.onFailure.policy"),
        Case(
            rule: "V97",
            changes: [
                .add(path: ["rayClusterSpec", "enableInTreeAutoscaling"], value: true),
                .add(
                    path: ["deletionStrategy"],
                    value: ["onSuccess": ["policy": "DeleteWorkers"], "onFailure": ["policy": "DeleteNone"]]),
            ],
            field: "deletionStrategy.onSuccess.policy"),
        Case(
            rule: "V98",
            changes: [
                .add(path: ["shutdownAfterJobFinishes"], value: true),
                .add(
                    path: ["deletionStrategy"],
                    value: ["onSuccess": ["policy": "DeleteNone"], "onFailure": ["policy": "DeleteCluster"]]),
            ],
            field: "deletionStrategy.onSuccess.policy"),
        Case(
            rule: "V99",
            changes: [
                .add(
                    path: ["deletionStrategy"],
                    value: ["deletionRules": [["policy": "DeleteSelf", "condition": ["ttlSeconds": 1]]]])
            ],
            field: "deletionStrategy.deletionRules[0].condition"),
        Case(
            rule: "V100",
            changes: [
                .add(
                    path: ["deletionStrategy"],
                    value: [
                        "deletionRules": [
                            [
                                "policy": "DeleteSelf",
                                "condition": ["jobStatus": "FAILED", "ttlSeconds": .number(JSONNumber(-3))],
                            ]
                        ]
                    ])
            ],
            field: "deletionStrategy.deletionRules[0].condition.ttlSeconds"),
        Case(rule: "V101", changes: [selector, rules], field: "deletionStrategy.deletionRules[0].policy"),
        Case(
            rule: "V102",
            changes: [
                .add(path: ["rayClusterSpec", "enableInTreeAutoscaling"], value: true),
                .add(
                    path: ["deletionStrategy"],
                    value: ["deletionRules": [["policy": "DeleteWorkers", "condition": ["jobStatus": "FAILED"]]]]),
            ],
            field: "deletionStrategy.deletionRules[0].policy"),
        Case(
            rule: "V103",
            changes: [
                .add(
                    path: ["deletionStrategy"],
                    value: [
                        "deletionRules": [
                            ["policy": "DeleteSelf", "condition": ["jobStatus": "FAILED", "ttlSeconds": 5]],
                            ["policy": "DeleteSelf", "condition": ["jobStatus": "FAILED", "ttlSeconds": 9]],
                        ]
                    ])
            ],
            field: "deletionStrategy.deletionRules[1]"),
        Case(
            rule: "V104",
            changes: [
                .add(
                    path: ["deletionStrategy"],
                    value: [
                        "deletionRules": [
                            ["policy": "DeleteCluster", "condition": ["jobStatus": "FAILED", "ttlSeconds": 60]],
                            ["policy": "DeleteSelf", "condition": ["jobStatus": "FAILED", "ttlSeconds": 30]],
                        ]
                    ])
            ],
            field: "deletionStrategy.deletionRules[1].condition.ttlSeconds"),
        Case(
            rule: "V105",
            changes: [
                selector, .add(path: ["suspend"], value: true), .add(path: ["shutdownAfterJobFinishes"], value: true),
            ], field: "suspend"),
        Case(rule: "V106", changes: [.remove(path: ["rayClusterSpec"])], field: "rayClusterSpec"),
        Case(
            rule: "V107", changes: [.add(path: ["clusterSelector"], value: ["team": "a"])],
            field: "clusterSelector[ray.io/cluster]"),
        Case(
            rule: "V108", changes: [selector, .add(path: ["submissionMode"], value: "SidecarMode")],
            field: "clusterSelector"),
        Case(rule: "V109", changes: [selector, .add(path: ["backoffLimit"], value: 2)], field: "backoffLimit"),
        Case(
            rule: "V110",
            changes: [
                .add(path: ["submissionMode"], value: "InteractiveMode"), .add(path: ["backoffLimit"], value: 1),
            ], field: "backoffLimit"),
        Case(
            rule: "V111",
            changes: [
                .add(path: ["submissionMode"], value: "SidecarMode"), .add(path: ["submitterPodTemplate"], value: [:]),
            ],
            field: "submitterPodTemplate"),
        Case(
            rule: "V112",
            changes: [
                .add(path: ["submissionMode"], value: "SidecarMode"),
                .add(path: ["submitterConfig"], value: ["backoffLimit": 1]),
            ],
            field: "submitterConfig"),
        Case(
            rule: "V113",
            changes: [
                .add(path: ["submissionMode"], value: "SidecarMode"),
                .add(path: ["rayClusterSpec", "headGroupSpec", "template", "spec", "restartPolicy"], value: "Always"),
            ],
            field: "rayClusterSpec.headGroupSpec.template.spec.restartPolicy"),
        Case(
            rule: "V114",
            changes: [
                .add(path: ["rayClusterSpec", "authOptions"], value: ["mode": "token", "enableK8sTokenAuth": true])
            ],
            field: "rayClusterSpec.authOptions.enableK8sTokenAuth"),
        Case(
            rule: "V116", changes: [.add(path: ["runtimeEnvYAML"], value: "invalid_yaml_str")], field: "runtimeEnvYAML"),
        Case(rule: "V117", changes: [.add(path: ["activeDeadlineSeconds"], value: 0)], field: "activeDeadlineSeconds"),
        Case(
            rule: "V118", changes: [.add(path: ["preRunningDeadlineSeconds"], value: 0)],
            field: "preRunningDeadlineSeconds"),
        Case(
            rule: "V119", changes: [.add(path: ["backoffLimit"], value: .number(JSONNumber(-1)))], field: "backoffLimit"
        ),
    ]

    static func base(_ kind: RayKind) -> JSONValue {
        ValidationRuleTests.base(kind)
    }

    @Test(arguments: cases)
    func jobRulesDenyInRayJobAndRayCronJobTemplates(_ testCase: Case) throws {
        for kind in [RayKind.rayJob, .rayCronJob] {
            let prefix: JSONPointer = kind == .rayJob ? ["spec"] : ["spec", "jobTemplate"]
            let rebased = testCase.changes.map { change -> JSONPatchOperation in
                switch change {
                case .add(let path, let value):
                    .add(path: JSONPointer(tokens: prefix.tokens + path.tokens), value: value)
                case .remove(let path): .remove(path: JSONPointer(tokens: prefix.tokens + path.tokens))
                default: change
                }
            }
            let object = try JSONPatch(rebased).apply(to: Self.base(kind))
            let result = Validator(featureGates: FeatureGates(testCase.gates)).validate(
                object, kind: kind, operation: .create)
            let fields = result.denials.filter { $0.rule == testCase.rule }.map(\.field.description)
            let expected = prefix.tokens.joined(separator: ".") + "." + testCase.field
            #expect(fields.contains(expected), "\(kind): \(result.denials.map(\.description))")
        }
    }

    @Test func legalJobSpecsPass() throws {
        let legal: [[JSONPatchOperation]] = [
            [
                .add(path: ["spec", "shutdownAfterJobFinishes"], value: true),
                .add(path: ["spec", "ttlSecondsAfterFinished"], value: 60),
            ],
            [
                .add(
                    path: ["spec", "deletionStrategy"],
                    value: [
                        "deletionRules": [
                            ["policy": "DeleteWorkers", "condition": ["jobStatus": "FAILED", "ttlSeconds": 10]],
                            ["policy": "DeleteCluster", "condition": ["jobStatus": "FAILED", "ttlSeconds": 20]],
                            ["policy": "DeleteSelf", "condition": ["jobStatus": "FAILED", "ttlSeconds": 20]],
                            ["policy": "DeleteSelf", "condition": ["jobDeploymentStatus": "Failed", "ttlSeconds": 5]],
                        ]
                    ])
            ],
            [.add(path: ["spec", "runtimeEnvYAML"], value: "pip: [requests]\nenv_vars: {A: b}\n")],
            [
                .add(path: ["spec", "clusterSelector"], value: ["ray.io/cluster": "shared"]),
                .remove(path: ["spec", "rayClusterSpec"]),
            ],
        ]
        for changes in legal {
            let object = try JSONPatch(changes).apply(to: Self.base(.rayJob))
            let denials = Validator().validate(object, kind: .rayJob, operation: .create).denials
            #expect(denials.isEmpty, "\(denials.map(\.description))")
        }
    }

    @Test func rayServiceRules() throws {
        func denials(_ changes: [JSONPatchOperation], gates: [String: Bool] = [:]) throws -> [String] {
            let object = try JSONPatch(changes).apply(to: Self.base(.rayService))
            return Validator(featureGates: FeatureGates(gates)).validate(object, kind: .rayService, operation: .create)
                .denials.map { "\($0.rule?.rawValue ?? ""):\($0.field)" }
        }
        #expect(
            try denials([.add(path: ["spec", "rayClusterConfig", "authOptions"], value: ["enableK8sTokenAuth": true])])
                .contains("V121:spec.rayClusterConfig.authOptions.enableK8sTokenAuth"))
        #expect(
            try denials([
                .add(
                    path: ["spec", "rayClusterConfig", "headGroupSpec", "headService"],
                    value: ["metadata": ["name": "svc"]])
            ])
                == ["V123:spec.rayClusterConfig.headGroupSpec.headService.metadata.name"])
        #expect(
            try denials([.add(path: ["spec", "upgradeStrategy"], value: ["type": "BlueGreen"])]) == [
                "V124:spec.upgradeStrategy.type"
            ])
        #expect(
            try denials([.add(path: ["spec", "rayClusterDeletionDelaySeconds"], value: .number(JSONNumber(-1)))])
                == ["V125:spec.rayClusterDeletionDelaySeconds"])
        #expect(
            try denials([.add(path: ["spec", "rayClusterConfig", "upgradeStrategy"], value: ["type": "Recreate"])])
                == ["V83:spec.rayClusterConfig.upgradeStrategy.type"])
        let incremental: JSONPatchOperation = .add(
            path: ["spec", "upgradeStrategy"],
            value: [
                "type": "NewClusterWithIncrementalUpgrade",
                "clusterUpgradeOptions": ["maxSurgePercent": 50, "stepSizePercent": 80, "intervalSeconds": 0],
            ])
        #expect(
            try Set(denials([incremental])) == [
                "C09:spec.upgradeStrategy.clusterUpgradeOptions.gatewayClassName",
                "V126:spec.rayClusterConfig.enableInTreeAutoscaling",
                "V130:spec.upgradeStrategy.clusterUpgradeOptions.stepSizePercent",
                "V131:spec.upgradeStrategy.clusterUpgradeOptions.intervalSeconds",
                "V132:spec.upgradeStrategy.clusterUpgradeOptions.gatewayClassName",
            ])
        // With the gate off, the incremental type passes V124 and is not checked further (KubeRay's behaviour).
        #expect(
            try denials([incremental], gates: ["RayServiceIncrementalUpgrade": false]) == [
                "C09:spec.upgradeStrategy.clusterUpgradeOptions.gatewayClassName"
            ])
        #expect(
            try denials([.add(path: ["spec", "upgradeStrategy"], value: ["type": "NewClusterWithIncrementalUpgrade"])])
                .contains("V127:spec.upgradeStrategy.clusterUpgradeOptions"))
    }

    @Test func rayClusterUpgradeStrategy() throws {
        let object = try JSONPatch([.add(path: ["spec", "upgradeStrategy"], value: ["type": "Rolling"])]).apply(
            to: Self.base(.rayCluster))
        let denial = Validator().validate(object, kind: .rayCluster, operation: .create).denials.first
        #expect(denial?.rule == "V82")
        #expect(
            denial?.description
                == #"spec.upgradeStrategy.type: Unsupported value: "Rolling": supported values: "Recreate", "None""#)
    }

    /// V83 on the child: KubeRay's RayCluster controller rejects a cluster a RayJob or RayService
    /// created (its label says which) when it carries an upgradeStrategy; a cluster a user
    /// created, or one whose label names no such parent, may set it.
    @Test func aChildClusterOfARayJobOrRayServiceHasNoUpgradeStrategy() throws {
        func judge(label: String?, type: JSONValue?) throws -> [String] {
            var object = Self.base(.rayCluster)
            if let label {
                object = try JSONPatch([
                    .add(path: ["metadata", "labels"], value: ["ray.io/originated-from-crd": .string(label)])
                ])
                .apply(to: object)
            }
            if let type {
                object = try JSONPatch([.add(path: ["spec", "upgradeStrategy"], value: ["type": type])]).apply(
                    to: object)
            }
            return Validator().validate(object, kind: .rayCluster, operation: .create).denials.map(\.description)
        }
        for parent in ["RayJob", "RayService"] {
            #expect(
                try judge(label: parent, type: "Recreate") == [
                    "spec.upgradeStrategy.type: Forbidden: upgradeStrategy cannot be set when RayCluster is created by \(parent)"
                ])
            #expect(try judge(label: parent, type: nil).isEmpty)
            #expect(try judge(label: parent, type: .null).isEmpty)
        }
        #expect(try judge(label: "RayCluster", type: "Recreate").isEmpty)
        #expect(try judge(label: "rayjob", type: "Recreate").isEmpty, "KubeRay compares the label exactly")
        #expect(try judge(label: nil, type: "None").isEmpty)
    }
}
