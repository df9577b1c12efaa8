/// A Kubernetes resource quantity (`32`, `500m`, `1.5`, `256Gi`, `1e3`), held exactly as a whole
/// number of nano-units, the finest precision Kubernetes keeps (it rounds anything finer up).
/// Comparing two quantities is exact: `1Gi` is 1073741824 and more than `1G`.
public struct Quantity: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let nanos: Int128
    /// The text it was read from, for messages.
    public let text: String

    public enum ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        case invalid(String)
        case tooLarge(String)

        public var description: String {
            switch self {
            case .invalid(let text): "\"\(text)\" is not a Kubernetes quantity (e.g. 2, 500m, 1.5, 16Gi)"
            case .tooLarge(let text): "\"\(text)\" is too large"
            }
        }
    }

    public init(parsing text: String) throws(ParseError) {
        // Over the UTF-8 view, the suffix matched byte by byte: rules parse the requests and limits
        // of every container of every request, and a byte array, a suffix string and two
        // dictionary lookups each time cost more than the arithmetic.
        let bytes = text.utf8
        var index = bytes.startIndex
        var negative = false
        if index < bytes.endIndex, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
            negative = bytes[index] == UInt8(ascii: "-")
            bytes.formIndex(after: &index)
        }
        // The number: digits with at most one point, at least one digit.
        var numerator: Int128 = 0
        var fractionDigits = 0
        var digits = 0
        var seenPoint = false
        // Digits past what Int128 holds can only be fraction digits far below a nano-unit: they
        // make the value round up, nothing more.
        var droppedNonZero = false
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: ".") {
                guard !seenPoint else { throw .invalid(text) }
                seenPoint = true
            } else if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                digits += 1
                if digits <= 36 {
                    numerator = numerator * 10 + Int128(byte - UInt8(ascii: "0"))
                    if seenPoint { fractionDigits += 1 }
                } else if !seenPoint {
                    throw .tooLarge(text)
                } else if byte != UInt8(ascii: "0") {
                    droppedNonZero = true
                }
            } else {
                break
            }
            bytes.formIndex(after: &index)
        }
        guard digits > 0, let (power10, power2) = Self.suffixPowers(bytes[index...]) else { throw .invalid(text) }
        // nanos = numerator × 2^power2 × 10^(power10 + 9 − fractionDigits), rounded up.
        var value = numerator
        let (shifted, overflow) = value.multipliedReportingOverflow(by: Int128(1) << power2)
        guard !overflow else { throw .tooLarge(text) }
        value = shifted
        let scale = power10 + 9 - fractionDigits
        if scale >= 0 {
            for _ in 0..<scale {
                let (next, overflow) = value.multipliedReportingOverflow(by: 10)
                guard !overflow else { throw .tooLarge(text) }
                value = next
            }
            if droppedNonZero { value += 1 }
        } else {
            var divisor: Int128 = 1
            for _ in 0..<(-scale) {
                let (next, overflow) = divisor.multipliedReportingOverflow(by: 10)
                // A divisor past Int128 leaves less than one nano-unit: that rounds up to 1 or 0.
                guard !overflow else {
                    divisor = 0
                    break
                }
                divisor = next
            }
            if divisor == 0 {
                value = value > 0 || droppedNonZero ? 1 : 0
            } else {
                let (quotient, remainder) = value.quotientAndRemainder(dividingBy: divisor)
                value = quotient + (remainder > 0 || droppedNonZero ? 1 : 0)
            }
        }
        self.nanos = negative ? -value : value
        self.text = text
    }

    /// The powers of ten and of two a suffix stands for: none, `n` … `E`, `Ki` … `Ei`, or an
    /// exponent (`e3`, `E-2`, at most 30 either way); nil for anything else.
    static func suffixPowers(_ suffix: Substring.UTF8View) -> (power10: Int, power2: Int)? {
        var bytes = suffix.makeIterator()
        guard let first = bytes.next() else { return (0, 0) }
        let second = bytes.next()
        if second == nil {
            switch first {
            case UInt8(ascii: "n"): return (-9, 0)
            case UInt8(ascii: "u"): return (-6, 0)
            case UInt8(ascii: "m"): return (-3, 0)
            case UInt8(ascii: "k"): return (3, 0)
            case UInt8(ascii: "M"): return (6, 0)
            case UInt8(ascii: "G"): return (9, 0)
            case UInt8(ascii: "T"): return (12, 0)
            case UInt8(ascii: "P"): return (15, 0)
            case UInt8(ascii: "E"): return (18, 0)
            default: return nil
            }
        }
        if second == UInt8(ascii: "i"), bytes.next() == nil {
            switch first {
            case UInt8(ascii: "K"): return (0, 10)
            case UInt8(ascii: "M"): return (0, 20)
            case UInt8(ascii: "G"): return (0, 30)
            case UInt8(ascii: "T"): return (0, 40)
            case UInt8(ascii: "P"): return (0, 50)
            case UInt8(ascii: "E"): return (0, 60)
            default: return nil
            }
        }
        guard first == UInt8(ascii: "e") || first == UInt8(ascii: "E") else { return nil }
        var exponentBytes = suffix.dropFirst().makeIterator()
        var negative = false
        var byte = exponentBytes.next()
        if byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") {
            negative = byte == UInt8(ascii: "-")
            byte = exponentBytes.next()
        }
        var exponent = 0
        var digits = 0
        while let digit = byte {
            guard digit >= UInt8(ascii: "0") && digit <= UInt8(ascii: "9") else { return nil }
            exponent = min(exponent * 10 + Int(digit - UInt8(ascii: "0")), 1000)
            digits += 1
            byte = exponentBytes.next()
        }
        guard digits > 0, exponent <= 30 else { return nil }
        return (negative ? -exponent : exponent, 0)
    }

    /// A quantity as a manifest holds it: a string, or a bare number (`cpu: 2`).
    public init?(_ value: JSONValue?) {
        guard let value else { return nil }
        let text: String
        switch value {
        case .string(let string): text = string
        case .number(let number): text = number.text
        default: return nil
        }
        guard let quantity = try? Quantity(parsing: text) else { return nil }
        self = quantity
    }

    public static let zero = Quantity(nanos: 0, text: "0")

    /// A whole number of units (`8` GPUs).
    public init(units: Int) {
        self.init(nanos: Int128(units) * 1_000_000_000, text: String(units))
    }

    private init(nanos: Int128, text: String) {
        self.nanos = nanos
        self.text = text
    }

    public static func < (lhs: Quantity, rhs: Quantity) -> Bool { lhs.nanos < rhs.nanos }
    public static func == (lhs: Quantity, rhs: Quantity) -> Bool { lhs.nanos == rhs.nanos }
    public func hash(into hasher: inout Hasher) { hasher.combine(nanos) }

    public static func + (lhs: Quantity, rhs: Quantity) -> Quantity {
        let (sum, overflow) = lhs.nanos.addingReportingOverflow(rhs.nanos)
        return Quantity(nanos: overflow ? .max : sum, text: "")
    }

    public static func * (lhs: Quantity, rhs: Int) -> Quantity {
        let (product, overflow) = lhs.nanos.multipliedReportingOverflow(by: Int128(rhs))
        return Quantity(nanos: overflow ? .max : product, text: "")
    }

    /// The text it was read from; a computed quantity prints in whole units where it can.
    public var description: String {
        if !text.isEmpty { return text }
        let units = nanos / 1_000_000_000
        if units * 1_000_000_000 == nanos { return String(describing: units) }
        let millis = nanos / 1_000_000
        if millis * 1_000_000 == nanos { return "\(millis)m" }
        return "\(nanos)n"
    }
}
