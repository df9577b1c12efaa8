import RayAdmission
import Testing

/// Priority, history server, auth, network policy and mTLS rules, in every kind.
struct ClusterFeatureRuleTests {
    static let allGates = ValidationCorpusTests.allGates

    func denials(_ kind: RayKind, _ changes: [JSONPatchOperation], gates: FeatureGates = allGates) throws -> Set<String>
    {
        let cluster = ClusterSpecLocation(kind: kind).pointer
        let rebased = changes.map { change -> JSONPatchOperation in
            if case .add(let path, let value) = change {
                return .add(path: JSONPointer(tokens: cluster.tokens + path.tokens), value: value)
            }
            return change
        }
        let object = try JSONPatch(rebased).apply(to: ValidationRuleTests.base(kind))
        let prefix = ClusterSpecLocation(kind: kind).fieldPath.description + "."
        return Set(
            Validator(featureGates: gates).validate(object, kind: kind, operation: .create).denials.map {
                "\($0.rule?.rawValue ?? ""):\($0.field.description.replacingPrefix(prefix))"
            })
    }

    @Test(arguments: RayKind.allCases)
    func priorityHistoryAuthNetworkAndTLS(kind: RayKind) throws {
        let worker: JSONPointer = ["workerGroupSpecs", "0"]
        #expect(
            try denials(kind, [.add(path: worker.appending("priority"), value: 5)]) == [
                "V23:workerGroupSpecs[0].priority", "V26:workerGroupSpecs[0].priority",
            ])
        #expect(
            try denials(kind, [.add(path: ["historyServerOptions"], value: [:])]) == [
                "V53:historyServerOptions.collectorOptions"
            ])
        #expect(
            try denials(
                kind,
                [
                    .add(
                        path: ["historyServerOptions"],
                        value: [
                            "collectorOptions": [
                                "env": [["name": "POD_IP", "value": "x"], ["name": "STORAGE_BACKEND", "value": "s3"]]
                            ]
                        ])
                ]) == [
                    "V54:historyServerOptions.collectorOptions.image",
                    "V55:historyServerOptions.collectorOptions.env[0]",
                    "V57:historyServerOptions.collectorOptions.env",
                ])
        #expect(
            try denials(
                kind, [.add(path: ["historyServerOptions"], value: ["collectorOptions": ["image": "c", "env": []]])])
                == ["V56:historyServerOptions.collectorOptions.env"])
        #expect(
            try denials(
                kind,
                [
                    .add(
                        path: ["historyServerOptions"],
                        value: [
                            "collectorOptions": [
                                "image": "c",
                                "env": [
                                    ["name": "STORAGE_BACKEND", "value": "gcs"], ["name": "GCS_BUCKET", "value": "b"],
                                ],
                            ]
                        ])
                ]
            ).isEmpty)
        #expect(
            try denials(
                kind,
                [
                    .add(path: ["authOptions"], value: ["mode": "token"]),
                    .add(path: ["rayVersion"], value: "2.51.0"),
                ]) == ["V60:rayVersion"])
        #expect(try denials(kind, [.add(path: ["authOptions"], value: ["mode": "token"])]).isEmpty)
        var expectedK8s: Set<String> = ["V63:rayVersion", "V64:authOptions.secretName", "V65:authOptions.mode"]
        if kind == .rayJob || kind == .rayCronJob { expectedK8s.insert("V114:") }
        if kind == .rayService { expectedK8s.insert("V121:") }
        let k8s = try denials(
            kind, [.add(path: ["authOptions"], value: ["enableK8sTokenAuth": true, "secretName": "s"])])
        #expect(Set(k8s.map { $0.hasPrefix("V114:") ? "V114:" : $0.hasPrefix("V121:") ? "V121:" : $0 }) == expectedK8s)
        #expect(
            try denials(
                kind,
                [
                    .add(
                        path: ["networkPolicy"],
                        value: [
                            "mode": "DenyAllEgress", "head": ["ingressRules": [[:]]],
                            "workerGroups": [["groupName": "nope", "egressRules": [[:]]]],
                        ])
                ]) == ["V67:networkPolicy.head.ingressRules", "V73:networkPolicy.workerGroups[0].groupName"])
        #expect(
            try denials(
                kind,
                [
                    .add(path: ["tlsOptions"], value: ["enabled": true]),
                    .add(
                        path: ["headGroupSpec", "template", "spec", "containers", "0", "env"],
                        value: [["name": "RAY_USE_TLS", "value": "1"]]),
                    .add(
                        path: ["autoscalerOptions"], value: ["volumeMounts": [["name": "ray-tls", "mountPath": "/x"]]]),
                ])
                == ["V75:headGroupSpec.template.spec.containers[0].env[0]", "V79:autoscalerOptions.volumeMounts[0]"])
        // With the gate off, V74 denies and the TLS-on checks do not apply.
        #expect(
            try denials(kind, [.add(path: ["tlsOptions"], value: ["enabled": true])], gates: FeatureGates()) == [
                "V74:tlsOptions"
            ])
    }

    @Test func groupNamesMustBeDNSLabelsWithNetworkPolicy() throws {
        let object = try JSONPatch([
            .add(path: ["spec", "networkPolicy"], value: [:]),
            .replace(path: ["spec", "workerGroupSpecs", "0", "groupName"], value: "GPU-Group"),
        ]).apply(to: ValidationRuleTests.base(.rayCluster))
        let denials = Validator(featureGates: Self.allGates).validate(object, kind: .rayCluster, operation: .create)
            .denials
        #expect(denials.map { "\($0.rule?.rawValue ?? ""):\($0.field)" } == ["V71:spec.workerGroupSpecs[0].groupName"])
    }

    @Test func rayVersionsParseLikeKubernetes() {
        #expect(
            RayVersionProbe.parses("2.53.0") && RayVersionProbe.parses("v2.9") && RayVersionProbe.parses(" 2.10.1-rc1"))
        #expect(!RayVersionProbe.parses("2") && !RayVersionProbe.parses("invalid") && !RayVersionProbe.parses("02.1.0"))
    }
}

extension String {
    fileprivate func replacingPrefix(_ prefix: String) -> String {
        hasPrefix(prefix) ? String(dropFirst(prefix.count)) : self
    }
}

/// Probes `rayVersion` parsing through the rules (the parser itself is internal): a token-auth
/// cluster with this version is judged "invalid format" exactly when it does not parse.
enum RayVersionProbe {
    static func parses(_ version: String) -> Bool {
        let object =
            (try? JSONPatch([
                .add(path: ["spec", "authOptions"], value: ["mode": "token"]),
                .add(path: ["spec", "rayVersion"], value: .string(version)),
            ]).apply(to: ValidationRuleTests.base(.rayCluster))) ?? .null
        let denials = Validator().validate(object, kind: .rayCluster, operation: .create).denials
        return !denials.contains { $0.detail.contains("format is invalid") }
    }
}
