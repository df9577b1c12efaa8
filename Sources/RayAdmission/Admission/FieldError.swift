/// One problem with one field, in Kubernetes' `field.Error` form, so that a denial reads like the
/// API server's own: `spec.workerGroupSpecs[1].minReplicas: Invalid value: 5: must be less than or
/// equal to maxReplicas (3)`.
public struct FieldError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        case invalid
        case required
        case forbidden
        case duplicate
        case notSupported(supported: [String])
        case tooLong(maximum: Int)

        var label: String {
            switch self {
            case .invalid: "Invalid value"
            case .required: "Required value"
            case .forbidden: "Forbidden"
            case .duplicate: "Duplicate value"
            case .notSupported: "Unsupported value"
            case .tooLong: "Too long"
            }
        }

        /// `details.causes[].reason`, as `metav1.CauseType`.
        var causeType: String {
            switch self {
            case .invalid: "FieldValueInvalid"
            case .required: "FieldValueRequired"
            case .forbidden: "FieldValueForbidden"
            case .duplicate: "FieldValueDuplicate"
            case .notSupported: "FieldValueNotSupported"
            case .tooLong: "FieldValueTooLong"
            }
        }
    }

    public var kind: Kind
    public var field: FieldPath
    public var value: JSONValue?
    public var detail: String
    /// The rule that found it, cited in audit annotations and logs.
    public var rule: RuleID?

    public init(_ kind: Kind, _ field: FieldPath, value: JSONValue? = nil, detail: String = "", rule: RuleID? = nil) {
        self.kind = kind
        self.field = field
        self.value = value
        self.detail = detail
        self.rule = rule
    }

    public static func invalid(_ field: FieldPath, _ value: JSONValue?, _ detail: String) -> FieldError {
        FieldError(.invalid, field, value: value, detail: detail)
    }

    public static func required(_ field: FieldPath, _ detail: String = "") -> FieldError {
        FieldError(.required, field, detail: detail)
    }

    public static func forbidden(_ field: FieldPath, _ detail: String) -> FieldError {
        FieldError(.forbidden, field, detail: detail)
    }

    public static func duplicate(_ field: FieldPath, _ value: JSONValue?) -> FieldError {
        FieldError(.duplicate, field, value: value)
    }

    public static func notSupported(_ field: FieldPath, _ value: JSONValue?, supported: [String]) -> FieldError {
        FieldError(.notSupported(supported: supported), field, value: value)
    }

    /// The rules cited by `errors`, each once, in order. A request has a handful: a linear scan
    /// beats hashing them.
    public static func distinctRules(_ errors: [FieldError]) -> [RuleID] {
        var rules: [RuleID] = []
        for error in errors {
            if let rule = error.rule, !rules.contains(rule) { rules.append(rule) }
        }
        return rules
    }

    public func citing(_ rule: RuleID) -> FieldError {
        var copy = self
        copy.rule = rule
        return copy
    }

    /// The finding of a rule the cluster's KubeRay release does not enforce yet: a warning that
    /// says which release starts rejecting it, so an upgrade does not surprise anyone.
    public func announcing(_ release: KubeRayRelease) -> FieldError {
        var copy = self
        copy.detail = "KubeRay \(release.displayName)+ rejects this" + (detail.isEmpty ? "" : ": \(detail)")
        return copy
    }

    public var description: String {
        field.elements.isEmpty ? messageWithoutField : "\(field): \(messageWithoutField)"
    }

    /// The message after `<field>: `, as in `details.causes[].message`.
    public var messageWithoutField: String {
        var text = kind.label
        switch kind {
        case .required, .forbidden:
            if !detail.isEmpty { text += ": \(detail)" }
        case .invalid, .duplicate:
            if let value { text += ": \(Self.render(value))" }
            if !detail.isEmpty { text += ": \(detail)" }
        case .notSupported(let supported):
            if let value { text += ": \(Self.render(value))" }
            if !supported.isEmpty {
                text += ": supported values: " + supported.map { "\"\($0)\"" }.joined(separator: ", ")
            }
            if !detail.isEmpty { text += ": \(detail)" }
        case .tooLong(let maximum):
            text += ": may not be more than \(maximum) bytes"
            if !detail.isEmpty { text += ": \(detail)" }
        }
        return text
    }

    /// Values as Kubernetes prints them: strings quoted, numbers and booleans bare, anything
    /// large cut short so that one field cannot flood the message.
    static func render(_ value: JSONValue) -> String {
        let limit = 256
        let text: String
        switch value {
        case .string(let string): text = "\"" + string.replacingQuotes() + "\""
        case .number(let number): text = number.text
        case .bool(let bool): text = bool ? "true" : "false"
        case .null: text = "null"
        case .array, .object: text = value.jsonString
        }
        return text.count <= limit ? text : String(text.prefix(limit)) + "…"
    }

    /// `RayCluster.ray.io "demo" is invalid: [a, b]`, the API server's wording for an invalid
    /// object (brackets only around more than one error).
    public static func invalidObjectMessage(kind: GroupVersionKind, name: String, errors: [FieldError]) -> String {
        let qualifiedKind = kind.group.isEmpty ? kind.kind : "\(kind.kind).\(kind.group)"
        let list: String
        switch errors.count {
        case 0: list = "unknown error"
        case 1: list = errors[0].description
        default: list = "[" + errors.map(\.description).joined(separator: ", ") + "]"
        }
        return "\(qualifiedKind) \"\(name)\" is invalid: \(list)"
    }
}

extension String {
    fileprivate func replacingQuotes() -> String {
        var result = ""
        result.reserveCapacity(count)
        for character in self {
            switch character {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            default: result.append(character)
            }
        }
        return result
    }
}
