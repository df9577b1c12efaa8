import ArgumentParser
import RayAdmission

struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract:
            "List every rule: id, stage, its default in a KubeRay release (on/off for defaults, deny/warn/off for validation), the release that enforces it, kinds, and what it does."
    )

    @Option(
        name: .customLong("kuberay-version"),
        help: "The KubeRay release whose rule set to show (1.3 … 1.7; default: the newest).")
    var kuberayVersion: String = KubeRayRelease.newest.displayName

    @Option(
        name: .customLong("kuberay-crd-version"),
        help: "The release of the installed CRDs, when it differs (the C rules follow it).")
    var kuberayCRDVersion: String?

    func run() throws {
        let release: KubeRayRelease
        let crdRelease: KubeRayRelease
        do {
            release = try KubeRayRelease(parsing: kuberayVersion)
            crdRelease = try kuberayCRDVersion.map { try KubeRayRelease(parsing: $0) } ?? release
        } catch {
            throw ValidationError("\(error)")
        }
        let validator = Validator(release: release, crdRelease: crdRelease)
        print(
            "# rules as KubeRay \(release)\(crdRelease == release ? "" : " with CRDs of \(crdRelease)") has them;"
                + " warn* = not enforced by this release yet: warns, naming the release that starts rejecting it")
        let descriptors = DefaultingCatalog.descriptors + ValidationCatalog.descriptors
        let idWidth = max(4, descriptors.map(\.id.rawValue.count).max() ?? 0)
        print(
            "ID".padded(idWidth) + "  STAGE       DEFAULT  KUBERAY  KINDS                                   SUMMARY")
        for descriptor in descriptors {
            let kinds = RayKind.allCases.filter(descriptor.kinds.contains).map(\.rawValue).joined(separator: ",")
            let mode: String
            switch descriptor.stage {
            case .defaulting:
                mode = descriptor.enabledByDefault ? "on" : "off"
            case .validation:
                let effective = validator.effectiveMode(of: descriptor.id)
                mode = (effective.mode?.rawValue ?? "off") + (effective.enforcedFrom == nil ? "" : "*")
            }
            print(
                descriptor.id.rawValue.padded(idWidth) + "  " + descriptor.stage.rawValue.padded(10) + "  "
                    + mode.padded(7) + "  " + Self.enforcedBy(descriptor.id).padded(7) + "  " + kinds.padded(38)
                    + "  " + descriptor.summary)
        }
    }

    /// The KubeRay releases that enforce a rule: `1.6+`, `1.3–1.4`, or `-` for ray-admission's own.
    static func enforcedBy(_ id: RuleID) -> String {
        guard let availability = RuleReleases.availability(of: id) else { return "-" }
        guard let until = availability.until else { return availability.since.displayName + "+" }
        return "\(availability.since.displayName)–\(until.displayName)"
    }
}

extension String {
    fileprivate func padded(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
