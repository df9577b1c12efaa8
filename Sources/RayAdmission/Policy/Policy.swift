/// A platform team's policy: rule modes, limits and injected defaults, for every namespace and per
/// namespace, with exemptions. `Policy()` is the built-in policy: every rule in its default mode,
/// every default-on mutation on, no limits, nothing injected.
public struct Policy: Sendable, Hashable {
    /// How a validation rule is enforced in a namespace.
    public enum Mode: String, Sendable, Hashable, CaseIterable {
        /// Denies (HTTP 200, `allowed: false`, 422).
        case enforce
        /// Admits with a warning.
        case warn
        /// Admits silently; recorded in the `audit` annotation and a metric.
        case audit
        /// Not checked.
        case off

        var enforcement: EnforcementMode? {
            switch self {
            case .enforce: .deny
            case .warn: .warn
            case .audit: .audit
            case .off: nil
            }
        }

        public init(_ mode: EnforcementMode) {
            switch mode {
            case .deny: self = .enforce
            case .warn: self = .warn
            case .audit: self = .audit
            }
        }
    }

    /// `rules: {"*": …}`: the mode of every validation rule a scope does not name, or each
    /// rule's own default (`"*": default`, which lets a namespace entry undo the defaults' `"*"`).
    public enum UnnamedRules: Sendable, Hashable {
        case mode(Mode)
        case ruleDefaults
    }

    /// A rule's setting: a mode for validation rules, on or off for defaulting rules.
    public enum RuleSetting: Sendable, Hashable {
        case validation(Mode)
        case defaulting(Bool)
    }

    /// What applies in a namespace.
    public struct Scope: Sendable, Hashable {
        /// The rules named in `rules:`.
        public var rules: [RuleID: RuleSetting] = [:]
        /// `rules: {"*": …}`: what every validation rule that `rules` does not name gets; nil
        /// when not set here (a namespace entry then takes the defaults').
        public var unnamedRules: UnnamedRules?
        public var constraints = PolicyConstraints()
        public var inject = PolicyInjection()
        public var bestPractices = BestPracticeSettings()
        /// On UPDATE, a denial the stored object already had, unchanged by the update, admits with a
        /// warning instead (nil: the default, true).
        public var allowExistingViolations: Bool?

        public init() {}

        /// `self` with `other`'s settings taking precedence, key by key.
        public func overridden(by other: Scope) -> Scope {
            var merged = self
            merged.rules.merge(other.rules) { $1 }
            merged.unnamedRules = other.unnamedRules ?? unnamedRules
            merged.constraints = constraints.overridden(by: other.constraints)
            merged.inject = inject.overridden(by: other.inject)
            merged.bestPractices = bestPractices.overridden(by: other.bestPractices)
            merged.allowExistingViolations = other.allowExistingViolations ?? allowExistingViolations
            return merged
        }

        /// The mode this scope gives validation rule `id`: named in `rules`, else `"*"`; nil when
        /// neither sets it (the rule then runs as the selected KubeRay release has it).
        public func explicitMode(of id: RuleID) -> Mode? {
            if case .validation(let mode)? = rules[id] { return mode }
            if case .mode(let mode)? = unnamedRules { return mode }
            return nil
        }

        /// The mode of validation rule `id` here, `defaultMode` being the rule's own.
        public func mode(of id: RuleID, defaultMode: EnforcementMode) -> Mode {
            explicitMode(of: id) ?? Mode(defaultMode)
        }
    }

    /// Settings for the namespaces one of `match` matches. The first entry that matches wins.
    public struct NamespaceEntry: Sendable, Hashable {
        public var match: [GlobPattern]
        public var scope: Scope

        public init(match: [GlobPattern], scope: Scope) {
            self.match = match
            self.scope = scope
        }
    }

    /// Requests no rule applies to: every field given must match (users, groups, namespaces);
    /// any one exemption matching is enough.
    public struct Exemption: Sendable, Hashable {
        public var users: [GlobPattern]?
        public var groups: [GlobPattern]?
        public var namespaces: [GlobPattern]?

        public init(users: [GlobPattern]? = nil, groups: [GlobPattern]? = nil, namespaces: [GlobPattern]? = nil) {
            self.users = users
            self.groups = groups
            self.namespaces = namespaces
        }

        func matches(user: String, groups userGroups: [String], namespace: String) -> Bool {
            guard users != nil || groups != nil || namespaces != nil else { return false }
            if let users, !users.contains(where: { $0.matches(user) }) { return false }
            if let groups, !groups.contains(where: { pattern in userGroups.contains { pattern.matches($0) } }) {
                return false
            }
            if let namespaces, !namespaces.contains(where: { $0.matches(namespace) }) { return false }
            return true
        }
    }

    /// Mirrors the operator's `--feature-gates`; a policy's gates override `serve --feature-gates`
    /// gate by gate. Only gates this release knows.
    public var featureGates: [String: Bool] = [:]
    /// What loaded but deserves a look (gate names this release does not know, which are ignored),
    /// each with its place in the file.
    public var warnings: [PolicyError] = []
    public var defaults = Scope()
    public var namespaces: [NamespaceEntry] = []
    public var exemptions: [Exemption] = []

    public init() {}

    /// The settings for `namespace`: the defaults, overridden by the first matching entry.
    public func scope(forNamespace namespace: String) -> (scope: Scope, entry: Int?) {
        guard let index = entryIndex(forNamespace: namespace) else { return (defaults, nil) }
        return (defaults.overridden(by: namespaces[index].scope), index)
    }

    /// The first namespace entry that matches `namespace`, if any.
    public func entryIndex(forNamespace namespace: String) -> Int? {
        namespaces.firstIndex { $0.match.contains { $0.matches(namespace) } }
    }

    public func isExempt(user: String, groups: [String], namespace: String) -> Bool {
        exemptions.contains { $0.matches(user: user, groups: groups, namespace: namespace) }
    }
}
