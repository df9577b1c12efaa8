import RayAdmission

/// What one fuzz input goes through: every front door of the admission library, with the
/// invariants that must hold for any input. A broken invariant traps, which libFuzzer reports
/// as a crash and saves as a reproducer.
///
/// - The JSON parser either refuses the bytes or gives a value that encodes and parses back equal.
/// - The review decoder's parser, which checks `managedFields` without building it, accepts what
///   the full parser accepts and gives the same document less those members; it accepts more only
///   when the difference is a duplicate key inside a skipped member.
/// - The review decoder either refuses the bytes or gives a request that every endpoint answers,
///   under the built-in policy and under one with constraints and injection.
/// - A patch from /mutate applies to the object it came with, and defaulting the patched object
///   again changes nothing (defaults are idempotent).
/// - `ray-admission check` reads the bytes as YAML without trapping.
struct FuzzHarness: Sendable {
    let engines: [PolicyEngine]
    let parser = JSONParser()

    static let policy = """
        defaults:
          featureGates: { RayCronJob: true, RayJobDeletionPolicy: true, RayServiceIncrementalUpgrade: true }
          constraints:
            allowedImages: ["rayproject/*", "docker.io/rayproject/*"]
            maxGPUsPerCluster: 8
            maxWorkersPerGroup: 10
            maxCPUPerPod: "16"
            maxMemoryPerPod: 64Gi
            requiredLabels: [team]
            forbidPrivileged: true
          inject:
            labels: { owner: platform }
            env: { RAY_USAGE_STATS_ENABLED: "0" }
            tolerations: [{ key: dedicated, operator: Equal, value: ray, effect: NoSchedule }]
        namespaces:
          - match: ["audit-*"]
            rules: { "*": audit }
          - match: ["strict-*"]
            allowExistingViolations: false
        """

    /// Rules whose existing violations admit an update.
    let ratcheting = Set(ValidationCatalog.rules.filter(\.ratchets).map(\.descriptor.id))

    init() {
        // A policy that does not load would leave half the harness silently unused.
        guard let policy = try? PolicyLoader().load(Self.policy) else {
            preconditionFailure("the fuzz harness's policy does not load")
        }
        engines = [PolicyEngine(), PolicyEngine(policy: policy, version: "fuzz")]
    }

    func exercise(_ bytes: UnsafeRawBufferPointer) {
        exerciseJSON(bytes)
        exerciseSkipping(bytes)
        exerciseReview(bytes)
        if let text = String(validating: bytes, as: UTF8.self) {
            _ = try? ManifestChecker(engine: engines[engines.count - 1]).check(yaml: text, source: "fuzz")
        }
    }

    private func exerciseJSON(_ bytes: UnsafeRawBufferPointer) {
        guard let value = try? parser.parse(bytes) else { return }
        let encoded = value.encoded()
        guard let again = try? parser.parse(encoded) else {
            preconditionFailure("encoded JSON does not parse: \(String(decoding: encoded.prefix(200), as: UTF8.self))")
        }
        precondition(again == value, "JSON does not round-trip")
    }

    private func exerciseSkipping(_ bytes: UnsafeRawBufferPointer) {
        let skipped = try? AdmissionReviewDecoding.parser.parse(bytes)
        do {
            var expected = try parser.parse(bytes)
            for member in [["request", "object"], ["request", "oldObject"]] {
                let path = JSONPointer(tokens: member + ["metadata", "managedFields"])
                if let removed = try? JSONPatch([.remove(path: path)]).apply(to: expected) { expected = removed }
            }
            precondition(skipped == expected, "skipping managedFields changed more than those members")
        } catch {
            guard skipped != nil else { return }
            guard case .duplicateKey = error.reason else {
                preconditionFailure("the skipping parser accepted what the full parser refuses: \(error)")
            }
        }
    }

    private func exerciseReview(_ bytes: UnsafeRawBufferPointer) {
        guard let request = try? AdmissionReviewDecoding.decode(bytes) else { return }
        exerciseExistingViolations(request)
        for engine in engines {
            for endpoint in AdmissionEndpoint.allCases {
                let outcome = engine.review(request, endpoint: endpoint)
                let encoded = AdmissionReviewEncoding.encode(outcome.response)
                precondition((try? parser.parse(encoded)) != nil, "the encoded response is not JSON")
                guard !outcome.response.patch.isEmpty, let object = request.object else { continue }
                guard let patched = try? outcome.response.patch.apply(to: object) else {
                    preconditionFailure("the patch does not apply to its own object")
                }
                var again = request
                again.object = patched
                let second = engine.review(again, endpoint: .mutate)
                precondition(
                    second.response.patch.isEmpty,
                    "defaulting is not idempotent: \(second.response.patch.operations.map(\.path))")
            }
        }
    }

    /// A label added to an object is an update that changes no violation: whatever the object
    /// breaks, every denial of a rule that ratchets must come back as an existing violation.
    private func exerciseExistingViolations(_ request: AdmissionRequest) {
        guard let kind = RayKind(request.kind), let object = request.object,
            case .object? = object["metadata"]
        else { return }
        let labels = object["metadata"]?["labels"]
        let touch: JSONPatchOperation =
            labels == nil
            ? .add(path: ["metadata", "labels"], value: ["fuzz.example/touched": "yes"])
            : .add(path: ["metadata", "labels", "fuzz.example/touched"], value: "yes")
        guard let touched = try? JSONPatch([touch]).apply(to: object) else { return }
        for engine in engines {
            let validator = engine.pipeline(forNamespace: object["metadata"]?["namespace"]?.stringValue ?? "").validator
            guard validator.allowExistingViolations else { continue }
            let result = validator.validate(touched, kind: kind, operation: .update, oldObject: object)
            let denied = result.denials.compactMap(\.rule).filter(ratcheting.contains)
            precondition(denied.isEmpty, "a label edit was denied for the stored object's violations: \(denied)")
        }
    }
}
