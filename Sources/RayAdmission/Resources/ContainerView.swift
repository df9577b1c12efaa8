/// Read-only questions about a container object, tolerant of wrong types (they read as absent).
public struct ContainerView: Sendable {
    public let value: JSONValue

    public init(_ value: JSONValue) {
        self.value = value
    }

    public var ports: [JSONValue] {
        value["ports"]?.arrayValue ?? []
    }

    public var env: [JSONValue] {
        value["env"]?.arrayValue ?? []
    }

    public func hasEnv(_ name: String) -> Bool {
        env.contains { $0["name"]?.stringValue == name }
    }

    /// Whether a port with this name exists, or this number with protocol TCP (the list-map key
    /// is `(containerPort, protocol)`, protocol defaulting to TCP).
    public func hasPort(name: String) -> Bool {
        ports.contains { $0["name"]?.stringValue == name }
    }

    public func hasTCPPort(number: Int) -> Bool {
        ports.contains { port in
            port["containerPort"]?.numberValue?.intValue == number
                && (port["protocol"]?.stringValue ?? "TCP") == "TCP"
        }
    }

    public var limits: JSONObject {
        value["resources"]?["limits"]?.objectValue ?? JSONObject()
    }

    public var requests: JSONObject {
        value["resources"]?["requests"]?.objectValue ?? JSONObject()
    }

    /// GPU-like resource names (KubeRay's rule, §3.3): ending in `gpu`, or NVIDIA MIG slices.
    /// Compared without lowercasing first, since every limit of every container is asked. That is
    /// the same answer: resource names are ASCII (the API server requires qualified names), and no
    /// other character lowercases to a single `g`, `p`, `u` or letter of the prefix.
    public static func isGPUResource(_ name: String) -> Bool {
        if hasSuffixIgnoringASCIICase(name.utf8, "gpu") { return true }
        guard hasPrefixIgnoringASCIICase(name.utf8, "nvidia.com/mig-") else { return false }
        let lowered = name.lowercased()
        guard lowered.hasSuffix("gb") else { return false }
        // nvidia.com/mig-<n>g.<m>gb
        let middle = lowered.dropFirst("nvidia.com/mig-".count).dropLast(2)
        let parts = middle.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let first = parts.first, first.hasSuffix("g"),
            !first.dropLast().isEmpty, first.dropLast().allSatisfy(\.isNumber),
            let second = parts.last, !second.isEmpty, second.allSatisfy(\.isNumber)
        else { return false }
        return true
    }

    private static func hasSuffixIgnoringASCIICase(_ name: String.UTF8View, _ suffix: StaticString) -> Bool {
        name.count >= suffix.utf8CodeUnitCount && equalIgnoringASCIICase(name.suffix(suffix.utf8CodeUnitCount), suffix)
    }

    private static func hasPrefixIgnoringASCIICase(_ name: String.UTF8View, _ prefix: StaticString) -> Bool {
        name.count >= prefix.utf8CodeUnitCount && equalIgnoringASCIICase(name.prefix(prefix.utf8CodeUnitCount), prefix)
    }

    /// `bytes`, as long as `literal`, equal to it once ASCII capitals are lowered.
    private static func equalIgnoringASCIICase(_ bytes: Substring.UTF8View, _ literal: StaticString) -> Bool {
        let expected = UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount)
        return zip(bytes, expected).allSatisfy { lowercasedASCII($0) == $1 }
    }

    @inline(__always)
    private static func lowercasedASCII(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte
    }

    /// Whether any GPU-like limit is set to a non-zero quantity.
    public var hasGPULimit: Bool {
        limits.contains { member in Self.isGPUResource(member.key) && !Self.isZeroQuantity(member.value) }
    }

    /// Whether `resource` is requested or limited with a non-zero quantity.
    public func uses(_ resource: String) -> Bool {
        [limits[resource], requests[resource]].contains { value in value.map { !Self.isZeroQuantity($0) } ?? false }
    }

    static func isZeroQuantity(_ value: JSONValue) -> Bool {
        switch value {
        case .number(let number): return number.doubleValue == 0
        case .string(let text):
            let digits = text.prefix { $0.isNumber || $0 == "." || $0 == "-" || $0 == "+" }
            return Double(digits).map { $0 == 0 } ?? false
        default: return false
        }
    }
}
