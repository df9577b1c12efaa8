import ArgumentParser
import Foundation
import RayAdmission
import RayAdmissionServer

struct PolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy", abstract: "Work with policy files.", subcommands: [LintCommand.self])

    /// `ray-admission policy lint`: check a policy file and show what each namespace gets.
    struct LintCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "lint",
            abstract:
                "Check a policy file (exit 2 with file:line:column when it is wrong) and print the settings per namespace."
        )

        @Argument(help: "The policy file.")
        var file: String

        @Option(
            name: .customLong("namespace"),
            help: "A namespace to show (repeatable). Default: default and every name the policy matches exactly.")
        var namespaces: [String] = []

        @OptionGroup var kuberay: KubeRayOptions

        func run() throws {
            let loaded: PolicyFile
            let release = try kuberay.release
            do {
                loaded = try PolicyFile.load(
                    path: file, featureGates: try kuberay.gates.gates, crdRelease: try kuberay.crdRelease)
            } catch {
                FileHandle.standardError.write(Data("\(error)\n".utf8))
                throw ExitCode(2)
            }
            let policy = loaded.engine.policy
            print("\(file): valid (sha256 \(loaded.hash)), for KubeRay \(release)")
            for warning in loaded.warnings { print("warning: \(warning)") }
            if !policy.featureGates.isEmpty {
                print(
                    "feature gates (override serve --feature-gates gate by gate): "
                        + policy.featureGates.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(
                            separator: ","))
            }
            for exemption in policy.exemptions {
                let parts = [
                    ("users", exemption.users), ("groups", exemption.groups), ("namespaces", exemption.namespaces),
                ]
                .compactMap { name, patterns in patterns.map { "\(name) \($0.map(\.text).joined(separator: ", "))" } }
                print("exempt: " + parts.joined(separator: "; "))
            }
            var examples = namespaces
            if examples.isEmpty {
                examples = ["default"]
                for entry in policy.namespaces {
                    examples += entry.match.filter(\.isExact).map(\.text).filter { !examples.contains($0) }
                }
            }
            for namespace in examples {
                let (scope, entry) = policy.scope(forNamespace: namespace)
                let source =
                    entry.map {
                        "namespaces[\($0)] (match \(policy.namespaces[$0].match.map(\.text).joined(separator: ", ")))"
                    } ?? "defaults"
                print("\nnamespace \(namespace): \(source)")
                switch scope.unnamedRules {
                case .mode(let mode)?: print("  rule \"*\": \(mode.rawValue) (every validation rule not named)")
                case .ruleDefaults?: print("  rule \"*\": default (every validation rule not named: its own mode)")
                case nil: break
                }
                for (id, setting) in scope.rules.sorted(by: { $0.key < $1.key }) {
                    switch setting {
                    case .validation(let mode):
                        print("  rule \(id.rawValue): \(mode.rawValue)" + Self.releaseNote(id, loaded.engine))
                    case .defaulting(let on): print("  default \(id.rawValue): \(on ? "on" : "off")")
                    }
                }
                print("  effective: " + Self.effectiveModes(loaded.engine.pipeline(forNamespace: namespace).validator))
                print(
                    "  allowExistingViolations: \(scope.allowExistingViolations ?? true)"
                        + (scope.allowExistingViolations == nil ? " (default)" : ""))
                let constraints = scope.constraints
                let limits: [(String, String?)] = [
                    ("allowedImages", constraints.allowedImages?.map(\.text).joined(separator: ", ")),
                    ("maxGPUsPerCluster", constraints.maxGPUsPerCluster.map(String.init)),
                    ("maxWorkersPerGroup", constraints.maxWorkersPerGroup.map(String.init)),
                    ("maxCPUPerPod", constraints.maxCPUPerPod?.text),
                    ("maxMemoryPerPod", constraints.maxMemoryPerPod?.text),
                    ("requiredLabels", constraints.requiredLabels?.joined(separator: ", ")),
                    ("allowedServiceTypes", constraints.allowedServiceTypes?.joined(separator: ", ")),
                    (
                        "requireGcsFaultTolerance",
                        constraints.requireGcsFaultTolerance?.map(\.rawValue).sorted().joined(separator: ", ")
                    ),
                    ("forbidPrivileged", constraints.forbidPrivileged.map { String($0) }),
                    ("rayVersions", constraints.rayVersions?.text),
                ]
                for (name, value) in limits {
                    if let value { print("  constraint \(name): \(value)") }
                }
                let inject = scope.inject
                for (name, map) in [
                    ("labels", inject.labels), ("annotations", inject.annotations), ("env", inject.env),
                    ("nodeSelector", inject.nodeSelector),
                ] where !map.isEmpty {
                    print(
                        "  inject \(name): "
                            + map.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", "))
                }
                if !inject.tolerations.isEmpty {
                    print("  inject tolerations: \(inject.tolerations.map(\.jsonString).joined(separator: ", "))")
                }
                if let priority = inject.priorityClassName { print("  inject priorityClassName: \(priority)") }
            }
        }

        /// A rule the policy names but the release does not enforce (or no longer has): it loads,
        /// and runs as the policy says; this says so.
        static func releaseNote(_ id: RuleID, _ engine: PolicyEngine) -> String {
            switch RuleReleases.status(of: id, operator: engine.release, crds: engine.crdRelease) {
            case .inForce: ""
            case .notYet(let since): " (KubeRay \(engine.release) does not enforce it; \(since.displayName) does)"
            case .retired(let until): " (a rule of KubeRay up to \(until.displayName) only)"
            }
        }

        /// How many validation rules run in each mode here, naming them when there are few:
        /// `enforce 120, warn 14 (…), audit 0, off 1 (V22)`.
        static func effectiveModes(_ validator: Validator) -> String {
            var byMode: [Policy.Mode: [RuleID]] = [:]
            for rule in ValidationCatalog.rules {
                let mode = validator.effectiveMode(of: rule.descriptor.id).mode.map(Policy.Mode.init) ?? .off
                byMode[mode, default: []].append(rule.descriptor.id)
            }
            return Policy.Mode.allCases.map { mode in
                let ids = byMode[mode] ?? []
                let named =
                    ids.isEmpty || ids.count > 12 ? "" : " (\(ids.sorted().map(\.rawValue).joined(separator: ", ")))"
                return "\(mode.rawValue) \(ids.count)\(named)"
            }.joined(separator: ", ")
        }
    }
}
