import Foundation
import RayAdmission

// Micro-benchmark of the admission pipeline alone, no HTTP or TLS: the CPU a review costs us.
// Usage: swift run -c release ray-admission-bench [REVIEW.json] [ITERATIONS]
//        BENCH_ONLY='review (validate)' ... runs one stage alone, for a profiler.
// Prints CPU microseconds per operation (fastest of five rounds) for each stage and for the whole
// (decode → review → encode).

let arguments = CommandLine.arguments
let path = arguments.count > 1 ? arguments[1] : "Tests/RayAdmissionTests/Fixtures/reviews/raycluster-create.json"
let iterations = arguments.count > 2 ? Int(arguments[2]) ?? 20_000 : 20_000
guard let data = FileManager.default.contents(atPath: path) else {
    FileHandle.standardError.write(Data("cannot read \(path)\n".utf8))
    exit(2)
}
let body = [UInt8](data)
let pipeline = AdmissionPipeline()
let request = try AdmissionReviewDecoding.decode(body)

func cpuMicroseconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1e6
        + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec)
}

/// Runs `body` in five rounds of `count / 5` after a warm-up and returns the fastest round's CPU
/// microseconds per run: on a shared VM the minimum is the figure that repeats.
/// `BENCH_ONLY=prefix` runs only the stages whose name starts with it, so `perf record` sees one loop.
let only = ProcessInfo.processInfo.environment["BENCH_ONLY"]

func measure(_ name: String, count: Int, _ body: () throws -> Void) rethrows -> Double {
    if let only, !name.hasPrefix(only) { return 0 }
    for _ in 0..<min(count / 10, 1000) { try body() }
    let rounds = 5
    let perRound = max(1, count / rounds)
    var best = Double.infinity
    for _ in 0..<rounds {
        let start = cpuMicroseconds()
        for _ in 0..<perRound { try body() }
        best = min(best, (cpuMicroseconds() - start) / Double(perRound))
    }
    print(name.padding(toLength: 34, withPad: " ", startingAt: 0) + String(format: "%9.2f µs/op", best))
    return best
}

