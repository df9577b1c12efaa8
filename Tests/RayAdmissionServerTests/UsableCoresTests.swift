import Foundation
import Testing

@testable import RayAdmissionServer

struct UsableCoresTests {
    @Test(arguments: [
        ("Name:\tray-admission\nCpus_allowed:\tff\nCpus_allowed_list:\t0-7\n", 8),
        ("Cpus_allowed:\t00000000,00000001\n", 1),
        ("Cpus_allowed:\t80000000,00000003", 3),
    ])
    func countsTheCPUsInTheAffinityMask(_ status: String, _ expected: Int) {
        #expect(UsableCores.allowedCount(procStatus: status) == expected)
    }

    @Test(arguments: ["Name:\tx\n", "Cpus_allowed:\tzz\n", "Cpus_allowed:\t0\n"])
    func anUnreadableMaskCountsNothing(_ status: String) {
        #expect(UsableCores.allowedCount(procStatus: status) == nil)
    }

    @Test func neverMoreThanTheMachineHasNorFewerThanOne() throws {
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        let allowed = try #require(UsableCores.allowedCount(procStatus: status))
        #expect(UsableCores.count() >= 1)
        #expect(UsableCores.count() <= allowed)
        #expect(UsableCores.count() <= ProcessInfo.processInfo.activeProcessorCount)
    }
}
