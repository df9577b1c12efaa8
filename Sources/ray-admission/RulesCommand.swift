import ArgumentParser
import RayAdmission

struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract:
            "List every rule: id, stage, kinds, its default (on/off for defaults, deny/warn for validation), and what it does."
    )

    func run() {
        let descriptors = DefaultingCatalog.descriptors + ValidationCatalog.descriptors
        let modes = Dictionary(
            uniqueKeysWithValues: ValidationCatalog.rules.map { ($0.descriptor.id, $0.defaultMode.rawValue) })
        let idWidth = max(4, descriptors.map(\.id.rawValue.count).max() ?? 0)
        print(
            "ID".padded(idWidth) + "  STAGE       DEFAULT  KINDS                                   SUMMARY")
        for descriptor in descriptors {
            let kinds = RayKind.allCases.filter(descriptor.kinds.contains).map(\.rawValue).joined(separator: ",")
            print(
                descriptor.id.rawValue.padded(idWidth) + "  " + descriptor.stage.rawValue.padded(10) + "  "
                    + (modes[descriptor.id] ?? (descriptor.enabledByDefault ? "on" : "off")).padded(7) + "  "
                    + kinds.padded(38) + "  "
                    + descriptor.summary)
        }
    }
}

extension String {
    fileprivate func padded(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
