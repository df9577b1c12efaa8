/// Why a request body is not a well-formed AdmissionReview v1. The server answers it with HTTP
/// 400 and `message` as the reason.
public struct AdmissionReviewError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
