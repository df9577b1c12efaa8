import Yams

/// A policy file problem, with where it is: `policy.yaml:12:7: unknown key "maxGPU" in
/// constraints (known: allowedImages, …)`.
public struct PolicyError: Error, Sendable, Hashable, CustomStringConvertible {
    public let message: String
    /// 1-based; 0 when the problem has no single place.
    public let line: Int
    public let column: Int

    public init(_ message: String, line: Int = 0, column: Int = 0) {
        self.message = message
        self.line = line
        self.column = column
    }

    public var description: String {
        line > 0 ? "\(line):\(column): \(message)" : message
    }
}

/// Reads and checks a policy file. Everything is validated here, at load: unknown keys, unknown
/// rule ids, modes that do not fit the rule, bad globs, quantities and version ranges, reserved
/// env or label keys. A policy that loads is a policy that runs.
public struct PolicyLoader: Sendable {
    /// Rule ids a policy may name, with their stage.
    let validationRules: Set<RuleID>
    let defaultingRules: Set<RuleID>
    /// The KubeRay release whose feature-gate names `featureGates` may use.
    let release: KubeRayRelease

    public init(
        validationRules: [RuleDescriptor] = ValidationCatalog.descriptors,
        defaultingRules: [RuleDescriptor] = DefaultingCatalog.descriptors, release: KubeRayRelease = .newest
    ) {
        self.validationRules = Set(validationRules.map(\.id))
        self.defaultingRules = Set(defaultingRules.map(\.id))
        self.release = release
    }

    public func load(_ yaml: String) throws(PolicyError) -> Policy {
        let node: Node?
        do {
            try YAMLShapeCheck.check(yaml, maximumDepth: YAMLDocumentReader().maximumDepth)
        } catch {
            throw PolicyError(error.message, line: error.line, column: error.column)
        }
        do {
            node = try Yams.compose(yaml: yaml)
        } catch {
            let read = YAMLDocumentReader.readError(error)
            throw PolicyError(read.message, line: read.line, column: read.column)
        }
        guard let node else { return Policy() }
        return try policy(node)
    }

    // MARK: structure

    static func position(_ node: Node) -> (line: Int, column: Int) {
        // Yams' marks are 1-based already.
        (node.mark?.line ?? 0, node.mark?.column ?? 0)
    }

    static func fail(_ node: Node, _ message: String) -> PolicyError {
        let (line, column) = position(node)
        return PolicyError(message, line: line, column: column)
    }

    /// The mapping's entries, checked against the keys it may have.
    static func mapping(_ node: Node, _ what: String, keys: [String]) throws(PolicyError) -> [(
        key: String, keyNode: Node, value: Node
    )] {
        guard case .mapping(let mapping) = node else { throw fail(node, "\(what) must be a mapping") }
        var entries: [(key: String, keyNode: Node, value: Node)] = []
        for (keyNode, value) in mapping {
            guard case .scalar(let scalar) = keyNode else { throw fail(keyNode, "keys of \(what) must be text") }
            if entries.contains(where: { $0.key == scalar.string }) {
                throw fail(keyNode, "duplicate key \"\(scalar.string)\" in \(what)")
            }
            if !keys.isEmpty, !keys.contains(scalar.string) {
                throw fail(
                    keyNode, "unknown key \"\(scalar.string)\" in \(what) (known: \(keys.joined(separator: ", ")))")
            }
            entries.append((scalar.string, keyNode, value))
        }
        return entries
    }

    static func string(_ node: Node, _ what: String) throws(PolicyError) -> String {
        guard case .scalar(let scalar) = node else { throw fail(node, "\(what) must be text") }
        return scalar.string
    }

    static func strings(_ node: Node, _ what: String) throws(PolicyError) -> [(String, Node)] {
        guard case .sequence(let sequence) = node else { throw fail(node, "\(what) must be a list") }
        var values: [(String, Node)] = []
        for element in sequence { values.append((try string(element, "each entry of \(what)"), element)) }
        return values
    }

    static func globs(_ node: Node, _ what: String) throws(PolicyError) -> [GlobPattern] {
        var patterns: [GlobPattern] = []
        for (text, element) in try strings(node, what) {
            do {
                patterns.append(try GlobPattern(text))
            } catch {
                throw fail(element, "\(what): \(error.description)")
            }
        }
        return patterns
    }

