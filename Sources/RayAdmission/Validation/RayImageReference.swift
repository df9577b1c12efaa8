/// A container image reference as the Ray warnings read it: repository, tag and digest, and what
/// the tag says about Ray when the image is one of Ray's own (Ray's image pipeline names its tags
/// `{version}{-extra}{-pyNNN}{-platform}{-aarch64}`, with versions such as `2.53.0`,
/// `2.36.1.999f76` or `2.49.2.deprecated`, and unversioned ones such as `latest`, `nightly` or a
/// commit). Only Ray's own repositories are read: other images' tags are other projects' versions.
struct RayImageReference: Sendable, Hashable {
    let repository: Substring
    /// Nil for none (`rayproject/ray`, `host:5000/ns/img`, a digest alone).
    let tag: Substring?
    let hasDigest: Bool

    /// The repositories Ray publishes its images to, found under any registry or mirror prefix.
    static let officialRepositories: Set<String> = ["rayproject/ray", "rayproject/ray-ml", "rayproject/ray-llm"]

    init(_ image: String) {
        var reference = Substring(image)
        if let at = reference.firstIndex(of: "@") {
            hasDigest = true
            reference = reference[..<at]
        } else {
            hasDigest = false
        }
        let nameStart = reference.lastIndex(of: "/").map(reference.index(after:)) ?? reference.startIndex
        if let colon = reference[nameStart...].lastIndex(of: ":") {
            repository = reference[..<colon]
            tag = reference[reference.index(after: colon)...]
        } else {
            repository = reference
            tag = nil
        }
    }

    /// One of Ray's repositories (the last two path segments), or one a policy adds.
    func isOfficial(extraRepositories: [String] = []) -> Bool {
        let segments = repository.split(separator: "/")
        if segments.count >= 2, Self.officialRepositories.contains(segments.suffix(2).joined(separator: "/")) {
            return true
        }
        return extraRepositories.contains { $0 == repository }
    }

    /// `X.Y.Z` at the start of the tag, followed by its end, `.` or `-`; nil for any other tag.
    var rayVersion: [Int]? {
        guard let tag else { return nil }
        var components: [Int] = []
        var rest = tag[...]
        for index in 0..<3 {
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, digits.count <= 9, let value = Int(digits) else { return nil }
            components.append(value)
            rest = rest.dropFirst(digits.count)
            if index < 2 {
                guard rest.first == "." else { return nil }
                rest = rest.dropFirst()
            }
        }
        guard rest.isEmpty || rest.first == "." || rest.first == "-" else { return nil }
        return components
    }

    /// The first `-pyNNN` segment of the tag (`py311`), if it has one.
    var python: Substring? {
        guard let tag else { return nil }
        for segment in tag.split(separator: "-").dropFirst() where segment.hasPrefix("py") {
            let digits = segment.dropFirst(2)
            if !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) { return segment }
        }
        return nil
    }

    /// A tag that names no version: none at all, `latest`, or (for Ray's images) `latest-…`.
    func isUnpinned(extraRepositories: [String] = []) -> Bool {
        guard !hasDigest else { return false }
        guard let tag else { return true }
        return tag == "latest" || (tag.hasPrefix("latest-") && isOfficial(extraRepositories: extraRepositories))
    }
}
