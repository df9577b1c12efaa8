import RayAdmission
import Testing

/// Every Ray resource in KubeRay's samples, through the mutating pipeline.
struct DefaultingCorpusTests {
    static let resources: [(path: String, object: JSONValue)] = (try? Fixtures.rayResources()) ?? []
    static let labels = resources.enumerated().map { "\($0.offset):\($0.element.path)" }
    let everyRule = Defaulter(configuration: DefaultingConfiguration().enabling("head-num-cpus-zero"))

    func resource(_ label: String) throws -> (path: String, object: JSONValue, kind: RayKind) {
        let index = try #require(Int(label.prefix { $0 != ":" }))
        let resource = Self.resources[index]
        let kind = try #require(resource.object["kind"]?.stringValue.flatMap(RayKind.init(rawValue:)))
        return (resource.path, resource.object, kind)
    }

    @Test func theCorpusIsThere() {
        #expect(Self.resources.count >= 89)
    }

    @Test(arguments: labels)
    func patchIsExactIdempotentAndSchemaValid(_ label: String) throws {
        let (path, object, kind) = try resource(label)
        for defaulter in [Defaulter(), everyRule] {
            let result = defaulter.create(object, kind: kind)
            // The wire form of the patch, applied by the RFC 6902 implementation, gives the result.
            let wire = try JSONPatch(json: JSONParser().parse(result.patch.encoded()))
            let patched = try wire.apply(to: object)
            #expect(patched == result.object, "\(path)")
            // Idempotent: defaulting the result changes nothing.
            let again = defaulter.create(result.object, kind: kind)
            #expect(again.patch.isEmpty, "\(path): second pass \(again.patch.jsonValue.jsonString)")
            // Only adds and replaces of values we own; never a remove, never a whole-spec replace.
            for operation in result.patch.operations {
                switch operation {
                case .add, .replace: break
                default: Issue.record("\(path): unexpected \(operation.name)")
                }
                #expect(operation.path.tokens.count >= 2, "\(path): \(operation.path)")
            }
            // Whatever we write still satisfies the CRD schema (and adds no new violation).
            let schema = try CRDSchema.load(kind: kind)
            let before = Set(schema.errors(in: object))
            let after = Set(schema.errors(in: result.object))
            #expect(after.subtracting(before).isEmpty, "\(path): \(after.subtracting(before).sorted())")
            #expect(after.isEmpty, "\(path): schema errors after defaulting: \(after.sorted().prefix(5))")
        }
    }

    @Test(arguments: labels)
    func nothingThatKubeRayForbidsIsWritten(_ label: String) throws {
        let (path, object, kind) = try resource(label)
        let result = everyRule.create(object, kind: kind)
        let cluster = ClusterSpecLocation(kind: kind)
        let hasOptions = !(result.object[cluster.pointer.appending("gcsFaultToleranceOptions")]?.isNull ?? true)
        for operation in result.patch.operations {
            let text = operation.jsonValue.jsonString
            // §7.A: no autoscaler container, no Redis/TLS/storage env, no `labels` start parameter.
            #expect(
                !operation.path.tokens.contains("containers") || operation.path.tokens.count > 6, "\(path): \(text)")
            for forbidden in [
                "RAY_REDIS_ADDRESS", "REDIS_PASSWORD", "REDIS_USERNAME", "RAY_gcs_storage", "RAY_USE_TLS",
                "KUBERAY_GEN", "RAY_enable_autoscaler_v2", "\"labels\"", "/labels\"",
            ] {
                #expect(!text.contains(forbidden), "\(path): \(text)")
            }
            if hasOptions {
                #expect(!text.contains("ft-enabled") && !text.contains("RAY_gcs_rpc_server"), "\(path): \(text)")
            }
            // V10/V18: no resource start parameter next to a group resources map.
            if operation.path.lastToken == "num-cpus", let groupPointer = operation.path.parent?.parent {
                #expect(result.object[groupPointer.appending("resources")]?.objectValue?.isEmpty ?? true, "\(path)")
            }
        }
    }

    @Test func theCorpusExercisesEveryDefaultRule() throws {
        var fired = Set<RuleID>()
        for resource in Self.resources {
            let kind = try #require(resource.object["kind"]?.stringValue.flatMap(RayKind.init(rawValue:)))
            fired.formUnion(everyRule.create(resource.object, kind: kind).rulesApplied)
        }
        // Every rule but the ones whose trigger the samples never contain (numbers in string maps,
        // legacy Redis FT, a missing submissionMode) fires somewhere in the corpus.
        for id: RuleID in [
            "head-ports", "worker-metrics-port", "dashboard-host", "autoscaler-options", "gpu-visibility",
            "gpu-toleration", "head-num-cpus-zero",
        ] {
            #expect(fired.contains(id), "\(id) never fired")
        }
    }
}
