/// The stable name of a rule: the rule book's id where one exists (`V28`, `C11`, `R01`), our own
/// kebab-case name otherwise (`gpu-visibility`). Policies, denials, warnings and audit
/// annotations refer to rules by it.
public struct RuleID: Sendable, Hashable, Comparable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let rawValue: String

    public init(_ rawValue: String) {
        self.rawValue = rawValue
    }

    public init(stringLiteral value: String) {
        self.rawValue = value
    }

    public var description: String { rawValue }

    public static func < (lhs: RuleID, rhs: RuleID) -> Bool {
        lhs.rawValue.compare(numericallyTo: rhs.rawValue)
    }
}

extension String {
    /// Orders `V9` before `V10`: runs of digits compare as numbers.
    fileprivate func compare(numericallyTo other: String) -> Bool {
        var left = unicodeScalars[...]
        var right = other.unicodeScalars[...]
        func digits(_ scalars: inout Substring.UnicodeScalarView.SubSequence) -> Substring.UnicodeScalarView.SubSequence
        {
            let run = scalars.prefix { $0.properties.numericType != nil && $0.isASCII }
            scalars = scalars.dropFirst(run.count)
            return run
        }
        while let l = left.first, let r = right.first {
            if l.isASCII, r.isASCII, l.properties.numericType != nil, r.properties.numericType != nil {
                let ld = digits(&left).drop { $0 == "0" }
                let rd = digits(&right).drop { $0 == "0" }
                if ld.count != rd.count { return ld.count < rd.count }
                let ls = String(String.UnicodeScalarView(ld))
                let rs = String(String.UnicodeScalarView(rd))
                if ls != rs { return ls < rs }
                continue
            }
            if l != r { return l < r }
            left = left.dropFirst()
            right = right.dropFirst()
        }
        return left.isEmpty && !right.isEmpty
    }
}
