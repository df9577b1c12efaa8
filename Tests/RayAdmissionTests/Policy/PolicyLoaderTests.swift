import RayAdmission
import Testing

/// Policy files: what loads, and every kind of mistake reported with its line and column.
struct PolicyLoaderTests {
    static let example = """
        defaults:
          rules:
            V28: enforce
            ray-version-mismatch: warn
            gpu-visibility: off
            head-num-cpus-zero: on
          featureGates: { RayJobDeletionPolicy: true, RayCronJob: true }
        namespaces:
          - match: ["team-a", "team-b"]
            rules: { max-gpus-per-cluster: enforce, image-tag: audit }
            constraints:
              allowedImages: ["registry.example.com/ray/*"]
              maxGPUsPerCluster: 8
              maxWorkersPerGroup: 50
              maxCPUPerPod: "32"
              maxMemoryPerPod: 256Gi
              requiredLabels: ["kueue.x-k8s.io/queue-name"]
              allowedServiceTypes: [ClusterIP]
              requireGcsFaultTolerance: [RayService]
              forbidPrivileged: true
              rayVersions: ">=2.40.0"
            inject:
              labels: { team: a }
              env: { RAY_DEDUP_LOGS: "0" }
              tolerations: [{ key: dedicated, operator: Equal, value: ray, effect: NoSchedule }]
              nodeSelector: { pool: ray }
              priorityClassName: ray-batch
          - match: ["research-*"]
            rules: { allowed-images: warn }
        exemptions:
          - users: ["system:serviceaccount:kuberay-system:kuberay-operator"]
          - namespaces: ["kube-system"]
        """

    @Test func theDocumentedExampleLoads() throws {
        let policy = try PolicyLoader().load(Self.example)
        #expect(policy.defaults.rules["V28"] == .validation(.enforce))
        #expect(policy.defaults.rules["gpu-visibility"] == .defaulting(false))
        #expect(policy.defaults.rules["head-num-cpus-zero"] == .defaulting(true))
        #expect(policy.featureGates == ["RayJobDeletionPolicy": true, "RayCronJob": true])
        #expect(policy.namespaces.count == 2)
        let teamA = policy.namespaces[0].scope
        #expect(teamA.constraints.maxGPUsPerCluster == 8)
        #expect(teamA.constraints.maxMemoryPerPod == (try Quantity(parsing: "256Gi")))
        #expect(teamA.constraints.requireGcsFaultTolerance == [.rayService])
        #expect(teamA.inject.priorityClassName == "ray-batch")
        #expect(teamA.inject.tolerations.count == 1)
        #expect(policy.exemptions.count == 2)
    }

    /// A newer operator's gate names load, with a warning that says where, and are ignored.
    @Test func unknownFeatureGatesLoadWithAWarning() throws {
        let policy = try PolicyLoader().load("defaults:\n  featureGates: { RayNope: true, RayCronJob: true }\n")
        #expect(policy.featureGates == ["RayCronJob": true])
        #expect(policy.warnings.count == 1)
        #expect(policy.warnings.first?.line == 2)
        #expect(policy.warnings.first?.column == 19)
        #expect(policy.warnings.first?.message.contains("unknown feature gate RayNope ignored") == true)
    }

    /// `"*"` sets every validation rule not named; named rules keep their mode, defaulting rules
    /// are untouched; a namespace entry inherits `"*"` and `allowExistingViolations` unless it
    /// sets them itself.
    @Test func theWildcardAndExistingViolationsAreInheritedByNamespaceEntries() throws {
        let policy = try PolicyLoader().load(
            """
            defaults:
              rules: { "*": audit, V17: enforce, gpu-visibility: off }
              allowExistingViolations: false
            namespaces:
              - match: [team-a]
                rules: { V28: warn }
              - match: [team-b]
                rules: { "*": off }
                allowExistingViolations: true
            """)
        #expect(policy.defaults.unnamedRules == .mode(.audit))
        #expect(policy.defaults.rules["*"] == nil)
        let teamA = policy.scope(forNamespace: "team-a").scope
        #expect(teamA.mode(of: "V02", defaultMode: .deny) == .audit)
        #expect(teamA.mode(of: "cpu-fractional", defaultMode: .warn) == .audit)
        #expect(teamA.mode(of: "V17", defaultMode: .deny) == .enforce)
        #expect(teamA.mode(of: "V28", defaultMode: .deny) == .warn)
        #expect(teamA.rules["gpu-visibility"] == .defaulting(false))
        #expect(teamA.allowExistingViolations == false)
        let teamB = policy.scope(forNamespace: "team-b").scope
        #expect(teamB.mode(of: "V02", defaultMode: .deny) == .off)
        #expect(teamB.mode(of: "V17", defaultMode: .deny) == .enforce)
        #expect(teamB.allowExistingViolations == true)
        // `"*": default` gives a namespace back every rule's own mode under a defaults' dry run.
        let enforcing = try PolicyLoader().load(
            """
            defaults: { rules: { "*": audit, image-tag: off } }
            namespaces: [{ match: [prod], rules: { "*": default } }]
            """
        ).scope(forNamespace: "prod").scope
        #expect(enforcing.unnamedRules == .ruleDefaults)
        #expect(enforcing.mode(of: "V02", defaultMode: .deny) == .enforce)
        #expect(enforcing.mode(of: "cpu-fractional", defaultMode: .warn) == .warn)
        #expect(enforcing.mode(of: "image-tag", defaultMode: .warn) == .off)
        #expect(Policy().defaults.mode(of: "cpu-fractional", defaultMode: .warn) == .warn)
        #expect(Policy().defaults.allowExistingViolations == nil)
    }

