/// A name pattern as policies write them: exact text, with `*` for any run of characters
/// (including none, and including `/`) and `?` for exactly one. `research-*` matches
/// `research-vision`; `registry.example.com/ray/*` matches every image under that path.
public struct GlobPattern: Sendable, Hashable, CustomStringConvertible {
    public let text: String
    private let bytes: [UInt8]

    public struct ParseError: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    public init(_ text: String) throws(ParseError) {
        guard !text.isEmpty else { throw ParseError(description: "an empty pattern matches nothing") }
        for byte in text.utf8 where byte == UInt8(ascii: "[") || byte == UInt8(ascii: "]") || byte < 0x20 {
            throw ParseError(
                description:
                    "\"\(text)\": only * and ? are wildcards; character classes and control characters are not supported"
            )
        }
        self.text = text
        self.bytes = Array(text.utf8)
    }

    public var description: String { text }
    public var isExact: Bool { !bytes.contains(UInt8(ascii: "*")) && !bytes.contains(UInt8(ascii: "?")) }

    /// Iterative matching with one backtrack point: linear in practice, never exponential.
    public func matches(_ name: String) -> Bool {
        let name = Array(name.utf8)
        var p = 0
        var n = 0
        var star: Int? = nil
        var resume = 0
        while n < name.count {
            if p < bytes.count && (bytes[p] == UInt8(ascii: "?") || bytes[p] == name[n]) {
                p += 1
                n += 1
            } else if p < bytes.count && bytes[p] == UInt8(ascii: "*") {
                star = p
                p += 1
                resume = n
            } else if let starIndex = star {
                p = starIndex + 1
                resume += 1
                n = resume
            } else {
                return false
            }
        }
        while p < bytes.count && bytes[p] == UInt8(ascii: "*") { p += 1 }
        return p == bytes.count
    }
}