    static func bool(_ node: Node, _ what: String) throws(PolicyError) -> Bool {
        guard case .scalar(let scalar) = node else { throw fail(node, "\(what) must be true or false") }
        switch scalar.string.lowercased() {
        case "true", "on", "yes": return true
        case "false", "off", "no": return false
        default: throw fail(node, "\(what) must be true or false, not \"\(scalar.string)\"")
        }
    }

    static func integer(_ node: Node, _ what: String, minimum: Int = 0) throws(PolicyError) -> Int {
        guard case .scalar(let scalar) = node, let value = Int(scalar.string), value >= minimum else {
            throw fail(node, "\(what) must be a whole number ≥ \(minimum)")
        }
        return value
    }

    static func quantity(_ node: Node, _ what: String) throws(PolicyError) -> Quantity {
        let text = try string(node, what)
        do {
            let quantity = try Quantity(parsing: text)
            guard quantity >= .zero else { throw fail(node, "\(what) must not be negative") }
            return quantity
        } catch let error as PolicyError {
            throw error
        } catch {
            throw fail(node, "\(what): \(error)")
        }
    }

    static func stringMap(_ node: Node, _ what: String) throws(PolicyError) -> [String: String] {
        var map: [String: String] = [:]
        for entry in try mapping(node, what, keys: []) {
            map[entry.key] = try string(entry.value, "\(what).\(entry.key)")
        }
        return map
    }

    // MARK: the policy

    func policy(_ node: Node) throws(PolicyError) -> Policy {
        var policy = Policy()
        for entry in try Self.mapping(node, "the policy", keys: ["defaults", "namespaces", "exemptions"]) {
            switch entry.key {
            case "defaults":
                (policy.defaults, policy.featureGates, policy.warnings) = try scope(
                    entry.value, "defaults", allowGates: true)
            case "namespaces":
                guard case .sequence(let list) = entry.value else {
                    throw Self.fail(
                        entry.value,
                        "namespaces must be a list of {match, rules, constraints, inject, allowExistingViolations}")
                }
                for (index, element) in list.enumerated() {
                    policy.namespaces.append(try namespaceEntry(element, "namespaces[\(index)]"))
                }
            case "exemptions":
                guard case .sequence(let list) = entry.value else {
                    throw Self.fail(entry.value, "exemptions must be a list of {users, groups, namespaces}")
                }
                for (index, element) in list.enumerated() {
                    policy.exemptions.append(try exemption(element, "exemptions[\(index)]"))
                }
            default:
                break
            }
        }
        return policy
    }

    func namespaceEntry(_ node: Node, _ what: String) throws(PolicyError) -> Policy.NamespaceEntry {
        let entries = try Self.mapping(
            node, what, keys: ["match", "rules", "constraints", "inject", "allowExistingViolations", "bestPractices"])
        guard let match = entries.first(where: { $0.key == "match" }) else {
            throw Self.fail(node, "\(what) needs match: the namespaces (names or globs) it applies to")
        }
        let patterns = try Self.globs(match.value, "\(what).match")
        guard !patterns.isEmpty else { throw Self.fail(match.value, "\(what).match names no namespace") }
        var rest = Node.Mapping([])
        for entry in entries where entry.key != "match" { rest[entry.keyNode] = entry.value }
        let (scope, _, _) = try scope(Node.mapping(rest), what, allowGates: false)
        return Policy.NamespaceEntry(match: patterns, scope: scope)
    }

    func exemption(_ node: Node, _ what: String) throws(PolicyError) -> Policy.Exemption {
        var exemption = Policy.Exemption()
        for entry in try Self.mapping(node, what, keys: ["users", "groups", "namespaces"]) {
            let patterns = try Self.globs(entry.value, "\(what).\(entry.key)")
            switch entry.key {
            case "users": exemption.users = patterns
            case "groups": exemption.groups = patterns
            default: exemption.namespaces = patterns
            }
        }
        guard exemption.users != nil || exemption.groups != nil || exemption.namespaces != nil else {
            throw Self.fail(node, "\(what) must name users, groups or namespaces")
        }
        return exemption
    }

