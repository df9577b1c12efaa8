/// The one way the pipeline changes an object (DESIGN decision 1): each change is applied to the
/// document and recorded as the RFC 6902 operation that makes it, with the rule that asked for
/// it. The resulting patch is minimal by construction and never drops a field we do not know.
public struct PatchingDocument: Sendable {
    public struct RecordedOperation: Sendable, Hashable {
        public let operation: JSONPatchOperation
        public let rule: RuleID
        /// The operation that undoes this one, for `rollBack(to:)`.
        let inverse: JSONPatchOperation
    }

    public private(set) var value: JSONValue
    public private(set) var recorded: [RecordedOperation] = []

    public init(_ value: consuming JSONValue) {
        self.value = value
    }

    public var patch: JSONPatch {
        JSONPatch(recorded.map(\.operation))
    }

    /// The rules that changed something, each once, in the order they first did.
    public var rulesApplied: [RuleID] {
        // A handful of rules among a few dozen operations: a scan beats hashing every id.
        var rules: [RuleID] = []
        for operation in recorded where rules.last != operation.rule && !rules.contains(operation.rule) {
            rules.append(operation.rule)
        }
        return rules
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
            try record(
                .replace(path: path, value: newValue), inverse: .replace(path: path, value: existing), rule: rule)
        } else {
            try record(.add(path: path, value: newValue), inverse: .remove(path: path), rule: rule)
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
        // Usually the parent object is there: one walk down to it appends to the array, or
        // creates the array with the element, and tells which it did.
        switch appendInPlace(element, at: path) {
        case .appended(let index):
            recordApplied(
                .add(path: path.appending("-"), value: element), inverse: .remove(path: path.appending(index)),
                rule: rule)
            return
        case .created:
            recordApplied(.add(path: path, value: .array([])), inverse: .remove(path: path), rule: rule)
            recordApplied(
                .add(path: path.appending("-"), value: element), inverse: .remove(path: path.appending(0)), rule: rule)
            return
        case .notAnArray(let typeName):
            throw JSONPatchError("\(path) is a \(typeName), not an array")
        case .noParentObject:
            break
        }
        // The inverses are known here, which saves walking the document again to work them out.
        let count: Int
        switch value[path] {
        case .array(let array)?:
            count = array.count
        case nil:
            guard let parent = path.parent else { throw JSONPatchError("the document is not an array") }
            try ensureObject(at: parent, rule: rule)
            try record(.add(path: path, value: .array([])), inverse: .remove(path: path), rule: rule)
            count = 0
        case let other?:
            throw JSONPatchError("\(path) is a \(other.typeName), not an array")
        }
        try record(
            .add(path: path.appending("-"), value: element), inverse: .remove(path: path.appending(count)), rule: rule)
    }

    private enum InPlaceAppend {
        case appended(index: Int)
        case created
        case notAnArray(typeName: String)
        /// The parent is missing or is not an object: the general path decides.
        case noParentObject
    }

    /// Appends to the array at `path` in one walk to its parent object, creating the array when
    /// the member is missing.
    private mutating func appendInPlace(_ element: JSONValue, at path: JSONPointer) -> InPlaceAppend {
        guard let last = path.lastToken else { return .noParentObject }
        let outcome = try? value.withContainerIfPresent(at: path, depth: path.tokens.count - 1) {
            (container: inout JSONValue) throws(JSONPatchError) -> InPlaceAppend in
            guard var object = container.takeObject() else { return .noParentObject }
            defer { container = .object(object) }
            guard object.contains(last) else {
                object[last] = .array([element])
                return .created
            }
            return object.mutateValue(forKey: last) { (member: inout JSONValue) -> InPlaceAppend in
                guard var array = member.takeArray() else { return .notAnArray(typeName: member.typeName) }
                defer { member = .array(array) }
                array.append(element)
                return .appended(index: array.count - 1)
            } ?? .noParentObject
        }
        return (outcome ?? nil) ?? .noParentObject
    }

