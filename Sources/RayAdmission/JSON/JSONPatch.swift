/// One RFC 6902 operation.
public enum JSONPatchOperation: Sendable, Hashable {
    case add(path: JSONPointer, value: JSONValue)
    case remove(path: JSONPointer)
    case replace(path: JSONPointer, value: JSONValue)
    case move(from: JSONPointer, path: JSONPointer)
    case copy(from: JSONPointer, path: JSONPointer)
    case test(path: JSONPointer, value: JSONValue)

    public var path: JSONPointer {
        switch self {
        case .add(let path, _), .remove(let path), .replace(let path, _), .move(_, let path), .copy(_, let path),
            .test(let path, _):
            path
        }
    }

    public var name: String {
        switch self {
        case .add: "add"
        case .remove: "remove"
        case .replace: "replace"
        case .move: "move"
        case .copy: "copy"
        case .test: "test"
        }
    }

    /// The wire form: `{"op":"add","path":"/a","value":1}`.
    public var jsonValue: JSONValue {
        var object = JSONObject()
        object["op"] = .string(name)
        switch self {
        case .move(let from, _), .copy(let from, _):
            object["from"] = .string(from.description)
        default:
            break
        }
        object["path"] = .string(path.description)
        switch self {
        case .add(_, let value), .replace(_, let value), .test(_, let value):
            object["value"] = value
        default:
            break
        }
        return .object(object)
    }
}

/// Why a patch document could not be read, or could not be applied.
public struct JSONPatchError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    /// Index of the failing operation in the patch, when it is one operation's fault.
    public let operationIndex: Int?

    public init(_ message: String, operationIndex: Int? = nil) {
        self.message = message
        self.operationIndex = operationIndex
    }

    public var description: String {
        operationIndex.map { "operation \($0): \(message)" } ?? message
    }
}

/// An RFC 6902 JSON Patch: an ordered list of operations, applied all or nothing.
public struct JSONPatch: Sendable, Hashable {
    public var operations: [JSONPatchOperation]

    public init(_ operations: [JSONPatchOperation] = []) {
        self.operations = operations
    }

    public var isEmpty: Bool { operations.isEmpty }

    public var jsonValue: JSONValue {
        .array(operations.map(\.jsonValue))
    }

