/// Versions as Kubernetes' `version.ParseGeneric` reads them, which KubeRay uses for `rayVersion`:
/// optional leading space and `v`, at least two dot-separated numbers, trailing text ignored.
struct RayVersion: Comparable, CustomStringConvertible {
    let components: [Int]

    init?(_ text: String) {
        self.init(utf8: text.utf8[...])
    }

    /// One pass over the bytes, no Characters and no splitting: this runs for every group on
    /// every review. The numeric prefix (digits and dots) is read part by part; reading stops at
    /// the first empty or oversized part, and a part read with a leading zero is an error.
    init?(utf8: Substring.UTF8View) {
        var bytes = utf8
        while let first = bytes.first, first == UInt8(ascii: " ") || first == UInt8(ascii: "\t") {
            bytes = bytes.dropFirst()
        }
        if bytes.first == UInt8(ascii: "v") { bytes = bytes.dropFirst() }
        var components: [Int] = []
        var parts = 1
        var reading = true
        var value = 0
        var digits = 0
        var leadingZero = false
        func finishPart() -> Bool {
            guard reading else { return true }
            guard digits > 0, digits <= 18 else {
                reading = false
                return true
            }
            if digits > 1 && leadingZero { return false }
            components.append(value)
            return true
        }
        for byte in bytes {
            if byte == UInt8(ascii: ".") {
                guard finishPart() else { return nil }
                parts += 1
                value = 0
                digits = 0
            } else if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                if digits == 0 { leadingZero = byte == UInt8(ascii: "0") }
                digits += 1
                if digits <= 18 { value = value * 10 + Int(byte - UInt8(ascii: "0")) }
            } else {
                break
            }
        }
        guard finishPart(), parts >= 2, components.count >= 2 else { return nil }
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
