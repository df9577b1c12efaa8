import NIOSSL

/// A serving certificate chain and its private key, checked to belong together, with the bytes
/// they were read from (so a watcher can tell whether the files changed).
public struct ServingCertificate: Sendable {
    public let chain: [NIOSSLCertificate]
    public let privateKey: NIOSSLPrivateKey
    public let certificatePEM: [UInt8]
    public let keyPEM: [UInt8]

    public enum LoadError: Error, CustomStringConvertible {
        case unreadable(path: String, reason: String)
        case invalidCertificate(reason: String)
        case invalidKey(reason: String)
        case mismatch(reason: String)

        public var description: String {
            switch self {
            case .unreadable(let path, let reason): "cannot read \(path): \(reason)"
            case .invalidCertificate(let reason): "tls.crt holds no usable PEM certificate: \(reason)"
            case .invalidKey(let reason): "tls.key holds no usable PEM private key: \(reason)"
            case .mismatch(let reason): "tls.key does not match the certificate in tls.crt: \(reason)"
            }
        }
    }

    /// Parses and checks a PEM pair: at least one certificate, a private key, and a key that
    /// BoringSSL accepts for the leaf certificate.
    public init(certificatePEM: [UInt8], keyPEM: [UInt8]) throws(LoadError) {
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMBytes(certificatePEM)
        } catch {
            throw .invalidCertificate(reason: "\(error)")
        }
        guard !chain.isEmpty else { throw .invalidCertificate(reason: "no CERTIFICATE block") }
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(bytes: keyPEM, format: .pem)
        } catch {
            throw .invalidKey(reason: "\(error)")
        }
        do {
            // Building a context runs BoringSSL's key/certificate consistency check.
            _ = try NIOSSLContext(
                configuration: .makeServerConfiguration(
                    certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key)))
        } catch {
            throw .mismatch(reason: "\(error)")
        }
        self.chain = chain
        self.privateKey = key
        self.certificatePEM = certificatePEM
        self.keyPEM = keyPEM
    }

    /// Reads `tls.crt` and `tls.key` from a directory, the names cert-manager and Kubernetes
    /// TLS Secrets use.
    public static func load(fromDirectory directory: String) throws(LoadError) -> ServingCertificate {
        let certificatePath = directory + "/tls.crt"
        let keyPath = directory + "/tls.key"
        return try ServingCertificate(
            certificatePEM: try readFile(certificatePath), keyPEM: try readFile(keyPath))
    }

    static func readFile(_ path: String) throws(LoadError) -> [UInt8] {
        do {
            return try FileBytes.contents(of: path)
        } catch {
            throw .unreadable(path: path, reason: "\(error)")
        }
    }

    func hasSameFiles(as other: ServingCertificate) -> Bool {
        certificatePEM == other.certificatePEM && keyPEM == other.keyPEM
    }
}