    /// The wire form, written directly (the same bytes as `jsonValue.encoded()`, without building
    /// the intermediate tree: this runs for every patched admission response).
    public func encoded() -> [UInt8] {
        var output: [UInt8] = [UInt8(ascii: "[")]
        output.reserveCapacity(64 * operations.count + 2)
        for (index, operation) in operations.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            JSONValue.appendLiteral(#"{"op":"#, to: &output)
            JSONValue.encodeString(operation.name, into: &output)
            switch operation {
            case .move(let from, _), .copy(let from, _):
                JSONValue.appendLiteral(#","from":"#, to: &output)
                from.encodeJSONString(into: &output)
            default:
                break
            }
            JSONValue.appendLiteral(#","path":"#, to: &output)
            operation.path.encodeJSONString(into: &output)
            switch operation {
            case .add(_, let value), .replace(_, let value), .test(_, let value):
                JSONValue.appendLiteral(#","value":"#, to: &output)
                value.encode(into: &output)
            default:
                break
            }
            output.append(UInt8(ascii: "}"))
        }
        output.append(UInt8(ascii: "]"))
        return output
    }

    /// Reads the wire form: an array of operation objects.
    public init(json: JSONValue) throws(JSONPatchError) {
        guard case .array(let elements) = json else { throw JSONPatchError("a JSON Patch must be an array") }
        var operations: [JSONPatchOperation] = []
        for (index, element) in elements.enumerated() {
            operations.append(try Self.operation(from: element, index: index))
        }
        self.operations = operations
    }

    private static func operation(from element: JSONValue, index: Int) throws(JSONPatchError) -> JSONPatchOperation {
        guard case .object(let object) = element else {
            throw JSONPatchError("an operation must be an object", operationIndex: index)
        }
        func pointer(_ key: String) throws(JSONPatchError) -> JSONPointer {
            guard let text = object[key]?.stringValue else {
                throw JSONPatchError("missing or non-string \"\(key)\"", operationIndex: index)
            }
            guard let pointer = JSONPointer(text) else {
                throw JSONPatchError("\"\(key)\" is not a JSON Pointer: \(text)", operationIndex: index)
            }
            return pointer
        }
        func value() throws(JSONPatchError) -> JSONValue {
            guard let value = object["value"] else { throw JSONPatchError("missing \"value\"", operationIndex: index) }
            return value
        }
        switch object["op"]?.stringValue {
        case "add": return .add(path: try pointer("path"), value: try value())
        case "remove": return .remove(path: try pointer("path"))
        case "replace": return .replace(path: try pointer("path"), value: try value())
        case "move": return .move(from: try pointer("from"), path: try pointer("path"))
        case "copy": return .copy(from: try pointer("from"), path: try pointer("path"))
        case "test": return .test(path: try pointer("path"), value: try value())
        case let other:
            throw JSONPatchError("unknown op \(other.map { "\"\($0)\"" } ?? "(missing)")", operationIndex: index)
        }
    }

    /// Applies every operation in order; any failure leaves the input untouched (RFC 6902 §5).
    public func apply(to document: JSONValue) throws(JSONPatchError) -> JSONValue {
        var result = document
        for (index, operation) in operations.enumerated() {
            do {
                try result.apply(operation)
            } catch {
                throw JSONPatchError(error.message, operationIndex: index)
            }
        }
        return result
    }
}

extension JSONValue {
    /// Applies one operation in place.
    public mutating func apply(_ operation: JSONPatchOperation) throws(JSONPatchError) {
        switch operation {
        case .add(let path, let value):
            try add(value, at: path)
        case .remove(let path):
            _ = try remove(at: path)
        case .replace(let path, let value):
            guard self[path] != nil else { throw JSONPatchError("replace: no value at \(path)") }
            guard let last = path.lastToken else {
                self = value
                return
            }
            // In place, so an object member keeps its position (as Kubernetes' JSON Patch does).
            try withContainer(at: path, depth: path.tokens.count - 1, operation: "replace") {
                (container: inout JSONValue) throws(JSONPatchError) in
                // Taken out rather than `switch`ed on: the switch subject is a second reference,
                // and the change would copy the whole container while it is alive.
                if var object = container.takeObject() {
                    defer { container = .object(object) }
                    object.mutateValue(forKey: last) { $0 = value }
                } else if var array = container.takeArray() {
                    defer { container = .array(array) }
                    guard let index = JSONPointer.arrayIndex(last), array.indices.contains(index) else {
                        throw JSONPatchError("replace: no value at \(path)")
                    }
                    array[index] = value
                } else {
                    throw JSONPatchError("replace: no value at \(path)")
                }
            }
        case .move(let from, let path):
            guard from != path else { return }
            guard !path.hasPrefix(from) else { throw JSONPatchError("move: \(from) cannot move into itself") }
            let value = try remove(at: from)
            try add(value, at: path)
        case .copy(let from, let path):
            guard let value = self[from] else { throw JSONPatchError("copy: no value at \(from)") }
            try add(value, at: path)
        case .test(let path, let expected):
            guard let actual = self[path] else { throw JSONPatchError("test: no value at \(path)") }
            guard actual.isSemanticallyEqual(to: expected) else { throw JSONPatchError("test failed at \(path)") }
        }
    }

    /// RFC 6902 `add`: sets an object member (replacing it), inserts into an array at an index
    /// (`0...count`) or appends with `-`. The parent must exist.
    mutating func add(_ value: JSONValue, at path: JSONPointer) throws(JSONPatchError) {
        guard let last = path.lastToken else {
            self = value
            return
        }
        try withContainer(at: path, depth: path.tokens.count - 1, operation: "add") {
            (container: inout JSONValue) throws(JSONPatchError) in
            // Taken out rather than `switch`ed on, as in `replace`.
            if var object = container.takeObject() {
                defer { container = .object(object) }
                object[last] = value
            } else if var array = container.takeArray() {
                defer { container = .array(array) }
                if last == "-" {
                    array.append(value)
                } else {
                    guard let index = JSONPointer.arrayIndex(last), index <= array.count else {
                        throw JSONPatchError("add: index \(last) out of range at \(path)")
                    }
                    array.insert(value, at: index)
                }
            } else {
                throw JSONPatchError("add: parent of \(path) is a \(container.typeName)")
            }
        }
    }

    /// RFC 6902 `remove`: the target must exist; returns the removed value.
    mutating func remove(at path: JSONPointer) throws(JSONPatchError) -> JSONValue {
        guard let last = path.lastToken else {
            throw JSONPatchError("remove: cannot remove the whole document")
        }
        return try withContainer(at: path, depth: path.tokens.count - 1, operation: "remove") {
            (container: inout JSONValue) throws(JSONPatchError) -> JSONValue in
            if var object = container.takeObject() {
                defer { container = .object(object) }
                guard let removed = object.removeValue(forKey: last) else {
                    throw JSONPatchError("remove: no value at \(path)")
                }
                return removed
            }
            if var array = container.takeArray() {
                defer { container = .array(array) }
                guard let index = JSONPointer.arrayIndex(last), array.indices.contains(index) else {
                    throw JSONPatchError("remove: no value at \(path)")
                }
                return array.remove(at: index)
            }
            throw JSONPatchError("remove: no value at \(path)")
        }
    }

    /// Runs `body` on the container at `pointer` in place (no copy of the tree above it).
    mutating func withContainer<Result>(
        at pointer: JSONPointer,
        operation: String,
        _ body: (inout JSONValue) throws(JSONPatchError) -> Result
    ) throws(JSONPatchError) -> Result {
        try withContainer(at: pointer, depth: pointer.tokens.count, operation: operation, body)
    }

    /// The same, at the first `depth` tokens of `pointer` (its parent at `count - 1`), so that a
    /// caller does not build the parent pointer just to walk to it.
    mutating func withContainer<Result>(
        at pointer: JSONPointer,
        depth: Int,
        operation: String,
        _ body: (inout JSONValue) throws(JSONPatchError) -> Result
    ) throws(JSONPatchError) -> Result {
        guard let result = try withContainerIfPresent(at: pointer, depth: depth, body) else {
            let container = JSONPointer(tokens: Array(pointer.tokens.prefix(depth)))
            throw JSONPatchError("\(operation): parent \(container) does not exist")
        }
        return result
    }

    /// Runs `body` on the value at the first `depth` tokens of `pointer`, in place; nil (and
    /// `body` not run) when that value does not exist. Probing costs no error.
    mutating func withContainerIfPresent<Result>(
        at pointer: JSONPointer,
        depth: Int,
        _ body: (inout JSONValue) throws(JSONPatchError) -> Result
    ) throws(JSONPatchError) -> Result? {
        // The tokens are borrowed from the pointer's storage for the whole walk: a slice per level
        // retained the array, and taking each token out copied its string.
        let result: Swift.Result<Result?, JSONPatchError> = pointer.tokens.withUnsafeBufferPointer { tokens in
            let path = UnsafeBufferPointer(rebasing: tokens[..<min(max(depth, 0), tokens.count)])
            do throws(JSONPatchError) {
                return .success(try walk(path, level: 0, body))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    private mutating func walk<Result>(
        _ tokens: UnsafeBufferPointer<String>,
        level: Int,
        _ body: (inout JSONValue) throws(JSONPatchError) -> Result
    ) throws(JSONPatchError) -> Result? {
        guard level < tokens.count else { return try body(&self) }
        if var object = takeObject() {
            defer { self = .object(object) }
            guard let index = object.index(forKey: tokens[level]) else { return nil }
            return try object.withMember(at: index) { (child: inout JSONValue) throws(JSONPatchError) -> Result? in
                try child.walk(tokens, level: level + 1, body)
            }
        }
        if var array = takeArray() {
            defer { self = .array(array) }
            guard let index = JSONPointer.arrayIndex(tokens[level]), array.indices.contains(index) else { return nil }
            return try array[index].walk(tokens, level: level + 1, body)
        }
        return nil
    }
}
