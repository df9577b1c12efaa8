/// Existing violations are not new violations (Kubernetes' CRD validation ratcheting, Kyverno's
/// `allowExistingViolations`): on UPDATE, a denial the stored object already had, by the same
/// rule at the same field, with the value at that field unchanged, admits. Installing the webhook
/// or tightening a policy then never stops the autoscaler, the operator or a label edit from
/// updating what already runs, while anything the update introduces is still denied.
///
/// Elements of Kubernetes' keyed lists (containers and env by name, ports by number and protocol,
/// worker groups by name, …) are matched by key, not by index, as the API server's ratcheting
/// does: adding a worker group or an env entry in front of a violating one leaves that violation
/// existing. A keyed element the old object does not have is new, and so is every violation in it;
/// elements of other lists are matched by index.
struct ExistingViolations {
    let object: JSONValue
    let oldObject: JSONValue
    let cluster: ClusterSpecLocation
    /// The stored object's denials, by rule and the pointer of their field.
    private let oldDenials: Set<Finding>
    /// Per keyed list of the new object (by its pointer): the old index of each element, nil for
    /// an element the old list does not have. Worked out once a list: an update of a large cluster
    /// can have a finding in every one of a thousand groups.
    private var oldIndices: [JSONPointer: [Int?]] = [:]

    private struct Finding: Hashable {
        let rule: RuleID
        let pointer: JSONPointer
    }

    init(object: JSONValue, oldObject: JSONValue, oldDenials: [FieldError], cluster: ClusterSpecLocation) {
        self.object = object
        self.oldObject = oldObject
        self.cluster = cluster
        self.oldDenials = Set(
            oldDenials.compactMap { denial in denial.rule.map { Finding(rule: $0, pointer: denial.field.pointer) } })
    }

    /// Whether `denial` (of the new object) is one the stored object already had.
    mutating func isExisting(_ denial: FieldError) -> Bool {
        guard let rule = denial.rule else { return false }
        let pointer = denial.field.pointer
        guard let oldPointer = correspondingPointer(pointer),
            oldDenials.contains(Finding(rule: rule, pointer: oldPointer))
        else { return false }
        switch (comparable(object[pointer], at: pointer), comparable(oldObject[oldPointer], at: pointer)) {
        case (nil, nil): return true
        case (let new?, let old?): return new.isSemanticallyEqual(to: old)
        default: return false
        }
    }

    /// Where the element `pointer` leads to in the new object sits in the old one: the same path,
    /// with each index into a keyed list replaced by the old index of the element with that key.
    /// Nil when a keyed element is not in the old object at all.
    mutating func correspondingPointer(_ pointer: JSONPointer) -> JSONPointer? {
        var newNode: JSONValue? = object
        var oldNode: JSONValue? = oldObject
        var listName = ""
        var tokens: [String] = []
        tokens.reserveCapacity(pointer.tokens.count)
        for (depth, token) in pointer.tokens.enumerated() {
            var oldToken = token
            if case .array(let newList)? = newNode, let index = JSONPointer.arrayIndex(token),
                newList.indices.contains(index), let key = Self.listMapKey(listName)
            {
                let oldList = oldNode?.arrayValue ?? []
                let oldIndex: Int?
                if newList.count <= Self.listsMatchedInPlace {
                    oldIndex = Self.oldIndex(of: index, in: newList, in: oldList, key: key)
                } else {
                    let list = JSONPointer(tokens: Array(pointer.tokens.prefix(depth)))
                    let indices = oldIndices[list] ?? Self.oldIndices(of: newList, in: oldList, key: key)
                    oldIndices[list] = indices
                    oldIndex = indices[index]
                }
                guard let oldIndex else { return nil }
                oldToken = String(oldIndex)
            }
            tokens.append(oldToken)
            newNode = newNode?.member(token)
            oldNode = oldNode?.member(oldToken)
            listName = token
        }
        return JSONPointer(tokens: tokens)
    }

    /// Lists this short are matched element by element, without building a table: measured, the
    /// table cost more than it saved for the handful of groups and containers most objects have.
    static let listsMatchedInPlace = 16

    /// `oldIndices(of:in:key:)[index]`, worked out for that element alone.
    static func oldIndex(
        of index: Int, in newList: [JSONValue], in oldList: [JSONValue], key: (JSONValue) -> String?
    ) -> Int? {
        guard let identity = key(newList[index]) else { return index }
        let ordinal = newList[..<index].count { key($0) == identity }
        return oldList.indices.filter { key(oldList[$0]) == identity }.dropFirst(ordinal).first
    }

