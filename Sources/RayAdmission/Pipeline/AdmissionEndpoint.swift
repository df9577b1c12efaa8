/// Which webhook is asking: the mutating one (defaults, as a patch) or the validating one
/// (allow or deny, with warnings).
public enum AdmissionEndpoint: String, Sendable, Hashable, CaseIterable {
    case mutate
    case validate
}
