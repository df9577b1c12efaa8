import RayAdmission
import Testing

struct FieldErrorTests {
    @Test func pathsReadLikeKubernetes() {
        let path = FieldPath("spec", "workerGroupSpecs").index(0).child("template", "spec", "containers").index(2)
            .child("env").key("ray.io/x")
        #expect(path.description == "spec.workerGroupSpecs[0].template.spec.containers[2].env[ray.io/x]")
        #expect(path.pointer.description == "/spec/workerGroupSpecs/0/template/spec/containers/2/env/ray.io~1x")
    }

    @Test func eachKindHasTheAPIServersWording() {
        let field = FieldPath("spec", "x")
        #expect(FieldError.invalid(field, "a\"b", "bad").description == #"spec.x: Invalid value: "a\"b": bad"#)
        #expect(FieldError.required(field).description == "spec.x: Required value")
        #expect(FieldError.forbidden(field, "not here").description == "spec.x: Forbidden: not here")
        #expect(FieldError.duplicate(field, "g").description == #"spec.x: Duplicate value: "g""#)
        #expect(
            FieldError.notSupported(field, "Foo", supported: ["K8sJobMode", "HTTPMode"]).description
                == #"spec.x: Unsupported value: "Foo": supported values: "K8sJobMode", "HTTPMode""#)
        #expect(
            FieldError(.tooLong(maximum: 63), field, value: "n").description
                == "spec.x: Too long: may not be more than 63 bytes")
    }

    @Test func hugeValuesAreCutShort() {
        let error = FieldError.invalid(FieldPath("a"), .string(String(repeating: "x", count: 10_000)), "too big")
        #expect(error.description.count < 400)
    }

    @Test func oneErrorHasNoBrackets() {
        let kind = GroupVersionKind(group: "ray.io", version: "v1", kind: "RayJob")
        let message = FieldError.invalidObjectMessage(kind: kind, name: "j", errors: [.required(FieldPath("spec"))])
        #expect(message == "RayJob.ray.io \"j\" is invalid: spec: Required value")
    }
}
