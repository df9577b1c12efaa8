/// `request.kind` / `request.requestKind` on the wire: `{"group":"ray.io","version":"v1","kind":"RayCluster"}`.
public struct GroupVersionKind: Sendable, Hashable, CustomStringConvertible {
    public var group: String
    public var version: String
    public var kind: String

    public init(group: String, version: String, kind: String) {
        self.group = group
        self.version = version
        self.kind = kind
    }

    public var description: String {
        group.isEmpty ? "\(version)/\(kind)" : "\(group)/\(version)/\(kind)"
    }
}
