/// A JSON number as the exact text it was written with (`1.0`, `1e3`, `9007199254740993`), so
/// that a document passes through unchanged; typed views convert on demand.
public struct JSONNumber: Sendable, Hashable, CustomStringConvertible {
    /// The number's text, valid JSON number grammar (RFC 8259 §6).
    public let text: String

    /// Wraps text that the caller guarantees is a valid JSON number; the parser checks this.
    init(validatedText text: String) {
        self.text = text
    }

    public init(_ value: Int) {
        self.text = String(value)
    }

    public init(_ value: Int64) {
        self.text = String(value)
    }

    /// Nil for NaN and the infinities, which JSON cannot express.
    public init?(_ value: Double) {
        guard value.isFinite else { return nil }
        if value == value.rounded(.towardZero), abs(value) < 1e15 {
            self.text = String(Int64(value))
        } else {
            self.text = "\(value)"
        }
    }

    /// Nil when the text is not a JSON number.
    public init?(text: String) {
        guard JSONNumber.isValid(Array(text.utf8)) else { return nil }
        self.text = text
    }

    public var description: String { text }

    /// Whether the text is written without fraction or exponent (`3`, `-0`), as Kubernetes
    /// integer fields require.
    public var isIntegerLiteral: Bool {
        !text.utf8.contains { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }
    }

    /// The value as a 64-bit integer when it is written as an integer and fits.
    public var int64Value: Int64? {
        var text = text
        return text.withUTF8 { Self.integer($0) }
    }

    /// The value as an `Int` when it is written as an integer and fits.
    public var intValue: Int? {
        int64Value.flatMap { Int(exactly: $0) }
    }

    /// An optional sign and decimal digits, as `Int64(_: String)` reads them, over the bytes: rules
    /// read replicas, ports and limits as integers many times a review, and `Int64(_: String)`
    /// goes through the generic integer parser each time.
    static func integer(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        var index = 0
        let negative = bytes.first == UInt8(ascii: "-")
        if negative || bytes.first == UInt8(ascii: "+") { index = 1 }
        guard index < bytes.count else { return nil }
        var value: Int64 = 0
        while index < bytes.count {
            let digit = bytes[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            let (shifted, shiftOverflow) = value.multipliedReportingOverflow(by: 10)
            let (next, digitOverflow) =
                negative
                ? shifted.subtractingReportingOverflow(Int64(digit)) : shifted.addingReportingOverflow(Int64(digit))
            guard !shiftOverflow, !digitOverflow else { return nil }
            value = next
            index += 1
        }
        return value
    }

    /// The nearest double (infinite for out-of-range text such as `1e999999`).
    public var doubleValue: Double {
        Double(text) ?? .nan
    }

    /// The grammar check over a buffer, specialised for the parser's hot path.
    static func isValidNumber(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        isValid(bytes)
    }

    /// Checks RFC 8259 number grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    @inline(__always)
    static func isValid<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Bool {
        var index = bytes.startIndex
        let end = bytes.endIndex
        func peek() -> UInt8? { index < end ? bytes[index] : nil }
        func isDigit(_ byte: UInt8?) -> Bool { byte.map { $0 >= 0x30 && $0 <= 0x39 } ?? false }
        func skipDigits() -> Bool {
            guard isDigit(peek()) else { return false }
            while isDigit(peek()) { index = bytes.index(after: index) }
            return true
        }
        if peek() == UInt8(ascii: "-") { index = bytes.index(after: index) }
        if peek() == UInt8(ascii: "0") {
            index = bytes.index(after: index)
        } else if !skipDigits() {
            return false
        }
        if peek() == UInt8(ascii: ".") {
            index = bytes.index(after: index)
            guard skipDigits() else { return false }
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            index = bytes.index(after: index)
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { index = bytes.index(after: index) }
            guard skipDigits() else { return false }
        }
        return index == end
    }
}
