import Testing

@testable import RayAdmission

/// The byte-level parsers behind the image and version rules, on the forms real manifests use.
struct ImageAndVersionParsingTests {
    @Test(arguments: [
        ("rayproject/ray:2.53.0-gpu", "2.53.0"),
        ("rayproject/ray:2.9.0", "2.9.0"),
        ("registry:5000/rayproject/ray:2.46.0-py310", "2.46.0"),
        ("rayproject/ray-ml:2.41.0.deprecated", "2.41.0."),
    ])
    func readsTheRayVersionFromATag(image: String, version: String) {
        #expect(BestPracticeRules.tagVersion(image) == version)
    }

    @Test(arguments: ["rayproject/ray", "rayproject/ray:latest", "registry:5000/ray", "ray:nightly", "ray:2"])
    func findsNoVersionWithoutANumericTag(image: String) {
        #expect(BestPracticeRules.tagVersion(image) == nil)
    }

    @Test func pinnedImagesAreTaggedOrDigested() {
        #expect(BestPracticeRules.isUnpinned("rayproject/ray"))
        #expect(BestPracticeRules.isUnpinned("rayproject/ray:latest"))
        #expect(BestPracticeRules.isUnpinned("registry:5000/rayproject/ray"))
        #expect(!BestPracticeRules.isUnpinned("registry:5000/rayproject/ray:2.53.0"))
        #expect(!BestPracticeRules.isUnpinned("rayproject/ray@sha256:0123"))
        #expect(!BestPracticeRules.isUnpinned("ray:nightly"))
    }

    @Test func parsesVersionsAsKubernetesParseGenericDoes() {
        #expect(RayVersion("2.53.0")?.components == [2, 53, 0])
        #expect(RayVersion(" v2.9")?.components == [2, 9])
        #expect(RayVersion("2.10.0rc1")?.components == [2, 10, 0])
        #expect(RayVersion("2.5.x")?.components == [2, 5])
        #expect(RayVersion("2") == nil)
        #expect(RayVersion("02.1") == nil)
        #expect(RayVersion("latest") == nil)
        #expect(RayVersion("") == nil)
        #expect(RayVersion("2.53.0")! > RayVersion(2, 9, 0))
        #expect(RayVersion("2.6") == RayVersion(2, 6, 0))
    }
}
