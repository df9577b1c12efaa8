import RayAdmission
import Testing

/// Quantities, globs and version ranges: the values a policy is written in.
struct PolicyPrimitivesTests {
    func q(_ text: String) throws -> Quantity { try Quantity(parsing: text) }

    @Test func quantitiesCompareExactlyAcrossSuffixes() throws {
        #expect(try q("1").nanos == 1_000_000_000)
        #expect(try q("500m").nanos == 500_000_000)
        #expect(try q("1.5") == q("1500m"))
        #expect(try q("1Gi").nanos == 1_073_741_824 * 1_000_000_000)
        #expect(try q("1Gi") > q("1G"))
        #expect(try q("256Gi") == q("262144Mi"))
        #expect(try q("1e3") == q("1k"))
        #expect(try q("2E-3") == q("2m"))
        #expect(try q("0.1n").nanos == 1)  // below a nano-unit rounds up, as Kubernetes does
        #expect(try q("-1") < q("0"))
        #expect(try q("32") > q("31999m"))
        #expect(try q(".5") == q("500m"))
    }

    @Test func everySuffixMeansWhatKubernetesSays() throws {
        let decimal: [(String, Int128)] = [
            ("n", 1), ("u", 1_000), ("m", 1_000_000), ("", 1_000_000_000), ("k", 1_000_000_000_000),
            ("M", 1_000_000_000_000_000), ("G", 1_000_000_000_000_000_000),
        ]
        for (suffix, nanos) in decimal { #expect(try q("1" + suffix).nanos == nanos, "\(suffix)") }
        #expect(try q("1T") == q("1000G"))
        #expect(try q("1P") == q("1000T"))
        #expect(try q("1E") == q("1000P"))
        for (index, suffix) in ["Ki", "Mi", "Gi", "Ti", "Pi", "Ei"].enumerated() {
            #expect(try q("1" + suffix).nanos == (Int128(1) << (10 * (index + 1))) * 1_000_000_000, "\(suffix)")
        }
        #expect(try q("1E5") == q("100k"))
        #expect(try q("1e+2") == q("100"))
        #expect(try q("5e-1") == q("500m"))
        #expect(try q("1e20") > q("1E"))
        #expect(throws: Quantity.ParseError.tooLarge("1e30")) { try Quantity(parsing: "1e30") }
        #expect(try q("1e-30").nanos == 1)
    }

    @Test(arguments: [
        "", "abc", "1.2.3", "5Q", "1e", "--1", "Gi", "1 Gi", "1ki", "1e31", "1e-31", "1Mx", "1Kii", "1e+", "1e3x", "1i",
    ])
    func malformedQuantitiesAreRejected(text: String) {
        #expect(throws: Quantity.ParseError.self) { try Quantity(parsing: text) }
    }

    @Test func hugeQuantitiesAreRejectedNotWrapped() {
        #expect(throws: Quantity.ParseError.tooLarge("99999999999999999999999999999999999999999Ei")) {
            try Quantity(parsing: "99999999999999999999999999999999999999999Ei")
        }
    }

    @Test func globsMatchNamesAndImages() throws {
        let research = try GlobPattern("research-*")
        #expect(research.matches("research-vision"))
        #expect(research.matches("research-"))
        #expect(!research.matches("team-research-x"))
        let registry = try GlobPattern("registry.example.com/ray/*")
        #expect(registry.matches("registry.example.com/ray/ray:2.53.0"))
        #expect(!registry.matches("docker.io/rayproject/ray:2.53.0"))
        #expect(try GlobPattern("team-?").matches("team-a"))
        #expect(try !GlobPattern("team-?").matches("team-ab"))
        #expect(try GlobPattern("a*b*c").matches("aXXbYYc"))
        #expect(try !GlobPattern("a*b*c").matches("aXXbYY"))
        #expect(throws: GlobPattern.ParseError.self) { try GlobPattern("team-[ab]") }
        #expect(throws: GlobPattern.ParseError.self) { try GlobPattern("") }
    }

    @Test func versionRangesHoldEveryComparison() throws {
        let range = try VersionRange(">=2.40.0, <3")
        #expect(range.contains("2.40.0"))
        #expect(range.contains("2.53.0"))
        #expect(!range.contains("2.39.9"))
        #expect(!range.contains("3.0.0"))
        #expect(!range.contains("latest"))
        #expect(try VersionRange("!=2.44.0").contains("2.45.0"))
        #expect(throws: VersionRange.ParseError.self) { try VersionRange("2.40") }
        #expect(throws: VersionRange.ParseError.self) { try VersionRange(">=two") }
    }
}
