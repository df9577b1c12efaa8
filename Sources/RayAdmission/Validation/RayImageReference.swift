/// A container image reference as the Ray warnings read it: repository, tag and digest, and what
/// the tag says about Ray when the image is one of Ray's own (Ray's image pipeline names its tags
/// `{version}{-extra}{-pyNNN}{-platform}{-aarch64}`, with versions such as `2.53.0`,
/// `2.36.1.999f76` or `2.49.2.deprecated`, and unversioned ones such as `latest`, `nightly` or a
/// commit). Only Ray's own repositories are read: other images' tags are other projects' versions.
///
/// Read over UTF-8 bytes: three warnings ask it about every group of every request, and walking
/// `Character`s (grapheme breaking) cost more than all the other rules together.
struct RayImageReference: Sendable {
    let repository: Substring.UTF8View
    /// Nil for none (`rayproject/ray`, `host:5000/ns/img`, a digest alone).
    let tag: Substring.UTF8View?
    let hasDigest: Bool

    /// The repositories Ray publishes its images to, found under any registry or mirror prefix.
    static let officialRepositories: [StaticString] = ["rayproject/ray", "rayproject/ray-ml", "rayproject/ray-llm"]

    init(_ image: String) {
        let bytes = image.utf8
        var end = bytes.endIndex
        if let at = bytes.firstIndex(of: UInt8(ascii: "@")) {
            hasDigest = true
            end = at
        } else {
            hasDigest = false
        }
        let reference = Substring(image)[..<end].utf8
        let nameStart = reference.lastIndex(of: UInt8(ascii: "/")).map(reference.index(after:)) ?? reference.startIndex
        if let colon = reference[nameStart...].lastIndex(of: UInt8(ascii: ":")) {
            repository = reference[..<colon]
            tag = reference[reference.index(after: colon)...]
        } else {
            repository = reference
            tag = nil
        }
    }

    /// One of Ray's repositories (the last two path segments), or one a policy adds.
    func isOfficial(extraRepositories: [String] = []) -> Bool {
        for official in Self.officialRepositories {
            let name = UnsafeBufferPointer(start: official.utf8Start, count: official.utf8CodeUnitCount)
            guard repository.count >= name.count, repository.suffix(name.count).elementsEqual(name) else { continue }
            let before = repository.dropLast(name.count)
            if before.isEmpty || before.last == UInt8(ascii: "/") { return true }
        }
        return extraRepositories.contains { $0.utf8.elementsEqual(repository) }
    }

    /// `X.Y.Z` at the start of the tag, followed by its end, `.` or `-`; nil for any other tag.
    var rayVersion: [Int]? {
        guard let tag else { return nil }
        var components: [Int] = []
        var value = 0
        var digits = 0
        for byte in tag {
            if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                digits += 1
                guard digits <= 9 else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
                continue
            }
            // A component ends: a dot between the three, then a dot or dash after the third.
            guard digits > 0 else { return nil }
            components.append(value)
            if components.count == 3 {
                return byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-") ? components : nil
            }
            guard byte == UInt8(ascii: ".") else { return nil }
            value = 0
            digits = 0
        }
        guard digits > 0, components.count == 2 else { return nil }
        return components + [value]
    }

    /// The first `-pyNNN` segment of the tag (`py311`), if it has one.
    var python: String? {
        guard let tag else { return nil }
        for segment in tag.split(separator: UInt8(ascii: "-")).dropFirst() {
            guard segment.count > 2, segment.starts(with: "py".utf8),
                segment.dropFirst(2).allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
            else { continue }
            return String(decoding: segment, as: UTF8.self)
        }
        return nil
    }

    /// A tag that names no version: none at all, `latest`, or (for Ray's images) `latest-…`.
    func isUnpinned(extraRepositories: [String] = []) -> Bool {
        guard !hasDigest else { return false }
        guard let tag else { return true }
        if tag.elementsEqual("latest".utf8) { return true }
        return tag.starts(with: "latest-".utf8) && isOfficial(extraRepositories: extraRepositories)
    }
}
