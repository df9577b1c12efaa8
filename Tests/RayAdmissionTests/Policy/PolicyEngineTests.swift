import RayAdmission
import Testing

/// A loaded policy at work: which namespace gets which settings, what each mode does, exemptions,
/// every constraint allowed and denied, and injected defaults.
struct PolicyEngineTests {
    func engine(_ yaml: String) throws -> PolicyEngine {
        PolicyEngine(policy: try PolicyLoader().load(yaml), version: "test")
    }

    func request(
        _ object: JSONValue, kind: RayKind = .rayCluster, namespace: String = "team-a", user: String = "alice"
    ) -> AdmissionRequest {
        AdmissionRequest(
            uid: "u", kind: GroupVersionKind(group: "ray.io", version: "v1", kind: kind.rawValue),
            resource: kind.resource, name: "demo", namespace: namespace, operation: .create,
            userInfo: .init(username: user, groups: ["devs"]), object: object)
    }

    /// The rule ids of the response's denials, warnings and audit findings.
    func findings(_ outcome: AdmissionOutcome) -> [AdmissionOutcome.Finding.Mode: Set<String>] {
        var found: [AdmissionOutcome.Finding.Mode: Set<String>] = [:]
        for finding in outcome.findings { found[finding.mode, default: []].insert(finding.rule.rawValue) }
        return found
    }

    static let base = ValidationRuleTests.base(.rayCluster)

    @Test func theFirstMatchingNamespaceEntryWinsOverTheDefaults() throws {
        let engine = try engine(
            """
            defaults: { rules: { cpu-fractional: enforce } }
            namespaces:
              - match: [team-a]
                rules: { cpu-fractional: off }
              - match: ["team-*"]
                rules: { cpu-fractional: audit }
            """)
        let limited = try JSONPatch([
            .add(
                path: ["spec", "headGroupSpec", "template", "spec", "containers", "0", "resources"],
                value: ["limits": ["cpu": "1500m"]])
        ]).apply(to: Self.base)
        #expect(findings(engine.review(request(limited, namespace: "team-a"), endpoint: .validate))[.deny] == nil)
        #expect(findings(engine.review(request(limited, namespace: "team-a"), endpoint: .validate))[.audit] == nil)
        let other = engine.review(request(limited, namespace: "team-b"), endpoint: .validate)
        #expect(findings(other)[.audit] == ["cpu-fractional"])
        #expect(other.response.allowed)
        #expect(other.response.auditAnnotations.contains { $0.key == "audit" && $0.value == "cpu-fractional" })
        let elsewhere = engine.review(request(limited, namespace: "prod"), endpoint: .validate)
        #expect(findings(elsewhere)[.deny] == ["cpu-fractional"])
        #expect(!elsewhere.response.allowed)
    }

    @Test func eachModeDoesWhatItSays() throws {
        let object = try JSONPatch([.add(path: ["metadata", "labels"], value: [:])]).apply(to: Self.base)
        for (mode, allowed, warned) in [("enforce", false, false), ("warn", true, true), ("audit", true, false)] {
            let engine = try engine(
                """
                defaults:
                  rules: { required-labels: \(mode) }
                  constraints: { requiredLabels: [owner] }
                """)
            let outcome = engine.review(request(object), endpoint: .validate)
            #expect(outcome.response.allowed == allowed, "\(mode)")
            #expect(outcome.response.warnings.contains { $0.hasPrefix("[required-labels]") } == warned, "\(mode)")
        }
        let off = try engine("defaults: { rules: { required-labels: off }, constraints: { requiredLabels: [owner] } }")
        #expect(!off.review(request(object), endpoint: .validate).findings.contains { $0.rule == "required-labels" })
    }

