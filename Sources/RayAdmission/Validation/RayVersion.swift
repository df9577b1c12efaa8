/// Versions as Kubernetes' `version.ParseGeneric` reads them, which KubeRay uses for `rayVersion`:
/// optional leading space and `v`, at least two dot-separated numbers, trailing text ignored.
struct RayVersion: Comparable, CustomStringConvertible {
    let components: [Int]

    init?(_ text: String) {
        var rest = Substring(text).drop { $0 == " " || $0 == "\t" }
        if rest.first == "v" { rest = rest.dropFirst() }
        let numeric = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
        let parts = numeric.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count >= 2 else { return nil }
        var components: [Int] = []
        for part in parts {
            guard !part.isEmpty, let value = Int(part) else { break }
            if part.count > 1 && part.hasPrefix("0") { return nil }
            components.append(value)
        }
        guard components.count >= 2 else { return nil }
        self.components = components
    }

    init(_ components: Int...) {
        self.components = components
    }

    var description: String { components.map(String.init).joined(separator: ".") }

    static func < (lhs: RayVersion, rhs: RayVersion) -> Bool {
        for index in 0..<max(lhs.components.count, rhs.components.count) {
            let left = index < lhs.components.count ? lhs.components[index] : 0
            let right = index < rhs.components.count ? rhs.components[index] : 0
            if left != right { return left < right }
        }
        return false
    }

    static func == (lhs: RayVersion, rhs: RayVersion) -> Bool {
        !(lhs < rhs) && !(rhs < lhs)
    }
}
