import RayAdmission
import Testing

/// Every document of every KubeRay sample, YAML → JSON → bytes → JSON: the same value, the same
/// key order, the same number text, and the same bytes when encoded again.
struct JSONRoundTripTests {
    @Test func fixturesArePresent() {
        #expect(Fixtures.samplePaths.count == 94)
    }

    @Test(arguments: Fixtures.samplePaths)
    func sampleRoundTrips(_ path: String) throws {
        let documents = try Fixtures.sampleDocuments(path)
        #expect(!documents.isEmpty)
        for document in documents {
            let encoded = document.encoded()
            let decoded = try JSONParser().parse(encoded)
            #expect(decoded == document)
            #expect(decoded.encoded() == encoded)
        }
    }

    @Test func theCorpusHoldsEightyNineRayResourceFiles() throws {
        let files = Set(try Fixtures.rayResources().map(\.path))
        #expect(files.count == 89)
    }
}
