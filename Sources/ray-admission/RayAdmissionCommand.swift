import ArgumentParser
import RayAdmissionServer

struct RayAdmissionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ray-admission",
        abstract:
            "Admission webhook for KubeRay: defaults and validates RayCluster, RayJob, RayService and RayCronJob.",
        version: RayAdmissionVersion.current,
        subcommands: [ServeCommand.self, CheckCommand.self, PolicyCommand.self, RulesCommand.self],
        defaultSubcommand: nil
    )
}