    @Test func bestPracticeSettingsLoadAndAreInherited() throws {
        let policy = try PolicyLoader().load(
            """
            defaults:
              bestPractices: { extraRayImageRepositories: ["quay.io/modh/ray"], largeClusterWorkerThreshold: 64 }
            namespaces:
              - match: [big]
                bestPractices: { largeClusterWorkerThreshold: 500 }
            """)
        let big = policy.scope(forNamespace: "big").scope.bestPractices
        #expect(big.extraRayImageRepositories == ["quay.io/modh/ray"])
        #expect(big.largeClusterWorkerThreshold == 500)
        #expect(policy.scope(forNamespace: "other").scope.bestPractices.largeClusterWorkerThreshold == 64)
        for (yaml, message) in [
            ("defaults: { bestPractices: { extraRayImageRepositories: [\"quay.io/modh/ray:2.35\"] } }", "without tag"),
            ("defaults: { bestPractices: { largeClusterWorkerThreshold: 0 } }", "whole number ≥ 1"),
            ("defaults: { bestPractices: { profile: production } }", "unknown key"),
        ] {
            #expect {
                try PolicyLoader().load(yaml)
            } throws: { error in
                "\(error)".contains(message)
            }
        }
    }

    @Test func anEmptyFileIsTheBuiltInPolicy() throws {
        #expect(try PolicyLoader().load("") == Policy())
        #expect(try PolicyLoader().load("# nothing yet\n") == Policy())
    }

    /// Each mistake, with the line and column it is reported at.
    @Test(arguments: [
        ("defaults:\n  rulez: {}\n", 2, 3, "unknown key \"rulez\""),
        ("defaults:\n  rules:\n    V999: enforce\n", 3, 5, "unknown rule \"V999\""),
        ("defaults:\n  rules:\n    V28: deny\n", 3, 10, "is not a mode"),
        ("defaults:\n  rules:\n    gpu-visibility: warn\n", 3, 21, "defaulting rule: on or off"),
        ("namespaces:\n  - match: [\"team-[a]\"]\n", 2, 13, "character classes"),
        ("namespaces:\n  - rules: {}\n", 2, 5, "needs match"),
        (
            "namespaces:\n  - match: [a]\n    constraints:\n      maxMemoryPerPod: 12XB\n", 4, 24,
            "not a Kubernetes quantity"
        ),
        ("namespaces:\n  - match: [a]\n    constraints:\n      rayVersions: \"2.40\"\n", 4, 20, "needs a comparison"),
        ("namespaces:\n  - match: [a]\n    inject:\n      env: { RAY_REDIS_ADDRESS: x }\n", 4, 12, "RAY_REDIS_ADDRESS"),
        ("namespaces:\n  - match: [a]\n    inject:\n      labels: { ray.io/node-type: x }\n", 4, 15, "reserved"),
        ("namespaces:\n  - match: [a]\n    featureGates: {}\n", 3, 5, "unknown key \"featureGates\""),
        ("defaults:\n  featureGates: { RayCronJob: maybe }\n", 2, 31, "must be true or false"),
        (
            "defaults:\n  rules: { \"*\": on }\n", 2, 17,
            "every validation rule not named: enforce, warn, audit, off or default"
        ),
        ("defaults:\n  allowExistingViolations: sometimes\n", 2, 28, "must be true or false"),
        ("namespaces:\n  - match: [a]\n    allowExistingViolation: false\n", 3, 5, "unknown key"),
        ("exemptions:\n  - {}\n", 2, 5, "must name users, groups or namespaces"),
        ("defaults: [\n", 2, 1, "did not find expected node content"),
    ])
    func mistakesAreReportedWithLineAndColumn(yaml: String, line: Int, column: Int, message: String) {
        do {
            _ = try PolicyLoader().load(yaml)
            Issue.record("loaded: \(yaml)")
        } catch {
            #expect(error.line == line, "\(error)")
            #expect(error.column == column, "\(error)")
            #expect(error.message.contains(message), "\(error)")
        }
    }
}
