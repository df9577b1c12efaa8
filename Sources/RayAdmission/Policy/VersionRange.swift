/// A Ray version requirement: comparisons joined by commas, all of which must hold
/// (`>=2.40.0`, `>=2.40.0,<3`, `!=2.44.0`).
public struct VersionRange: Sendable, Hashable, CustomStringConvertible {
    enum Operator: String, Sendable, Hashable, CaseIterable {
        case atLeast = ">=", atMost = "<=", equal = "==", notEqual = "!=", greater = ">", less = "<"
    }

    struct Comparison: Sendable {
        let op: Operator
        let version: RayVersion

        func holds(for candidate: RayVersion) -> Bool {
            switch op {
            case .atLeast: candidate >= version
            case .atMost: candidate <= version
            case .equal: candidate == version
            case .notEqual: candidate != version
            case .greater: candidate > version
            case .less: candidate < version
            }
        }
    }

    public struct ParseError: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    public let text: String
    let comparisons: [Comparison]

    public init(_ text: String) throws(ParseError) {
        var comparisons: [Comparison] = []
        for part in text.split(separator: ",") {
            let item = String(part.filter { $0 != " " })
            // Longest operators first, so `>=` is not read as `>` and `=2.40.0`.
            guard
                let op = Operator.allCases.sorted(by: { $0.rawValue.count > $1.rawValue.count })
                    .first(where: { item.hasPrefix($0.rawValue) })
            else {
                throw ParseError(
                    description: "\"\(item)\" needs a comparison: >=, >, <=, <, == or != before the version")
            }
            let versionText = String(item.dropFirst(op.rawValue.count))
            // A bare major version (`<3`) means 3.0.
            let padded = versionText.contains(".") ? versionText : versionText + ".0"
            guard let version = RayVersion(padded) else {
                throw ParseError(description: "\"\(versionText)\" is not a version like 2.40.0")
            }
            comparisons.append(Comparison(op: op, version: version))
        }
        guard !comparisons.isEmpty else { throw ParseError(description: "an empty version range") }
        self.text = text
        self.comparisons = comparisons
    }

    public var description: String { text }

    /// Ranges are their text.
    public static func == (lhs: VersionRange, rhs: VersionRange) -> Bool { lhs.text == rhs.text }
    public func hash(into hasher: inout Hasher) { hasher.combine(text) }

    func contains(_ version: RayVersion) -> Bool {
        comparisons.allSatisfy { $0.holds(for: version) }
    }

    public func contains(_ version: String) -> Bool {
        RayVersion(version).map(contains) ?? false
    }
}
