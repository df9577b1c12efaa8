import RayAdmission
import Testing

/// Each defaulting rule on its own: it fires, it does not, the value is already there; embedded in
/// each of the four kinds.
struct DefaultingRuleTests {
    func run(_ rule: any DefaultingRule, _ clusterSpec: JSONValue, kind: RayKind, annotations: JSONValue? = nil)
        -> (result: Defaulter.Result, cluster: JSONValue)
    {
        let defaulter = Defaulter(rules: [rule], configuration: DefaultingConfiguration().enabling(rule.descriptor.id))
        let object = RayObjects.wrap(clusterSpec, kind: kind, annotations: annotations)
        let result = defaulter.create(object, kind: kind)
        return (result, result.object[ClusterSpecLocation(kind: kind).pointer] ?? .null)
    }

    func ports(_ cluster: JSONValue, group: String = "headGroupSpec") -> [JSONValue] {
        let pointer: JSONPointer =
            group == "headGroupSpec"
            ? ["headGroupSpec", "template", "spec", "containers", "0", "ports"]
            : ["workerGroupSpecs", "0", "template", "spec", "containers", "0", "ports"]
        return cluster[pointer]?.arrayValue ?? []
    }

    /// The defaulter plans its rules per kind once; a configuration changed afterwards must still
    /// switch rules on and off.
    @Test(arguments: RayKind.allCases)
    func configurationChangedAfterCreationTakesEffect(kind: RayKind) {
        let cluster = RayObjects.cluster(
            head: RayObjects.group(RayObjects.container()), workers: [RayObjects.group(RayObjects.container())])
        let object = RayObjects.wrap(cluster, kind: kind)
        var defaulter = Defaulter()
        #expect(defaulter.create(object, kind: kind).rulesApplied.contains("head-ports"))
        #expect(!defaulter.create(object, kind: kind).rulesApplied.contains("head-num-cpus-zero"))
        defaulter.configuration = defaulter.configuration.enabling("head-ports", false).enabling("head-num-cpus-zero")
        let rules = defaulter.create(object, kind: kind).rulesApplied
        #expect(!rules.contains("head-ports"))
        #expect(rules.contains("head-num-cpus-zero"))
    }

    // MARK: head-ports

    @Test(arguments: RayKind.allCases)
    func headPortsAddsTheMissingOnesByNameAndNumber(kind: RayKind) throws {
        let head = RayObjects.group(
            RayObjects.container(ports: [
                ["name": "gcs", "containerPort": 6379], ["name": "dashboard", "containerPort": 8265],
            ]))
        let (result, cluster) = run(HeadPortsRule(), RayObjects.cluster(head: head), kind: kind)
        let names = ports(cluster).compactMap { $0["name"]?.stringValue }
        // `gcs` 6379 already covers the GCS port by number: no second entry for 6379.
        var expected = ["gcs", "dashboard", "client", "metrics"]
        if kind == .rayService { expected.append("serve") }
        #expect(names == expected)
        #expect(ports(cluster).last?["protocol"] == "TCP")
        #expect(result.rulesApplied == ["head-ports"])
        #expect(result.patch.operations.allSatisfy { $0.path.lastToken == "-" })
    }

    @Test(arguments: RayKind.allCases)
    func headPortsWithNoPortsWritesKubeRaysDefaultServiceSet(kind: RayKind) {
        let (_, cluster) = run(
            HeadPortsRule(), RayObjects.cluster(head: RayObjects.group(RayObjects.container())), kind: kind)
        let declared = ports(cluster).map {
            "\($0["name"]?.stringValue ?? "")=\($0["containerPort"]?.numberValue?.text ?? "")"
        }
        #expect(declared == ["client=10001", "gcs-server=6379", "dashboard=8265", "metrics=8080", "serve=8000"])
    }

