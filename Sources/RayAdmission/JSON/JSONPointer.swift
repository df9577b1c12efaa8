/// An RFC 6901 JSON Pointer: a path of reference tokens, written `/spec/workerGroupSpecs/0`, with
/// `~` escaped as `~0` and `/` as `~1` (`/metadata/annotations/ray.io~1ft-enabled`).
public struct JSONPointer: Sendable, Hashable, CustomStringConvertible, ExpressibleByArrayLiteral {
    public private(set) var tokens: [String]

    public static let root = JSONPointer(tokens: [])

    public init(tokens: [String]) {
        self.tokens = tokens
    }

    public init(arrayLiteral elements: String...) {
        self.tokens = elements
    }

    /// Parses the string form; nil when it is neither empty nor starts with `/`, or has a `~`
    /// not followed by `0` or `1`.
    public init?(_ string: String) {
        guard !string.isEmpty else {
            self.tokens = []
            return
        }
        guard string.hasPrefix("/") else { return nil }
        var tokens: [String] = []
        for raw in string.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            guard let token = JSONPointer.unescape(raw) else { return nil }
            tokens.append(token)
        }
        self.tokens = tokens
    }

    public var description: String {
        var bytes: [UInt8] = []
        for token in tokens {
            bytes.append(UInt8(ascii: "/"))
            JSONPointer.appendEscaped(token, to: &bytes)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Escapes over UTF-8 bytes: `~` and `/` are ASCII, and walking `Character`s would pay for
    /// grapheme breaking on every token of every path in every patch.
    static func appendEscaped(_ token: String, to bytes: inout [UInt8]) {
        for byte in token.utf8 {
            switch byte {
            case UInt8(ascii: "~"): bytes.append(UInt8(ascii: "~")); bytes.append(UInt8(ascii: "0"))
            case UInt8(ascii: "/"): bytes.append(UInt8(ascii: "~")); bytes.append(UInt8(ascii: "1"))
            default: bytes.append(byte)
            }
        }
    }

    /// The pointer as a JSON string (quoted, escaped), written straight into `output`: a patch
    /// holds one per operation, and building each as a `String` first doubled the work.
    func encodeJSONString(into output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        tokens.withUnsafeBufferPointer { tokens in
            for index in tokens.indices {
                output.append(UInt8(ascii: "/"))
                // Read in place: copying the token out to call `withUTF8` retained and released it.
                let plain = tokens[index].utf8.withContiguousStorageIfAvailable { bytes in
                    guard Self.isPlainToken(bytes) else { return false }
                    output.append(contentsOf: bytes)
                    return true
                }
                if plain == true { continue }
                var escaped: [UInt8] = []
                Self.appendEscaped(tokens[index], to: &escaped)
                JSONValue.encodeStringBody(escaped, into: &output)
            }
        }
        output.append(UInt8(ascii: "\""))
    }

    /// Whether a token goes into a pointer's JSON string as it is: nothing for RFC 6901 (`~`,
    /// `/`) or JSON (a quote, a backslash, a control character) to escape.
    @inline(__always)
    private static func isPlainToken(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        for byte in bytes
        where byte < 0x20 || byte == UInt8(ascii: "~") || byte == UInt8(ascii: "/") || byte == UInt8(ascii: "\"")
            || byte == UInt8(ascii: "\\")
        {
            return false
        }
        return true
    }

    public var isRoot: Bool { tokens.isEmpty }
    public var lastToken: String? { tokens.last }

    public var parent: JSONPointer? {
        tokens.isEmpty ? nil : JSONPointer(tokens: Array(tokens.dropLast()))
    }

    /// One allocation at the final size: `tokens + [token]` made a second array for the token
    /// and copied through the generic path, and every patch operation appends to a path.
    public func appending(_ token: String) -> JSONPointer {
        var tokens: [String] = []
        tokens.reserveCapacity(self.tokens.count + 1)
        tokens.append(contentsOf: self.tokens)
        tokens.append(token)
        return JSONPointer(tokens: tokens)
    }

    /// Several tokens in one step (one new array, not one a token).
    public func appending(_ first: String, _ rest: String...) -> JSONPointer {
        var tokens = self.tokens
        tokens.reserveCapacity(tokens.count + 1 + rest.count)
        tokens.append(first)
        tokens.append(contentsOf: rest)
        return JSONPointer(tokens: tokens)
    }

    public func appending(_ index: Int) -> JSONPointer {
        appending(String(index))
    }

    /// Whether `self` is `other` or lies inside it.
    public func hasPrefix(_ other: JSONPointer) -> Bool {
        tokens.starts(with: other.tokens)
    }

    public static func escape(_ token: String) -> String {
        guard token.utf8.contains(where: { $0 == UInt8(ascii: "~") || $0 == UInt8(ascii: "/") }) else { return token }
        var bytes: [UInt8] = []
        appendEscaped(token, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    static func unescape(_ raw: Substring) -> String? {
        guard raw.contains("~") else { return String(raw) }
        var result = ""
        var iterator = raw.makeIterator()
        while let character = iterator.next() {
            guard character == "~" else {
                result.append(character)
                continue
            }
            switch iterator.next() {
            case "0": result.append("~")
            case "1": result.append("/")
            default: return nil
            }
        }
        return result
    }

    /// An array index token per RFC 6901: `0` or digits without a leading zero.
    /// Digits are summed by hand: it runs at every array step of every lookup, and `Int(_:)`
    /// costs a generic parse.
    static func arrayIndex(_ token: String) -> Int? {
        let utf8 = token.utf8
        guard let first = utf8.first, first != 0x30 || utf8.count == 1, utf8.count <= 18 else { return nil }
        var value = 0
        for byte in utf8 {
            guard byte >= 0x30 && byte <= 0x39 else { return nil }
            value = value * 10 + Int(byte &- 0x30)
        }
        return value
    }
}

extension JSONValue {
    /// The value the pointer refers to, or nil when any step is missing.
    public subscript(pointer: JSONPointer) -> JSONValue? {
        var current = self
        for token in pointer.tokens {
            switch current {
            case .object(let object):
                guard let next = object[token] else { return nil }
                current = next
            case .array(let array):
                guard let index = JSONPointer.arrayIndex(token), array.indices.contains(index) else { return nil }
                current = array[index]
            default:
                return nil
            }
        }
        return current
    }
}
