/// Every validation rule.
public enum ValidationCatalog {
    public static let rules: [ValidationRule] =
        MetadataRules.rules + GroupNameRules.rules + GroupRules.rules + GCSFaultToleranceRules.rules
        + FeatureGateRules.rules + AutoscalerRules.rules + ClusterFeatureRules.all + RayClusterRules.all
        + RayJobRules.all + LegacyDeletionPolicyRules.rules + RayServiceRules.all
        + RayCronJobRules.all + CRDRules.rules + SchemaRules.rules + ConstraintRules.rules + RuntimeFailureRules.rules
        + BestPracticeRules.rules

    public static var descriptors: [RuleDescriptor] {
        rules.map(\.descriptor)
    }
}
