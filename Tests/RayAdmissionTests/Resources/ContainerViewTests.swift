import RayAdmission
import Testing

struct ContainerViewTests {
    /// KubeRay's test (§3.3): a name ending in `gpu`, or an NVIDIA MIG slice, in any letter case.
    @Test(arguments: [
        ("nvidia.com/gpu", true), ("NVIDIA.COM/GPU", true), ("amd.com/gpu", true), ("gpu", true),
        ("example.com/Gpu", true), ("nvidia.com/mig-1g.5gb", true), ("NVIDIA.com/MIG-3g.20GB", true),
        ("nvidia.com/mig-7g.80gb", true), ("cpu", false), ("memory", false), ("gp", false), ("", false),
        ("gpus", false), ("google.com/tpu", false), ("nvidia.com/mig-1g.gb", false),
        ("nvidia.com/mig-g.5gb", false), ("nvidia.com/mig-1x.5gb", false), ("nvidia.com/mig-1g.5g", false),
        ("nvidia.com/mig-1g.5gb.1gb", false), ("nvidia.com/mig", false), ("ＧＰＵ", false),
    ])
    func recognisesGPUResourceNames(_ name: String, _ isGPU: Bool) {
        #expect(ContainerView.isGPUResource(name) == isGPU)
    }

    @Test func hasGPULimitOnlyForANonZeroGPULimit() throws {
        let withGPU = try JSONValue.parse(#"{"resources":{"limits":{"cpu":"2","NVIDIA.com/GPU":"1"}}}"#)
        let zeroGPU = try JSONValue.parse(#"{"resources":{"limits":{"nvidia.com/gpu":"0","cpu":"2"}}}"#)
        let requestsOnly = try JSONValue.parse(#"{"resources":{"requests":{"nvidia.com/gpu":1}}}"#)
        #expect(ContainerView(withGPU).hasGPULimit)
        #expect(!ContainerView(zeroGPU).hasGPULimit)
        #expect(!ContainerView(requestsOnly).hasGPULimit)
    }
}
