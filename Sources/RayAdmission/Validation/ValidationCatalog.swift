/// Every validation rule.
public enum ValidationCatalog {
    public static let rules: [ValidationRule] =
        MetadataRules.rules + GroupNameRules.rules + GroupRules.rules + GCSFaultToleranceRules.rules
        + FeatureGateRules.rules + RayClusterRules.all + RayJobRules.all + RayServiceRules.all

    public static var descriptors: [RuleDescriptor] {
        rules.map(\.descriptor)
    }
}
