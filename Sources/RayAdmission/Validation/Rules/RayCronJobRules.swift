import Foundation

#if canImport(FoundationEssentials)
    import FoundationEssentials
#endif

/// RayCronJob rules (rule book §1.F, V134–V137; V133 is V08, V138 runs the RayJob rules on the template).
enum RayCronJobRules {
    static let schedule = FieldPath("spec", "schedule")
    static let timeZone = FieldPath("spec", "timeZone")

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
            guard let value = context.object["spec"]?["schedule"]?.stringValue, !value.contains("TZ"),
                let problem = CronSchedule.problem(value)
            else { return [] }
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
                !["UTC", "Local"].contains(value), TimeZone(identifier: value) == nil
            else { return [] }
            return [.invalid(timeZone, .string(value), "invalid time zone: unknown time zone \(value)")]
        },
    ]
}
