import Crypto
import Foundation
import SwiftASN1
import X509

/// A throwaway CA and serving certificate, for `serve` without `--cert-dir` and for tests.
/// ECDSA P-256, like cert-manager's default for webhooks.
public struct DevelopmentCertificates: Sendable {
    public let caCertificatePEM: String
    public let certificatePEM: String
    public let privateKeyPEM: String

    public init(caCertificatePEM: String, certificatePEM: String, privateKeyPEM: String) {
        self.caCertificatePEM = caCertificatePEM
        self.certificatePEM = certificatePEM
        self.privateKeyPEM = privateKeyPEM
    }

    public enum GenerationError: Error, CustomStringConvertible {
        case invalidHost(String)

        public var description: String {
            switch self {
            case .invalidHost(let host): "cannot put \(host) in a certificate"
            }
        }
    }

    /// A new CA and a serving certificate for `hosts` (DNS names and IPv4/IPv6 literals).
    public static func generate(
        hosts: [String] = ["localhost", "127.0.0.1", "::1"],
        commonName: String = "ray-admission development",
        validity: Duration = .seconds(365 * 24 * 3600)
    ) throws -> DevelopmentCertificates {
        let now = Date()
        let notBefore = now.addingTimeInterval(-300)
        let notAfter = now.addingTimeInterval(TimeInterval(validity.components.seconds))

        let caKey = P256.Signing.PrivateKey()
        let caName = try DistinguishedName {
            OrganizationName("ray-admission")
            CommonName("\(commonName) CA")
        }
        let caPublicKey = Certificate.PublicKey(caKey.publicKey)
        let ca = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: caPublicKey,
            notValidBefore: notBefore,
            notValidAfter: notAfter,
            issuer: caName,
            subject: caName,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                SubjectKeyIdentifier(hash: caPublicKey)
            },
            issuerPrivateKey: Certificate.PrivateKey(caKey)
        )

        let leafKey = P256.Signing.PrivateKey()
        let leafName = try DistinguishedName {
            OrganizationName("ray-admission")
            CommonName(hosts.first ?? commonName)
        }
        var names: [GeneralName] = []
        for host in hosts {
            if let address = IPAddressBytes(host) {
                names.append(.ipAddress(ASN1OctetString(contentBytes: ArraySlice(address.bytes))))
            } else if !host.isEmpty,
                host.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-.*".contains($0)) })
            {
                names.append(.dnsName(host))
            } else {
                throw GenerationError.invalidHost(host)
            }
        }
        let leafPublicKey = Certificate.PublicKey(leafKey.publicKey)
        let leaf = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: leafPublicKey,
            notValidBefore: notBefore,
            notValidAfter: notAfter,
            issuer: caName,
            subject: leafName,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.serverAuth])
                SubjectAlternativeNames(names)
                AuthorityKeyIdentifier(keyIdentifier: try ca.extensions.subjectKeyIdentifier?.keyIdentifier)
            },
            issuerPrivateKey: Certificate.PrivateKey(caKey)
        )
        return DevelopmentCertificates(
            caCertificatePEM: try ca.serializeAsPEM().pemString,
            certificatePEM: try leaf.serializeAsPEM().pemString,
            privateKeyPEM: leafKey.pemRepresentation)
    }

    public var servingCertificate: ServingCertificate {
        get throws {
            try ServingCertificate(certificatePEM: Array(certificatePEM.utf8), keyPEM: Array(privateKeyPEM.utf8))
        }
    }

    /// Writes `tls.crt`, `tls.key` (mode 0600) and `ca.crt` into `directory`, creating it.
    public func write(toDirectory directory: String) throws {
        let manager = FileManager.default
        try manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try Data(caCertificatePEM.utf8).write(to: URL(fileURLWithPath: directory + "/ca.crt"), options: .atomic)
        try Data(certificatePEM.utf8).write(to: URL(fileURLWithPath: directory + "/tls.crt"), options: .atomic)
        let keyURL = URL(fileURLWithPath: directory + "/tls.key")
        try Data(privateKeyPEM.utf8).write(to: keyURL, options: .atomic)
        try manager.setAttributes([.posixPermissions: 0o600], ofItemAtPath: keyURL.path)
    }
}

/// The bytes of an IPv4 or IPv6 literal, for a certificate's iPAddress name.
struct IPAddressBytes {
    let bytes: [UInt8]

    init?(_ text: String) {
        if let v4 = Self.ipv4(text) {
            bytes = v4
        } else if text.contains(":"), let v6 = Self.ipv6(text) {
            bytes = v6
        } else {
            return nil
        }
    }

    private static func ipv4(_ text: String) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var result: [UInt8] = []
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy(\.isNumber), let value = UInt8(part) else {
                return nil
            }
            result.append(value)
        }
        return result
    }

    private static func ipv6(_ text: String) -> [UInt8]? {
        let halves = text.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        func groups(_ part: String) -> [UInt16]? {
            guard !part.isEmpty else { return [] }
            var values: [UInt16] = []
            for group in part.split(separator: ":", omittingEmptySubsequences: false) {
                guard (1...4).contains(group.count), let value = UInt16(group, radix: 16) else { return nil }
                values.append(value)
            }
            return values
        }
        guard let head = groups(halves[0]) else { return nil }
        var all = head
        if halves.count == 2 {
            guard let tail = groups(halves[1]), head.count + tail.count < 8 else { return nil }
            all += [UInt16](repeating: 0, count: 8 - head.count - tail.count) + tail
        }
        guard all.count == 8 else { return nil }
        return all.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
    }
}
