/// Writes a `JSONValue` as compact JSON: members in their order, numbers as their text, strings
/// escaped minimally (quote, backslash, control characters), other characters as raw UTF-8.
extension JSONValue {
    public func encoded() -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(256)
        encode(into: &output)
        return output
    }

    public var jsonString: String {
        String(decoding: encoded(), as: UTF8.self)
    }

    public func encode(into output: inout [UInt8]) {
        switch self {
        case .null: output.append(contentsOf: "null".utf8)
        case .bool(let value): output.append(contentsOf: (value ? "true" : "false").utf8)
        case .number(let number):
            var text = number.text
            text.withUTF8 { output.append(contentsOf: $0) }
        case .string(let string): JSONValue.encodeString(string, into: &output)
        case .array(let array):
            output.append(UInt8(ascii: "["))
            // Through the buffer: iterating the array would retain and release every element.
            array.withUnsafeBufferPointer { elements in
                for index in elements.indices {
                    if index > 0 { output.append(UInt8(ascii: ",")) }
                    elements[index].encode(into: &output)
                }
            }
            output.append(UInt8(ascii: "]"))
        case .object(let object):
            output.append(UInt8(ascii: "{"))
            object.members.withUnsafeBufferPointer { members in
                for index in members.indices {
                    if index > 0 { output.append(UInt8(ascii: ",")) }
                    JSONValue.encodeString(members[index].key, into: &output)
                    output.append(UInt8(ascii: ":"))
                    members[index].value.encode(into: &output)
                }
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    /// Appends literal text (already valid JSON) without going through `String`.
    static func appendLiteral(_ text: StaticString, to output: inout [UInt8]) {
        output.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    static func encodeString(_ string: String, into output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        var string = string
        string.withUTF8 { bytes in encodeStringBody(bytes, into: &output) }
        output.append(UInt8(ascii: "\""))
    }

    /// Whether the bytes hold nothing a JSON string must escape: a quote, a backslash or a
    /// control character.
    @inline(__always)
    static func needsNoEscaping(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        for byte in bytes where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
            return false
        }
        return true
    }

    /// The escaped content of a JSON string, without the quotes.
    static func encodeStringBody(_ bytes: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) {
        // Most strings need no escaping: copy them in one go.
        if needsNoEscaping(bytes) {
            output.append(contentsOf: bytes)
        } else {
            encodeEscaping(bytes, into: &output)
        }
    }

    static func encodeStringBody(_ bytes: [UInt8], into output: inout [UInt8]) {
        bytes.withUnsafeBufferPointer { encodeStringBody($0, into: &output) }
    }

    private static func encodeEscaping(_ bytes: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) {
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\""): output.append(0x5C); output.append(0x22)
            case UInt8(ascii: "\\"): output.append(0x5C); output.append(0x5C)
            case 0x0A: output.append(0x5C); output.append(UInt8(ascii: "n"))
            case 0x0D: output.append(0x5C); output.append(UInt8(ascii: "r"))
            case 0x09: output.append(0x5C); output.append(UInt8(ascii: "t"))
            case 0x08: output.append(0x5C); output.append(UInt8(ascii: "b"))
            case 0x0C: output.append(0x5C); output.append(UInt8(ascii: "f"))
            case 0..<0x20:
                output.append(0x5C)
                output.append(UInt8(ascii: "u"))
                output.append(0x30)
                output.append(0x30)
                output.append(hexDigit(byte >> 4))
                output.append(hexDigit(byte & 0xF))
            default: output.append(byte)
            }
        }
    }

    private static func hexDigit(_ value: UInt8) -> UInt8 {
        value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "a") + value - 10
    }
}
