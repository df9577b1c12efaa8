import Hummingbird
import Logging
import NIOCore
import RayAdmission

/// Turns HTTPS requests into reviews for the pipeline and reviews into responses. A well-formed
/// AdmissionReview always gets HTTP 200; everything else gets the HTTP status that says why.
struct AdmissionResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    /// The API server sends objects up to its own limit (3 MiB etcd values, wrapped twice for
    /// UPDATE); 7 MiB leaves room, and bounds what one request can make us hold.
    static let defaultMaximumBodySize = 7 * 1024 * 1024

    /// The policy in force, read once per request: a reload swaps the whole engine.
    let engine: @Sendable () -> PolicyEngine
    let metrics: AdmissionMetrics
    let logger: Logger
    let maximumBodySize: Int

    func respond(to request: Request, context: Context) async throws -> Response {
        let started = ContinuousClock.now
        let path = request.uri.path
        guard let route = AdmissionRoute.matching(path: path) else {
            return reject(
                .notFound, "no admission endpoint at \(path.prefix(128)); POST to /mutate or /validate",
                label: "unknown")
        }
        let label = route.endpoint.rawValue
        guard request.method == .post else {
            var response = plain(.methodNotAllowed, "\(request.method) is not allowed: admission reviews are POSTed")
            response.headers[.allow] = "POST"
            metrics.rejected(endpoint: label, code: 405)
            return response
        }
        if let contentType = request.headers[.contentType], !Self.isJSON(contentType) {
            return reject(.unsupportedMediaType, "Content-Type must be application/json", label: label)
        }
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > maximumBodySize {
            return reject(
                .contentTooLarge, "body of \(declared) bytes exceeds the limit of \(maximumBodySize)",
                label: label)
        }

        metrics.requestStarted()
        defer { metrics.requestFinished() }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: maximumBodySize)
        } catch is NIOTooManyBytesError {
            return reject(.contentTooLarge, "body exceeds the limit of \(maximumBodySize) bytes", label: label)
        }

        let admissionRequest: AdmissionRequest
        do {
            admissionRequest = try body.withUnsafeReadableBytes { bytes throws(AdmissionReviewError) in
                try AdmissionReviewDecoding.decode(bytes)
            }
        } catch {
            // The reason can quote the body (a key, a value); only debug logs carry request content.
            var metadata: Logger.Metadata = ["path": "\(path)", "bytes": "\(body.readableBytes)"]
            if logger.logLevel <= .debug { metadata["reason"] = "\(error.message)" }
            logger.info("malformed admission review (answered 400 with the reason)", metadata: metadata)
            return reject(.badRequest, error.message, label: label)
        }

        let summary = RequestSummary(admissionRequest)
        // Handed over, not shared: a `let` otherwise lives to the end of the scope, and the
        // defaulter's first change would then copy every container on its path.
        let outcome = engine().review(consume admissionRequest, endpoint: route.endpoint)
        if !outcome.findings.isEmpty { metrics.policyFindings(outcome.findings, namespace: summary.namespace) }
        let encoded = AdmissionReviewEncoding.encode(outcome.response)
        metrics.reviewed(
            endpoint: route.endpoint, kind: outcome.kind?.rawValue ?? "other",
            operation: summary.operation.rawValue, decision: outcome.decision,
            duration: ContinuousClock.now - started)
        log(outcome, request: summary, route: route)
        return Response(
            status: .ok,
            headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: encoded)))
    }

    /// What logs and metrics need of a request, taken before the pipeline takes the request.
    struct RequestSummary {
        let uid: String
        let kind: GroupVersionKind
        let namespace: String
        let name: String
        let operation: AdmissionOperation
        let user: String

        init(_ request: AdmissionRequest) {
            uid = request.uid
            kind = request.kind
            namespace = request.namespace
            name = request.objectName
            operation = request.operation
            user = request.userInfo.username
        }
    }

    /// Denials at info; an admitted object with findings that were only recorded (audit mode,
    /// existing violations) at info too, so that who would be denied can be read from the logs
    /// during a dry run; other admissions at debug.
    private func log(_ outcome: AdmissionOutcome, request: RequestSummary, route: AdmissionRoute) {
        let level: Logger.Level
        let recorded = outcome.hasRecordedFindings
        switch outcome.decision {
        case .denied: level = .info
        case .ignored, .exempt: level = .notice
        case .allowed, .patched: level = recorded ? .info : .debug
        }
        guard logger.logLevel <= level else { return }
        var metadata: Logger.Metadata = [
            "uid": "\(request.uid)",
            "kind": "\(request.kind)",
            "namespace": "\(request.namespace)",
            "name": "\(request.name)",
            "operation": "\(request.operation.rawValue)",
            "user": "\(request.user)",
            "endpoint": "\(route.endpoint.rawValue)",
            "decision": "\(outcome.decision.rawValue)",
        ]
        if !outcome.rules.isEmpty { metadata["rules"] = "\(outcome.rules.map(\.rawValue).joined(separator: ","))" }
        for mode in [AdmissionOutcome.Finding.Mode.audit, .existing] {
            let rules = outcome.findings.filter { $0.mode == mode }.map(\.rule.rawValue)
            if !rules.isEmpty { metadata[mode.rawValue] = "\(rules.joined(separator: ","))" }
        }
        if let kind = route.kind, outcome.kind != kind {
            metadata["pathKind"] = "\(kind.rawValue)"
        }
        // Messages quote field values; above debug, the rule ids say what was wrong.
        if logger.logLevel <= .debug, let message = outcome.response.status?.message {
            metadata["message"] = "\(message)"
        }
        let text =
            if outcome.decision == .ignored {
                "not a Ray resource; allowed unchanged"
            } else if outcome.decision != .denied, recorded {
                "admitted with recorded findings"
            } else {
                "admission decision"
            }
        logger.log(level: level, "\(text)", metadata: metadata)
    }

    private func reject(_ status: HTTPResponse.Status, _ reason: String, label: String) -> Response {
        metrics.rejected(endpoint: label, code: status.code)
        return plain(status, reason)
    }

    private func plain(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(
            status: status,
            headers: [.contentType: "text/plain; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text + "\n")))
    }

    /// `application/json`, with or without parameters such as `charset=utf-8`.
    static func isJSON(_ contentType: String) -> Bool {
        // What the API server sends, settled without splitting and lowercasing.
        if contentType == "application/json" { return true }
        let mediaType = contentType.split(separator: ";", maxSplits: 1).first ?? ""
        return mediaType.filter { $0 != " " && $0 != "\t" }.lowercased() == "application/json"
    }
}
