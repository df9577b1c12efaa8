import Hummingbird
import NIOCore

/// The plain-HTTP port for the kubelet and Prometheus: `/healthz` (the process answers),
/// `/readyz` (the HTTPS listener is up with a certificate), `/metrics` (Prometheus text).
struct OperationsResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    let metrics: AdmissionMetrics
    let readiness: ServerReadiness

    func respond(to request: Request, context: Context) async throws -> Response {
        let path = request.uri.path
        guard ["/healthz", "/readyz", "/metrics"].contains(path) else {
            return text(.notFound, "not found; try /healthz, /readyz or /metrics")
        }
        guard request.method == .get || request.method == .head else {
            var response = text(.methodNotAllowed, "only GET is allowed")
            response.headers[.allow] = "GET, HEAD"
            return response
        }
        switch path {
        case "/healthz":
            return text(.ok, "ok")
        case "/readyz":
            if let reason = readiness.notReadyReason {
                return text(.serviceUnavailable, "not ready: \(reason)")
            }
            return text(.ok, "ready")
        default:
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: metrics.exposition())))
        }
    }

    private func text(_ status: HTTPResponse.Status, _ body: String) -> Response {
        Response(
            status: status,
            headers: [.contentType: "text/plain; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: body + "\n")))
    }
}
