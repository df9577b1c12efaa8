import RayAdmission
import Testing

struct AutoscalerCronAndUpdateRuleTests {
    func denials(
        _ kind: RayKind, _ changes: [JSONPatchOperation], operation: AdmissionOperation = .create, old: JSONValue? = nil
    )
        throws -> [String]
    {
        let object = try JSONPatch(changes).apply(to: ValidationRuleTests.base(kind))
        return Validator().validate(object, kind: kind, operation: operation, oldObject: old)
            .denials.map { "\($0.rule?.rawValue ?? ""):\($0.field)" }
    }

    @Test(arguments: RayKind.allCases)
    func autoscalerRules(kind: RayKind) throws {
        let cluster = ClusterSpecLocation(kind: kind).pointer
        let prefix = ClusterSpecLocation(kind: kind).fieldPath.description
        let headEnv = cluster.appending("headGroupSpec").appending("template").appending("spec").appending("containers")
            .appending(0).appending("env")
        let worker = cluster.appending("workerGroupSpecs").appending(0)
        let autoscaling: JSONPatchOperation = .add(path: cluster.appending("enableInTreeAutoscaling"), value: true)
        #expect(
            try denials(kind, [.add(path: headEnv, value: [["name": "RAY_enable_autoscaler_v2", "value": "true"]])])
                == ["V45:\(prefix).headGroupSpec.template.spec.containers[0].env[0]"])
        #expect(
            try denials(kind, [autoscaling, .add(path: worker.appending("suspend"), value: true)])
                == ["V46:\(prefix).workerGroupSpecs[0].suspend"])
        #expect(
            try denials(
                kind,
                [
                    autoscaling, .add(path: cluster.appending("autoscalerOptions"), value: ["version": "v1"]),
                    .add(path: headEnv, value: [["name": "RAY_enable_autoscaler_v2", "value": "false"]]),
                ])
                == ["V47:\(prefix).headGroupSpec.template.spec.containers[0].env[0]"])
        #expect(
            try Set(
                denials(
                    kind,
                    [
                        autoscaling, .add(path: cluster.appending("autoscalerOptions"), value: ["version": "v2"]),
                        .add(
                            path: cluster.appending("headGroupSpec").appending("template").appending("spec").appending(
                                "restartPolicy"), value: "Always"),
                        .add(
                            path: worker.appending("template").appending("spec").appending("restartPolicy"),
                            value: "OnFailure"),
                    ]))
                == [
                    "V48:\(prefix).headGroupSpec.template.spec.restartPolicy",
                    "V49:\(prefix).workerGroupSpecs[0].template.spec.restartPolicy",
                ])
        #expect(
            try denials(
                kind,
                [
                    .add(
                        path: cluster.appending("autoscalerOptions"),
                        value: [
                            "idleTimeoutSeconds": .number(JSONNumber(-1)),
                            "env": [["name": "KUBERAY_GEN_AUTOSCALER_START_CMD", "value": "x"]],
                        ])
                ]) == ["V50:\(prefix).autoscalerOptions.idleTimeoutSeconds", "V51:\(prefix).autoscalerOptions.env[0]"])
        // v2 with Never and autoscaling on is fine.
        #expect(
            try denials(
                kind, [autoscaling, .add(path: cluster.appending("autoscalerOptions"), value: ["version": "v2"])]
            ).isEmpty)
    }

    @Test func cronSchedulesAndTimeZones() throws {
        for good in [
            "*/5 * * * *", "0 9-17 * * MON-FRI", "15,45 */2 1-15/3 jan-jun ?", "@daily", "@every 1h30m", "0 0 1 1 *",
        ] {
            #expect(
                try denials(.rayCronJob, [.replace(path: ["spec", "schedule"], value: .string(good))]).isEmpty,
                "\(good)")
        }
        for bad in [
            "* * * *", "60 * * * *", "* 24 * * *", "* * 0 * *", "* * * 13 *", "* * * * 7", "*/0 * * * *", "5-1 * * * *",
            "@often", "@every x",
        ] {
            #expect(
                try denials(.rayCronJob, [.replace(path: ["spec", "schedule"], value: .string(bad))]) == [
                    "V135:spec.schedule"
                ], "\(bad)")
        }
        #expect(
            try denials(.rayCronJob, [.replace(path: ["spec", "schedule"], value: "CRON_TZ=UTC 0 * * * *")]) == [
                "V134:spec.schedule"
            ])
        #expect(try denials(.rayCronJob, [.add(path: ["spec", "timeZone"], value: "")]) == ["V136:spec.timeZone"])
        #expect(
            try denials(.rayCronJob, [.add(path: ["spec", "timeZone"], value: "Invalid/Zone")]) == [
                "V137:spec.timeZone"
            ])
        #expect(try denials(.rayCronJob, [.add(path: ["spec", "timeZone"], value: "America/New_York")]).isEmpty)
    }

    @Test func immutableFieldsOnUpdate() throws {
        let cluster = ClusterSpecLocation(kind: .rayService).pointer
        let backend = cluster.appending("gcsFaultToleranceOptions")
        let old = try JSONPatch([.add(path: backend, value: ["redisAddress": "r:6379", "backend": "redis"])])
            .apply(to: ValidationRuleTests.base(.rayService))
        let changed = try JSONPatch([
            .replace(path: backend.appending("backend"), value: "rocksdb"),
            .remove(path: backend.appending("redisAddress")),
        ]).apply(to: old)
        let result = Validator(featureGates: FeatureGates(["GCSFaultToleranceEmbeddedStorage": true]))
            .validate(changed, kind: .rayService, operation: .update, oldObject: old)
        #expect(
            result.denials.map { "\($0.rule?.rawValue ?? ""):\($0.field)" } == [
                "C02:spec.rayClusterConfig.gcsFaultToleranceOptions.backend"
            ])
        // Create is not a transition; the same object is fine then.
        #expect(
            Validator(featureGates: FeatureGates(["GCSFaultToleranceEmbeddedStorage": true]))
                .validate(changed, kind: .rayService, operation: .create).denials.isEmpty)
        let managedOld = try JSONPatch([.add(path: ["spec", "managedBy"], value: "ray.io/kuberay-operator")]).apply(
            to: ValidationRuleTests.base(.rayJob))
        #expect(
            try denials(
                .rayJob, [.add(path: ["spec", "managedBy"], value: "kueue.x-k8s.io/multikueue")], operation: .update,
                old: managedOld)
                == ["C01:spec.managedBy"])
    }
}
