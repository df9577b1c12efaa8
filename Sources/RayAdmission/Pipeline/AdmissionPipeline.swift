/// The admission pipeline: a decoded request in, a decision out. Pure and synchronous: it does no
/// I/O and knows nothing of HTTP, so the HTTPS server and the offline `check` command share it.
public struct AdmissionPipeline: Sendable {
    public init() {}

    public func review(_ request: AdmissionRequest, endpoint: AdmissionEndpoint) -> AdmissionOutcome {
        guard let kind = RayKind(request.kind) else {
            return AdmissionOutcome(response: .allow(uid: request.uid), decision: .ignored, kind: nil)
        }
        switch request.operation {
        case .delete, .connect:
            // Never block deletion or finalizer removal; there is nothing to default on either.
            return AdmissionOutcome(response: .allow(uid: request.uid), decision: .allowed, kind: kind)
        case .create, .update:
            break
        }
        guard request.object != nil else {
            let status = AdmissionStatus.badRequest(
                "request.object is required for \(request.operation.rawValue) of \(kind.rawValue)")
            return AdmissionOutcome(response: .deny(uid: request.uid, status: status), decision: .denied, kind: kind)
        }
        if request.operation == .update, request.oldObject == nil {
            let status = AdmissionStatus.badRequest("request.oldObject is required for UPDATE of \(kind.rawValue)")
            return AdmissionOutcome(response: .deny(uid: request.uid, status: status), decision: .denied, kind: kind)
        }
        switch endpoint {
        case .mutate:
            return mutate(request, kind: kind)
        case .validate:
            return validate(request, kind: kind)
        }
    }

    private func mutate(_ request: AdmissionRequest, kind: RayKind) -> AdmissionOutcome {
        // The defaulting rules (issue 3) record their changes through a PatchingDocument; with
        // none registered the object is admitted unchanged.
        let document = PatchingDocument(request.object ?? .null)
        var response = AdmissionResponse.allow(uid: request.uid)
        response.patch = document.patch
        let rules = document.rulesApplied
        return AdmissionOutcome(
            response: response, decision: response.patch.isEmpty ? .allowed : .patched, kind: kind, rules: rules)
    }

    private func validate(_ request: AdmissionRequest, kind: RayKind) -> AdmissionOutcome {
        // The validation rules (issue 4) collect field errors; with none registered, allow.
        let errors: [FieldError] = []
        guard errors.isEmpty else {
            let status = AdmissionStatus.invalid(kind: request.kind, name: request.objectName, errors: errors)
            return AdmissionOutcome(
                response: .deny(uid: request.uid, status: status), decision: .denied, kind: kind,
                rules: errors.compactMap(\.rule))
        }
        return AdmissionOutcome(response: .allow(uid: request.uid), decision: .allowed, kind: kind)
    }
}
