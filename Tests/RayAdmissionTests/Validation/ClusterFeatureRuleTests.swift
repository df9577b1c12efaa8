import RayAdmission
import Testing

/// Priority, history server, auth, network policy and mTLS rules, each under its own id, in every kind.
struct ClusterFeatureRuleTests {
    static let allGates = ValidationCorpusTests.allGates
    static let worker: JSONPointer = ["workerGroupSpecs", "0"]
    static let workerContainer: JSONPointer = ["workerGroupSpecs", "0", "template", "spec", "containers", "0"]
    static let headContainer: JSONPointer = ["headGroupSpec", "template", "spec", "containers", "0"]

    /// Denials as "rule:field", fields relative to the cluster spec.
    func denials(_ kind: RayKind, _ changes: [JSONPatchOperation], gates: FeatureGates = allGates) throws -> Set<String>
    {
        let cluster = ClusterSpecLocation(kind: kind)
        let rebased = changes.map { change -> JSONPatchOperation in
            if case .add(let path, let value) = change {
                return .add(path: JSONPointer(tokens: cluster.pointer.tokens + path.tokens), value: value)
            }
            return change
        }
        let object = try JSONPatch(rebased).apply(to: ValidationRuleTests.base(kind))
        let prefix = cluster.fieldPath.description + "."
        return Set(
            Validator(featureGates: gates).validate(object, kind: kind, operation: .create).denials.map { denial in
                let field = denial.field.description
                return "\(denial.rule?.rawValue ?? ""):"
                    + (field.hasPrefix(prefix) ? String(field.dropFirst(prefix.count)) : field)
            })
    }

