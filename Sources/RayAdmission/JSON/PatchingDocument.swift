/// The one way the pipeline changes an object (DESIGN decision 1): each change is applied to the
/// document and recorded as the RFC 6902 operation that makes it, with the rule that asked for
/// it. The resulting patch is minimal by construction and never drops a field we do not know.
public struct PatchingDocument: Sendable {
    public struct RecordedOperation: Sendable, Hashable {
        public let operation: JSONPatchOperation
        public let rule: RuleID
    }

    public private(set) var value: JSONValue
    public private(set) var recorded: [RecordedOperation] = []

    public init(_ value: JSONValue) {
        self.value = value
    }

    public var patch: JSONPatch {
        JSONPatch(recorded.map(\.operation))
    }

    /// The rules that changed something, each once, in the order they first did.
    public var rulesApplied: [RuleID] {
        var seen = Set<RuleID>()
        return recorded.map(\.rule).filter { seen.insert($0).inserted }
    }

    public subscript(pointer: JSONPointer) -> JSONValue? {
        value[pointer]
    }

    /// Sets the value at `path` (adding or replacing it). Missing parent objects are created
    /// first, each with its own `add` of `{}`; a parent that exists but is not an object, or a
    /// missing array element, is an error, because replacing user data is never a default.
    public mutating func set(_ newValue: JSONValue, at path: JSONPointer, rule: RuleID) throws(JSONPatchError) {
        guard let parent = path.parent else { throw JSONPatchError("cannot replace the whole document") }
        try ensureObject(at: parent, rule: rule)
        if let existing = value[path] {
            guard existing != newValue else { return }
            try record(.replace(path: path, value: newValue), rule: rule)
        } else {
            try record(.add(path: path, value: newValue), rule: rule)
        }
    }

    /// Sets the value only when nothing is at `path`; returns whether it did.
    @discardableResult
    public mutating func setIfAbsent(_ newValue: JSONValue, at path: JSONPointer, rule: RuleID) throws(JSONPatchError)
        -> Bool
    {
        guard value[path] == nil else { return false }
        try set(newValue, at: path, rule: rule)
        return true
    }

    /// Appends to the array at `path` with `/-`, creating the array (and its parents) if missing.
    public mutating func append(_ element: JSONValue, toArrayAt path: JSONPointer, rule: RuleID) throws(JSONPatchError)
    {
        switch value[path] {
        case .array:
            break
        case nil:
            guard let parent = path.parent else { throw JSONPatchError("the document is not an array") }
            try ensureObject(at: parent, rule: rule)
            try record(.add(path: path, value: .array([])), rule: rule)
        case let other?:
            throw JSONPatchError("\(path) is a \(other.typeName), not an array")
        }
        try record(.add(path: path.appending("-"), value: element), rule: rule)
    }

    public mutating func remove(at path: JSONPointer, rule: RuleID) throws(JSONPatchError) {
        try record(.remove(path: path), rule: rule)
    }

    /// Makes sure an object exists at `path`, adding `{}` for each missing level. Existing
    /// levels may be objects or arrays; only a missing member of an object can be created.
    public mutating func ensureObject(at path: JSONPointer, rule: RuleID) throws(JSONPatchError) {
        var prefix = JSONPointer.root
        for token in path.tokens {
            let parentValue = value[prefix]
            prefix = prefix.appending(token)
            switch value[prefix] {
            case .object?, .array?:
                continue
            case nil:
                guard case .object? = parentValue else {
                    throw JSONPatchError("cannot create \(prefix): its parent is not an object")
                }
                try record(.add(path: prefix, value: .object(JSONObject())), rule: rule)
            case let other?:
                throw JSONPatchError("\(prefix) is a \(other.typeName), not an object")
            }
        }
        guard case .object? = value[path] else {
            throw JSONPatchError("\(path) is a \(value[path]?.typeName ?? "missing value"), not an object")
        }
    }

    private mutating func record(_ operation: JSONPatchOperation, rule: RuleID) throws(JSONPatchError) {
        try value.apply(operation)
        recorded.append(RecordedOperation(operation: operation, rule: rule))
    }
}
