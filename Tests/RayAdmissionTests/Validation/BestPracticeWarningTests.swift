import RayAdmission
import Testing

/// Each best-practice warning on the must-fire and must-not-fire cases of the best-practice spec,
/// with its message, and the field path whole in the warning a user reads.
struct BestPracticeWarningTests {
    static let head: JSONPointer = ["spec", "headGroupSpec"]
    static let worker: JSONPointer = ["spec", "workerGroupSpecs", "0"]

    static func container(_ group: JSONPointer) -> JSONPointer {
        group.appending("template", "spec", "containers", "0")
    }

    /// The warnings of `rule` on the base RayCluster (or `kind`) changed by `changes`: field → advice.
    static func warnings(
        _ rule: RuleID, _ changes: [JSONPatchOperation], kind: RayKind = .rayCluster, enable: Bool = false,
        settings: BestPracticeSettings = BestPracticeSettings(), annotations: JSONValue? = nil
    ) throws -> [String: String] {
        var object = try JSONPatch(changes).apply(to: ValidationRuleTests.base(kind))
        if let annotations {
            object = try JSONPatch([.add(path: ["metadata", "annotations"], value: annotations)]).apply(to: object)
        }
        let validator = Validator(
            modes: enable ? [rule: .some(.warn)] : [:], bestPractices: settings)
        let result = validator.validate(object, kind: kind, operation: .create)
        var found: [String: String] = [:]
        for warning in result.warnings where warning.rule == rule { found[warning.field.description] = warning.detail }
        return found
    }

    static func image(_ text: String, rayVersion: String, group: JSONPointer = worker) -> [JSONPatchOperation] {
        [
            .replace(path: container(group).appending("image"), value: .string(text)),
            .replace(path: ["spec", "rayVersion"], value: .string(rayVersion)),
        ]
    }

    static let workerImage = "spec.workerGroupSpecs[0].template.spec.containers[0].image"

