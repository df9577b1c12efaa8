import RayAdmission
import Testing

struct AdmissionPipelineTests {
    let pipeline = AdmissionPipeline()

    func request(_ body: JSONValue) throws -> AdmissionRequest {
        try AdmissionReviewDecoding.decode(body)
    }

    @Test(arguments: RayKind.allCases, AdmissionEndpoint.allCases)
    func everyRayKindIsAdmittedOnBothEndpoints(kind: RayKind, endpoint: AdmissionEndpoint) throws {
        let outcome = pipeline.review(
            try request(
                Reviews.body(
                    uid: "uid-\(kind)", kind: kind.rawValue, object: Reviews.minimalObject(kind: kind.rawValue))),
            endpoint: endpoint)
        #expect(outcome.kind == kind)
        #expect(outcome.response.uid == "uid-\(kind)")
        #expect(outcome.response.allowed)
    }

    @Test func otherKindsAreIgnored() throws {
        let outcome = pipeline.review(
            try request(Reviews.body(kind: "Pod", group: "", object: ["kind": "Pod"])), endpoint: .validate)
        #expect(outcome.decision == .ignored)
        #expect(outcome.kind == nil)
        #expect(outcome.response.allowed)
    }

    @Test(arguments: ["DELETE", "CONNECT"])
    func deleteAndConnectAreAllowedWithoutPatch(operation: String) throws {
        for endpoint in AdmissionEndpoint.allCases {
            let outcome = pipeline.review(
                try request(Reviews.body(operation: operation, oldObject: Reviews.minimalObject())), endpoint: endpoint)
            #expect(outcome.response.allowed)
            #expect(outcome.response.patch.isEmpty)
        }
    }

    @Test func createWithoutObjectIsDeniedAsBadRequest() throws {
        let outcome = pipeline.review(try request(Reviews.body(operation: "CREATE")), endpoint: .mutate)
        #expect(!outcome.response.allowed)
        #expect(outcome.response.status?.code == 400)
        #expect(outcome.response.status?.message.contains("request.object is required") == true)
    }

    @Test func updateWithoutOldObjectIsDeniedAsBadRequest() throws {
        let outcome = pipeline.review(
            try request(Reviews.body(operation: "UPDATE", object: Reviews.minimalObject())), endpoint: .validate)
        #expect(outcome.response.status?.code == 400)
    }

    @Test func dryRunGetsTheSameAnswer() throws {
        let object = Reviews.minimalObject()
        for endpoint in AdmissionEndpoint.allCases {
            let wet = pipeline.review(try request(Reviews.body(object: object)), endpoint: endpoint)
            let dry = pipeline.review(try request(Reviews.body(object: object, dryRun: true)), endpoint: endpoint)
            #expect(wet.response == dry.response)
        }
    }

    /// With every gate on (four samples use alpha features; ValidationCorpusTests covers them off).
    @Test func everyRayResourceInTheSamplesIsAdmitted() throws {
        let pipeline = AdmissionPipeline(validator: Validator(featureGates: ValidationCorpusTests.allGates))
        let resources = try Fixtures.rayResources()
        #expect(resources.count >= 89)
        for (path, object) in resources {
            let kind = object["kind"]?.stringValue ?? ""
            for endpoint in AdmissionEndpoint.allCases {
                let outcome = pipeline.review(try request(Reviews.body(kind: kind, object: object)), endpoint: endpoint)
                #expect(outcome.response.allowed, "\(path) \(endpoint)")
            }
        }
    }
}
