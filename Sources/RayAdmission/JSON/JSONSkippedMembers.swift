/// Object members that a parser checks for well-formed JSON but leaves out of the document, named
/// by their key paths from the root (`["request", "object", "metadata", "managedFields"]`).
/// Building a subtree nobody reads costs as much as the rest of the parse; checking it costs little.
/// Inside a skipped value duplicate keys are not looked for: nothing reads it, so no two readers
/// can disagree about it.
public struct JSONSkippedMembers: Sendable, Equatable {
    /// A list, not a dictionary: a path has one or two members a level, and a length check and a
    /// comparison cost less than hashing every key of every object on the way.
    private var children: [Child] = []
    /// Whether the member that leads here is itself skipped.
    private(set) var isSkipped = false

    public init(_ paths: [[String]]) {
        for path in paths where !path.isEmpty { insert(path[...]) }
    }

    private struct Child: Sendable, Equatable {
        let key: String
        var members: JSONSkippedMembers
    }

    private mutating func insert(_ path: ArraySlice<String>) {
        guard let first = path.first else {
            isSkipped = true
            return
        }
        if let index = children.firstIndex(where: { $0.key == first }) {
            children[index].members.insert(path.dropFirst())
        } else {
            var members = JSONSkippedMembers([])
            members.insert(path.dropFirst())
            children.append(Child(key: first, members: members))
        }
    }

    public var isEmpty: Bool { children.isEmpty }

    /// What is skipped below the member `key` of the object here; nil when nothing is.
    func member(_ key: String) -> JSONSkippedMembers? {
        let length = key.utf8.count
        for child in children where child.key.utf8.count == length && child.key == key { return child.members }
        return nil
    }
}