    /// A dry run: `"*": audit` admits a resource that breaks KubeRay rules and a constraint,
    /// recording every finding; `"*": warn` warns instead; a rule named explicitly keeps its mode;
    /// `"*"` never touches defaulting rules.
    @Test func theWildcardSetsEveryValidationRuleNotNamed() throws {
        let broken = try JSONPatch([
            .replace(path: ["metadata", "name"], value: "Bad_Name"),
            .add(path: ["spec", "workerGroupSpecs", "0", "minReplicas"], value: 5),
            .add(path: ["spec", "workerGroupSpecs", "0", "maxReplicas"], value: 3),
        ]).apply(to: Self.base)
        let constraint = "constraints: { allowedImages: [\"registry.example.com/*\"] }"

        let audit = try engine("defaults: { rules: { \"*\": audit }, \(constraint) }")
        let audited = audit.review(request(broken), endpoint: .validate)
        #expect(audited.response.allowed)
        #expect(findings(audited)[.deny] == nil)
        #expect(findings(audited)[.warn] == nil, "warn-by-default rules are audited too")
        #expect(findings(audited)[.audit]?.isSuperset(of: ["V02", "V17", "allowed-images", "no-resources"]) == true)
        #expect(audited.response.warnings.isEmpty)
        #expect(audited.response.auditAnnotations.contains { $0.key == "audit" && $0.value.contains("V17") })
        #expect(audited.recordedRules.contains("allowed-images"))
        // Defaulting is untouched: the mutating webhook still writes its defaults.
        #expect(!audit.review(request(broken), endpoint: .mutate).response.patch.isEmpty)

        let warn = try engine("defaults: { rules: { \"*\": warn, V17: enforce }, \(constraint) }")
        let warned = warn.review(request(broken), endpoint: .validate)
        #expect(!warned.response.allowed)
        #expect(findings(warned)[.deny] == ["V17"])
        #expect(findings(warned)[.warn]?.isSuperset(of: ["V02", "allowed-images"]) == true)

        let off = try engine("defaults: { rules: { \"*\": off, gpu-visibility: off }, \(constraint) }")
        let silent = off.review(request(broken), endpoint: .validate)
        #expect(silent.response.allowed)
        #expect(silent.findings.isEmpty)
        #expect(silent.response.warnings.isEmpty)
        let defaulted = off.review(request(broken), endpoint: .mutate)
        #expect(!defaulted.rules.contains("gpu-visibility"))
        #expect(defaulted.rules.contains("worker-metrics-port"))
    }

    @Test func exemptionsAllowEverythingUnchanged() throws {
        let engine = try engine(
            """
            defaults: { constraints: { requiredLabels: [owner] } }
            exemptions:
              - users: ["system:serviceaccount:kuberay-system:*"]
              - namespaces: [kube-system]
            """)
        let operatorRequest = request(Self.base, user: "system:serviceaccount:kuberay-system:kuberay-operator")
        let exempt = engine.review(operatorRequest, endpoint: .validate)
        #expect(exempt.decision == .exempt)
        #expect(exempt.response.allowed)
        #expect(engine.review(request(Self.base, namespace: "kube-system"), endpoint: .mutate).response.patch.isEmpty)
        #expect(!engine.review(request(Self.base), endpoint: .validate).response.allowed)
    }

    /// Each constraint: a resource inside the limit passes, one outside is denied at its field.
    @Test func everyConstraintAllowsAndDenies() throws {
        let container: JSONPointer = ["spec", "workerGroupSpecs", "0", "template", "spec", "containers", "0"]
        let head: JSONPointer = ["spec", "headGroupSpec"]
        let cases: [(constraint: String, inside: [JSONPatchOperation], outside: [JSONPatchOperation], field: String)] =
            [
                (
                    "allowedImages: [\"rayproject/ray:*\"]", [],
                    [.replace(path: container.appending("image"), value: "evil.io/miner:1")],
                    "spec.workerGroupSpecs[0].template.spec.containers[0].image"
                ),
                (
                    "maxGPUsPerCluster: 8",
                    [.add(path: container.appending("resources"), value: ["limits": ["nvidia.com/gpu": 2]])],
                    [.add(path: container.appending("resources"), value: ["limits": ["nvidia.com/gpu": 3]])], "spec"
                ),
                (
                    "maxWorkersPerGroup: 4", [],
                    [.replace(path: ["spec", "workerGroupSpecs", "0", "maxReplicas"], value: 5)],
                    "spec.workerGroupSpecs[0].maxReplicas"
                ),
                (
                    "maxCPUPerPod: \"4\"",
                    [.add(path: container.appending("resources"), value: ["requests": ["cpu": "4"]])],
                    [.add(path: container.appending("resources"), value: ["requests": ["cpu": "4001m"]])],
                    "spec.workerGroupSpecs[0].template.spec.containers"
                ),
                (
                    "maxMemoryPerPod: 8Gi",
                    [.add(path: container.appending("resources"), value: ["limits": ["memory": "8Gi"]])],
                    [.add(path: container.appending("resources"), value: ["limits": ["memory": "9G"]])],
                    "spec.workerGroupSpecs[0].template.spec.containers"
                ),
                (
                    "requiredLabels: [owner]", [.add(path: ["metadata", "labels"], value: ["owner": "me"])], [],
                    "metadata.labels[owner]"
                ),
                (
                    "allowedServiceTypes: [ClusterIP]", [.add(path: head.appending("serviceType"), value: "ClusterIP")],
                    [.add(path: head.appending("serviceType"), value: "LoadBalancer")], "spec.headGroupSpec.serviceType"
                ),
                (
                    "requireGcsFaultTolerance: [RayCluster]",
                    [.add(path: ["spec", "gcsFaultToleranceOptions"], value: ["redisAddress": "redis:6379"])], [],
                    "spec.gcsFaultToleranceOptions"
                ),
                (
                    "forbidPrivileged: true", [],
                    [.add(path: container.appending("securityContext"), value: ["privileged": true])],
                    "spec.workerGroupSpecs[0].template.spec.containers[0].securityContext.privileged"
                ),
                (
                    "rayVersions: \">=2.40.0\"", [.add(path: ["spec", "rayVersion"], value: "2.46.0")],
                    [.add(path: ["spec", "rayVersion"], value: "2.9.0")], "spec.rayVersion"
                ),
            ]
        for testCase in cases {
            let engine = try engine("defaults: { constraints: { \(testCase.constraint) } }")
            func denials(_ changes: [JSONPatchOperation]) throws -> [String] {
                let object = try JSONPatch(changes).apply(to: Self.base)
                let outcome = engine.review(request(object), endpoint: .validate)
                let details = outcome.response.status?.causes.map(\.field.description) ?? []
                return details
            }
            #expect(try denials(testCase.inside).isEmpty, "\(testCase.constraint) inside")
            #expect(try denials(testCase.outside).contains(testCase.field), "\(testCase.constraint) outside")
        }
    }

