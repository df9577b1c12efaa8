import RayAdmission
import Testing

/// `check`'s engine over real manifests, and the YAML it writes.
struct ManifestCheckerTests {
    static let allGates = FeatureGates([
        "GCSFaultToleranceEmbeddedStorage": true, "RayClusterMTLS": true, "RayClusterHistoryServer": true,
        "RayClusterNetworkPolicy": true, "RayCronJob": true,
    ])

    /// Every sample rewritten: the YAML reads back as the mutated objects (other documents as they
    /// were), a second check of it adds nothing, and comments before documents survive.
    @Test(arguments: Fixtures.samplePaths)
    func rewrittenSamplesReadBackAsStoredAndAreStable(path: String) throws {
        let checker = ManifestChecker(engine: PolicyEngine(featureGates: Self.allGates))
        let text = try Fixtures.text("samples/" + path)
        let (rewritten, result) = try checker.rewrite(yaml: text, source: path)
        let original = try YAMLDocumentReader().read(text).compactMap(\.value)
        let reread = try YAMLDocumentReader().read(rewritten).compactMap(\.value)
        #expect(reread.count == original.count)
        var nextReport = 0
        for (before, after) in zip(original, reread) {
            if before["apiVersion"]?.stringValue?.hasPrefix("ray.io/") == true,
                let kind = before["kind"]?.stringValue, RayKind(rawValue: kind) != nil
            {
                try #require(nextReport < result.reports.count)
                let report = result.reports[nextReport]
                nextReport += 1
                #expect(after.isSemanticallyEqual(to: report.mutated), "\(path) \(report.name)")
                #expect(report.denials.isEmpty, "\(path): \(report.denials.map(\.description))")
            } else {
                #expect(after.isSemanticallyEqual(to: before), "\(path)")
            }
        }
        let again = try checker.check(yaml: rewritten, source: path)
        #expect(again.reports.allSatisfy { $0.patch.isEmpty }, "\(path)")
        for line in text.split(separator: "\n").prefix(while: { $0.hasPrefix("#") }) {
            #expect(rewritten.contains(line), "\(path): \(line)")
        }
    }

    @Test func awkwardStringsSurviveTheEmitter() throws {
        let value: JSONValue = [
            "plain": "text", "number-like": "1.50", "bool-like": "true", "null-like": "null", "empty": "",
            "colon": "a: b", "hash": "a #b", "leading-dash": "-x", "quote": "say \"hi\"", "unicode": "größe ✓",
            "multi": "line one\nline two\n", "multi-no-end": "a\nb", "multi-keep": "a\n\n", "indented": "  x\ny",
            "nested": ["list": [1, "2", ["k": "v", "k2": [:]], []], "empty-map": [:]], "yes": "yes", "tab": "a\tb",
        ]
        let yaml = YAMLEmitter().emit(value)
        #expect(try YAMLDocumentReader().readSingle(yaml) == value, "\(yaml)")
    }
}
