/// What a rule is, for the catalog (`ray-admission rules`), policies, logs and audit annotations.
public struct RuleDescriptor: Sendable, Hashable {
    public enum Stage: String, Sendable, Hashable, CaseIterable {
        /// Writes defaults into the object (the mutating webhook).
        case defaulting
        /// Allows or denies, with warnings (the validating webhook).
        case validation
    }

    public let id: RuleID
    public let stage: Stage
    /// One line: what the rule does and where the rule book has it.
    public let summary: String
    public let kinds: Set<RayKind>
    /// Whether the rule runs without configuration saying so.
    public let enabledByDefault: Bool

    public init(id: RuleID, stage: Stage, summary: String, kinds: Set<RayKind>, enabledByDefault: Bool = true) {
        self.id = id
        self.stage = stage
        self.summary = summary
        self.kinds = kinds
        self.enabledByDefault = enabledByDefault
    }
}

extension Set where Element == RayKind {
    public static let allRayKinds = Set(RayKind.allCases)
}
