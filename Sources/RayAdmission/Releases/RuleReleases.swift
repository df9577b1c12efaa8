/// From which KubeRay release each rule of the rule book is enforced (by the operator, or for
/// the C rules by the CRDs), and until which release the rules of older releases exist. Rules
/// not listed (ray-admission's own: policy constraints, best practices, gaps, field types) apply
/// in every release. Source: the versions companion of the rule book, §8, checked per git tag.
public struct RuleAvailability: Sendable, Hashable {
    /// The first release that enforces the rule.
    public let since: KubeRayRelease
    /// The last release that has it (`spec.deletionPolicy`'s rules end with 1.4); nil for still.
    public let until: KubeRayRelease?
    /// Decided by the release of the installed CRDs rather than the operator's (the C rules).
    public let followsCRDs: Bool

    /// Where the rule stands in a cluster running `operator` with CRDs of `crds`.
    public func status(operator: KubeRayRelease, crds: KubeRayRelease) -> RuleStatus {
        let release = followsCRDs ? crds : `operator`
        if release < since { return .notYet(since: since) }
        if let until, release.minor > until.minor { return .retired(until: until) }
        return .inForce
    }
}

public enum RuleStatus: Sendable, Hashable {
    case inForce
    /// A later release starts enforcing it.
    case notYet(since: KubeRayRelease)
    /// A rule of older releases only.
    case retired(until: KubeRayRelease)
}

public enum RuleReleases {
    public static func availability(of id: RuleID) -> RuleAvailability? {
        table[id]
    }

    /// The rule's status, in force for ray-admission's own rules.
    public static func status(of id: RuleID, operator: KubeRayRelease, crds: KubeRayRelease) -> RuleStatus {
        availability(of: id)?.status(operator: `operator`, crds: crds) ?? .inForce
    }

    private static let table: [RuleID: RuleAvailability] = {
        var table: [RuleID: RuleAvailability] = [:]
        func add(_ ids: [String], _ since: KubeRayRelease, until: KubeRayRelease? = nil) {
            for id in ids {
                // The C rules, and L05 (a CEL rule of the old CRDs), are the installed CRDs' to decide.
                table[RuleID(id)] = RuleAvailability(
                    since: since, until: until, followsCRDs: id.hasPrefix("C") || id == "L05")
            }
        }
        func v(_ range: ClosedRange<Int>) -> [String] { range.map { "V" + ($0 < 10 ? "0\($0)" : "\($0)") } }
        add(
            ["V02", "V09", "V13", "V43", "V44", "V46", "V84", "V85", "V105", "V106", "V116", "V117", "V119", "V120"]
                + v(27...32) + ["V123", "V124", "V139"], .v1_3)
        add(["V01", "V47", "V48", "V49", "V86", "V87", "V110", "V115", "V122"] + v(3...6), .v1_4)
        add(
            ["V07", "V45", "V125", "V131", "V132"] + v(10...12) + v(18...20) + v(88...98) + v(100...104)
                + v(107...108) + v(111...113) + v(126...129), .v1_5)
        add(v(60...62), .v1_5_1)
        add(
            ["V50", "V82", "V83", "V99", "V109", "V114", "V118", "V121", "V135", "V138"] + v(14...17) + v(21...22)
                + v(63...65), .v1_6)
        add(
            ["V08", "V130", "V133", "V134", "V136", "V137", "W01"] + v(23...26) + v(33...42) + v(51...59)
                + v(66...81), .v1_7)
        add(["L01", "L02", "L03", "L04", "L05"], .v1_3, until: .v1_4)
        add(["C01", "C07", "C09", "C10", "C11", "C12"], .v1_3)
        add(["C03", "C05"], .v1_5)
        add(["C04", "C06"], .v1_6)
        add(["C02"], .v1_7)
        add(["R01", "R02", "R03", "R04", "R05", "R06", "R08"], .v1_3)
        add(["R11"], .v1_5_1)
        return table
    }()
}
