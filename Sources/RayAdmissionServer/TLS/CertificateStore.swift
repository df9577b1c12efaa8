import NIOCore
import NIOSSL
import Synchronization

/// The serving certificate in force. TLS handshakes read it through `sslContextCallback`, the
/// reloader replaces it; a swap applies to new handshakes, established connections keep theirs.
public final class CertificateStore: Sendable {
    private struct State {
        var current: ServingCertificate
        var generation: Int
        var healthy: Bool
        var lastError: String?
    }

    private let state: Mutex<State>
    /// The pair the TLS context was built with; while it is still current, handshakes need no
    /// override at all.
    private let initial: ServingCertificate

    public init(_ certificate: ServingCertificate) {
        self.initial = certificate
        self.state = Mutex(State(current: certificate, generation: 0, healthy: true, lastError: nil))
    }

    public var current: ServingCertificate {
        state.withLock { $0.current }
    }

    /// How many times a new certificate was swapped in.
    public var generation: Int {
        state.withLock { $0.generation }
    }

    /// False after a reload found broken files and kept the old pair; readiness reports it.
    public var isHealthy: Bool {
        state.withLock { $0.healthy }
    }

    public var lastError: String? {
        state.withLock { $0.lastError }
    }

    /// Swaps in a new pair; returns false when it is the same as the current one.
    @discardableResult
    public func replace(with certificate: ServingCertificate) -> Bool {
        state.withLock { state in
            state.healthy = true
            state.lastError = nil
            guard !state.current.hasSameFiles(as: certificate) else { return false }
            state.current = certificate
            state.generation += 1
            return true
        }
    }

    public func recordFailure(_ message: String) {
        state.withLock {
            $0.healthy = false
            $0.lastError = message
        }
    }

    /// The server TLS configuration: TLS 1.2 minimum (swift-nio-ssl's default is 1.0), HTTP/1.1
    /// by ALPN, forward-secret AEAD ciphers only, and the current certificate per handshake.
    public func serverTLSConfiguration() -> TLSConfiguration {
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: initial.chain.map { .certificate($0) },
            privateKey: .privateKey(initial.privateKey))
        configuration.minimumTLSVersion = .tlsv12
        configuration.applicationProtocols = ["http/1.1"]
        // On close, wait at most this long for the peer's close_notify: everything was already
        // answered, and each idle keep-alive connection would otherwise hold a drain for 5 s.
        configuration.shutdownTimeout = .seconds(1)
        configuration.cipherSuiteValues = [
            .TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
            .TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
            .TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
            .TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
            .TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
            .TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
        ]
        configuration.sslContextCallback = { [self] _, promise in
            promise.succeed(self.handshakeOverride())
        }
        return configuration
    }

    private func handshakeOverride() -> NIOSSLContextConfigurationOverride {
        let (generation, current) = state.withLock { ($0.generation, $0.current) }
        if generation == 0 { return .noChanges }
        var override = NIOSSLContextConfigurationOverride()
        override.certificateChain = current.chain.map { .certificate($0) }
        override.privateKey = .privateKey(current.privateKey)
        return override
    }
}
