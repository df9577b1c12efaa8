import RayAdmission
import Testing

/// Runtime failures (R), gaps (§1.J) and best-practice warnings.
struct RuntimeAndBestPracticeRuleTests {
    func findings(_ kind: RayKind, _ changes: [JSONPatchOperation], annotations: JSONValue? = nil) throws -> (
        denied: Set<String>, warned: Set<String>
    ) {
        var object = try JSONPatch(changes).apply(to: ValidationRuleTests.base(kind))
        if let annotations {
            object = try JSONPatch([.add(path: ["metadata", "annotations"], value: annotations)]).apply(to: object)
        }
        let result = Validator(featureGates: ValidationCorpusTests.allGates).validate(
            object, kind: kind, operation: .create)
        func label(_ error: FieldError) -> String { "\(error.rule?.rawValue ?? ""):\(error.field)" }
        return (Set(result.denials.map(label)), Set(result.warnings.map(label)))
    }

    @Test func servePortIsRequiredWhereKubeRayBuildsAServeService() throws {
        let ports: JSONPointer = [
            "spec", "rayClusterConfig", "headGroupSpec", "template", "spec", "containers", "0", "ports",
        ]
        // The base RayService declares serve; drop it.
        let withoutServe = try findings(.rayService, [.remove(path: ports.appending(4))])
        #expect(withoutServe.denied == ["R01:spec.rayClusterConfig.headGroupSpec.template.spec.containers[0].ports"])
        #expect(
            try findings(.rayService, [.replace(path: ports.appending(4).appending("name"), value: "serve-grpc")])
                .denied.isEmpty)
        #expect(
            try findings(
                .rayService, [.remove(path: ports.appending(4)), .add(path: ["spec", "serveService"], value: [:])]
            ).denied.isEmpty)
        // No ports at all: KubeRay's default set includes serve.
        #expect(try findings(.rayService, [.remove(path: ports)]).denied.isEmpty)
        #expect(
            try findings(.rayCluster, [], annotations: ["ray.io/enable-serve-service": "true"]).denied
                == ["R01:spec.headGroupSpec.template.spec.containers[0].ports"])
        #expect(try findings(.rayCluster, []).denied.isEmpty)
    }

    @Test func serveConfigAndJobFields() throws {
        #expect(
            try findings(.rayService, [.replace(path: ["spec", "serveConfigV2"], value: "just text")]).denied == [
                "R02:spec.serveConfigV2"
            ])
        #expect(
            try findings(.rayService, [.replace(path: ["spec", "serveConfigV2"], value: "applications: [\n")]).denied
                == ["R02:spec.serveConfigV2"])
        for kind in [RayKind.rayJob, .rayCronJob] {
            let spec: JSONPointer = kind == .rayJob ? ["spec"] : ["spec", "jobTemplate"]
            let field = kind == .rayJob ? "spec" : "spec.jobTemplate"
            #expect(
                try findings(kind, [.add(path: spec.appending("entrypointResources"), value: #"{"GPU": "1"}"#)]).denied
                    == ["R03:\(field).entrypointResources"])
            #expect(
                try findings(kind, [.add(path: spec.appending("entrypointResources"), value: #"{"GPU": 1}"#)]).denied
                    .isEmpty)
            #expect(
                try findings(kind, [.replace(path: spec.appending("entrypoint"), value: " ")]).denied == [
                    "R04:\(field).entrypoint"
                ])
            #expect(
                try findings(
                    kind,
                    [
                        .replace(path: spec.appending("entrypoint"), value: ""),
                        .add(path: spec.appending("submissionMode"), value: "InteractiveMode"),
                    ]
                ).denied.isEmpty)
            #expect(
                try findings(
                    kind,
                    [
                        .add(path: spec.appending("metadata"), value: ["team": "a"]),
                        .replace(path: spec.appending("rayClusterSpec").appending("rayVersion"), value: "2.5.1"),
                    ]
                ).denied
                    == ["R06:\(field).metadata"])
            #expect(
                try findings(kind, [.add(path: spec.appending("submissionMode"), value: "BatchMode")]).denied
                    == ["submission-mode-enum:\(field).submissionMode"])
        }
    }

    @Test func resourcesStartParameterAsTheShellPassesIt() throws {
        let param: JSONPointer = ["spec", "headGroupSpec", "rayStartParams", "resources"]
        #expect(
            try findings(.rayCluster, [.add(path: param, value: #"'{"TPU": 4}'"#)]).warned.filter {
                $0.hasPrefix("R05")
            }.isEmpty)
        #expect(
            try findings(.rayCluster, [.add(path: param, value: #""{\"TPU\": 4}""#)]).warned.filter {
                $0.hasPrefix("R05")
            }.isEmpty)
        #expect(
            try findings(.rayCluster, [.add(path: param, value: #"{"TPU": "4"}"#)]).warned.contains(
                "R05:spec.headGroupSpec.rayStartParams[resources]"))
    }

    @Test func warningsAdmitButSpeak() throws {
        let worker: JSONPointer = ["spec", "workerGroupSpecs", "0"]
        let container = worker.appending("template").appending("spec").appending("containers").appending(0)
        let result = try findings(
            .rayCluster,
            [
                .add(path: ["spec", "enableInTreeAutoscaling"], value: true),
                .add(path: ["spec", "authOptions"], value: [:]),
                .add(path: worker.appending("replicas"), value: 9),
                .replace(path: container.appending("image"), value: "rayproject/ray:2.52.0"),
                .add(
                    path: container.appending("resources"),
                    value: ["limits": ["cpu": "4", "memory": "8Gi"], "requests": ["memory": "4Gi"]]),
                .add(
                    path: worker.appending("template").appending("spec").appending("containers").appending(0),
                    value: ["name": "sidecar", "image": "busybox"]),
            ])
        #expect(result.denied.isEmpty)
        for expected in [
            "R10:spec.headGroupSpec.template.spec.containers[0].resources", "R11:spec.authOptions.mode",
            "replicas-range:spec.workerGroupSpecs[0].replicas",
            "no-resources:spec.headGroupSpec.template.spec.containers[0].resources",
            "ray-container-first:spec.workerGroupSpecs[0].template.spec.containers[1]",
            "image-tag:spec.workerGroupSpecs[0].template.spec.containers[0].image",
        ] {
            #expect(result.warned.contains(expected), "\(expected) in \(result.warned.sorted())")
        }
        // The misplaced Ray container carries the resources and the 2.52.0 image.
        let fixed = try findings(
            .rayCluster,
            [
                .replace(path: container.appending("image"), value: "rayproject/ray:2.52.0"),
                .add(
                    path: container.appending("resources"),
                    value: ["limits": ["cpu": "4", "memory": "8Gi"], "requests": ["memory": "4Gi"]]),
            ])
        for expected in [
            "ray-version-mismatch:spec.workerGroupSpecs[0].template.spec.containers[0].image",
            "memory-request-below-limit:spec.workerGroupSpecs[0].template.spec.containers[0].resources.requests.memory",
        ] {
            #expect(fixed.warned.contains(expected), "\(expected) in \(fixed.warned.sorted())")
        }
    }

    @Test(arguments: RayKind.allCases)
    func numOfHostsBelowOneIsTreatedAsOne(kind: RayKind) throws {
        let cluster = ClusterSpecLocation(kind: kind)
        let hosts = cluster.pointer.appending("workerGroupSpecs").appending(0).appending("numOfHosts")
        #expect(
            try findings(kind, [.add(path: hosts, value: 0)]).warned.contains(
                "R08:\(cluster.fieldPath).workerGroupSpecs[0].numOfHosts"))
        #expect(try findings(kind, [.add(path: hosts, value: 2)]).warned.filter { $0.hasPrefix("R08") }.isEmpty)
    }

    @Test func v1alpha1RequestsAreWarnedAboutC12() throws {
        var review = Reviews.body(object: ValidationRuleTests.base(.rayCluster))
        review = try JSONPatch([
            .add(
                path: ["request", "requestKind"],
                value: ["group": "ray.io", "version": "v1alpha1", "kind": "RayCluster"])
        ])
        .apply(to: review)
        // CRDs before KubeRay 1.7 do not mark v1alpha1 deprecated: C12 says it.
        let olderCRDs = AdmissionPipeline(validator: Validator(release: .newest, crdRelease: .v1_6))
        let outcome = olderCRDs.review(try AdmissionReviewDecoding.decode(review), endpoint: .validate)
        #expect(outcome.response.allowed)
        #expect(
            outcome.response.warnings.contains(
                "[C12] ray.io/v1alpha1 is deprecated; use ray.io/v1 (gone in KubeRay 1.9) (apiVersion)"),
            "\(outcome.response.warnings)")
        // From 1.7 the API server itself warns, with the CRD's text: C12 stays silent.
        let current = AdmissionPipeline().review(try AdmissionReviewDecoding.decode(review), endpoint: .validate)
        #expect(!current.response.warnings.contains { $0.hasPrefix("[C12]") })
        let v1 = AdmissionPipeline().review(
            try AdmissionReviewDecoding.decode(Reviews.body(object: ValidationRuleTests.base(.rayCluster))),
            endpoint: .validate)
        #expect(!v1.response.warnings.contains { $0.hasPrefix("[C12]") })
    }

    @Test func warningsReachTheResponseCitingTheirRule() throws {
        let object = ValidationRuleTests.base(.rayCluster)
        let outcome = AdmissionPipeline().review(
            try AdmissionReviewDecoding.decode(Reviews.body(object: object)), endpoint: .validate)
        #expect(outcome.response.allowed)
        #expect(
            outcome.response.warnings.contains {
                $0
                    == "[no-resources] no CPU or memory set; KubeRay sizes Ray from them (spec.headGroupSpec.template.spec.containers[0].resources)"
            })
        #expect(outcome.response.warnings.allSatisfy { $0.count <= AdmissionResponse.maximumWarningLength })
        #expect(outcome.response.auditAnnotations.map(\.key) == ["warnings"])
    }

    /// Kubernetes rejects a pod whose container requests more than its limit (or, for extended
    /// resources, anything but its limit); the Ray resource itself is stored, and every pod KubeRay
    /// builds from it fails. Denied at the request, in every pod template KubeRay uses.
    @Test func requestsAboveLimitsAreDeniedWhereverKubeRayBuildsPods() throws {
        let worker: JSONPointer = ["spec", "workerGroupSpecs", "0", "template", "spec", "containers", "0", "resources"]
        func resources(_ requests: JSONValue, _ limits: JSONValue) -> JSONValue {
            ["requests": requests, "limits": limits]
        }
        let cases: [(JSONValue, Set<String>)] = [
            (resources(["cpu": "2"], ["cpu": "1"]), ["request-above-limit:\(Self.workerField).requests[cpu]"]),
            (resources(["cpu": "1001m"], ["cpu": 1]), ["request-above-limit:\(Self.workerField).requests[cpu]"]),
            (
                resources(["memory": "2Gi"], ["memory": "2G"]),
                ["request-above-limit:\(Self.workerField).requests[memory]"]
            ),
            (resources(["cpu": "500m", "memory": "1Gi"], ["cpu": "1", "memory": "1Gi"]), []),
            (resources(["cpu": "4"], [:]), []),
            (resources([:], ["cpu": "1"]), []),
            (
                resources(["ephemeral-storage": "2Gi"], ["ephemeral-storage": "1Gi"]),
                ["request-above-limit:\(Self.workerField).requests[ephemeral-storage]"]
            ),
            (
                resources(["nvidia.com/gpu": 1], ["nvidia.com/gpu": 2]),
                ["request-above-limit:\(Self.workerField).requests[nvidia.com/gpu]"]
            ),
            (resources(["nvidia.com/gpu": 1], [:]), ["request-above-limit:\(Self.workerField).limits[nvidia.com/gpu]"]),
            (resources(["nvidia.com/gpu": "1"], ["nvidia.com/gpu": 1]), []),
            (
                resources(["hugepages-2Mi": "2Mi"], ["hugepages-2Mi": "4Mi"]),
                ["request-above-limit:\(Self.workerField).requests[hugepages-2Mi]"]
            ),
            (resources(["cpu": "lots"], ["cpu": "1"]), []),
            (resources(["example.kubernetes.io/widget": "2"], ["example.kubernetes.io/widget": "3"]), []),
            (
                resources(["example.com/widget": "2"], ["example.com/widget": "3"]),
                ["request-above-limit:\(Self.workerField).requests[example.com/widget]"]
            ),
        ]
        for (value, expected) in cases {
            let denied = try findings(.rayCluster, [.add(path: worker, value: value)]).denied
            #expect(denied == expected, "\(value.jsonString)")
        }
        // The head in every kind, an init container, the RayJob submitter pod and the autoscaler.
        let tooMuch = resources(["memory": "8Gi"], ["memory": "4Gi"])
        for kind in RayKind.allCases {
            let cluster = ClusterSpecLocation.of(kind)
            let head = cluster.headGroup.podSpec.appending("containers", "0", "resources")
            #expect(
                try findings(kind, [.add(path: head, value: tooMuch)]).denied == [
                    "request-above-limit:\(cluster.headGroup.rayContainerFieldPath).resources.requests[memory]"
                ])
            let autoscaler = cluster.pointer.appending("autoscalerOptions")
            #expect(
                try findings(kind, [.add(path: autoscaler, value: ["resources": tooMuch])]).denied == [
                    "request-above-limit:\(cluster.fieldPath).autoscalerOptions.resources.requests[memory]"
                ])
        }
        let initContainer: JSONValue = ["name": "setup", "image": "busybox:1.36", "resources": tooMuch]
        #expect(
            try findings(
                .rayCluster,
                [
                    .add(
                        path: ["spec", "workerGroupSpecs", "0", "template", "spec", "initContainers"],
                        value: [initContainer])
                ]
            ).denied == [
                "request-above-limit:spec.workerGroupSpecs[0].template.spec.initContainers[0].resources.requests[memory]"
            ])
        let submitter: JSONValue = [
            "spec": ["containers": [["name": "submit", "image": "rayproject/ray:2.53.0", "resources": tooMuch]]]
        ]
        #expect(
            try findings(.rayJob, [.add(path: ["spec", "submitterPodTemplate"], value: submitter)]).denied == [
                "request-above-limit:spec.submitterPodTemplate.spec.containers[0].resources.requests[memory]"
            ])
    }

    static let workerField = "spec.workerGroupSpecs[0].template.spec.containers[0].resources"

    /// W01: KubeRay's controller warns when autoscaler v1 runs workers that restart in place.
    @Test func autoscalerV1WarnsAboutWorkerRestartPolicy() throws {
        let group: JSONPointer = ["spec", "workerGroupSpecs", "0", "template", "spec", "restartPolicy"]
        func warned(version: String?, policy: String?, autoscaling: Bool = true) throws -> Set<String> {
            var changes: [JSONPatchOperation] = [
                .add(path: ["spec", "enableInTreeAutoscaling"], value: .bool(autoscaling))
            ]
            if let version {
                changes.append(.add(path: ["spec", "autoscalerOptions"], value: ["version": .string(version)]))
            }
            if let policy { changes.append(.add(path: group, value: .string(policy))) }
            return try findings(.rayCluster, changes).warned.filter { $0.hasPrefix("W01") }
        }
        #expect(
            try warned(version: "v1", policy: "Always") == ["W01:spec.workerGroupSpecs[0].template.spec.restartPolicy"])
        #expect(try warned(version: "v1", policy: "OnFailure").count == 1)
        #expect(try warned(version: "v1", policy: "Never").isEmpty)
        #expect(try warned(version: "v1", policy: nil).isEmpty)
        #expect(try warned(version: nil, policy: "Always").isEmpty, "only an explicit v1, as KubeRay")
        #expect(try warned(version: "v1", policy: "Always", autoscaling: false).isEmpty)
        // v2 is V48/V49's, and those deny.
        #expect(try warned(version: "v2", policy: "Always").isEmpty)
    }
}
