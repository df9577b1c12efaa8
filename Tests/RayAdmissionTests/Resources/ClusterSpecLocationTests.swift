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

    /// The paths each group carries, made once, must equal the ones the rules built before.
    @Test(arguments: [RayKind.rayCluster, .rayJob])
    func groupPathsAreTheRayContainersAndPodSpecs(_ kind: RayKind) {
        let location = ClusterSpecLocation.of(kind)
        let prefix = kind == .rayCluster ? "spec" : "spec.rayClusterSpec"
        let worker = location.workerGroups(in: [
            "spec": kind == .rayCluster
                ? ["workerGroupSpecs": [[:], [:], [:], [:]]]
                : ["rayClusterSpec": ["workerGroupSpecs": [[:], [:], [:], [:]]]]
        ])[3]
        #expect(worker.rayContainerFieldPath.description == "\(prefix).workerGroupSpecs[3].template.spec.containers[0]")
        #expect(worker.podSpecFieldPath.description == "\(prefix).workerGroupSpecs[3].template.spec")
        #expect(worker.rayContainerEnv == worker.rayContainer.appending("env"))
        #expect(
            location.headGroup.rayContainerFieldPath
                == location.headGroup.fieldPath.child("template", "spec", "containers").index(0))
        #expect(
            location.headGroup.rayContainerEnv.description == "/" + prefix.replacingOccurrences(of: ".", with: "/")
                + "/headGroupSpec/template/spec/containers/0/env")
    }
}
