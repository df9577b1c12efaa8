/// How the server listens and where its certificate comes from.
public struct AdmissionServerConfiguration: Sendable {
    /// Address both listeners bind to.
    public var bindAddress: String
    /// HTTPS port for admission reviews; 0 picks a free port (tests).
    public var port: Int
    /// Plain-HTTP port for `/healthz`, `/readyz`, `/metrics`; 0 picks a free port.
    public var metricsPort: Int
    /// Directory with `tls.crt`/`tls.key` to watch for rotation; nil serves a fixed certificate.
    public var certificateDirectory: String?
    /// How often the certificate files are compared with the pair in force.
    public var certificateReloadInterval: Duration
    public var maximumBodySize: Int
    /// Keep-alive connections idle this long are closed; so is a connection whose request
    /// headers are not complete this long after it opened or after its last response.
    public var idleTimeout: Duration
    /// A request's body must arrive in full within this time of its headers.
    public var requestReadTimeout: Duration
    /// Open HTTPS connections at most; beyond it, new ones wait in the listen backlog.
    public var maximumConnections: Int
    /// On SIGTERM, how long to keep serving with `/readyz` failing before the listener stops, so
    /// that endpoints are updated before connections are refused.
    public var shutdownDelay: Duration
    public var version: String
    /// The policy file to watch (the engine itself is given to the server); nil: no reloads.
    public var policyPath: String?
    public var policyReloadInterval: Duration

    public init(
        bindAddress: String = "0.0.0.0",
        port: Int = 9443,
        metricsPort: Int = 8080,
        certificateDirectory: String? = nil,
        certificateReloadInterval: Duration = .seconds(5),
        maximumBodySize: Int = 7 * 1024 * 1024,
        idleTimeout: Duration = .seconds(90),
        requestReadTimeout: Duration = .seconds(10),
        maximumConnections: Int = 10_000,
        shutdownDelay: Duration = .zero,
        version: String = RayAdmissionVersion.current,
        policyPath: String? = nil,
        policyReloadInterval: Duration = .seconds(5)
    ) {
        self.policyPath = policyPath
        self.policyReloadInterval = policyReloadInterval
        self.bindAddress = bindAddress
        self.port = port
        self.metricsPort = metricsPort
        self.certificateDirectory = certificateDirectory
        self.certificateReloadInterval = certificateReloadInterval
        self.maximumBodySize = maximumBodySize
        self.idleTimeout = idleTimeout
        self.requestReadTimeout = requestReadTimeout
        self.maximumConnections = maximumConnections
        self.shutdownDelay = shutdownDelay
        self.version = version
    }
}

/// The release: `ray-admission --version`, `ray_admission_build_info`, and (checked by a test)
/// the image tag the manifests deploy and the newest CHANGELOG entry.
public enum RayAdmissionVersion {
    public static let current = "0.1.0"
}
