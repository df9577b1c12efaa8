/// The schedule syntax KubeRay's RayCronJob accepts: robfig/cron v3 `ParseStandard` (five fields,
/// minute hour day-of-month month day-of-week, or a descriptor such as `@daily`, `@every 5m`).
enum CronSchedule {
    struct Field {
        let name: String
        let range: ClosedRange<Int>
        let names: [String: Int]
    }

    static let months = [
        "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11,
        "dec": 12,
    ]
    static let weekdays = ["sun": 0, "mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6]
    static let fields = [
        Field(name: "minute", range: 0...59, names: [:]),
        Field(name: "hour", range: 0...23, names: [:]),
        Field(name: "day of month", range: 1...31, names: [:]),
        Field(name: "month", range: 1...12, names: months),
        Field(name: "day of week", range: 0...6, names: weekdays),
    ]
    static let descriptors: Set<String> = [
        "@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly",
    ]

    /// Nil when the schedule parses; otherwise why not.
    static func problem(_ schedule: String) -> String? {
        let trimmed = schedule.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard !trimmed.isEmpty else { return "empty spec string" }
        if let first = trimmed.first, first.hasPrefix("@") {
            if first == "@every" {
                guard trimmed.count == 2, let seconds = GoDuration.seconds(String(trimmed[1])) else {
                    return "failed to parse duration \(trimmed.dropFirst().joined(separator: " "))"
                }
                return seconds > 0 ? nil : "@every duration must be positive"
            }
            return trimmed.count == 1 && descriptors.contains(first.lowercased())
                ? nil : "unrecognized descriptor: \(first)"
        }
        guard trimmed.count == fields.count else {
            return "expected exactly 5 fields, found \(trimmed.count): \(schedule)"
        }
        for (text, field) in zip(trimmed, fields) {
            for item in text.split(separator: ",", omittingEmptySubsequences: false) {
                if let problem = rangeProblem(item, field) { return problem }
            }
        }
        return nil
    }

    static func rangeProblem(_ item: Substring, _ field: Field) -> String? {
        let parts = item.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { return "too many slashes: \(item)" }
        if parts.count == 2 {
            guard let step = Int(parts[1]), step > 0 else { return "invalid step in \(field.name): \(item)" }
        }
        let base = parts[0]
        if base == "*" || base == "?" { return nil }
        let bounds = base.split(separator: "-", omittingEmptySubsequences: false)
        guard bounds.count <= 2 else { return "too many hyphens: \(item)" }
        var values: [Int] = []
        for bound in bounds {
            guard let value = Int(bound) ?? field.names[bound.lowercased()] else {
                return "failed to parse \(field.name) value \"\(bound)\""
            }
            guard field.range.contains(value) else {
                return
                    "\(field.name) value \(value) is out of range (\(field.range.lowerBound)-\(field.range.upperBound))"
            }
            values.append(value)
        }
        if values.count == 2, values[0] > values[1] {
            return "beginning of range (\(values[0])) beyond end of range (\(values[1])): \(item)"
        }
        return nil
    }
}
