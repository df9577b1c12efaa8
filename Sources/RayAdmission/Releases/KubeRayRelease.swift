/// A KubeRay release the webhook can follow: which rules its operator enforces, its feature gates
/// and their defaults, its CRDs. Patch releases behave as their minor release, except 1.5.0, which
/// predates `authOptions` (V60–V62, R11 came in 1.5.1).
public struct KubeRayRelease: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let minor: Int
    public let patch: Int

    /// `major.minor.patch` of the newest patch of each supported minor release.
    public static let supported: [KubeRayRelease] = [
        KubeRayRelease(minor: 3, patch: 2), KubeRayRelease(minor: 4, patch: 2), KubeRayRelease(minor: 5, patch: 2),
        KubeRayRelease(minor: 6, patch: 2), KubeRayRelease(minor: 7, patch: 0),
    ]
    /// The release the rule book describes, and the default.
    public static let newest = KubeRayRelease(minor: 7, patch: 0)

    public static let v1_3 = KubeRayRelease(minor: 3, patch: 0)
    public static let v1_4 = KubeRayRelease(minor: 4, patch: 0)
    public static let v1_5 = KubeRayRelease(minor: 5, patch: 0)
    public static let v1_5_1 = KubeRayRelease(minor: 5, patch: 1)
    public static let v1_6 = KubeRayRelease(minor: 6, patch: 0)
    public static let v1_7 = KubeRayRelease(minor: 7, patch: 0)

    /// Only in the supported range; use `init(parsing:)` for text.
    init(minor: Int, patch: Int) {
        self.minor = minor
        self.patch = patch
    }

    public struct ParseError: Error, Sendable, CustomStringConvertible {
        public let text: String

        public var description: String {
            "unsupported KubeRay version \"\(text)\" (supported: "
                + KubeRayRelease.supported.map { "\($0.minor == 5 ? "1.5 (or 1.5.0)" : "1.\($0.minor)")" }
                .joined(separator: ", ") + "; with or without v and a patch number)"
        }
    }

    /// `1.6`, `v1.6`, `1.6.2`, `v1.5.0`. A minor release alone means its newest patch; a patch
    /// number must be one that was released.
    public init(parsing text: String) throws(ParseError) {
        var rest = Substring(text)
        if rest.first == "v" || rest.first == "V" { rest = rest.dropFirst() }
        let parts = rest.split(separator: ".", omittingEmptySubsequences: false)
        guard (2...3).contains(parts.count), parts[0] == "1",
            parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
            let minor = Int(parts[1]), let newest = Self.supported.first(where: { $0.minor == minor })
        else { throw ParseError(text: text) }
        let patch = parts.count == 3 ? Int(parts[2]) ?? Int.max : newest.patch
        guard patch <= newest.patch else { throw ParseError(text: text) }
        self.init(minor: minor, patch: patch)
    }

    public var description: String { "1.\(minor).\(patch)" }

    /// `1.6` for a .0 release, `1.5.1` otherwise: how messages name a release.
    public var displayName: String { patch == 0 ? "1.\(minor)" : description }

    public static func < (lhs: KubeRayRelease, rhs: KubeRayRelease) -> Bool {
        (lhs.minor, lhs.patch) < (rhs.minor, rhs.patch)
    }
}
