/// A JSON document as data: every value the wire carries, with object key order and the exact
/// text of numbers kept, so that decoding and encoding again gives back the same document.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(JSONNumber)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)
}

extension JSONValue {
    public var objectValue: JSONObject? {
        if case .object(let object) = self { return object }
        return nil
    }

    public var arrayValue: [JSONValue]? {
        if case .array(let array) = self { return array }
        return nil
    }

    public var stringValue: String? {
        if case .string(let string) = self { return string }
        return nil
    }

    public var boolValue: Bool? {
        if case .bool(let bool) = self { return bool }
        return nil
    }

    public var numberValue: JSONNumber? {
        if case .number(let number) = self { return number }
        return nil
    }

    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The member `key` of an object; nil for a missing member and for any non-object.
    public subscript(key: String) -> JSONValue? {
        // Matched in place: going through `objectValue` retained and released the whole object
        // on every lookup, and every rule looks members up.
        guard case .object(let object) = self else { return nil }
        return object[key]
    }

    /// The element at `index` of an array; nil when out of range or not an array.
    public subscript(index: Int) -> JSONValue? {
        guard case .array(let array) = self, array.indices.contains(index) else { return nil }
        return array[index]
    }

    /// The JSON type name, as error messages name it.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int) { self = .number(JSONNumber(value)) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(JSONObject(elements.map { JSONObject.Member(key: $0.0, value: $0.1) }))
    }
}

extension JSONValue {
    /// Moves the object out, leaving `.null`; the caller puts it back. The payload then has a
    /// single owner, so changing it does not copy its storage. (`switch self { case .object(var
    /// o): self = .null … }` does not achieve that: the switch subject is a second reference.)
    mutating func takeObject() -> JSONObject? {
        guard case .object = self else { return nil }
        var taken = JSONValue.null
        swap(&taken, &self)
        if case .object(let object) = consume taken { return object }
        return nil
    }

    /// Moves the array out, leaving `.null`; the caller puts it back.
    mutating func takeArray() -> [JSONValue]? {
        guard case .array = self else { return nil }
        var taken = JSONValue.null
        swap(&taken, &self)
        if case .array(let array) = consume taken { return array }
        return nil
    }

    /// Runs `body` on the object held in place, without copying its storage.
    @discardableResult
    mutating func mutateObject<Result>(_ body: (inout JSONObject) throws -> Result) rethrows -> Result? {
        guard var object = takeObject() else { return nil }
        defer { self = .object(object) }
        return try body(&object)
    }

    /// Runs `body` on the array held in place, without copying its storage.
    @discardableResult
    mutating func mutateArray<Result>(_ body: (inout [JSONValue]) throws -> Result) rethrows -> Result? {
        guard var array = takeArray() else { return nil }
        defer { self = .array(array) }
        return try body(&array)
    }
}
