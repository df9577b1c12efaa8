/// Which defaulting rules run. Every rule has its own default (`enabledByDefault`); explicit
/// settings override it per rule id. Per-namespace policy (issue 5) builds one of these per request.
public struct DefaultingConfiguration: Sendable, Hashable {
    public var overrides: [RuleID: Bool]

    public init(overrides: [RuleID: Bool] = [:]) {
        self.overrides = overrides
    }

    public func isEnabled(_ descriptor: RuleDescriptor) -> Bool {
        overrides[descriptor.id] ?? descriptor.enabledByDefault
    }

    public func enabling(_ id: RuleID, _ enabled: Bool = true) -> DefaultingConfiguration {
        var copy = self
        copy.overrides[id] = enabled
        return copy
    }
}