    func scope(_ node: Node, _ what: String, allowGates: Bool) throws(PolicyError) -> (
        Policy.Scope, [String: Bool], [PolicyError]
    ) {
        var scope = Policy.Scope()
        var gates: [String: Bool] = [:]
        var warnings: [PolicyError] = []
        let keys =
            ["rules", "constraints", "inject", "allowExistingViolations", "bestPractices"]
            + (allowGates ? ["featureGates"] : [])
        for entry in try Self.mapping(node, what, keys: keys) {
            switch entry.key {
            case "rules": (scope.rules, scope.unnamedRules) = try rules(entry.value, "\(what).rules")
            case "constraints": scope.constraints = try constraints(entry.value, "\(what).constraints")
            case "inject": scope.inject = try injection(entry.value, "\(what).inject")
            case "allowExistingViolations":
                scope.allowExistingViolations = try Self.bool(entry.value, "\(what).allowExistingViolations")
            case "bestPractices": scope.bestPractices = try bestPractices(entry.value, "\(what).bestPractices")
            default:
                // A gate this release does not know (a newer operator's, copied over) loads with a
                // warning and is ignored: configuration must never stop the webhook.
                for gate in try Self.mapping(entry.value, "\(what).featureGates", keys: []) {
                    let value = try Self.bool(gate.value, "\(what).featureGates.\(gate.key)")
                    if FeatureGates.isKnown(gate.key, in: release) {
                        gates[gate.key] = value
                    } else {
                        let (line, column) = Self.position(gate.keyNode)
                        warnings.append(
                            PolicyError(
                                "\(what).featureGates: \(FeatureGates.unknownGateMessage([gate.key], release: release))",
                                line: line, column: column))
                    }
                }
            }
        }
        return (scope, gates, warnings)
    }

    /// The rule settings, and what `"*"` gives every validation rule not named.
    func rules(_ node: Node, _ what: String) throws(PolicyError) -> (
        [RuleID: Policy.RuleSetting], Policy.UnnamedRules?
    ) {
        var rules: [RuleID: Policy.RuleSetting] = [:]
        var unnamed: Policy.UnnamedRules?
        for entry in try Self.mapping(node, what, keys: []) {
            let id = RuleID(entry.key)
            let text: String
            switch entry.value {
            case .scalar(let scalar): text = scalar.string.lowercased()
            default: throw Self.fail(entry.value, "\(what).\(entry.key) must be a mode")
            }
            if entry.key == "*" {
                if text == "default" {
                    unnamed = .ruleDefaults
                } else if let mode = Policy.Mode(rawValue: text) {
                    unnamed = .mode(mode)
                } else {
                    throw Self.fail(
                        entry.value,
                        "\(what).\"*\" sets the mode of every validation rule not named: enforce, warn, audit, off or default (each rule's own), not \"\(text)\""
                    )
                }
            } else if validationRules.contains(id) {
                guard let mode = Policy.Mode(rawValue: text) else {
                    throw Self.fail(
                        entry.value, "\(what).\(entry.key): \"\(text)\" is not a mode (enforce, warn, audit or off)")
                }
                rules[id] = .validation(mode)
            } else if defaultingRules.contains(id) {
                switch text {
                case "on", "true": rules[id] = .defaulting(true)
                case "off", "false": rules[id] = .defaulting(false)
                default:
                    throw Self.fail(
                        entry.value, "\(what).\(entry.key) is a defaulting rule: on or off, not \"\(text)\"")
                }
            } else {
                throw Self.fail(
                    entry.keyNode, "\(what): unknown rule \"\(entry.key)\" (`ray-admission rules` lists them)")
            }
        }
        return (rules, unnamed)
    }

    func bestPractices(_ node: Node, _ what: String) throws(PolicyError) -> BestPracticeSettings {
        var settings = BestPracticeSettings()
        for entry in try Self.mapping(
            node, what, keys: ["extraRayImageRepositories", "largeClusterWorkerThreshold"])
        {
            let field = "\(what).\(entry.key)"
            if entry.key == "largeClusterWorkerThreshold" {
                settings.largeClusterWorkerThreshold = try Self.integer(entry.value, field, minimum: 1)
            } else {
                settings.extraRayImageRepositories = try Self.strings(entry.value, field).map {
                    (repository, node) throws(PolicyError) in
                    guard !repository.isEmpty, !repository.contains(":"), !repository.contains("@") else {
                        throw Self.fail(node, "\(field): \"\(repository)\" is a repository without tag or digest")
                    }
                    return repository
                }
            }
        }
        return settings
    }

    static let constraintKeys = [
        "allowedImages", "maxGPUsPerCluster", "maxWorkersPerGroup", "maxCPUPerPod", "maxMemoryPerPod",
        "requiredLabels", "allowedServiceTypes", "requireGcsFaultTolerance", "forbidPrivileged", "rayVersions",
    ]

