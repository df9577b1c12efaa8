/// `submissionMode` absent means `K8sJobMode` (the CRD default, §3.1); write it when the API
/// server's defaulting did not (for example, `ray-admission check` without an API server).
public struct SubmissionModeRule: DefaultingRule {
    public let descriptor = RuleDescriptor(
        id: "submission-mode", stage: .defaulting,
        summary: "RayJob (and RayCronJob jobTemplate) submissionMode K8sJobMode when absent (§3.1)",
        kinds: [.rayJob, .rayCronJob])

    public init() {}

    public func apply(_ context: DefaultingContext, to output: inout DefaultingOutput) throws(JSONPatchError) {
        let jobSpec: JSONPointer = context.kind == .rayCronJob ? ["spec", "jobTemplate"] : ["spec"]
        guard context.scope.allowsDefaults(at: jobSpec, ignoring: ["rayClusterSpec"]), case .object? = output[jobSpec]
        else { return }
        try output.document.setIfAbsent("K8sJobMode", at: jobSpec.appending("submissionMode"), rule: descriptor.id)
    }
}