    @Test func headPortsFollowRayStartParamsAndTheServeAnnotation() {
        let head = RayObjects.group(
            RayObjects.container(ports: [["name": "custom", "containerPort": 9999, "protocol": "UDP"]]),
            params: [
                "port": "6380", "dashboard-port": "8266", "ray-client-server-port": 10002, "metrics-export-port": "bad",
            ])
        let (_, cluster) = run(
            HeadPortsRule(), RayObjects.cluster(head: head), kind: .rayCluster,
            annotations: ["ray.io/enable-serve-service": "true"])
        let declared = ports(cluster).map {
            "\($0["name"]?.stringValue ?? "")=\($0["containerPort"]?.numberValue?.text ?? "")"
        }
        // An unreadable metrics-export-port leaves the metrics port out rather than guessing.
        #expect(declared == ["custom=9999", "gcs-server=6380", "dashboard=8266", "client=10002", "serve=8000"])
    }

    @Test func headPortsNeverDuplicateANumberUnderAnotherName() {
        let head = RayObjects.group(
            RayObjects.container(ports: [
                ["name": "redis", "containerPort": 6379], ["name": "m", "containerPort": 8080, "protocol": "TCP"],
            ]),
            params: ["dashboard-port": "10001"])
        let (_, cluster) = run(HeadPortsRule(), RayObjects.cluster(head: head), kind: .rayJob)
        let numbers = ports(cluster).compactMap { $0["containerPort"]?.numberValue?.intValue }
        #expect(numbers == [6379, 8080, 10001])
        #expect(Set(numbers).count == numbers.count)
    }

    @Test func headPortsLeaveACompleteHeadAlone() {
        let (result, _) = run(HeadPortsRule(), RayObjects.cluster(), kind: .rayCluster)
        #expect(result.patch.isEmpty)
    }

    // MARK: worker-metrics-port

    @Test(arguments: RayKind.allCases)
    func workerMetricsPortIsAddedOnlyWhereMissing(kind: RayKind) {
        let workers = [
            RayObjects.group(RayObjects.container(), name: "a"),
            RayObjects.group(RayObjects.container(ports: [["name": "metrics", "containerPort": 9090]]), name: "b"),
            RayObjects.group(RayObjects.container(), name: "c", params: ["metrics-export-port": "9100"]),
        ]
        let (result, cluster) = run(WorkerMetricsPortRule(), RayObjects.cluster(workers: workers), kind: kind)
        let groups = cluster["workerGroupSpecs"]?.arrayValue ?? []
        func numbers(_ index: Int) -> [Int] {
            groups[index][["template", "spec", "containers", "0", "ports"]]?.arrayValue?.compactMap {
                $0["containerPort"]?.numberValue?.intValue
            } ?? []
        }
        #expect(numbers(0) == [8080])
        #expect(numbers(1) == [9090])
        #expect(numbers(2) == [9100])
        #expect(result.patch.operations.count == 4)  // two `add []` and two appends
        #expect(ports(cluster).count == 4)  // the head is not this rule's business
    }

    // MARK: dashboard-host

