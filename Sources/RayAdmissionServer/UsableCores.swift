import Foundation
import NIOCore

/// How many cores the server may run on, to size its event loops: NIO counts the cgroup quota and
/// cpuset, but not the process's CPU affinity (`taskset`, or a CPU manager that pins a process
/// without a cpuset). More loops than usable cores make requests hop between threads that share
/// a core: two loops on one pinned core cost 6–21 % of the throughput in back-to-back runs.
public enum UsableCores {
    public static func count() -> Int {
        let nio = System.coreCount
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let allowed = allowedCount(procStatus: status)
        else { return max(1, nio) }
        return max(1, min(nio, allowed))
    }

    /// The CPUs in the `Cpus_allowed` mask of `/proc/<pid>/status` (comma-separated 32-bit hex
    /// words, `00000000,0000000f`); nil when there is no such line or it does not parse.
    static func allowedCount(procStatus: String) -> Int? {
        for line in procStatus.split(separator: "\n") where line.hasPrefix("Cpus_allowed:") {
            let mask = line.dropFirst("Cpus_allowed:".count).trimmingCharacters(in: .whitespaces)
            var count = 0
            for word in mask.split(separator: ",") {
                guard let bits = UInt32(word, radix: 16) else { return nil }
                count += bits.nonzeroBitCount
            }
            return count > 0 ? count : nil
        }
        return nil
    }
}