    @Test(arguments: [
        ("busybox:1.28", "2.9.0"), ("nvcr.io/nvidia/tritonserver/triton-python-api:24.01", "2.9.0"),
        ("rayproject/ray-ml:2.36.1.999f76-py311", "2.36.1"),
        ("rayproject/ray-ml:2.49.2.deprecated-py311-gpu", "2.49.2"),
        ("rayproject/ray:nightly-py310", "2.9.0"), ("anyscale/ray-llm:0.5.0", "2.40.0"),
        ("rayproject/ray@sha256:0123456789abcdef", "2.9.0"), ("rayproject/ray:2.9", "2.9.0"),
    ])
    func rayVersionMismatchMustNotFire(image: String, rayVersion: String) throws {
        #expect(
            try Self.warnings("ray-version-mismatch", Self.image(image, rayVersion: rayVersion))[Self.workerImage]
                == nil)
    }

    @Test func rayVersionMismatchMustFire() throws {
        #expect(
            try Self.warnings(
                "ray-version-mismatch", Self.image("rayproject/ray:2.10.0-py310-gpu-aarch64", rayVersion: "2.9.0"))[
                    Self.workerImage] == "image has Ray 2.10.0, rayVersion is 2.9.0")
        #expect(
            try Self.warnings(
                "ray-version-mismatch",
                Self.image("mirror.example.com/dockerhub/rayproject/ray:2.51.0", rayVersion: "2.52.0"))[
                    Self.workerImage] == "image has Ray 2.51.0, rayVersion is 2.52.0")
        // A rebuild a policy names as Ray's own is read too.
        let rebuild = Self.image("quay.io/modh/ray:2.35.0-py311-cu121", rayVersion: "2.36.0")
        #expect(try Self.warnings("ray-version-mismatch", rebuild)[Self.workerImage] == nil)
        var settings = BestPracticeSettings()
        settings.extraRayImageRepositories = ["quay.io/modh/ray"]
        #expect(try Self.warnings("ray-version-mismatch", rebuild, settings: settings)[Self.workerImage] != nil)
    }

    @Test func rayImageConsistency() throws {
        let mixed =
            Self.image("rayproject/ray:2.9.0-py310", rayVersion: "2.9.0", group: Self.head)
            + [.replace(path: Self.container(Self.worker).appending("image"), value: "rayproject/ray:2.10.0-py310-gpu")]
        let found = try Self.warnings("ray-image-consistency", mixed)
        #expect(found.count == 1)
        #expect(found[Self.workerImage] == "Ray 2.10.0 here, 2.9.0 on the head; use one Ray version", "\(found)")
        let python =
            Self.image("rayproject/ray:2.9.0-py310", rayVersion: "2.9.0", group: Self.head)
            + [.replace(path: Self.container(Self.worker).appending("image"), value: "rayproject/ray:2.9.0-py311-gpu")]
        #expect(
            try Self.warnings("ray-image-consistency", python) == [
                Self.workerImage: "py311 here, py310 on the head; use one Python version"
            ])
        // No suffix is no claim: nothing to compare.
        let implicit =
            Self.image("rayproject/ray:2.9.0", rayVersion: "2.9.0", group: Self.head)
            + [.replace(path: Self.container(Self.worker).appending("image"), value: "rayproject/ray:2.9.0-py311")]
        #expect(try Self.warnings("ray-image-consistency", implicit).isEmpty)
        // The head not official: the first official group is the reference.
        let custom =
            Self.image("example.com/ray-head:1", rayVersion: "2.9.0", group: Self.head)
            + [.replace(path: Self.container(Self.worker).appending("image"), value: "rayproject/ray:2.9.0")]
        #expect(try Self.warnings("ray-image-consistency", custom).isEmpty)
    }

    @Test func imageTag() throws {
        for unpinned in [
            "rayproject/ray", "rayproject/ray:latest", "rayproject/ray:latest-gpu", "example.com/app:latest",
        ] {
            #expect(
                try Self.warnings("image-tag", Self.image(unpinned, rayVersion: "2.9.0")) == [
                    Self.workerImage: "unpinned image; pin the Ray version set in rayVersion"
                ], "\(unpinned)")
        }
        for pinned in ["rayproject/ray:nightly", "rayproject/ray@sha256:0123", "example.com/app:latest-build"] {
            #expect(try Self.warnings("image-tag", Self.image(pinned, rayVersion: "2.9.0")).isEmpty, "\(pinned)")
        }
    }

    static func resources(_ value: JSONValue, group: JSONPointer = worker) -> [JSONPatchOperation] {
        [.add(path: container(group).appending("resources"), value: value)]
    }

    static let workerResources = "spec.workerGroupSpecs[0].template.spec.containers[0].resources"

    @Test func memory() throws {
        #expect(
            try Self.warnings(
                "memory-request-below-limit",
                Self.resources(["requests": ["memory": "2G"], "limits": ["memory": "2Gi"]]))
                == [
                    Self.workerResources + ".requests.memory":
                        "Ray sizes memory from the limit; request the same amount"
                ])
        #expect(
            try Self.warnings(
                "memory-request-below-limit",
                Self.resources(["requests": ["memory": "2Gi"], "limits": ["memory": "2048Mi"]])
            ).isEmpty)
        #expect(try Self.warnings("memory-request-below-limit", Self.resources(["limits": ["memory": "2Gi"]])).isEmpty)
        // Off unless a policy turns it on.
        let requestOnly = Self.resources(["requests": ["memory": "8Gi", "cpu": "2"]])
        #expect(try Self.warnings("memory-limit-missing", requestOnly).isEmpty)
        #expect(
            try Self.warnings("memory-limit-missing", requestOnly, enable: true) == [
                Self.workerResources + ".limits": "no memory limit: Ray sizes itself from the node's memory"
            ])
        let declared =
            requestOnly + [.add(path: Self.worker.appending("rayStartParams", "memory"), value: "8000000000")]
        #expect(try Self.warnings("memory-limit-missing", declared, enable: true).isEmpty)
        #expect(
            try Self.warnings("no-resources", [])[Self.workerResources]
                == "no CPU or memory set; KubeRay sizes Ray from them")
        #expect(
            try Self.warnings("no-resources", Self.resources(["requests": ["cpu": "1"]]))[Self.workerResources] == nil)
    }

    @Test func cpu() throws {
        #expect(
            try Self.warnings("cpu-fractional", Self.resources(["limits": ["cpu": "500m"]])) == [
                Self.workerResources + ".limits.cpu": "Ray counts 500m as 1 CPU; use whole CPUs or set num-cpus"
            ])
        #expect(
            try Self.warnings("cpu-fractional", Self.resources(["requests": ["cpu": "1.5"]])) == [
                Self.workerResources + ".requests.cpu": "Ray counts 1.5 as 2 CPU; use whole CPUs or set num-cpus"
            ])
        #expect(
            try Self.warnings("cpu-fractional", [.add(path: Self.worker.appending("resources"), value: ["CPU": "0.5"])])
                == [
                    "spec.workerGroupSpecs[0].resources[CPU]": "Ray counts 0.5 as 1 CPU; use whole CPUs or set num-cpus"
                ])
        for whole in ["2", "2000m", "2.0"] {
            #expect(try Self.warnings("cpu-fractional", Self.resources(["limits": ["cpu": .string(whole)]])).isEmpty)
        }
        // num-cpus overrides what the container says.
        let overridden =
            Self.resources(["limits": ["cpu": "500m"]])
            + [.add(path: Self.worker.appending("rayStartParams", "num-cpus"), value: "1")]
        #expect(try Self.warnings("cpu-fractional", overridden).isEmpty)
        // The KubeRay samples' 500m request under a limit of 1: only the production profile speaks.
        let kind = Self.resources(["limits": ["cpu": "4"], "requests": ["cpu": "2"]])
        #expect(try Self.warnings("cpu-limit-above-request", kind).isEmpty)
        #expect(
            try Self.warnings("cpu-limit-above-request", kind, enable: true) == [
                Self.workerResources + ".requests.cpu": "Ray uses limits.cpu (4); set requests.cpu to match"
            ])
        #expect(
            try Self.warnings(
                "cpu-request-only-legacy", Self.resources(["requests": ["cpu": "2"]]), enable: true
            ).count == 1)
    }

    @Test func anOldAutoscalerNeedsACPULimit() throws {
        let requestOnly =
            Self.resources(["requests": ["cpu": "2", "memory": "4Gi"]])
            + [.add(path: ["spec", "enableInTreeAutoscaling"], value: true)]
        let old = requestOnly + [.replace(path: ["spec", "rayVersion"], value: "2.40.0")]
        #expect(
            try Self.warnings("R10", old)[Self.workerResources + ".limits"]
                == "Ray < 2.41 autoscaler needs limits.cpu or num-cpus")
        let current = requestOnly + [.replace(path: ["spec", "rayVersion"], value: "2.41.0")]
        #expect(try Self.warnings("R10", current)[Self.workerResources + ".limits"] == nil)
    }

    @Test func theHeadWithGCSFaultTolerance() throws {
        let ft: [JSONPatchOperation] = [
            .add(path: ["spec", "gcsFaultToleranceOptions"], value: ["redisAddress": "redis:6379"])
        ]
        #expect(
            try Self.warnings("head-num-cpus", ft) == [
                "spec.headGroupSpec.rayStartParams[num-cpus]": "GCS FT: set \"0\" so no tasks or actors run on the head"
            ])
        #expect(try Self.warnings("head-num-cpus", []).isEmpty, "without GCS FT it is a choice, not advice")
        #expect(try Self.warnings("head-num-cpus", [], annotations: ["ray.io/ft-enabled": "True"]).count == 1)
        let zero = ft + [.add(path: Self.head.appending("rayStartParams", "num-cpus"), value: "0")]
        #expect(try Self.warnings("head-num-cpus", zero).isEmpty)
        let decimal = ft + [.add(path: Self.head.appending("rayStartParams", "num-cpus"), value: "0.0")]
        #expect(try Self.warnings("head-num-cpus", decimal).count == 1)
        let map = ft + [.add(path: Self.head.appending("resources"), value: ["CPU": "0"])]
        #expect(try Self.warnings("head-num-cpus", map).isEmpty)
        let mapTwo = ft + [.add(path: Self.head.appending("resources"), value: ["CPU": "2"])]
        #expect(try Self.warnings("head-num-cpus", mapTwo).keys.first == "spec.headGroupSpec.resources[CPU]")
        let headOnly = ft + [.remove(path: ["spec", "workerGroupSpecs"])]
        #expect(try Self.warnings("head-num-cpus", headOnly).isEmpty)
    }

    @Test func theHeadOfALargeCluster() throws {
        let scaled: [JSONPatchOperation] = [
            .add(path: Self.worker.appending("replicas"), value: 6),
            .add(path: Self.worker.appending("numOfHosts"), value: 2),
        ]
        #expect(try Self.warnings("head-num-cpus-large", scaled).isEmpty)
        var settings = BestPracticeSettings()
        settings.largeClusterWorkerThreshold = 12
        #expect(
            try Self.warnings("head-num-cpus-large", scaled, enable: true, settings: settings).values.first
                == "large cluster: set \"0\" to keep tasks off the head")
        settings.largeClusterWorkerThreshold = 13
        #expect(try Self.warnings("head-num-cpus-large", scaled, enable: true, settings: settings).isEmpty)
    }

    @Test func theDashboardStaysOnForJobsAndServices() throws {
        let off: JSONPointer = ["headGroupSpec", "rayStartParams", "include-dashboard"]
        for kind in [RayKind.rayJob, .rayService, .rayCronJob] {
            let cluster = ClusterSpecLocation.of(kind)
            let found = try Self.warnings(
                "dashboard-disabled",
                [.add(path: JSONPointer(tokens: cluster.pointer.tokens + off.tokens), value: " False")],
                kind: kind)
            let name = kind == .rayService ? "RayService" : "RayJob"
            #expect(found.values.first == "\(name) needs the Ray dashboard; don't set false", "\(kind)")
        }
        #expect(
            try Self.warnings(
                "dashboard-disabled", [.add(path: JSONPointer(tokens: ["spec"] + off.tokens), value: "false")]
            ).isEmpty)
    }

    /// The path is what a reader acts on: no warning is cut in it, however deep.
    @Test func warningsKeepTheirFieldPathWhole() throws {
        let deep: JSONPointer = [
            "spec", "rayClusterConfig", "workerGroupSpecs", "0", "template", "spec", "containers", "0", "resources",
        ]
        let object = try JSONPatch([
            .add(path: deep, value: ["requests": ["memory": "1Gi"], "limits": ["memory": "2Gi"]])
        ])
        .apply(to: ValidationRuleTests.base(.rayService))
        let outcome = AdmissionPipeline().review(
            try AdmissionReviewDecoding.decode(Reviews.body(kind: "RayService", object: object)), endpoint: .validate)
        let field = "spec.rayClusterConfig.workerGroupSpecs[0].template.spec.containers[0].resources.requests.memory"
        #expect(
            outcome.response.warnings.contains(
                "[memory-request-below-limit] Ray sizes memory from the limit; request the same amount (\(field))"),
            "\(outcome.response.warnings)")
        // Advice too long for the response is cut; the path never is.
        let verbose = ValidationRule(id: "verbose", summary: "test", mode: .warn) { _ in
            [.invalid(FieldPath(elements: [.child(field)]), nil, String(repeating: "a", count: 400))]
        }
        let cut = AdmissionPipeline(validator: Validator(rules: [verbose])).review(
            try AdmissionReviewDecoding.decode(Reviews.body(kind: "RayService", object: object)), endpoint: .validate)
        let text = try #require(cut.response.warnings.first)
        #expect(text.count == AdmissionResponse.maximumWarningLength)
        #expect(text.hasPrefix("[verbose] aaa"))
        #expect(text.hasSuffix("a… (\(field))"))
    }
}
