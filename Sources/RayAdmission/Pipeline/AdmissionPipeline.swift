/// The admission pipeline: a decoded request in, a decision out. Pure and synchronous: it does no
/// I/O and knows nothing of HTTP, so the HTTPS server and the offline `check` command share it.
public struct AdmissionPipeline: Sendable {
    /// The audit annotation that lists the defaulting rules that changed the object.
    public static let defaultsAuditKey = "defaults-applied"

    /// The audit annotations that list the validation rules that denied, and that warned.
    public static let violationsAuditKey = "violations"
    public static let warningsAuditKey = "warnings"
    /// The rules whose findings were only recorded (`audit` mode), and the exemption marker.
    public static let auditAuditKey = "audit"
    public static let exemptAuditKey = "exempt"
    /// The rules whose denials the stored object already had, admitted on UPDATE.
    public static let existingAuditKey = "existing-violations"

    /// `[rule] advice (field)`.
    static func warningText(_ warning: FieldError) -> String {
        warningText(
            rule: warning.rule, advice: warning.detail.isEmpty ? warning.messageWithoutField : warning.detail,
            field: warning.field)
    }

    /// `[rule] existing violation, unchanged by this update (field)`.
    static func existingWarningText(_ denial: FieldError) -> String {
        warningText(rule: denial.rule, advice: "existing violation, unchanged by this update", field: denial.field)
    }

    /// The field path is what a reader acts on, so it is always whole: when a warning would be
    /// longer than the response allows, the advice is shortened, never the path.
    static func warningText(rule: RuleID?, advice: String, field: FieldPath) -> String {
        let prefix = "[\(rule?.rawValue ?? "")] "
        let suffix = " (\(field))"
        let room = AdmissionResponse.maximumWarningLength - prefix.count - suffix.count
        guard advice.count > room else { return prefix + advice + suffix }
        return prefix + (room > 1 ? advice.prefix(room - 1) + "…" : "") + suffix
    }

    public var defaulter: Defaulter
    public var validator: Validator

    public init(defaulter: Defaulter = Defaulter(), validator: Validator = Validator()) {
        self.defaulter = defaulter
        self.validator = validator
    }

    /// Takes the request by value: the pipeline then owns the only reference to its object, so
    /// defaulting changes it in place instead of copying every array it touches.
    public func review(_ request: consuming AdmissionRequest, endpoint: AdmissionEndpoint) -> AdmissionOutcome {
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
            return mutate(&request, kind: kind)
        case .validate:
            return validate(request, kind: kind)
        }
    }

    private func mutate(_ request: inout AdmissionRequest, kind: RayKind) -> AdmissionOutcome {
        guard let object = request.object.take() else {
            return AdmissionOutcome(response: .allow(uid: request.uid), decision: .allowed, kind: kind)
        }
        let result = defaulter.apply(
            to: object, kind: kind, operation: request.operation, oldObject: request.oldObject.take())
        var response = AdmissionResponse(
            uid: request.uid, allowed: true, patch: result.patch, warnings: result.warnings)
        if !result.rulesApplied.isEmpty {
            response.auditAnnotations = [
                (key: Self.defaultsAuditKey, value: result.rulesApplied.map(\.rawValue).joined(separator: ","))
            ]
        }
        return AdmissionOutcome(
            response: response, decision: response.patch.isEmpty ? .allowed : .patched, kind: kind,
            rules: result.rulesApplied)
    }

    private func validate(_ request: AdmissionRequest, kind: RayKind) -> AdmissionOutcome {
        guard let object = request.object else {
            return AdmissionOutcome(response: .allow(uid: request.uid), decision: .allowed, kind: kind)
        }
        let result = validator.validate(
            object, kind: kind, operation: request.operation, oldObject: request.oldObject,
            requestVersion: request.requestKind?.version)
        var response: AdmissionResponse
        if result.denials.isEmpty {
            response = .allow(uid: request.uid)
        } else {
            response = .deny(
                uid: request.uid, status: .invalid(kind: request.kind, name: request.objectName, errors: result.denials)
            )
        }
        for warning in result.warnings {
            response.addWarning(Self.warningText(warning))
        }
        for denial in result.existing {
            response.addWarning(Self.existingWarningText(denial))
        }
        var outcome = AdmissionOutcome(
            response: response, decision: result.denials.isEmpty ? .allowed : .denied, kind: kind, rules: result.rules)
        for (errors, mode, key) in [
            (result.denials, AdmissionOutcome.Finding.Mode.deny, Self.violationsAuditKey),
            (result.warnings, .warn, Self.warningsAuditKey), (result.audits, .audit, Self.auditAuditKey),
            (result.existing, .existing, Self.existingAuditKey),
        ] {
            let rules = FieldError.distinctRules(errors)
            guard !rules.isEmpty else { continue }
            outcome.response.auditAnnotations.append((key: key, value: rules.map(\.rawValue).joined(separator: ",")))
            outcome.findings += rules.map { AdmissionOutcome.Finding(rule: $0, mode: mode) }
        }
        return outcome
    }
}
