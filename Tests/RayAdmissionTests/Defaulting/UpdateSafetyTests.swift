import RayAdmission
import Testing

/// On UPDATE only what the update touched gets new defaults (a RayService re-creates its cluster
/// on any `rayClusterConfig` change); DELETE, CONNECT and dry runs as the pipeline answers them.
struct UpdateSafetyTests {
    let defaulter = Defaulter()

    /// A cluster with worker groups that lack the metrics port and GPU env: CREATE would default
    /// them, so an UPDATE is a real test of restraint.
    var incomplete: JSONValue {
        RayObjects.cluster(
            head: RayObjects.group(RayObjects.container(), params: [:]),
            workers: [
                RayObjects.group(RayObjects.container(), name: "a"),
                RayObjects.group(RayObjects.container(), name: "b"),
            ])
    }

    @Test(arguments: RayKind.allCases)
    func anUnrelatedEditAddsNothing(kind: RayKind) throws {
        let old = RayObjects.wrap(incomplete, kind: kind)
        let new = try JSONPatch([.add(path: ["metadata", "labels"], value: ["team": "b"])]).apply(to: old)
        let result = defaulter.apply(to: new, kind: kind, operation: .update, oldObject: old)
        #expect(result.patch.isEmpty, "\(result.patch.jsonValue.jsonString)")
    }

    @Test(arguments: RayKind.allCases)
    func scalingAndTolerationsDoNotCountAsChanges(kind: RayKind) throws {
        let old = RayObjects.wrap(incomplete, kind: kind)
        let cluster = ClusterSpecLocation(kind: kind).pointer
        let group = cluster.appending("workerGroupSpecs").appending(0)
        let new = try JSONPatch([
            .add(path: group.appending("replicas"), value: 5),
            .add(path: group.appending("maxReplicas"), value: 10),
            .add(path: group.appending("template").appending("spec").appending("tolerations"), value: []),
            .add(path: cluster.appending("suspend"), value: true),
        ]).apply(to: old)
        #expect(defaulter.apply(to: new, kind: kind, operation: .update, oldObject: old).patch.isEmpty)
    }

    @Test(arguments: RayKind.allCases)
    func onlyTheChangedGroupIsDefaulted(kind: RayKind) throws {
        let old = RayObjects.wrap(incomplete, kind: kind)
        let group = ClusterSpecLocation(kind: kind).pointer.appending("workerGroupSpecs").appending(1)
        let new = try JSONPatch([
            .replace(
                path: group.appending("template").appending("spec").appending("containers").appending(0).appending(
                    "image"), value: "rayproject/ray:2.54.0")
        ]).apply(to: old)
        let result = defaulter.apply(to: new, kind: kind, operation: .update, oldObject: old)
        #expect(!result.patch.isEmpty)
        #expect(result.patch.operations.allSatisfy { $0.path.hasPrefix(group) }, "\(result.patch.jsonValue.jsonString)")
        // The same change on CREATE defaults everything.
        #expect(defaulter.create(new, kind: kind).patch.operations.count > result.patch.operations.count)
    }

    @Test func theDefaultedObjectUpdatedAgainStaysPut() throws {
        let created = defaulter.create(RayObjects.wrap(incomplete, kind: .rayService), kind: .rayService).object
        let edited = try JSONPatch([.add(path: ["spec", "rayClusterConfig", "rayVersion"], value: "2.54.0")]).apply(
            to: created)
        #expect(defaulter.apply(to: edited, kind: .rayService, operation: .update, oldObject: created).patch.isEmpty)
    }

    @Test func thePipelineAnswersUpdateDeleteAndDryRunAsTheRulesSay() throws {
        let pipeline = AdmissionPipeline()
        let object = RayObjects.wrap(incomplete, kind: .rayCluster)
        let create = pipeline.review(
            try AdmissionReviewDecoding.decode(Reviews.body(object: object)), endpoint: .mutate)
        #expect(create.decision == .patched)
        #expect(create.response.auditAnnotations.first?.key == "defaults-applied")
        #expect(create.response.auditAnnotations.first?.value.contains("worker-metrics-port") == true)
        let dry = pipeline.review(
            try AdmissionReviewDecoding.decode(Reviews.body(object: object, dryRun: true)), endpoint: .mutate)
        #expect(dry.response == create.response)
        let update = pipeline.review(
            try AdmissionReviewDecoding.decode(Reviews.body(operation: "UPDATE", object: object, oldObject: object)),
            endpoint: .mutate)
        #expect(update.response.patch.isEmpty)
        let delete = pipeline.review(
            try AdmissionReviewDecoding.decode(Reviews.body(operation: "DELETE", oldObject: object)), endpoint: .mutate)
        #expect(delete.response.patch.isEmpty && delete.response.allowed)
        // Validation never patches.
        let validate = pipeline.review(
            try AdmissionReviewDecoding.decode(Reviews.body(object: object)), endpoint: .validate)
        #expect(validate.response.patch.isEmpty)
    }
}