    @Test(arguments: RayKind.allCases)
    func dashboardHostIsAddedWhenAbsentAndKeptWhenSet(kind: RayKind) {
        let absent = RayObjects.cluster(head: RayObjects.group(RayObjects.container(), params: [:]))
        #expect(
            run(DashboardHostRule(), absent, kind: kind).cluster[["headGroupSpec", "rayStartParams", "dashboard-host"]]
                == "0.0.0.0")
        let noParams = RayObjects.cluster(head: ["template": ["spec": ["containers": [RayObjects.container()]]]])
        let created = run(DashboardHostRule(), noParams, kind: kind)
        #expect(created.cluster[["headGroupSpec", "rayStartParams"]] == ["dashboard-host": "0.0.0.0"])
        let set = RayObjects.cluster(
            head: RayObjects.group(RayObjects.container(), params: ["dashboard-host": "127.0.0.1"]))
        #expect(run(DashboardHostRule(), set, kind: kind).result.patch.isEmpty)
    }

    // MARK: string-values

    @Test(arguments: RayKind.allCases)
    func numbersAndBooleansBecomeTheirExactText(kind: RayKind) {
        let head = RayObjects.group(
            RayObjects.container(), params: ["num-cpus": 0, "block": true, "dashboard-host": "0.0.0.0"],
            extra: ["labels": ["tier": 1], "resources": ["TPU": 4]])
        let worker = RayObjects.group(
            RayObjects.container(), name: "w", params: ["num-gpus": .number(JSONNumber(text: "1.50")!)])
        let spec = RayObjects.cluster(head: head, workers: [worker], extra: ["headServiceAnnotations": ["a/b": false]])
        let (result, cluster) = run(StringValuesRule(), spec, kind: kind)
        #expect(
            cluster[["headGroupSpec", "rayStartParams"]] == [
                "num-cpus": "0", "block": "true", "dashboard-host": "0.0.0.0",
            ])
        #expect(cluster[["headGroupSpec", "labels", "tier"]] == "1")
        #expect(cluster[["headGroupSpec", "resources", "TPU"]] == "4")
        #expect(cluster[["workerGroupSpecs", "0", "rayStartParams", "num-gpus"]] == "1.50")
        #expect(cluster[["headServiceAnnotations", "a/b"]] == "false")
        #expect(result.warnings.count == 6)
        #expect(result.warnings.allSatisfy { $0.count <= AdmissionResponse.maximumWarningLength })
        #expect(
            result.warnings.contains {
                $0.hasSuffix("headGroupSpec.rayStartParams[num-cpus]: 0 → \"0\" [string-values]")
            })
        #expect(result.patch.operations.allSatisfy { if case .replace = $0 { true } else { false } })
        let escaped = result.patch.operations.map(\.path.description)
        #expect(escaped.contains { $0.hasSuffix("/headServiceAnnotations/a~1b") })
    }

    // MARK: autoscaler-options

    @Test(arguments: RayKind.allCases)
    func autoscalerOptionsAreFilledOnlyWithAutoscalingOn(kind: RayKind) {
        let on = RayObjects.cluster(extra: [
            "enableInTreeAutoscaling": true, "autoscalerOptions": ["idleTimeoutSeconds": 30],
        ])
        let (_, cluster) = run(AutoscalerOptionsRule(), on, kind: kind)
        #expect(
            cluster["autoscalerOptions"]
                == [
                    "idleTimeoutSeconds": 30, "upscalingMode": "Default",
                    "resources": [
                        "requests": ["cpu": "500m", "memory": "512Mi"], "limits": ["cpu": "500m", "memory": "512Mi"],
                    ],
                    "imagePullPolicy": "IfNotPresent",
                ])
        // Never a container: the head keeps exactly one.
        #expect(cluster[["headGroupSpec", "template", "spec", "containers"]]?.arrayValue?.count == 1)
        let off = RayObjects.cluster(extra: ["enableInTreeAutoscaling": false])
        #expect(run(AutoscalerOptionsRule(), off, kind: kind).result.patch.isEmpty)
        #expect(run(AutoscalerOptionsRule(), RayObjects.cluster(), kind: kind).result.patch.isEmpty)
    }

    // MARK: gpu-visibility and gpu-toleration

    @Test(arguments: RayKind.allCases)
    func cpuContainersCannotSeeGPUs(kind: RayKind) {
        let workers = [
            RayObjects.group(RayObjects.container(limits: ["cpu": "4"]), name: "cpu"),
            RayObjects.group(RayObjects.container(limits: ["nvidia.com/gpu": 1]), name: "gpu"),
            RayObjects.group(RayObjects.container(limits: ["nvidia.com/mig-1g.5gb": "1"]), name: "mig"),
            RayObjects.group(
                RayObjects.container(env: [["name": "NVIDIA_VISIBLE_DEVICES", "value": "all"]]), name: "set"),
            RayObjects.group(RayObjects.container(limits: ["amd.com/gpu": "0"]), name: "zero"),
        ]
        let (_, cluster) = run(GPUVisibilityRule(), RayObjects.cluster(workers: workers), kind: kind)
        func env(_ pointer: JSONPointer) -> [String] {
            cluster[pointer]?.arrayValue?.map { "\($0["name"]?.stringValue ?? "")=\($0["value"]?.stringValue ?? "")" }
                ?? []
        }
        #expect(
            env(["headGroupSpec", "template", "spec", "containers", "0", "env"]) == ["NVIDIA_VISIBLE_DEVICES=void"])
        let worker = { (index: Int) -> [String] in
            env(["workerGroupSpecs", String(index), "template", "spec", "containers", "0", "env"])
        }
        #expect(worker(0) == ["NVIDIA_VISIBLE_DEVICES=void"])
        #expect(worker(1).isEmpty)
        #expect(worker(2).isEmpty)
        #expect(worker(3) == ["NVIDIA_VISIBLE_DEVICES=all"])
        #expect(worker(4) == ["NVIDIA_VISIBLE_DEVICES=void"])
    }

    @Test(arguments: RayKind.allCases)
    func gpuWorkersTolerateTheGPUTaint(kind: RayKind) {
        let tolerated: JSONObject = [
            "template": [
                "spec": [
                    "containers": [RayObjects.container(limits: ["nvidia.com/gpu": 1])],
                    "tolerations": [["key": "nvidia.com/gpu", "operator": "Equal", "value": "present"]],
                ]
            ]
        ]
        let workers = [
            RayObjects.group(RayObjects.container(limits: ["nvidia.com/gpu": "2"]), name: "gpu"),
            RayObjects.group(RayObjects.container(limits: ["cpu": "2"]), name: "cpu"),
            .object(tolerated),
        ]
        let head = RayObjects.group(
            RayObjects.container(ports: RayObjects.fullHeadPorts, limits: ["nvidia.com/gpu": 1]))
        let (result, cluster) = run(GPUTolerationRule(), RayObjects.cluster(head: head, workers: workers), kind: kind)
        #expect(
            cluster[["workerGroupSpecs", "0", "template", "spec", "tolerations"]]
                == [["key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"]])
        #expect(cluster[["workerGroupSpecs", "1", "template", "spec", "tolerations"]] == nil)
        #expect(cluster[["workerGroupSpecs", "2", "template", "spec", "tolerations"]]?.arrayValue?.count == 1)
        #expect(cluster[["headGroupSpec", "template", "spec", "tolerations"]] == nil)
        #expect(result.patch.operations.count == 2)
    }

    // MARK: gcs-ft-legacy

    @Test(arguments: [RayKind.rayCluster, .rayJob, .rayService])
    func legacyRedisAddressGetsTheAnnotationAndWorkerTimeout(kind: RayKind) {
        let head = RayObjects.group(
            RayObjects.container(
                ports: RayObjects.fullHeadPorts, env: [["name": "RAY_REDIS_ADDRESS", "value": "redis:6379"]]))
        let spec = RayObjects.cluster(head: head, workers: [RayObjects.group(RayObjects.container(), name: "w")])
        let (result, cluster) = run(LegacyGCSFaultToleranceRule(), spec, kind: kind, annotations: ["team": "a"])
        #expect(result.object[["metadata", "annotations"]] == ["team": "a", "ray.io/ft-enabled": "true"])
        #expect(
            cluster[["workerGroupSpecs", "0", "template", "spec", "containers", "0", "env"]]
                == [["name": "RAY_gcs_rpc_server_reconnect_timeout_s", "value": "600"]])
        #expect(result.patch.operations.first?.path.description == "/metadata/annotations/ray.io~1ft-enabled")
    }

    @Test func legacyRuleRespectsExplicitChoicesAndOptions() {
        let head = RayObjects.group(
            RayObjects.container(
                ports: RayObjects.fullHeadPorts, env: [["name": "RAY_REDIS_ADDRESS", "value": "redis:6379"]]))
        let worker = RayObjects.group(RayObjects.container(), name: "w")
        // An explicit "false" is the user's (V28 will say why it fails); nothing is added.
        let explicit = run(
            LegacyGCSFaultToleranceRule(), RayObjects.cluster(head: head, workers: [worker]), kind: .rayCluster,
            annotations: ["ray.io/ft-enabled": "false"])
        #expect(explicit.result.patch.isEmpty)
        // gcsFaultToleranceOptions set: never the annotation or the env (V27, V31).
        let options = RayObjects.cluster(
            head: head, workers: [worker], extra: ["gcsFaultToleranceOptions": ["redisAddress": "redis:6379"]])
        #expect(run(LegacyGCSFaultToleranceRule(), options, kind: .rayService).result.patch.isEmpty)
        // No Redis env: nothing to do. RayCronJob: not applicable.
        #expect(
            run(LegacyGCSFaultToleranceRule(), RayObjects.cluster(workers: [worker]), kind: .rayCluster).result.patch
                .isEmpty)
        #expect(
            run(LegacyGCSFaultToleranceRule(), RayObjects.cluster(head: head, workers: [worker]), kind: .rayCronJob)
                .result.patch.isEmpty)
    }

    // MARK: head-num-cpus-zero

    @Test(arguments: RayKind.allCases)
    func headNumCPUsZeroIsOptInAndRespectsV10(kind: RayKind) {
        let worker = RayObjects.group(RayObjects.container(), name: "w")
        let spec = RayObjects.cluster(workers: [worker])
        #expect(
            Defaulter(rules: [HeadNumCPUsZeroRule()]).create(RayObjects.wrap(spec, kind: kind), kind: kind).patch
                .isEmpty)
        #expect(
            run(HeadNumCPUsZeroRule(), spec, kind: kind).cluster[["headGroupSpec", "rayStartParams", "num-cpus"]] == "0"
        )
        let withResources = RayObjects.cluster(
            head: RayObjects.group(
                RayObjects.container(ports: RayObjects.fullHeadPorts), extra: ["resources": ["CPU": "2"]]),
            workers: [worker])
        #expect(run(HeadNumCPUsZeroRule(), withResources, kind: kind).result.patch.isEmpty)
        #expect(run(HeadNumCPUsZeroRule(), RayObjects.cluster(), kind: kind).result.patch.isEmpty)
        let set = RayObjects.cluster(
            head: RayObjects.group(RayObjects.container(), params: ["num-cpus": "1"]), workers: [worker])
        #expect(run(HeadNumCPUsZeroRule(), set, kind: kind).result.patch.isEmpty)
    }

    // MARK: submission-mode

    @Test func submissionModeIsWrittenWhenAbsent() {
        let job = run(SubmissionModeRule(), RayObjects.cluster(), kind: .rayJob).result
        #expect(job.object[["spec", "submissionMode"]] == "K8sJobMode")
        let cron = run(SubmissionModeRule(), RayObjects.cluster(), kind: .rayCronJob).result
        #expect(cron.object[["spec", "jobTemplate", "submissionMode"]] == "K8sJobMode")
        var http = RayObjects.wrap(RayObjects.cluster(), kind: .rayJob)
        http = (try? JSONPatch([.add(path: ["spec", "submissionMode"], value: "HTTPMode")]).apply(to: http)) ?? http
        #expect(Defaulter(rules: [SubmissionModeRule()]).create(http, kind: .rayJob).patch.isEmpty)
        #expect(run(SubmissionModeRule(), RayObjects.cluster(), kind: .rayCluster).result.patch.isEmpty)
    }

    // MARK: robustness

    @Test(arguments: RayKind.allCases)
    func wrongTypesAnywhereNeverCrashAndNeverOverwrite(kind: RayKind) {
        let broken: [JSONValue] = [
            ["headGroupSpec": "nope"],
            ["headGroupSpec": ["template": ["spec": ["containers": "x"]]], "workerGroupSpecs": 5],
            [
                "headGroupSpec": [
                    "rayStartParams": [1, 2],
                    "template": ["spec": ["containers": [["name": "r", "ports": "p", "env": 3]]]],
                ],
                "workerGroupSpecs": [
                    ["template": ["spec": ["containers": [["resources": ["limits": "x"]]], "tolerations": "t"]]], .null,
                ],
                "enableInTreeAutoscaling": true, "autoscalerOptions": "o",
            ],
            .null, "spec", [],
        ]
        for spec in broken {
            let object = RayObjects.wrap(spec, kind: kind)
            let result = Defaulter(configuration: DefaultingConfiguration().enabling("head-num-cpus-zero")).create(
                object, kind: kind)
            for operation in result.patch.operations {
                if case .replace = operation { Issue.record("replaced \(operation.path) in \(spec.jsonString)") }
            }
            #expect((try? result.patch.apply(to: object)) == result.object)
        }
    }
}