    @Test func injectedDefaultsAreIdempotentAndNeverClash() throws {
        let engine = try engine(
            """
            namespaces:
              - match: [team-a]
                inject:
                  labels: { team: a }
                  annotations: { cost-center: "42" }
                  env: { RAY_DEDUP_LOGS: "0" }
                  tolerations: [{ key: dedicated, operator: Equal, value: ray, effect: NoSchedule }]
                  nodeSelector: { pool: ray }
                  priorityClassName: ray-batch
            """)
        let mutated = Defaulter.applying(engine.review(request(Self.base), endpoint: .mutate), to: Self.base)
        let spec = try #require(mutated["spec"])
        #expect(mutated["metadata"]?["labels"]?["team"] == "a")
        #expect(mutated["metadata"]?["annotations"]?["cost-center"] == "42")
        for group in [spec["headGroupSpec"], spec["workerGroupSpecs"]?[0]] {
            let pod = try #require(group?["template"])
            #expect(pod["metadata"]?["labels"]?["team"] == "a")
            #expect(pod["spec"]?["priorityClassName"] == "ray-batch")
            #expect(pod["spec"]?["nodeSelector"]?["pool"] == "ray")
            #expect(pod["spec"]?["tolerations"]?.arrayValue?.count == 1)
            let env = pod["spec"]?["containers"]?[0]?["env"]?.arrayValue ?? []
            #expect(env.filter { $0["name"] == "RAY_DEDUP_LOGS" }.count == 1)
        }
        // A second pass adds nothing, and the result has no duplicate list-map key.
        #expect(engine.review(request(mutated), endpoint: .mutate).response.patch.isEmpty)
        let validation = engine.review(request(mutated), endpoint: .validate)
        #expect(!validation.findings.contains { $0.rule == "C11" })
        // The user's own values win; another namespace gets nothing.
        let own = try JSONPatch([.add(path: ["metadata", "labels"], value: ["team": "b"])]).apply(to: Self.base)
        let ownMutated = Defaulter.applying(engine.review(request(own), endpoint: .mutate), to: own)
        #expect(ownMutated["metadata"]?["labels"]?["team"] == "b")
        let elsewhere = engine.review(request(Self.base, namespace: "prod"), endpoint: .mutate)
        #expect(!elsewhere.response.patch.operations.contains { $0.path.tokens.contains("priorityClassName") })
    }
}

extension Defaulter {
    /// The object a /mutate answer's patch makes of `object`.
    static func applying(_ outcome: AdmissionOutcome, to object: JSONValue) -> JSONValue {
        (try? outcome.response.patch.apply(to: object)) ?? .null
    }
}
