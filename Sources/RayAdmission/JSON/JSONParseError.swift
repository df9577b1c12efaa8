/// Why a byte sequence is not a JSON document, with where it went wrong.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Reason: Sendable, Equatable {
        case empty
        case unexpectedEnd
        case unexpectedByte(UInt8)
        case invalidNumber
        case invalidLiteral
        case invalidEscape
        case invalidUnicodeEscape
        case invalidUTF8
        case controlCharacterInString
        case duplicateKey(String)
        case tooDeep(limit: Int)
        case trailingData
    }

    public let reason: Reason
    /// Byte offset from the start of the input.
    public let offset: Int
    /// 1-based line and column (in bytes) of `offset`.
    public let line: Int
    public let column: Int

    public var description: String {
        "\(reasonText) at line \(line), column \(column)"
    }

    private var reasonText: String {
        switch reason {
        case .empty: "empty document"
        case .unexpectedEnd: "unexpected end of input"
        case .unexpectedByte(let byte):
            if byte >= 0x21 && byte < 0x7F {
                "unexpected character '\(Character(UnicodeScalar(byte)))'"
            } else {
                "unexpected byte 0x\(String(byte, radix: 16, uppercase: true))"
            }
        case .invalidNumber: "invalid number"
        case .invalidLiteral: "invalid literal (expected true, false or null)"
        case .invalidEscape: "invalid escape sequence in string"
        case .invalidUnicodeEscape: "invalid \\u escape (lone or malformed surrogate)"
        case .invalidUTF8: "invalid UTF-8 in string"
        case .controlCharacterInString: "unescaped control character in string"
        case .duplicateKey(let key): "duplicate object key \"\(key.prefix(64))\""
        case .tooDeep(let limit): "nesting deeper than \(limit) levels"
        case .trailingData: "data after the end of the JSON document"
        }
    }
}
