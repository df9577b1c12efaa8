/// A JSON object that keeps its members in document order. Kubernetes objects are small, so
/// lookups scan; keys are unique (the parser rejects duplicates, setters replace in place).
public struct JSONObject: Sendable, Hashable, Sequence {
    /// A struct rather than a `(key:value:)` tuple: arrays of tuples are copied and destroyed
    /// through the runtime's generic tuple witnesses, member by member, which made freeing a
    /// decoded document cost as much as parsing it.
    public struct Member: Sendable, Hashable {
        public var key: String
        public var value: JSONValue

        public init(key: String, value: JSONValue) {
            self.key = key
            self.value = value
        }

        public init(_ key: String, _ value: JSONValue) {
            self.init(key: key, value: value)
        }
    }

    public private(set) var members: [Member]

    public init() {
        self.members = []
    }

    /// Members in order; a later duplicate key replaces the earlier value in its position.
    public init(_ members: [Member]) {
        // Members written in code have distinct keys: the array is then kept as it is, which
        // spares the defaults built for every group a second array and a lookup per member.
        if members.count <= 8, !Self.hasDuplicateKey(members) {
            self.members = members
            return
        }
        self.members = []
        self.members.reserveCapacity(members.count)
        for member in members { self[member.key] = member.value }
    }

    private static func hasDuplicateKey(_ members: [Member]) -> Bool {
        for later in members.indices.dropFirst() {
            for earlier in 0..<later where members[earlier].key == members[later].key { return true }
        }
        return false
    }

    /// For the parser, which has already checked that keys are unique.
    init(uniqueMembers: [Member]) {
        self.members = uniqueMembers
    }

    public var count: Int { members.count }
    public var isEmpty: Bool { members.isEmpty }
    public var keys: [String] { members.map(\.key) }

    public func makeIterator() -> IndexingIterator<[Member]> {
        members.makeIterator()
    }

    /// Compares keys in place: iterating `members` would copy each member, retaining and
    /// releasing every sibling's whole value just to look at its key. The length check first
    /// settles most mismatches without a call into the string comparison.
    public func index(forKey key: String) -> Int? {
        let length = key.utf8.count
        return members.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return nil }
            for index in 0..<buffer.count where base[index].key.utf8.count == length && base[index].key == key {
                return index
            }
            return nil
        }
    }

    public func contains(_ key: String) -> Bool {
        index(forKey: key) != nil
    }

    /// Reading gives the member's value; writing replaces it in place or appends a new member;
    /// writing nil removes the member.
    public subscript(key: String) -> JSONValue? {
        get {
            index(forKey: key).map { members[$0].value }
        }
        set {
            if let index = index(forKey: key) {
                if let newValue {
                    members[index].value = newValue
                } else {
                    members.remove(at: index)
                }
            } else if let newValue {
                members.append(Member(key: key, value: newValue))
            }
        }
    }

    @discardableResult
    public mutating func removeValue(forKey key: String) -> JSONValue? {
        guard let index = index(forKey: key) else { return nil }
        return members.remove(at: index).value
    }

    /// Changes the member's value in place, without copying it.
    @discardableResult
    mutating func mutateValue<Result>(forKey key: String, _ body: (inout JSONValue) throws -> Result) rethrows
        -> Result?
    {
        guard let index = index(forKey: key) else { return nil }
        return try body(&members[index].value)
    }

    mutating func withMember<Result>(
        at index: Int,
        _ body: (inout JSONValue) throws(JSONPatchError) -> Result
    ) throws(JSONPatchError) -> Result {
        try body(&members[index].value)
    }

    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        lhs.members.count == rhs.members.count
            && zip(lhs.members, rhs.members).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(members.count)
        for member in members {
            hasher.combine(member.key)
            hasher.combine(member.value)
        }
    }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(elements.map { Member(key: $0.0, value: $0.1) })
    }
}

extension JSONObject {
    /// Equality that ignores member order, as JSON semantics (and RFC 6902 `test`) define it.
    public func isSemanticallyEqual(to other: JSONObject) -> Bool {
        guard count == other.count else { return false }
        return members.allSatisfy { member in
            guard let otherValue = other[member.key] else { return false }
            return member.value.isSemanticallyEqual(to: otherValue)
        }
    }
}

extension JSONValue {
    /// JSON equality: object member order does not matter, numbers compare by value.
    public func isSemanticallyEqual(to other: JSONValue) -> Bool {
        switch (self, other) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.string(let a), .string(let b)): return a == b
        case (.number(let a), .number(let b)):
            if a.text == b.text { return true }
            if let x = a.int64Value, let y = b.int64Value { return x == y }
            return a.doubleValue == b.doubleValue
        case (.array(let a), .array(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.isSemanticallyEqual(to: $1) }
        case (.object(let a), .object(let b)):
            return a.isSemanticallyEqual(to: b)
        default:
            return false
        }
    }
}
