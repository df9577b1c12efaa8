import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The `process_*` metrics Prometheus client libraries export (CPU seconds, resident and virtual
/// memory, open and maximum file descriptors, start time), read from `/proc` at each scrape.
/// swift-prometheus has no process collector, so this is the one place that reads them. Where
/// there is no `/proc` (macOS development), there are none.
enum ProcessMetrics {
    static func exposition() -> String {
        #if os(Linux)
            guard let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { return "" }
            // After the command name (which may hold spaces and parentheses) come fields 3, 4, …
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            func field(_ number: Int) -> Double? {
                let index = number - 3
                return fields.indices.contains(index) ? Double(fields[index]) : nil
            }
            let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
            let pageSize = Double(sysconf(Int32(_SC_PAGESIZE)))
            var lines: [(String, String, String, Double)] = []
            if let user = field(14), let system = field(15), ticks > 0 {
                lines.append(
                    (
                        "process_cpu_seconds_total", "counter", "Total user and system CPU time spent in seconds.",
                        (user + system) / ticks
                    ))
            }
            if let pages = field(24) {
                lines.append(
                    ("process_resident_memory_bytes", "gauge", "Resident memory size in bytes.", pages * pageSize))
            }
            if let bytes = field(23) {
                lines.append(("process_virtual_memory_bytes", "gauge", "Virtual memory size in bytes.", bytes))
            }
            if let descriptors = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") {
                lines.append(
                    ("process_open_fds", "gauge", "Number of open file descriptors.", Double(descriptors.count)))
            }
            var limit = rlimit()
            if getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 {
                lines.append(
                    ("process_max_fds", "gauge", "Maximum number of open file descriptors.", Double(limit.rlim_cur)))
            }
            if let started = field(22), ticks > 0, let boot = bootTime() {
                lines.append(
                    (
                        "process_start_time_seconds", "gauge", "Start time of the process since unix epoch in seconds.",
                        boot + started / ticks
                    ))
            }
            return lines.map { name, type, help, value in
                "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n\(name) \(format(value))\n"
            }.joined()
        #else
            return ""
        #endif
    }

    /// `btime` of `/proc/stat`: when the machine booted, in seconds since the epoch.
    static func bootTime() -> Double? {
        guard let stat = try? String(contentsOfFile: "/proc/stat", encoding: .utf8) else { return nil }
        return stat.split(separator: "\n").first { $0.hasPrefix("btime ") }.flatMap { Double($0.dropFirst(6)) }
    }

    /// Whole numbers without a fraction, others with what Double prints.
    static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}