    /// For each element of `newList`: the index of the same element in `oldList`. Keyed elements
    /// match by key, the n-th with a key the n-th with it in the old list (so that duplicates,
    /// themselves a violation, keep their own findings), and are nil when the old list has none;
    /// elements without a key match by position.
    static func oldIndices(
        of newList: [JSONValue], in oldList: [JSONValue], key: (JSONValue) -> String?
    ) -> [Int?] {
        var oldByKey: [String: [Int]] = [:]
        for (index, element) in oldList.enumerated() {
            if let identity = key(element) { oldByKey[identity, default: []].append(index) }
        }
        var seen: [String: Int] = [:]
        return newList.indices.map { index in
            guard let identity = key(newList[index]) else { return index }
            let ordinal = seen[identity, default: 0]
            seen[identity] = ordinal + 1
            let candidates = oldByKey[identity] ?? []
            return ordinal < candidates.count ? candidates[ordinal] : nil
        }
    }

    /// The key of an element of the list named `name`, for the lists Kubernetes and KubeRay key
    /// (`x-kubernetes-list-map-keys`, and worker groups by their unique name); nil for other lists.
    static func listMapKey(_ name: String) -> (@Sendable (JSONValue) -> String?)? {
        switch name {
        case "workerGroupSpecs", "workerGroups":
            { $0["groupName"]?.stringValue }
        case "containers", "initContainers", "ephemeralContainers", "env", "volumes", "imagePullSecrets":
            { $0["name"]?.stringValue }
        case "volumeMounts":
            { $0["mountPath"]?.stringValue }
        case "ports":
            { port in
                port["containerPort"].map { "\($0.jsonString)/\(port["protocol"]?.stringValue ?? "TCP")" }
            }
        default:
            nil
        }
    }

    /// The value at `pointer`, without what changes under it while nobody changes the violation:
    /// the replica counts and scale-down lists the autoscaler writes into worker groups, and the
    /// status and bookkeeping metadata of the object. A finding reported at a worker group or
    /// above it then survives the autoscaler's updates; one reported at `replicas` itself does not.
    func comparable(_ value: JSONValue?, at pointer: JSONPointer) -> JSONValue? {
        guard var value else { return nil }
        let groups = cluster.pointer.appending("workerGroupSpecs")
        if groups.hasPrefix(pointer) {
            value.mutate(at: groups.tokens.dropFirst(pointer.tokens.count)) { list in
                list.mutateArray { groups in
                    for index in groups.indices { Self.removeScaling(&groups[index]) }
                }
            }
        } else if pointer.tokens.count == groups.tokens.count + 1, pointer.hasPrefix(groups) {
            Self.removeScaling(&value)
        }
        if pointer.tokens.isEmpty {
            value.mutateObject { $0.removeValue(forKey: "status") }
            value.mutate(at: ["metadata"][...], Self.removeBookkeeping)
        } else if pointer.tokens == ["metadata"] {
            Self.removeBookkeeping(&value)
        }
        return value
    }

    static let scalingFields = ["replicas", "scaleStrategy"]
    static let bookkeepingFields = ["resourceVersion", "generation", "managedFields"]

    private static func removeScaling(_ group: inout JSONValue) {
        group.mutateObject { object in
            for field in scalingFields { object.removeValue(forKey: field) }
        }
    }

    private static func removeBookkeeping(_ metadata: inout JSONValue) {
        metadata.mutateObject { object in
            for field in bookkeepingFields { object.removeValue(forKey: field) }
        }
    }
}

extension JSONValue {
    /// One step of a JSON Pointer: an object's member or an array's element.
    fileprivate func member(_ token: String) -> JSONValue? {
        switch self {
        case .object: self[token]
        case .array: JSONPointer.arrayIndex(token).flatMap { self[$0] }
        default: nil
        }
    }

    /// Runs `body` on the value at `tokens` below this one, in place; nothing when it is missing.
    fileprivate mutating func mutate(at tokens: ArraySlice<String>, _ body: (inout JSONValue) -> Void) {
        guard let first = tokens.first else {
            body(&self)
            return
        }
        let rest = tokens.dropFirst()
        switch self {
        case .object:
            mutateObject { object in object.mutateValue(forKey: first) { $0.mutate(at: rest, body) } }
        case .array:
            guard let index = JSONPointer.arrayIndex(first) else { return }
            mutateArray { array in
                guard array.indices.contains(index) else { return }
                array[index].mutate(at: rest, body)
            }
        default:
            return
        }
    }
}