    func constraints(_ node: Node, _ what: String) throws(PolicyError) -> PolicyConstraints {
        var constraints = PolicyConstraints()
        for entry in try Self.mapping(node, what, keys: Self.constraintKeys) {
            let field = "\(what).\(entry.key)"
            switch entry.key {
            case "allowedImages": constraints.allowedImages = try Self.globs(entry.value, field)
            case "maxGPUsPerCluster": constraints.maxGPUsPerCluster = try Self.integer(entry.value, field)
            case "maxWorkersPerGroup": constraints.maxWorkersPerGroup = try Self.integer(entry.value, field)
            case "maxCPUPerPod": constraints.maxCPUPerPod = try Self.quantity(entry.value, field)
            case "maxMemoryPerPod": constraints.maxMemoryPerPod = try Self.quantity(entry.value, field)
            case "requiredLabels": constraints.requiredLabels = try Self.strings(entry.value, field).map(\.0)
            case "allowedServiceTypes":
                let known = ["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"]
                constraints.allowedServiceTypes = try Self.strings(entry.value, field).map {
                    (type, node) throws(PolicyError) in
                    guard known.contains(type) else {
                        throw Self.fail(
                            node, "\(field): \"\(type)\" is not a Service type (\(known.joined(separator: ", ")))")
                    }
                    return type
                }
            case "requireGcsFaultTolerance":
                var kinds = Set<RayKind>()
                for (text, element) in try Self.strings(entry.value, field) {
                    guard let kind = RayKind(rawValue: text) else {
                        throw Self.fail(
                            element, "\(field): \"\(text)\" is not RayCluster, RayJob, RayService or RayCronJob")
                    }
                    kinds.insert(kind)
                }
                constraints.requireGcsFaultTolerance = kinds
            case "forbidPrivileged": constraints.forbidPrivileged = try Self.bool(entry.value, field)
            default:
                do {
                    constraints.rayVersions = try VersionRange(try Self.string(entry.value, field))
                } catch let error as PolicyError {
                    throw error
                } catch {
                    throw Self.fail(entry.value, "\(field): \(error)")
                }
            }
        }
        return constraints
    }

    func injection(_ node: Node, _ what: String) throws(PolicyError) -> PolicyInjection {
        var inject = PolicyInjection()
        let keys = ["labels", "annotations", "env", "tolerations", "nodeSelector", "priorityClassName"]
        for entry in try Self.mapping(node, what, keys: keys) {
            let field = "\(what).\(entry.key)"
            switch entry.key {
            case "labels", "annotations":
                let map = try Self.stringMap(entry.value, field)
                for key in map.keys where PolicyInjection.isReservedKey(key) {
                    throw Self.fail(entry.value, "\(field): \(key) is KubeRay's (ray.io/ keys are reserved)")
                }
                if entry.key == "labels" { inject.labels = map } else { inject.annotations = map }
            case "env":
                inject.env = try Self.stringMap(entry.value, field)
                for name in inject.env.keys where PolicyInjection.isReservedEnv(name) {
                    throw Self.fail(
                        entry.value, "\(field): \(name) is set or checked by KubeRay and cannot be injected")
                }
            case "nodeSelector": inject.nodeSelector = try Self.stringMap(entry.value, field)
            case "priorityClassName": inject.priorityClassName = try Self.string(entry.value, field)
            default:
                guard case .sequence(let list) = entry.value else {
                    throw Self.fail(entry.value, "\(field) must be a list")
                }
                for element in list {
                    var toleration = JSONObject()
                    let tolerationKeys = ["key", "operator", "value", "effect", "tolerationSeconds"]
                    for member in try Self.mapping(element, "each of \(field)", keys: tolerationKeys) {
                        if member.key == "tolerationSeconds" {
                            toleration[member.key] = .number(
                                JSONNumber(try Self.integer(member.value, "tolerationSeconds")))
                        } else {
                            toleration[member.key] = .string(try Self.string(member.value, member.key))
                        }
                    }
                    if let op = toleration["operator"]?.stringValue, !["Exists", "Equal"].contains(op) {
                        throw Self.fail(element, "\(field): operator must be Exists or Equal")
                    }
                    inject.tolerations.append(.object(toleration))
                }
            }
        }
        return inject
    }
}
