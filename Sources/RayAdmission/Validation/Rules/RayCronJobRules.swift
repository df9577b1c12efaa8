import Foundation

#if canImport(FoundationEssentials)
    import FoundationEssentials
#endif

/// RayCronJob rules (rule book §1.F, V134–V137; V133 is V08, V138 runs the RayJob rules on the template).
enum RayCronJobRules {
    static let schedule = FieldPath("spec", "schedule")
    static let timeZone = FieldPath("spec", "timeZone")

    /// A zone KubeRay's Go can load: an IANA name, `UTC` or `Local`.
    static func isZone(_ name: String) -> Bool {
        ["UTC", "Local"].contains(name) || TimeZone(identifier: name) != nil
    }

    /// robfig/cron's own `TZ=<zone> ` or `CRON_TZ=<zone> ` prefix, then the schedule: what
    /// KubeRay 1.6 accepts (1.7 forbids the prefix, V134).
    static func problem(withZonePrefix schedule: String) -> String? {
        guard schedule.hasPrefix("TZ=") || schedule.hasPrefix("CRON_TZ=") else { return CronSchedule.problem(schedule) }
        guard let space = schedule.firstIndex(of: " "), let equals = schedule.firstIndex(of: "=") else {
            return "provided bad location: \(schedule)"
        }
        let zone = String(schedule[schedule.index(after: equals)..<space])
        guard isZone(zone) else { return "provided bad location \(zone): unknown time zone \(zone)" }
        return CronSchedule.problem(String(schedule[space...]))
    }

    static let all: [ValidationRule] = [
        ValidationRule(id: "V134", summary: "schedule has no TZ or CRON_TZ (use timeZone)", kinds: [.rayCronJob]) {
            context in
            guard let value = context.object["spec"]?["schedule"]?.stringValue, value.contains("TZ") else { return [] }
            return [
                .invalid(schedule, .string(value), "cannot use TZ or CRON_TZ in schedule, use timeZone field instead")
            ]
        },
        ValidationRule(
            id: "V135", summary: "schedule is a standard cron expression or descriptor", kinds: [.rayCronJob]
        ) { context in
            guard let value = context.object["spec"]?["schedule"]?.stringValue else { return [] }
            let problem: String?
            if context.release < .v1_7 {
                // Before V134, the cron parser's own `TZ=` / `CRON_TZ=` prefix was the way to name a zone.
                problem = Self.problem(withZonePrefix: value)
            } else {
                guard !value.contains("TZ") else { return [] }
                problem = CronSchedule.problem(value)
            }
            guard let problem else { return [] }
            return [.invalid(schedule, .string(value), "invalid cron schedule: \(problem)")]
        },
        ValidationRule(id: "V136", summary: "timeZone is not an empty string", kinds: [.rayCronJob]) { context in
            guard context.object["spec"]?["timeZone"] == "" else { return [] }
            return [
                .invalid(
                    timeZone, "",
                    "timeZone must not be empty string, omit the field to use the local time zone of the KubeRay operator"
                )
            ]
        },
        ValidationRule(id: "V137", summary: "timeZone is an IANA time zone", kinds: [.rayCronJob]) { context in
            guard let value = context.object["spec"]?["timeZone"]?.stringValue, !value.isEmpty,
                !isZone(value)
            else { return [] }
            return [.invalid(timeZone, .string(value), "invalid time zone: unknown time zone \(value)")]
        },
    ]
}
