/// Every defaulting rule, in the order they run: strings first, so later rules read clean values.
public enum DefaultingCatalog {
    public static let rules: [any DefaultingRule] = [
        StringValuesRule(),
        HeadPortsRule(),
        WorkerMetricsPortRule(),
        DashboardHostRule(),
        AutoscalerOptionsRule(),
        GPUVisibilityRule(),
        GPUTolerationRule(),
        LegacyGCSFaultToleranceRule(),
        HeadNumCPUsZeroRule(),
        SubmissionModeRule(),
        PolicyInjectionRule(),
    ]

    public static var descriptors: [RuleDescriptor] {
        rules.map(\.descriptor)
    }
}
