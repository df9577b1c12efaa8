import Testing

@testable import RayAdmission

/// Image references and versions as the Ray warnings read them, on the tag forms of Ray's image
/// pipeline and of real manifests (the best-practice spec, §2.2 and §2.3).
struct ImageAndVersionParsingTests {
    @Test(arguments: [
        ("rayproject/ray-ml:2.36.1.999f76-py311", [2, 36, 1]),
        ("rayproject/ray:2.46.0.0e19ea-py39-gpu", [2, 46, 0]),
        ("rayproject/ray-ml:2.49.2.deprecated-py311-gpu", [2, 49, 2]),
        ("rayproject/ray:2.9.0-py310-cu121-aarch64", [2, 9, 0]),
        ("rayproject/ray:2.53.0-extra-py310-cpu", [2, 53, 0]),
        ("registry:5000/rayproject/ray:2.46.0", [2, 46, 0]),
        ("rayproject/ray:2.9.0@sha256:0123", [2, 9, 0]),
    ])
    func readsTheRayVersionAtTheStartOfATag(image: String, version: [Int]) {
        #expect(RayImageReference(image).rayVersion == version)
    }

    @Test(arguments: [
        "rayproject/ray:nightly", "rayproject/ray:nightly.260107.abc123-py310", "rayproject/ray:latest-gpu",
        "rayproject/ray:806c18-py38-cu112", "nvcr.io/nvidia/tritonserver:24.01", "rayproject/ray",
        "rayproject/ray@sha256:0123", "rayproject/ray:2.9", "rayproject/ray:2.9.0x", "registry:5000/rayproject/ray",
    ])
    func findsNoVersionInOtherTags(image: String) {
        #expect(RayImageReference(image).rayVersion == nil)
    }

    @Test func onlyRaysOwnRepositoriesAreOfficial() {
        for image in [
            "rayproject/ray:2.9.0", "docker.io/rayproject/ray-ml:2.9.0",
            "mirror.example.com/dockerhub/rayproject/ray-llm:1",
        ] {
            #expect(RayImageReference(image).isOfficial(), "\(image)")
        }
        for image in [
            "busybox:1.28", "anyscale/ray-llm:0.5.0", "quay.io/modh/ray:2.35.0-py311-cu121",
            "myorg/rayproject-ray:2.9.0",
            "ray:2.9.0",
        ] {
            #expect(!RayImageReference(image).isOfficial(), "\(image)")
        }
        #expect(RayImageReference("quay.io/modh/ray:2.35.0").isOfficial(extraRepositories: ["quay.io/modh/ray"]))
    }

    @Test func readsThePythonOfATag() {
        #expect(RayImageReference("rayproject/ray:2.9.0-py310-gpu").python == "py310")
        #expect(RayImageReference("rayproject/ray:2.9.0-extra-py311").python == "py311")
        #expect(RayImageReference("rayproject/ray:2.9.0-gpu").python == nil)
        #expect(RayImageReference("rayproject/ray:py310").python == nil)
    }

    @Test func pinnedImagesAreTaggedOrDigested() {
        #expect(RayImageReference("rayproject/ray").isUnpinned())
        #expect(RayImageReference("rayproject/ray:latest").isUnpinned())
        #expect(RayImageReference("registry:5000/rayproject/ray").isUnpinned())
        #expect(RayImageReference("rayproject/ray:latest-py311-cpu").isUnpinned())
        #expect(!RayImageReference("example.com/app:latest-build").isUnpinned(), "latest- only for Ray's images")
        #expect(!RayImageReference("registry:5000/rayproject/ray:2.53.0").isUnpinned())
        #expect(!RayImageReference("rayproject/ray@sha256:0123").isUnpinned())
        #expect(!RayImageReference("rayproject/ray:nightly").isUnpinned())
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