print("review: \(path) (\(body.count) bytes), \(iterations) iterations")
var sink = 0
let validation = pipeline.review(request, endpoint: .validate).response
print("validate: allowed \(validation.allowed), \(validation.warnings.count) warnings")
for warning in validation.warnings { print("  \(warning)") }
_ = try measure("parse JSON", count: iterations) { sink &+= try JSONParser().parse(body).objectValue?.count ?? 0 }
_ = try measure("decode AdmissionReview", count: iterations) {
    sink &+= try AdmissionReviewDecoding.decode(body).uid.count
}
for endpoint in AdmissionEndpoint.allCases {
    _ = measure("review (\(endpoint.rawValue))", count: iterations) {
        sink &+= pipeline.review(request, endpoint: endpoint).rules.count
    }
}
// An UPDATE from the autoscaler (one replica count changed), judged without a finding to ratchet,
// and under a policy the stored object already breaks: then the stored object is judged too, and
// every denial compared with it (existing violations).
if let kind = RayKind(request.kind), let object = request.object {
    let replicas = ClusterSpecLocation.of(kind).pointer.appending("workerGroupSpecs", "0", "replicas")
    var scaled = object
    try? scaled.apply(.replace(path: replicas, value: 7))
    var update = request
    update.operation = .update
    update.object = scaled
    update.oldObject = object
    _ = measure("review (validate, UPDATE)", count: iterations) {
        sink &+= pipeline.review(update, endpoint: .validate).rules.count
    }
    let strict = PolicyEngine(
        policy: try PolicyLoader().load("defaults: { constraints: { allowedImages: [registry.example.com/*] } }"))
    _ = measure("review (validate, UPDATE, existing)", count: iterations) {
        sink &+= strict.review(update, endpoint: .validate).rules.count
    }
}
if let kind = RayKind(request.kind), let object = request.object {
    for rule in DefaultingCatalog.rules where rule.descriptor.kinds.contains(kind) {
        let single = Defaulter(rules: [rule], configuration: DefaultingConfiguration().enabling(rule.descriptor.id))
        _ = measure("  default: \(rule.descriptor.id)", count: iterations / 4) {
            sink &+= single.apply(to: object, kind: kind, operation: request.operation).patch.operations.count
        }
    }
}
if let object = request.object {
    let env: JSONPointer = ["spec", "workerGroupSpecs", "0", "template", "spec", "containers", "0", "env"]
    _ = measure("  PatchingDocument.append (1 op)", count: iterations / 4) {
        var document = PatchingDocument(object)
        try? document.append(["name": "X", "value": "1"], toArrayAt: env, rule: "bench")
        sink &+= document.recorded.count
    }
    let container: JSONPointer = ["spec", "workerGroupSpecs", "0", "template", "spec", "containers", "0"]
    _ = measure("  PatchingDocument.set deep (1 op)", count: iterations / 4) {
        var document = PatchingDocument(object)
        try? document.set("x", at: container.appending("x"), rule: "bench")
        sink &+= document.recorded.count
    }
    _ = measure("  PatchingDocument.set deep (2 ops)", count: iterations / 4) {
        var document = PatchingDocument(object)
        try? document.set("x", at: container.appending("x"), rule: "bench")
        try? document.set("y", at: container.appending("y"), rule: "bench")
        sink &+= document.recorded.count
    }
    _ = measure("  JSONValue.apply deep add (2 ops)", count: iterations / 4) {
        var copy = object
        try? copy.apply(.add(path: container.appending("x"), value: 1))
        try? copy.apply(.add(path: container.appending("y"), value: 1))
        sink &+= copy.objectValue?.count ?? 0
    }
    // The document owned here, as in the pipeline: after the first round copies the path, every
    // change is made in place, so this is the cost of the walks alone (a lookup and a change).
    var owned = object
    let image = container.appending("image")
    _ = measure("  replace in place (depth 9, owned)", count: iterations / 4) {
        try? owned.apply(.replace(path: image, value: "x"))
        sink &+= owned.objectValue?.count ?? 0
    }
    _ = measure("  pointer lookup (depth 8)", count: iterations / 4) {
        sink &+= object[env] == nil ? 1 : 0
    }
    _ = measure("  ensureObject (depth 7, exists)", count: iterations / 4) {
        var document = PatchingDocument(object)
        try? document.ensureObject(at: env.parent ?? .root, rule: "bench")
        sink &+= document.recorded.count
    }
    _ = measure("  JSONValue.apply add (1 op)", count: iterations / 4) {
        var copy = object
        try? copy.apply(.add(path: ["spec", "x"], value: 1))
        sink &+= copy.objectValue?.count ?? 0
    }
    _ = measure("  JSONValue.apply deep add (1 op)", count: iterations / 4) {
        var copy = object
        try? copy.apply(
            .add(path: ["spec", "workerGroupSpecs", "0", "template", "spec", "containers", "0", "x"], value: 1))
        sink &+= copy.objectValue?.count ?? 0
    }
}
let outcome = pipeline.review(request, endpoint: .mutate)
_ = measure("encode response", count: iterations) { sink &+= AdmissionReviewEncoding.encode(outcome.response).count }
let encodedObject = request.object ?? .null
_ = measure("encode object (\(encodedObject.encoded().count) B)", count: iterations) {
    sink &+= encodedObject.encoded().count
}
// As the server runs it: the pipeline owns the freshly decoded object, so defaulting changes it
// in place. Defaulting's own cost is this minus "decode AdmissionReview".
let decodeOnly = try measure("decode (again, for the difference)", count: iterations) {
    sink &+= try AdmissionReviewDecoding.decode(body).uid.count
}
let decodeAndMutate = try measure("decode + review (mutate)", count: iterations) {
    sink &+= pipeline.review(try AdmissionReviewDecoding.decode(body), endpoint: .mutate).rules.count
}
print(
    "defaulting, object owned".padding(toLength: 34, withPad: " ", startingAt: 0)
        + String(format: "%9.2f µs/op", decodeAndMutate - decodeOnly))
for endpoint in AdmissionEndpoint.allCases {
    _ = try measure("total /\(endpoint.rawValue)", count: iterations) {
        let decoded = try AdmissionReviewDecoding.decode(body)
        sink &+= AdmissionReviewEncoding.encode(pipeline.review(decoded, endpoint: endpoint).response).count
    }
}
if sink == 42 { print("") }