    /// Records an operation that has already been applied to the document.
    private mutating func recordApplied(_ operation: JSONPatchOperation, inverse: JSONPatchOperation, rule: RuleID) {
        recorded.append(RecordedOperation(operation: operation, rule: rule, inverse: inverse))
    }

    public mutating func remove(at path: JSONPointer, rule: RuleID) throws(JSONPatchError) {
        try record(.remove(path: path), rule: rule)
    }

    /// Makes sure an object exists at `path`, adding `{}` for each missing level. Existing
    /// levels may be objects or arrays; only a missing member of an object can be created.
    /// One walk down the path: re-resolving every prefix from the root cost more than the change.
    public mutating func ensureObject(at path: JSONPointer, rule: RuleID) throws(JSONPatchError) {
        var current = value
        for (depth, token) in path.tokens.enumerated() {
            switch current {
            case .object(let object):
                if let next = object[token] {
                    switch next {
                    case .object, .array: current = next
                    default:
                        let prefix = JSONPointer(tokens: Array(path.tokens[...depth]))
                        throw JSONPatchError("\(prefix) is a \(next.typeName), not an object")
                    }
                } else {
                    // Let go of the subtree first, so the change below does not copy it.
                    current = .null
                    for level in depth..<path.tokens.count {
                        let prefix = JSONPointer(tokens: Array(path.tokens[...level]))
                        try record(
                            .add(path: prefix, value: .object(JSONObject())), inverse: .remove(path: prefix), rule: rule
                        )
                    }
                    return
                }
            case .array(let array):
                guard let index = JSONPointer.arrayIndex(token), array.indices.contains(index) else {
                    let prefix = JSONPointer(tokens: Array(path.tokens[...depth]))
                    throw JSONPatchError("cannot create \(prefix): its parent is not an object")
                }
                current = array[index]
            default:
                throw JSONPatchError("cannot create \(path): a parent is not an object")
            }
        }
        guard case .object = current else {
            throw JSONPatchError("\(path) is a \(current.typeName), not an object")
        }
    }

    /// A point to return to with `rollBack(to:)`.
    public var checkpoint: Int { recorded.count }

    /// Undoes every operation recorded since `checkpoint`, newest first. Cheaper than keeping a copy
    /// of the document: a copy would make the next change duplicate every array on its path.
    public mutating func rollBack(to checkpoint: Int) {
        while recorded.count > checkpoint, let last = recorded.popLast() {
            // The inverse of an operation that just succeeded always applies.
            try? value.apply(last.inverse)
        }
    }

    private mutating func record(_ operation: JSONPatchOperation, rule: RuleID) throws(JSONPatchError) {
        try record(operation, inverse: try inverse(of: operation), rule: rule)
    }

    private mutating func record(
        _ operation: JSONPatchOperation, inverse: JSONPatchOperation, rule: RuleID
    ) throws(JSONPatchError) {
        try value.apply(operation)
        recordApplied(operation, inverse: inverse, rule: rule)
    }

    private func inverse(of operation: JSONPatchOperation) throws(JSONPatchError) -> JSONPatchOperation {
        switch operation {
        case .add(let path, _):
            guard let parent = path.parent, let last = path.lastToken else {
                throw JSONPatchError("cannot replace the whole document")
            }
            if case .array(let array)? = value[parent] {
                return .remove(path: last == "-" ? parent.appending(array.count) : path)
            }
            if let old = value[path] { return .replace(path: path, value: old) }
            return .remove(path: path)
        case .replace(let path, _):
            guard let old = value[path] else { throw JSONPatchError("replace: no value at \(path)") }
            return .replace(path: path, value: old)
        case .remove(let path):
            guard let old = value[path] else { throw JSONPatchError("remove: no value at \(path)") }
            return .add(path: path, value: old)
        case .move, .copy, .test:
            throw JSONPatchError("\(operation.name) is not recorded by PatchingDocument")
        }
    }
}
