import RayAdmission
import Testing

struct ClusterSpecLocationTests {
    @Test(arguments: [RayKind.rayCluster, .rayJob, .rayService, .rayCronJob])
    func theSharedLocationIsTheOneBuiltForTheKind(_ kind: RayKind) {
        #expect(ClusterSpecLocation.of(kind) == ClusterSpecLocation(kind: kind))
    }

    /// The first groups' locations are made once; past them they are made per request. Both must
    /// name every group present, in order, and no other.
    @Test(arguments: [0, 1, 3, 31, 32, 33, 40])
    func everyWorkerGroupPresentIsFound(_ count: Int) {
        let groups = JSONValue.array(Array(repeating: ["groupName": "g"], count: count))
        let object: JSONValue = ["spec": ["rayClusterSpec": ["workerGroupSpecs": groups]]]
        let found = ClusterSpecLocation.of(.rayJob).workerGroups(in: object)
        #expect(found.map(\.index) == (0..<count).map { $0 })
        #expect(
            found.map(\.pointer)
                == (0..<count).map {
                    JSONPointer(tokens: ["spec", "rayClusterSpec", "workerGroupSpecs", String($0)])
                })
        #expect(found.allSatisfy { object[$0.pointer] == ["groupName": "g"] })
    }
}