    @Test(arguments: RayKind.allCases)
    func priority(kind: RayKind) throws {
        let priority: JSONPatchOperation = .add(path: Self.worker.appending("priority"), value: 5)
        #expect(
            try denials(kind, [priority]) == ["V25:workerGroupSpecs[0].priority", "V26:workerGroupSpecs[0].priority"])
        #expect(
            try denials(kind, [priority, .add(path: ["rayVersion"], value: "")]).contains(
                "V23:workerGroupSpecs[0].priority"))
        #expect(
            try denials(kind, [priority, .add(path: ["rayVersion"], value: "latest")]).contains(
                "V24:workerGroupSpecs[0].priority"))
        #expect(
            try denials(
                kind,
                [
                    priority, .add(path: ["rayVersion"], value: "2.56.0"),
                    .add(path: ["enableInTreeAutoscaling"], value: true),
                    .add(path: ["autoscalerOptions"], value: ["version": "v2"]),
                ]
            ).isEmpty)
    }

    @Test(arguments: RayKind.allCases)
    func historyServer(kind: RayKind) throws {
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
        let valid: JSONPatchOperation = .add(
            path: ["historyServerOptions"],
            value: [
                "collectorOptions": [
                    "image": "c",
                    "env": [["name": "STORAGE_BACKEND", "value": "gcs"], ["name": "GCS_BUCKET", "value": "b"]],
                ]
            ])
        #expect(try denials(kind, [valid]).isEmpty)
        #expect(
            try denials(
                kind,
                [
                    valid,
                    .add(
                        path: ["headGroupSpec", "template", "spec", "containers", "-"],
                        value: ["name": "ray-history-collector"]),
                ])
                == ["V58:headGroupSpec.template.spec.containers[1].name"])
        #expect(
            try denials(
                kind,
                [
                    valid,
                    .add(
                        path: ["workerGroupSpecs", "0", "template", "spec", "containers", "-"],
                        value: ["name": "ray-history-collector"]),
                ])
                == ["V59:workerGroupSpecs[0].template.spec.containers[1].name"])
    }

    @Test(arguments: RayKind.allCases)
    func tokenAuth(kind: RayKind) throws {
        let token: JSONPatchOperation = .add(path: ["authOptions"], value: ["mode": "token"])
        #expect(try denials(kind, [token]).isEmpty)
        #expect(try denials(kind, [token, .add(path: ["rayVersion"], value: "")]) == ["V60:rayVersion"])
        #expect(try denials(kind, [token, .add(path: ["rayVersion"], value: "x.y")]) == ["V61:rayVersion"])
        #expect(try denials(kind, [token, .add(path: ["rayVersion"], value: "2.51.0")]) == ["V62:rayVersion"])
        let k8s = try denials(
            kind, [.add(path: ["authOptions"], value: ["enableK8sTokenAuth": true, "secretName": "s"])])
        for expected in ["V63:rayVersion", "V64:authOptions.secretName", "V65:authOptions.mode"] {
            #expect(k8s.contains(expected), "\(kind): \(k8s)")
        }
    }

    @Test(arguments: RayKind.allCases)
    func networkPolicy(kind: RayKind) throws {
        #expect(
            try denials(
                kind,
                [
                    .add(
                        path: ["networkPolicy"],
                        value: [
                            "mode": "DenyAllEgress", "head": ["ingressRules": [[:]]],
                            "workerGroups": [["groupName": "nope", "ingressRules": [[:]]]],
                        ])
                ]) == [
                    "V67:networkPolicy.head.ingressRules", "V72:networkPolicy.workerGroups[0].ingressRules",
                    "V73:networkPolicy.workerGroups[0].groupName",
                ])
        #expect(
            try denials(
                kind,
                [
                    .add(
                        path: ["networkPolicy"],
                        value: [
                            "mode": "DenyAllIngress", "head": ["egressRules": [[:]]],
                            "worker": ["egressRules": [[:]], "ingressRules": [[:]]],
                        ])
                ]) == ["V68:networkPolicy.head.egressRules", "V70:networkPolicy.worker.egressRules"])
        #expect(
            try denials(
                kind,
                [.add(path: ["networkPolicy"], value: ["mode": "DenyAllEgress", "worker": ["ingressRules": [[:]]]])])
                == ["V69:networkPolicy.worker.ingressRules"])
    }

    @Test(arguments: RayKind.allCases)
    func mutualTLS(kind: RayKind) throws {
        let on: JSONPatchOperation = .add(path: ["tlsOptions"], value: ["enabled": true])
        #expect(
            try denials(
                kind,
                [
                    on,
                    .add(path: Self.headContainer.appending("env"), value: [["name": "RAY_USE_TLS", "value": "1"]]),
                    .add(
                        path: Self.headContainer.appending("volumeMounts"),
                        value: [["name": "certs", "mountPath": "/etc/ray/tls"]]),
                    .add(
                        path: Self.workerContainer.appending("env"), value: [["name": "RAY_TLS_CA_CERT", "value": "x"]]),
                    .add(
                        path: Self.workerContainer.appending("volumeMounts"),
                        value: [["name": "ray-tls", "mountPath": "/x"]]),
                    .add(
                        path: ["autoscalerOptions"],
                        value: [
                            "env": [["name": "RAY_USE_TLS", "value": "1"]],
                            "volumeMounts": [["name": "ray-tls", "mountPath": "/y"]],
                        ]),
                ]) == [
                    "V75:headGroupSpec.template.spec.containers[0].env[0]",
                    "V76:headGroupSpec.template.spec.containers[0].volumeMounts[0]",
                    "V77:workerGroupSpecs[0].template.spec.containers[0].env[0]",
                    "V78:workerGroupSpecs[0].template.spec.containers[0].volumeMounts[0]",
                    "V79:autoscalerOptions.env[0]", "V80:autoscalerOptions.volumeMounts[0]",
                ])
        // With the gate off only V74 speaks; the TLS-on checks do not apply.
        #expect(try denials(kind, [on], gates: FeatureGates()) == ["V74:tlsOptions"])
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

    @Test func rayVersionsParseLikeKubernetes() throws {
        func format(_ version: String) throws -> Set<String> {
            try denials(
                .rayCluster,
                [
                    .add(path: ["authOptions"], value: ["mode": "token"]),
                    .add(path: ["rayVersion"], value: .string(version)),
                ])
        }
        for good in ["2.53.0", "v2.60", " 2.60.1-rc1"] { #expect(try format(good).isEmpty, "\(good)") }
        for bad in ["2", "invalid", "02.1.0"] { #expect(try format(bad) == ["V61:rayVersion"], "\(bad)") }
    }
}
